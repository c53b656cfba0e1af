"""Submitting an engagement (CCE-3, CCE-4) and checking it for duplicates again.

``submit_engagement`` runs in one unit of work:

1. the acting person must be an active user of the tool, in a partner whose membership
   is active at level 1 or above (CCE-1, CCE-2, OPN-15);
2. the form is checked against CCE-3's table — **every** missing or wrong field named in
   one refusal;
3. the customer is reused when the form names a saved one, or when the partner already
   saved the same legal name at the same address (normalised); otherwise it is saved for
   reuse (CCE-3);
4. an opportunity is checked for duplicates (CCE-4) — by the vendor's opportunity id
   when the notes quote one, else by customer and overlapping products among open
   engagements — and the verdict is stored with its explanation;
5. the deal behind an opportunity is recorded as version 1 (RWD-2 compares bookings to
   it); the creation is audited (X-4).

An opportunity can be submitted without an earlier account-planning engagement (CCE-4).
"""

from __future__ import annotations

from dataclasses import replace

from alliance.domain import audit
from alliance.domain.access import Actor
from alliance.domain.clock import Clock
from alliance.domain.engagement_rewards import Deal
from alliance.domain.engagements import (
    Category,
    Customer,
    Engagement,
    check_duplicates,
    customer_key,
    find_saved_customer,
    submit_engagement,
    vendor_opportunity_ids,
)
from alliance.domain.errors import NotFound
from alliance.domain.ids import OrganizationId, new_id
from alliance.services.engagements.access import (
    require_own_engagement,
    require_reviewer,
    require_tool_user,
    visible_engagement,
)
from alliance.services.engagements.forms import EngagementForm
from alliance.services.engagements.ports import (
    DealRecord,
    EngagementRecord,
    StoredDuplicateCheck,
)
from alliance.services.engagements.program import EngagementProgram
from alliance.services.engagements.queries import EngagementDetail, detail
from alliance.services.ports import UnitOfWork

ENTITY = "engagement"


def engagement_record(record: EngagementRecord) -> dict[str, object]:
    """What the audit journal keeps of an engagement (X-4)."""
    e = record.engagement
    return {
        "partner_id": e.partner_id,
        "category": e.category.value,
        "status": e.status.value,
        "name": e.name,
        "reference": e.reference,
        "customer_id": e.customer.id,
        "customer": e.customer.legal_name,
        "partner_contact": e.partner_contact.name,
        "customer_contact": e.customer_contact.name if e.customer_contact else None,
        "products": [f"{p.product} ({p.family}) x{p.quantity} {p.amount}" for p in e.products],
        "pillars": [p.name for p in e.pillars],
        "estimated_close_date": (
            e.estimated_close_date.isoformat() if e.estimated_close_date else None
        ),
        "sector": record.sector.value,
        "order_kind": record.order_kind.value,
        "version": record.version,
    }


def _customer(uow: UnitOfWork, partner_id: OrganizationId, form: EngagementForm) -> EngagementForm:
    """The form with a saved customer when it names one (CCE-3: reuse)."""
    if form.draft.customer_id is None:
        return form
    found = uow.engagements.customer(form.draft.customer_id)
    if found is None or found[0] != partner_id:
        raise NotFound(
            f"no saved customer {form.draft.customer_id} for {partner_id}",
            field="customer_id",
            rule="CCE-3",
        )
    return replace(form, draft=form.draft.with_customer(found[1]))


def _saved(uow: UnitOfWork, partner_id: OrganizationId, customer: Customer) -> Customer:
    """The saved customer: the given one, the same one saved before, or a new one."""
    if customer.id is not None:
        return customer
    same = find_saved_customer(uow.engagements.customers(partner_id), customer)
    return same if same is not None else uow.engagements.add_customer(partner_id, customer)


def duplicate_check(
    uow: UnitOfWork, engagement: Engagement, program: EngagementProgram
) -> StoredDuplicateCheck | None:
    """CCE-4 for an opportunity (None for account planning), explained."""
    if engagement.category is not Category.OPPORTUNITY:
        return None
    ids = vendor_opportunity_ids(engagement.notes_text, program.duplicates)
    existing = uow.engagements.duplicate_candidates(
        engagement.category, customer_key(engagement.customer)[0], ids
    )
    check = check_duplicates(engagement, existing, program.duplicates)
    return StoredDuplicateCheck(
        check.verdict, tuple(m.engagement_id for m in check.matches), check.explanation
    )


def submit(
    uow: UnitOfWork,
    actor: Actor,
    form: EngagementForm,
    *,
    program: EngagementProgram,
    clock: Clock,
) -> EngagementDetail:
    """Submit a new engagement (see the module doc)."""
    now = clock.now()
    with uow:
        person, _access = require_tool_user(uow, actor, program, clock.today())
        assert person.organization_id is not None
        partner = person.organization_id
        form = _customer(uow, partner, form)
        engagement = submit_engagement(
            form.draft,
            form.category,
            engagement_id=new_id("eng"),
            partner_id=partner,
            attachment_categories=program.attachment_categories,
        )
        engagement = replace(engagement, customer=_saved(uow, partner, engagement.customer))
        record = EngagementRecord(
            engagement=engagement,
            sector=form.sector,
            order_kind=form.order_kind,
            version=1,
            submitted_by=person.email,
            created_at=now,
            updated_at=now,
        )
        uow.engagements.add(record)
        check = duplicate_check(uow, engagement, program)
        if check is not None:
            uow.engagements.set_duplicate_check(engagement.id, check)
            record = replace(record, duplicate=check)
        if engagement.category is Category.OPPORTUNITY:
            deal = Deal.of_engagement(engagement, sector=form.sector, order_kind=form.order_kind)
            uow.engagements.add_deal(DealRecord(deal, person.email, now))
        uow.audit.append(
            audit.created(
                actor,
                ENTITY,
                engagement.id,
                engagement_record(record),
                now,
                organization_id=partner,
            )
        )
        result = detail(uow, actor, record)
        uow.commit()
    return result


def recheck_duplicates(
    uow: UnitOfWork,
    actor: Actor,
    engagement_id: str,
    *,
    program: EngagementProgram,
    clock: Clock,
) -> EngagementDetail:
    """CCE-4 again, now (the vendor checking, or the partner after adding the vendor's
    opportunity id to the notes); the new verdict replaces the stored one and is audited."""
    now = clock.now()
    with uow:
        record = visible_engagement(uow, actor, engagement_id, for_update=True)
        if actor.kind.value == "member":
            person, _access = require_tool_user(uow, actor, program, clock.today())
            require_own_engagement(person, record)
        else:
            require_reviewer(actor)
        check = duplicate_check(uow, record.engagement, program)
        if check is not None and check != record.duplicate:
            uow.engagements.set_duplicate_check(record.id, check)
            before = {"verdict": record.duplicate.verdict.value if record.duplicate else None}
            uow.audit.append(
                audit.changed(
                    actor,
                    ENTITY,
                    record.id,
                    before,
                    {"verdict": check.verdict.value, "matches": list(check.matches)},
                    now,
                    action="engagement.duplicate_checked",
                    organization_id=record.partner_id,
                )
            )
            record = replace(record, duplicate=check)
        result = detail(uow, actor, record)
        uow.commit()
    return result
