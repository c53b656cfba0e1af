"""Load the demo data set: organisations and people into the database, facts to Parquet,
and a few logins whose passwords are printed when the demo starts.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from alliance.demo.dataset import DemoDataset
from alliance.domain.access import Actor
from alliance.domain.clock import Clock
from alliance.domain.ids import OrganizationId, PersonId
from alliance.domain.organizations import Organization, OrganizationKind, PartnerType
from alliance.domain.people import PartnerRole, Person, VendorRole
from alliance.services.auth import RegisterUser, register_user
from alliance.services.passwords import Passwords
from alliance.services.ports import UnitOfWork

Progress = Callable[[int], None]
BATCH = 5_000


@dataclass(frozen=True)
class DemoLogin:
    role: str
    email: str
    password: str
    organization: str | None


#: The demo's logins; the organisations are filled in when the data set is loaded.
DEMO_LOGINS = (
    DemoLogin("vendor program admin", "admin@alliance.example", "alliance-admin-demo", None),
    DemoLogin("partner administrator", "partner@alliance.example", "alliance-partner-demo", None),
    DemoLogin("customer contact", "customer@alliance.example", "alliance-customer-demo", None),
)


def _organizations(rows: Iterable[dict[str, object]]) -> Iterable[Organization]:
    for row in rows:
        ownership = row["ownership_percent"]
        yield Organization(
            id=OrganizationId(str(row["id"])),
            name=str(row["name"]),
            country=str(row["country"]),
            kind=OrganizationKind(str(row["kind"])),
            partner_type=PartnerType(str(row["partner_type"])),
            parent_id=OrganizationId(str(row["parent_id"])) if row["parent_id"] else None,
            ownership_percent=ownership if isinstance(ownership, Decimal) else None,
            sector=str(row["sector"]),
        )


def _people(rows: Iterable[dict[str, object]]) -> Iterable[Person]:
    for row in rows:
        yield Person(
            id=PersonId(str(row["id"])),
            name=str(row["name"]),
            email=str(row["email"]),
            organization_id=OrganizationId(str(row["organization_id"])),
            partner_roles=frozenset({PartnerRole(str(row["role"]))}),
        )


def load_directory(
    uow_factory: Callable[[], UnitOfWork], dataset: DemoDataset, progress: Progress
) -> None:
    """Insert every organisation (parents first) and person, in batches of ``BATCH``."""
    for table, build, add in (
        (dataset.organizations, _organizations, "organizations"),
        (dataset.people, _people, "people"),
    ):
        for batch in table.to_batches(max_chunksize=BATCH):
            with uow_factory() as uow:
                getattr(uow, add).add_many(list(build(batch.to_pylist())))
                uow.commit()
            progress(batch.num_rows)


def create_logins(
    uow_factory: Callable[[], UnitOfWork],
    dataset: DemoDataset,
    clock: Clock,
    passwords: Passwords,
) -> list[DemoLogin]:
    """A vendor program admin, a partner administrator and a customer contact."""
    orgs = dataset.organizations.to_pylist()
    partner = next(o for o in orgs if o["kind"] == "partner" and o["parent_id"] is None)
    customer = next(o for o in orgs if o["kind"] == "customer")
    admin, partner_admin, contact = DEMO_LOGINS
    logins = [
        admin,
        DemoLogin(
            partner_admin.role, partner_admin.email, partner_admin.password, str(partner["id"])
        ),
        DemoLogin(contact.role, contact.email, contact.password, str(customer["id"])),
    ]
    system = Actor.system("demo")
    for login, vendor, partner_role in (
        (logins[0], {VendorRole.PROGRAM_ADMIN}, set()),
        (logins[1], set(), {PartnerRole.PARTNER_ADMINISTRATOR}),
        (logins[2], set(), {PartnerRole.CUSTOMER_CONTACT}),
    ):
        register_user(
            uow_factory(),
            system,
            RegisterUser(
                name=login.role.title(),
                email=login.email,
                password=login.password,
                organization_id=OrganizationId(login.organization) if login.organization else None,
                partner_roles=frozenset(partner_role),
                vendor_roles=frozenset(vendor),
            ),
            clock,
            passwords,
        )
    return logins


def write_facts(dataset: DemoDataset, folder: Path) -> dict[str, Path]:
    """Certifications, bookings and usage lines as Parquet, for the batch engine."""
    return {
        name: path
        for name, path in dataset.write_parquet(folder).items()
        if name not in {"organizations", "people"}
    }
