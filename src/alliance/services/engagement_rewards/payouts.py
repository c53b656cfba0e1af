"""Paying the reward of a won opportunity (RWD-1…RWD-5, CRD-4, CRD-6), and supplier
accounts (RWD-4).

``release_payout`` — the vendor's finance operation, one unit of work:

1. the engagement is ``eligible`` (the deal was won, CCE-6) and the partner's membership
   active (OPN-11, OPN-15: benefits only while active);
2. the payout of its latest deal version is planned (:func:`plan_payout`): the offers'
   criteria (RWD-1), the partner's method (RWD-3: public-sector rewards only in credits),
   its pool for a public-sector deal (paid once the pool reaches its thresholds), the
   rates and the cap (RWD-5). Nothing due is refused naming RWD-1, with the reasons;
3. **money** — blocked until the engagement has an *Invoice* attachment and the partner
   an active supplier account (RWD-4). The blocked payout is recorded with what is
   missing; a partner without a supplier account is e-mailed an invitation to register
   (once); then the refusal names RWD-4. When both are there, the payout is released
   for the vendor's payables;
4. **credits** — added to the principal's partner-credit balance at once: an ``OpenLot``
   tagged ``reward``, ``earned_by:{partner}`` and ``public_sector`` where it applies
   (CRD-4, CRD-6), keyed ``rwd:{engagement}:{version}`` (X-5);
5. the engagement moves ``eligible → incentive_released`` (CCE-6), audited.

**Exactly once (X-5).** One payout per deal version (a unique key), and the ledger key:
releasing again returns the payout made, ``replayed``, and changes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass

from alliance.domain import audit
from alliance.domain.access import Actor, Permission
from alliance.domain.clock import Clock
from alliance.domain.engagement_rewards import (
    MonetaryPayoutBlocked,
    NoRewardDue,
    Payout,
    PayoutMethod,
    Sector,
    SupplierAccount,
    credit_payout_command,
    plan_payout,
    require_monetary_payout,
)
from alliance.domain.engagements import Status
from alliance.domain.errors import BusinessRuleViolation, InvalidInput
from alliance.domain.ids import OrganizationId, new_id
from alliance.services.engagement_rewards.assessments import latest_deal, payout_method
from alliance.services.engagements import notices
from alliance.services.engagements.access import (
    require_finance,
    scope,
    visible_engagement,
)
from alliance.services.engagements.lifecycle import record_move
from alliance.services.engagements.ports import EngagementRecord, PayoutRecord, PayoutStatus
from alliance.services.engagements.program import EngagementProgram
from alliance.services.memberships.access import active_membership
from alliance.services.organizations import require_organization
from alliance.services.ports import UnitOfWork

ENTITY = "engagement_payout"
PAID = frozenset({PayoutStatus.RELEASED, PayoutStatus.CREDITED})


@dataclass(frozen=True)
class PayoutResult:
    """The payout made (or found, ``replayed``) and how it was worked out."""

    payout: PayoutRecord
    replayed: bool
    explanation: tuple[str, ...]


def principal_of(uow: UnitOfWork, partner_id: OrganizationId) -> OrganizationId:
    """Credits go to the principal's account (CRD-1, CRD-4): an associate's parent."""
    organization = uow.organizations.get(partner_id)
    if organization is not None and organization.parent_id is not None:
        return organization.parent_id
    return partner_id


def plan(
    uow: UnitOfWork, record: EngagementRecord, program: EngagementProgram
) -> tuple[Payout, tuple[str, ...]]:
    """The payout the latest deal version earns now, and the method's reason (RWD-3)."""
    deal = latest_deal(uow, record.id)
    if deal is None:
        raise InvalidInput(
            f"{record.id} is not an opportunity: rewards are paid on opportunities",
            field="engagement_id",
            rule="RWD-1",
        )
    method = payout_method(uow, record.partner_id)
    pool = None
    if deal.sector is Sector.PUBLIC:
        pool = uow.engagements.pool(record.partner_id, deal.currency)
    payout = plan_payout(
        deal, method.method, offers=program.offers, rules=program.payout_rules, pool=pool
    )
    return payout, (f"{method.reason} [RWD-3]",)


def preview_payout(
    uow: UnitOfWork, actor: Actor, engagement_id: str, *, program: EngagementProgram
) -> tuple[Payout, tuple[str, ...]]:
    """What the engagement would pay now, explained (the partner's own, or staff)."""
    with uow:
        record = visible_engagement(uow, actor, engagement_id)
        payout, why = plan(uow, record, program)
        return payout, why + payout.explanation


def _record(
    payout: Payout,
    record: EngagementRecord,
    principal: OrganizationId,
    status: PayoutStatus,
    explanation: tuple[str, ...],
    actor: Actor,
    clock: Clock,
    *,
    existing: PayoutRecord | None,
    missing: tuple[str, ...] = (),
    posting_id: str | None = None,
) -> PayoutRecord:
    now = clock.now()
    return PayoutRecord(
        id=existing.id if existing is not None else new_id("pay"),
        engagement_id=record.id,
        version=payout.version,
        partner_id=record.partner_id,
        principal_id=principal,
        method=payout.method,
        sector=payout.sector,
        amount=payout.amount,
        status=status,
        explanation=explanation,
        actor=actor.name,
        created_at=existing.created_at if existing is not None else now,
        updated_at=now,
        missing=missing,
        posting_id=posting_id,
    )


def _audit(uow: UnitOfWork, actor: Actor, payout: PayoutRecord, clock: Clock) -> None:
    uow.audit.append(
        audit.created(
            actor,
            ENTITY,
            payout.id,
            {
                "engagement_id": payout.engagement_id,
                "version": payout.version,
                "method": payout.method.value,
                "amount": payout.amount.to_json(),
                "status": payout.status.value,
                "missing": list(payout.missing),
                "posting_id": payout.posting_id,
            },
            clock.now(),
            organization_id=payout.partner_id,
        )
    )


def release_payout(
    uow: UnitOfWork,
    actor: Actor,
    engagement_id: str,
    *,
    program: EngagementProgram,
    clock: Clock,
) -> PayoutResult:
    """Release the reward of a won opportunity (see the module doc)."""
    require_finance(actor)
    blocked: MonetaryPayoutBlocked | None = None
    with uow:
        record = visible_engagement(uow, actor, engagement_id, for_update=True)
        deal = latest_deal(uow, record.id)
        if deal is not None:
            earlier = uow.engagements.payout(record.id, deal.version)
            if earlier is not None and earlier.status in PAID:
                return PayoutResult(earlier, True, earlier.explanation)
        if record.engagement.status is not Status.ELIGIBLE:
            raise BusinessRuleViolation(
                f"{record.id} is {record.engagement.status}: a reward is paid once the deal "
                "is won (eligible)",
                field="status",
                rule="CCE-6",
            )
        membership = active_membership(uow, record.partner_id, clock.today())
        payout, why = plan(uow, record, program)
        explanation = why + payout.explanation
        if not payout.due:
            raise NoRewardDue(
                f"no reward is due on {record.id}: " + "; ".join(payout.explanation[-3:])
            )
        principal = principal_of(uow, record.partner_id)
        existing = uow.engagements.payout(record.id, payout.version)
        if payout.method is PayoutMethod.MONEY:
            account = uow.engagements.supplier_account(record.partner_id)
            try:
                require_monetary_payout(payout, record.engagement, account)
            except MonetaryPayoutBlocked as refusal:
                blocked = refusal
                saved = _record(
                    payout,
                    record,
                    principal,
                    PayoutStatus.BLOCKED,
                    (*explanation, f"{refusal.message} [RWD-4]"),
                    actor,
                    clock,
                    existing=existing,
                    missing=refusal.missing,
                )
                uow.engagements.save_payout(saved)
                if existing is None or existing.missing != saved.missing:
                    _audit(uow, actor, saved, clock)
                if refusal.effects and account is SupplierAccount.NONE:
                    _invite_supplier(uow, record, clock)
                uow.commit()
            if blocked is None:
                saved = _record(
                    payout,
                    record,
                    principal,
                    PayoutStatus.RELEASED,
                    explanation,
                    actor,
                    clock,
                    existing=existing,
                )
        else:
            principal_membership = (
                membership
                if principal == record.partner_id
                else active_membership(uow, principal, clock.today())
            )
            command = credit_payout_command(
                payout,
                principal_id=principal,
                accrued_on=clock.today(),
                membership_ends_on=principal_membership.end,
                wallet=program.wallet,
            )
            applied = uow.ledger.apply(command)
            saved = _record(
                payout,
                record,
                principal,
                PayoutStatus.CREDITED,
                (
                    *explanation,
                    f"{payout.amount.amount} credits added to {principal}'s balance [RWD-4]",
                ),
                actor,
                clock,
                existing=existing,
                posting_id=applied.posting.id,
            )
        if blocked is None:
            uow.engagements.save_payout(saved)
            _audit(uow, actor, saved, clock)
            record_move(uow, actor, record, Status.INCENTIVE_RELEASED, clock)
            uow.commit()
    if blocked is not None:
        raise blocked
    return PayoutResult(saved, False, saved.explanation)


def _invite_supplier(uow: UnitOfWork, record: EngagementRecord, clock: Clock) -> None:
    """RWD-4: « Oracle lui enverra un e-mail l'invitant à commencer le processus
    d'enregistrement de fournisseur »; once per partner."""
    now = clock.now()
    uow.engagements.set_supplier_account(record.partner_id, SupplierAccount.NONE, now, invited=True)
    notices.send(
        uow,
        event_type="supplier.invited",
        event_id=f"supplier.invited:{record.partner_id}",
        organization_id=record.partner_id,
        payload={"partner_id": record.partner_id, "engagement_id": record.id},
        recipients=notices.partner_recipients(uow, record.partner_id),
        subject="Register as a supplier to receive your reward",
        lines=[
            f"A monetary reward on engagement {record.engagement.reference} is waiting.",
            "Monetary rewards need an invoice attached to the engagement (category Invoice) "
            "and an active supplier account with the vendor. Please start the supplier "
            "registration. [RWD-4]",
        ],
        template="supplier_invitation",
        at=now,
    )


def set_supplier_account(
    uow: UnitOfWork,
    actor: Actor,
    organization_id: OrganizationId,
    status: SupplierAccount,
    *,
    clock: Clock,
) -> SupplierAccount:
    """The vendor records a partner's supplier account (RWD-4); audited."""
    require_finance(actor)
    now = clock.now()
    with uow:
        require_organization(uow, actor, Permission.VIEW_ORGANIZATION, organization_id)
        before = uow.engagements.supplier_account(organization_id)
        if before is not status:
            uow.engagements.set_supplier_account(organization_id, status, now)
            uow.audit.append(
                audit.changed(
                    actor,
                    "supplier_account",
                    organization_id,
                    {"status": before.value},
                    {"status": status.value},
                    now,
                    organization_id=organization_id,
                )
            )
        uow.commit()
    return status


def list_payouts(
    uow: UnitOfWork, actor: Actor, *, engagement_id: str | None = None
) -> list[PayoutRecord]:
    """Payouts ``actor`` may see: its company's, or every one (staff)."""
    with uow:
        if engagement_id is not None:
            visible_engagement(uow, actor, engagement_id)
        visible = scope(uow, actor)
        if visible == []:
            return []
        return uow.engagements.payouts(visible, engagement_id)
