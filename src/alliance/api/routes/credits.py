"""Partner credits (CRD-2 … CRD-6) under ``/credits``.

* ``GET /credits/catalog`` — the credit option catalogue, with CRD-6's flag per option;
  ``PUT /credits/catalog/{option_id}`` — program admins add or change an option.
* ``GET /credits/statement/{organization_id}?as_of=&format=json|csv`` — CRD-5: the
  principal's administrators and credit managers get the full statement (CSV: the lots),
  an associate's see how much of the principal's balance they may use; anyone else 403.
* ``POST /credits/orders`` ``{organization_id, option_id, quantity, idempotency_key,
  beneficiary_id?}`` — CRD-3: administrators and credit managers only (403 naming CRD-3
  otherwise); the credits are held until delivery; 201 when placed, 200 when the key was
  used before (X-5). ``GET /credits/orders?organization_id=&status=``,
  ``GET /credits/orders/{id}``.
* ``POST /credits/orders/{id}/approve|reject`` (the principal, CRD-2),
  ``/deliver`` (the vendor, CRD-3: capture), ``/cancel`` (CRD-3: release).
* ``GET /credits/policies/{organization_id}`` — the associate policies of its company;
  ``PUT /credits/policies/{organization_id}`` — the principal sets one (CRD-2).

A partner's people never see another company's orders, statement or policies (X-6).
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Literal

from fastapi import APIRouter, Query, Response, status

from alliance.api.dependencies import AppDep, RequireActor, UowDep
from alliance.api.schemas.credits import (
    CatalogOptionPublic,
    CatalogOptionSet,
    CreditStatementPublic,
    OrderCreate,
    OrderDecision,
    OrderPublic,
    OrderResultPublic,
    PolicyPublic,
    PolicySet,
)
from alliance.api.schemas.errors import error_responses
from alliance.domain.credits import RequestStatus
from alliance.domain.errors import InvalidInput
from alliance.domain.ids import OrganizationId
from alliance.services.credits import catalog, orders, policies, statements

router = APIRouter(prefix="/credits", tags=["partner credits"])


@router.get("/catalog", response_model=list[CatalogOptionPublic], responses=error_responses(401))
def list_catalog(actor: RequireActor, uow: UowDep) -> list[CatalogOptionPublic]:
    """The credit option catalogue (CRD-3, CRD-6)."""
    return [CatalogOptionPublic.of(e) for e in catalog.catalog(uow, actor)]


@router.put(
    "/catalog/{option_id}",
    response_model=CatalogOptionPublic,
    responses=error_responses(401, 403, 422),
)
def set_catalog_option(
    option_id: str, body: CatalogOptionSet, actor: RequireActor, uow: UowDep, application: AppDep
) -> CatalogOptionPublic:
    """Add or change a catalogue option (program admins); CRD-6's flag per option."""
    command = catalog.DefineOption(
        option_id,
        body.name,
        body.unit_price,
        body.refuses_public_sector_credits,
        body.description,
        body.active,
    )
    return CatalogOptionPublic.of(catalog.define_option(uow, actor, command, application.clock))


@router.get(
    "/statement/{organization_id}",
    response_model=CreditStatementPublic,
    responses={
        **error_responses(401, 403, 404),
        200: {"content": {"text/csv": {}}, "description": "JSON, or the lots as CSV."},
    },
)
def credit_statement(
    organization_id: str,
    actor: RequireActor,
    uow: UowDep,
    application: AppDep,
    as_of: Annotated[date | None, Query(description="The day; default today.")] = None,
    output: Annotated[
        Literal["json", "csv"], Query(alias="format", description="json or csv")
    ] = "json",
) -> CreditStatementPublic | Response:
    """CRD-5: the full statement, or the usable share an associate may see."""
    result = statements.credit_statement(
        uow, actor, OrganizationId(organization_id), clock=application.clock, as_of=as_of
    )
    if output == "csv":
        if result.statement is None:
            return Response(
                content="organization_id,principal_id,as_of,usable\n"
                + (
                    f"{result.share.organization_id},{result.share.principal_id},"
                    f"{result.share.as_of.isoformat()},{result.share.usable}\n"
                    if result.share
                    else ""
                ),
                media_type="text/csv",
            )
        s = result.statement
        return Response(
            content=statements.statement_csv(s),
            media_type="text/csv",
            headers={
                "Content-Disposition": (
                    f'attachment; filename="credits-{s.principal_id}-{s.as_of.isoformat()}.csv"'
                )
            },
        )
    return CreditStatementPublic.of(result)


@router.post(
    "/orders",
    response_model=OrderResultPublic,
    status_code=status.HTTP_201_CREATED,
    responses=error_responses(401, 403, 404, 409, 422),
)
def place_order(
    body: OrderCreate, actor: RequireActor, uow: UowDep, application: AppDep, response: Response
) -> OrderResultPublic:
    """CRD-2 / CRD-3 / CRD-6: order an option; its credits are held until delivery."""
    result = orders.place_order(
        uow,
        actor,
        orders.PlaceOrder(
            OrganizationId(body.organization_id),
            body.option_id,
            body.quantity,
            body.idempotency_key,
            beneficiary_id=OrganizationId(body.beneficiary_id) if body.beneficiary_id else None,
        ),
        application.clock,
    )
    if result.replayed:
        response.status_code = status.HTTP_200_OK
    return OrderResultPublic.of(result)


@router.get("/orders", response_model=list[OrderPublic], responses=error_responses(401, 403, 404))
def list_orders(
    actor: RequireActor,
    uow: UowDep,
    organization_id: Annotated[
        str | None, Query(description="Default: your own organisation.")
    ] = None,
    order_status: Annotated[RequestStatus | None, Query(alias="status")] = None,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
) -> list[OrderPublic]:
    """The orders on the principal's credits that the actor may see (X-6)."""
    org = organization_id or actor.organization_id
    if org is None:
        raise InvalidInput("name the organisation", field="organization_id", rule="X-6")
    found = orders.list_orders(uow, actor, OrganizationId(org), status=order_status, limit=limit)
    return [OrderPublic.of(o) for o in found]


@router.get(
    "/orders/{order_id}", response_model=OrderPublic, responses=error_responses(401, 403, 404)
)
def get_order(order_id: str, actor: RequireActor, uow: UowDep) -> OrderPublic:
    return OrderPublic.of(orders.get_order(uow, actor, order_id))


@router.post(
    "/orders/{order_id}/approve",
    response_model=OrderResultPublic,
    responses=error_responses(401, 403, 404, 422),
)
def approve_order(
    order_id: str, actor: RequireActor, uow: UowDep, application: AppDep
) -> OrderResultPublic:
    """CRD-2: the principal approves; the credits are held from the balance now."""
    return OrderResultPublic.of(orders.approve_order(uow, actor, order_id, application.clock))


@router.post(
    "/orders/{order_id}/reject",
    response_model=OrderResultPublic,
    responses=error_responses(401, 403, 404, 422),
)
def reject_order(
    order_id: str,
    body: OrderDecision,
    actor: RequireActor,
    uow: UowDep,
    application: AppDep,
) -> OrderResultPublic:
    """CRD-2: the principal refuses; nothing was held."""
    result = orders.reject_order(uow, actor, order_id, application.clock, note=body.note)
    return OrderResultPublic.of(result)


@router.post(
    "/orders/{order_id}/deliver",
    response_model=OrderResultPublic,
    responses=error_responses(401, 403, 404, 422),
)
def deliver_order(
    order_id: str, actor: RequireActor, uow: UowDep, application: AppDep
) -> OrderResultPublic:
    """CRD-3: delivered by the vendor; the held credits are spent."""
    return OrderResultPublic.of(orders.deliver_order(uow, actor, order_id, application.clock))


@router.post(
    "/orders/{order_id}/cancel",
    response_model=OrderResultPublic,
    responses=error_responses(401, 403, 404, 422),
)
def cancel_order(
    order_id: str, actor: RequireActor, uow: UowDep, application: AppDep
) -> OrderResultPublic:
    """CRD-3: cancelled; the held credits are released."""
    return OrderResultPublic.of(orders.cancel_order(uow, actor, order_id, application.clock))


@router.get(
    "/policies/{organization_id}",
    response_model=list[PolicyPublic],
    responses=error_responses(401, 403, 404),
)
def list_policies(organization_id: str, actor: RequireActor, uow: UowDep) -> list[PolicyPublic]:
    """CRD-2: how each organisation of the company may order with the principal's credits."""
    found = policies.associate_policies(uow, actor, OrganizationId(organization_id))
    return [PolicyPublic.of(p) for p in found]


@router.put(
    "/policies/{organization_id}",
    response_model=PolicyPublic,
    responses=error_responses(401, 403, 404, 422),
)
def set_policy(
    organization_id: str, body: PolicySet, actor: RequireActor, uow: UowDep, application: AppDep
) -> PolicyPublic:
    """CRD-2: the principal's administrators and credit managers set an associate's
    policy (or, on the principal, the default for every associate)."""
    command = policies.SetPolicy(
        OrganizationId(organization_id),
        body.policy,
        policies.parse_percentage(body.percentage),
    )
    return PolicyPublic.of(policies.set_policy(uow, actor, command, application.clock))
