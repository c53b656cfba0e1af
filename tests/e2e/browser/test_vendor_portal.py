"""The vendor's staff in the portal (issue 6): applications and an associate's approval
(OPN-2), engagements reviewed and moved with the duplicate check explained (CCE-4,
CCE-6), program definitions, the audit log, and the accrual and expiry runs (OSR-12,
OSR-14, X-5). A partner's people are refused every vendor page (X-6).

Expected values come from the use cases, as the system sees them.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from journey_people import SYSTEM, JourneyPeople, journey_people, log_in_as, pending_associate
from journeys import log_in
from playwright.sync_api import Page, expect
from portal_world import PortalWorld

from alliance.demo.dataset import DemoSpec
from alliance.domain.calendar import Month
from alliance.domain.engagements import Category, Status
from alliance.domain.membership import ApplicationId, ApplicationStatus
from alliance.services.audit_log import AuditQuery, search_audit
from alliance.services.engagements.queries import get_engagement, list_engagements
from alliance.services.membership_terms import membership_program
from alliance.services.memberships import applications

VENDOR_PAGES = (
    "/vendor",
    "/vendor/applications",
    "/vendor/engagements",
    "/vendor/programs",
    "/vendor/audit",
    "/vendor/batch",
)


@pytest.fixture(scope="module")
def people(portal: PortalWorld) -> Iterator[JourneyPeople]:
    yield journey_people(portal)


def test_a_partner_administrator_is_refused_every_vendor_page(
    page: Page, portal: PortalWorld
) -> None:
    """X-6: the vendor's pages are for its staff; a partner's people get 403."""
    log_in(page, portal.ada)
    for path in VENDOR_PAGES:
        response = page.goto(path)
        assert response is not None and response.status == 403, path
        expect(page.get_by_role("alert")).to_contain_text("vendor's staff")
    assert page.get_by_role("link", name="Vendor").count() == 0


def test_a_customer_contact_is_refused_the_vendor_batch_runs(
    page: Page, people: JourneyPeople
) -> None:
    log_in_as(page, people.customer)
    response = page.goto("/vendor/batch")
    assert response is not None and response.status == 403


def test_staff_browse_the_program_definitions_as_the_registry_loaded_them(
    page: Page, portal: PortalWorld, people: JourneyPeople
) -> None:
    registry = portal.application.programs
    log_in_as(page, people.viewer)
    page.get_by_role("link", name="Vendor").click()
    page.get_by_role("link", name="Program definitions").click()
    rows = page.get_by_test_id("programs").locator("tbody tr")
    expect(rows).to_have_count(len(registry.list()))
    page.get_by_role("link", name="opn", exact=True).click()
    opn = registry.entry("opn")
    expect(page.get_by_test_id("version")).to_have_text(str(opn.definition.version))
    expect(page.get_by_test_id("hash")).to_have_text(opn.content_hash)
    expect(page.get_by_test_id("yaml")).to_contain_text("code: opn")


def _reviewable(portal: PortalWorld) -> str:
    """A submitted opportunity with a stored duplicate check (CCE-4)."""
    found = list_engagements(
        portal.application.uow_factory(),
        SYSTEM,
        status=Status.SUBMITTED,
        category=Category.OPPORTUNITY,
        limit=200,
    )
    checked = [r for r in found if r.duplicate is not None]
    assert checked, "the demo has submitted opportunities"
    flagged = [r for r in checked if r.duplicate and r.duplicate.matches]
    return (flagged or checked)[0].engagement.id


def test_staff_review_an_engagement_see_why_it_is_a_duplicate_and_move_it(
    page: Page, portal: PortalWorld, people: JourneyPeople
) -> None:
    engagement_id = _reviewable(portal)
    before = get_engagement(portal.application.uow_factory(), SYSTEM, engagement_id)
    assert before.duplicate is not None and before.moves
    log_in_as(page, people.admin)
    page.goto("/vendor/engagements?status=submitted")
    page.get_by_role("link", name=engagement_id).click()
    expect(page.get_by_test_id("verdict")).to_contain_text(before.duplicate.verdict.value)
    lines = page.get_by_test_id("explanation").locator("li")
    expect(lines).to_have_count(len(before.duplicate.explanation))
    expect(lines.first).to_have_text(before.duplicate.explanation[0])

    move = before.moves[0]
    page.get_by_test_id("moves").get_by_role("button").first.click()
    expect(page.get_by_test_id("notice")).to_contain_text("Moved to")
    after = get_engagement(portal.application.uow_factory(), SYSTEM, engagement_id)
    assert after.record.engagement.status is move.target  # CCE-6: moved, and stored
    assert len(after.transitions) == len(before.transitions) + 1
    expect(page.get_by_test_id("history").locator("tbody tr")).to_have_count(len(after.transitions))

    # the move is in the audit log, found by the engagement's id
    page.goto("/vendor/audit")
    page.get_by_label("Entity id").fill(engagement_id)
    page.get_by_role("button", name="Search").click()
    records = search_audit(
        portal.application.uow_factory(), SYSTEM, AuditQuery(entity_id=engagement_id)
    )
    assert records
    expect(page.get_by_test_id("audit").locator("tbody > tr")).to_have_count(len(records))


def test_an_illegal_move_is_refused_with_its_rule(
    page: Page, portal: PortalWorld, people: JourneyPeople
) -> None:
    """CCE-6: a move not in the lifecycle table is refused, naming the rule."""
    engagement_id = _reviewable(portal)
    log_in_as(page, people.admin)
    page.goto(f"/vendor/engagements/{engagement_id}")
    # tamper with the form: ask for a state no move of this one reaches
    page.evaluate(
        "document.querySelector('[data-testid=moves] button').value = 'incentive_released'"
    )
    page.get_by_test_id("moves").get_by_role("button").first.click()
    expect(page.get_by_role("alert")).to_be_visible()
    assert page.title().startswith("4")


def test_staff_run_the_accrual_and_expiry_and_a_rerun_posts_nothing_new(
    page: Page, portal: PortalWorld, people: JourneyPeople
) -> None:
    """OSR-12, OSR-14, X-5: the demo accrued every ended month; running one again posts
    no new lot; a month not ended is refused next to the field."""
    today = portal.application.clock.today()
    last = max(m for m in DemoSpec(partners=60, seed=7).month_list if m < Month.containing(today))
    log_in_as(page, people.admin)
    page.goto("/vendor/batch")
    page.get_by_label("Month (YYYY-MM)").fill(str(last))
    page.get_by_role("button", name="Accrue").click()
    # the run goes on a thread; its page polls the progress until the summary (htmx)
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Accrual of {last}")
    summary = page.get_by_test_id("accrual-summary")
    expect(summary).to_contain_text(f"{last}:", timeout=30_000)
    assert page.locator("[hx-get]").count() == 0  # polling stopped once finished
    expect(summary).to_contain_text(" 0 new lots")

    page.goto("/vendor/batch")
    page.get_by_label("Month (YYYY-MM)").fill(str(Month.containing(today)))
    page.get_by_role("button", name="Accrue").click()
    field = page.get_by_label("Month (YYYY-MM)")
    expect(field).to_have_attribute("aria-invalid", "true")
    expect(field).to_have_attribute("aria-describedby", "month-error")
    expect(page.locator("#month-error")).to_contain_text("OSR-12")

    page.get_by_label("As of").fill(today.isoformat())
    page.get_by_role("button", name="Expire").click()
    # the demo's loading expired everything due today: nothing is left to expire
    expect(page.get_by_test_id("expiry-summary")).to_have_text(
        f"as of {today.isoformat()}: no lot to expire"
    )


def test_a_viewer_may_look_but_not_run_the_accrual(
    page: Page, portal: PortalWorld, people: JourneyPeople
) -> None:
    """A viewer's role does not manage finance: the run is refused (X-6), nothing posted."""
    log_in_as(page, people.viewer)
    page.goto("/vendor/batch")
    page.get_by_role("button", name="Accrue").click()
    expect(page.get_by_role("alert")).to_contain_text("may not manage finance")


def test_staff_record_the_principal_administrators_approval_of_an_associate(
    page: Page, portal: PortalWorld, people: JourneyPeople
) -> None:
    app_id, _applicant = pending_associate(portal, "Ada Iberia SL", "ines@ada-iberia.example")
    log_in_as(page, people.admin)
    page.goto("/vendor/applications")
    page.get_by_label("Status").select_option("pending_approval")
    page.get_by_role("button", name="Filter").click()
    page.get_by_role("link", name=app_id).click()
    expect(page.get_by_test_id("status")).to_have_text("pending_approval")
    # the answers as saved, nested ones spelled out (OPN-9)
    answers = page.get_by_role("region", name="Answers")
    expect(answers).to_contain_text("address.country")
    expect(answers).not_to_contain_text("mappingproxy")
    page.get_by_label("Administrator who decides").select_option(label=f"Ada ({portal.ada.email})")
    page.get_by_role("button", name="Approve").click()
    expect(page.get_by_test_id("decision")).to_contain_text("approved")
    found = applications.get_application(
        portal.application.uow_factory(),
        SYSTEM,
        membership_program(portal.application.programs),
        ApplicationId(app_id),
    )
    assert found.application.status is ApplicationStatus.APPROVED


def test_the_vendor_pages_and_the_polling_run_page_break_no_content_security_policy(
    page: Page, portal: PortalWorld, people: JourneyPeople
) -> None:
    """CSP ``default-src 'self'``: no inline script or style, htmx polling included."""
    errors: list[str] = []
    page.on(
        "console",
        lambda m: (
            errors.append(f"{m.text} {m.location}")
            if m.type == "error" and not m.location.get("url", "").endswith("/favicon.ico")
            else None
        ),
    )
    page.on("pageerror", lambda error: errors.append(str(error)))
    log_in_as(page, people.admin)
    for path in ("/vendor", "/vendor/engagements", "/vendor/programs/osr", "/vendor/audit"):
        page.goto(path)
    page.goto("/vendor/batch")
    last = max(
        m
        for m in DemoSpec(partners=60, seed=7).month_list
        if m < Month.containing(portal.application.clock.today())
    )
    page.get_by_label("Month (YYYY-MM)").fill(str(last))
    page.get_by_role("button", name="Accrue").click()
    expect(page.get_by_test_id("accrual-summary")).to_be_visible(timeout=30_000)
    assert errors == []


def test_the_vendor_pages_fit_a_phone_width_screen(page: Page, people: JourneyPeople) -> None:
    page.set_viewport_size({"width": 390, "height": 844})
    log_in_as(page, people.admin)
    for path in (
        "/vendor",
        "/vendor/applications",
        "/vendor/engagements",
        "/vendor/programs",
        "/vendor/programs/opn",
        "/vendor/audit",
        "/vendor/batch",
    ):
        page.goto(path)
        assert page.evaluate("document.documentElement.scrollWidth") <= 390, path
