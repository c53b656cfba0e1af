"""The enrolment wizard (OPN-9) in real Chromium: each step saved as it is answered;
logging out and in again resumes at the step left; a refusal — a payment plan the level
does not offer (OPN-5/OPN-6), a missing field (OPN-9) — is shown next to its input,
linked by aria-describedby, naming the field and the rule; then the application is
submitted and the membership opened, as the use cases record it."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from journey_people import SYSTEM, JourneyPeople, journey_people, log_in_as, pending_associate
from journeys import log_in
from playwright.sync_api import Page, expect
from portal_world import PortalWorld

from alliance.domain.membership import ApplicationId, ApplicationStatus
from alliance.domain.membership.terms import PaymentPlan
from alliance.services.membership_terms import membership_program
from alliance.services.memberships import applications

COMPANY = {
    "legal_name": "Newcomer Consulting SARL",
    "address.line1": "3 quai des Chartrons",
    "address.postal_code": "33000",
    "address.country": "FR",
    "administrator.name": "Nina Newcomer",
    "administrator.email": "nina@newcomer.example",
}


@pytest.fixture(scope="module")
def people(portal: PortalWorld) -> Iterator[JourneyPeople]:
    yield journey_people(portal)


def _step(page: Page, number: int, title: str) -> None:
    expect(page.get_by_test_id("step")).to_have_text(f"Step {number}: {title}")


def _fill_company(page: Page, *, city: str) -> None:
    for name, value in COMPANY.items():
        page.locator(f'[name="{name}"]').fill(value)
    page.get_by_label("City").fill(city)
    rows = page.locator('input[name^="contacts."][name$=".name"]')
    for i in range(rows.count()):
        page.locator(f'[name="contacts.{i}.name"]').fill(f"Contact {i}")
        page.locator(f'[name="contacts.{i}.email"]').fill(f"contact{i}@newcomer.example")
    page.get_by_label("I accept the partner store terms and conditions").check()


def test_an_applicant_enrols_step_by_step_resumes_after_logging_out_and_is_refused_a_plan(
    page: Page, portal: PortalWorld, people: JourneyPeople
) -> None:
    program = membership_program(portal.application.programs)
    level = next(lv for lv in program.terms.levels if lv.rank == 1)
    offered = level.options_for("FR")
    refused_plan = next(p for p in PaymentPlan if p not in {o.plan for o in offered})

    log_in_as(page, people.applicant)
    page.get_by_role("link", name="Enrolment").click()
    page.get_by_role("button", name="Start the application").click()
    _step(page, 1, "Partnership type and level")
    page.get_by_label("A principal (its own membership)").check()
    page.get_by_label("Level (a principal)").select_option(level.id)
    page.get_by_role("button", name="Save and continue").click()
    _step(page, 2, "Partner administrator")
    page.get_by_label("I accept the partner administrator role for my company").check()
    page.get_by_role("button", name="Save and continue").click()
    _step(page, 3, "Company and contacts")

    # OPN-9: a missing field is named next to its input; the step is not saved
    _fill_company(page, city="")
    page.get_by_role("button", name="Save and continue").click()
    city = page.get_by_label("City")
    expect(city).to_have_attribute("aria-invalid", "true")
    expect(city).to_have_attribute("aria-describedby", "f-address-city-error")
    expect(page.locator("#f-address-city-error")).to_have_text(
        "city is required (a non-empty text) (OPN-9)"
    )
    expect(page.get_by_test_id("error-summary")).to_contain_text("address.city")
    _fill_company(page, city="Bordeaux")
    page.get_by_role("button", name="Save and continue").click()
    _step(page, 4, "Review the contacts")

    # OPN-9: leave, log in again, and resume at the step left
    page.get_by_role("button", name="Log out").click()
    log_in_as(page, people.applicant)
    page.get_by_role("link", name="Enrolment").click()
    _step(page, 4, "Review the contacts")

    page.get_by_label("The address and contacts are right").check()
    page.get_by_role("button", name="Save and continue").click()
    _step(page, 5, "Rewards")
    page.get_by_label("Money").check()
    page.get_by_role("button", name="Save and continue").click()
    _step(page, 6, "Optional tracks")
    page.get_by_role("button", name="Save and continue").click()
    _step(page, 7, "Agreement")
    page.get_by_label("Online click").check()
    page.get_by_role("button", name="Save and continue").click()
    _step(page, 8, "Payment")

    # OPN-5 / OPN-6: a plan the level does not offer is refused next to the plan
    page.get_by_label("Payment plan").select_option(refused_plan.value)
    page.get_by_label("Payment method").select_option(offered[0].methods[0].value)
    page.get_by_role("button", name="Save and continue").click()
    plan = page.get_by_label("Payment plan")
    expect(plan).to_have_attribute("aria-invalid", "true")
    error = page.locator("#f-plan-error")
    rule = "OPN-6" if refused_plan.instalments > 1 else "OPN-5"
    expect(error).to_contain_text(f"{level.name} does not offer")
    expect(error).to_contain_text(f"({rule})")
    expect(page.get_by_test_id("step")).to_have_text("Step 8: Payment")

    page.get_by_label("Payment plan").select_option(offered[0].plan.value)
    page.get_by_role("button", name="Save and continue").click()
    _step(page, 9, "Final review")
    page.get_by_label("I have reviewed the application").check()
    page.get_by_role("button", name="Save and continue").click()
    page.get_by_role("button", name="Submit the application").click()
    expect(page.get_by_test_id("application-status")).to_have_text("Status: submitted")

    found = applications.list_applications(
        portal.application.uow_factory(), SYSTEM, program, status=ApplicationStatus.SUBMITTED
    )
    mine = [v for v in found if v.application.organization_id == people.applicant.organization_id]
    assert len(mine) == 1
    saved = mine[0].application
    assert saved.level == level.id
    assert saved.answers  # every step as the wizard saved it
    membership = page.get_by_test_id("membership")
    with portal.application.uow_factory() as uow:
        current = uow.memberships.current(saved.organization_id)
    assert current is not None
    expect(membership).to_contain_text(current.subscription_id)

    # another company's administrator is refused the application by URL
    page.get_by_role("button", name="Log out").click()
    log_in(page, portal.ada)
    response = page.goto(f"/enrol/{saved.id}")
    assert response is not None and response.status == 403


def test_the_principals_administrator_decides_on_an_associate_and_no_one_else_may(
    page: Page, portal: PortalWorld, people: JourneyPeople
) -> None:
    """OPN-2: the associate's own administrator cannot approve itself (refused on the
    row, naming the rule); the principal's administrator rejects it with a note."""
    app_id, applicant = pending_associate(portal, "Ada Benelux BV", "bram@ada-benelux.example")
    program = membership_program(portal.application.programs)

    log_in_as(page, applicant)
    page.goto(f"/partners/{applicant.organization_id}/applications")
    row = page.locator(f'tr[data-application="{app_id}"]')
    expect(row.get_by_test_id("status")).to_have_text("pending_approval")
    row.get_by_role("button", name="Approve").click()
    row = page.locator(f'tr[data-application="{app_id}"]')
    expect(row.get_by_role("alert")).to_contain_text("(OPN-2)")
    expect(row.get_by_label("Note")).to_have_attribute("aria-describedby", f"error-{app_id}")
    still = applications.get_application(
        portal.application.uow_factory(), SYSTEM, program, ApplicationId(app_id)
    )
    assert still.application.status is ApplicationStatus.PENDING_APPROVAL

    page.get_by_role("button", name="Log out").click()
    log_in(page, portal.ada)
    page.goto(f"/partners/{portal.ada.organization_id}/applications")
    row = page.locator(f'tr[data-application="{app_id}"]')
    row.get_by_label("Note").fill("Please apply once the Benelux contract is signed.")
    row.get_by_role("button", name="Reject").click()
    expect(page.get_by_test_id("decision")).to_have_text(f"Application {app_id} is now rejected.")
    decided = applications.get_application(
        portal.application.uow_factory(), SYSTEM, program, ApplicationId(app_id)
    )
    assert decided.application.status is ApplicationStatus.REJECTED
    assert decided.application.decision_note == "Please apply once the Benelux contract is signed."
