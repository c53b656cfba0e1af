"""What every membership use case writes beside its change: the audit record (X-4) and
the notices that go to the outbox in the same transaction (OPN-7, OPN-9, OPN-14).

Notices go to the people of the organisation holding the roles that receive them — the
partner administrator is the main recipient of the program's notices (OPN-18), the
accounts payable (billing) contact receives invoices (OPN-7) — falling back to the
administrators when nobody holds the role.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping
from datetime import datetime

from alliance.domain import audit
from alliance.domain.access import Actor
from alliance.domain.ids import OrganizationId
from alliance.domain.membership import EnrolmentApplication, Membership
from alliance.domain.notifications import Event, JsonValue, Message
from alliance.domain.people import PartnerRole
from alliance.services.notifications import notify
from alliance.services.ports import UnitOfWork

MEMBERSHIP = "membership"
APPLICATION = "membership_application"


def application_record(application: EnrolmentApplication) -> dict[str, JsonValue]:
    return {
        "organization_id": application.organization_id,
        "applicant": application.applicant,
        "kind": application.kind.value,
        "status": application.status.value,
        "steps": sorted(step.value for step in application.answers),
        "level": application.level,
        "member_type": application.member_type.value if application.member_type else None,
        "principal_subscription": application.principal_subscription,
    }


def audit_membership(
    uow: UnitOfWork,
    actor: Actor,
    old: Membership | None,
    new: Membership,
    at: datetime,
    action: str,
    context: Mapping[str, JsonValue] | None = None,
) -> None:
    """X-4: a membership created or changed, with the rule that moved it in ``context``."""
    if old is None:
        record = audit.created(
            actor,
            MEMBERSHIP,
            new.subscription_id,
            new.as_record(),
            at,
            organization_id=new.organization_id,
        )
    else:
        record = audit.changed(
            actor,
            MEMBERSHIP,
            new.subscription_id,
            old.as_record(),
            new.as_record(),
            at,
            organization_id=new.organization_id,
        )
    uow.audit.append(
        _with(record, f"{MEMBERSHIP}.{action}", context),
    )


def audit_application(
    uow: UnitOfWork,
    actor: Actor,
    old: EnrolmentApplication | None,
    new: EnrolmentApplication,
    at: datetime,
    action: str,
    context: Mapping[str, JsonValue] | None = None,
) -> None:
    """X-4: an application started, a step saved, submitted, decided."""
    if old is None:
        record = audit.created(
            actor,
            APPLICATION,
            new.id,
            application_record(new),
            at,
            organization_id=new.organization_id,
        )
    else:
        record = audit.changed(
            actor,
            APPLICATION,
            new.id,
            application_record(old),
            application_record(new),
            at,
            organization_id=new.organization_id,
        )
    uow.audit.append(_with(record, f"{APPLICATION}.{action}", context))


def _with(
    record: audit.AuditRecord, action: str, context: Mapping[str, JsonValue] | None
) -> audit.AuditRecord:
    from dataclasses import replace

    return replace(record, action=action, context=dict(context or {}))


def stable_event_id(key: str) -> str:
    """An event id derived from an idempotency key: the same notice twice is one delivery."""
    digest = hashlib.sha256(key.encode()).hexdigest()[:32]
    return f"evt_{digest}"


def recipients(
    uow: UnitOfWork, organization_id: OrganizationId, roles: Iterable[PartnerRole]
) -> list[str]:
    """E-mail addresses of the organisation's people holding ``roles`` (administrators
    when nobody does)."""
    people = uow.people.of_organization(organization_id)
    wanted = set(roles)
    chosen = [p.email for p in people if p.partner_roles & wanted]
    if not chosen:
        chosen = [p.email for p in people if PartnerRole.PARTNER_ADMINISTRATOR in p.partner_roles]
    return sorted(set(chosen))


def send_notice(
    uow: UnitOfWork,
    organization_id: OrganizationId,
    event_type: str,
    subject: str,
    text: str,
    payload: Mapping[str, JsonValue],
    at: datetime,
    *,
    key: str,
    roles: Iterable[PartnerRole] = (PartnerRole.PARTNER_ADMINISTRATOR,),
    extra_to: Iterable[str] = (),
) -> int:
    """Enqueue an event and its e-mails in ``uow``'s transaction; returns e-mails queued."""
    event = Event(event_type, stable_event_id(key), payload, at, organization_id)
    addresses = sorted({*recipients(uow, organization_id, roles), *extra_to})
    messages = [Message(to, subject, text, template=event_type) for to in addresses]
    return notify(uow, event, messages, at=at).emails
