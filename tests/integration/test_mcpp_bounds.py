"""The upper bounds of the window pruning (MCPP-8, MCPP-9, MCPP-10): a metric's bound is
at least its units on every change day of the window, an area bounded below the
threshold qualified on no day, and the pruned evaluation equals the unpruned one."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

import pytest
from evaluation_facts import (
    data_ai_at_85_without_deployments,
    given,
    infrastructure_at_70,
    infrastructure_from_2026,
    mcpp_tables,
    named,
)
from hypothesis import HealthCheck, settings
from hypothesis import given as hypothesis_given
from hypothesis import strategies as st
from ibis.backends import BaseBackend
from test_batch_mcpp_scores import mcpp_terms, partner_facts

from alliance.batch.backends import duckdb_backend
from alliance.batch.mcpp_bounds import units_bounds, window_bounds
from alliance.batch.mcpp_scores import classifying_attributes, mcpp_facts, scored_metrics
from alliance.batch.tier_facts import (
    certifications_table,
    customers_table,
    deployments_table,
    partners_table,
    usage_table,
)
from alliance.domain.scoring import (
    PartnerFacts,
    change_days,
    metric_value,
    qualification_window,
    qualify,
    score_area,
)
from alliance.programs.registry import ProgramRegistry
from alliance.services.evaluation.evaluators import EvaluationInput
from alliance.services.evaluation.mcpp import McppEvaluator, area_facts

PROGRAMS = ProgramRegistry.load(None)
DAYS = [date(2025, 6, 17), date(2026, 3, 30), date(2026, 6, 17), date(2027, 1, 1)]


@pytest.fixture(scope="module")
def duckdb() -> Iterator[BaseBackend]:
    connection = duckdb_backend(threads=1)
    yield connection
    connection.disconnect()


def tables(partners: list[PartnerFacts]) -> tuple[object, ...]:
    terms = mcpp_terms()
    return (
        partners_table(partners, classifying_attributes(terms)),
        certifications_table(c for p in partners for c in p.certifications),
        customers_table(c for p in partners for c in p.customers),
        deployments_table(d for p in partners for d in p.deployments),
        usage_table(u for p in partners for u in p.usage),
    )


@st.composite
def partner_sets(draw: st.DrawFn) -> list[PartnerFacts]:
    """Random partners, and some near the threshold (qualifying on a few days only)."""
    out = [draw(partner_facts(f"org_{i}")) for i in range(draw(st.integers(1, 3)))]
    retired = draw(st.sampled_from([None, date(2026, 1, 2), date(2026, 3, 1), date(2025, 9, 1)]))
    near = draw(
        st.sampled_from(
            [
                None,
                infrastructure_at_70(),
                infrastructure_from_2026(retired),
                data_ai_at_85_without_deployments(),
            ]
        )
    )
    if near is not None:
        out.append(named("org_near", near))
    return out


SETTINGS = settings(
    max_examples=8,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


@SETTINGS
@hypothesis_given(partner_sets(), st.sampled_from(DAYS))
def test_the_bounds_hold_on_every_change_day_of_the_window(
    duckdb: BaseBackend, partners: list[PartnerFacts], day: date
) -> None:
    """MCPP-8, MCPP-10: each metric's bound ≥ its units on every change day of the window
    (the days on which units change), and an area that qualifies on one of them is never
    pruned."""
    terms = mcpp_terms()
    window = qualification_window(day, terms)
    assert window is not None
    facts = mcpp_facts(duckdb, terms, *tables(partners))  # type: ignore[arg-type]
    bounds = {
        row["partner_id"]: row
        for row in duckdb.to_pyarrow(units_bounds(facts, terms, window)).to_pylist()
    }
    may = {
        (row["partner_id"], row["area"]): row["may_qualify"]
        for row in window_bounds(window, terms, *tables(partners), backend=duckdb).to_pylist()  # type: ignore[arg-type]
    }
    retirements = [c.retires_on for m in terms.metrics.values() for c in m.certifications]
    for partner in partners:
        days = change_days(partner, window, [d for d in retirements if d is not None])
        for metric in scored_metrics(terms):
            bound = bounds[partner.partner_id][f"b__{metric.id}"]
            for on in days:
                units = metric_value(metric, partner, on).units
                assert units <= bound, (partner.partner_id, metric.id, on, units, bound)
        for area in terms.areas:
            qualifying = [on for on in days if score_area(area, terms, partner, on).qualifies]
            if qualifying:
                assert may[(partner.partner_id, area.id)], (partner.partner_id, area.id)
            # the replay on the area's own facts finds the same first and last days
            full = qualify(area, terms, partner, window)
            own = qualify(area, terms, area_facts(partner, area, terms), window)
            assert (own.first_day, own.last_day) == (full.first_day, full.last_day)


@SETTINGS
@hypothesis_given(partner_sets(), st.sampled_from(DAYS))
def test_the_pruned_evaluation_equals_the_unpruned_one(
    partners: list[PartnerFacts], day: date
) -> None:
    """MCPP-8: pruning by the bounds changes no outcome, its explanation or its dates."""
    facts = given(mcpp_tables(partners))
    definition = PROGRAMS.get("mcpp")
    pruned = McppEvaluator().evaluate(EvaluationInput(definition, facts, day))
    unpruned = McppEvaluator(prune=False).evaluate(EvaluationInput(definition, facts, day))
    assert pruned == unpruned


def test_far_below_is_pruned_and_the_near_partner_is_replayed() -> None:
    """MCPP-8 on 2026-03-30: org_lapse (Infrastructure qualified until 2026-02-28) keeps its
    replay and is qualified; an empty partner's areas are all pruned (bounds of 0)."""
    partners = [
        named("org_lapse", infrastructure_from_2026(date(2026, 3, 1))),
        PartnerFacts("org_empty", (), (), (), (), {}),
    ]
    terms = mcpp_terms()
    window = qualification_window(date(2026, 3, 30), terms)
    assert window is not None
    may = {
        (row["partner_id"], row["area"]): row["may_qualify"]
        for row in window_bounds(window, terms, *tables(partners)).to_pylist()  # type: ignore[arg-type]
    }
    assert may[("org_lapse", "infrastructure")] is True
    assert not any(v for (pid, _), v in may.items() if pid == "org_empty")
    assert len(may) == 2 * len(terms.areas)
    reference = qualify(terms.area("infrastructure"), terms, partners[0], window)
    assert reference.last_day == date(2026, 2, 28)
    facts = given(mcpp_tables(partners))
    outcomes = McppEvaluator().evaluate(
        EvaluationInput(PROGRAMS.get("mcpp"), facts, date(2026, 3, 30))
    )
    results = {(o.partner_id, o.subject_id): o.result for o in outcomes}
    assert results[("org_lapse", "infrastructure")] == "qualified"
    assert results[("org_empty", "infrastructure")] == "in_progress"
