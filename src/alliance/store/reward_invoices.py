"""Support invoices and the redemptions applied to them, in SQL (OSR-19, OSR-20, X-5).

An invoice never changes once stored; what rewards paid on it is the sum of its
``invoice_redemptions`` rows, one per request, appended in the unit of work that posts
the ledger's ``Redeem`` (so the two agree). ``get(..., for_update=True)`` locks the
invoice row on PostgreSQL, so two payments of one invoice queue up; SQLite's
``BEGIN IMMEDIATE`` already serialises writers.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Sequence
from decimal import Decimal

from sqlalchemy import RowMapping, insert, select
from sqlalchemy.orm import Session

from alliance.domain.clock import Clock
from alliance.domain.ids import OrganizationId
from alliance.domain.money import minor_unit
from alliance.domain.rewards import InvoiceLine, SupportInvoice
from alliance.services.rewards.ports import InvoiceRedemption
from alliance.store.integrity import guarded
from alliance.store.rewards_tables import (
    invoice_redemptions,
    support_invoice_lines,
    support_invoices,
)

INV, L, R = support_invoices, support_invoice_lines, invoice_redemptions
CHUNK = 5_000


class SqlInvoiceRepository:
    def __init__(self, session: Session, clock: Clock) -> None:
        self._session = session
        self._clock = clock

    def get(self, invoice_id: str, *, for_update: bool = False) -> SupportInvoice | None:
        query = select(INV).where(INV.c.id == invoice_id)
        if for_update:
            query = query.with_for_update()
        row = self._session.execute(query).mappings().one_or_none()
        if row is None:
            return None
        return _invoice(row, self._lines([invoice_id])[invoice_id])

    def get_many(self, ids: Collection[str]) -> dict[str, SupportInvoice]:
        ordered = sorted(ids)
        found: dict[str, SupportInvoice] = {}
        for start in range(0, len(ordered), CHUNK):
            part = ordered[start : start + CHUNK]
            rows = list(self._session.execute(select(INV).where(INV.c.id.in_(part))).mappings())
            lines = self._lines([row["id"] for row in rows])
            found.update({row["id"]: _invoice(row, lines[row["id"]]) for row in rows})
        return found

    def add_many(self, batch: Sequence[SupportInvoice]) -> None:
        if not batch:
            return
        now = self._clock.now()
        with guarded(self._session, INV, "invoice"):
            self._session.execute(
                insert(INV),
                [
                    {
                        "id": invoice.id,
                        "customer_id": invoice.customer_id,
                        "issued_on": invoice.issued_on,
                        "due_on": invoice.due_on,
                        "currency": invoice.currency,
                        "tax": invoice.tax,
                        "created_at": now,
                    }
                    for invoice in batch
                ],
            )
            self._session.execute(
                insert(L),
                [
                    {
                        "invoice_id": invoice.id,
                        "line_no": n,
                        "product": line.product,
                        "support_program": line.support_program,
                        "pre_tax_amount": line.pre_tax_amount,
                    }
                    for invoice in batch
                    for n, line in enumerate(invoice.lines, start=1)
                ],
            )

    def of_customers(self, customers: Collection[OrganizationId]) -> list[SupportInvoice]:
        ids: list[str] = []
        ordered = sorted(customers)
        for start in range(0, len(ordered), CHUNK):
            query = select(INV.c.id).where(INV.c.customer_id.in_(ordered[start : start + CHUNK]))
            ids += list(self._session.execute(query).scalars())
        found = self.get_many(ids)
        return sorted(found.values(), key=lambda i: (i.due_on, i.id))

    def redemptions(self, invoice_id: str) -> list[InvoiceRedemption]:
        query = select(R).where(R.c.invoice_id == invoice_id).order_by(R.c.recorded_at, R.c.id)
        return [_redemption(row) for row in self._session.execute(query).mappings()]

    def redemption(self, invoice_id: str, idempotency_key: str) -> InvoiceRedemption | None:
        query = select(R).where(
            R.c.invoice_id == invoice_id, R.c.idempotency_key == idempotency_key
        )
        row = self._session.execute(query).mappings().one_or_none()
        return _redemption(row) if row is not None else None

    def add_redemption(self, redemption: InvoiceRedemption) -> None:
        with guarded(self._session, R, "redemption"):
            self._session.execute(
                insert(R).values(
                    id=redemption.id,
                    invoice_id=redemption.invoice_id,
                    idempotency_key=redemption.idempotency_key,
                    request=redemption.request,
                    amount=redemption.amount,
                    currency=redemption.currency,
                    redeemed_on=redemption.redeemed_on,
                    payer_kind=redemption.payer_kind,
                    payer_id=redemption.payer_id,
                    actor=redemption.actor,
                    recorded_at=redemption.recorded_at,
                )
            )

    def _lines(self, invoice_ids: list[str]) -> dict[str, list[InvoiceLine]]:
        found: dict[str, list[InvoiceLine]] = defaultdict(list)
        if not invoice_ids:
            return found
        query = (
            select(L).where(L.c.invoice_id.in_(invoice_ids)).order_by(L.c.invoice_id, L.c.line_no)
        )
        for row in self._session.execute(query).mappings():
            found[row["invoice_id"]].append(
                InvoiceLine(row["product"], row["support_program"], row["pre_tax_amount"])
            )
        return found


def _invoice(row: RowMapping, lines: list[InvoiceLine]) -> SupportInvoice:
    currency: str = row["currency"]
    return SupportInvoice(
        id=row["id"],
        customer_id=OrganizationId(row["customer_id"]),
        issued_on=row["issued_on"],
        due_on=row["due_on"],
        lines=tuple(
            InvoiceLine(line.product, line.support_program, _money(line.pre_tax_amount, currency))
            for line in lines
        ),
        tax=_money(row["tax"], row["currency"]),
        currency=row["currency"],
    )


def _money(value: Decimal, currency: str) -> Decimal:
    """A stored amount (four places) at its currency's minor unit: ``330.0000`` → ``330.00``.
    Exact: the domain stored no more places than the minor unit (X-1)."""
    return value.quantize(Decimal(1).scaleb(-minor_unit(currency)))


def _redemption(row: RowMapping) -> InvoiceRedemption:
    return InvoiceRedemption(
        id=row["id"],
        invoice_id=row["invoice_id"],
        idempotency_key=row["idempotency_key"],
        request=row["request"],
        amount=_money(row["amount"], row["currency"]),
        currency=row["currency"],
        redeemed_on=row["redeemed_on"],
        payer_kind=row["payer_kind"],
        payer_id=OrganizationId(row["payer_id"]),
        actor=row["actor"],
        recorded_at=row["recorded_at"],
    )
