"""RWD-1 / RWD-3: which deals the vendor's reward offers cover, and the public-sector pool.

The offers are a **criteria table** (django-oscar's *condition*): each criterion tests
one attribute of the deal — sector, country, order kind, deal value — or of each of its
lines — product family. A line qualifies when every criterion holds for it.

* A **commercial** deal is eligible when at least one line qualifies; the partner is
  told either way and the collaboration goes on (RWD-1).
* A **public-sector** deal is not eligible by itself: it *enters the partner's pool*
  when its lines qualify — configured countries only, new sales and extensions of the
  configured families (default OCI, SaaS) — and the partner chose credits (RWD-3).
  Once the pool reaches its thresholds (a count of deals and/or a total), the pooled
  deals become eligible (:func:`pool_status`).

Every assessment lists its reasons, and a pool below its thresholds says what is missing
(X-3).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum

from alliance.domain.engagement_rewards.deals import (
    Deal,
    DealLine,
    OrderKind,
    PayoutMethod,
    Sector,
    total_of,
)
from alliance.domain.errors import InvalidInput
from alliance.domain.ledger.lots import PUBLIC_SECTOR
from alliance.domain.money import Money, sum_money, usd
from alliance.domain.rewards.reasons import Reason


class Attribute(StrEnum):
    SECTOR = "sector"
    COUNTRY = "country"
    ORDER_KIND = "order_kind"
    PRODUCT_FAMILY = "product_family"  # tested on each line
    DEAL_VALUE = "deal_value"


class Op(StrEnum):
    IN = "in"
    NOT_IN = "not_in"
    AT_LEAST = "at_least"
    AT_MOST = "at_most"


@dataclass(frozen=True)
class Criterion:
    """``attribute op values`` (or ``deal_value op amount``), citing ``rule``.

    ``in`` an empty set matches nothing: a configurable list shipped empty (the
    public-sector countries) lets nothing through until the vendor fills it in.
    """

    attribute: Attribute
    op: Op
    values: frozenset[str] = frozenset()
    amount: Money | None = None
    rule: str = "RWD-1"

    def __post_init__(self) -> None:
        object.__setattr__(self, "values", frozenset(self.values))
        compares = self.op in (Op.AT_LEAST, Op.AT_MOST)
        if compares != (self.attribute is Attribute.DEAL_VALUE) or compares != (
            self.amount is not None
        ):
            raise InvalidInput(
                f"{self.attribute} {self.op}: only deal_value compares, with an amount",
                field="criteria",
                rule=self.rule,
            )

    def _value(self, deal: Deal, line: DealLine) -> str:
        match self.attribute:
            case Attribute.SECTOR:
                return deal.sector.value
            case Attribute.COUNTRY:
                return deal.country
            case Attribute.ORDER_KIND:
                return deal.order_kind.value
            case _:
                return line.family

    def holds(self, deal: Deal, line: DealLine) -> bool:
        if self.amount is not None:
            value = deal.value
            return value >= self.amount if self.op is Op.AT_LEAST else value <= self.amount
        found = self._value(deal, line) in self.values
        return found if self.op is Op.IN else not found

    def failure(self, deal: Deal, line: DealLine) -> Reason:
        """Why this criterion does not hold, in words."""
        if self.amount is not None:
            side = "at least" if self.op is Op.AT_LEAST else "at most"
            return Reason(self.rule, f"deal value {deal.value} is not {side} {self.amount}")
        listed = ", ".join(sorted(self.values)) or "none configured"
        where = "" if self.attribute is not Attribute.PRODUCT_FAMILY else f"{line.product}: "
        wanted = "one of" if self.op is Op.IN else "none of"
        name = self.attribute.value.replace("_", " ")
        return Reason(
            self.rule, f"{where}{name} {self._value(deal, line)!r} is not {wanted}: {listed}"
        )


@dataclass(frozen=True)
class PoolThresholds:
    """RWD-1: the pool's deals become eligible once it holds ``min_deals`` deals and/or
    ``min_total`` of value — every threshold given must be reached."""

    min_deals: int | None = None
    min_total: Money | None = None

    def __post_init__(self) -> None:
        if self.min_deals is None and self.min_total is None:
            raise InvalidInput("a pool needs a threshold", field="thresholds", rule="RWD-1")


@dataclass(frozen=True)
class PublicSectorPool:
    """RWD-1 / RWD-3: which public-sector deals enter the pool, and its thresholds."""

    criteria: tuple[Criterion, ...]
    thresholds: PoolThresholds
    payout_methods: frozenset[PayoutMethod] = frozenset({PayoutMethod.PARTNER_CREDITS})
    tag: str = PUBLIC_SECTOR


def public_sector_pool(
    countries: Iterable[str] = (),
    families: Iterable[str] = ("oci", "saas"),
    thresholds: PoolThresholds | None = None,
) -> PublicSectorPool:
    """The built-in pool: configured countries (none by default), new sales and
    extensions of OCI and SaaS, 250,000 USD of pooled value (RWD-1, RWD-3)."""
    return PublicSectorPool(
        criteria=(
            Criterion(Attribute.COUNTRY, Op.IN, frozenset(countries), rule="RWD-3"),
            Criterion(
                Attribute.ORDER_KIND,
                Op.IN,
                frozenset({OrderKind.NEW_SALE, OrderKind.EXTENSION}),
                rule="RWD-3",
            ),
            Criterion(Attribute.PRODUCT_FAMILY, Op.IN, frozenset(families), rule="RWD-3"),
        ),
        thresholds=thresholds or PoolThresholds(min_total=usd("250000")),
    )


@dataclass(frozen=True)
class RewardOffers:
    """The vendor's reward offers: criteria for commercial deals, and the pool."""

    commercial: tuple[Criterion, ...]
    public_pool: PublicSectorPool


DEFAULT_OFFERS = RewardOffers(
    commercial=(
        Criterion(
            Attribute.ORDER_KIND, Op.IN, frozenset({OrderKind.NEW_SALE, OrderKind.EXTENSION})
        ),
    ),
    public_pool=public_sector_pool(),
)
"""The built-in program's offers (its ``!configurable`` defaults)."""


class Outcome(StrEnum):
    ELIGIBLE = "eligible"  # commercial
    NOT_ELIGIBLE = "not_eligible"  # commercial
    POOLED = "pooled"  # public sector: enters the pool
    NOT_POOLED = "not_pooled"  # public sector


@dataclass(frozen=True)
class OfferAssessment:
    """What the partner is told about a deal, with the lines that qualify and why."""

    engagement_id: str
    sector: Sector
    outcome: Outcome
    qualifying: tuple[DealLine, ...]
    currency: str
    reasons: tuple[Reason, ...] = field(default=())

    @property
    def eligible(self) -> bool:
        return self.outcome is Outcome.ELIGIBLE

    @property
    def pooled(self) -> bool:
        return self.outcome is Outcome.POOLED

    @property
    def qualifying_value(self) -> Money:
        return total_of(self.qualifying, self.currency)

    @property
    def explanation(self) -> tuple[str, ...]:
        return tuple(str(r) for r in self.reasons)


def qualifying_lines(
    deal: Deal, criteria: tuple[Criterion, ...]
) -> tuple[tuple[DealLine, ...], tuple[Reason, ...]]:
    """The lines for which every criterion holds, and the reasons the others fail."""
    kept: list[DealLine] = []
    reasons: list[Reason] = []
    for line in deal.lines:
        failures = [c.failure(deal, line) for c in criteria if not c.holds(deal, line)]
        if failures:
            reasons += [r for r in failures if r not in reasons]
        else:
            kept.append(line)
    return tuple(kept), tuple(reasons)


def assess_deal(
    deal: Deal, method: PayoutMethod, offers: RewardOffers = DEFAULT_OFFERS
) -> OfferAssessment:
    """RWD-1 / RWD-3: eligible or not (commercial); pooled or not (public sector)."""
    if deal.sector is Sector.COMMERCIAL:
        lines, reasons = qualifying_lines(deal, offers.commercial)
        outcome = Outcome.ELIGIBLE if lines else Outcome.NOT_ELIGIBLE
        verdict = Reason(
            "RWD-1",
            f"commercial deal {outcome.value.replace('_', ' ')}"
            + (f" on {total_of(lines, deal.currency)}" if lines else "")
            + "; the collaboration goes on either way",
        )
        return OfferAssessment(
            deal.engagement_id, deal.sector, outcome, lines, deal.currency, (*reasons, verdict)
        )
    pool = offers.public_pool
    lines, reasons = qualifying_lines(deal, pool.criteria)
    if method not in pool.payout_methods:
        reasons += (
            Reason(
                "RWD-3",
                f"public-sector rewards go only to partners paid in partner credits; "
                f"{deal.partner_id} chose {method.value}",
            ),
        )
        lines = ()
    outcome = Outcome.POOLED if lines else Outcome.NOT_POOLED
    verdict = Reason(
        "RWD-1",
        f"public-sector deal enters the pool with {total_of(lines, deal.currency)}"
        if lines
        else "public-sector deal does not enter the pool",
    )
    return OfferAssessment(
        deal.engagement_id, deal.sector, outcome, lines, deal.currency, (*reasons, verdict)
    )


@dataclass(frozen=True)
class PooledDeal:
    engagement_id: str
    value: Money


@dataclass(frozen=True)
class Pool:
    """A partner's public-sector pool: the deals in it and their qualifying values."""

    partner_id: str
    currency: str
    deals: tuple[PooledDeal, ...] = ()

    @property
    def total(self) -> Money:
        return sum_money((d.value for d in self.deals), self.currency)

    def with_deal(self, engagement_id: str, value: Money) -> Pool:
        """This pool with ``engagement_id`` at ``value`` (replacing an earlier value)."""
        kept = tuple(d for d in self.deals if d.engagement_id != engagement_id)
        return Pool(self.partner_id, self.currency, (*kept, PooledDeal(engagement_id, value)))

    def without(self, engagement_id: str) -> Pool:
        kept = tuple(d for d in self.deals if d.engagement_id != engagement_id)
        return Pool(self.partner_id, self.currency, kept)


@dataclass(frozen=True)
class PoolStatus:
    """Whether the pool has reached its thresholds; if not, what is still missing."""

    eligible: bool
    count: int
    total: Money
    reasons: tuple[Reason, ...]

    @property
    def explanation(self) -> tuple[str, ...]:
        return tuple(str(r) for r in self.reasons)


def pool_status(pool: Pool, thresholds: PoolThresholds) -> PoolStatus:
    """RWD-1: the pooled deals become eligible once the pool reaches every threshold."""
    count, total = len(pool.deals), pool.total
    reasons: list[Reason] = []
    missing = False
    if thresholds.min_deals is not None:
        gap = thresholds.min_deals - count
        missing |= gap > 0
        reasons.append(
            Reason(
                "RWD-1",
                f"{count} deal(s) pooled, {gap} more needed to reach {thresholds.min_deals}",
            )
            if gap > 0
            else Reason(
                "RWD-1", f"{count} deal(s) pooled: count threshold {thresholds.min_deals} reached"
            )
        )
    if thresholds.min_total is not None:
        short = thresholds.min_total - total
        missing |= short.amount > Decimal(0)
        reasons.append(
            Reason("RWD-1", f"{total} pooled, {short} more needed to reach {thresholds.min_total}")
            if short.amount > 0
            else Reason("RWD-1", f"{total} pooled: value threshold {thresholds.min_total} reached")
        )
    return PoolStatus(not missing, count, total, tuple(reasons))
