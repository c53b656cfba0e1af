"""Which evaluator evaluates a program, and what every evaluator is given (issue 5).

An evaluator turns one program definition, the stored facts and a date into
:class:`~alliance.domain.outcomes.Outcome` s, and prices the incentives those outcomes
open (for what-if). The registry maps a program's *kind of earned tier* — read from the
definition's sections — to its evaluator:

* ``scorecard`` — a ``scorecards`` section: MCPP designations per area
  (:mod:`.mcpp`);
* ``statuses`` — a ``statuses`` section: OIP earned statuses (:mod:`.oip`);
* ``modular_tiers`` — ``membership.modules``: PEX tiers of the enrolled partners
  (:mod:`.pex`).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Protocol

import pyarrow as pa

from alliance.domain.errors import InvalidInput
from alliance.domain.money import Money
from alliance.domain.outcomes import Outcome, Rank
from alliance.domain.scoring import Enrolment
from alliance.programs.schema import ProgramDefinition
from alliance.services.tier_facts.ports import FactKind

Progress = Callable[[str, int, int], None]
"""``progress(stage, done, total)``: a long run reports where it is."""


class FactsReader(Protocol):
    """Where the facts are read: ``uow.tier_facts``, or tables given directly."""

    def table(self, kind: FactKind) -> pa.Table: ...


@dataclass(frozen=True)
class GivenFacts:
    """Facts given as Arrow tables, by kind (tests, Parquet files, simulations)."""

    tables: Mapping[FactKind, pa.Table]

    def table(self, kind: FactKind) -> pa.Table:
        try:
            return self.tables[kind]
        except KeyError:
            raise InvalidInput(
                f"no {kind.value} facts were given", field="facts", rule="X-7"
            ) from None


@dataclass(frozen=True)
class IncentiveCost:
    """What an incentive costs for the outcomes of one evaluation: ``amount`` paid to
    ``partners`` partners for ``period`` — how it is computed is in ``basis``."""

    incentive: str
    period: str
    amount: Money
    partners: int
    basis: str


@dataclass(frozen=True)
class EvaluationInput:
    """One evaluation: the definition, the facts, the day, and what earlier runs hold."""

    definition: ProgramDefinition
    facts: FactsReader
    as_of: date
    enrolments: Mapping[str, list[Enrolment]] = field(default_factory=dict)
    modules_held: Mapping[str, frozenset[str]] = field(default_factory=dict)  # PEX-2
    progress: Progress | None = None

    def report(self, stage: str, done: int, total: int) -> None:
        if self.progress is not None:
            self.progress(stage, done, total)


class Evaluator(Protocol):
    kind: str

    def evaluate(self, given: EvaluationInput) -> list[Outcome]:
        """Every partner's outcomes on ``given.as_of`` under ``given.definition``."""
        ...

    def costs(self, given: EvaluationInput, outcomes: list[Outcome]) -> list[IncentiveCost]:
        """The incentives these outcomes open, priced (what-if; may be empty)."""
        ...

    def not_costed(self) -> str:
        """What this evaluator does not price, said plainly ("" when everything is)."""
        ...

    def rank(self, definition: ProgramDefinition) -> Rank:
        """How results rank under ``definition`` (to tell gains from losses)."""
        ...


def tier_kind(definition: ProgramDefinition) -> str:
    """The kind of earned tier a definition describes (see the module doc)."""
    if definition.scorecards is not None:
        return "scorecard"
    if definition.statuses is not None:
        return "statuses"
    membership = definition.membership
    if membership is not None and getattr(membership, "modules", None):
        return "modular_tiers"
    return ""


_EVALUATORS: dict[str, Callable[[], Evaluator]] = {}


def register(kind: str, factory: Callable[[], Evaluator]) -> None:
    """Make ``factory`` the evaluator of programs of ``kind``."""
    _EVALUATORS[kind] = factory


def evaluator_for(definition: ProgramDefinition) -> Evaluator:
    """The evaluator of ``definition``; :class:`InvalidInput` when none evaluates it."""
    kind = tier_kind(definition)
    factory = _EVALUATORS.get(kind)
    if factory is None:
        what = f"its earned tiers ({kind})" if kind else "it: it defines no earned tiers"
        raise InvalidInput(
            f"program {definition.code} cannot be evaluated: no evaluator for {what}; "
            f"evaluated kinds: {', '.join(sorted(_EVALUATORS)) or 'none'}",
            field="program",
            rule="X-7",
        )
    return factory()
