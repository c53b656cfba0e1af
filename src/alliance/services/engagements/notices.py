"""The e-mails the engagement features send, through the outbox (same transaction as the
change; delivered later by ``alliance notifications deliver``).

* CCE-6: the partner is told when its engagement is acknowledged;
* RWD-1: the partner is told whether an accepted opportunity is eligible (commercial) or
  enters its public-sector pool, and when the pool reaches its thresholds;
* RWD-4: a partner without a supplier account is invited to register.

Recipients: the engagement's partner contact (when it has an e-mail), the person who
submitted it, and the partner's administrators (OPN-18: the main recipients of notices).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime

from alliance.domain.engagements import Engagement, Status
from alliance.domain.ids import OrganizationId
from alliance.domain.notifications import Event, JsonValue, Message
from alliance.domain.people import PartnerRole
from alliance.services.notifications import Enqueued, notify
from alliance.services.ports import UnitOfWork


def partner_recipients(
    uow: UnitOfWork, organization_id: OrganizationId, extra: Iterable[str] = ()
) -> list[str]:
    """The partner's administrators and ``extra`` addresses, each once, sorted."""
    found = {
        p.email
        for p in uow.people.of_organization(organization_id)
        if PartnerRole.PARTNER_ADMINISTRATOR in p.partner_roles
    }
    found |= {e.strip().lower() for e in extra if "@" in e and " " not in e.strip()}
    return sorted(found)


def engagement_recipients(uow: UnitOfWork, engagement: Engagement, submitted_by: str) -> list[str]:
    contact = engagement.partner_contact.email
    return partner_recipients(uow, OrganizationId(engagement.partner_id), [contact, submitted_by])


def send(
    uow: UnitOfWork,
    *,
    event_type: str,
    event_id: str,
    organization_id: str,
    payload: dict[str, JsonValue],
    recipients: Sequence[str],
    subject: str,
    lines: Sequence[str],
    template: str,
    at: datetime,
) -> Enqueued:
    """Enqueue one e-mail per recipient and the event for subscribed webhooks."""
    event = Event(event_type, event_id, payload, at, organization_id)
    text = "\n".join(lines) + "\n"
    messages = [Message(to, subject, text, template=template) for to in recipients]
    return notify(uow, event, messages)


def acknowledged(
    uow: UnitOfWork, engagement: Engagement, submitted_by: str, at: datetime
) -> Enqueued:
    """CCE-6: « Le partenaire reçoit également une notification par e-mail »."""
    what = engagement.category.value.replace("_", " ")
    return send(
        uow,
        event_type="engagement.acknowledged",
        event_id=f"engagement.acknowledged:{engagement.id}",
        organization_id=engagement.partner_id,
        payload={
            "engagement_id": engagement.id,
            "reference": engagement.reference,
            "category": engagement.category.value,
            "status": engagement.status.value,
        },
        recipients=engagement_recipients(uow, engagement, submitted_by),
        subject=f"Engagement {engagement.reference} acknowledged",
        lines=[
            f"The vendor acknowledged your {what} engagement {engagement.reference} "
            f"({engagement.name}) for {engagement.customer.legal_name}.",
            "You can follow its progress in the engagement tool. [CCE-6]",
        ],
        template="engagement_acknowledged",
        at=at,
    )


def moved(
    uow: UnitOfWork, engagement: Engagement, source: Status, version: int, at: datetime
) -> Enqueued:
    """Every move, as an ``engagement.moved`` event for subscribed webhooks (no e-mail)."""
    event = Event(
        "engagement.moved",
        f"engagement.moved:{engagement.id}:{version}",
        {
            "engagement_id": engagement.id,
            "reference": engagement.reference,
            "category": engagement.category.value,
            "from": source.value,
            "to": engagement.status.value,
        },
        at,
        engagement.partner_id,
    )
    return notify(uow, event)
