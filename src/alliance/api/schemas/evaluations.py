"""Bodies of the evaluation and simulation endpoints (issue 5)."""

from __future__ import annotations

from datetime import date, datetime

from pydantic import BaseModel, Field

from alliance.api.schemas.rewards import MoneyPublic
from alliance.domain.money import Money
from alliance.services.evaluation.runs import EvaluationSummary, Simulation


class EvaluationCreate(BaseModel):
    program: str = Field(min_length=1, max_length=64, description="The program's code.")
    as_of: date = Field(description="The day evaluated.")


class EvaluationPublic(BaseModel):
    """A stored run: the program, the definition version and the day, and its counts."""

    program: str
    definition_version: str
    definition_hash: str
    as_of: date
    evaluated_at: datetime
    partners: int
    outcomes: int
    results: dict[str, int] = Field(description="Outcomes per result (status, tier…).")
    written: bool = Field(description="False: the same outcomes were stored already (X-5).")
    replaced: int = Field(description="Outcomes of an earlier copy of the run replaced.")

    @classmethod
    def of(cls, summary: EvaluationSummary) -> EvaluationPublic:
        run = summary.run
        return cls(
            program=run.program_code,
            definition_version=run.definition_version,
            definition_hash=run.definition_hash,
            as_of=run.as_of,
            evaluated_at=run.evaluated_at,
            partners=run.partners,
            outcomes=run.outcomes,
            results=dict(run.results),
            written=summary.written,
            replaced=summary.replaced,
        )


class SimulationCreate(BaseModel):
    program: str = Field(min_length=1, max_length=64, description="The live program's code.")
    as_of: date
    definition: str = Field(
        min_length=1,
        max_length=2_000_000,
        description="The changed definition, as the YAML text of a program file.",
    )


def _money(value: Money) -> MoneyPublic:
    return MoneyPublic.of(value.amount, value.currency)


class MovementPublic(BaseModel):
    partner_id: str
    subject: str
    subject_id: str
    before: str | None
    after: str | None
    direction: int = Field(description="+1 gains, -1 loses, 0 changes at the same rank.")
    score_before: str | None = Field(description="Exact decimal as text (X-1).")
    score_after: str | None


class CostChangePublic(BaseModel):
    incentive: str
    period: str
    before: MoneyPublic
    after: MoneyPublic
    change: MoneyPublic
    basis: str


class SimulationPublic(BaseModel):
    program: str
    as_of: date
    live_version: str
    changed_version: str
    baseline: str = Field(description="What the changed definition was compared with.")
    partners: int
    before: dict[str, int]
    after: dict[str, int]
    gains: int
    losses: int
    movements: list[MovementPublic]
    costs: list[CostChangePublic]
    not_costed: str

    @classmethod
    def of(cls, result: Simulation) -> SimulationPublic:
        return cls(
            program=result.program_code,
            as_of=result.as_of,
            live_version=result.live_version,
            changed_version=result.changed_version,
            baseline=result.baseline,
            partners=result.partners,
            before=result.before,
            after=result.after,
            gains=len(result.gains),
            losses=len(result.losses),
            movements=[
                MovementPublic(
                    partner_id=m.partner_id,
                    subject=m.subject.value,
                    subject_id=m.subject_id,
                    before=m.before,
                    after=m.after,
                    direction=m.direction,
                    score_before=None if m.score_before is None else str(m.score_before),
                    score_after=None if m.score_after is None else str(m.score_after),
                )
                for m in result.movements
            ],
            costs=[
                CostChangePublic(
                    incentive=c.incentive,
                    period=c.period,
                    before=_money(c.before),
                    after=_money(c.after),
                    change=_money(c.change),
                    basis=c.basis,
                )
                for c in result.costs
            ],
            not_costed=result.not_costed,
        )
