"""Searching the audit journal (X-4): what changed, who changed it, when — for vendor
staff whose role may view the audit (``Permission.VIEW_AUDIT`` over every organisation).

A partner's people are refused (X-6): the journal spans every company.
"""

from __future__ import annotations

from dataclasses import dataclass

from alliance.domain.access import Actor, Permission, require_everywhere
from alliance.domain.audit import AuditRecord
from alliance.domain.errors import InvalidInput
from alliance.services.ports import UnitOfWork

MAX_LIMIT = 500


@dataclass(frozen=True)
class AuditQuery:
    """What to look for; an empty field matches everything."""

    entity_type: str = ""
    entity_id: str = ""
    organization_id: str = ""
    limit: int = 100


def search_audit(uow: UnitOfWork, actor: Actor, query: AuditQuery) -> list[AuditRecord]:
    """The matching records, newest first, at most ``query.limit``."""
    require_everywhere(actor, Permission.VIEW_AUDIT)
    if not 1 <= query.limit <= MAX_LIMIT:
        raise InvalidInput(f"limit is 1 to {MAX_LIMIT}", field="limit", rule="X-7")
    with uow:
        return uow.audit.search(
            entity_type=query.entity_type.strip() or None,
            entity_id=query.entity_id.strip() or None,
            organization_ids=[query.organization_id.strip()]
            if query.organization_id.strip()
            else None,
            limit=query.limit,
        )
