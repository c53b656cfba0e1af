"""A partner's standing in the portal (issues 5 and 6): the MCPP areas with their score
bars against the threshold, status, gap and cheapest steps (MCPP-2, MCPP-5, MCPP-8, X-3);
an OIP member's status with its duties checklist and benefits (OIP-4 … OIP-6); tenancy
by URL (X-6); and the public directory's earned designations, never scores (MCPP-6).

Expected values come from the use cases, as the system sees them, after the demo's tier
facts were evaluated (:mod:`earned_portal`).
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from earned_portal import EarnedPeople, earned_people
from journey_people import SYSTEM, journey_people, log_in_as
from journeys import log_in
from playwright.sync_api import Page, expect
from portal_world import PortalWorld

from alliance.domain.ids import OrganizationId
from alliance.services.dashboard import PartnerStanding, partner_standing
from alliance.services.directory import DirectoryQuery, earned_programs, search_directory
from alliance.services.membership_terms import membership_program
from alliance.services.status_incentives.duties import duties_report
from alliance.services.status_terms import status_program
from alliance.web.formatting import number


@pytest.fixture(scope="module")
def earned(portal: PortalWorld) -> Iterator[EarnedPeople]:
    yield earned_people(portal)


def _standing(portal: PortalWorld, partner_id: str) -> PartnerStanding:
    application = portal.application
    return partner_standing(application.uow_factory(), SYSTEM, application.programs, partner_id)


def test_the_partner_sees_each_area_scored_against_the_threshold(
    page: Page, portal: PortalWorld, earned: EarnedPeople
) -> None:
    """MCPP-2, MCPP-5, X-3: the bar's text is the use case's score out of 100, threshold
    70; the status; the gap sentence and the cheapest steps of an area short of it; the
    PEX tier and points (PEX-1, PEX-6)."""
    expected = _standing(portal, earned.scored.organization_id or "")
    mcpp = expected.program("mcpp")
    assert mcpp is not None and len(mcpp.subjects) == 6
    log_in_as(page, earned.scored)
    page.get_by_role("link", name="Standing", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        f"Standing of {earned.scored.organization_name}"
    )
    short = 0
    for subject in mcpp.subjects:
        assert subject.score is not None
        card = page.get_by_test_id(f"area-{subject.subject_id}")
        expect(card.get_by_role("heading", level=3)).to_have_text(subject.subject_name)
        expect(card.get_by_test_id("score")).to_have_text(
            f"Score {number(subject.score, 'en')} out of 100 (threshold 70)"
        )
        expect(card.get_by_test_id("result")).to_have_text(subject.result_name)
        explanation = subject.explanation
        if explanation.gap is None:
            expect(card.get_by_test_id("gap")).to_have_count(0)
            continue
        short += 1
        expect(card.get_by_test_id("gap")).to_have_text(
            f"Needs {number(explanation.gap, 'en')} more to reach {explanation.next_threshold}."
        )
        expect(card.get_by_test_id("steps").locator("li")).to_have_count(len(explanation.steps))
        expect(card.get_by_test_id("steps").locator("li").first).to_contain_text(
            explanation.steps[0].message
        )
    # The demo partner qualifies in Data & AI and Security, not in Modern Work.
    qualified = {s.subject_id for s in mcpp.subjects if s.result == "qualified"}
    assert qualified == {"data_ai", "security"} and short == 4
    modern = page.get_by_test_id("area-modern_work")
    expect(modern.get_by_test_id("gap")).to_have_text("Needs 29 more to reach 70 points.")
    pex = expected.program("pex")
    assert pex is not None
    (tier,) = pex.subjects
    assert tier.score is not None
    shown = page.get_by_test_id("program-pex").get_by_test_id("tier")
    expect(shown.get_by_test_id("result")).to_have_text(tier.result_name)
    expect(shown.get_by_test_id("score")).to_have_text(number(tier.score, "en"))
    data_ai = page.get_by_test_id("area-data_ai")
    expect(data_ai.get_by_test_id("score")).to_have_text("Score 80 out of 100 (threshold 70)")
    expect(data_ai).to_contain_text("until Dec 30, 2026")


def test_an_oip_member_sees_its_status_duties_and_benefits(
    page: Page, portal: PortalWorld, earned: EarnedPeople
) -> None:
    """OIP-4 … OIP-6: the status held, each duty done or to do, the status's benefits."""
    application = portal.application
    partner = earned.member.organization_id or ""
    report = duties_report(
        application.uow_factory(),
        SYSTEM,
        partner,
        on=application.clock.today(),
        program=status_program(application.programs),
    )
    assert report.standing.outcome.status is not None
    log_in_as(page, earned.member)
    page.goto(f"/partners/{partner}/standing")
    oip = page.get_by_test_id("program-oip")
    expect(oip.get_by_test_id("status").get_by_test_id("result")).to_have_text("Premium")
    duties = oip.get_by_test_id("duty")
    expect(duties).to_have_count(len(report.duties.items))
    assert report.duties.items, "a Premium ambassador has duties"
    expect(oip.locator("[data-met=no]")).to_have_count(len(report.duties.missing))
    expect(duties.first).to_contain_text(report.duties.items[0].name)
    benefits = oip.get_by_test_id("benefits").locator("li")
    expect(benefits).to_have_count(len(report.benefits))
    expect(benefits.first).to_contain_text(report.benefits[0].name)


def test_another_partner_is_told_there_is_no_such_partner(
    page: Page, portal: PortalWorld, earned: EarnedPeople
) -> None:
    """X-6: another company's standing is the 404 page, as an unknown id is."""
    log_in(page, portal.bob)
    response = page.goto(f"/partners/{earned.scored.organization_id}/standing")
    assert response is not None and response.status == 404
    expect(page.get_by_role("alert")).to_contain_text("no partner")
    expect(page.get_by_text("out of 100")).to_have_count(0)
    unknown = page.goto("/partners/org_nope/standing")
    assert unknown is not None and unknown.status == 404


def test_the_public_directory_shows_earned_designations_never_scores(
    page: Page, portal: PortalWorld, earned: EarnedPeople
) -> None:
    """MCPP-6: the designations held, by name; no score."""
    application = portal.application
    with application.uow_factory() as uow:
        organization = uow.organizations.get(OrganizationId(earned.designated))
    assert organization is not None
    (entry,) = search_directory(
        application.uow_factory(),
        membership_program(application.programs),
        DirectoryQuery(name=organization.name),
        earned_programs(application.programs),
    )
    assert {t.id for t in entry.earned_designations} == earned.designated_areas
    scores = [
        s.score
        for s in _standing(portal, earned.designated).program("mcpp").subjects  # type: ignore[union-attr]
        if s.score and s.score >= 10
    ]
    page.goto(f"/directory?name={organization.name}")
    row = page.get_by_test_id("directory").locator("tbody tr")
    expect(row).to_have_count(1)
    for title in entry.earned_designations:
        expect(row).to_contain_text(title.name)
    text = row.inner_text()
    assert scores and "out of" not in text
    for score in scores:  # the name's own digits aside
        assert number(score, "en") not in text.replace(organization.name, ""), score


def test_the_standing_and_vendor_pages_fit_a_phone(
    page: Page, portal: PortalWorld, earned: EarnedPeople
) -> None:
    """Issue 6: 390 px — the cards reflow, the tables scroll inside their box; the page
    itself never scrolls sideways."""
    page.set_viewport_size({"width": 390, "height": 844})
    log_in_as(page, earned.member)
    page.goto(f"/partners/{earned.member.organization_id}/standing")
    expect(page.get_by_test_id("area-security")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.context.clear_cookies()
    log_in_as(page, journey_people(portal).admin)
    for path in ("/vendor/evaluations", "/vendor/what-if"):
        page.goto(path)
        assert page.evaluate("document.documentElement.scrollWidth") <= 390, path
