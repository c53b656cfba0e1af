"""Paying a support invoice with rewards: which lots pay how much (OSR-10, OSR-14, OSR-18…23).

:func:`plan_invoice_payment` checks who pays (the customer's own people, or its
support-renewal partner if the customer authorised it — OSR-10), how much may be paid
(at most the pre-tax amount of the eligible lines, never tax — OSR-19, OSR-20), and which
lots may pay: lots of any entity of the invoiced customer's corporate hierarchy (OSR-18),
from any number of subscriptions (OSR-22), not expired on the payment day (OSR-14) and
not accrued after the invoice's due date (OSR-23). The ledger's
:func:`~alliance.domain.ledger.plan_redemption` then takes them earliest expiry first
(OSR-21), the last one in part. A partial payment is allowed; the rest of the invoice is
paid otherwise. The plan lists every lot it left out, with the rule that kept it out (X-3).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from enum import StrEnum

from alliance.domain.errors import InvalidInput
from alliance.domain.ids import OrganizationId
from alliance.domain.ledger import InsufficientBalance, Lot, LotRemaining, Redeem, plan_redemption
from alliance.domain.ledger.units import show
from alliance.domain.money import minor_unit
from alliance.domain.organizations import Hierarchy
from alliance.domain.rewards import exact
from alliance.domain.rewards.errors import (
    InvoiceNotEligible,
    PayerNotAuthorised,
    RedemptionExceedsPreTax,
)
from alliance.domain.rewards.invoices import SupportInvoice, redeemable_amount
from alliance.domain.rewards.reasons import Reason
from alliance.domain.rewards.subscriptions import Subscription
from alliance.domain.rewards.terms import RewardTerms
from alliance.domain.rewards.validation import enum_member, non_negative

REDEMPTION_RULE = "OSR-21"
"""The rule an ``InsufficientBalance`` cites when the usable rewards fall short."""


class PayerKind(StrEnum):
    CUSTOMER = "customer"  # the customer's own people
    SUPPORT_RENEWAL_PARTNER = "support_renewal_partner"  # on the customer's behalf (OSR-10)


@dataclass(frozen=True)
class Payer:
    """Who spends the rewards: people of customer entity ``organization_id``, or the
    support-renewal partner ``organization_id`` for the customers in ``authorised_by``."""

    kind: PayerKind
    organization_id: OrganizationId
    authorised_by: frozenset[OrganizationId] = frozenset()

    def __post_init__(self) -> None:
        object.__setattr__(self, "kind", enum_member(PayerKind, self.kind, "payer.kind"))
        object.__setattr__(self, "authorised_by", frozenset(self.authorised_by))

    @classmethod
    def customer(cls, organization_id: OrganizationId) -> Payer:
        return cls(PayerKind.CUSTOMER, organization_id)

    @classmethod
    def renewal_partner(
        cls, partner_id: OrganizationId, subscriptions: Iterable[Subscription]
    ) -> Payer:
        """``partner_id``, acting for every buyer that authorised it on a subscription."""
        buyers = frozenset(s.buyer_id for s in subscriptions if s.lets_partner_redeem(partner_id))
        return cls(PayerKind.SUPPORT_RENEWAL_PARTNER, partner_id, buyers)


@dataclass(frozen=True)
class LotPayment:
    """``amount`` taken from lot ``lot_id`` of ``owner``."""

    lot_id: str
    owner: str
    amount: Decimal
    accrued_on: date
    expires_on: date | None


@dataclass(frozen=True)
class LeftOutLot:
    """A candidate lot that could not pay the invoice, and why."""

    lot_id: str
    owner: str
    remaining: Decimal
    unit: str
    reason: Reason


@dataclass(frozen=True)
class InvoicePayment:
    """The plan to pay ``amount`` of ``invoice`` with rewards on ``as_of``.

    ``redeemable`` is the pre-tax amount of the eligible lines; ``already_redeemed`` what
    rewards had paid on it before; ``payments`` the lots taken, in the order taken.
    """

    invoice: SupportInvoice
    payer: Payer
    as_of: date
    amount: Decimal
    redeemable: Decimal
    already_redeemed: Decimal
    payments: tuple[LotPayment, ...]
    left_out: tuple[LeftOutLot, ...]

    @property
    def still_redeemable(self) -> Decimal:
        """What rewards may still pay on the invoice after this payment."""
        return self.redeemable - self.already_redeemed - self.amount

    def amounts_by_owner(self) -> dict[str, Decimal]:
        """How much each owner's rewards pay, owners in order of first use."""
        amounts: dict[str, Decimal] = {}
        for payment in self.payments:
            amounts[payment.owner] = amounts.get(payment.owner, Decimal(0)) + payment.amount
        return amounts

    def redeem_commands(self, request_id: str, terms: RewardTerms) -> tuple[Redeem, ...]:
        """One ledger ``Redeem`` per owner, keyed ``osr:redemption:{invoice}:{request}:{owner}``
        (X-5); the ledger takes the same lots, since it applies the same order and cut-offs."""
        return tuple(
            Redeem(
                idempotency_key=f"{terms.program}:redemption:{self.invoice.id}:{request_id}:{owner}",
                owner=owner,
                wallet=terms.wallet,
                unit=self.invoice.currency,
                amount=amount,
                effective_on=self.as_of,
                order=terms.redemption_order,
                accrued_on_or_before=self.invoice.due_on,
                memo=f"support invoice {self.invoice.id}",
                rule=REDEMPTION_RULE,
            )
            for owner, amount in self.amounts_by_owner().items()
        )


def plan_invoice_payment(
    invoice: SupportInvoice,
    amount_requested: Decimal | None,
    candidate_lots: Iterable[LotRemaining],
    payer: Payer,
    hierarchy: Hierarchy,
    terms: RewardTerms,
    as_of: date,
    *,
    already_redeemed: Decimal = Decimal(0),
) -> InvoicePayment:
    """Which of ``candidate_lots`` pay ``amount_requested`` of ``invoice`` (see the module
    doc); ``None`` asks for as much as the rules and the usable lots allow.

    Refusals: :class:`InvoiceNotEligible` (OSR-20), :class:`RedemptionExceedsPreTax`
    (OSR-19), :class:`PayerNotAuthorised` (OSR-10, OSR-18), and the ledger's
    ``InsufficientBalance`` when the usable lots hold less than asked, saying why lots
    were left out.
    """
    redeemable = redeemable_amount(invoice, terms)
    if redeemable == 0:
        raise _not_eligible(invoice, terms)
    places = minor_unit(invoice.currency)
    non_negative(already_redeemed, "already_redeemed", places=places)
    if already_redeemed > redeemable:
        raise InvalidInput(
            f"rewards cannot have paid {already_redeemed} of invoice {invoice.id}: at most "
            f"{redeemable} is redeemable",
            field="already_redeemed",
            rule="OSR-19",
        )
    open_amount = redeemable - already_redeemed
    company = frozenset(hierarchy.company_of(invoice.customer_id))
    owners = _owners_payer_may_use(invoice, company, payer)
    usable: list[LotRemaining] = []
    left_out: list[LeftOutLot] = []
    for lot, remaining in candidate_lots:
        if remaining <= 0:
            continue
        reason = _why_left_out(lot, invoice, company, owners, terms, as_of)
        if reason is None:
            usable.append((lot, remaining))
        else:
            left_out.append(LeftOutLot(lot.id, lot.owner, remaining, lot.unit, reason))
    available = exact.total(remaining for _, remaining in usable)
    amount = _amount_to_pay(amount_requested, open_amount, available, invoice, places)
    if amount > available or amount == 0:
        raise InsufficientBalance(
            requested=amount or open_amount,
            available=available,
            unit=invoice.currency,
            rule=REDEMPTION_RULE,
            detail=_detail(left_out, invoice.currency),
        )
    taken = plan_redemption(
        usable,
        amount,
        as_of,
        terms.redemption_order,
        accrued_on_or_before=invoice.due_on,
        unit=invoice.currency,
        rule=REDEMPTION_RULE,
    )
    return InvoicePayment(
        invoice=invoice,
        payer=payer,
        as_of=as_of,
        amount=amount,
        redeemable=redeemable,
        already_redeemed=already_redeemed,
        payments=tuple(
            LotPayment(lot.id, lot.owner, take, lot.accrued_on, lot.expires_on)
            for lot, take in taken
        ),
        left_out=tuple(left_out),
    )


def _not_eligible(invoice: SupportInvoice, terms: RewardTerms) -> InvoiceNotEligible:
    programs = sorted({line.support_program for line in invoice.lines})
    excluded = [p for p in programs if p in terms.excluded_support_programs]
    why = (
        f"its support programs ({', '.join(excluded)}) are excluded from the program"
        if excluded
        else "it has no pre-tax amount to pay"
    )
    return InvoiceNotEligible(f"rewards cannot pay invoice {invoice.id}: {why}")


def _owners_payer_may_use(
    invoice: SupportInvoice, company: frozenset[str], payer: Payer
) -> frozenset[str]:
    """OSR-18: the entities of the invoiced customer's corporate hierarchy, ``company`` —
    for a support-renewal partner, only those that authorised it (OSR-10)."""
    if payer.kind is PayerKind.CUSTOMER:
        if payer.organization_id not in company:
            raise PayerNotAuthorised(
                f"{payer.organization_id} is not in the corporate hierarchy of "
                f"{invoice.customer_id}, so cannot pay its invoice {invoice.id} with rewards",
                rule="OSR-18",
            )
        return company
    authorising = company & payer.authorised_by
    if not authorising:
        raise PayerNotAuthorised(
            f"support-renewal partner {payer.organization_id} is not authorised by "
            f"{invoice.customer_id} or its corporate hierarchy to redeem their rewards",
            rule="OSR-10",
        )
    return authorising


def _why_left_out(
    lot: Lot,
    invoice: SupportInvoice,
    company: frozenset[str],
    owners: frozenset[str],
    terms: RewardTerms,
    as_of: date,
) -> Reason | None:
    if lot.wallet != terms.wallet:
        return Reason("OSR-1", f"lot of the {lot.wallet} wallet, not {terms.wallet}")
    if lot.unit != invoice.currency:
        return Reason("X-1", f"lot in {lot.unit}, invoice in {invoice.currency}")
    if lot.owner not in company:
        return Reason("OSR-18", f"{lot.owner} is outside the invoiced customer's hierarchy")
    if lot.owner not in owners:
        return Reason("OSR-10", f"{lot.owner} did not authorise this support-renewal partner")
    if lot.accrued_on > as_of:
        return Reason("OSR-12", f"accrued on {lot.accrued_on}, after the payment day {as_of}")
    if lot.is_expired_on(as_of):
        return Reason("OSR-14", f"expired at the end of {lot.expires_on}")
    if lot.accrued_on > invoice.due_on:
        return Reason(
            "OSR-23", f"accrued on {lot.accrued_on}, after the invoice's due date {invoice.due_on}"
        )
    return None


def _amount_to_pay(
    requested: Decimal | None,
    open_amount: Decimal,
    available: Decimal,
    invoice: SupportInvoice,
    places: int,
) -> Decimal:
    """The amount to pay: as asked, within OSR-19; or, when ``None``, all it can."""
    if requested is None:
        if open_amount == 0:
            raise RedemptionExceedsPreTax(
                f"rewards have already paid all that they can of invoice {invoice.id}"
            )
        return min(open_amount, available)
    non_negative(requested, "amount", places=places)
    if requested == 0:
        raise InvalidInput("a payment with rewards is a positive amount", field="amount")
    if requested > open_amount:
        cur = invoice.currency
        excluded = invoice.pre_tax_total - open_amount
        raise RedemptionExceedsPreTax(
            f"{show(requested, cur)} requested, but rewards can pay at most "
            f"{show(open_amount, cur)} of invoice {invoice.id}: its pre-tax amount "
            f"({show(invoice.pre_tax_total, cur)}) less excluded support programs and earlier "
            f"payments ({show(excluded, cur)}), never its tax ({show(invoice.tax, cur)})"
        )
    return requested


def _detail(left_out: list[LeftOutLot], unit: str) -> str:
    """``"; 120.00 USD left out by OSR-14"`` — what was left out in ``unit``, by rule."""
    by_rule: dict[str, Decimal] = {}
    for lot in left_out:
        if lot.unit == unit:
            by_rule[lot.reason.rule] = by_rule.get(lot.reason.rule, Decimal(0)) + lot.remaining
    return "".join(
        f"; {show(value, unit)} left out by {rule}" for rule, value in sorted(by_rule.items())
    )
