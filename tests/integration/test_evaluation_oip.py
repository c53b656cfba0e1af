"""OIP evaluation end to end: members and revenue staged through the facts store,
statuses computed in the batch engine, saved with their explanation, on SQLite and
PostgreSQL (OIP-2 … OIP-6, X-3, X-5)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from evaluation_facts import SYSTEM, UowFactory, monthly, oip_tables, stage

from alliance.domain.calendar import Month
from alliance.domain.facts import RevenueKind
from alliance.domain.outcomes import Outcome, RunKey
from alliance.programs.registry import ProgramRegistry
from alliance.services.evaluation.runs import EvaluationSummary, evaluate

PROGRAMS = ProgramRegistry.load(None)
FIRST_HALF = [Month(2026, m) for m in range(1, 7)]
SECOND_HALF = [Month(2026, m) for m in range(7, 13)]


def run(uow_factory: UowFactory, as_of: date) -> EvaluationSummary:
    return evaluate(uow_factory(), SYSTEM, PROGRAMS, "oip", as_of)


def outcomes(uow_factory: UowFactory, as_of: date) -> dict[str, Outcome]:
    with uow_factory() as uow:
        found = uow.tier_outcomes.outcomes(RunKey("oip", "2026.1", as_of))
    return {o.partner_id: o for o in found}


def reasons(o: Outcome) -> list[str]:
    return [str(r) for r in o.explanation.reasons]


def staged(uow_factory: UowFactory) -> None:
    lines = [
        *monthly("op_premium", FIRST_HALF, 6000),  # exactly 6,000 a month: Premium
        *monthly("op_fees", FIRST_HALF, 5000),
        *monthly("op_fees", FIRST_HALF, 1000, RevenueKind.SERVICE_ACCESS_FEE),
        *monthly("op_fees", FIRST_HALF, 500, RevenueKind.MINUTES),
        *monthly("amb_access", FIRST_HALF, 500),
        *monthly("amb_access", FIRST_HALF, 2000, RevenueKind.ONE_OFF),  # not recurring
        *monthly("op_rising", SECOND_HALF, 7000),
    ]
    members = [
        ("op_premium", "operator", None),
        ("op_fees", "operator", None),
        ("amb_access", "ambassador", None),
        ("op_rising", "operator", None),
    ]
    stage(uow_factory, oip_tables(members, lines))


def test_statuses_from_revenue_net_of_access_fees_and_minutes(uow_factory: UowFactory) -> None:
    """OIP-2, OIP-4: 6,000 a month is Premium for an operator; 5,000 plus 1,000 of access
    fees and 500 of minutes is Business — fees and minutes never count; an ambassador
    counts recurring revenue only."""
    staged(uow_factory)
    summary = run(uow_factory, date(2026, 9, 15))
    assert summary.results == {"access": 1, "business": 1, "premium": 1, "starter": 1}
    got = outcomes(uow_factory, date(2026, 9, 15))

    premium = got["op_premium"]
    assert (premium.result, premium.score, premium.subject_id) == ("premium", 6000, "operator")
    assert premium.held and premium.explanation.gap is None
    assert premium.until == date(2026, 12, 31)

    fees = got["op_fees"]
    assert (fees.result, fees.score) == ("business", Decimal(5000))
    assert fees.details["access_fees_excluded"] == "6000.0000"
    assert fees.details["minutes_excluded"] == "3000.0000"
    assert any("never count" in r and "[OIP-2]" in r for r in reasons(fees))
    assert fees.explanation.gap == Decimal("1000.00")  # 6,000 − 5,000 a month to Premium
    assert fees.explanation.steps[0].units == Decimal("6000.0000")  # over the 6 months

    ambassador = got["amb_access"]
    assert (ambassador.result, ambassador.score) == ("access", Decimal(500))
    assert ambassador.explanation.gap == Decimal("1000.00")  # Business needs 1,500
    assert any("[OIP-6]" in r for r in reasons(ambassador))  # the benefits of Access
    assert any("[OIP-5]" in r for r in reasons(ambassador))  # its duties


def test_statuses_are_re_evaluated_every_6_months(uow_factory: UowFactory) -> None:
    """OIP-3: on 2026-12-31 the status still comes from January–June (evaluated on 1 July);
    on 2027-01-01 it comes from July–December and holds until 2027-06-30."""
    staged(uow_factory)
    run(uow_factory, date(2026, 12, 31))
    run(uow_factory, date(2027, 1, 1))
    december = outcomes(uow_factory, date(2026, 12, 31))["op_rising"]
    january = outcomes(uow_factory, date(2027, 1, 1))["op_rising"]
    assert (december.result, december.details["evaluated_on"]) == ("starter", "2026-07-01")
    assert any("from 2026-01 to 2026-06" in r for r in reasons(december))
    assert (january.result, january.score, january.until) == (
        "premium",
        Decimal(7000),
        date(2027, 6, 30),
    )
    assert any("evaluated on 2027-01-01 from 2026-07 to 2026-12" in r for r in reasons(january))
    with uow_factory() as uow:
        latest = uow.tier_outcomes.latest("oip", ["op_rising"])
    assert [(o.as_of, o.result) for o in latest] == [(date(2027, 1, 1), "premium")]


def test_a_rerun_writes_nothing(uow_factory: UowFactory) -> None:
    """X-5: the same program, version and date twice: one run, the same four outcomes."""
    staged(uow_factory)
    first = run(uow_factory, date(2026, 9, 15))
    again = run(uow_factory, date(2026, 9, 15))
    assert (first.written, again.written) == (True, False)
    with uow_factory() as uow:
        assert len(uow.tier_outcomes.runs("oip")) == 1
        assert len(uow.tier_outcomes.outcomes(RunKey("oip", "2026.1", date(2026, 9, 15)))) == 4
