"""Importing customer reward profiles from CSV (OSR-1, OSR-2, OSR-11, OSR-18): all or nothing.

Columns (one row per customer entity):

=========================  ========  ==============================================
``customer_id``            required  the customer organisation's id
``has_on_premises_support`` required  true/false (OSR-2)
``has_ula``                required  true/false: holds an unlimited licence agreement
``ula_covers``             optional  other entities its ULA includes, ``;``-separated
``name``, ``country``      optional  to create the organisation when it is not known
``parent_id``              optional  its parent in the corporate hierarchy (OSR-18)
``ownership_percent``      optional  the parent's share, default 100 (OPN-1)
=========================  ========  ==============================================

A ``customer_id`` that names no organisation is created as a customer organisation when
``name`` and ``country`` are given (parents before their subsidiaries in the file). A
profile already stored and unchanged counts as unchanged; a changed one is updated and
audited with its old and new values (X-4).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from alliance.domain import audit
from alliance.domain.access import Actor
from alliance.domain.clock import Clock
from alliance.domain.errors import AllianceError
from alliance.domain.ids import OrganizationId
from alliance.domain.organizations import Organization, OrganizationKind, PartnerType
from alliance.domain.rewards import Customer
from alliance.services.imports.csv_rows import CsvFile, Row
from alliance.services.imports.summary import ImportSummary
from alliance.services.organizations import organization_record
from alliance.services.ports import UnitOfWork
from alliance.services.rewards.access import require_operator

REQUIRED = ("customer_id", "has_on_premises_support", "has_ula")
OPTIONAL = ("ula_covers", "name", "country", "parent_id", "ownership_percent")


@dataclass
class _Parsed:
    organizations: list[Organization]
    profiles: list[Customer]


def profile_record(customer: Customer) -> dict[str, object]:
    """A profile as the audit journal keeps it."""
    return {
        "has_on_premises_support": customer.has_on_premises_support,
        "has_ula": customer.has_ula,
        "ula_covers": sorted(customer.ula_covers),
    }


def import_customers(
    uow: UnitOfWork, actor: Actor, path: Path, *, clock: Clock, file_name: str | None = None
) -> ImportSummary:
    """Import the customer profiles of ``path`` (see the module doc)."""
    require_operator(actor)
    file = CsvFile(path, file_name or path.name, REQUIRED, OPTIONAL)
    rows = list(file.rows())
    with uow:
        parsed = _parse(uow, file, rows)
        file.raise_if_any("customer profiles")
        stored = uow.rewards.customers.get_many([p.id for p in parsed.profiles])
        added = [p for p in parsed.profiles if p.id not in stored]
        updated = [
            p
            for p in parsed.profiles
            if p.id in stored and profile_record(stored[p.id]) != profile_record(p)
        ]
        uow.organizations.add_many(parsed.organizations)
        uow.rewards.customers.add_many(added)
        uow.rewards.customers.update_many(updated)
        now = clock.now()
        for org in parsed.organizations:
            record = organization_record(org)
            uow.audit.append(audit.created(actor, "organization", org.id, record, now))
        for profile in added:
            uow.audit.append(
                audit.created(
                    actor,
                    "customer_profile",
                    profile.id,
                    profile_record(profile),
                    now,
                    organization_id=profile.id,
                )
            )
        for profile in updated:
            uow.audit.append(
                audit.changed(
                    actor,
                    "customer_profile",
                    profile.id,
                    profile_record(stored[profile.id]),
                    profile_record(profile),
                    now,
                    organization_id=profile.id,
                )
            )
        uow.commit()
    unchanged = len(parsed.profiles) - len(added) - len(updated)
    return ImportSummary(
        file.file_name, "customer profiles", len(added), len(updated), unchanged,
        len(parsed.organizations),
    )  # fmt: skip


def _parse(uow: UnitOfWork, file: CsvFile, rows: list[Row]) -> _Parsed:
    parsed = _Parsed([], [])
    kinds: dict[str, OrganizationKind | None] = {}  # what each id names, as the file goes

    def kind_of(org_id: str) -> OrganizationKind | None:
        if org_id not in kinds:
            found = uow.organizations.get(OrganizationId(org_id))
            kinds[org_id] = found.kind if found is not None else None
        return kinds[org_id]

    seen: set[str] = set()
    pending_covers: list[tuple[Row, str]] = []
    for row in rows:
        customer_id = row.text("customer_id")
        support = row.flag("has_on_premises_support")
        has_ula = row.flag("has_ula")
        if customer_id is None:
            continue
        if customer_id in seen:
            row.problem("customer_id", f"{customer_id} appears more than once in the file")
            continue
        seen.add(customer_id)
        kind = kind_of(customer_id)
        if kind is None:
            org = _new_organization(row, customer_id, kind_of)
            if org is not None:
                parsed.organizations.append(org)
                kinds[customer_id] = OrganizationKind.CUSTOMER
        elif kind is not OrganizationKind.CUSTOMER:
            row.problem("customer_id", f"{customer_id} is a {kind.value}, not a customer", "OSR-1")
        covers = row.ids("ula_covers")
        pending_covers += [(row, entity) for entity in covers]
        if support is None or has_ula is None:
            continue
        try:
            parsed.profiles.append(
                Customer(
                    id=OrganizationId(customer_id),
                    has_on_premises_support=support,
                    has_ula=has_ula,
                    ula_covers=frozenset(OrganizationId(c) for c in covers),
                )
            )
        except AllianceError as error:
            row.problem(error.field or "customer_id", error.message, error.rule or "X-7")
    for row, entity in pending_covers:  # after the whole file: it may create them
        if kind_of(entity) is not OrganizationKind.CUSTOMER:
            row.problem("ula_covers", f"{entity} is not a known customer", "OSR-11")
    return parsed


def _new_organization(
    row: Row, customer_id: str, kind_of: Callable[[str], OrganizationKind | None]
) -> Organization | None:
    """A customer organisation to create for an unknown ``customer_id`` (OSR-18)."""
    if not (row.given("name") and row.given("country")):
        row.problem(
            "customer_id",
            f"{customer_id} is not a known organisation; give name and country to create it",
        )
        return None
    parent = row.text("parent_id", required=False)
    if parent is not None and kind_of(parent) is not OrganizationKind.CUSTOMER:
        row.problem(
            "parent_id", f"{parent} is not a known customer (earlier in the file)", "OSR-18"
        )
        return None
    ownership = row.amount("ownership_percent", 2) if row.given("ownership_percent") else None
    try:
        return Organization(
            id=OrganizationId(customer_id),
            name=row.cells["name"],
            country=row.cells["country"],
            kind=OrganizationKind.CUSTOMER,
            partner_type=PartnerType.CUSTOMER,
            parent_id=OrganizationId(parent) if parent else None,
            ownership_percent=(ownership or Decimal(100)) if parent else None,
        )
    except AllianceError as error:
        row.problem(error.field or "customer_id", error.message, error.rule or "X-7")
        return None
