"""MCPP evaluation end to end: facts staged through the facts store, designations evaluated
in the batch engine (and on the domain for enrolled partners), outcomes saved with their
definition version and explanation, on SQLite and PostgreSQL (MCPP-2, MCPP-8, X-3, X-5)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from evaluation_facts import (
    SYSTEM,
    UowFactory,
    data_ai_at_85_without_deployments,
    given,
    infrastructure_at_70,
    infrastructure_from_2026,
    mcpp_tables,
    named,
    stage,
)
from sqlalchemy import func, select

from alliance.domain.access import Actor, ActorKind
from alliance.domain.errors import BusinessRuleViolation, Forbidden, InvalidInput, NotFound
from alliance.domain.ids import OrganizationId
from alliance.domain.outcomes import Outcome, RunKey, Subject
from alliance.domain.scoring import Enrolment, PartnerFacts, evaluate_scorecard
from alliance.programs.registry import ProgramRegistry
from alliance.services.evaluation.enrolment import enrol_designations
from alliance.services.evaluation.evaluators import EvaluationInput
from alliance.services.evaluation.mcpp import McppEvaluator
from alliance.services.evaluation.ports import EnrolmentRecord
from alliance.services.evaluation.runs import EvaluationSummary, evaluate
from alliance.services.scorecard_terms import terms_from_program
from alliance.store.tier_outcome_tables import tier_outcome_runs, tier_outcomes

PROGRAMS = ProgramRegistry.load(None)
VERSION = PROGRAMS.get("mcpp").version


def run(uow_factory: UowFactory, as_of: date) -> EvaluationSummary:
    return evaluate(uow_factory(), SYSTEM, PROGRAMS, "mcpp", as_of)


def outcome(uow_factory: UowFactory, as_of: date, partner: str, area: str) -> Outcome:
    with uow_factory() as uow:
        found = uow.tier_outcomes.outcomes(
            RunKey("mcpp", VERSION, as_of), partner_ids=[partner], subject=Subject.AREA
        )
    return next(o for o in found if o.subject_id == area)


def reasons(o: Outcome) -> list[str]:
    return [str(r) for r in o.explanation.reasons]


def test_exactly_70_qualifies_and_85_with_a_zero_metric_does_not(uow_factory: UowFactory) -> None:
    """MCPP-2, MCPP-8: 70 with every metric above zero qualifies (enrol within 30 days); 85
    without a deployment does not, and the explanation says the cheapest way out (X-3)."""
    stage(
        uow_factory,
        mcpp_tables(
            [
                named("org_seventy", infrastructure_at_70()),
                named("org_eightyfive", data_ai_at_85_without_deployments()),
            ]
        ),
    )
    summary = run(uow_factory, date(2026, 6, 17))
    assert summary.written
    assert summary.run.key == RunKey("mcpp", "2026.1", date(2026, 6, 17))
    assert summary.run.partners == 2
    assert summary.results == {"in_progress": 11, "qualified": 1}  # 2 partners × 6 areas

    seventy = outcome(uow_factory, date(2026, 6, 17), "org_seventy", "infrastructure")
    assert (seventy.result, seventy.score, seventy.until) == ("qualified", 70, date(2026, 7, 17))
    assert not seventy.held  # qualified is not designated until the partner enrols
    assert seventy.definition_version == "2026.1"
    assert "qualifies on 2026-06-17; enrol (fee 4,730.00 USD a year, every area) by 2026-07-17" in (
        seventy.explanation.reasons[-1].message
    )
    assert any("2 × 10 = 20 points" in r for r in reasons(seventy))  # the facts that counted

    eighty_five = outcome(uow_factory, date(2026, 6, 17), "org_eightyfive", "data_ai")
    assert (eighty_five.result, eighty_five.score) == ("in_progress", Decimal(85))
    assert any(
        "every metric must be above 0" in r and "[MCPP-8]" in r for r in reasons(eighty_five)
    )
    assert [s.message for s in eighty_five.explanation.steps] == ["1 more deployments: +2 points"]
    security = outcome(uow_factory, date(2026, 6, 17), "org_eightyfive", "security")
    assert security.explanation.gap == Decimal(70)
    assert security.explanation.next_threshold == "70 points"


def test_window_edges_and_the_30_days_to_enrol(uow_factory: UowFactory) -> None:
    """MCPP-8: one qualifying day in the window is enough; qualified until 30 days after the
    last qualifying day; the window starts on the first day of the month 5 months back —
    and every status equals the domain reference."""
    edge = named("org_edge", infrastructure_from_2026(az_104_retired_on=date(2026, 1, 2)))
    lapse = named("org_lapse", infrastructure_from_2026(az_104_retired_on=date(2026, 3, 1)))
    stage(uow_factory, mcpp_tables([edge, lapse]))
    for day in (date(2026, 3, 30), date(2026, 3, 31), date(2026, 6, 30), date(2026, 7, 1)):
        run(uow_factory, day)

    on_time = outcome(uow_factory, date(2026, 3, 30), "org_lapse", "infrastructure")
    assert (on_time.result, on_time.score, on_time.until) == (
        "qualified",
        Decimal(58),
        date(2026, 3, 30),
    )
    assert on_time.details["first_qualified"] == "2025-12-01"  # the window opens 2025-10-01
    assert on_time.details["last_qualified"] == "2026-02-28"
    late = outcome(uow_factory, date(2026, 3, 31), "org_lapse", "infrastructure")
    assert late.result == "in_progress"
    assert any("did not enrol by 2026-03-30" in r for r in reasons(late))

    june = outcome(uow_factory, date(2026, 6, 30), "org_edge", "infrastructure")
    assert any(
        "qualified on 2026-01-01 but did not enrol by 2026-01-31" in r for r in reasons(june)
    )
    july = outcome(uow_factory, date(2026, 7, 1), "org_edge", "infrastructure")
    assert any(
        "did not qualify on any day from 2026-02-01 to 2026-07-01" in r for r in reasons(july)
    )

    terms = terms_from_program(PROGRAMS.get("mcpp"))
    for day in (date(2026, 3, 30), date(2026, 3, 31), date(2026, 6, 30), date(2026, 7, 1)):
        for partner in (edge, lapse):
            reference = evaluate_scorecard(terms, partner, day)
            for area in reference.areas:
                stored = outcome(uow_factory, day, partner.partner_id, area.area)
                assert stored.result == area.status.value, (day, partner.partner_id, area.area)
                assert stored.score == area.score.total
                assert stored.until == area.enrol_by
                assert stored.explanation.steps == area.explanation.steps


def test_a_designation_is_kept_until_the_anniversary(uow_factory: UowFactory) -> None:
    """MCPP-8: enrolled on 2026-02-10, the score drops to 58 on 2026-03-01; the
    designation holds until 2027-02-10, renewal due from 2027-02-01, gone after."""
    partner: PartnerFacts = named(
        "org_enrolled", infrastructure_from_2026(az_104_retired_on=date(2026, 3, 1))
    )
    stage(uow_factory, mcpp_tables([partner]))
    enrolment = Enrolment(date(2026, 2, 10), date(2027, 2, 10), frozenset({"infrastructure"}))
    with uow_factory() as uow:
        assert uow.tier_outcomes.add_enrolment(EnrolmentRecord("mcpp", "org_enrolled", enrolment))
        assert not uow.tier_outcomes.add_enrolment(
            EnrolmentRecord("mcpp", "org_enrolled", enrolment)
        )  # the same enrolment twice is one
        uow.commit()
    for day in (date(2026, 11, 30), date(2027, 2, 1), date(2027, 2, 11)):
        run(uow_factory, day)

    held = outcome(uow_factory, date(2026, 11, 30), "org_enrolled", "infrastructure")
    assert (held.result, held.held, held.score, held.until) == (
        "enrolled",
        True,
        Decimal(58),
        date(2027, 2, 10),
    )
    assert any("held until the anniversary 2027-02-10" in r for r in reasons(held))
    due = outcome(uow_factory, date(2027, 2, 1), "org_enrolled", "infrastructure")
    assert (due.result, due.held) == ("enrolled_renewal_due", True)
    assert any("not renewable yet" in r for r in reasons(due))
    gone = outcome(uow_factory, date(2027, 2, 11), "org_enrolled", "infrastructure")
    assert (gone.result, gone.held) == ("in_progress", False)

    with uow_factory() as uow:
        public = uow.tier_outcomes.latest(
            "mcpp", ["org_enrolled"], on_or_before=date(2027, 2, 5), held_only=True
        )
        history = uow.tier_outcomes.history(
            "mcpp", "org_enrolled", subject=Subject.AREA, before=date(2028, 1, 1)
        )
    assert [(o.as_of, o.subject_id, o.result) for o in public] == [
        (date(2027, 2, 1), "infrastructure", "enrolled_renewal_due")
    ]
    infrastructure = [(o.as_of, o.result) for o in history if o.subject_id == "infrastructure"]
    assert infrastructure == [
        (date(2026, 11, 30), "enrolled"),
        (date(2027, 2, 1), "enrolled_renewal_due"),
        (date(2027, 2, 11), "in_progress"),
    ]


def _rows(uow_factory: UowFactory) -> tuple[int, int]:
    with uow_factory() as uow:
        session = uow.session  # type: ignore[attr-defined]
        runs = session.execute(select(func.count()).select_from(tier_outcome_runs)).scalar_one()
        rows = session.execute(select(func.count()).select_from(tier_outcomes)).scalar_one()
    return int(runs), int(rows)


def test_a_rerun_is_idempotent_and_new_facts_replace_the_run(uow_factory: UowFactory) -> None:
    """X-5: the same program, version and date again writes nothing; after new facts the
    run is replaced — the same number of rows, never duplicates."""
    stage(uow_factory, mcpp_tables([named("org_seventy", infrastructure_at_70())]), key="first")
    first = run(uow_factory, date(2026, 6, 17))
    again = run(uow_factory, date(2026, 6, 17))
    assert (first.written, again.written, again.replaced) == (True, False, 0)
    assert again.run.fingerprint == first.run.fingerprint
    assert _rows(uow_factory) == (1, 6)

    stage(
        uow_factory,
        mcpp_tables([named("org_eightyfive", data_ai_at_85_without_deployments())]),
        key="second",
    )
    changed = run(uow_factory, date(2026, 6, 17))
    assert (changed.written, changed.replaced, changed.run.partners) == (True, 6, 2)
    assert _rows(uow_factory) == (1, 12)


def test_progress_is_reported_and_bad_requests_are_refused(uow_factory: UowFactory) -> None:
    seen: list[str] = []
    with pytest.raises(InvalidInput, match="no facts to evaluate program mcpp"):
        evaluate(uow_factory(), SYSTEM, PROGRAMS, "mcpp", date(2026, 6, 17))
    with pytest.raises(NotFound, match="no program with code 'nope'"):
        evaluate(uow_factory(), SYSTEM, PROGRAMS, "nope", date(2026, 6, 17))
    with pytest.raises(InvalidInput, match="cannot be evaluated"):
        evaluate(uow_factory(), SYSTEM, PROGRAMS, "opn", date(2026, 6, 17))
    member = Actor(ActorKind.MEMBER, label="someone")
    with pytest.raises(Forbidden):
        evaluate(uow_factory(), member, PROGRAMS, "mcpp", date(2026, 6, 17))

    stage(
        uow_factory, mcpp_tables([named("org_lapse", infrastructure_from_2026(date(2026, 3, 1)))])
    )
    evaluate(
        uow_factory(),
        SYSTEM,
        PROGRAMS,
        "mcpp",
        date(2026, 3, 30),
        progress=lambda stage_, done, total: seen.append(f"{stage_} {done}/{total}"),
    )
    assert "scores of the day 1/1" in seen
    assert any(s.startswith("qualification window") for s in seen)
    assert seen[-1] == "saving 6/6"


def test_the_batch_window_equals_the_domain_replay() -> None:
    """MCPP-8: the window replayed in the batch engine on the union of the partners' change
    days gives the same first and last qualifying days, hence the same outcomes, as the
    replay on the domain."""
    partners = [
        named("org_edge", infrastructure_from_2026(az_104_retired_on=date(2026, 1, 2))),
        named("org_lapse", infrastructure_from_2026(az_104_retired_on=date(2026, 3, 1))),
        named("org_eightyfive", data_ai_at_85_without_deployments()),
    ]
    facts = given(mcpp_tables(partners))
    day = date(2026, 3, 30)
    definition = PROGRAMS.get("mcpp")
    on_domain = McppEvaluator().evaluate(EvaluationInput(definition, facts, day))
    in_batch = McppEvaluator(domain_replay_limit=0).evaluate(
        EvaluationInput(definition, facts, day)
    )
    assert in_batch == on_domain
    assert {
        (o.partner_id, o.subject_id): o.result for o in in_batch if o.result != "in_progress"
    } == {("org_lapse", "infrastructure"): "qualified"}


def test_enrolling_designates_the_qualified_areas_until_the_anniversary(
    uow_factory: UowFactory,
) -> None:
    """MCPP-8: org_lapse qualified until 2026-03-30 (30 days after 2026-02-28) enrols on
    that day; the next evaluations keep Infrastructure designated, score 58 or not, until
    2027-03-30. A day late is refused; enrolling twice is one enrolment (X-5); another
    partner's people may not enrol it (X-6)."""
    stage(
        uow_factory, mcpp_tables([named("org_lapse", infrastructure_from_2026(date(2026, 3, 1)))])
    )
    run(uow_factory, date(2026, 3, 30))
    with pytest.raises(BusinessRuleViolation, match="no qualified area to enrol in on 2026-03-31"):
        enrol_designations(uow_factory(), SYSTEM, PROGRAMS, "mcpp", "org_lapse", date(2026, 3, 31))
    other = Actor(ActorKind.MEMBER, organization_id=OrganizationId("org_other"), label="x")
    with pytest.raises(Forbidden):
        enrol_designations(uow_factory(), other, PROGRAMS, "mcpp", "org_lapse", date(2026, 3, 30))
    own = Actor(ActorKind.MEMBER, organization_id=OrganizationId("org_lapse"), label="admin")
    first = enrol_designations(uow_factory(), own, PROGRAMS, "mcpp", "org_lapse", date(2026, 3, 30))
    assert first.added and first.enrolment == Enrolment(
        date(2026, 3, 30), date(2027, 3, 30), frozenset({"infrastructure"})
    )
    again = enrol_designations(uow_factory(), own, PROGRAMS, "mcpp", "org_lapse", date(2026, 3, 30))
    assert not again.added
    run(uow_factory, date(2026, 11, 30))
    kept = outcome(uow_factory, date(2026, 11, 30), "org_lapse", "infrastructure")
    assert (kept.result, kept.held, kept.score, kept.until) == (
        "enrolled",
        True,
        Decimal(58),
        date(2027, 3, 30),
    )
