"""Lifecycles as data: declared states and a table of named, allowed ``(from, to)`` moves.

Anything not in the table is refused by the domain (STYLE §9). Every move is recorded
with who and when (X-4); ``notify`` names who is told (CCE-6).
"""

from __future__ import annotations

from pydantic import ConfigDict, Field, model_validator

from alliance.programs.schema.common import (
    DefinitionModel,
    Identifier,
    Loc,
    RuleIds,
    duplicate_ids,
    raise_issues,
    unknown_refs,
)


class State(DefinitionModel):
    id: Identifier
    name: str
    description: str = ""
    terminal: bool = False


class Transition(DefinitionModel):
    """An allowed move. YAML: ``{name: acknowledge, from: submitted, to: acknowledged}``."""

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)

    name: Identifier
    source: Identifier = Field(alias="from")
    target: Identifier = Field(alias="to")
    description: str = ""
    notify: tuple[Identifier, ...] = Field(
        default=(), description="Who is told, e.g. 'partner' (CCE-6)."
    )


class Workflow(DefinitionModel):
    """A state machine: states, the initial state, and the allowed transitions."""

    id: Identifier
    name: str
    description: str = ""
    states: tuple[State, ...] = Field(min_length=1)
    initial: Identifier
    transitions: tuple[Transition, ...] = ()
    rules: RuleIds = ()

    @model_validator(mode="after")
    def _table_is_consistent(self) -> Workflow:
        issues: list[tuple[Loc, str]] = duplicate_ids("states", (s.id for s in self.states))
        states = [s.id for s in self.states]
        terminal = {s.id for s in self.states if s.terminal}
        issues += unknown_refs(("initial",), [self.initial], states, "state")
        names: set[str] = set()
        moves: set[tuple[str, str]] = set()
        for i, move in enumerate(self.transitions):
            issues += unknown_refs(("transitions", i, "from"), [move.source], states, "state")
            issues += unknown_refs(("transitions", i, "to"), [move.target], states, "state")
            if move.name in names:
                issues.append(
                    (("transitions", i, "name"), f"expected a unique name, got {move.name!r}")
                )
            if (move.source, move.target) in moves:
                issues.append(
                    (
                        ("transitions", i),
                        f"expected each (from, to) move once, got {move.source} → {move.target}",
                    )
                )
            if move.source in terminal:
                issues.append(
                    (
                        ("transitions", i, "from"),
                        f"expected a non-terminal state, got terminal {move.source!r}",
                    )
                )
            names.add(move.name)
            moves.add((move.source, move.target))
        raise_issues(issues)
        return self

    def allows(self, source: str, target: str) -> bool:
        """Whether the table has a move from ``source`` to ``target``."""
        return any(t.source == source and t.target == target for t in self.transitions)

    def state_ids(self) -> tuple[str, ...]:
        return tuple(s.id for s in self.states)
