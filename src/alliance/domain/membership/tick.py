"""The daily membership job, as a pure function of the memberships and the day.

:func:`daily_actions` lists what is due on a day: start renewed terms (OPN-14), expire
memberships past their end date (OPN-15), lapse those expired more than a year or whose
renewal was declined (OPN-15), let associates follow their principal (OPN-8), announce
open renewal windows and send reminders at the configured days before the end date.
Each action has a stable idempotency key ``"{subscription}:{action}:{milestone}"``
(X-5): running the job twice for a day changes nothing the second time — state changes
are no longer due, and notices repeat keys already done. A membership whose job was
missed for days catches up in order (expire, then lapse), and only the latest reminder
reached is sent.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from types import MappingProxyType

from alliance.domain.membership.membership import (
    Membership,
    MembershipStatus,
    SubscriptionId,
    follow_principal,
)
from alliance.domain.membership.renewal import (
    RenewalRoute,
    expire_if_due,
    lapse_if_due,
    renewal_option,
    roll_over_if_due,
)
from alliance.domain.membership.terms import MembershipTerms


class ActionKind(StrEnum):
    START_RENEWED_TERM = "start_renewed_term"  # OPN-14
    EXPIRE = "expire"  # OPN-15
    LAPSE = "lapse"  # OPN-15
    FOLLOW_PRINCIPAL = "follow_principal"  # OPN-8, OPN-13
    OPEN_RENEWAL_WINDOW = "open_renewal_window"  # OPN-14: a notice
    RENEWAL_REMINDER = "renewal_reminder"  # OPN-14: a notice


@dataclass(frozen=True)
class Action:
    """Something the job does for one membership on ``on``."""

    kind: ActionKind
    subscription_id: SubscriptionId
    on: date
    milestone: str  # the end date (and reminder day) it is about
    rule: str

    @property
    def key(self) -> str:
        """The idempotency key: one action per subscription, kind and milestone (X-5)."""
        return f"{self.subscription_id}:{self.kind.value}:{self.milestone}"

    @property
    def changes_state(self) -> bool:
        return self.kind in STATE_CHANGES


STATE_CHANGES = frozenset(
    {
        ActionKind.START_RENEWED_TERM,
        ActionKind.EXPIRE,
        ActionKind.LAPSE,
        ActionKind.FOLLOW_PRINCIPAL,
    }
)

Apply = Callable[[Membership, date, MembershipTerms, Membership | None], Membership]


def _expire(
    m: Membership, day: date, terms: MembershipTerms, principal: Membership | None
) -> Membership:
    if m.is_associate and principal is not None:
        return follow_principal(m, principal, day)
    return expire_if_due(m, day, terms)


APPLY: Mapping[ActionKind, Apply] = MappingProxyType(
    {
        ActionKind.START_RENEWED_TERM: lambda m, day, terms, _: roll_over_if_due(m, day, terms),
        ActionKind.EXPIRE: _expire,
        ActionKind.LAPSE: lambda m, day, terms, _: lapse_if_due(m, day, terms),
        ActionKind.FOLLOW_PRINCIPAL: lambda m, day, _, p: follow_principal(m, p, day) if p else m,
        ActionKind.OPEN_RENEWAL_WINDOW: lambda m, *_: m,
        ActionKind.RENEWAL_REMINDER: lambda m, *_: m,
    }
)
"""How each action changes a membership (notices change nothing)."""


def apply_action(
    membership: Membership,
    action: Action,
    terms: MembershipTerms,
    *,
    principal: Membership | None = None,
) -> Membership:
    return APPLY[action.kind](membership, action.on, terms, principal)


def _next_state_action(
    m: Membership, day: date, terms: MembershipTerms, principal: Membership | None
) -> Action | None:
    """The next state change due for ``m`` on ``day``, if any."""
    if m.term is None:
        return None
    end = m.term.end.isoformat()
    if m.is_associate and principal is not None:
        followed = follow_principal(m, principal, day)
        if followed.status is MembershipStatus.EXPIRED and m.status is MembershipStatus.ACTIVE:
            return Action(ActionKind.EXPIRE, m.subscription_id, day, end, "OPN-8")
        if followed != m:
            milestone = f"{principal.level}-{principal.end}"
            return Action(ActionKind.FOLLOW_PRINCIPAL, m.subscription_id, day, milestone, "OPN-8")
    elif roll_over_if_due(m, day, terms) != m and m.renewal and m.renewal.term:
        start = m.renewal.term.start.isoformat()
        return Action(ActionKind.START_RENEWED_TERM, m.subscription_id, day, start, "OPN-14")
    elif expire_if_due(m, day, terms) != m:
        return Action(ActionKind.EXPIRE, m.subscription_id, day, end, "OPN-15")
    if lapse_if_due(m, day, terms) != m:
        return Action(ActionKind.LAPSE, m.subscription_id, day, end, "OPN-15")
    return None


def _notices(m: Membership, day: date, terms: MembershipTerms) -> list[Action]:
    """OPN-14: the window notice and the latest reminder reached, while renewal is open."""
    if m.term is None or m.status is not MembershipStatus.ACTIVE:
        return []
    if renewal_option(m, day, terms).route is not RenewalRoute.OPEN:
        return []
    end = m.term.end.isoformat()
    notices = [Action(ActionKind.OPEN_RENEWAL_WINDOW, m.subscription_id, day, end, "OPN-14")]
    days_left = (m.term.end - day).days
    reached = [d for d in terms.renewal_reminder_days if days_left <= d]
    if reached:
        milestone = f"{end}-{min(reached)}d"
        notices.append(
            Action(ActionKind.RENEWAL_REMINDER, m.subscription_id, day, milestone, "OPN-14")
        )
    return notices


def _actions_for(
    m: Membership, day: date, terms: MembershipTerms, principal: Membership | None
) -> tuple[list[Action], Membership]:
    actions: list[Action] = []
    current = m
    for _ in range(len(STATE_CHANGES) + 1):  # a missed job catches up: expire, then lapse
        action = _next_state_action(current, day, terms, principal)
        if action is None:
            break
        actions.append(action)
        current = apply_action(current, action, terms, principal=principal)
    return actions + _notices(current, day, terms), current


def _principals_first(memberships: Iterable[Membership]) -> list[Membership]:
    return sorted(memberships, key=lambda m: (m.is_associate, m.subscription_id))


@dataclass(frozen=True)
class TickResult:
    """A day's run: the actions still to do, and every membership after them."""

    actions: tuple[Action, ...]
    memberships: tuple[Membership, ...]


def run_tick(
    memberships: Iterable[Membership],
    day: date,
    terms: MembershipTerms,
    done: Collection[str] = frozenset(),
) -> TickResult:
    """The daily job for ``day``: principals first, so that associates follow their
    principal's state of the day. Actions whose key is in ``done`` are skipped (X-5)."""
    after: dict[SubscriptionId, Membership] = {}
    actions: list[Action] = []
    for membership in _principals_first(memberships):
        principal = after.get(membership.principal) if membership.principal else None
        due, updated = _actions_for(membership, day, terms, principal)
        actions += [a for a in due if a.key not in done]
        after[membership.subscription_id] = updated
    return TickResult(tuple(actions), tuple(after.values()))


def daily_actions(
    memberships: Iterable[Membership], day: date, terms: MembershipTerms
) -> list[Action]:
    """Everything due on ``day`` (``alliance memberships tick --as-of DAY``)."""
    return list(run_tick(memberships, day, terms).actions)
