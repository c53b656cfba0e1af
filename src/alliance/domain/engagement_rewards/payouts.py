"""RWD-2…RWD-5: how much a deal pays, how, and when it can be paid.

**Amount (RWD-5)** — django-oscar's *benefit*: a rate per product family on each
qualifying line (default 5 % for OCI and SaaS, 0 % otherwise), summed exactly, then the
per-deal cap (default 50,000 USD). **Rounding, stated once (X-1):** the capped total is
rounded half-up to the currency's minor unit, and nowhere else.

**Method (RWD-3)** — the one chosen at subscription; public-sector rewards only in
partner credits. **Booking (RWD-2)** — when the opportunity changed, thresholds are
checked again and the payout recomputed, the difference explained. **Money (RWD-4)** —
blocked until an *Invoice* attachment and an active supplier account exist. **Credits
(RWD-4, CRD-4, CRD-6)** — an ``OpenLot`` in the principal's wallet, tagged with who
earned it and ``public_sector`` where it applies, keyed ``rwd:{engagement}:{version}``:
a later booking version that pays differently must reverse the earlier lot.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from enum import StrEnum
from types import MappingProxyType

from alliance.domain.credits.wallet import (
    DEFAULT_WALLET,
    PUBLIC_SECTOR_TAG,
    REWARD_TAG,
    CreditWallet,
    earned_by_tag,
)
from alliance.domain.engagement_rewards.deals import Deal, DealLine, PayoutMethod, Sector
from alliance.domain.engagement_rewards.errors import (
    InviteSupplierRegistration,
    MonetaryPayoutBlocked,
    NoRewardDue,
    WrongPayoutMethod,
)
from alliance.domain.engagement_rewards.offers import (
    DEFAULT_OFFERS,
    Pool,
    PoolStatus,
    RewardOffers,
    assess_deal,
    pool_status,
)
from alliance.domain.engagements.engagement import INVOICE, Engagement
from alliance.domain.errors import InvalidInput
from alliance.domain.ledger.commands import OpenLot
from alliance.domain.ledger.lots import Origin
from alliance.domain.ledger.postings import PostingKind
from alliance.domain.money import Money, sum_money, usd
from alliance.domain.rewards.reasons import Reason


@dataclass(frozen=True)
class PayoutRules:
    """RWD-5: ``rates`` by product family (fractions: ``0.05`` is 5 %), the rate of any
    other family, and a cap per deal (``None``: no cap)."""

    rates: Mapping[str, Decimal]
    default_rate: Decimal = Decimal(0)
    cap: Money | None = None


DEFAULT_PAYOUT_RULES = PayoutRules(
    rates=MappingProxyType({"oci": Decimal("0.05"), "saas": Decimal("0.05")}),
    default_rate=Decimal(0),
    cap=usd("50000"),
)


@dataclass(frozen=True)
class PayoutLine:
    """One line's reward, exact: ``base × rate``."""

    product: str
    family: str
    base: Money
    rate: Decimal
    reward: Money


@dataclass(frozen=True)
class PayoutCalculation:
    """The itemised amount: lines, the exact total, the cap, and the rounded result."""

    lines: tuple[PayoutLine, ...]
    uncapped: Money
    cap: Money | None
    amount: Money

    @property
    def capped(self) -> bool:
        return self.cap is not None and self.uncapped > self.cap


def _percent(rate: Decimal) -> str:
    return f"{(rate * 100).normalize():f} %"


def calculate_payout(
    lines: Iterable[DealLine], currency: str, rules: PayoutRules = DEFAULT_PAYOUT_RULES
) -> PayoutCalculation:
    """RWD-5: the rate of each line's family on its value, summed, capped, then rounded
    half-up once to the currency's minor unit (X-1)."""
    items = tuple(
        PayoutLine(line.product, line.family, line.amount, rate, line.amount * rate)
        for line in lines
        for rate in (rules.rates.get(line.family, rules.default_rate),)
    )
    uncapped = sum_money((i.reward for i in items), currency)
    capped = min(uncapped, rules.cap) if rules.cap is not None else uncapped
    return PayoutCalculation(items, uncapped, rules.cap, capped.rounded())


@dataclass(frozen=True)
class Payout:
    """What one version of a deal pays, by which method, and why."""

    engagement_id: str
    partner_id: str
    version: int
    sector: Sector
    method: PayoutMethod
    amount: Money
    calculation: PayoutCalculation | None
    reasons: tuple[Reason, ...]
    pool: PoolStatus | None = None

    @property
    def due(self) -> bool:
        return self.amount.is_positive()

    @property
    def public_sector(self) -> bool:
        return self.sector is Sector.PUBLIC

    @property
    def explanation(self) -> tuple[str, ...]:
        return tuple(str(r) for r in self.reasons)


def plan_payout(
    deal: Deal,
    method: PayoutMethod,
    *,
    offers: RewardOffers = DEFAULT_OFFERS,
    rules: PayoutRules = DEFAULT_PAYOUT_RULES,
    pool: Pool | None = None,
) -> Payout:
    """The payout of ``deal`` for a partner paid by ``method`` (RWD-1, RWD-3, RWD-5).

    For a public-sector deal, ``pool`` is the partner's pool (this deal in it or not):
    the deal is put in at its qualifying value, and pays only once the pool reaches its
    thresholds.
    """
    assessment = assess_deal(deal, method, offers)
    reasons = list(assessment.reasons)
    zero = Money.zero(deal.currency)
    status: PoolStatus | None = None
    payable = assessment.eligible
    if deal.sector is Sector.PUBLIC:
        mine = pool or Pool(deal.partner_id, deal.currency)
        if assessment.pooled:
            mine = mine.with_deal(deal.engagement_id, assessment.qualifying_value)
        else:
            mine = mine.without(deal.engagement_id)
        status = pool_status(mine, offers.public_pool.thresholds)
        reasons += status.reasons
        payable = assessment.pooled and status.eligible
        if assessment.pooled and not status.eligible:
            reasons.append(Reason("RWD-1", "pooled deals pay once the pool reaches its thresholds"))
    if not payable:
        reasons.append(Reason("RWD-1", f"no reward on this deal: {zero}"))
        return Payout(
            deal.engagement_id,
            deal.partner_id,
            deal.version,
            deal.sector,
            method,
            zero,
            None,
            tuple(reasons),
            status,
        )
    calc = calculate_payout(assessment.qualifying, deal.currency, rules)
    reasons += [
        Reason("RWD-5", f"{i.product} ({i.family}): {_percent(i.rate)} of {i.base} = {i.reward}")
        for i in calc.lines
    ]
    if calc.capped:
        reasons.append(Reason("RWD-5", f"{calc.uncapped} capped at {calc.cap} per deal"))
    reasons.append(
        Reason("X-1", f"payout {calc.amount} in {method.value}, rounded half-up to the minor unit")
    )
    return Payout(
        deal.engagement_id,
        deal.partner_id,
        deal.version,
        deal.sector,
        method,
        calc.amount,
        calc,
        tuple(reasons),
        status,
    )


@dataclass(frozen=True)
class BookingRecheck:
    """RWD-2: the payout as submitted, as booked, and the difference, explained."""

    submitted: Payout
    booked: Payout
    difference: Money
    explanation: tuple[str, ...]

    @property
    def changed(self) -> bool:
        return not self.difference.is_zero()


def recheck_at_booking(
    submitted: Deal,
    booked: Deal,
    method: PayoutMethod,
    *,
    offers: RewardOffers = DEFAULT_OFFERS,
    rules: PayoutRules = DEFAULT_PAYOUT_RULES,
    pool: Pool | None = None,
) -> BookingRecheck:
    """RWD-2: check the thresholds again on the booked deal and recompute the payout."""
    if booked.engagement_id != submitted.engagement_id or booked.version <= submitted.version:
        raise InvalidInput(
            "a booking is a later version of the same engagement's deal",
            field="version",
            rule="RWD-2",
        )
    before = plan_payout(submitted, method, offers=offers, rules=rules, pool=pool)
    after = plan_payout(booked, method, offers=offers, rules=rules, pool=pool)
    difference = after.amount - before.amount
    lines = [
        f"deal value {submitted.value} at submission (v{submitted.version}), "
        f"{booked.value} at booking (v{booked.version}) [RWD-2]"
    ]
    if before.pool is not None and after.pool is not None:
        state = {True: "reached", False: "not reached"}
        lines.append(
            f"pool thresholds {state[before.pool.eligible]} at submission, "
            f"{state[after.pool.eligible]} at booking [RWD-2]"
        )
    sign = "+" if difference.amount > 0 else ""
    lines.append(
        f"payout {before.amount} → {after.amount} ({sign}{difference})"
        if difference.amount
        else f"payout unchanged at {after.amount}"
    )
    lines += [f"at booking: {r}" for r in after.reasons]
    return BookingRecheck(before, after, difference, tuple(lines))


class SupplierAccount(StrEnum):
    """The partner's supplier account with the vendor (RWD-4)."""

    NONE = "none"
    PENDING = "pending"
    ACTIVE = "active"


def require_monetary_payout(
    payout: Payout, engagement: Engagement, supplier_account: SupplierAccount
) -> None:
    """RWD-4: refuse a monetary payout until the engagement has an *Invoice* attachment
    and the partner an active supplier account; invite it to register if it has none."""
    _check_payout(payout, PayoutMethod.MONEY)
    missing: list[str] = []
    if not engagement.has_attachment(INVOICE):
        missing.append("invoice_attachment")
    if supplier_account is not SupplierAccount.ACTIVE:
        missing.append("supplier_account")
    if not missing:
        return
    effects = (
        (InviteSupplierRegistration(payout.partner_id),)
        if supplier_account is SupplierAccount.NONE
        else ()
    )
    words = {
        "invoice_attachment": "an attachment of category Invoice on the engagement",
        "supplier_account": f"an active supplier account (now: {supplier_account.value})",
    }
    raise MonetaryPayoutBlocked(
        f"the monetary payout of {payout.amount} on {payout.engagement_id} needs "
        + " and ".join(words[m] for m in missing),
        missing=tuple(missing),
        effects=effects,
    )


def payout_key(engagement_id: str, version: int) -> str:
    """The idempotency key of a reward payout in credits (X-5)."""
    return f"rwd:{engagement_id}:{version}"


def credit_payout_command(
    payout: Payout,
    *,
    principal_id: str,
    accrued_on: date,
    membership_ends_on: date | None,
    wallet: CreditWallet = DEFAULT_WALLET,
) -> OpenLot:
    """RWD-4 / CRD-4: add the reward to the principal's credits, remembering who earned
    it and, for a public-sector deal, that it did (CRD-6); one credit per currency unit."""
    _check_payout(payout, PayoutMethod.PARTNER_CREDITS)
    tags = {REWARD_TAG, earned_by_tag(payout.partner_id)}
    if payout.public_sector:
        tags.add(PUBLIC_SECTOR_TAG)
    return OpenLot(
        idempotency_key=payout_key(payout.engagement_id, payout.version),
        owner=principal_id,
        wallet=wallet.id,
        unit=wallet.unit,
        amount=payout.amount.amount,
        accrued_on=accrued_on,
        expires_on=wallet.expires_on(accrued_on, membership_ends_on),
        origin=Origin(
            wallet.program,
            f"engagement:{payout.engagement_id}:v{payout.version}",
            frozenset(tags),
        ),
        kind=PostingKind.ACCRUE,
        memo=f"reward on {payout.engagement_id} (booking v{payout.version})",
    )


def _check_payout(payout: Payout, method: PayoutMethod) -> None:
    if payout.method is not method:
        raise WrongPayoutMethod(
            f"{payout.partner_id} is paid in {payout.method.value}, not in {method.value}"
        )
    if not payout.due:
        raise NoRewardDue(f"no reward is due on {payout.engagement_id}")
