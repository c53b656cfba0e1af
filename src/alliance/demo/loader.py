"""Load the demo data set: organisations and people into the database, facts to Parquet,
and a few logins whose passwords are printed when the demo starts; then the customer
rewards (:func:`load_rewards`): profiles, subscriptions and invoices through the reward
repositories, the usage lines through the usage import, every ended month accrued and
what has expired by today expired — so the demo shows real reward balances.
Memberships come next (:func:`~alliance.demo.memberships.load_memberships`, re-exported
here), then the facts of earned tiers (:func:`~alliance.demo.tier_facts.load_tier_facts`,
likewise); partner activity that needs memberships comes after them: engagements
(:func:`~alliance.demo.engagements.load_engagements`, re-exported here) and credit
orders (:func:`~alliance.demo.credits.load_credits`, likewise).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

import pyarrow as pa

from alliance.bootstrap import Application
from alliance.demo.credits import CreditsLoaded as CreditsLoaded
from alliance.demo.credits import load_credits as load_credits
from alliance.demo.dataset import DemoDataset
from alliance.demo.engagements import EngagementsLoaded as EngagementsLoaded
from alliance.demo.engagements import load_engagements as load_engagements
from alliance.demo.memberships import MembershipsLoaded as MembershipsLoaded
from alliance.demo.memberships import load_memberships as load_memberships
from alliance.demo.partner import demo_partner_id
from alliance.demo.tier_facts import TierFactsLoaded as TierFactsLoaded
from alliance.demo.tier_facts import load_tier_facts as load_tier_facts
from alliance.domain.access import Actor
from alliance.domain.calendar import DateRange, Month
from alliance.domain.clock import Clock
from alliance.domain.ids import OrganizationId, PersonId
from alliance.domain.organizations import Organization, OrganizationKind, PartnerType
from alliance.domain.people import PartnerRole, Person, VendorRole
from alliance.domain.rewards import (
    Customer,
    InvoiceLine,
    OrderType,
    Sector,
    Subscription,
    SubscriptionId,
    SupportInvoice,
)
from alliance.services.auth import RegisterUser, register_user
from alliance.services.imports.usage import import_usage
from alliance.services.passwords import Passwords
from alliance.services.ports import UnitOfWork
from alliance.services.reward_terms import reward_program
from alliance.services.rewards.accrual import accrue
from alliance.services.rewards.expiry import expire

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
    """A vendor program admin, a partner administrator (of the demo's own partner,
    :func:`~alliance.demo.partner.demo_partner_id`) and a customer contact."""
    orgs = dataset.organizations.to_pylist()
    partner = {"id": demo_partner_id(dataset.organizations)}
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


@dataclass(frozen=True)
class RewardsLoaded:
    """What :func:`load_rewards` did."""

    profiles: int
    subscriptions: int
    invoices: int
    usage_lines: int
    months_accrued: int
    lots: int
    expired_lots: int


def _profiles(rows: Iterable[dict[str, object]]) -> Iterable[Customer]:
    for row in rows:
        covers = row["ula_covers"]
        yield Customer(
            id=OrganizationId(str(row["customer_id"])),
            has_on_premises_support=bool(row["has_on_premises_support"]),
            has_ula=bool(row["has_ula"]),
            ula_covers=frozenset(OrganizationId(str(c)) for c in covers)
            if isinstance(covers, list)
            else frozenset(),
        )


def _optional(value: object) -> OrganizationId | None:
    return OrganizationId(str(value)) if value else None


def _subscriptions(rows: Iterable[dict[str, Any]]) -> Iterable[Subscription]:
    for row in rows:
        yield Subscription(
            id=SubscriptionId(row["subscription_id"]),
            customer_id=OrganizationId(row["customer_id"]),
            buyer_id=OrganizationId(row["buyer_id"]),
            order_type=OrderType(row["order_type"]),
            service_period=DateRange(row["service_start"], row["service_end"]),
            country=row["country"],
            sector=Sector(row["sector"]),
            enrolled=row["enrolled"],
            opted_out_on=row["opted_out_on"],
            reseller_id=_optional(row["reseller_id"]),
            has_paas_conversion_right=row["has_paas_conversion_right"],
            support_renewal_partner_id=_optional(row["support_renewal_partner_id"]),
            support_renewal_partner_authorised=row["support_renewal_partner_authorised"],
        )


def _invoices(table: pa.Table) -> list[SupportInvoice]:
    lines: dict[str, list[dict[str, Any]]] = {}
    for row in table.to_pylist():
        lines.setdefault(row["invoice_id"], []).append(row)
    return [
        SupportInvoice(
            id=invoice_id,
            customer_id=OrganizationId(rows[0]["customer_id"]),
            issued_on=rows[0]["issued_on"],
            due_on=rows[0]["due_on"],
            lines=tuple(
                InvoiceLine(r["product"], r["support_program"], r["pre_tax_amount"]) for r in rows
            ),
            tax=sum((r["tax"] for r in rows), Decimal(0)),
            currency=rows[0]["currency"],
        )
        for invoice_id, rows in lines.items()
    ]


def load_rewards(
    application: Application,
    dataset: DemoDataset,
    usage_file: Path,
    progress: Callable[[str], None] = lambda _step: None,
) -> RewardsLoaded:
    """Load the OSR facts, import the usage, accrue every ended month, expire as of today."""
    uow_factory, clock = application.uow_factory, application.clock
    system = Actor.system("demo")
    progress("customer profiles, subscriptions, invoices")
    invoices = _invoices(dataset.invoices)
    for table, build, repository in (
        (dataset.customer_profiles, _profiles, "customers"),
        (dataset.subscriptions, _subscriptions, "subscriptions"),
    ):
        for batch in table.to_batches(max_chunksize=BATCH):
            with uow_factory() as uow:
                getattr(uow.rewards, repository).add_many(list(build(batch.to_pylist())))
                uow.commit()
    for start in range(0, len(invoices), BATCH):
        with uow_factory() as uow:
            uow.rewards.invoices.add_many(invoices[start : start + BATCH])
            uow.commit()
    progress("usage lines")
    data_dir = application.settings.data_dir
    imported = import_usage(uow_factory(), system, usage_file, data_dir=data_dir, clock=clock)
    program = reward_program(application.programs)
    ended = [m for m in dataset.spec.month_list if m < Month.containing(clock.today())]
    lots = 0
    for month in ended:
        progress(f"accruing {month}")
        report = accrue(
            uow_factory(), system, month, program=program, data_dir=data_dir, clock=clock
        )
        lots += report.lots
    progress("expiring")
    expired = expire(uow_factory(), system, clock.today(), clock=clock)
    return RewardsLoaded(
        profiles=dataset.customer_profiles.num_rows,
        subscriptions=dataset.subscriptions.num_rows,
        invoices=len(invoices),
        usage_lines=imported.record.row_count,
        months_accrued=len(ended),
        lots=lots,
        expired_lots=expired.lots,
    )
