"""The audit journal in SQL (X-4): append and search, nothing else.

The table's triggers refuse UPDATE and DELETE, so even a raw SQL statement cannot
rewrite history; this repository offers no way to try.
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import RowMapping, insert, select
from sqlalchemy.orm import Session

from alliance.domain.audit import AuditRecord
from alliance.store.integrity import guarded
from alliance.store.tables import audit_log


def _record(row: RowMapping) -> AuditRecord:
    return AuditRecord(
        actor=row["actor"],
        action=row["action"],
        entity_type=row["entity_type"],
        entity_id=row["entity_id"],
        at=row["at"],
        old=row["old"],
        new=row["new"],
        organization_id=row["organization_id"],
        context=row["context"] or {},
    )


class SqlAuditJournal:
    def __init__(self, session: Session) -> None:
        self._session = session

    def append(self, record: AuditRecord) -> None:
        with guarded(self._session, audit_log, "audit record"):
            self._session.execute(
                insert(audit_log).values(
                    at=record.at,
                    actor=record.actor,
                    action=record.action,
                    entity_type=record.entity_type,
                    entity_id=record.entity_id,
                    organization_id=record.organization_id,
                    old=dict(record.old) if record.old is not None else None,
                    new=dict(record.new) if record.new is not None else None,
                    context=dict(record.context),
                )
            )

    def search(
        self,
        *,
        entity_type: str | None = None,
        entity_id: str | None = None,
        organization_ids: Sequence[str] | None = None,
        limit: int = 100,
    ) -> list[AuditRecord]:
        """The newest ``limit`` records matching every filter given, newest first."""
        query = select(audit_log)
        if entity_type is not None:
            query = query.where(audit_log.c.entity_type == entity_type)
        if entity_id is not None:
            query = query.where(audit_log.c.entity_id == entity_id)
        if organization_ids is not None:
            if not organization_ids:
                return []
            query = query.where(audit_log.c.organization_id.in_(list(organization_ids)))
        query = query.order_by(audit_log.c.id.desc()).limit(limit)
        return [_record(row) for row in self._session.execute(query).mappings()]
