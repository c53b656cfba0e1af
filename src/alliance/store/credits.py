"""Partner credits in SQL: the ``uow.credits`` store (:class:`CreditStore`).

Catalogue options, credit option orders, associate policies and approvals, translated
to the records of :mod:`alliance.services.credits.ports`. The balances are the ledger's;
:meth:`SqlCreditStore.lock_wallet` takes the ledger's own lock on the principal's credit
book (its wallet account row, ``SELECT … FOR UPDATE`` on PostgreSQL; SQLite's
``BEGIN IMMEDIATE`` already serialises writers), so a policy decided on the balance and
the hold that follows happen under one lock (CRD-2 "at order time", CRD-3).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from sqlalchemy import RowMapping, insert, select, update
from sqlalchemy.orm import Session

from alliance.domain.clock import Clock
from alliance.domain.credits import AssociatePolicy, RequestStatus
from alliance.domain.ids import OrganizationId
from alliance.domain.ledger import Book
from alliance.services.credits.ports import (
    ApprovalRecord,
    CatalogEntry,
    CreditOrder,
    PolicyRecord,
)
from alliance.store.credit_tables import (
    credit_associate_policies,
    credit_catalog_options,
    credit_order_approvals,
    credit_orders,
)
from alliance.store.integrity import guarded
from alliance.store.ledger_writes import LedgerWrites

ORD, CAT, POL, APP = (
    credit_orders,
    credit_catalog_options,
    credit_associate_policies,
    (credit_order_approvals),
)


class SqlCreditStore:
    """Implements :class:`alliance.services.credits.ports.CreditStore`."""

    def __init__(self, session: Session, clock: Clock) -> None:
        self._session = session
        self._clock = clock

    def lock_wallet(self, principal_id: OrganizationId, wallet: str, unit: str) -> None:
        LedgerWrites(self._session).lock_books([Book(principal_id, wallet, unit)])

    # -- catalogue ----------------------------------------------------------------------

    def options(self) -> list[CatalogEntry]:
        rows = self._session.execute(select(CAT).order_by(CAT.c.id)).mappings()
        return [_option(row) for row in rows]

    def option(self, option_id: str) -> CatalogEntry | None:
        row = self._session.execute(select(CAT).where(CAT.c.id == option_id)).mappings().first()
        return _option(row) if row is not None else None

    def save_option(self, entry: CatalogEntry) -> None:
        now = self._clock.now()
        values = {
            "name": entry.name,
            "description": entry.description,
            "unit_price": entry.unit_price,
            "refuses_public_sector_credits": entry.refuses_public_sector_credits,
            "active": entry.active,
            "updated_at": now,
        }
        with guarded(self._session, CAT, "catalogue option"):
            if self.option(entry.id) is None:
                self._session.execute(insert(CAT).values(id=entry.id, created_at=now, **values))
            else:
                self._session.execute(update(CAT).where(CAT.c.id == entry.id).values(**values))

    # -- orders -------------------------------------------------------------------------

    def add_order(self, order: CreditOrder) -> None:
        with guarded(self._session, ORD, "credit order"):
            self._session.execute(insert(ORD).values(**_order_row(order)))

    def order(self, order_id: str, *, for_update: bool = False) -> CreditOrder | None:
        query = select(ORD).where(ORD.c.id == order_id)
        if for_update and self._session.get_bind().dialect.name == "postgresql":
            query = query.with_for_update()
        row = self._session.execute(query).mappings().first()
        return _order(row) if row is not None else None

    def order_for_key(
        self, organization_id: OrganizationId, idempotency_key: str
    ) -> CreditOrder | None:
        query = select(ORD).where(
            ORD.c.organization_id == organization_id, ORD.c.idempotency_key == idempotency_key
        )
        row = self._session.execute(query).mappings().first()
        return _order(row) if row is not None else None

    def update_order(self, order: CreditOrder) -> None:
        row = _order_row(order)
        changed = {
            k: row[k]
            for k in (
                "status",
                "hold_id",
                "excluded_tags",
                "policy",
                "policy_limit",
                "updated_at",
                "settled_at",
                "settled_by",
            )
        }
        with guarded(self._session, ORD, "credit order"):
            self._session.execute(update(ORD).where(ORD.c.id == order.id).values(**changed))

    def orders(
        self,
        *,
        principal_id: OrganizationId | None = None,
        organization_ids: list[OrganizationId] | None = None,
        status: RequestStatus | None = None,
        limit: int = 100,
    ) -> list[CreditOrder]:
        query = select(ORD)
        if principal_id is not None:
            query = query.where(ORD.c.principal_id == principal_id)
        if organization_ids is not None:
            query = query.where(
                ORD.c.organization_id.in_(organization_ids)
                | ORD.c.beneficiary_id.in_(organization_ids)
            )
        if status is not None:
            query = query.where(ORD.c.status == status.value)
        query = query.order_by(ORD.c.created_at, ORD.c.id).limit(limit)
        return [_order(row) for row in self._session.execute(query).mappings()]

    # -- associate policies -------------------------------------------------------------

    def policy(self, organization_id: OrganizationId) -> PolicyRecord | None:
        query = select(POL).where(POL.c.organization_id == organization_id)
        row = self._session.execute(query).mappings().first()
        return _policy(row) if row is not None else None

    def policies_of(self, principal_id: OrganizationId) -> list[PolicyRecord]:
        query = (
            select(POL).where(POL.c.principal_id == principal_id).order_by(POL.c.organization_id)
        )
        return [_policy(row) for row in self._session.execute(query).mappings()]

    def save_policy(self, record: PolicyRecord) -> None:
        values = {
            "principal_id": record.principal_id,
            "policy": record.policy.value,
            "percentage": record.percentage,
            "set_by": record.set_by,
            "set_at": record.set_at,
        }
        with guarded(self._session, POL, "credit policy"):
            if self.policy(record.organization_id) is None:
                self._session.execute(
                    insert(POL).values(organization_id=record.organization_id, **values)
                )
            else:
                self._session.execute(
                    update(POL)
                    .where(POL.c.organization_id == record.organization_id)
                    .values(**values)
                )

    # -- approvals ----------------------------------------------------------------------

    def add_approval(self, record: ApprovalRecord) -> None:
        with guarded(self._session, APP, "credit approval"):
            self._session.execute(
                insert(APP).values(
                    order_id=record.order_id,
                    approved=record.approved,
                    decided_by=record.decided_by,
                    decided_at=record.decided_at,
                    note=record.note,
                )
            )

    def approval(self, order_id: str) -> ApprovalRecord | None:
        row = (
            self._session.execute(select(APP).where(APP.c.order_id == order_id)).mappings().first()
        )
        if row is None:
            return None
        return ApprovalRecord(
            row["order_id"],
            bool(row["approved"]),
            row["decided_by"],
            row["decided_at"],
            row["note"],
        )


def _option(row: RowMapping) -> CatalogEntry:
    return CatalogEntry(
        id=row["id"],
        name=row["name"],
        unit_price=Decimal(row["unit_price"]),
        refuses_public_sector_credits=bool(row["refuses_public_sector_credits"]),
        description=row["description"],
        active=bool(row["active"]),
    )


def _order_row(order: CreditOrder) -> dict[str, Any]:
    return {
        "id": order.id,
        "idempotency_key": order.idempotency_key,
        "request": order.request,
        "option_id": order.option_id,
        "option_name": order.option_name,
        "refuses_public_sector_credits": order.refuses_public_sector_credits,
        "quantity": order.quantity,
        "unit_price": order.unit_price,
        "amount": order.amount,
        "organization_id": order.organization_id,
        "beneficiary_id": order.beneficiary_id,
        "principal_id": order.principal_id,
        "requester_id": order.requester_id,
        "status": order.status.value,
        "policy": order.policy.value if order.policy is not None else None,
        "policy_limit": order.limit,
        "excluded_tags": sorted(order.excluded_tags),
        "hold_id": order.hold_id,
        "ordered_on": order.ordered_on,
        "created_at": order.created_at,
        "updated_at": order.updated_at,
        "settled_at": order.settled_at,
        "settled_by": order.settled_by,
    }


def _order(row: RowMapping) -> CreditOrder:
    limit = row["policy_limit"]
    return CreditOrder(
        id=row["id"],
        idempotency_key=row["idempotency_key"],
        request=row["request"],
        option_id=row["option_id"],
        option_name=row["option_name"],
        refuses_public_sector_credits=bool(row["refuses_public_sector_credits"]),
        quantity=int(row["quantity"]),
        unit_price=Decimal(row["unit_price"]),
        amount=Decimal(row["amount"]),
        organization_id=OrganizationId(row["organization_id"]),
        beneficiary_id=OrganizationId(row["beneficiary_id"]),
        principal_id=OrganizationId(row["principal_id"]),
        requester_id=row["requester_id"],
        status=RequestStatus(row["status"]),
        policy=AssociatePolicy(row["policy"]) if row["policy"] else None,
        limit=Decimal(limit) if limit is not None else None,
        excluded_tags=frozenset(row["excluded_tags"] or ()),
        hold_id=row["hold_id"],
        ordered_on=row["ordered_on"],
        created_at=row["created_at"],
        updated_at=row["updated_at"],
        settled_at=row["settled_at"],
        settled_by=row["settled_by"],
    )


def _policy(row: RowMapping) -> PolicyRecord:
    pct = row["percentage"]
    return PolicyRecord(
        organization_id=OrganizationId(row["organization_id"]),
        principal_id=OrganizationId(row["principal_id"]),
        policy=AssociatePolicy(row["policy"]),
        percentage=Decimal(pct).normalize() if pct is not None else None,
        set_by=row["set_by"],
        set_at=row["set_at"],
    )
