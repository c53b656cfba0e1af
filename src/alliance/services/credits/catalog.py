"""The credit option catalogue (CRD-3, CRD-6): what partner credits can buy.

The program definition names the catalogue's flag (``provenance_tags.public_sector.
refused_by: [not_with_public_sector_credits]``) but not its options, so the built-in
options are data here (:data:`BUILTIN_CATALOG`; prices in credits per unit, marked
configurable). The vendor adds or changes options with :func:`define_option`; a stored
option replaces the built-in one of the same id. An option flagged
``refuses_public_sector_credits`` never takes credits earned on public-sector deals
(CRD-6): its orders exclude lots tagged ``public_sector`` on the ledger.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from alliance.domain import audit
from alliance.domain.access import Actor, Permission, require_authenticated, require_everywhere
from alliance.domain.clock import Clock
from alliance.domain.credits import CREDITS, CatalogOption
from alliance.domain.errors import InvalidInput, NotFound
from alliance.domain.ledger.units import Unit
from alliance.services.credits.ports import CatalogEntry
from alliance.services.ports import UnitOfWork

#: The built-in catalogue (configurable: the vendor redefines any option by its id).
BUILTIN_CATALOG: tuple[CatalogEntry, ...] = (
    CatalogEntry(
        "cloud_universal_credits",
        "Cloud universal credits",
        Decimal("1.00"),
        description="Universal cloud credits for the partner's own environments, one per unit.",
    ),
    CatalogEntry(
        "training_voucher",
        "Training voucher",
        Decimal("250.00"),
        description="One instructor-led or on-demand course.",
    ),
    CatalogEntry(
        "certification_exam",
        "Certification exam voucher",
        Decimal("125.00"),
        description="One certification exam attempt.",
    ),
    CatalogEntry(
        "expert_services_day",
        "Expert services day",
        Decimal("1000.00"),
        refuses_public_sector_credits=True,
        description="A day of the vendor's architects on the partner's solution; "
        "not with credits earned on public-sector orders.",
    ),
    CatalogEntry(
        "co_marketing_campaign",
        "Co-marketing campaign kit",
        Decimal("500.00"),
        refuses_public_sector_credits=True,
        description="A co-branded campaign kit; not with credits earned on public-sector orders.",
    ),
)


@dataclass(frozen=True)
class DefineOption:
    """Add or change a catalogue option (vendor)."""

    id: str
    name: str
    unit_price: Decimal
    refuses_public_sector_credits: bool = False
    description: str = ""
    active: bool = True


def entries(uow: UnitOfWork) -> list[CatalogEntry]:
    """The catalogue: built-in options, replaced by stored ones of the same id."""
    merged = {entry.id: entry for entry in BUILTIN_CATALOG}
    merged.update({entry.id: entry for entry in uow.credits.options()})
    return sorted(merged.values(), key=lambda e: e.id)


def entry(uow: UnitOfWork, option_id: str) -> CatalogEntry:
    """An active option of the catalogue, or NotFound naming the known ones."""
    found = uow.credits.option(option_id) or next(
        (e for e in BUILTIN_CATALOG if e.id == option_id), None
    )
    if found is None or not found.active:
        known = ", ".join(e.id for e in entries(uow) if e.active)
        raise NotFound(
            f"no catalogue option {option_id!r}; the catalogue offers {known}",
            field="option_id",
            rule="CRD-3",
        )
    return found


def domain_option(found: CatalogEntry) -> CatalogOption:
    return CatalogOption(found.id, found.name, found.refuses_public_sector_credits)


def catalog(uow: UnitOfWork, actor: Actor, *, include_inactive: bool = False) -> list[CatalogEntry]:
    """The catalogue, for anybody logged in."""
    require_authenticated(actor)
    with uow:
        return [e for e in entries(uow) if e.active or include_inactive]


def define_option(
    uow: UnitOfWork, actor: Actor, command: DefineOption, clock: Clock
) -> CatalogEntry:
    """Add or change an option (program admins and the system); audited (X-4)."""
    require_everywhere(actor, Permission.MANAGE_PROGRAMS)
    if not command.id.strip() or not command.name.strip():
        raise InvalidInput("an option has an id and a name", field="id", rule="CRD-6")
    if command.unit_price <= 0:
        raise InvalidInput(
            f"a price is a positive number of credits, got {command.unit_price}",
            field="unit_price",
            rule="CRD-3",
        )
    Unit.of(CREDITS).check(command.unit_price)
    new = CatalogEntry(
        command.id.strip(),
        command.name.strip(),
        command.unit_price,
        command.refuses_public_sector_credits,
        command.description,
        command.active,
    )
    with uow:
        old = uow.credits.option(new.id) or next(
            (e for e in BUILTIN_CATALOG if e.id == new.id), None
        )
        uow.credits.save_option(new)
        record = option_record(new)
        uow.audit.append(
            audit.created(actor, "credit_option", new.id, record, clock.now())
            if old is None
            else audit.changed(
                actor, "credit_option", new.id, option_record(old), record, clock.now()
            )
        )
        uow.commit()
    return new


def option_record(option: CatalogEntry) -> dict[str, object]:
    return {
        "name": option.name,
        "unit_price": str(option.unit_price),
        "refuses_public_sector_credits": option.refuses_public_sector_credits,
        "description": option.description,
        "active": option.active,
    }
