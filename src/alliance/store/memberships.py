"""Memberships in SQL: applications, memberships, renewals, tracks, fee invoices,
payments, published expertise and the daily job's record — ``uow.memberships``.

Rows translate to the domain's values (:mod:`alliance.domain.membership`) and back. An
application is stored as the domain's own saved draft (``to_json``/``from_json``, OPN-9),
so a draft resumes exactly where it was left, after a restart too. A membership's
current renewal is the row ``renewal_id`` names; every earlier one stays (X-4).
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from datetime import date
from decimal import Decimal

from sqlalchemy import RowMapping, and_, delete, insert, select, update
from sqlalchemy.orm import Session

from alliance.domain.clock import Clock
from alliance.domain.ids import OrganizationId, PersonId
from alliance.domain.membership import (
    ApplicationId,
    EnrolmentApplication,
    Membership,
    MembershipStatus,
    PaymentChoice,
    PaymentMethod,
    PaymentPlan,
    PaymentTiming,
    PublishedExpertise,
    Renewal,
    RenewalStatus,
    RewardPreferences,
    Step,
    SubscriptionId,
    Term,
    TrackMembership,
)
from alliance.domain.membership.legacy import effect_from_json, effect_json
from alliance.domain.money import Money
from alliance.domain.organizations import EntityRole
from alliance.domain.people import PartnerRole
from alliance.services.memberships.ports import (
    FeeInvoice,
    FeePayment,
    InstalmentRecord,
    TickActionRecord,
)
from alliance.store.integrity import guarded
from alliance.store.membership_tables import (
    membership_applications,
    membership_instalments,
    membership_invoices,
    membership_payments,
    membership_renewals,
    membership_tick_actions,
    membership_tracks,
    memberships,
    published_expertise,
)

A, M, R, T = membership_applications, memberships, membership_renewals, membership_tracks
INV, INS, PAY = membership_invoices, membership_instalments, membership_payments
EXP, TICK = published_expertise, membership_tick_actions
CHUNK = 5_000


def _money(amount: Decimal, currency: str) -> Money:
    """A stored amount at the currency's minor unit (stored amounts never hold more)."""
    return Money(amount, currency).rounded()


class SqlMembershipStore:
    """Implements :class:`alliance.services.memberships.ports.MembershipStore`."""

    def __init__(self, session: Session, clock: Clock) -> None:
        self._session = session
        self._clock = clock

    # -- for other features ------------------------------------------------------------

    def current(self, organization_id: OrganizationId) -> Membership | None:
        query = (
            select(M)
            .where(M.c.organization_id == organization_id)
            .order_by(M.c.subscribed_on.desc(), M.c.created_at.desc(), M.c.id.desc())
            .limit(1)
        )
        row = self._session.execute(query).mappings().first()
        return self._memberships([row])[0] if row is not None else None

    def reward_preferences(self, organization_id: OrganizationId) -> RewardPreferences | None:
        membership = self.current(organization_id)
        if membership is None:
            return None
        if membership.principal is not None:  # CRD-2 / RWD-3: the principal's choices
            principal = self.get(membership.principal)
            if principal is None:
                return None
            membership = principal
        application_id = self.application_of(membership.subscription_id)
        application = self.application(application_id) if application_id else None
        if application is None:
            return None
        answer = application.answers.get(Step.REWARD_QUESTIONNAIRE)
        return RewardPreferences.parse(_thaw(answer)) if answer is not None else None

    # -- applications ------------------------------------------------------------------

    def _application_row(self, application: EnrolmentApplication) -> dict[str, object]:
        return {
            "organization_id": application.organization_id,
            "applicant_id": application.applicant,
            "kind": application.kind.value,
            "status": application.status.value,
            "renewing": application.renewing,
            "document": application.to_json(),
        }

    def add_application(self, application: EnrolmentApplication) -> None:
        now = self._clock.now()
        with guarded(self._session, A, "application"):
            self._session.execute(
                insert(A).values(
                    id=application.id,
                    created_at=now,
                    updated_at=now,
                    **self._application_row(application),
                )
            )

    def save_application(self, application: EnrolmentApplication) -> None:
        with guarded(self._session, A, "application"):
            self._session.execute(
                update(A)
                .where(A.c.id == application.id)
                .values(updated_at=self._clock.now(), **self._application_row(application))
            )

    def application(
        self, application_id: ApplicationId, *, for_update: bool = False
    ) -> EnrolmentApplication | None:
        query = select(A.c.document).where(A.c.id == application_id)
        if for_update:
            query = query.with_for_update()
        document = self._session.execute(query).scalar_one_or_none()
        return EnrolmentApplication.from_json(document) if document is not None else None

    def applications(
        self,
        *,
        organizations: Collection[OrganizationId] | None = None,
        applicant: PersonId | None = None,
        principal: SubscriptionId | None = None,
        limit: int = 100,
    ) -> list[EnrolmentApplication]:
        query = select(A.c.document).order_by(A.c.created_at.desc(), A.c.id.desc())
        if organizations is not None:
            if not organizations:
                return []
            query = query.where(A.c.organization_id.in_(sorted(organizations)))
        if applicant is not None:
            query = query.where(A.c.applicant_id == applicant)
        found = [
            EnrolmentApplication.from_json(doc) for doc in self._session.execute(query).scalars()
        ]
        if principal is not None:
            found = [a for a in found if a.principal_subscription == principal]
        return found[:limit]

    # -- memberships -------------------------------------------------------------------

    def _row(self, membership: Membership) -> dict[str, object]:
        payment = membership.payment
        return {
            "organization_id": membership.organization_id,
            "member_type": membership.member_type.value,
            "level": membership.level,
            "status": membership.status.value,
            "subscribed_on": membership.subscribed_on,
            "start_on": membership.term.start if membership.term else None,
            "end_on": membership.term.end if membership.term else None,
            "principal_id": membership.principal,
            "payment_plan": payment.plan.value if payment else None,
            "payment_method": payment.method.value if payment else None,
        }

    def add(self, membership: Membership, *, application_id: ApplicationId | None = None) -> None:
        now = self._clock.now()
        with guarded(self._session, M, "membership"):
            self._session.execute(
                insert(M).values(
                    id=membership.subscription_id,
                    application_id=application_id,
                    renewal_id=None,
                    created_at=now,
                    updated_at=now,
                    **self._row(membership),
                )
            )
            self._write_tracks(membership)
            self._write_renewal(membership, None)

    def save(
        self, membership: Membership, *, renewal_application: ApplicationId | None = None
    ) -> None:
        with guarded(self._session, M, "membership"):
            self._session.execute(
                update(M)
                .where(M.c.id == membership.subscription_id)
                .values(updated_at=self._clock.now(), **self._row(membership))
            )
            self._session.execute(
                delete(T).where(T.c.subscription_id == membership.subscription_id)
            )
            self._write_tracks(membership)
            self._write_renewal(membership, renewal_application)

    def _write_tracks(self, membership: Membership) -> None:
        if membership.tracks:
            self._session.execute(
                insert(T),
                [
                    {
                        "subscription_id": membership.subscription_id,
                        "track": t.track,
                        "joined_on": t.joined_on,
                    }
                    for t in membership.tracks
                ],
            )

    def _write_renewal(self, membership: Membership, application: ApplicationId | None) -> None:
        renewal = membership.renewal
        sub = membership.subscription_id
        if renewal is None:
            self._session.execute(update(M).where(M.c.id == sub).values(renewal_id=None))
            return
        renewal_id = f"{sub}:renewal:{renewal.requested_on.isoformat()}"
        values = {
            "level": renewal.level,
            "payment_plan": renewal.payment.plan.value if renewal.payment else None,
            "payment_method": renewal.payment.method.value if renewal.payment else None,
            "tracks": list(renewal.tracks),
            "status": renewal.status.value,
            "decided_on": renewal.decided_on,
            "term_start": renewal.term.start if renewal.term else None,
            "term_end": renewal.term.end if renewal.term else None,
            "effects": [effect_json(e) for e in renewal.effects],
            "updated_at": self._clock.now(),
        }
        exists = self._session.execute(
            select(R.c.id).where(R.c.id == renewal_id)
        ).scalar_one_or_none()
        if exists is None:
            self._session.execute(
                insert(R).values(
                    id=renewal_id,
                    subscription_id=sub,
                    application_id=application,
                    requested_on=renewal.requested_on,
                    created_at=self._clock.now(),
                    **values,
                )
            )
        else:
            self._session.execute(update(R).where(R.c.id == renewal_id).values(**values))
        self._session.execute(update(M).where(M.c.id == sub).values(renewal_id=renewal_id))

    def get(
        self, subscription_id: SubscriptionId, *, for_update: bool = False
    ) -> Membership | None:
        query = select(M).where(M.c.id == subscription_id)
        if for_update:
            query = query.with_for_update()
        row = self._session.execute(query).mappings().first()
        return self._memberships([row])[0] if row is not None else None

    def application_of(self, subscription_id: SubscriptionId) -> ApplicationId | None:
        found = self._session.execute(
            select(M.c.application_id).where(M.c.id == subscription_id)
        ).scalar_one_or_none()
        return ApplicationId(found) if found else None

    def associates_of(self, subscription_id: SubscriptionId) -> list[Membership]:
        query = select(M).where(M.c.principal_id == subscription_id).order_by(M.c.id)
        return self._memberships(list(self._session.execute(query).mappings()))

    def find(
        self,
        *,
        organizations: Collection[OrganizationId] | None = None,
        statuses: Collection[MembershipStatus] | None = None,
        limit: int = 100,
        offset: int = 0,
    ) -> list[Membership]:
        query = select(M).order_by(M.c.subscribed_on.desc(), M.c.created_at.desc(), M.c.id)
        if organizations is not None:
            if not organizations:
                return []
            query = query.where(M.c.organization_id.in_(sorted(organizations)))
        if statuses is not None:
            query = query.where(M.c.status.in_(sorted(s.value for s in statuses)))
        query = query.limit(limit).offset(offset)
        return self._memberships(list(self._session.execute(query).mappings()))

    def every(self, statuses: Collection[MembershipStatus]) -> list[Membership]:
        query = select(M).where(M.c.status.in_(sorted(s.value for s in statuses))).order_by(M.c.id)
        return self._memberships(list(self._session.execute(query).mappings()))

    def _memberships(self, rows: Sequence[RowMapping]) -> list[Membership]:
        ids = [row["id"] for row in rows]
        tracks: dict[str, list[TrackMembership]] = {}
        renewals: dict[str, Renewal] = {}
        for start in range(0, len(ids), CHUNK):
            part = ids[start : start + CHUNK]
            for t in self._session.execute(
                select(T).where(T.c.subscription_id.in_(part)).order_by(T.c.joined_on, T.c.track)
            ).mappings():
                tracks.setdefault(t["subscription_id"], []).append(
                    TrackMembership(t["track"], t["joined_on"])
                )
        renewal_ids = [row["renewal_id"] for row in rows if row["renewal_id"]]
        for start in range(0, len(renewal_ids), CHUNK):
            part = renewal_ids[start : start + CHUNK]
            for r in self._session.execute(select(R).where(R.c.id.in_(part))).mappings():
                renewals[r["id"]] = _renewal(r)
        return [
            _membership(row, tracks.get(row["id"], []), renewals.get(row["renewal_id"] or ""))
            for row in rows
        ]

    # -- fee invoices and payments -----------------------------------------------------

    def add_invoice(self, invoice: FeeInvoice) -> bool:
        known = self._session.execute(
            select(INV.c.id).where(INV.c.idempotency_key == invoice.idempotency_key)
        ).scalar_one_or_none()
        if known is not None:
            return False
        with guarded(self._session, INV, "invoice"):
            self._session.execute(
                insert(INV).values(
                    id=invoice.id,
                    subscription_id=invoice.subscription_id,
                    level=invoice.level,
                    amount=invoice.amount.amount,
                    currency=invoice.amount.currency,
                    issued_on=invoice.issued_on,
                    timing=invoice.timing.value,
                    recipient_role=invoice.recipient_role.value,
                    idempotency_key=invoice.idempotency_key,
                    created_at=self._clock.now(),
                )
            )
            self._session.execute(
                insert(INS),
                [
                    {
                        "invoice_id": invoice.id,
                        "number": i.number,
                        "amount": i.amount.amount,
                        "due_on": i.due_on,
                        "paid_on": i.paid_on,
                    }
                    for i in invoice.instalments
                ],
            )
        return True

    def invoices(self, subscription_id: SubscriptionId) -> list[FeeInvoice]:
        rows = list(
            self._session.execute(
                select(INV)
                .where(INV.c.subscription_id == subscription_id)
                .order_by(INV.c.issued_on, INV.c.created_at, INV.c.id)
            ).mappings()
        )
        return self._invoices(rows)

    def invoice(self, invoice_id: str) -> FeeInvoice | None:
        rows = list(self._session.execute(select(INV).where(INV.c.id == invoice_id)).mappings())
        found = self._invoices(rows)
        return found[0] if found else None

    def _invoices(self, rows: Sequence[RowMapping]) -> list[FeeInvoice]:
        if not rows:
            return []
        by_invoice: dict[str, list[RowMapping]] = {}
        for i in self._session.execute(
            select(INS)
            .where(INS.c.invoice_id.in_([row["id"] for row in rows]))
            .order_by(INS.c.number)
        ).mappings():
            by_invoice.setdefault(i["invoice_id"], []).append(i)
        return [
            FeeInvoice(
                id=row["id"],
                subscription_id=SubscriptionId(row["subscription_id"]),
                level=row["level"],
                amount=_money(row["amount"], row["currency"]),
                issued_on=row["issued_on"],
                timing=PaymentTiming(row["timing"]),
                recipient_role=PartnerRole(row["recipient_role"]),
                idempotency_key=row["idempotency_key"],
                instalments=tuple(
                    InstalmentRecord(
                        i["number"],
                        _money(i["amount"], row["currency"]),
                        i["due_on"],
                        i["paid_on"],
                    )
                    for i in by_invoice.get(row["id"], [])
                ),
            )
            for row in rows
        ]

    def mark_paid(self, invoice_id: str, numbers: Sequence[int], paid_on: date) -> None:
        if numbers:
            self._session.execute(
                update(INS)
                .where(and_(INS.c.invoice_id == invoice_id, INS.c.number.in_(list(numbers))))
                .values(paid_on=paid_on)
            )

    def add_payment(self, payment: FeePayment) -> None:
        with guarded(self._session, PAY, "payment"):
            self._session.execute(
                insert(PAY).values(
                    id=payment.id,
                    subscription_id=payment.subscription_id,
                    invoice_id=payment.invoice_id,
                    amount=payment.amount.amount,
                    currency=payment.amount.currency,
                    paid_on=payment.paid_on,
                    method=payment.method,
                    reference=payment.reference,
                    idempotency_key=payment.idempotency_key,
                    actor=payment.actor,
                    recorded_at=payment.recorded_at,
                )
            )

    def payment_for_key(self, idempotency_key: str) -> FeePayment | None:
        row = (
            self._session.execute(select(PAY).where(PAY.c.idempotency_key == idempotency_key))
            .mappings()
            .first()
        )
        return _payment(row) if row is not None else None

    def payments(self, invoice_id: str) -> list[FeePayment]:
        rows = self._session.execute(
            select(PAY)
            .where(PAY.c.invoice_id == invoice_id)
            .order_by(PAY.c.paid_on, PAY.c.recorded_at, PAY.c.id)
        ).mappings()
        return [_payment(row) for row in rows]

    # -- expertise ---------------------------------------------------------------------

    def add_expertise(self, expertise: PublishedExpertise) -> bool:
        known = self._session.execute(
            select(EXP.c.product).where(
                and_(
                    EXP.c.subscription_id == expertise.subscription_id,
                    EXP.c.product == expertise.product,
                )
            )
        ).scalar_one_or_none()
        if known is not None:
            return False
        with guarded(self._session, EXP, "expertise"):
            self._session.execute(
                insert(EXP).values(
                    subscription_id=expertise.subscription_id,
                    product=expertise.product,
                    published_on=expertise.published_on,
                )
            )
        return True

    def expertise(self, subscription_id: SubscriptionId) -> list[PublishedExpertise]:
        rows = self._session.execute(
            select(EXP).where(EXP.c.subscription_id == subscription_id).order_by(EXP.c.product)
        ).mappings()
        return [
            PublishedExpertise(
                SubscriptionId(r["subscription_id"]), r["product"], r["published_on"]
            )
            for r in rows
        ]

    # -- the daily job -----------------------------------------------------------------

    def done_actions(self, keys: Collection[str] | None = None) -> set[str]:
        if keys is None:
            return set(self._session.execute(select(TICK.c.key)).scalars())
        found: set[str] = set()
        ordered = sorted(keys)
        for start in range(0, len(ordered), CHUNK):
            part = ordered[start : start + CHUNK]
            found |= set(
                self._session.execute(select(TICK.c.key).where(TICK.c.key.in_(part))).scalars()
            )
        return found

    def record_action(self, record: TickActionRecord) -> None:
        with guarded(self._session, TICK, "membership job action"):
            self._session.execute(
                insert(TICK).values(
                    key=record.key,
                    subscription_id=record.subscription_id,
                    kind=record.kind,
                    as_of=record.as_of,
                    rule=record.rule,
                    recorded_at=self._clock.now(),
                )
            )


# -- rows to domain values --------------------------------------------------------------


def _payment_choice(plan: str | None, method: str | None) -> PaymentChoice | None:
    if plan is None or method is None:
        return None
    return PaymentChoice(PaymentPlan(plan), PaymentMethod(method))


def _renewal(row: RowMapping) -> Renewal:
    term = Term(row["term_start"], row["term_end"]) if row["term_start"] else None
    return Renewal(
        requested_on=row["requested_on"],
        level=row["level"],
        payment=_payment_choice(row["payment_plan"], row["payment_method"]),
        tracks=tuple(row["tracks"] or ()),
        status=RenewalStatus(row["status"]),
        decided_on=row["decided_on"],
        term=term,
        effects=tuple(effect_from_json(e) for e in row["effects"] or ()),
    )


def _membership(
    row: RowMapping, tracks: list[TrackMembership], renewal: Renewal | None
) -> Membership:
    term = Term(row["start_on"], row["end_on"]) if row["start_on"] else None
    principal = row["principal_id"]
    return Membership(
        subscription_id=SubscriptionId(row["id"]),
        organization_id=OrganizationId(row["organization_id"]),
        member_type=EntityRole(row["member_type"]),
        level=row["level"],
        status=MembershipStatus(row["status"]),
        subscribed_on=row["subscribed_on"],
        payment=_payment_choice(row["payment_plan"], row["payment_method"]),
        term=term,
        principal=SubscriptionId(principal) if principal else None,
        tracks=tuple(tracks),
        renewal=renewal,
    )


def _payment(row: RowMapping) -> FeePayment:
    return FeePayment(
        id=row["id"],
        subscription_id=SubscriptionId(row["subscription_id"]),
        invoice_id=row["invoice_id"],
        amount=_money(row["amount"], row["currency"]),
        paid_on=row["paid_on"],
        method=row["method"],
        reference=row["reference"],
        idempotency_key=row["idempotency_key"],
        actor=row["actor"],
        recorded_at=row["recorded_at"],
    )


def _thaw(value: object) -> object:
    if isinstance(value, Mapping):
        return {str(k): _thaw(v) for k, v in value.items()}
    if isinstance(value, tuple | list):
        return [_thaw(v) for v in value]
    return value
