"""Engagements, their users, customers, notes, attachments, transitions, deals, the
public-sector pool, payouts and supplier accounts in SQL: ``uow.engagements``.

Rows translate to the domain's values (:mod:`alliance.domain.engagements`,
:mod:`alliance.domain.engagement_rewards`) and the records of
:mod:`alliance.services.engagements.ports`. Contacts, products, pillars and deal lines
are JSON: money as ``{"amount": "12.50", "currency": "USD"}`` strings, never floats (X-1).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import RowMapping, delete, func, insert, or_, select, update
from sqlalchemy.orm import Session

from alliance.domain.calendar import DateRange
from alliance.domain.clock import Clock
from alliance.domain.engagement_rewards import (
    Deal,
    DealLine,
    OrderKind,
    PayoutMethod,
    Pool,
    PooledDeal,
    Sector,
    SupplierAccount,
)
from alliance.domain.engagements import (
    Address,
    Attachment,
    Category,
    Contact,
    Customer,
    Engagement,
    Pillar,
    ProductLine,
    Status,
    ToolAccess,
    TransitionRecord,
    Verdict,
    customer_key,
    vendor_opportunity_ids,
)
from alliance.domain.ids import OrganizationId, PersonId, new_id
from alliance.domain.money import Money
from alliance.services.engagements.ports import (
    AttachmentRecord,
    DealRecord,
    EngagementFilter,
    EngagementRecord,
    NoteRecord,
    PayoutRecord,
    PayoutStatus,
    StoredDuplicateCheck,
)
from alliance.store.engagement_tables import (
    engagement_attachments,
    engagement_customers,
    engagement_deals,
    engagement_notes,
    engagement_opportunity_ids,
    engagement_payouts,
    engagement_transitions,
    engagement_users,
    engagements,
    public_sector_pool,
    supplier_accounts,
)
from alliance.store.integrity import guarded
from alliance.store.tables import organizations

E, CU, N, A = engagements, engagement_customers, engagement_notes, engagement_attachments
T, D, P, PO = engagement_transitions, engagement_deals, public_sector_pool, engagement_payouts
OPP, U, SUP = engagement_opportunity_ids, engagement_users, supplier_accounts

Json = dict[str, Any]


# -- values <-> JSON ---------------------------------------------------------------


def _money(value: Money | None) -> Json | None:
    return None if value is None else value.to_json()


def _money_of(data: Mapping[str, Any] | None) -> Money | None:
    return None if data is None else Money.from_json(data)


def _period(value: DateRange | None) -> Json | None:
    if value is None:
        return None
    return {"start": value.start.isoformat(), "end": value.end.isoformat()}


def _period_of(data: Mapping[str, Any] | None) -> DateRange | None:
    if data is None:
        return None
    return DateRange(date.fromisoformat(data["start"]), date.fromisoformat(data["end"]))


def _decimal_of(text: str | None) -> Decimal | None:
    return None if text is None else Decimal(text)


def _contact(contact: Contact | None) -> Json | None:
    if contact is None:
        return None
    return {"name": contact.name, "email": contact.email, "phone": contact.phone}


def _contact_of(data: Mapping[str, Any] | None) -> Contact | None:
    if data is None:
        return None
    return Contact(data["name"], data.get("email", ""), data.get("phone", ""))


def _product(line: ProductLine) -> Json:
    return {
        "product": line.product,
        "family": line.family,
        "quantity": None if line.quantity is None else str(line.quantity),
        "amount": _money(line.amount),
        "service_period": _period(line.service_period),
    }


def _product_of(data: Mapping[str, Any]) -> ProductLine:
    return ProductLine(
        data["product"],
        data["family"],
        _decimal_of(data.get("quantity")),
        _money_of(data.get("amount")),
        _period_of(data.get("service_period")),
    )


def _pillar(pillar: Pillar) -> Json:
    return {
        "name": pillar.name,
        "quantity": None if pillar.quantity is None else str(pillar.quantity),
        "amount": _money(pillar.amount),
        "service_period": _period(pillar.service_period),
    }


def _pillar_of(data: Mapping[str, Any]) -> Pillar:
    return Pillar(
        data["name"],
        _decimal_of(data.get("quantity")),
        _money_of(data.get("amount")),
        _period_of(data.get("service_period")),
    )


def _deal_line(line: DealLine) -> Json:
    return {"product": line.product, "family": line.family, "amount": line.amount.to_json()}


def _deal_line_of(data: Mapping[str, Any]) -> DealLine:
    return DealLine(data["product"], data["family"], Money.from_json(data["amount"]))


def _customer_of(row: RowMapping) -> Customer:
    address = Address(
        street=row["street"],
        city=row["city"],
        country=row["country"],
        postal_code=row["postal_code"],
        region=row["region"],
    )
    return Customer(row["legal_name"], address, row["id"])


def _engagement_columns(record: EngagementRecord) -> Json:
    e = record.engagement
    return {
        "status": e.status.value,
        "name": e.name,
        "reference": e.reference,
        "partner_contact": _contact(e.partner_contact),
        "customer_contact": _contact(e.customer_contact),
        "products": [_product(p) for p in e.products],
        "pillars": [_pillar(p) for p in e.pillars],
        "estimated_close_date": e.estimated_close_date,
        "solution_description": e.solution_description,
        "sector": record.sector.value,
        "order_kind": record.order_kind.value,
        "sales_review": record.sales_review,
        "version": record.version,
        "updated_at": record.updated_at,
    }


class SqlEngagementStore:
    """Implements :class:`alliance.services.engagements.ports.EngagementStore`."""

    def __init__(self, session: Session, clock: Clock) -> None:
        self._session = session
        self._clock = clock

    # -- engagement-tool users ------------------------------------------------------

    def lock_partner(self, organization_id: OrganizationId) -> None:
        query = select(organizations.c.id).where(organizations.c.id == organization_id)
        if self._session.get_bind().dialect.name == "postgresql":
            query = query.with_for_update()
        self._session.execute(query)

    def tool_users(self, organization_id: OrganizationId) -> list[ToolAccess]:
        query = select(U).where(U.c.organization_id == organization_id).order_by(U.c.created_at)
        return [_access(row) for row in self._session.execute(query).mappings()]

    def tool_user(self, person_id: PersonId) -> ToolAccess | None:
        row = self._session.execute(select(U).where(U.c.person_id == person_id)).mappings().first()
        return None if row is None else _access(row)

    def save_tool_user(self, access: ToolAccess) -> None:
        now = self._clock.now()
        values = {
            "organization_id": access.organization_id,
            "active": access.active,
            "granted_by": access.granted_by,
            "updated_at": now,
        }
        with guarded(self._session, U, "engagement user"):
            changed = self._session.execute(
                update(U).where(U.c.person_id == access.person_id).values(**values)
            )
            if not changed.rowcount:  # type: ignore[attr-defined]
                self._session.execute(
                    insert(U).values(person_id=access.person_id, created_at=now, **values)
                )

    # -- customers -------------------------------------------------------------------

    def customers(self, partner_id: OrganizationId) -> list[Customer]:
        query = select(CU).where(CU.c.partner_id == partner_id).order_by(CU.c.legal_name, CU.c.id)
        return [_customer_of(row) for row in self._session.execute(query).mappings()]

    def customer(self, customer_id: str) -> tuple[OrganizationId, Customer] | None:
        row = self._session.execute(select(CU).where(CU.c.id == customer_id)).mappings().first()
        return None if row is None else (OrganizationId(row["partner_id"]), _customer_of(row))

    def add_customer(self, partner_id: OrganizationId, customer: Customer) -> Customer:
        saved = Customer(customer.legal_name, customer.address, customer.id or new_id("cus"))
        name_key, address_key = customer_key(saved)
        a = saved.address
        with guarded(self._session, CU, "customer"):
            self._session.execute(
                insert(CU).values(
                    id=saved.id,
                    partner_id=partner_id,
                    legal_name=saved.legal_name,
                    street=a.street,
                    city=a.city,
                    country=a.country,
                    postal_code=a.postal_code,
                    region=a.region,
                    name_key=name_key[:300],
                    address_key=address_key[:800],
                    created_at=self._clock.now(),
                )
            )
        return saved

    # -- engagements -------------------------------------------------------------------

    def add(self, record: EngagementRecord) -> None:
        e = record.engagement
        if e.customer.id is None:
            raise ValueError("an engagement's customer is saved before the engagement")
        with guarded(self._session, E, "engagement"):
            self._session.execute(
                insert(E).values(
                    id=e.id,
                    partner_id=e.partner_id,
                    category=e.category.value,
                    customer_id=e.customer.id,
                    customer_name_key=customer_key(e.customer)[0][:300],
                    submitted_by=record.submitted_by,
                    created_at=record.created_at,
                    **_engagement_columns(record),
                )
            )
        self._write_notes(e.id, e.notes, record.submitted_by, record.created_at)
        if record.duplicate is not None:
            self.set_duplicate_check(e.id, record.duplicate)

    def get(self, engagement_id: str, *, for_update: bool = False) -> EngagementRecord | None:
        query = self._select().where(E.c.id == engagement_id)
        if for_update and self._session.get_bind().dialect.name == "postgresql":
            query = query.with_for_update(of=E)
        row = self._session.execute(query).mappings().first()
        if row is None:
            return None
        return self._records([row])[0]

    def update(self, record: EngagementRecord, *, author: str, at: datetime) -> None:
        e = record.engagement
        with guarded(self._session, E, "engagement"):
            self._session.execute(
                update(E).where(E.c.id == e.id).values(**_engagement_columns(record))
            )
        stored = tuple(n.text for n in self.notes(e.id))
        if stored != e.notes:
            if e.notes[: len(stored)] == stored:
                self._write_notes(e.id, e.notes[len(stored) :], author, at, start=len(stored))
            else:  # account planning rewrote its notes (CCE-5)
                self._session.execute(delete(N).where(N.c.engagement_id == e.id))
                self._session.execute(delete(OPP).where(OPP.c.engagement_id == e.id))
                self._write_notes(e.id, e.notes, author, at)

    def search(self, query: EngagementFilter) -> list[EngagementRecord]:
        statement = self._select()
        if query.partner_ids is not None:
            statement = statement.where(E.c.partner_id.in_(list(query.partner_ids)))
        if query.status is not None:
            statement = statement.where(E.c.status == query.status.value)
        if query.category is not None:
            statement = statement.where(E.c.category == query.category.value)
        statement = (
            statement.order_by(E.c.created_at.desc(), E.c.id)
            .limit(query.limit)
            .offset(query.offset)
        )
        return self._records(list(self._session.execute(statement).mappings()))

    def duplicate_candidates(
        self, category: Category, name_key: str, opportunity_ids: frozenset[str]
    ) -> list[Engagement]:
        quoting = select(OPP.c.engagement_id).where(
            OPP.c.opportunity_id.in_(sorted(opportunity_ids))
        )
        condition = (
            E.c.id.in_(quoting) if opportunity_ids else E.c.customer_name_key == name_key[:300]
        )
        statement = self._select().where(E.c.category == category.value, or_(condition))
        rows = list(self._session.execute(statement.order_by(E.c.id)).mappings())
        return [r.engagement for r in self._records(rows)]

    def set_duplicate_check(self, engagement_id: str, check: StoredDuplicateCheck) -> None:
        self._session.execute(
            update(E)
            .where(E.c.id == engagement_id)
            .values(
                duplicate_verdict=check.verdict.value,
                duplicate_matches=list(check.matches),
                duplicate_explanation=list(check.explanation),
            )
        )

    # -- notes and attachments -----------------------------------------------------------

    def add_note(self, note: NoteRecord) -> None:
        with guarded(self._session, N, "note"):
            self._session.execute(
                insert(N).values(
                    id=note.id,
                    engagement_id=note.engagement_id,
                    position=note.position,
                    text=note.text,
                    author=note.author,
                    created_at=note.created_at,
                )
            )
        self._index_opportunity_ids(note.engagement_id, note.text)

    def notes(self, engagement_id: str) -> list[NoteRecord]:
        query = select(N).where(N.c.engagement_id == engagement_id).order_by(N.c.position)
        return [
            NoteRecord(
                r["id"], r["engagement_id"], r["position"], r["text"], r["author"], r["created_at"]
            )
            for r in self._session.execute(query).mappings()
        ]

    def add_attachment(self, attachment: AttachmentRecord) -> None:
        with guarded(self._session, A, "attachment"):
            self._session.execute(
                insert(A).values(
                    id=attachment.id,
                    engagement_id=attachment.engagement_id,
                    name=attachment.name,
                    category=attachment.category,
                    content_type=attachment.content_type,
                    size=attachment.size,
                    sha256=attachment.sha256,
                    path=attachment.path,
                    needs_review=attachment.needs_review,
                    uploaded_by=attachment.uploaded_by,
                    created_at=attachment.created_at,
                )
            )

    def attachments(self, engagement_id: str) -> list[AttachmentRecord]:
        query = select(A).where(A.c.engagement_id == engagement_id).order_by(A.c.created_at, A.c.id)
        return [_attachment(row) for row in self._session.execute(query).mappings()]

    def attachment(self, attachment_id: str) -> AttachmentRecord | None:
        row = self._session.execute(select(A).where(A.c.id == attachment_id)).mappings().first()
        return None if row is None else _attachment(row)

    # -- lifecycle ------------------------------------------------------------------------

    def add_transition(self, record: TransitionRecord) -> None:
        self._session.execute(
            insert(T).values(
                engagement_id=record.engagement_id,
                move=record.move,
                source=record.source.value,
                target=record.target.value,
                actor=record.actor,
                at=record.at,
            )
        )

    def transitions(self, engagement_id: str) -> list[TransitionRecord]:
        query = (
            select(T, E.c.category)
            .join(E, E.c.id == T.c.engagement_id)
            .where(T.c.engagement_id == engagement_id)
            .order_by(T.c.id)
        )
        return [
            TransitionRecord(
                engagement_id=r["engagement_id"],
                category=Category(r["category"]),
                move=r["move"],
                source=Status(r["source"]),
                target=Status(r["target"]),
                actor=r["actor"],
                at=r["at"],
            )
            for r in self._session.execute(query).mappings()
        ]

    # -- deals, pool, payouts, supplier accounts --------------------------------------------

    def add_deal(self, record: DealRecord) -> None:
        deal = record.deal
        with guarded(self._session, D, "deal"):
            self._session.execute(
                insert(D).values(
                    engagement_id=deal.engagement_id,
                    version=deal.version,
                    sector=deal.sector.value,
                    country=deal.country,
                    order_kind=deal.order_kind.value,
                    lines=[_deal_line(line) for line in deal.lines],
                    recorded_by=record.recorded_by,
                    recorded_at=record.recorded_at,
                )
            )

    def deals(self, engagement_id: str) -> list[DealRecord]:
        query = (
            select(D, E.c.partner_id)
            .join(E, E.c.id == D.c.engagement_id)
            .where(D.c.engagement_id == engagement_id)
            .order_by(D.c.version)
        )
        return [
            DealRecord(
                Deal(
                    engagement_id=r["engagement_id"],
                    partner_id=r["partner_id"],
                    sector=Sector(r["sector"]),
                    country=r["country"],
                    order_kind=OrderKind(r["order_kind"]),
                    lines=tuple(_deal_line_of(line) for line in r["lines"]),
                    version=r["version"],
                ),
                r["recorded_by"],
                r["recorded_at"],
            )
            for r in self._session.execute(query).mappings()
        ]

    def pool(self, partner_id: OrganizationId, currency: str) -> Pool:
        query = (
            select(P)
            .where(P.c.partner_id == partner_id, P.c.currency == currency)
            .order_by(P.c.engagement_id)
        )
        deals = tuple(
            PooledDeal(r["engagement_id"], Money(r["value"], r["currency"]))
            for r in self._session.execute(query).mappings()
        )
        return Pool(partner_id, currency, deals)

    def put_in_pool(
        self, partner_id: OrganizationId, engagement_id: str, value: Money, at: datetime
    ) -> None:
        self.remove_from_pool(partner_id, engagement_id)
        self._session.execute(
            insert(P).values(
                partner_id=partner_id,
                engagement_id=engagement_id,
                value=value.amount,
                currency=value.currency,
                updated_at=at,
            )
        )

    def remove_from_pool(self, partner_id: OrganizationId, engagement_id: str) -> None:
        self._session.execute(
            delete(P).where(P.c.partner_id == partner_id, P.c.engagement_id == engagement_id)
        )

    def payout(self, engagement_id: str, version: int) -> PayoutRecord | None:
        query = select(PO).where(PO.c.engagement_id == engagement_id, PO.c.version == version)
        row = self._session.execute(query).mappings().first()
        return None if row is None else _payout(row)

    def save_payout(self, payout: PayoutRecord) -> None:
        changing = {
            "status": payout.status.value,
            "missing": list(payout.missing),
            "explanation": list(payout.explanation),
            "posting_id": payout.posting_id,
            "amount": payout.amount.amount,
            "currency": payout.amount.currency,
            "method": payout.method.value,
            "actor": payout.actor,
            "updated_at": payout.updated_at,
        }
        with guarded(self._session, PO, "payout"):
            changed = self._session.execute(
                update(PO).where(PO.c.id == payout.id).values(**changing)
            )
            if not changed.rowcount:  # type: ignore[attr-defined]
                self._session.execute(
                    insert(PO).values(
                        id=payout.id,
                        engagement_id=payout.engagement_id,
                        version=payout.version,
                        partner_id=payout.partner_id,
                        principal_id=payout.principal_id,
                        sector=payout.sector.value,
                        created_at=payout.created_at,
                        **changing,
                    )
                )

    def payouts(
        self, partner_ids: Sequence[OrganizationId] | None, engagement_id: str | None = None
    ) -> list[PayoutRecord]:
        query = select(PO)
        if partner_ids is not None:
            query = query.where(PO.c.partner_id.in_(list(partner_ids)))
        if engagement_id is not None:
            query = query.where(PO.c.engagement_id == engagement_id)
        query = query.order_by(PO.c.created_at, PO.c.engagement_id, PO.c.version)
        return [_payout(row) for row in self._session.execute(query).mappings()]

    def supplier_account(self, organization_id: OrganizationId) -> SupplierAccount:
        query = select(SUP.c.status).where(SUP.c.organization_id == organization_id)
        status = self._session.execute(query).scalar_one_or_none()
        return SupplierAccount.NONE if status is None else SupplierAccount(status)

    def set_supplier_account(
        self,
        organization_id: OrganizationId,
        status: SupplierAccount,
        at: datetime,
        *,
        invited: bool = False,
    ) -> None:
        values: dict[str, object] = {"status": status.value, "updated_at": at}
        if invited:
            values["invited_at"] = at
        with guarded(self._session, SUP, "supplier account"):
            changed = self._session.execute(
                update(SUP).where(SUP.c.organization_id == organization_id).values(**values)
            )
            if not changed.rowcount:  # type: ignore[attr-defined]
                self._session.execute(insert(SUP).values(organization_id=organization_id, **values))

    # -- helpers --------------------------------------------------------------------------

    def _select(self) -> Any:
        return select(
            E,
            CU.c.legal_name,
            CU.c.street,
            CU.c.city,
            CU.c.country,
            CU.c.postal_code,
            CU.c.region,
        ).join(CU, CU.c.id == E.c.customer_id)

    def _records(self, rows: list[RowMapping]) -> list[EngagementRecord]:
        ids = [row["id"] for row in rows]
        notes: dict[str, list[str]] = {i: [] for i in ids}
        attachments: dict[str, list[Attachment]] = {i: [] for i in ids}
        if ids:
            note_rows = self._session.execute(
                select(N.c.engagement_id, N.c.text)
                .where(N.c.engagement_id.in_(ids))
                .order_by(N.c.engagement_id, N.c.position)
            )
            for engagement_id, text in note_rows:
                notes[engagement_id].append(text)
            attachment_rows = self._session.execute(
                select(A.c.engagement_id, A.c.name, A.c.category)
                .where(A.c.engagement_id.in_(ids))
                .order_by(A.c.created_at, A.c.id)
            )
            for engagement_id, name, category in attachment_rows:
                attachments[engagement_id].append(Attachment(name, category))
        return [
            _record(row, tuple(notes[row["id"]]), tuple(attachments[row["id"]])) for row in rows
        ]

    def _write_notes(
        self, engagement_id: str, texts: Sequence[str], author: str, at: datetime, start: int = 0
    ) -> None:
        for offset, text in enumerate(texts):
            self.add_note(
                NoteRecord(new_id("note"), engagement_id, start + offset, text, author, at)
            )

    def _index_opportunity_ids(self, engagement_id: str, text: str) -> None:
        found = vendor_opportunity_ids(text)
        if not found:
            return
        known = set(
            self._session.execute(
                select(OPP.c.opportunity_id).where(OPP.c.engagement_id == engagement_id)
            ).scalars()
        )
        for opportunity_id in sorted(found - known):
            self._session.execute(
                insert(OPP).values(engagement_id=engagement_id, opportunity_id=opportunity_id[:100])
            )

    def count(self) -> int:
        return int(self._session.execute(select(func.count()).select_from(E)).scalar_one())


def _access(row: RowMapping) -> ToolAccess:
    return ToolAccess(
        PersonId(row["person_id"]),
        OrganizationId(row["organization_id"]),
        active=row["active"],
        granted_by=None if row["granted_by"] is None else PersonId(row["granted_by"]),
    )


def _record(
    row: RowMapping, notes: tuple[str, ...], attachments: tuple[Attachment, ...]
) -> EngagementRecord:
    partner_contact = _contact_of(row["partner_contact"])
    assert partner_contact is not None
    engagement = Engagement(
        id=row["id"],
        partner_id=row["partner_id"],
        category=Category(row["category"]),
        name=row["name"],
        customer=_customer_of({**row, "id": row["customer_id"]}),  # type: ignore[arg-type]
        partner_contact=partner_contact,
        status=Status(row["status"]),
        customer_contact=_contact_of(row["customer_contact"]),
        products=tuple(_product_of(p) for p in row["products"]),
        pillars=tuple(_pillar_of(p) for p in row["pillars"]),
        estimated_close_date=row["estimated_close_date"],
        solution_description=row["solution_description"],
        notes=notes,
        attachments=attachments,
        reference=row["reference"],
    )
    duplicate = None
    if row["duplicate_verdict"] is not None:
        duplicate = StoredDuplicateCheck(
            Verdict(row["duplicate_verdict"]),
            tuple(row["duplicate_matches"] or ()),
            tuple(row["duplicate_explanation"] or ()),
        )
    return EngagementRecord(
        engagement=engagement,
        sector=Sector(row["sector"]),
        order_kind=OrderKind(row["order_kind"]),
        version=row["version"],
        submitted_by=row["submitted_by"],
        created_at=row["created_at"],
        updated_at=row["updated_at"],
        sales_review=row["sales_review"],
        duplicate=duplicate,
    )


def _attachment(row: RowMapping) -> AttachmentRecord:
    return AttachmentRecord(
        id=row["id"],
        engagement_id=row["engagement_id"],
        name=row["name"],
        category=row["category"],
        content_type=row["content_type"],
        size=row["size"],
        sha256=row["sha256"],
        path=row["path"],
        needs_review=row["needs_review"],
        uploaded_by=row["uploaded_by"],
        created_at=row["created_at"],
    )


def _payout(row: RowMapping) -> PayoutRecord:
    return PayoutRecord(
        id=row["id"],
        engagement_id=row["engagement_id"],
        version=row["version"],
        partner_id=OrganizationId(row["partner_id"]),
        principal_id=OrganizationId(row["principal_id"]),
        method=PayoutMethod(row["method"]),
        sector=Sector(row["sector"]),
        amount=Money(row["amount"], row["currency"]),
        status=PayoutStatus(row["status"]),
        explanation=tuple(row["explanation"]),
        actor=row["actor"],
        created_at=row["created_at"],
        updated_at=row["updated_at"],
        missing=tuple(row["missing"]),
        posting_id=row["posting_id"],
    )
