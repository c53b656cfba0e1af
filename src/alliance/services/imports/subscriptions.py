"""Importing subscriptions (the orders rewards are earned on) from CSV: all or nothing.

Columns (one row per subscription; OSR-2…OSR-10, OSR-13):

=======================================  ========  ===========================================
``subscription_id``                      required  the subscription's id
``customer_id``                          required  the customer whose tenancy consumes
``buyer_id``                             optional  the buyer named on the order, who owns the
                                                   rewards (OSR-9); default ``customer_id``
``order_type``                           required  committed_credits, pay_as_you_go, trial,
                                                   free_tier, promotion (OSR-2)
``service_start``, ``service_end``       required  the service period, YYYY-MM-DD (OSR-13)
``country``                              required  ISO 3166-1 alpha-2 (OSR-3)
``sector``                               optional  commercial (default), public,
                                                   us_federal_public_sector (OSR-3)
``enrolled``                             optional  default true (OSR-4)
``opted_out_on``                         optional  the day the customer opted out (OSR-4)
``reseller_id``                          optional  the partner that sold it (OSR-9)
``has_paas_conversion_right``            optional  default false (OSR-6)
``support_renewal_partner_id``           optional  the partner renewing the support (OSR-10)
``support_renewal_partner_authorised``   optional  default false: may it redeem (OSR-10)
=======================================  ========  ===========================================

The customer and the buyer are customer organisations, and the buyer has a reward profile
(import customers first); resellers and support-renewal partners are partner
organisations. A changed subscription is updated and audited (X-4).
"""

from __future__ import annotations

from dataclasses import asdict
from pathlib import Path

from alliance.domain import audit
from alliance.domain.access import Actor
from alliance.domain.calendar import DateRange
from alliance.domain.clock import Clock
from alliance.domain.errors import AllianceError
from alliance.domain.ids import OrganizationId
from alliance.domain.organizations import OrganizationKind
from alliance.domain.rewards import OrderType, Sector, Subscription, SubscriptionId
from alliance.services.imports.csv_rows import CsvFile, Row
from alliance.services.imports.summary import ImportSummary
from alliance.services.ports import UnitOfWork
from alliance.services.rewards.access import require_operator

REQUIRED = (
    "subscription_id",
    "customer_id",
    "order_type",
    "service_start",
    "service_end",
    "country",
)
OPTIONAL = (
    "buyer_id",
    "sector",
    "enrolled",
    "opted_out_on",
    "reseller_id",
    "has_paas_conversion_right",
    "support_renewal_partner_id",
    "support_renewal_partner_authorised",
)


def subscription_record(subscription: Subscription) -> dict[str, object]:
    """A subscription as the audit journal keeps it: plain JSON values."""
    record = asdict(subscription)
    period = subscription.service_period
    record["service_period"] = [period.start.isoformat(), period.end.isoformat()]
    record["opted_out_on"] = (
        subscription.opted_out_on.isoformat() if subscription.opted_out_on else None
    )
    record["order_type"] = subscription.order_type.value
    record["sector"] = subscription.sector.value
    return record


def import_subscriptions(
    uow: UnitOfWork, actor: Actor, path: Path, *, clock: Clock, file_name: str | None = None
) -> ImportSummary:
    """Import the subscriptions of ``path`` (see the module doc)."""
    require_operator(actor)
    file = CsvFile(path, file_name or path.name, REQUIRED, OPTIONAL)
    rows = list(file.rows())
    with uow:
        parsed = _parse(uow, rows)
        file.raise_if_any("subscriptions")
        stored = uow.rewards.subscriptions.get_many([s.id for s in parsed])
        added = [s for s in parsed if s.id not in stored]
        updated = [s for s in parsed if s.id in stored and stored[s.id] != s]
        uow.rewards.subscriptions.add_many(added)
        uow.rewards.subscriptions.update_many(updated)
        now = clock.now()
        for sub in added:
            record = subscription_record(sub)
            uow.audit.append(
                audit.created(
                    actor, "subscription", sub.id, record, now, organization_id=sub.buyer_id
                )
            )
        for sub in updated:
            old, new = subscription_record(stored[sub.id]), subscription_record(sub)
            uow.audit.append(
                audit.changed(
                    actor, "subscription", sub.id, old, new, now, organization_id=sub.buyer_id
                )
            )
        uow.commit()
    unchanged = len(parsed) - len(added) - len(updated)
    return ImportSummary(file.file_name, "subscriptions", len(added), len(updated), unchanged)


class _Organizations:
    """What the file's ids name: kinds of organisations, and which customers have profiles."""

    def __init__(self, uow: UnitOfWork) -> None:
        self._uow = uow
        self._kinds: dict[str, OrganizationKind | None] = {}

    def kind(self, org_id: str) -> OrganizationKind | None:
        if org_id not in self._kinds:
            found = self._uow.organizations.get(OrganizationId(org_id))
            self._kinds[org_id] = found.kind if found is not None else None
        return self._kinds[org_id]

    def check(self, row: Row, field: str, org_id: str | None, kind: OrganizationKind) -> None:
        if org_id is None:
            return
        found = self.kind(org_id)
        if found is None:
            row.problem(field, f"{org_id} is not a known organisation")
        elif found is not kind:
            row.problem(field, f"{org_id} is a {found.value}, not a {kind.value}", "OSR-9")


def _parse(uow: UnitOfWork, rows: list[Row]) -> list[Subscription]:
    orgs = _Organizations(uow)
    parsed: dict[SubscriptionId, tuple[Row, Subscription]] = {}
    for row in rows:
        subscription = _subscription(row, orgs)
        if subscription is None:
            continue
        if subscription.id in parsed:
            row.problem("subscription_id", f"{subscription.id} appears more than once in the file")
            continue
        parsed[subscription.id] = (row, subscription)
    profiled = uow.rewards.customers.get_many({s.buyer_id for _, s in parsed.values()})
    for row, sub in parsed.values():
        if sub.buyer_id not in profiled:
            row.problem(
                "buyer_id",
                f"{sub.buyer_id} has no customer profile: import customers first",
                "OSR-2",
            )
    return [sub for _, sub in parsed.values()]


def _subscription(row: Row, orgs: _Organizations) -> Subscription | None:
    sub_id = row.text("subscription_id")
    customer = row.text("customer_id")
    buyer = row.text("buyer_id", required=False) or customer
    reseller = row.text("reseller_id", required=False)
    partner = row.text("support_renewal_partner_id", required=False)
    for field, org_id, kind in (
        ("customer_id", customer, OrganizationKind.CUSTOMER),
        ("buyer_id", buyer if row.given("buyer_id") else None, OrganizationKind.CUSTOMER),
        ("reseller_id", reseller, OrganizationKind.PARTNER),
        ("support_renewal_partner_id", partner, OrganizationKind.PARTNER),
    ):
        orgs.check(row, field, org_id, kind)
    order_type = row.choice("order_type", OrderType, "OSR-2")
    start, end = row.day("service_start"), row.day("service_end")
    country = row.text("country")
    sector = row.choice("sector", Sector, "OSR-3", Sector.COMMERCIAL)
    enrolled = row.flag("enrolled", True)
    opted_out_on = row.day("opted_out_on", required=False)
    paas = row.flag("has_paas_conversion_right", False)
    authorised = row.flag("support_renewal_partner_authorised", False)
    if (
        sub_id is None
        or customer is None
        or buyer is None
        or order_type is None
        or start is None
        or end is None
        or country is None
        or sector is None
        or None in (enrolled, paas, authorised)
    ):
        return None
    try:
        return Subscription(
            id=SubscriptionId(sub_id),
            customer_id=OrganizationId(customer),
            buyer_id=OrganizationId(buyer),
            order_type=order_type,
            service_period=DateRange(start, end),
            country=country,
            sector=sector,
            enrolled=bool(enrolled),
            opted_out_on=opted_out_on,
            reseller_id=OrganizationId(reseller) if reseller else None,
            has_paas_conversion_right=bool(paas),
            support_renewal_partner_id=OrganizationId(partner) if partner else None,
            support_renewal_partner_authorised=bool(authorised),
        )
    except AllianceError as error:
        row.problem(error.field or "subscription_id", error.message, error.rule or "X-7")
        return None
