"""Builders for the OSR reward tests: short, with SPEC's numbers as defaults."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from alliance.domain.calendar import DateRange, Month, expiry_end_of_month_after
from alliance.domain.ids import OrganizationId
from alliance.domain.ledger import Lot, Origin
from alliance.domain.rewards import (
    Customer,
    InvoiceLine,
    LineKind,
    OrderType,
    Sector,
    Subscription,
    SubscriptionId,
    SupportInvoice,
    UsageLine,
)

DEC_2021 = Month(2021, 12)
ACME = OrganizationId("cus_acme")
TERMS_2021 = DateRange(date(2021, 1, 1), date(2023, 12, 31))


def org(name: str) -> OrganizationId:
    return OrganizationId(name)


def customer(
    name: str = "cus_acme",
    *,
    parent: str | None = None,
    ula: bool = False,
    covers: frozenset[str] = frozenset(),
    on_premises_support: bool = True,
) -> Customer:
    return Customer(
        org(name),
        parent_id=org(parent) if parent else None,
        has_on_premises_support=on_premises_support,
        has_ula=ula,
        ula_covers=frozenset(org(c) for c in covers),
    )


def subscription(
    sub_id: str = "sub_1",
    *,
    customer_id: str = "cus_acme",
    buyer: str | None = None,
    order_type: OrderType = OrderType.COMMITTED_CREDITS,
    period: DateRange = TERMS_2021,
    country: str = "FR",
    sector: Sector = Sector.COMMERCIAL,
    reseller: str | None = None,
    opted_out_on: date | None = None,
    enrolled: bool = True,
    paas_conversion: bool = False,
    renewal_partner: str | None = None,
    partner_authorised: bool = False,
) -> Subscription:
    return Subscription(
        SubscriptionId(sub_id),
        org(customer_id),
        org(buyer or customer_id),
        order_type,
        period,
        country,
        sector=sector,
        enrolled=enrolled,
        opted_out_on=opted_out_on,
        reseller_id=org(reseller) if reseller else None,
        has_paas_conversion_right=paas_conversion,
        support_renewal_partner_id=org(renewal_partner) if renewal_partner else None,
        support_renewal_partner_authorised=partner_authorised,
    )


def line(
    amount: str = "1000",
    *,
    quantity: str = "1",
    line_no: int = 1,
    sub: str = "sub_1",
    customer_id: str = "cus_acme",
    month: Month = DEC_2021,
    service: str = "compute",
    category: str = "infrastructure",
    currency: str = "USD",
    kind: LineKind = LineKind.REGULAR,
    third_party: bool = False,
    marketplace: bool = False,
    saas: bool = False,
    free_tier: bool = False,
    rack_subscription: bool = False,
    byol: bool = False,
) -> UsageLine:
    """A usage line worth ``amount`` (the unit net price) × ``quantity``."""
    return UsageLine(
        line_no,
        org(customer_id),
        SubscriptionId(sub),
        service,
        category,
        month,
        Decimal(quantity),
        Decimal(amount),
        currency,
        kind,
        third_party=third_party,
        marketplace=marketplace,
        saas=saas,
        free_tier=free_tier,
        rack_subscription=rack_subscription,
        byol=byol,
    )


def invoice(
    *lines: tuple[str, str],
    invoice_id: str = "inv_1",
    customer_id: str = "cus_acme",
    tax: str = "0",
    issued_on: date = date(2022, 3, 1),
    due_on: date = date(2022, 3, 31),
    currency: str = "USD",
) -> SupportInvoice:
    """An invoice with ``(support program, pre-tax amount)`` lines."""
    return SupportInvoice(
        invoice_id,
        org(customer_id),
        issued_on,
        due_on,
        tuple(InvoiceLine(f"{program} renewal", program, Decimal(amt)) for program, amt in lines),
        Decimal(tax),
        currency,
    )


def reward_lot(
    lot_id: str,
    amount: str,
    *,
    owner: str = "cus_acme",
    accrued_on: date = date(2021, 12, 31),
    expires_on: date | None = None,
    wallet: str = "support_rewards",
    unit: str = "USD",
) -> tuple[Lot, Decimal]:
    """A support-rewards lot with all its value left, as a redemption takes it."""
    expiry = expires_on or expiry_end_of_month_after(accrued_on, 12)
    lot = Lot(
        lot_id,
        owner,
        wallet,
        unit,
        Decimal(amount),
        accrued_on,
        expiry,
        Origin("osr", f"osr:accrual:{owner}:{accrued_on:%Y-%m}"),
    )
    return lot, Decimal(amount)
