"""A customer's journey in the portal (issue 6, OSR-17, OSR-18, X-6): its rewards —
accrued, available, expiring soon, used, by month — and its invoices with what paid them,
the numbers being the statement use case's own; another customer's page is refused."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date
from decimal import Decimal

import pytest
from journey_people import JourneyPeople, journey_people, log_in_as
from journeys import log_in
from playwright.sync_api import Page, expect
from portal_world import PortalWorld

from alliance.domain.access import Actor
from alliance.domain.ids import OrganizationId
from alliance.domain.money import Money
from alliance.services.reward_terms import reward_program
from alliance.services.rewards.customer_invoices import customer_invoices
from alliance.services.rewards.redemptions import InvoiceStatus
from alliance.services.rewards.statements import RewardStatement, reward_statement
from alliance.web.formatting import money


@pytest.fixture(scope="module")
def people(portal: PortalWorld) -> Iterator[JourneyPeople]:
    yield journey_people(portal)


def _statement(portal: PortalWorld, customer: str) -> RewardStatement:
    application = portal.application
    return reward_statement(
        application.uow_factory(),
        Actor.system("test"),
        OrganizationId(customer),
        program=reward_program(application.programs),
        clock=application.clock,
    )


def test_a_customer_sees_its_rewards_as_the_statement_use_case_computes_them(
    page: Page, portal: PortalWorld, people: JourneyPeople
) -> None:
    customer = people.customer
    assert customer.organization_id is not None
    log_in_as(page, customer)
    page.get_by_role("link", name="Rewards").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(customer.organization_name or "")

    statement = _statement(portal, customer.organization_id)
    section = statement.currencies[0]
    cur = section.currency
    assert section.accrued > Decimal(0)  # the journey shows real rewards
    facts = page.get_by_test_id(f"rewards-{cur}")
    for test_id, value in (
        ("accrued", section.accrued),
        ("available", section.available),
        ("used", section.used),
        ("expired", section.expired),
        ("company-available", section.company_available),
    ):
        expect(facts.get_by_test_id(test_id)).to_have_text(money(Money(value, cur), "en"))
    for days, amount in section.expiring.items():
        expect(page.get_by_test_id(f"expiring-{days}")).to_have_text(
            money(Money(amount, cur), "en")
        )
    # OSR-17: by month — one row per month a lot was earned for, the accrued amounts
    # adding up to the statement's total.
    months = {lot.month for lot in section.lots}
    rows = page.get_by_test_id(f"months-{cur}").locator("tbody tr")
    expect(rows).to_have_count(len(months))
    newest = max(months)
    newest_total = sum((lot.accrued for lot in section.lots if lot.month == newest), Decimal(0))
    expect(rows.first.locator("td").first).to_have_text(money(Money(newest_total, cur), "en"))


def test_a_customer_sees_its_invoices_and_what_rewards_paid_of_them(
    page: Page, portal: PortalWorld, people: JourneyPeople
) -> None:
    customer = people.customer
    assert customer.organization_id is not None
    invoices = _invoices(portal, customer.organization_id)
    assert invoices
    log_in_as(page, customer)
    page.goto(f"/customers/{customer.organization_id}/rewards")
    table = page.get_by_test_id("invoices")
    expect(table.locator("tbody tr")).to_have_count(len(invoices))
    first = invoices[0]
    row = table.locator(f'tr[data-invoice="{first.invoice.id}"]')
    cur = first.invoice.currency
    expect(row.locator("td").nth(1)).to_have_text(
        money(Money(first.invoice.pre_tax_total, cur), "en")
    )
    row.get_by_role("link", name=first.invoice.id).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Invoice {first.invoice.id}")
    expect(page.get_by_test_id("redeemable")).to_have_text(
        money(Money(first.redeemable, cur), "en")
    )
    expect(page.get_by_test_id("redeemed")).to_have_text(money(Money(first.redeemed, cur), "en"))


def _invoices(portal: PortalWorld, customer: str) -> list[InvoiceStatus]:
    application = portal.application
    return customer_invoices(
        application.uow_factory,
        Actor.system("test"),
        OrganizationId(customer),
        program=reward_program(application.programs),
    )


def test_a_customer_pays_an_invoice_with_rewards_once_however_often_the_form_is_sent(
    page: Page, portal: PortalWorld, people: JourneyPeople
) -> None:
    """OSR-18, OSR-19, X-5: the amount paid is the invoice's and the statement's; the
    same form sent twice pays once; more than rewards may pay is refused inline."""
    customer = people.customer
    assert customer.organization_id is not None
    section = _statement(portal, customer.organization_id).currencies[0]
    payable = next(i for i in _invoices(portal, customer.organization_id) if i.still_redeemable)
    amount = min(Decimal("1.00"), section.company_available)
    assert amount > 0
    cur = payable.invoice.currency
    log_in_as(page, customer)
    page.goto(f"/customers/{customer.organization_id}/invoices/{payable.invoice.id}")

    # OSR-19: more than rewards may pay of the invoice is refused next to the amount
    page.get_by_role("textbox", name=re.compile("^Amount")).fill(str(payable.still_redeemable + 1))
    page.get_by_role("button", name="Pay with rewards").click()
    field = page.get_by_role("textbox", name=re.compile("^Amount"))
    expect(field).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#amount-error")).to_contain_text("(OSR-")

    key = page.locator('[name="idempotency_key"]').input_value()
    field.fill(str(amount))
    page.get_by_role("button", name="Pay with rewards").click()
    expect(page.get_by_test_id("redeem-result")).to_have_text(
        f"{money(Money(amount, cur), 'en')} paid with rewards."
    )
    paid = payable.redeemed + amount
    expect(page.get_by_test_id("redeemed")).to_have_text(money(Money(paid, cur), "en"))
    after = _statement(portal, customer.organization_id).currencies[0]
    assert after.company_available == section.company_available - amount

    # the same form sent again (same key): replayed, nothing more taken
    page.locator('[name="idempotency_key"]').evaluate(f"e => e.value = {key!r}")
    page.get_by_role("textbox", name=re.compile("^Amount")).fill(str(amount))
    page.get_by_role("button", name="Pay with rewards").click()
    expect(page.get_by_test_id("redeem-result")).to_contain_text("already paid")
    expect(page.get_by_test_id("redeemed")).to_have_text(money(Money(paid, cur), "en"))
    again = _statement(portal, customer.organization_id).currencies[0]
    assert again.company_available == after.company_available


def test_a_customer_cannot_open_another_customers_pages_by_url(
    page: Page, portal: PortalWorld, people: JourneyPeople
) -> None:
    """X-6: another customer's statement and invoice answer 403, naming the rule; a
    partner's administrator is refused the customer's page alike."""
    other = people.other_customer.organization_id
    assert other is not None
    theirs = _invoices(portal, other)
    assert theirs
    log_in_as(page, people.customer)
    response = page.goto(f"/customers/{other}/rewards")
    assert response is not None and response.status == 403
    expect(page.get_by_role("alert")).to_contain_text("not yours")
    response = page.goto(f"/customers/{other}/invoices/{theirs[0].invoice.id}")
    assert response is not None and response.status == 403
    page.get_by_role("button", name="Log out").click()
    log_in(page, portal.ada)
    response = page.goto(f"/customers/{people.customer.organization_id}/rewards")
    assert response is not None and response.status == 403


def test_the_customer_pages_fit_a_phone_width_screen(
    page: Page, portal: PortalWorld, people: JourneyPeople
) -> None:
    """390 px: the tables scroll inside their box; the page itself never scrolls sideways."""
    customer = people.customer
    assert customer.organization_id is not None
    invoice = _invoices(portal, customer.organization_id)[0].invoice.id
    page.set_viewport_size({"width": 390, "height": 844})
    log_in_as(page, customer)
    for path in (
        f"/customers/{customer.organization_id}/rewards",
        f"/customers/{customer.organization_id}/invoices/{invoice}",
        "/vendor/batch",  # the refusal page too
    ):
        page.goto(path)
        assert page.evaluate("document.documentElement.scrollWidth") <= 390, path


def test_a_customer_reads_its_rewards_in_french_with_french_amounts(
    page: Page, portal: PortalWorld, people: JourneyPeople
) -> None:
    customer = people.customer
    assert customer.organization_id is not None
    section = _statement(portal, customer.organization_id).currencies[0]
    log_in_as(page, customer)
    page.goto(f"/customers/{customer.organization_id}/rewards")
    page.get_by_role("button", name="Français").click()
    expect(page.locator("html")).to_have_attribute("lang", "fr")
    cur = section.currency
    expect(page.get_by_role("heading", name=f"Récompenses en {cur}")).to_be_visible()
    expect(page.get_by_role("heading", name="Expirent bientôt")).to_be_visible()
    facts = page.get_by_test_id(f"rewards-{cur}")
    expect(facts.get_by_test_id("accrued")).to_have_text(money(Money(section.accrued, cur), "fr"))


def test_a_customer_reads_the_statement_of_a_past_day(
    page: Page, portal: PortalWorld, people: JourneyPeople
) -> None:
    """OSR-17, X-4: the statement of any past day, from the postings effective then."""
    customer = people.customer
    assert customer.organization_id is not None
    today = portal.application.clock.today()
    past = date(today.year - 1, today.month, 1)
    application = portal.application
    then = reward_statement(
        application.uow_factory(),
        Actor.system("test"),
        OrganizationId(customer.organization_id),
        program=reward_program(application.programs),
        clock=application.clock,
        as_of=past,
    ).currencies[0]
    now = _statement(portal, customer.organization_id).currencies[0]
    assert then.accrued != now.accrued  # a year makes a difference in the demo
    log_in_as(page, customer)
    page.goto(f"/customers/{customer.organization_id}/rewards")
    page.get_by_label("Statement on").fill(past.isoformat())
    page.get_by_role("button", name="Show").click()
    cur = then.currency
    facts = page.get_by_test_id(f"rewards-{cur}")
    expect(facts.get_by_test_id("accrued")).to_have_text(money(Money(then.accrued, cur), "en"))
    expect(facts.get_by_test_id("available")).to_have_text(money(Money(then.available, cur), "en"))
