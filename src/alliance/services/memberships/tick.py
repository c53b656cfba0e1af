"""The daily membership job: ``alliance memberships tick --as-of DATE`` (OPN-8, OPN-14,
OPN-15).

For the day, in one transaction: renewed terms start on the renewal date (OPN-14; their
credits are allocated, CRD-1), memberships past their end date expire (OPN-15: benefits,
engagement access and expertise stop), those expired more than a year or whose renewal
was declined lapse (OPN-15: enrol anew), associates follow their principal (OPN-8),
renewal windows that opened are announced and reminders sent at the configured days
before the end date (OPN-14), through the notifications outbox.

Idempotent for a date (X-5): every action has a key (``{subscription}:{action}:
{milestone}``) recorded when it is done; a second run for the same day finds the state
changes no longer due and the notices already sent, and does nothing.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime

from alliance.domain.access import Actor, Permission, require_everywhere
from alliance.domain.clock import Clock
from alliance.domain.membership import (
    ActionKind,
    Membership,
    MembershipStatus,
    SubscriptionId,
    run_tick,
)
from alliance.services.membership_terms import MembershipProgram
from alliance.services.memberships.activation import allocate_credits
from alliance.services.memberships.ports import TickActionRecord
from alliance.services.memberships.records import audit_membership, send_notice
from alliance.services.ports import UnitOfWork

#: Statuses the job looks at: pending and ended memberships have nothing due.
WATCHED = frozenset({MembershipStatus.ACTIVE, MembershipStatus.EXPIRED})


@dataclass(frozen=True)
class TickReport:
    as_of: date
    counts: dict[str, int] = field(default_factory=dict)
    emails: int = 0

    @property
    def actions(self) -> int:
        return sum(self.counts.values())

    @property
    def summary(self) -> str:
        if not self.counts:
            return f"{self.as_of}: nothing to do"
        done = ", ".join(f"{n} {kind.replace('_', ' ')}" for kind, n in sorted(self.counts.items()))
        return f"{self.as_of}: {done}; {self.emails} e-mail(s) queued"


_NOTICES = {
    ActionKind.OPEN_RENEWAL_WINDOW: (
        "membership.renewal_window_opened",
        "The renewal window of {sub} is open",
        "Your membership {sub} ends on {end}; you may renew it now (OPN-14).",
    ),
    ActionKind.RENEWAL_REMINDER: (
        "membership.renewal_reminder",
        "Reminder: renew membership {sub} before {end}",
        "Your membership {sub} ends on {end}. Renew it to keep its benefits (OPN-14, OPN-15).",
    ),
}


def run_daily(
    uow: UnitOfWork,
    actor: Actor,
    program: MembershipProgram,
    clock: Clock,
    as_of: date | None = None,
) -> TickReport:
    """The job for ``as_of`` (default: today), as the system or program staff."""
    require_everywhere(actor, Permission.MANAGE_PROGRAMS)
    day = as_of or clock.today()
    terms, at = program.terms, clock.now()
    counts: Counter[str] = Counter()
    emails = 0
    with uow:
        before = {m.subscription_id: m for m in uow.memberships.every(WATCHED)}
        done = uow.memberships.done_actions()
        result = run_tick(before.values(), day, terms, done)
        after = {m.subscription_id: m for m in result.memberships}
        by_subscription: dict[SubscriptionId, list[str]] = {}
        for action in result.actions:
            counts[action.kind.value] += 1
            by_subscription.setdefault(action.subscription_id, []).append(action.kind.value)
            uow.memberships.record_action(
                TickActionRecord(
                    action.key, action.subscription_id, action.kind.value, day, action.rule
                )
            )
            notice = _NOTICES.get(action.kind)
            if notice is not None:
                emails += _send(
                    uow, after[action.subscription_id], notice, action.key, at, action.rule
                )
        for sub, kinds in by_subscription.items():
            old, new = before[sub], after[sub]
            if new == old:
                continue
            uow.memberships.save(new)
            audit_membership(
                uow, actor, old, new, at, "tick", {"as_of": day.isoformat(), "actions": kinds}
            )
            if _new_term(old, new):
                allocate_credits(uow, actor, new, at)  # CRD-1: the renewed term's credits
        uow.commit()
    return TickReport(day, dict(counts), emails)


def _new_term(old: Membership, new: Membership) -> bool:
    return (
        new.status is MembershipStatus.ACTIVE
        and new.term is not None
        and (old.term is None or new.term.start != old.term.start)
        and not new.is_associate
    )


def _send(
    uow: UnitOfWork,
    membership: Membership,
    notice: tuple[str, str, str],
    key: str,
    at: datetime,
    rule: str,
) -> int:
    event_type, subject, text = notice
    sub, end = membership.subscription_id, membership.end
    return send_notice(
        uow,
        membership.organization_id,
        event_type,
        subject.format(sub=sub, end=end),
        text.format(sub=sub, end=end),
        {"subscription_id": sub, "end": end, "rule": rule, "key": key},
        at,
        key=key,
    )
