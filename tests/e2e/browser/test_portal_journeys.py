"""The portal's journeys in real Chromium (issue 6): log in and out, reset a password
by an e-mailed link, the partner dashboard, the credit statement as CSV, the public
directory (MCPP-6), French, tenancy (X-6), CSRF, and refusals shown to the user.

Expected numbers come from the use cases (as the system sees them) and are compared
with what the page shows.
"""

from __future__ import annotations

import csv
import io
import re
from collections import Counter
from decimal import Decimal

from babel.dates import format_date
from journeys import log_in
from playwright.sync_api import Page, expect
from portal_world import PortalWorld

from alliance.domain.access import Actor
from alliance.domain.credits import AssociatePolicy
from alliance.domain.ids import OrganizationId
from alliance.services.auth import actor_for_user
from alliance.services.credits.policies import SetPolicy, set_policy
from alliance.services.credits.statements import CSV_COLUMNS, CreditStatement, credit_statement
from alliance.services.directory import DirectoryQuery, search_directory
from alliance.services.engagements.queries import list_engagements
from alliance.services.membership_terms import membership_program
from alliance.services.notifications import deliver_due
from integration.notification_receivers import SmtpReceiver

SYSTEM = Actor.system("browser-test")
FRENCH_MONTHS = (
    "janvier|février|mars|avril|mai|juin|juillet|août|septembre|octobre|novembre|décembre"
)


def statement_of(portal: PortalWorld, organization_id: str) -> CreditStatement:
    application = portal.application
    result = credit_statement(
        application.uow_factory(), SYSTEM, OrganizationId(organization_id), clock=application.clock
    )
    assert result.statement is not None
    return result.statement


def shown_number(text: str, group: str, decimal: str = ".") -> Decimal:
    """A number as the page wrote it, read back exactly."""
    return Decimal(text.strip().replace(group, "").replace(decimal, "."))


# -- logging in and out ---------------------------------------------------------------


def test_a_partner_administrator_logs_in_lands_on_the_dashboard_and_logs_out(
    page: Page, portal: PortalWorld
) -> None:
    log_in(page, portal.ada)
    assert page.url == f"{portal.base_url}/partners/{portal.ada.organization_id}"
    cookie = next(c for c in page.context.cookies() if c["name"] == "alliance_session")
    assert cookie["httpOnly"] is True and cookie["sameSite"] == "Lax"

    page.get_by_role("button", name="Log out").click()
    expect(page.get_by_role("status")).to_have_text("You are logged out.")
    page.goto(f"/partners/{portal.ada.organization_id}")
    assert page.url.startswith(f"{portal.base_url}/login?next=")  # the session is gone


def test_a_wrong_password_is_refused_on_the_page_without_saying_which_part_was_wrong(
    page: Page, portal: PortalWorld
) -> None:
    page.goto("/login")
    page.get_by_label("E-mail").fill(portal.ada.email)
    page.get_by_label("Password").fill("not-the-right-password")
    with page.expect_response(lambda r: r.url.endswith("/login")) as answer:
        page.get_by_role("button", name="Log in").click()
    assert answer.value.status == 401
    expect(page.get_by_role("alert")).to_have_text("The e-mail or the password is wrong.")
    expect(page.get_by_label("Password")).to_have_attribute("aria-invalid", "true")


def test_a_post_without_the_csrf_token_is_refused_with_403(page: Page, portal: PortalWorld) -> None:
    log_in(page, portal.ada)
    answer = page.request.post("/logout", form={"next": "/"}, max_redirects=0)
    assert answer.status == 403
    # …and the session was not ended by it.
    page.goto(f"/partners/{portal.ada.organization_id}")
    expect(page.get_by_role("heading", level=1)).to_have_text(portal.ada.organization_name)


# -- password reset by e-mail ----------------------------------------------------------


def test_a_forgotten_password_is_reset_through_the_emailed_link_which_works_once(
    page: Page, portal: PortalWorld, smtp: SmtpReceiver
) -> None:
    application, cyd = portal.application, portal.cyd
    page.goto("/login")
    page.get_by_role("link", name="Forgot your password?").click()
    page.get_by_label("E-mail").fill(cyd.email)
    page.get_by_role("button", name="Send the link").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Check your e-mail")

    before = len(smtp.received)
    report = deliver_due(
        application.uow_factory, application.clock, application.mailer, application.poster
    )
    assert report.delivered >= 1
    mails = [
        r
        for r in smtp.received[before:]
        if cyd.email in r.rcpt_tos and r.message["Subject"] == "Reset your Alliance password"
    ]
    assert len(mails) == 1  # other tests may have e-mailed Cyd about something else
    body = mails[0].message.get_body(("plain",))
    assert body is not None
    link = re.search(r"http://127\.0\.0\.1:\d+/password/reset/\S+", body.get_content())
    assert link is not None
    assert mails[0].message["Subject"] == "Reset your Alliance password"

    page.goto(link.group(0))
    page.get_by_label("New password (at least 12 characters)").fill("a-brand-new-password")
    page.get_by_label("The same password again").fill("a-different-password")
    page.get_by_role("button", name="Set the new password").click()
    expect(page.get_by_role("alert")).to_have_text("The two passwords differ.")
    expect(page.get_by_label("The same password again")).to_have_attribute("aria-invalid", "true")

    page.get_by_label("New password (at least 12 characters)").fill("short")
    page.get_by_label("The same password again").fill("short")
    page.get_by_role("button", name="Set the new password").click()
    expect(page.get_by_role("alert")).to_contain_text("Password: a password needs at least 12")

    page.get_by_label("New password (at least 12 characters)").fill("a-brand-new-password")
    page.get_by_label("The same password again").fill("a-brand-new-password")
    page.get_by_role("button", name="Set the new password").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Password changed")

    log_in(page, cyd, password="a-brand-new-password")

    # The link works once.
    page.goto(link.group(0))
    page.get_by_label("New password (at least 12 characters)").fill("yet-another-password")
    page.get_by_label("The same password again").fill("yet-another-password")
    page.get_by_role("button", name="Set the new password").click()
    expect(page.get_by_role("alert")).to_contain_text("This reset link is not valid")
    page.context.clear_cookies()
    log_in(page, cyd, password="a-brand-new-password")  # the refused use changed nothing


def test_asking_for_a_reset_of_an_unknown_address_answers_the_same_and_sends_nothing(
    page: Page, portal: PortalWorld, smtp: SmtpReceiver
) -> None:
    application = portal.application
    page.goto("/password/forgot")
    page.get_by_label("E-mail").fill("nobody@nowhere.example")
    page.get_by_role("button", name="Send the link").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Check your e-mail")
    before = len(smtp.received)
    deliver_due(application.uow_factory, application.clock, application.mailer, application.poster)
    assert [r for r in smtp.received[before:] if "nobody@nowhere.example" in r.rcpt_tos] == []


# -- the partner dashboard -------------------------------------------------------------


def test_the_dashboard_shows_membership_credits_expiry_and_the_engagements_pipeline(
    page: Page, portal: PortalWorld
) -> None:
    ada = portal.ada
    view = portal.memberships[ada.organization_id]
    membership = view.membership
    assert membership.term is not None and view.window_opens is not None
    program = membership_program(portal.application.programs)
    level = next(lv.name for lv in program.terms.levels if lv.id == membership.level)
    statement = statement_of(portal, ada.organization_id)
    assert statement.available > 0

    log_in(page, ada)
    expect(page.get_by_test_id("level")).to_have_text(level)
    expect(page.get_by_test_id("membership-status")).to_have_text("Active")
    expect(page.get_by_test_id("end-date")).to_have_text(
        format_date(membership.term.end, "long", locale="en")
    )
    expect(page.get_by_test_id("renewal-window")).to_have_text(
        f"Opens on {format_date(view.window_opens, 'long', locale='en')}"
    )
    available = page.get_by_test_id("credits-available").inner_text()
    assert shown_number(available, ",") == statement.available
    assert shown_number(page.get_by_test_id("credits-held").inner_text(), ",") == statement.held

    # What expires when: one bar per month, adding up to the available credits.
    bars = page.get_by_test_id("expiry-chart").locator("rect")
    rows = page.locator("#expiry-summary tbody tr")
    expect(bars).to_have_count(rows.count())
    shown = [shown_number(r.locator("td").nth(1).inner_text(), ",") for r in rows.all()]
    assert sum(shown) == statement.available

    found = list_engagements(
        portal.application.uow_factory(), SYSTEM, partner_id=OrganizationId(ada.organization_id)
    )
    counts = Counter(record.engagement.status.value for record in found)
    assert sum(counts.values()) > 0
    for item in page.get_by_test_id("pipeline").locator("li").all():
        status = item.get_attribute("data-status")
        assert int(item.locator(".count").inner_text()) == counts.get(status or "", 0)


def test_the_credit_statement_downloads_as_csv_with_the_lots_and_their_total(
    page: Page, portal: PortalWorld
) -> None:
    statement = statement_of(portal, portal.ada.organization_id)
    log_in(page, portal.ada)
    with page.expect_download() as download:
        page.get_by_role("link", name="Download the statement (CSV)").click()
    assert download.value.suggested_filename == (
        f"credits-{statement.principal_id}-{statement.as_of.isoformat()}.csv"
    )
    path = download.value.path()
    rows = list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8"))))
    assert tuple(rows[0].keys()) == CSV_COLUMNS
    lots, total = rows[:-1], rows[-1]
    assert [r["lot_id"] for r in lots] == [lot.lot_id for lot in statement.lots]
    assert total["lot_id"] == "total"
    assert Decimal(total["available"]) == statement.available
    assert sum(Decimal(r["available"]) for r in lots) == statement.available


def test_a_level_0_partner_is_told_it_has_no_engagement_tool(
    page: Page, portal: PortalWorld
) -> None:
    log_in(page, portal.dan)
    pipeline = page.locator("section[aria-labelledby=pipeline-heading]")
    expect(pipeline.get_by_test_id("pipeline")).to_have_count(0)
    program = membership_program(portal.application.programs)
    first = next(lv for lv in program.terms.levels if lv.rank == program.terms.engagements_min_rank)
    expect(pipeline.get_by_test_id("no-engagement-tool")).to_have_text(
        "Your membership level does not include the engagements tool: "
        f"it comes with {first.name} and above."
    )


# -- tenancy ---------------------------------------------------------------------------


def test_a_partner_cannot_open_another_partners_pages_by_url(
    page: Page, portal: PortalWorld
) -> None:
    log_in(page, portal.ada)
    bob = portal.bob
    answer = page.goto(f"/partners/{bob.organization_id}")
    assert answer is not None and answer.status == 403
    expect(page.get_by_role("heading", level=1)).to_have_text("Not yours to see")
    expect(page.locator("main")).not_to_contain_text(bob.organization_name)
    csv_answer = page.request.get(f"/partners/{bob.organization_id}/credits/statement.csv")
    assert csv_answer.status == 403
    assert "lot_id" not in csv_answer.text()


# -- the public directory --------------------------------------------------------------


def test_anyone_searches_the_directory_and_sees_designations_never_scores(
    page: Page, portal: PortalWorld
) -> None:
    application = portal.application
    program = membership_program(application.programs)
    ada = portal.ada
    page.goto("/directory")
    word = ada.organization_name.split()[0]
    expected = search_directory(application.uow_factory(), program, DirectoryQuery(name=word))
    page.get_by_label("Name").fill(word)  # htmx searches as one types
    rows = page.get_by_test_id("directory").locator("tbody tr")
    expect(rows).to_have_count(len(expected))
    assert "name=" + word in page.url  # the search is in the address, to share or go back
    row = rows.filter(has_text=ada.organization_name)
    level = portal.memberships[ada.organization_id].membership.level
    expect(row.locator("td").nth(2)).to_have_text(
        next(lv.name for lv in program.terms.levels if lv.id == level)
    )
    expect(row.locator("td").nth(3)).to_have_text("Active")
    assert "score" not in page.locator("main").inner_text().lower()  # MCPP-6

    country = portal_country(portal)
    page.goto(f"/directory?country={country}")
    by_country = search_directory(
        application.uow_factory(), program, DirectoryQuery(country=country)
    )
    expect(page.get_by_test_id("directory").locator("tbody tr")).to_have_count(len(by_country))
    for cell in page.get_by_test_id("directory").locator("tbody tr td:nth-child(2)").all():
        assert cell.inner_text() == country


def portal_country(portal: PortalWorld) -> str:
    with portal.application.uow_factory() as uow:
        found = uow.organizations.get(OrganizationId(portal.ada.organization_id))
    assert found is not None
    return found.country


# -- French ------------------------------------------------------------------------------


def test_the_language_switch_shows_the_dashboard_in_french_with_french_dates_and_numbers(
    page: Page, portal: PortalWorld
) -> None:
    ada = portal.ada
    membership = portal.memberships[ada.organization_id].membership
    assert membership.term is not None
    statement = statement_of(portal, ada.organization_id)
    log_in(page, ada)
    page.get_by_role("button", name="Français").click()
    expect(page.locator("html")).to_have_attribute("lang", "fr")
    expect(page.get_by_role("heading", name="Adhésion")).to_be_visible()
    end = page.get_by_test_id("end-date").inner_text()
    assert re.fullmatch(rf"\d{{1,2}} ({FRENCH_MONTHS}) \d{{4}}", end)
    assert end == format_date(membership.term.end, "long", locale="fr")
    available = page.get_by_test_id("credits-available").inner_text()
    # French groups thousands with a narrow no-break space and writes a decimal comma.
    assert shown_number(available, "\u202f", ",") == statement.available
    if statement.available >= 1000:
        assert "\u202f" in available
    # The choice is kept in a cookie for the next pages.
    page.goto("/directory")
    expect(page.get_by_role("heading", level=1)).to_have_text("Annuaire des partenaires")
    page.get_by_role("button", name="English").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Partner directory")


def test_a_french_browser_gets_french_pages_without_choosing(
    browser: object, portal: PortalWorld
) -> None:
    from playwright.sync_api import Browser

    assert isinstance(browser, Browser)
    context = browser.new_context(base_url=portal.base_url, locale="fr-FR")
    try:
        tab = context.new_page()
        tab.goto("/login")
        expect(tab.get_by_role("heading", level=1)).to_have_text("Se connecter")
        tab.get_by_label("E-mail").fill(portal.ada.email)
        tab.get_by_label("Mot de passe").fill("pas le bon mot de passe")
        tab.get_by_role("button", name="Se connecter").click()
        expect(tab.get_by_role("alert")).to_have_text("L'e-mail ou le mot de passe est erroné.")
    finally:
        context.close()


# -- accessibility and phone width -------------------------------------------------------


def test_the_skip_link_comes_first_and_takes_the_keyboard_to_the_content(
    page: Page, portal: PortalWorld
) -> None:
    page.goto("/directory")
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.textContent")
    assert focused == "Skip to content"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "content"


def test_the_dashboard_fits_a_phone_width_screen(page: Page, portal: PortalWorld) -> None:
    page.set_viewport_size({"width": 390, "height": 844})
    log_in(page, portal.ada)
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390
    expect(page.get_by_test_id("expiry-chart")).to_be_visible()


# -- what an associate sees, and an open renewal window ---------------------------------


def test_an_associate_sees_only_how_much_of_its_principals_credits_it_may_use(
    page: Page, portal: PortalWorld
) -> None:
    eve, application = portal.eve, portal.application
    # The demo's policy for this associate is "approval required": no share is shown.
    log_in(page, eve)
    expect(page.get_by_test_id("credits-refused")).to_contain_text("pre-approved policy only")
    expect(page.get_by_test_id("credits-refused")).to_contain_text("Credits are not shown to you.")

    # Its principal's administrator pre-approves a quarter of the balance (CRD-2)…
    with application.uow_factory() as uow:
        user = uow.users.by_email(portal.ada.email)
        assert user is not None
        ada = actor_for_user(uow, user)
    set_policy(
        application.uow_factory(),
        ada,
        SetPolicy(
            OrganizationId(eve.organization_id),
            AssociatePolicy.PREAPPROVED_PERCENTAGE,
            Decimal("0.25"),
        ),
        application.clock,
    )
    principal = statement_of(portal, portal.ada.organization_id)
    share = next(a for a in principal.associates if a.organization_id == eve.organization_id)
    assert share.usable == (principal.available * Decimal("0.25")).quantize(Decimal("0.01"))

    # …and the associate now sees how much it may use, and nothing more (CRD-5).
    page.reload()
    usable = page.get_by_test_id("usable-share")
    amount = re.search(r"may use ([\d,.]+) credits", usable.inner_text())
    assert amount is not None
    assert shown_number(amount.group(1), ",") == share.usable
    expect(page.get_by_test_id("credits-available")).to_have_count(0)
    expect(page.get_by_role("link", name="Download the statement (CSV)")).to_have_count(0)
    refused = page.request.get(f"/partners/{eve.organization_id}/credits/statement.csv")
    assert refused.status == 403


def test_a_partner_whose_renewal_window_is_open_is_told_so(page: Page, portal: PortalWorld) -> None:
    view = portal.memberships[portal.fay.organization_id]
    assert view.window_opens is not None
    assert view.window_opens <= portal.application.clock.today()  # OPN-14
    log_in(page, portal.fay)
    expect(page.get_by_test_id("renewal-window")).to_have_text("Open now")


def test_the_pages_run_under_their_content_security_policy_without_a_violation(
    page: Page, portal: PortalWorld
) -> None:
    errors: list[str] = []
    page.on(
        "console", lambda message: errors.append(message.text) if message.type == "error" else None
    )
    page.on("pageerror", lambda error: errors.append(str(error)))
    log_in(page, portal.ada)
    page.goto("/directory")
    page.get_by_label("Name").fill(portal.ada.organization_name.split()[0])  # htmx at work
    expect(page.get_by_test_id("directory").locator("tbody tr").first).to_be_visible()
    assert errors == []
