"""Customer rewards (OSR): usage imports, accruals, expiries, statements, invoice redemptions.

* ``POST /imports/usage`` — a usage file (CSV or Parquet, multipart), program admins and
  finance staff only; all or nothing (X-7), once per content (X-5: 200 and
  ``already_imported`` the second time, 201 the first).
* ``POST /rewards/accruals`` ``{month}`` and ``POST /rewards/expiries`` ``{as_of}`` —
  the monthly accrual (OSR-12) and the expiry run (OSR-14), for the same staff.
* ``GET /customers/{id}/rewards/statement?as_of=`` — the customer's people see their own
  corporate hierarchy only (403 for another customer, X-6); staff per role.
* ``GET /invoices/{id}`` and ``POST /invoices/{id}/redemptions`` ``{amount?,
  idempotency_key}`` — paid by the hierarchy's people or an authorised support-renewal
  partner's (OSR-10, OSR-18); 201 when paid, 200 when the key was used before (X-5).
"""

from __future__ import annotations

import shutil
import tempfile
from datetime import date
from pathlib import Path
from typing import Annotated

from fastapi import APIRouter, File, Form, Query, Response, UploadFile, status

from alliance.api.dependencies import AppDep, RequireActor, UowDep
from alliance.api.schemas.errors import error_responses
from alliance.api.schemas.rewards import (
    AccrualCreate,
    AccrualPublic,
    ExpiryCreate,
    ExpiryPublic,
    InvoicePublic,
    RedemptionCreate,
    RedemptionResultPublic,
    StatementPublic,
    UsageImportPublic,
)
from alliance.domain.calendar import Month
from alliance.domain.ids import OrganizationId
from alliance.services.imports.usage import import_usage
from alliance.services.imports.usage_sources import UsageFormat
from alliance.services.reward_terms import reward_program
from alliance.services.rewards import accrual, expiry, redemptions, statements
from alliance.services.rewards.access import require_operator

router = APIRouter(tags=["rewards"])
UPLOAD_CHUNK = 1 << 20


@router.post(
    "/imports/usage",
    response_model=UsageImportPublic,
    status_code=status.HTTP_201_CREATED,
    responses=error_responses(401, 403, 422),
)
def import_usage_file(
    file: Annotated[UploadFile, File(description="Usage lines, .csv or .parquet.")],
    actor: RequireActor,
    uow: UowDep,
    application: AppDep,
    response: Response,
    file_format: Annotated[UsageFormat | None, Form(alias="format")] = None,
) -> UsageImportPublic:
    """Import usage lines: every row is checked first, then all or nothing (X-7)."""
    require_operator(actor)  # before reading a byte of the upload
    name = Path(file.filename or "usage").name
    fmt = file_format or UsageFormat.of(name)
    uploads = application.settings.data_dir / "uploads"
    uploads.mkdir(parents=True, exist_ok=True)
    with tempfile.NamedTemporaryFile(dir=uploads, suffix=f".{fmt.value}") as staged:
        shutil.copyfileobj(file.file, staged, UPLOAD_CHUNK)
        staged.flush()
        result = import_usage(
            uow,
            actor,
            Path(staged.name),
            data_dir=application.settings.data_dir,
            clock=application.clock,
            file_name=name,
            fmt=fmt,
        )
    if result.already_imported:
        response.status_code = status.HTTP_200_OK
    return UsageImportPublic.of(result)


@router.post(
    "/rewards/accruals", response_model=AccrualPublic, responses=error_responses(401, 403, 422)
)
def accrue_month(
    body: AccrualCreate, actor: RequireActor, uow: UowDep, application: AppDep
) -> AccrualPublic:
    """Accrue a month's rewards over the imported usage; a rerun posts nothing new."""
    report = accrual.accrue(
        uow,
        actor,
        Month.parse(body.month),
        program=reward_program(application.programs, body.program),
        data_dir=application.settings.data_dir,
        clock=application.clock,
    )
    return AccrualPublic.of(report)


@router.post(
    "/rewards/expiries", response_model=ExpiryPublic, responses=error_responses(401, 403, 422)
)
def expire_lots(
    body: ExpiryCreate, actor: RequireActor, uow: UowDep, application: AppDep
) -> ExpiryPublic:
    """Expire what is left of every lot past its expiry on ``as_of`` (OSR-14)."""
    return ExpiryPublic.of(expiry.expire(uow, actor, body.as_of, clock=application.clock))


@router.get(
    "/customers/{customer_id}/rewards/statement",
    response_model=StatementPublic,
    responses=error_responses(401, 403, 404),
)
def customer_statement(
    customer_id: str,
    actor: RequireActor,
    uow: UowDep,
    application: AppDep,
    as_of: Annotated[date | None, Query(description="The day; default today.")] = None,
    program: Annotated[str, Query(max_length=40)] = "osr",
) -> StatementPublic:
    """Accrued, available, expiring, used and expired rewards, lot by lot (OSR-17)."""
    found = statements.reward_statement(
        uow,
        actor,
        OrganizationId(customer_id),
        program=reward_program(application.programs, program),
        clock=application.clock,
        as_of=as_of,
    )
    return StatementPublic.of(found)


@router.get(
    "/invoices/{invoice_id}", response_model=InvoicePublic, responses=error_responses(401, 403, 404)
)
def get_invoice(
    invoice_id: str, actor: RequireActor, uow: UowDep, application: AppDep
) -> InvoicePublic:
    """A support invoice, what rewards paid of it and may still pay (OSR-19, OSR-20)."""
    found = redemptions.invoice_status(
        uow, actor, invoice_id, program=reward_program(application.programs)
    )
    return InvoicePublic.of(found)


@router.post(
    "/invoices/{invoice_id}/redemptions",
    response_model=RedemptionResultPublic,
    status_code=status.HTTP_201_CREATED,
    responses=error_responses(401, 403, 404, 409, 422),
)
def redeem(
    invoice_id: str,
    body: RedemptionCreate,
    actor: RequireActor,
    uow: UowDep,
    application: AppDep,
    response: Response,
) -> RedemptionResultPublic:
    """Pay the invoice's pre-tax amount with rewards, earliest expiry first (OSR-19…23)."""
    result = redemptions.redeem_invoice(
        uow,
        actor,
        redemptions.RedeemInvoice(invoice_id, body.amount, body.idempotency_key),
        program=reward_program(application.programs),
        clock=application.clock,
    )
    if result.replayed:
        response.status_code = status.HTTP_200_OK
    return RedemptionResultPublic.of(result)
