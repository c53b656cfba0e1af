"""The engagement form in real Chromium (CCE-1, CCE-3, CCE-4): a form missing required
fields is refused with every one of them named next to its input (each problem exactly
as the domain's CCE-3 table finds it), nothing saved; a complete one is submitted and
shows the duplicate check's verdict; the 11th user of the tool is refused (CCE-1)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from journey_people import SYSTEM, JourneyPeople, journey_people
from journeys import log_in
from playwright.sync_api import Page, expect
from portal_world import PortalWorld

from alliance.domain.engagements import Category, EngagementDraft, validate_engagement
from alliance.domain.ids import OrganizationId
from alliance.domain.people import PartnerRole
from alliance.services.auth import actor_for_user
from alliance.services.engagements import users
from alliance.services.engagements.program import engagement_program
from alliance.services.engagements.queries import get_engagement, list_engagements
from alliance.services.people import AddPerson, add_person
from alliance.web.engagement_form import dom_id, input_name


@pytest.fixture(scope="module")
def people(portal: PortalWorld) -> Iterator[JourneyPeople]:
    yield journey_people(portal)


def _count(portal: PortalWorld, partner: str) -> int:
    return len(
        list_engagements(
            portal.application.uow_factory(),
            SYSTEM,
            partner_id=OrganizationId(partner),
            limit=500,
        )
    )


def test_an_incomplete_opportunity_names_every_missing_field_next_to_its_input(
    page: Page, portal: PortalWorld, people: JourneyPeople
) -> None:
    ada = portal.ada
    before = _count(portal, ada.organization_id)
    expected = validate_engagement(EngagementDraft(name="Data platform"), Category.OPPORTUNITY)
    assert len(expected) >= 5  # customer, address, contacts, products, close date

    log_in(page, ada)
    page.get_by_role("link", name="New engagement").click()
    page.get_by_label("Opportunity").check()
    page.get_by_label("Engagement name").fill("Data platform")
    page.get_by_role("button", name="Submit the engagement").click()

    summary = page.get_by_test_id("error-summary")
    expect(summary.locator("li")).to_have_count(len(expected))
    for problem in expected:
        name = input_name(problem.field)
        message = f"{problem.message} ({problem.rule})"
        expect(summary).to_contain_text(message)
        expect(page.locator(f"#{dom_id(name)}-error")).to_contain_text(message)
        target = page.locator(f"#{dom_id(name)}")
        expect(target).to_have_attribute("aria-invalid", "true")
        expect(target).to_have_attribute("aria-describedby", f"{dom_id(name)}-error")
    expect(page.get_by_label("Customer legal name")).to_have_attribute("aria-invalid", "true")
    expect(page.get_by_label("Engagement name")).to_have_value("Data platform")  # kept
    # keyboard: the summary's link to a field takes the focus there
    link = page.get_by_test_id("error-summary").get_by_role("link", name="estimated_close_date")
    link.focus()
    page.keyboard.press("Enter")
    expect(page.get_by_label("Estimated close date")).to_be_focused()
    assert _count(portal, ada.organization_id) == before  # nothing saved


def test_a_complete_opportunity_is_submitted_with_its_duplicate_check(
    page: Page, portal: PortalWorld, people: JourneyPeople
) -> None:
    ada = portal.ada
    before = _count(portal, ada.organization_id)
    log_in(page, ada)
    page.goto(f"/partners/{ada.organization_id}/engagements/new")
    page.get_by_label("Opportunity").check()
    for label, value in (
        ("Engagement name", "Data platform for Globex"),
        ("Customer legal name", "Globex Portail SA"),
        ("Street", "12 rue du Port"),
        ("City", "Nantes"),
        ("Country (two letters, e.g. FR)", "FR"),
        ("Partner contact's name", "Ada"),
        ("Partner contact's e-mail", ada.email),
        ("Customer contact's name", "Gil Globex"),
        ("Customer contact's e-mail", "gil@globex.example"),
        ("Product (catalogue id)", "DB-EE"),
        ("Product family", "database"),
        ("Estimated quantity", "4"),
        ("Estimated amount", "48000.00"),
        ("Currency (e.g. USD)", "USD"),
        ("Service starts on", "2027-01-01"),
        ("Service ends on", "2027-12-31"),
        ("Estimated close date", "2027-03-31"),
    ):
        page.get_by_label(label).fill(value)
    page.get_by_role("button", name="Submit the engagement").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Data platform for Globex")
    engagement_id = page.get_by_test_id("engagement-id").inner_text()
    expect(page.get_by_test_id("status")).to_have_text("Submitted")
    stored = get_engagement(portal.application.uow_factory(), SYSTEM, engagement_id)
    assert stored.record.engagement.partner_id == ada.organization_id
    assert stored.record.engagement.products[0].quantity == 4
    assert stored.duplicate is not None  # CCE-4: an opportunity is checked
    expect(page.get_by_test_id("verdict")).to_have_text(stored.duplicate.verdict.value)
    assert _count(portal, ada.organization_id) == before + 1


def test_the_eleventh_user_of_the_engagement_tool_is_refused(
    page: Page, portal: PortalWorld, people: JourneyPeople
) -> None:
    """CCE-1: at most 10 active users; the 11th is refused next to the choice."""
    application = portal.application
    bob = portal.bob
    org = OrganizationId(bob.organization_id)
    program = engagement_program(
        application.programs, attachments_dir=application.settings.attachments_dir
    )
    with application.uow_factory() as uow:
        user = uow.users.by_email(bob.email)
        assert user is not None
        bob_actor = actor_for_user(uow, user)
    limit = program.users.max_active_users
    assert limit == 10
    found = users.list_users(application.uow_factory(), bob_actor, org, program=program)
    newcomers = [
        add_person(
            application.uow_factory(),
            SYSTEM,
            AddPerson(
                org,
                f"Seller {i}",
                f"seller{i}@bob.example",
                frozenset({PartnerRole.ENGAGEMENT_USER}),
            ),
            application.clock,
        )
        for i in range(limit - found.active + 1)
    ]
    for person in newcomers[:-1]:  # fill every place but through the use case
        users.add_user(
            application.uow_factory(),
            bob_actor,
            person.id,
            program=program,
            clock=application.clock,
        )
    last = newcomers[-1]

    log_in(page, bob)
    page.goto(f"/partners/{bob.organization_id}/engagement-users")
    expect(page.get_by_test_id("places")).to_have_text(f"{limit} of {limit} places used.")
    page.get_by_label("Person").select_option(last.id)
    page.get_by_role("button", name="Give access").click()
    choice = page.get_by_label("Person")
    expect(choice).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#person-id-error")).to_contain_text("(CCE-1)")
    after = users.list_users(application.uow_factory(), bob_actor, org, program=program)
    assert after.active == limit  # refused, nothing saved

    # deactivating one frees a place: the same person is then let in
    page.get_by_role("button", name=f"Deactivate {newcomers[0].name}").click()
    expect(page.get_by_test_id("deactivated")).to_contain_text(newcomers[0].name)
    expect(page.get_by_test_id("places")).to_have_text(f"{limit - 1} of {limit} places used.")
    page.get_by_label("Person").select_option(last.id)
    page.get_by_role("button", name="Give access").click()
    expect(page.get_by_test_id("added")).to_contain_text(last.name)
    expect(page.get_by_test_id("places")).to_have_text(f"{limit} of {limit} places used.")


def test_the_engagement_form_and_its_refusal_fit_a_phone_width_screen(
    page: Page, portal: PortalWorld
) -> None:
    page.set_viewport_size({"width": 390, "height": 844})
    log_in(page, portal.ada)
    page.goto(f"/partners/{portal.ada.organization_id}/engagements/new")
    page.get_by_label("Account planning").check()
    page.get_by_role("button", name="Submit the engagement").click()
    expect(page.get_by_test_id("error-summary")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
