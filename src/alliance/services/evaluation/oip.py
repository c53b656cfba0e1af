"""OIP earned statuses of every member on a day, and what they cost (OIP-1 … OIP-7).

The status of every member is computed in the batch engine
(:func:`alliance.batch.oip_statuses.evaluate_statuses`): the counted revenue of the 6 full
months before the member's last evaluation date (1 January / 1 July, or from the
membership start; OIP-3) — recurring revenue, never service-access fees or minutes
(OIP-2) — against each status's threshold × months (OIP-4). The status holds until the day
before the next evaluation. The explanation (X-3) gives the counted total and its monthly
average, what was left out, the evaluation date and window, the gap to the next status
with the revenue that closes it, and the duties (OIP-5) and benefits (OIP-6) of the status
(domain rules, per member).

Costs (what-if): for the last semester that has ended on ``as_of``, the Premium back-margin
(OIP-7: the rate on the counted VoIP revenue of operators holding a qualifying status on
the semester's first day) and the Ambassador commissions (OIP-1: the rate on the revenue
billed to their customers, month by month) — each payout rounded half-up once (X-1).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from decimal import Decimal

import pyarrow as pa
import pyarrow.compute as pc

from alliance.batch.oip_statuses import evaluate_statuses
from alliance.domain.calendar import Month, PeriodKind, period_containing
from alliance.domain.explanations import Explanation, Reason, Step, plain
from alliance.domain.money import Money, sum_money
from alliance.domain.outcomes import Outcome, Rank, Subject
from alliance.domain.rounding import round_half_up
from alliance.domain.scoring.quotients import quotient
from alliance.domain.statuses import (
    EarnedStatusTerms,
    RateTerms,
    StatusTerms,
    benefit_reasons,
    due_items,
)
from alliance.programs.schema import ProgramDefinition
from alliance.services.evaluation.evaluators import EvaluationInput, IncentiveCost, register
from alliance.services.status_terms import statuses_from_program
from alliance.services.tier_facts.ports import FactKind


class OipEvaluator:
    """The evaluator of ``statuses`` programs (OIP)."""

    kind = "statuses"

    def evaluate(self, given: EvaluationInput) -> list[Outcome]:
        definition = given.definition
        terms = statuses_from_program(definition)
        members = given.facts.table(FactKind.MEMBERS)
        revenue = given.facts.table(FactKind.REVENUE)
        given.report("statuses", 0, 1)
        table = evaluate_statuses(given.as_of, terms, members, revenue)
        sold = _product_lines(revenue)
        outcomes = []
        for row in table.to_pylist():
            outcomes.append(
                _outcome(definition.code, definition.version, given.as_of, terms, row, sold)
            )
        given.report("statuses", 1, 1)
        return sorted(outcomes, key=lambda o: o.key)

    def costs(self, given: EvaluationInput, outcomes: list[Outcome]) -> list[IncentiveCost]:
        terms = statuses_from_program(given.definition)
        members = given.facts.table(FactKind.MEMBERS)
        revenue = given.facts.table(FactKind.REVENUE)
        semester = period_containing(PeriodKind.SEMESTER, given.as_of).previous()
        months = [m.label for m in semester.months()]
        costs = []
        if terms.back_margin is not None:
            opening = evaluate_statuses(semester.start, terms, members, revenue)
            eligible = [
                row["partner_id"]
                for row in opening.select(["partner_id", "member_type", "status"]).to_pylist()
                if _eligible(terms.back_margin, row["member_type"], row["status"])
            ]
            paid = _payouts(
                revenue, terms.back_margin, eligible, months, terms.currency, per_month=False
            )
            costs.append(
                IncentiveCost(
                    "back_margin",
                    semester.label,
                    sum_money(paid.values(), terms.currency),
                    len([a for a in paid.values() if a.amount]),
                    f"{plain(terms.back_margin.rate * 100)} % of "
                    f"{terms.back_margin.product_line or 'counted'} revenue of {semester.label} "
                    f"for {', '.join(terms.back_margin.statuses) or 'every status'} on "
                    f"{semester.start} (OIP-7)",
                )
            )
        if terms.commission is not None:
            types = terms.commission.member_types or ("ambassador",)
            ambassadors = [
                row["partner_id"]
                for row in members.select(["partner_id", "member_type"]).to_pylist()
                if row["member_type"] in types
            ]
            paid = _payouts(
                revenue, terms.commission, ambassadors, months, terms.currency, per_month=True
            )
            costs.append(
                IncentiveCost(
                    "commission",
                    semester.label,
                    sum_money(paid.values(), terms.currency),
                    len([a for a in paid.values() if a.amount]),
                    f"{plain(terms.commission.rate * 100)} % of the revenue billed to "
                    f"{', '.join(types)} customers, month by month in {semester.label} (OIP-1)",
                )
            )
        return costs

    def rank(self, definition: ProgramDefinition) -> Rank:
        ranks = {s.id: s.rank for s in statuses_from_program(definition).statuses}
        return lambda outcome: ranks.get(outcome.result, 0)

    def not_costed(self) -> str:
        return "benefits without an amount (OIP-6) and promotions (OIP-7, OIP-8) are not costed"


def _eligible(rate: RateTerms, member_type: str, status: str) -> bool:
    return (not rate.member_types or member_type in rate.member_types) and (
        not rate.statuses or status in rate.statuses
    )


def _payouts(
    revenue: pa.Table,
    rate: RateTerms,
    partner_ids: Iterable[str],
    months: list[str],
    currency: str,
    *,
    per_month: bool,
) -> dict[str, Money]:
    """Each partner's payout: ``rate`` × its counted revenue of ``months``, rounded half-up
    to the cent once per payout (per month for commissions; X-1)."""
    ids = pa.array(sorted(set(partner_ids)), pa.string())
    mask = pc.and_(
        pc.is_in(revenue.column("partner_id"), value_set=ids),
        pc.and_(
            pc.is_in(revenue.column("month"), value_set=pa.array(months, pa.string())),
            pc.is_in(
                revenue.column("kind"),
                value_set=pa.array(sorted(k.value for k in rate.counted), pa.string()),
            ),
        ),
    )
    if rate.product_line is not None:
        mask = pc.and_(mask, pc.equal(revenue.column("product_line"), rate.product_line))
    lines = revenue.filter(mask)
    keys = ["partner_id", "month"] if per_month else ["partner_id"]
    sums = lines.group_by(keys).aggregate([("amount", "sum")])
    out: dict[str, Money] = {}
    for row in sums.to_pylist():
        exact: Decimal = row["amount_sum"] * rate.rate
        amount = Money(round_half_up(exact, 2), currency)
        pid = str(row["partner_id"])
        out[pid] = out[pid] + amount if pid in out else amount
    return out


def _product_lines(revenue: pa.Table) -> dict[str, set[str]]:
    pairs = (
        revenue.select(["partner_id", "product_line"])
        .group_by(["partner_id", "product_line"])
        .aggregate([])
    )
    out: dict[str, set[str]] = {}
    for pid, line in zip(
        pairs.column("partner_id").to_pylist(),
        pairs.column("product_line").to_pylist(),
        strict=True,
    ):
        if line:
            out.setdefault(pid, set()).add(line)
    return out


def _outcome(
    code: str,
    version: str,
    as_of: date,
    terms: EarnedStatusTerms,
    row: dict[str, object],
    sold: dict[str, set[str]],
) -> Outcome:
    partner_id = str(row["partner_id"])
    member_type = str(row["member_type"])
    status = terms.status(str(row["status"]))
    next_id = row["next_status"]
    following: StatusTerms | None = terms.status(str(next_id)) if next_id is not None else None
    total = Decimal(str(row["counted_total"]))
    months = int(str(row["months"]))
    evaluated_on = row["evaluated_on"]
    until = row["valid_until"]
    assert isinstance(evaluated_on, date) and isinstance(until, date)
    average = quotient(total, Decimal(months))
    currency = terms.currency
    measure = terms.measure(member_type)
    counted = ", ".join(sorted(k.value for k in measure.counted))
    last = Month.containing(evaluated_on).previous()
    first = last.shift(-(months - 1))
    fees = Money(Decimal(str(row["access_fees_excluded"])), currency)
    minutes = Money(Decimal(str(row["minutes_excluded"])), currency)
    reasons = [
        Reason(
            "OIP-2",
            f"counted ({counted}): {Money(total, currency)} over {months} months, "
            f"{Money(average, currency).rounded()} a month; service-access fees and minutes "
            f"never count ({fees} of fees and {minutes} of minutes left out)",
        ),
        Reason("OIP-3", f"evaluated on {evaluated_on} from {first} to {last}; valid until {until}"),
        Reason(
            "OIP-4",
            f"{status.name} needs {status.thresholds[member_type]} a month for {member_type}s",
        ),
    ]
    due = due_items(status, member_type, sold.get(partner_id, ()))
    reasons += [Reason("OIP-5", f"duty: {duty.name} [{key}]") for key, duty in due]
    reasons += benefit_reasons(status, member_type)
    summary = f"{status.name} ({member_type}) since {evaluated_on}, until {until}"
    details = {
        "member_type": member_type,
        "evaluated_on": evaluated_on.isoformat(),
        "counted_total": str(total),
        "months": str(months),
        "access_fees_excluded": str(fees.amount),
        "minutes_excluded": str(minutes.amount),
    }
    if following is None:
        explanation = Explanation(summary, tuple(reasons))
    else:
        need = following.thresholds[member_type]
        over_period = need * months - Money(total, currency)
        per_month = Money(quotient(over_period.amount, Decimal(months)), currency).rounded()
        details["next_status"] = following.id
        step = Step(
            "recurring_revenue",
            over_period.amount,
            per_month.amount,
            f"{over_period} more counted revenue over {months} months ({per_month} a month) "
            f"for {following.name}",
            "OIP-2",
        )
        explanation = Explanation(
            summary,
            tuple(reasons),
            per_month.amount,
            f"{following.name} ({need} a month)",
            (step,),
        )
    return Outcome(
        code,
        version,
        as_of,
        partner_id,
        Subject.STATUS,
        member_type,
        status.id,
        average,
        explanation,
        held=True,
        until=until,
        details=details,
    )


register("statuses", OipEvaluator)
