"""The audit log search (X-4, issue 6): staff who may view the audit filter the journal by
entity type, entity id and organisation (:func:`search_audit`)."""

from __future__ import annotations

import json
from typing import Annotated

from fastapi import APIRouter, Query
from starlette.responses import Response

from alliance.services.audit_log import AuditQuery, search_audit
from alliance.web.pages import PageDep, PageRoute
from alliance.web.vendor import require_vendor

router = APIRouter(route_class=PageRoute)


@router.get("/vendor/audit", name="vendor_audit")
def audit(
    page: PageDep,
    entity_type: Annotated[str, Query(max_length=80)] = "",
    entity_id: Annotated[str, Query(max_length=120)] = "",
    organization_id: Annotated[str, Query(max_length=120)] = "",
    limit: Annotated[int, Query()] = 50,
) -> Response:
    actor = require_vendor(page)
    query = AuditQuery(entity_type, entity_id, organization_id, limit)
    records = search_audit(page.application.uow_factory(), actor, query)
    return page.render(
        "vendor_audit.html",
        {
            "query": query,
            "records": records,
            "as_json": lambda value: json.dumps(value, ensure_ascii=False, sort_keys=True),
        },
    )
