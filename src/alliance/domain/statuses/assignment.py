"""Status from recurring revenue (OIP-2, OIP-4), assigned on each evaluation date (OIP-3).

The measure is the monthly average, over the ``months`` full months before the
evaluation date, of the revenue kinds the member type counts: for Ambassadors their
customers' monthly recurring revenue, for Operators their revenue — in both cases
**without service-access fees and minutes**. Months without revenue count as zero. The
status is the highest whose threshold for the member type the average reaches; it holds
until the day before the next evaluation. The explanation shows each month's counted and
excluded amounts and the gap to the next status, per month and over the period.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from alliance.domain.calendar import Month
from alliance.domain.errors import InvalidInput
from alliance.domain.explanations import Explanation, Reason, Step
from alliance.domain.facts import RevenueKind, RevenueLine
from alliance.domain.money import Money, sum_money
from alliance.domain.statuses.cadence import last_evaluation, valid_until
from alliance.domain.statuses.terms import EarnedStatusTerms, MeasureTerms, StatusTerms


@dataclass(frozen=True, slots=True)
class MonthRevenue:
    month: Month
    counted: Money
    excluded: tuple[tuple[RevenueKind, Money], ...]


@dataclass(frozen=True)
class RevenueMeasure:
    """The counted revenue of each month of the window and its monthly average."""

    months: tuple[MonthRevenue, ...]
    total: Money
    average: Money  # exact, not rounded: compared with the thresholds as is

    def excluded_total(self, kind: RevenueKind) -> Money:
        return sum_money(
            (amount for m in self.months for k, amount in m.excluded if k is kind),
            self.total.currency,
        )


def measure_revenue(
    partner_id: str,
    lines: Iterable[RevenueLine],
    months: tuple[Month, ...],
    measure: MeasureTerms,
    currency: str,
) -> RevenueMeasure:
    """The revenue ``measure`` counts for ``partner_id`` over ``months`` (OIP-2)."""
    by_month: dict[Month, list[RevenueLine]] = {m: [] for m in months}
    for line in lines:
        if line.partner_id == partner_id and line.month in by_month:
            if line.amount.currency != currency:
                raise InvalidInput(
                    f"revenue line {line.line_id or line.month} is in {line.amount.currency}, "
                    f"the program counts {currency}",
                    field="amount",
                    rule="X-1",
                )
            by_month[line.month].append(line)
    rows = []
    for month in months:
        mine = by_month[month]
        counted = sum_money((x.amount for x in mine if x.kind in measure.counted), currency)
        excluded = tuple(
            (kind, sum_money((x.amount for x in mine if x.kind is kind), currency))
            for kind in RevenueKind
            if kind not in measure.counted and any(x.kind is kind for x in mine)
        )
        rows.append(MonthRevenue(month, counted, excluded))
    total = sum_money((r.counted for r in rows), currency)
    return RevenueMeasure(tuple(rows), total, total / len(months))


@dataclass(frozen=True)
class StatusOutcome:
    partner_id: str
    member_type: str
    evaluated_on: date
    valid_until: date
    status: StatusTerms
    measure: RevenueMeasure
    next_status: StatusTerms | None
    explanation: Explanation


def evaluation_months(evaluated_on: date, months: int) -> tuple[Month, ...]:
    """The ``months`` full months before ``evaluated_on``, oldest first."""
    last = Month.containing(evaluated_on).previous()
    return tuple(last.shift(-back) for back in range(months - 1, -1, -1))


def assign_status(
    partner_id: str,
    member_type: str,
    lines: Iterable[RevenueLine],
    as_of: date,
    terms: EarnedStatusTerms,
    member_since: date | None = None,
) -> StatusOutcome:
    """The status ``partner_id`` holds on ``as_of``: the one assigned at the last
    evaluation date from the revenue before it (OIP-2 … OIP-4), explained (X-3)."""
    measure_terms = terms.measure(member_type)
    evaluated_on = last_evaluation(as_of, terms, member_since)
    months = evaluation_months(evaluated_on, measure_terms.months)
    measure = measure_revenue(partner_id, lines, months, measure_terms, terms.currency)
    ladder = [s for s in terms.statuses if member_type in s.thresholds]
    if not ladder:
        raise InvalidInput(
            f"no status has a threshold for {member_type!r}", field="member_type", rule="OIP-4"
        )
    reached = [s for s in ladder if measure.average >= s.thresholds[member_type]]
    status = reached[-1] if reached else ladder[0]
    above = [s for s in ladder if s.thresholds[member_type] > measure.average]
    next_status = above[0] if above else None
    explanation = _explain(measure_terms, measure, status, next_status, member_type, evaluated_on)
    return StatusOutcome(
        partner_id,
        member_type,
        evaluated_on,
        valid_until(as_of, terms, member_since),
        status,
        measure,
        next_status,
        explanation,
    )


def _explain(
    terms: MeasureTerms,
    measure: RevenueMeasure,
    status: StatusTerms,
    next_status: StatusTerms | None,
    member_type: str,
    evaluated_on: date,
) -> Explanation:
    counted = ", ".join(sorted(k.value for k in terms.counted))
    reasons = []
    for row in measure.months:
        left_out = "; ".join(f"{amount} {kind} not counted" for kind, amount in row.excluded)
        extra = f" ({left_out})" if left_out else ""
        reasons.append(Reason("OIP-2", f"{row.month}: {row.counted} counted{extra}"))
    reasons.append(
        Reason(
            "OIP-2",
            f"counted: {counted}; service-access fees and minutes never count. Average "
            f"{measure.average.rounded()} a month over {len(measure.months)} months "
            f"({measure.total})",
        )
    )
    reasons.append(
        Reason(
            "OIP-3",
            f"evaluated on {evaluated_on} from {measure.months[0].month} to "
            f"{measure.months[-1].month}",
        )
    )
    summary = f"{status.name} ({member_type}) since {evaluated_on}"
    if next_status is None:
        return Explanation(summary, tuple(reasons))
    need = next_status.thresholds[member_type]
    per_month = (need - measure.average).rounded()
    over_period = need * len(measure.months) - measure.total
    step = Step(
        "recurring_revenue",
        over_period.amount,
        per_month.amount,
        f"{over_period} more counted revenue over {len(measure.months)} months "
        f"({per_month} a month) for {next_status.name}",
        "OIP-2",
    )
    return Explanation(
        summary,
        tuple(reasons),
        per_month.amount,
        f"{next_status.name} ({need} a month)",
        (step,),
    )
