"""Lifecycles are data: a table of allowed ``(from, to)`` moves, and one check that refuses
anything else with :class:`IllegalTransition`, naming both states (STYLE: lifecycles)."""

from __future__ import annotations

from collections.abc import Iterable
from enum import StrEnum
from typing import TypeVar

from alliance.domain.membership.errors import IllegalTransition

S = TypeVar("S", bound=StrEnum)


def allowed_targets(moves: Iterable[tuple[S, S]], current: S) -> list[S]:
    """The states ``current`` may move to, in the enum's order."""
    targets = {target for source, target in moves if source == current}
    return [state for state in type(current) if state in targets]


def require_move(
    moves: frozenset[tuple[S, S]], current: S, target: S, *, entity: str, rule: str
) -> S:
    """Return ``target`` if ``(current, target)`` is in ``moves``, else refuse the move."""
    if (current, target) in moves:
        return target
    allowed = ", ".join(state.value for state in allowed_targets(moves, current)) or "nothing"
    raise IllegalTransition(
        f"a {entity} cannot move from {current.value} to {target.value} "
        f"(from {current.value} it may move to: {allowed})",
        rule=rule,
    )
