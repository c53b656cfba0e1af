"""CCE-6: the lifecycles of engagements, as tables of named, allowed moves.

* account planning: ``submitted → acknowledged → account_planning``
* opportunity: ``submitted → acknowledged → in_review → accepted | not_eligible``;
  ``accepted → eligible`` (deal won) ``| ineligible`` (deal lost);
  ``eligible → incentive_released`` (the partner met the reward requirements).

Any other move is refused with :class:`IllegalTransition`. Every move returns a
:class:`TransitionRecord` — from, to, who, when (X-4) — and the acknowledgement carries
a :class:`NotifyPartner` effect: the service sends the partner its e-mail.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import datetime
from types import MappingProxyType

from alliance.domain.engagements.engagement import Category, Engagement, Status
from alliance.domain.engagements.errors import IllegalTransition
from alliance.domain.errors import InvalidInput

RULE = "CCE-6"


@dataclass(frozen=True)
class Move:
    """An allowed move, named as the program definition names it."""

    name: str
    source: Status
    target: Status
    notify_partner: bool = False


S = Status
LIFECYCLES: Mapping[Category, tuple[Move, ...]] = MappingProxyType(
    {
        Category.ACCOUNT_PLANNING: (
            Move("acknowledge", S.SUBMITTED, S.ACKNOWLEDGED, notify_partner=True),
            Move("plan", S.ACKNOWLEDGED, S.ACCOUNT_PLANNING),
        ),
        Category.OPPORTUNITY: (
            Move("acknowledge", S.SUBMITTED, S.ACKNOWLEDGED, notify_partner=True),
            Move("review", S.ACKNOWLEDGED, S.IN_REVIEW),
            Move("accept", S.IN_REVIEW, S.ACCEPTED),
            Move("refuse", S.IN_REVIEW, S.NOT_ELIGIBLE),
            Move("win", S.ACCEPTED, S.ELIGIBLE),
            Move("lose", S.ACCEPTED, S.INELIGIBLE),
            Move("release_incentive", S.ELIGIBLE, S.INCENTIVE_RELEASED),
        ),
    }
)
"""CCE-6: the allowed moves of each category; nothing else is a legal transition."""

INITIAL = Status.SUBMITTED


def states(category: Category) -> frozenset[Status]:
    """Every state ``category``'s lifecycle can be in."""
    moves = LIFECYCLES[category]
    return frozenset({INITIAL} | {m.source for m in moves} | {m.target for m in moves})


def terminal_states(category: Category) -> frozenset[Status]:
    """The states no move leaves."""
    return states(category) - {m.source for m in LIFECYCLES[category]}


def next_moves(engagement: Engagement) -> tuple[Move, ...]:
    """The moves open to ``engagement`` now (what a vendor's screen may offer)."""
    return tuple(m for m in LIFECYCLES[engagement.category] if m.source is engagement.status)


@dataclass(frozen=True)
class NotifyPartner:
    """Tell the partner about its engagement by e-mail (CCE-6: on acknowledgement)."""

    engagement_id: str
    partner_id: str
    status: Status
    rule: str = RULE


@dataclass(frozen=True)
class TransitionRecord:
    """One move of one engagement: from ``source`` to ``target``, by ``actor``, ``at``."""

    engagement_id: str
    category: Category
    move: str
    source: Status
    target: Status
    actor: str
    at: datetime
    effects: tuple[NotifyPartner, ...] = ()
    rule: str = RULE

    def __str__(self) -> str:
        return (
            f"{self.engagement_id}: {self.source} → {self.target} ({self.move}) "
            f"by {self.actor} at {self.at.isoformat()} [{self.rule}]"
        )


def transition(
    engagement: Engagement, to: Status, actor_label: str, at: datetime
) -> tuple[Engagement, TransitionRecord]:
    """Move ``engagement`` to ``to``, or refuse with :class:`IllegalTransition` (CCE-6)."""
    if at.tzinfo is None or at.utcoffset() is None:
        raise InvalidInput("a transition is recorded at an aware moment", field="at", rule="X-4")
    if not actor_label.strip():
        raise InvalidInput("a transition records who made it", field="actor", rule="X-4")
    target = Status(to)
    move = _find(engagement.category, engagement.status, target)
    effects: tuple[NotifyPartner, ...] = ()
    if move.notify_partner:
        effects = (NotifyPartner(engagement.id, engagement.partner_id, target),)
    record = TransitionRecord(
        engagement_id=engagement.id,
        category=engagement.category,
        move=move.name,
        source=engagement.status,
        target=target,
        actor=actor_label,
        at=at,
        effects=effects,
    )
    return replace(engagement, status=target), record


def _find(category: Category, source: Status, target: Status) -> Move:
    for move in LIFECYCLES[category]:
        if move.source is source and move.target is target:
            return move
    allowed = [m.target.value for m in LIFECYCLES[category] if m.source is source]
    then = f"it can go to {', '.join(allowed)}" if allowed else "it is final"
    raise IllegalTransition(
        f"{category.value.replace('_', ' ')} engagement cannot move from {source} to "
        f"{target}; from {source} {then}"
    )
