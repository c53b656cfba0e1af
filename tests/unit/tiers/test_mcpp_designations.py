"""The qualification window, designation statuses, labels and the public view
(MCPP-3, MCPP-4, MCPP-6, MCPP-8)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import fields
from datetime import date
from decimal import Decimal

from tiers_fixtures import certs, customers, deployments, facts, mcpp_terms, steady_growth

from alliance.domain.calendar import DateRange, Month
from alliance.domain.scoring import (
    DesignationStatus,
    DirectoryEntry,
    Enrolment,
    LegacyHolding,
    designation_status,
    directory_entry,
    evaluate_label,
    evaluate_scorecard,
    legacy_badge,
    qualification_window,
    qualify,
)
from alliance.domain.scoring.terms import LabelKind


def infrastructure(az_104_retired_on: date | None = None) -> list[Sequence[object]]:
    """Exactly 70 points from 2026-01-01 on; 12 points of it from three AZ-104 holders."""
    return [
        customers("infrastructure", 2, date(2025, 12, 1)),
        certs("az_104", 3, date(2025, 1, 10), retired_on=az_104_retired_on),
        certs("az_305", 2, date(2025, 1, 10)),
        steady_growth("infrastructure", Month(2024, 1), 36, 20),
        deployments("infrastructure", 5, date(2025, 12, 1)),
    ]


def test_the_window_is_the_current_month_and_the_5_before_it() -> None:
    """MCPP-8: 2026-06-17 looks back to 2026-01-01; an enrolled partner's window is the
    anniversary month and the 5 before it."""
    terms = mcpp_terms()
    assert qualification_window(date(2026, 6, 17), terms) == DateRange(
        date(2026, 1, 1), date(2026, 6, 17)
    )
    anchored = qualification_window(date(2026, 9, 10), terms, anniversary=date(2026, 9, 15))
    assert anchored == DateRange(date(2026, 4, 1), date(2026, 9, 10))
    assert qualification_window(date(2026, 3, 1), terms, anniversary=date(2026, 9, 15)) is None


def test_one_qualifying_day_on_the_window_edge_is_enough() -> None:
    """MCPP-8: qualified on 2026-01-01 only (a certification retires on the 2nd): inside
    the window of June, outside the window of July."""
    terms = mcpp_terms()
    partner = facts(*infrastructure(az_104_retired_on=date(2026, 1, 2)))
    area = terms.area("infrastructure")
    june = qualify(area, terms, partner, qualification_window(date(2026, 6, 30), terms))
    assert june.qualifying_days == (date(2026, 1, 1),)
    assert june.last_day == date(2026, 1, 1)
    july = qualify(area, terms, partner, qualification_window(date(2026, 7, 1), terms))
    assert not july.qualifies
    assert july.best is not None and july.best.total == Decimal(58)


def test_a_qualifying_partner_has_30_days_to_enrol() -> None:
    """MCPP-8: qualified → enrol within 30 days of the last qualifying day, or lapse."""
    terms = mcpp_terms()
    partner = facts(*infrastructure(az_104_retired_on=date(2026, 3, 1)))
    area = terms.area("infrastructure")
    on_time = designation_status(area, terms, partner, date(2026, 3, 30))
    assert on_time.status is DesignationStatus.QUALIFIED
    assert on_time.qualification.last_day == date(2026, 2, 28)
    assert on_time.enrol_by == date(2026, 3, 30)  # the last qualifying day + 30 days
    late = designation_status(area, terms, partner, date(2026, 3, 31))
    assert late.status is DesignationStatus.IN_PROGRESS
    assert any("did not enrol by 2026-03-30" in r.message for r in late.explanation.reasons)
    assert "4,730.00 USD" in str(on_time.explanation.reasons[-1])


def test_an_enrolled_partner_keeps_the_designation_until_the_anniversary() -> None:
    """MCPP-8: the score drops after enrolment; the designation stays until the
    anniversary, renewal is due in the anniversary month, and it is gone after."""
    terms = mcpp_terms()
    partner = facts(*infrastructure(az_104_retired_on=date(2026, 3, 1)))
    area = terms.area("infrastructure")
    enrolment = Enrolment(date(2026, 2, 10), date(2027, 2, 10), frozenset({"infrastructure"}))
    enrolled = designation_status(area, terms, partner, date(2026, 11, 30), enrolment)
    assert enrolled.status is DesignationStatus.ENROLLED
    assert enrolled.score.total == Decimal(58)
    assert enrolled.holds_designation
    assert enrolled.designated_until == date(2027, 2, 10)
    due = designation_status(area, terms, partner, date(2027, 2, 1), enrolment)
    assert due.status is DesignationStatus.ENROLLED_RENEWAL_DUE
    assert due.qualification.window == DateRange(date(2026, 9, 1), date(2027, 2, 1))
    assert not due.qualification.qualifies
    assert any("not renewable yet" in r.message for r in due.explanation.reasons)
    after = designation_status(area, terms, partner, date(2027, 2, 11), enrolment)
    assert after.status is DesignationStatus.IN_PROGRESS
    assert not after.holds_designation


def test_a_renewal_qualifies_in_the_anchored_window() -> None:
    terms = mcpp_terms()
    partner = facts(*infrastructure())
    enrolment = Enrolment(date(2026, 2, 10), date(2027, 2, 10), frozenset({"infrastructure"}))
    due = designation_status(
        terms.area("infrastructure"), terms, partner, date(2027, 2, 5), enrolment
    )
    assert due.status is DesignationStatus.ENROLLED_RENEWAL_DUE
    assert due.qualification.first_day == date(2026, 9, 1)
    assert any("renews" in r.message for r in due.explanation.reasons)


def test_scorecard_covers_the_six_areas_and_lists_designations() -> None:
    """MCPP-1: six areas; MCPP-5: each with score and explanation."""
    terms = mcpp_terms()
    partner = facts(*infrastructure())
    enrolment = Enrolment(date(2026, 2, 10), date(2027, 2, 10), frozenset({"infrastructure"}))
    card = evaluate_scorecard(terms, partner, date(2026, 6, 17), enrolment)
    assert [o.area for o in card.areas] == [
        "data_ai",
        "infrastructure",
        "digital_app_innovation",
        "business_applications",
        "modern_work",
        "security",
    ]
    assert card.designations == ("infrastructure",)
    assert card.area("security").status is DesignationStatus.IN_PROGRESS
    assert card.area("security").explanation.gap == Decimal(70)


def test_public_directory_shows_designations_never_scores() -> None:
    """MCPP-6: customers see the areas a partner is designated in — no score field."""
    terms = mcpp_terms()
    enrolment = Enrolment(date(2026, 2, 10), date(2027, 2, 10), frozenset({"infrastructure"}))
    card = evaluate_scorecard(terms, facts(*infrastructure()), date(2026, 6, 17), enrolment)
    entry = directory_entry(card, terms.designation_name)
    assert entry == DirectoryEntry("org_acme", "Solutions Partner", ("Infrastructure (Azure)",))
    names = {f.name for f in fields(DirectoryEntry)}
    assert names == {"partner_id", "designation", "areas", "labels"}
    forbidden = ("score", "total", "point", "gap", "explanation", "metric")
    assert not any(word in name for name in names for word in forbidden)


def test_specialization_needs_the_designation_and_its_own_requirements() -> None:
    """MCPP-3: Kubernetes on Azure — designation, 3 deployments, accepted evidence."""
    terms = mcpp_terms()
    label = next(lb for lb in terms.labels if lb.id == "kubernetes_on_azure")
    partner = facts(deployments("digital_app_innovation", 2, date(2026, 5, 1)))
    missing = evaluate_label(label, terms, partner, date(2026, 6, 17), designations=())
    assert not missing.held
    messages = [r.message for r in missing.explanation.reasons]
    assert messages[0] == "lacks the digital_app_innovation designation"
    assert messages[1].endswith("2 of 3 — 1 more needed")
    more = facts(deployments("digital_app_innovation", 3, date(2026, 5, 1)))
    held = evaluate_label(
        label,
        terms,
        more,
        date(2026, 6, 17),
        designations=("digital_app_innovation",),
        accepted=("kubernetes_on_azure",),
    )
    assert held.held


def test_legacy_badges_display_one_year_after_the_cut_off() -> None:
    """MCPP-4: renew by 2022-09-30, display until 2023-09-30; never granted after."""
    terms = mcpp_terms()
    gold = next(lb for lb in terms.labels if lb.id == "legacy_gold")
    assert gold.kind is LabelKind.LEGACY_BADGE
    holding = LegacyHolding("legacy_gold", date(2022, 9, 30))
    assert legacy_badge(gold, holding, date(2023, 9, 30)).held
    assert not legacy_badge(gold, holding, date(2023, 10, 1)).held
    late = legacy_badge(gold, LegacyHolding("legacy_gold", date(2022, 10, 1)), date(2022, 10, 2))
    assert not late.held
    assert "after the cut-off 2022-09-30" in late.explanation.reasons[0].message
    assert not legacy_badge(gold, None, date(2022, 9, 1)).held


def test_an_enrolled_partner_adds_a_newly_qualified_area_without_a_new_fee() -> None:
    """MCPP-8: one fee covers every designation."""
    terms = mcpp_terms()
    enrolment = Enrolment(date(2026, 2, 10), date(2027, 2, 10), frozenset({"security"}))
    outcome = designation_status(
        terms.area("infrastructure"),
        terms,
        facts(*infrastructure()),
        date(2026, 6, 17),
        enrolment,
    )
    assert outcome.status is DesignationStatus.QUALIFIED
    assert "already enrolled: no further fee" in outcome.explanation.reasons[-1].message


def test_a_program_may_drop_the_designation_when_the_score_drops() -> None:
    """MCPP-8's "kept until the anniversary" is the built-in's choice; switched off, an
    enrolled area that no longer qualifies in the window is back in progress."""
    from dataclasses import replace

    terms = replace(mcpp_terms(), kept_until_anniversary=False)
    partner = facts(*infrastructure(az_104_retired_on=date(2026, 3, 1)))
    enrolment = Enrolment(date(2026, 2, 10), date(2027, 2, 10), frozenset({"infrastructure"}))
    area = terms.area("infrastructure")
    assert designation_status(area, terms, partner, date(2026, 7, 31), enrolment).holds_designation
    dropped = designation_status(area, terms, partner, date(2026, 8, 1), enrolment)
    assert dropped.status is DesignationStatus.IN_PROGRESS


def test_area_scores_give_every_area_on_a_day() -> None:
    from alliance.domain.scoring import area_scores

    terms = mcpp_terms()
    scores = area_scores(terms, facts(*infrastructure()), date(2026, 6, 17))
    assert scores["infrastructure"].total == Decimal(70)
    assert scores["data_ai"].total == Decimal(0)
    assert len(scores) == 6


def test_a_high_score_with_a_zero_metric_stays_in_progress() -> None:
    """MCPP-8: no designation offer while a metric is at zero, however high the total."""
    terms = mcpp_terms()
    groups = infrastructure()
    groups[1] = certs("az_104", 5, date(2025, 1, 10))  # 20
    groups[4] = []  # no deployment
    groups.append(certs("az_305", 3, date(2025, 1, 10), first=10))  # 2 + 3 people: 20
    outcome = designation_status(
        terms.area("infrastructure"), terms, facts(*groups), date(2026, 6, 17)
    )
    assert outcome.score.total == Decimal(80)  # 20 + 20 + 20 + 20 + 0
    assert outcome.status is DesignationStatus.IN_PROGRESS
    assert outcome.explanation.steps[0].message == "1 more deployments: +2 points"
