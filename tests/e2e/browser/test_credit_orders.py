"""Credit option requests in real Chromium (issue 6; CRD-2, CRD-3, CRD-5, X-6): an
administrator requests an option and sees it held with its amount, and the dashboard's
available balance drops by exactly that; someone who is neither an administrator nor a
credit manager is refused with the rule; an associate's order waits for its principal's
approval (CRD-2); another company's page answers 403."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal

import pytest
from journey_people import SYSTEM, Login, log_in_as, register
from journeys import log_in
from playwright.sync_api import Page, expect
from portal_world import PortalWorld

from alliance.domain.credits import AssociatePolicy
from alliance.domain.credits.orders import RequestStatus
from alliance.domain.ids import OrganizationId
from alliance.domain.people import PartnerRole
from alliance.services.credits.orders import list_orders
from alliance.services.credits.policies import SetPolicy, set_policy
from alliance.services.credits.statements import credit_statement
from alliance.web import formatting


@pytest.fixture(scope="module")
def key_executive(portal: PortalWorld) -> Iterator[Login]:
    yield register(
        portal,
        "kim@credits.example",
        portal.ada.organization_id,
        partner=frozenset({PartnerRole.KEY_EXECUTIVE}),
    )


def _available(portal: PortalWorld, organization_id: str) -> Decimal:
    application = portal.application
    result = credit_statement(
        application.uow_factory(), SYSTEM, OrganizationId(organization_id), clock=application.clock
    )
    assert result.statement is not None
    return result.statement.available


def _orders(portal: PortalWorld, organization_id: str) -> int:
    uow = portal.application.uow_factory()
    return len(list_orders(uow, SYSTEM, OrganizationId(organization_id), limit=1000))


def test_an_order_is_held_and_the_available_balance_drops_by_its_amount(
    page: Page, portal: PortalWorld
) -> None:
    ada = portal.ada
    before = _available(portal, ada.organization_id)
    assert before >= 500  # CRD-1: the membership's credits
    log_in(page, ada)
    expect(page.get_by_test_id("credits-available")).to_have_text(formatting.number(before, "en"))
    page.get_by_test_id("credit-orders-link").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Credit option requests")

    page.get_by_label("Option", exact=True).select_option("training_voucher")  # 250.00 each
    page.get_by_label("Quantity").fill("2")
    page.get_by_role("button", name="Request").click()

    amount = formatting.number(Decimal("500.00"), "en")
    expect(page.get_by_test_id("placed")).to_contain_text(
        f"Training voucher is held: {amount} credits"
    )
    row = page.get_by_test_id("credit-orders").locator("tr[data-status='held']", has_text=amount)
    expect(row.first).to_contain_text("Training voucher")
    expect(row.first).to_contain_text("Held")
    held = [
        o
        for o in list_orders(
            portal.application.uow_factory(), SYSTEM, OrganizationId(ada.organization_id)
        )
        if o.status is RequestStatus.HELD and o.amount == Decimal("500.00")
    ]
    assert len(held) == 1  # CRD-3: held, one order for one form
    assert _available(portal, ada.organization_id) == before - Decimal("500.00")

    page.get_by_role("link", name="Back to the dashboard").click()
    expect(page.get_by_test_id("credits-available")).to_have_text(
        formatting.number(before - Decimal("500.00"), "en")
    )


def test_someone_who_may_not_order_is_refused_with_the_rule(
    page: Page, portal: PortalWorld, key_executive: Login
) -> None:
    ada = portal.ada
    before = (_orders(portal, ada.organization_id), _available(portal, ada.organization_id))
    log_in_as(page, key_executive)
    page.goto(f"/partners/{ada.organization_id}/credits/orders")
    page.get_by_label("Option", exact=True).select_option("certification_exam")
    page.get_by_label("Quantity").fill("1")
    page.get_by_role("button", name="Request").click()
    error = page.get_by_test_id("order-error")
    expect(error).to_contain_text("neither a partner administrator nor a partner credit manager")
    expect(error).to_contain_text("(CRD-3)")
    expect(page.get_by_label("Quantity")).to_have_attribute("aria-invalid", "true")
    after = (_orders(portal, ada.organization_id), _available(portal, ada.organization_id))
    assert after == before  # nothing held, nothing ordered


def test_another_companys_orders_page_is_refused(page: Page, portal: PortalWorld) -> None:
    log_in(page, portal.ada)
    response = page.goto(f"/partners/{portal.bob.organization_id}/credits/orders")
    assert response is not None and response.status == 403
    expect(page.get_by_test_id("credit-orders")).to_have_count(0)


def test_an_associates_order_follows_its_principals_policy(page: Page, portal: PortalWorld) -> None:
    eve, ada = portal.eve, portal.ada
    # CRD-2: the demo's policy for this associate, set again whatever ran before
    set_policy(
        portal.application.uow_factory(),
        SYSTEM,
        SetPolicy(OrganizationId(eve.organization_id), AssociatePolicy.APPROVAL_REQUIRED),
        portal.application.clock,
    )
    before = _available(portal, ada.organization_id)
    log_in(page, eve)
    page.get_by_role("link", name="Credit requests").click()
    page.get_by_label("Option", exact=True).select_option("certification_exam")  # 125.00
    page.get_by_label("Quantity").fill("1")
    page.get_by_role("button", name="Request").click()

    amount = formatting.number(Decimal("125.00"), "en")
    placed = page.get_by_test_id("placed")
    expect(placed).to_contain_text(f"Certification exam voucher is pending approval: {amount}")
    expect(placed).to_contain_text("[CRD-2]")
    row = page.get_by_test_id("credit-orders").locator("tr[data-status='pending_approval']")
    expect(row.filter(has_text="Certification exam voucher")).to_have_count(1)
    assert _available(portal, ada.organization_id) == before  # nothing held until approved
