"""The outbox and the webhook endpoints in SQL: ``outbox`` and ``webhook_endpoints`` rows ↔
the domain's :class:`~alliance.domain.notifications.Delivery` and
:class:`~alliance.domain.notifications.WebhookEndpoint`.

Enqueueing is ``INSERT … ON CONFLICT (event_id, target) DO NOTHING``: the same event for
the same target twice is one row. A worker claims due rows with ``SELECT … FOR UPDATE
SKIP LOCKED`` on PostgreSQL, so that workers running side by side never pick the same
row; on SQLite the unit of work's ``BEGIN IMMEDIATE`` already serialises them. Outcomes
change only ``pending`` rows: a delivered or dead row stays so.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import RowMapping, Select, insert, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from alliance.domain.errors import NotFound
from alliance.domain.notifications import (
    Delivery,
    DeliveryKind,
    DeliveryStatus,
    WebhookEndpoint,
)
from alliance.store.integrity import guarded
from alliance.store.notification_tables import outbox, webhook_endpoints

NOUN = "delivery"
WEBHOOK_NOUN = "webhook endpoint"


def _delivery(row: RowMapping) -> Delivery:
    return Delivery(
        id=row["id"],
        kind=DeliveryKind(row["kind"]),
        event_id=row["event_id"],
        event_type=row["event_type"],
        payload=row["payload"],
        target=row["target"],
        created_at=row["created_at"],
        next_attempt_at=row["next_attempt_at"],
        status=DeliveryStatus(row["status"]),
        attempts=row["attempts"],
        last_error=row["last_error"],
        delivered_at=row["delivered_at"],
    )


def _endpoint(row: RowMapping) -> WebhookEndpoint:
    return WebhookEndpoint(
        id=row["id"],
        url=row["url"],
        event_types=tuple(row["event_types"]),
        secret=row["secret"],
        created_at=row["created_at"],
        active=bool(row["active"]),
    )


class SqlOutbox:
    def __init__(self, session: Session) -> None:
        self._session = session
        self._dialect = session.get_bind().dialect.name

    def add(self, delivery: Delivery) -> bool:
        dialect_insert = postgresql.insert if self._dialect == "postgresql" else sqlite.insert
        statement = (
            dialect_insert(outbox)
            .values(
                id=delivery.id,
                kind=delivery.kind.value,
                event_id=delivery.event_id,
                event_type=delivery.event_type,
                payload=dict(delivery.payload),
                target=delivery.target,
                status=delivery.status.value,
                attempts=delivery.attempts,
                next_attempt_at=delivery.next_attempt_at,
                last_error=delivery.last_error,
                created_at=delivery.created_at,
                delivered_at=delivery.delivered_at,
            )
            .on_conflict_do_nothing(index_elements=[outbox.c.event_id, outbox.c.target])
            .returning(outbox.c.id)
        )
        with guarded(self._session, outbox, NOUN):
            added = self._session.execute(statement).scalar_one_or_none()
        return added is not None

    def claim_due(self, now: datetime, *, limit: int, lease_until: datetime) -> list[Delivery]:
        query = (
            select(outbox.c.id)
            .where(outbox.c.status == DeliveryStatus.PENDING.value)
            .where(outbox.c.next_attempt_at <= now)
            .order_by(outbox.c.next_attempt_at, outbox.c.id)
            .limit(limit)
        )
        if self._dialect == "postgresql":
            query = query.with_for_update(skip_locked=True)
        ids = list(self._session.execute(query).scalars())
        if not ids:
            return []
        claimed = self._session.execute(
            update(outbox)
            .where(outbox.c.id.in_(ids))
            .values(attempts=outbox.c.attempts + 1, next_attempt_at=lease_until)
            .returning(*outbox.c)
        ).mappings()
        by_id = {row["id"]: _delivery(row) for row in claimed}
        return [by_id[delivery_id] for delivery_id in ids]

    def mark_delivered(self, delivery_id: str, at: datetime) -> None:
        self._settle(delivery_id, status=DeliveryStatus.DELIVERED, delivered_at=at)

    def mark_failed(self, delivery_id: str, error: str, retry_at: datetime | None) -> None:
        if retry_at is None:
            self._settle(delivery_id, status=DeliveryStatus.DEAD, last_error=error)
        else:
            self._settle(delivery_id, next_attempt_at=retry_at, last_error=error)

    def _settle(self, delivery_id: str, **values: object) -> None:
        with guarded(self._session, outbox, NOUN):
            self._session.execute(
                update(outbox)
                .where(outbox.c.id == delivery_id)
                .where(outbox.c.status == DeliveryStatus.PENDING.value)
                .values(**values)
            )

    def get(self, delivery_id: str) -> Delivery | None:
        found = self._session.execute(select(outbox).where(outbox.c.id == delivery_id))
        row = found.mappings().one_or_none()
        return _delivery(row) if row is not None else None

    def list(
        self,
        *,
        status: DeliveryStatus | None = None,
        event_id: str | None = None,
        limit: int = 100,
    ) -> list[Delivery]:
        query: Select[tuple[object, ...]] = select(outbox)
        if status is not None:
            query = query.where(outbox.c.status == status.value)
        if event_id is not None:
            query = query.where(outbox.c.event_id == event_id)
        query = query.order_by(outbox.c.created_at, outbox.c.id).limit(limit)
        return [_delivery(row) for row in self._session.execute(query).mappings()]


class SqlWebhookRepository:
    def __init__(self, session: Session) -> None:
        self._session = session

    def add(self, endpoint: WebhookEndpoint) -> None:
        with guarded(self._session, webhook_endpoints, WEBHOOK_NOUN):
            self._session.execute(
                insert(webhook_endpoints).values(
                    id=endpoint.id,
                    url=endpoint.url,
                    event_types=list(endpoint.event_types),
                    secret=endpoint.secret,
                    active=endpoint.active,
                    created_at=endpoint.created_at,
                )
            )

    def get(self, endpoint_id: str) -> WebhookEndpoint | None:
        query = select(webhook_endpoints).where(webhook_endpoints.c.id == endpoint_id)
        row = self._session.execute(query).mappings().one_or_none()
        return _endpoint(row) if row is not None else None

    def list(self, *, active_only: bool = False) -> list[WebhookEndpoint]:
        query = select(webhook_endpoints)
        if active_only:
            query = query.where(webhook_endpoints.c.active.is_(True))
        query = query.order_by(webhook_endpoints.c.created_at, webhook_endpoints.c.id)
        return [_endpoint(row) for row in self._session.execute(query).mappings()]

    def set_active(self, endpoint_id: str, active: bool) -> None:
        with guarded(self._session, webhook_endpoints, WEBHOOK_NOUN):
            found = self._session.execute(
                update(webhook_endpoints)
                .where(webhook_endpoints.c.id == endpoint_id)
                .values(active=active)
                .returning(webhook_endpoints.c.id)
            ).scalar_one_or_none()
        if found is None:
            raise NotFound(f"no {WEBHOOK_NOUN} {endpoint_id}", field="webhook_id")
