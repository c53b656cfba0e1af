"""Facts of earned tiers (issue 5): ``POST /facts/{kind}`` imports one batch, all or nothing.

The body is either a file — ``multipart/form-data`` with ``file`` (``.csv`` or
``.parquet``) and optionally ``format`` and ``batch_key`` — or JSON rows
(:class:`~alliance.api.schemas.facts.FactRowsCreate`). Only program administrators may
import (403 otherwise). Every bad row is reported in one 422 answer, each problem with
its ``field``, ``rule`` and ``location`` (``certs.csv:7``, or ``row 3`` for JSON); 201
when facts were stored, 200 when the batch had been imported before (X-5).
``GET /facts`` counts the stored facts by kind (vendor staff).
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

from fastapi import APIRouter, Request, Response, status
from fastapi.concurrency import run_in_threadpool
from fastapi.exceptions import RequestValidationError
from pydantic import ValidationError
from starlette.datastructures import UploadFile

from alliance.api.dependencies import AppDep, RequireActor, UowDep
from alliance.api.schemas.errors import error_responses
from alliance.api.schemas.facts import FactCountsPublic, FactImportPublic, FactRowsCreate
from alliance.bootstrap import Application
from alliance.domain.access import Actor
from alliance.domain.errors import InvalidInput
from alliance.services.imports.usage_sources import UsageFormat
from alliance.services.ports import UnitOfWork
from alliance.services.tier_facts.imports import (
    FactImportResult,
    fact_counts,
    fact_kind,
    import_fact_file,
    import_fact_rows,
    mcpp_areas,
    require_fact_importer,
)

router = APIRouter(tags=["facts"])
UPLOAD_CHUNK = 1 << 20

_BODIES = {
    "requestBody": {
        "required": True,
        "content": {
            "multipart/form-data": {
                "schema": {
                    "type": "object",
                    "required": ["file"],
                    "properties": {
                        "file": {"type": "string", "format": "binary"},
                        "format": {"type": "string", "enum": ["csv", "parquet"]},
                        "batch_key": {"type": "string"},
                    },
                }
            },
            "application/json": {"schema": FactRowsCreate.model_json_schema()},
        },
    }
}


@router.post(
    "/facts/{kind}",
    response_model=FactImportPublic,
    status_code=status.HTTP_201_CREATED,
    responses=error_responses(401, 403, 422),
    openapi_extra=_BODIES,
)
async def import_facts(
    kind: str,
    request: Request,
    actor: RequireActor,
    uow: UowDep,
    application: AppDep,
    response: Response,
) -> FactImportPublic:
    """Import one batch of facts of ``kind`` (a file, or JSON rows): all or nothing."""
    require_fact_importer(actor)  # before reading a byte of the body
    fact = fact_kind(kind)
    areas = mcpp_areas(application.programs)
    if request.headers.get("content-type", "").startswith("multipart/form-data"):
        form = await request.form()
        upload = form.get("file")
        if not isinstance(upload, UploadFile):
            raise InvalidInput("send the file as the form field `file`", field="file", rule="X-7")
        fmt_given = form.get("format")
        key_given = form.get("batch_key")
        name = Path(upload.filename or f"{fact.value}.csv").name
        fmt = _format(fmt_given) if isinstance(fmt_given, str) and fmt_given else None
        key = key_given if isinstance(key_given, str) and key_given else None
        result = await run_in_threadpool(
            _import_upload, uow, actor, application, fact.value, upload, name, fmt, key, areas
        )
    else:
        try:
            body = FactRowsCreate.model_validate(await request.json())
        except ValidationError as error:
            raise RequestValidationError(
                [{**e, "loc": ("body", *e["loc"])} for e in error.errors()]
            ) from None
        except ValueError:
            raise InvalidInput(
                "send JSON rows or a multipart file", field="body", rule="X-7"
            ) from None
        result = await run_in_threadpool(
            lambda: import_fact_rows(
                uow,
                actor,
                fact,
                body.rows,
                clock=application.clock,
                areas=areas,
                batch_key=body.batch_key,
            )
        )
    if result.batch.replayed:
        response.status_code = status.HTTP_200_OK
    return FactImportPublic.of(result)


def _format(value: str) -> UsageFormat:
    try:
        return UsageFormat(value)
    except ValueError:
        raise InvalidInput(
            f"format {value!r} is not csv or parquet", field="format", rule="X-7"
        ) from None


def _import_upload(
    uow: UnitOfWork,
    actor: Actor,
    application: Application,
    kind: str,
    upload: UploadFile,
    name: str,
    fmt: UsageFormat | None,
    key: str | None,
    areas: frozenset[str],
) -> FactImportResult:
    fmt = fmt or UsageFormat.of(name)
    uploads = application.settings.data_dir / "uploads"
    uploads.mkdir(parents=True, exist_ok=True)
    with tempfile.NamedTemporaryFile(dir=uploads, suffix=f".{fmt.value}") as staged:
        shutil.copyfileobj(upload.file, staged, UPLOAD_CHUNK)
        staged.flush()
        return import_fact_file(
            uow,
            actor,
            kind,
            Path(staged.name),
            clock=application.clock,
            file_name=name,
            fmt=fmt,
            areas=areas,
            batch_key=key,
        )


@router.get("/facts", response_model=FactCountsPublic, responses=error_responses(401, 403))
def count_facts(actor: RequireActor, uow: UowDep) -> FactCountsPublic:
    """How many facts of each kind are stored (vendor staff)."""
    return FactCountsPublic(
        counts={kind.value: number for kind, number in fact_counts(uow, actor).items()}
    )
