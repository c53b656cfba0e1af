"""A partner's credit option requests (issue 6): the orders on its principal's credits
with their status — held, pending approval, delivered, cancelled — and the credits each
holds, and a form to request a catalogue option.

The form calls the same use case as ``POST /api/v1/credits/orders``
(:func:`alliance.services.credits.orders.place_order`): only partner administrators and
credit managers may order (CRD-3, OPN-18); an associate's order follows its principal's
policy (CRD-2: held at once, within a limit, or waiting for approval). A refusal is shown
next to the form with the rule it names; another company's page answers 403 (X-6).
Each form carries a fresh idempotency key, so a resubmitted form places one order (X-5).
"""

from __future__ import annotations

import secrets
from decimal import Decimal

from fastapi import APIRouter
from starlette.responses import Response

from alliance.domain.credits.orders import RequestStatus
from alliance.domain.errors import AllianceError, InvalidInput
from alliance.domain.ids import OrganizationId
from alliance.services.credits import catalog, orders
from alliance.web.labels import N_
from alliance.web.pages import Page, PageDep, PageRoute

router = APIRouter(route_class=PageRoute)

STATUS_LABELS = {
    RequestStatus.REQUESTED: N_("Requested"),
    RequestStatus.PENDING_APPROVAL: N_("Pending approval"),
    RequestStatus.HELD: N_("Held"),
    RequestStatus.DELIVERED: N_("Delivered"),
    RequestStatus.CANCELLED: N_("Cancelled"),
}
LISTED = 200


def _page(
    page: Page,
    organization_id: str,
    *,
    error: AllianceError | None = None,
    placed: orders.OrderResult | None = None,
    values: dict[str, str] | None = None,
) -> Response:
    actor = page.actor
    uow_factory = page.application.uow_factory
    found = orders.list_orders(uow_factory(), actor, OrganizationId(organization_id), limit=LISTED)
    held = sum((o.amount for o in found if o.status is RequestStatus.HELD), Decimal(0))
    return page.render(
        "credit_orders.html",
        {
            "organization_id": organization_id,
            "orders": found,
            "held_total": held,
            "options": catalog.catalog(uow_factory(), actor),
            "statuses": STATUS_LABELS,
            "error": error,
            "placed": placed,
            "values": values or {},
            "idempotency_key": secrets.token_urlsafe(16),
        },
        status=422 if error is not None and error.status == 422 else 403 if error else 200,
    )


@router.get("/partners/{organization_id}/credits/orders", name="credit_orders")
def credit_orders(page: PageDep, organization_id: str) -> Response:
    page.require_login()
    return _page(page, organization_id)


def _quantity(text: str) -> int:
    try:
        return int(text.strip())
    except ValueError:
        raise InvalidInput(
            f"a quantity is a whole number, got {text!r}", field="quantity", rule="CRD-3"
        ) from None


@router.post("/partners/{organization_id}/credits/orders", name="credit_order_place")
async def place_credit_order(page: PageDep, organization_id: str) -> Response:
    """CRD-2 / CRD-3: request an option; its credits are held until delivery."""
    actor = page.require_login()
    posted = await page.request.form()
    values = {k: str(v) for k, v in posted.items() if k != "csrf_token"}
    try:
        result = orders.place_order(
            page.application.uow_factory(),
            actor,
            orders.PlaceOrder(
                OrganizationId(organization_id),
                values.get("option_id", ""),
                _quantity(values.get("quantity", "")),
                values.get("idempotency_key", ""),
            ),
            page.application.clock,
        )
    except AllianceError as refused:
        if refused.status in (401, 404) or refused.rule == "X-6":
            raise
        return _page(page, organization_id, error=refused, values=values)
    return _page(page, organization_id, placed=result)
