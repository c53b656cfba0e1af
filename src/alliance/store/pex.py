"""PEX enrolments and proof-of-concept budget requests in SQL: ``uow.pex``
(:class:`~alliance.services.modular_tiers.ports.PexStore`)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import RowMapping, delete, insert, select, update
from sqlalchemy.orm import Session

from alliance.domain.errors import NotFound
from alliance.domain.ledger import Book
from alliance.services.modular_tiers.ports import (
    BudgetStatus,
    PexEnrolment,
    PocBudgetRequest,
)
from alliance.store.integrity import guarded
from alliance.store.ledger_writes import LedgerWrites
from alliance.store.pex_tables import pex_enrolments as ENR
from alliance.store.pex_tables import pex_poc_requests as REQ


class SqlPexStore:
    def __init__(self, session: Session) -> None:
        self._session = session

    def lock_wallet(self, partner_id: str, wallet: str, unit: str) -> None:
        LedgerWrites(self._session).lock_books([Book(partner_id, wallet, unit)])

    def enrolment(self, partner_id: str) -> PexEnrolment | None:
        row = (
            self._session.execute(select(ENR).where(ENR.c.partner_id == partner_id))
            .mappings()
            .first()
        )
        return None if row is None else _enrolment(row)

    def save_enrolment(self, enrolment: PexEnrolment) -> None:
        values: dict[str, Any] = {
            "partner_id": enrolment.partner_id,
            "partner_type": enrolment.partner_type,
            "modules": sorted(enrolment.modules),
            "enrolled_on": enrolment.enrolled_on,
            "updated_at": enrolment.updated_at,
            "updated_by": enrolment.updated_by,
        }
        with guarded(self._session, ENR, "PEX enrolment"):
            self._session.execute(delete(ENR).where(ENR.c.partner_id == enrolment.partner_id))
            self._session.execute(insert(ENR).values(**values))

    def enrolments(self) -> list[PexEnrolment]:
        rows = self._session.execute(select(ENR).order_by(ENR.c.partner_id)).mappings()
        return [_enrolment(row) for row in rows]

    def add_request(self, request: PocBudgetRequest) -> None:
        with guarded(self._session, REQ, "budget request"):
            self._session.execute(
                insert(REQ).values(
                    id=request.id,
                    partner_id=request.partner_id,
                    budget_ref=request.budget_ref,
                    points=request.points,
                    status=request.status.value,
                    hold_id=request.hold_id,
                    requested_on=request.requested_on,
                    requested_by=request.requested_by,
                    description=request.description,
                    created_at=request.created_at,
                    decided_at=request.decided_at,
                    decided_by=request.decided_by,
                )
            )

    def request(self, request_id: str) -> PocBudgetRequest | None:
        row = self._session.execute(select(REQ).where(REQ.c.id == request_id)).mappings().first()
        return None if row is None else _request(row)

    def request_for(self, partner_id: str, budget_ref: str) -> PocBudgetRequest | None:
        row = (
            self._session.execute(
                select(REQ).where(REQ.c.partner_id == partner_id, REQ.c.budget_ref == budget_ref)
            )
            .mappings()
            .first()
        )
        return None if row is None else _request(row)

    def requests(self, partner_id: str | None = None) -> list[PocBudgetRequest]:
        query = select(REQ).order_by(REQ.c.created_at, REQ.c.id)
        if partner_id is not None:
            query = query.where(REQ.c.partner_id == partner_id)
        return [_request(row) for row in self._session.execute(query).mappings()]

    def decide(
        self, request_id: str, status: BudgetStatus, at: datetime, by: str
    ) -> PocBudgetRequest:
        self._session.execute(
            update(REQ)
            .where(REQ.c.id == request_id)
            .values(status=status.value, decided_at=at, decided_by=by)
        )
        found = self.request(request_id)
        if found is None:
            raise NotFound(f"no budget request {request_id}", field="request_id")
        return found


def _enrolment(row: RowMapping) -> PexEnrolment:
    return PexEnrolment(
        partner_id=row["partner_id"],
        partner_type=row["partner_type"],
        modules=frozenset(row["modules"]),
        enrolled_on=row["enrolled_on"],
        updated_at=row["updated_at"],
        updated_by=row["updated_by"],
    )


def _request(row: RowMapping) -> PocBudgetRequest:
    return PocBudgetRequest(
        id=row["id"],
        partner_id=row["partner_id"],
        budget_ref=row["budget_ref"],
        points=row["points"],
        status=BudgetStatus(row["status"]),
        hold_id=row["hold_id"],
        requested_on=row["requested_on"],
        requested_by=row["requested_by"],
        description=row["description"],
        created_at=row["created_at"],
        decided_at=row["decided_at"],
        decided_by=row["decided_by"],
    )
