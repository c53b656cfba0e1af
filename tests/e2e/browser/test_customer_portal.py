"""A customer's journey in the portal (issue 6, OSR-17, OSR-18, X-6): its rewards —
accrued, available, expiring soon, used, by month — and its invoices with what paid them,
the numbers being the statement use case's own; another customer's page is refused."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal

import pytest
from journey_people import JourneyPeople, journey_people, log_in_as
from playwright.sync_api import Page, expect
from portal_world import PortalWorld

from alliance.domain.access import Actor
from alliance.domain.ids import OrganizationId
from alliance.domain.money import Money
from alliance.services.reward_terms import reward_program
from alliance.services.rewards.customer_invoices import customer_invoices
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
    application = portal.application
    invoices = customer_invoices(
        application.uow_factory,
        Actor.system("test"),
        OrganizationId(customer.organization_id),
        program=reward_program(application.programs),
    )
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


def test_a_customer_cannot_open_another_customers_rewards_by_url(
    page: Page, people: JourneyPeople
) -> None:
    """X-6: the other customer's statement and invoices answer 403, naming the rule."""
    log_in_as(page, people.customer)
    response = page.goto(f"/customers/{people.other_customer.organization_id}/rewards")
    assert response is not None and response.status == 403
    expect(page.get_by_role("alert")).to_contain_text("not yours")
    # and a partner's administrator, who is no customer, is refused alike
