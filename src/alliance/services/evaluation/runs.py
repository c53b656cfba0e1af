"""``evaluate`` and ``simulate``: the use cases of earned-tier evaluation (issue 5).

* :func:`evaluate` — evaluates a program on a date against the stored facts and saves
  the outcomes as the run ``(program, definition version, as_of)``. Rerunning it leaves the
  same rows (no duplicate; identical outcomes are not even rewritten; X-5).
* :func:`simulate` — what-if: evaluates a *changed* definition against the same facts
  without writing anything, and compares it with the live outcomes — the stored run of
  the live definition on that date, or else an evaluation of the live definition made
  for the comparison: who gains or loses which designation, status or tier, and how the
  cost of the incentives changes.

Both are for vendor staff and the operator's CLI (``manage_programs``, X-6).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from alliance.domain.access import Actor, Permission, require_everywhere
from alliance.domain.clock import Clock, SystemClock
from alliance.domain.errors import InvalidInput
from alliance.domain.money import Money
from alliance.domain.outcomes import Movement, Outcome, Run, RunKey, count_results, movements
from alliance.programs.loader import LoadedProgram
from alliance.programs.registry import ProgramRegistry
from alliance.services.evaluation import mcpp, oip, pex  # noqa: F401 - registers the evaluators
from alliance.services.evaluation.evaluators import (
    EvaluationInput,
    Evaluator,
    FactsReader,
    IncentiveCost,
    Progress,
    evaluator_for,
    tier_kind,
)
from alliance.services.evaluation.ports import SavedRun
from alliance.services.ports import UnitOfWork


@dataclass(frozen=True)
class EvaluationSummary:
    """What :func:`evaluate` did: the run as stored, whether it wrote, and the count of
    outcomes per result (``qualified: 12``)."""

    run: Run
    written: bool
    replaced: int

    @property
    def results(self) -> dict[str, int]:
        return dict(self.run.results)


def _loaded(
    programs: ProgramRegistry, code: str, definition: LoadedProgram | None
) -> LoadedProgram:
    live = programs.entry(code)  # NotFound lists the known codes
    if definition is None:
        return live
    if definition.code != code:
        raise InvalidInput(
            f"the definition is of program {definition.code!r}, not {code!r}",
            field="code",
            rule="X-7",
        )
    return definition


def _outcomes(
    uow: UnitOfWork,
    evaluator: Evaluator,
    loaded: LoadedProgram,
    as_of: date,
    facts: FactsReader | None,
    progress: Progress | None,
) -> tuple[EvaluationInput, list[Outcome]]:
    definition = loaded.definition
    enrolments = (
        uow.tier_outcomes.enrolments(definition.code) if evaluator.kind == "scorecard" else {}
    )
    modules = (
        {e.partner_id: e.modules for e in uow.pex.enrolments()}
        if evaluator.kind == "modular_tiers"
        else {}
    )
    given = EvaluationInput(
        definition,
        facts if facts is not None else uow.tier_facts,
        as_of,
        enrolments,
        modules,
        progress,
    )
    outcomes = evaluator.evaluate(given)
    if not outcomes:
        raise InvalidInput(
            f"no facts to evaluate program {definition.code} on {as_of}: import the partners "
            "and their facts first (alliance import …)",
            field="facts",
            rule="X-7",
        )
    return given, outcomes


def evaluate(
    uow: UnitOfWork,
    actor: Actor,
    programs: ProgramRegistry,
    program_code: str,
    as_of: date,
    *,
    definition: LoadedProgram | None = None,
    facts: FactsReader | None = None,
    progress: Progress | None = None,
    clock: Clock | None = None,
) -> EvaluationSummary:
    """Evaluate ``program_code`` (its live definition, or ``definition``) on ``as_of`` and
    save every partner's outcomes with the definition version (X-3, X-5)."""
    require_everywhere(actor, Permission.MANAGE_PROGRAMS)
    loaded = _loaded(programs, program_code, definition)
    evaluator = evaluator_for(loaded.definition)
    now = (clock if clock is not None else SystemClock()).now()
    with uow:
        _, outcomes = _outcomes(uow, evaluator, loaded, as_of, facts, progress)
        key = RunKey(program_code, loaded.definition.version, as_of)
        run = Run(
            key,
            loaded.content_hash,
            now,
            len(outcomes),
            len({o.partner_id for o in outcomes}),
            count_results(outcomes),
            "",
        )
        if progress is not None:
            progress("saving", 0, len(outcomes))
        saved: SavedRun = uow.tier_outcomes.save_run(run, outcomes)
        if progress is not None:
            progress("saving", len(outcomes), len(outcomes))
        uow.commit()
    return EvaluationSummary(saved.run, saved.written, saved.replaced)


@dataclass(frozen=True)
class CostChange:
    """An incentive's cost before and after the change, for one period."""

    incentive: str
    period: str
    before: Money
    after: Money
    basis: str

    @property
    def change(self) -> Money:
        return self.after - self.before


@dataclass(frozen=True)
class Simulation:
    """A what-if: the movers and the cost change of a changed definition (nothing saved)."""

    program_code: str
    as_of: date
    live_version: str
    changed_version: str
    baseline: str  # what the change was compared with
    partners: int
    movements: tuple[Movement, ...]
    costs: tuple[CostChange, ...]
    not_costed: str
    before: dict[str, int]
    after: dict[str, int]

    @property
    def gains(self) -> tuple[Movement, ...]:
        return tuple(m for m in self.movements if m.gains)

    @property
    def losses(self) -> tuple[Movement, ...]:
        return tuple(m for m in self.movements if m.loses)


def _cost_changes(before: list[IncentiveCost], after: list[IncentiveCost]) -> list[CostChange]:
    old = {(c.incentive, c.period): c for c in before}
    new = {(c.incentive, c.period): c for c in after}
    out = []
    for key in sorted(old.keys() | new.keys()):
        a, b = old.get(key), new.get(key)
        some = a if a is not None else b
        assert some is not None
        zero = Money.zero(some.amount.currency)
        out.append(
            CostChange(
                key[0],
                key[1],
                a.amount if a is not None else zero,
                b.amount if b is not None else zero,
                (b or a or some).basis,
            )
        )
    return out


def simulate(
    uow: UnitOfWork,
    actor: Actor,
    programs: ProgramRegistry,
    program_code: str,
    changed: LoadedProgram,
    as_of: date,
    *,
    facts: FactsReader | None = None,
    progress: Progress | None = None,
) -> Simulation:
    """Evaluate ``changed`` against the stored facts on ``as_of`` without writing any
    outcome, and compare it with the live outcomes (see the module doc)."""
    require_everywhere(actor, Permission.MANAGE_PROGRAMS)
    live = programs.entry(program_code)
    changed = _loaded(programs, program_code, changed)
    if tier_kind(changed.definition) != tier_kind(live.definition):
        raise InvalidInput(
            f"the changed definition describes {tier_kind(changed.definition) or 'no'} earned "
            f"tiers, the live one {tier_kind(live.definition)}",
            field="definition",
            rule="X-7",
        )
    evaluator = evaluator_for(live.definition)
    with uow:
        given_after, after = _outcomes(uow, evaluator, changed, as_of, facts, progress)
        given_before = EvaluationInput(
            live.definition,
            given_after.facts,
            as_of,
            given_after.enrolments,
            given_after.modules_held,
            progress,
        )
        stored_key = RunKey(program_code, live.definition.version, as_of)
        stored = uow.tier_outcomes.run(stored_key)
        if stored is not None and stored.definition_hash == live.content_hash:
            before = uow.tier_outcomes.outcomes(stored_key)
            baseline = (
                f"the stored run {stored_key} (evaluated {stored.evaluated_at:%Y-%m-%d %H:%M})"
            )
        else:
            before = evaluator.evaluate(given_before)
            baseline = f"the live definition {live.definition.version} evaluated on {as_of}"
        costs = _cost_changes(
            evaluator.costs(given_before, before), evaluator.costs(given_after, after)
        )
        uow.rollback()  # nothing was written; say so to the database too
    return Simulation(
        program_code,
        as_of,
        live.definition.version,
        changed.definition.version,
        baseline,
        len({o.partner_id for o in after}),
        tuple(
            movements(
                before,
                after,
                evaluator.rank(live.definition),
                evaluator.rank(changed.definition),
            )
        ),
        tuple(costs),
        evaluator.not_costed(),
        count_results(before),
        count_results(after),
    )
