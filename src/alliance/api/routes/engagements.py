"""Engagements (deal registration) and their rewards, under ``/engagements`` (issue 4).

Partners' people (with a bearer token) use the tool as themselves; the rules are the
use cases' (CCE-1…CCE-6, RWD-1…RWD-5), and tenancy is theirs too (X-6): a partner never
sees another company's engagements (403, and never in a list). Vendor staff see every
engagement; those who manage partners move them through review and record bookings,
finance staff release payouts and record supplier accounts.

* ``GET|POST /engagements/users`` (``?organization_id=``), ``POST
  /engagements/users/{person}/deactivation`` — the tool's users, at most 10 (CCE-1);
* ``GET /engagements/payouts``, ``PUT /engagements/suppliers/{organization}``;
* ``GET /engagements/customers`` — the partner's saved customers (CCE-3);
* ``GET /engagements/attachments/{id}`` — an attachment's file;
* ``GET|POST /engagements``, ``GET|PATCH /engagements/{id}`` — submit (CCE-3, all missing
  fields at once; CCE-4 duplicate check), read, edit (CCE-5);
* ``POST /engagements/{id}/notes``, ``POST /engagements/{id}/attachments`` (multipart:
  ``file``, ``category``) — at any time (CCE-5);
* ``GET|POST /engagements/{id}/transitions`` — the history, a vendor's move (CCE-6);
* ``GET|POST /engagements/{id}/duplicates`` — the stored check, a new check (CCE-4);
* ``POST /engagements/{id}/bookings`` (RWD-2), ``GET /engagements/{id}/payout`` (preview),
  ``POST /engagements/{id}/payouts`` (201, or 200 when released before: X-5).
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, File, Form, Query, Response, UploadFile, status
from fastapi.responses import FileResponse

from alliance.api.dependencies import AppDep, RequireActor, UowDep
from alliance.api.schemas.engagements import (
    AttachmentPublic,
    BookingCreate,
    BookingPublic,
    CustomerPublic,
    DuplicatePublic,
    EditResultPublic,
    EngagementCreate,
    EngagementPublic,
    EngagementSummary,
    EngagementUpdate,
    MoveResultPublic,
    NoteCreate,
    PayoutPreviewPublic,
    PayoutPublic,
    PayoutResultPublic,
    SupplierAccountPublic,
    SupplierAccountUpdate,
    ToolUserCreate,
    ToolUserPublic,
    ToolUsersPublic,
    TransitionCreate,
    TransitionPublic,
)
from alliance.api.schemas.errors import error_responses
from alliance.bootstrap import Application
from alliance.domain.engagement_rewards import DealLine, OrderKind, Sector, SupplierAccount
from alliance.domain.engagements import Category, Status
from alliance.domain.errors import InvalidInput
from alliance.domain.ids import OrganizationId, PersonId
from alliance.domain.money import Money
from alliance.services.engagement_rewards import bookings, payouts
from alliance.services.engagements import (
    attachments,
    changes,
    forms,
    lifecycle,
    queries,
    submissions,
    users,
)
from alliance.services.engagements.program import EngagementProgram, engagement_program

router = APIRouter(prefix="/engagements", tags=["engagements"])


def _program(application: Application) -> EngagementProgram:
    return engagement_program(
        application.programs, attachments_dir=application.settings.attachments_dir
    )


def _choice(
    kind: type[Sector] | type[OrderKind] | type[SupplierAccount], value: str, field: str, rule: str
) -> object:
    try:
        return kind(value)
    except ValueError:
        allowed = ", ".join(v.value for v in kind)
        raise InvalidInput(
            f"{field} is one of: {allowed}; got {value!r}", field=field, rule=rule
        ) from None


# -- users (CCE-1, CCE-2) ---------------------------------------------------------------


@router.get("/users", response_model=ToolUsersPublic, responses=error_responses(401, 403, 404))
def list_tool_users(
    organization_id: Annotated[str, Query(description="The partner organisation.")],
    actor: RequireActor,
    uow: UowDep,
    application: AppDep,
) -> ToolUsersPublic:
    """The partner's users of the tool, and the places left (CCE-1)."""
    found = users.list_users(
        uow, actor, OrganizationId(organization_id), program=_program(application)
    )
    return ToolUsersPublic.of(found)


@router.post(
    "/users",
    response_model=ToolUserPublic,
    status_code=status.HTTP_201_CREATED,
    responses=error_responses(401, 403, 404, 422),
)
def add_tool_user(
    body: ToolUserCreate, actor: RequireActor, uow: UowDep, application: AppDep
) -> ToolUserPublic:
    """A partner administrator gives one of its people access (CCE-1: 10 active at most)."""
    view = users.add_user(
        uow, actor, PersonId(body.person_id), program=_program(application), clock=application.clock
    )
    return ToolUserPublic.of(view)


@router.post(
    "/users/{person_id}/deactivation",
    response_model=ToolUserPublic,
    responses=error_responses(401, 403, 404),
)
def deactivate_tool_user(
    person_id: str, actor: RequireActor, uow: UowDep, application: AppDep
) -> ToolUserPublic:
    """Deactivate a user, which frees a place (CCE-1)."""
    return ToolUserPublic.of(
        users.deactivate_user(uow, actor, PersonId(person_id), clock=application.clock)
    )


# -- payouts and suppliers (RWD-4) ---------------------------------------------------------


@router.get("/payouts", response_model=list[PayoutPublic], responses=error_responses(401, 403))
def list_payouts(
    actor: RequireActor,
    uow: UowDep,
    engagement_id: Annotated[str | None, Query()] = None,
) -> list[PayoutPublic]:
    """Payouts one may see: its company's, or every one (staff)."""
    return [
        PayoutPublic.of(p) for p in payouts.list_payouts(uow, actor, engagement_id=engagement_id)
    ]


@router.put(
    "/suppliers/{organization_id}",
    response_model=SupplierAccountPublic,
    responses=error_responses(401, 403, 404, 422),
)
def set_supplier_account(
    organization_id: str,
    body: SupplierAccountUpdate,
    actor: RequireActor,
    uow: UowDep,
    application: AppDep,
) -> SupplierAccountPublic:
    """The vendor records a partner's supplier account (RWD-4)."""
    chosen = _choice(SupplierAccount, body.status, "status", "RWD-4")
    assert isinstance(chosen, SupplierAccount)
    found = payouts.set_supplier_account(
        uow, actor, OrganizationId(organization_id), chosen, clock=application.clock
    )
    return SupplierAccountPublic(organization_id=organization_id, status=found.value)


@router.get(
    "/customers", response_model=list[CustomerPublic], responses=error_responses(401, 403, 422)
)
def list_customers(
    actor: RequireActor,
    uow: UowDep,
    partner_id: Annotated[str | None, Query(description="Staff name the partner.")] = None,
) -> list[CustomerPublic]:
    """The customers a partner saved for reuse (CCE-3): submit with ``customer_id``."""
    found = queries.list_customers(uow, actor, OrganizationId(partner_id) if partner_id else None)
    return [CustomerPublic.of(c) for c in found]


@router.get(
    "/attachments/{attachment_id}",
    response_class=FileResponse,
    responses=error_responses(401, 403, 404),
)
def download_attachment(
    attachment_id: str, actor: RequireActor, uow: UowDep, application: AppDep
) -> FileResponse:
    """An attachment's file, for whoever may see its engagement (X-6)."""
    found, path = attachments.open_attachment(
        uow, actor, attachment_id, program=_program(application)
    )
    return FileResponse(path, media_type=found.content_type, filename=found.name)


# -- engagements ----------------------------------------------------------------------------


@router.get("", response_model=list[EngagementSummary], responses=error_responses(401, 422))
def list_engagements(
    actor: RequireActor,
    uow: UowDep,
    partner_id: Annotated[str | None, Query()] = None,
    state: Annotated[Status | None, Query(alias="status")] = None,
    category: Annotated[Category | None, Query()] = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
    offset: Annotated[int, Query(ge=0)] = 0,
) -> list[EngagementSummary]:
    """The engagements one may see, newest first (X-6: a partner, its own company's)."""
    found = queries.list_engagements(
        uow,
        actor,
        partner_id=OrganizationId(partner_id) if partner_id else None,
        status=state,
        category=category,
        limit=limit,
        offset=offset,
    )
    return [EngagementSummary.of(r) for r in found]


@router.post(
    "",
    response_model=EngagementPublic,
    status_code=status.HTTP_201_CREATED,
    responses=error_responses(401, 403, 404, 422),
)
def submit_engagement(
    body: EngagementCreate, actor: RequireActor, uow: UowDep, application: AppDep
) -> EngagementPublic:
    """Submit an engagement: every missing field named at once (CCE-3); an opportunity is
    checked for duplicates, the verdict explained (CCE-4)."""
    found = submissions.submit(
        uow,
        actor,
        forms.read_form(body.form()),
        program=_program(application),
        clock=application.clock,
    )
    return EngagementPublic.of(found)


@router.get(
    "/{engagement_id}", response_model=EngagementPublic, responses=error_responses(401, 403, 404)
)
def get_engagement(engagement_id: str, actor: RequireActor, uow: UowDep) -> EngagementPublic:
    return EngagementPublic.of(queries.get_engagement(uow, actor, engagement_id))


@router.patch(
    "/{engagement_id}",
    response_model=EditResultPublic,
    responses=error_responses(401, 403, 404, 409, 422),
)
def edit_engagement(
    engagement_id: str,
    body: EngagementUpdate,
    actor: RequireActor,
    uow: UowDep,
    application: AppDep,
) -> EditResultPublic:
    """Edit under CCE-5: the customer never, a closed deal not at all (notes and
    attachments excepted); product changes go to the vendor's sales team."""
    result = changes.edit_engagement(
        uow,
        actor,
        engagement_id,
        forms.read_edit(body.changes()),
        program=_program(application),
        clock=application.clock,
    )
    return EditResultPublic.of(result)


@router.post(
    "/{engagement_id}/notes",
    response_model=EngagementPublic,
    status_code=status.HTTP_201_CREATED,
    responses=error_responses(401, 403, 404, 422),
)
def add_note(
    engagement_id: str, body: NoteCreate, actor: RequireActor, uow: UowDep, application: AppDep
) -> EngagementPublic:
    """A note, at any time — even after the deal closed (CCE-5)."""
    result = changes.add_note(
        uow, actor, engagement_id, body.text, program=_program(application), clock=application.clock
    )
    return EngagementPublic.of(result.engagement)


@router.post(
    "/{engagement_id}/attachments",
    response_model=AttachmentPublic,
    status_code=status.HTTP_201_CREATED,
    responses=error_responses(401, 403, 404, 422),
)
def add_attachment(
    engagement_id: str,
    file: Annotated[UploadFile, File(description="The document (PDF, image, text, Office).")],
    category: Annotated[str, Form(description="invoice, statement_of_work, miscellaneous…")],
    actor: RequireActor,
    uow: UowDep,
    application: AppDep,
) -> AttachmentPublic:
    """A document with a category, at any time (CCE-5); an Invoice is what a monetary
    payout needs (RWD-4)."""
    upload = attachments.Upload(
        file.filename or "attachment", file.content_type or "", file.file, category
    )
    _result, stored = attachments.attach(
        uow, actor, engagement_id, upload, program=_program(application), clock=application.clock
    )
    return AttachmentPublic.of(stored)


@router.get(
    "/{engagement_id}/transitions",
    response_model=list[TransitionPublic],
    responses=error_responses(401, 403, 404),
)
def list_transitions(
    engagement_id: str, actor: RequireActor, uow: UowDep
) -> list[TransitionPublic]:
    """Every move: from, to, who, when (CCE-6)."""
    found = queries.get_engagement(uow, actor, engagement_id)
    return [TransitionPublic.of(t) for t in found.transitions]


@router.post(
    "/{engagement_id}/transitions",
    response_model=MoveResultPublic,
    responses=error_responses(401, 403, 404, 422),
)
def move_engagement(
    engagement_id: str,
    body: TransitionCreate,
    actor: RequireActor,
    uow: UowDep,
    application: AppDep,
) -> MoveResultPublic:
    """The vendor moves an engagement (CCE-6); a move not in the table is refused."""
    result = lifecycle.move_engagement(
        uow, actor, engagement_id, body.to, program=_program(application), clock=application.clock
    )
    return MoveResultPublic.of(result)


@router.get(
    "/{engagement_id}/duplicates",
    response_model=DuplicatePublic | None,
    responses=error_responses(401, 403, 404),
)
def stored_duplicates(
    engagement_id: str, actor: RequireActor, uow: UowDep
) -> DuplicatePublic | None:
    """The stored duplicate check (CCE-4); null for account planning."""
    found = queries.get_engagement(uow, actor, engagement_id)
    return EngagementPublic.of(found).duplicate


@router.post(
    "/{engagement_id}/duplicates",
    response_model=DuplicatePublic | None,
    responses=error_responses(401, 403, 404),
)
def recheck_duplicates(
    engagement_id: str, actor: RequireActor, uow: UowDep, application: AppDep
) -> DuplicatePublic | None:
    """Check again, now (CCE-4); the verdict replaces the stored one."""
    found = submissions.recheck_duplicates(
        uow, actor, engagement_id, program=_program(application), clock=application.clock
    )
    return EngagementPublic.of(found).duplicate


@router.post(
    "/{engagement_id}/bookings",
    response_model=BookingPublic,
    status_code=status.HTTP_201_CREATED,
    responses=error_responses(401, 403, 404, 422),
)
def book(
    engagement_id: str,
    body: BookingCreate,
    actor: RequireActor,
    uow: UowDep,
    application: AppDep,
) -> BookingPublic:
    """The order as booked: thresholds checked again and the payout recomputed (RWD-2)."""
    lines = None
    if body.lines is not None:
        lines = tuple(
            DealLine(
                line.product,
                line.family.lower(),
                Money.of(line.amount.amount, line.amount.currency),
            )
            for line in body.lines
        )
    sector = _choice(Sector, body.sector, "sector", "RWD-1") if body.sector else None
    kind = _choice(OrderKind, body.order_kind, "order_kind", "RWD-3") if body.order_kind else None
    assert sector is None or isinstance(sector, Sector)
    assert kind is None or isinstance(kind, OrderKind)
    recheck = bookings.record_booking(
        uow,
        actor,
        engagement_id,
        bookings.Booking(lines=lines, sector=sector, order_kind=kind, country=body.country),
        program=_program(application),
        clock=application.clock,
    )
    return BookingPublic.of(recheck)


@router.get(
    "/{engagement_id}/payout",
    response_model=PayoutPreviewPublic,
    responses=error_responses(401, 403, 404, 422),
)
def preview_payout(
    engagement_id: str, actor: RequireActor, uow: UowDep, application: AppDep
) -> PayoutPreviewPublic:
    """What the engagement would pay now, and why (RWD-1, RWD-3, RWD-5)."""
    payout, why = payouts.preview_payout(uow, actor, engagement_id, program=_program(application))
    return PayoutPreviewPublic.of(payout, why)


@router.post(
    "/{engagement_id}/payouts",
    response_model=PayoutResultPublic,
    status_code=status.HTTP_201_CREATED,
    responses=error_responses(401, 403, 404, 422),
)
def release_payout(
    engagement_id: str,
    actor: RequireActor,
    uow: UowDep,
    application: AppDep,
    response: Response,
) -> PayoutResultPublic:
    """Pay the reward of a won deal: money once an Invoice and a supplier account exist
    (RWD-4), credits at once; 200 when released before (X-5)."""
    result = payouts.release_payout(
        uow, actor, engagement_id, program=_program(application), clock=application.clock
    )
    if result.replayed:
        response.status_code = status.HTTP_200_OK
    return PayoutResultPublic.of(result)
