"""A partner's standing as the dashboard API shows it (MCPP-5, X-3): per program and
subject the latest result, its score, and the whole explanation — reasons with their
rule ids, the gap to the next threshold and the cheapest steps. Scores, gaps and step
sizes are exact decimal strings, never floats (X-1)."""

from __future__ import annotations

from datetime import date

from pydantic import BaseModel, Field

from alliance.domain.explanations import Explanation, Reason, Step
from alliance.services.dashboard import PartnerStanding, ProgramStanding, SubjectStanding


def _decimal(value: object) -> str | None:
    return None if value is None else f"{value:f}"


class ReasonOut(BaseModel):
    rule: str = Field(examples=["MCPP-8"])
    message: str

    @classmethod
    def of(cls, reason: Reason) -> ReasonOut:
        return cls(rule=reason.rule, message=reason.message)


class StepOut(BaseModel):
    what: str = Field(examples=["advanced_certifications"])
    units: str = Field(description="How many more, as an exact decimal.")
    gain: str = Field(description="What they gain, as an exact decimal.")
    message: str = Field(examples=["2 more advanced certifications: +8 points"])
    rule: str

    @classmethod
    def of(cls, step: Step) -> StepOut:
        return cls(
            what=step.what,
            units=f"{step.units:f}",
            gain=f"{step.gain:f}",
            message=step.message,
            rule=step.rule,
        )


class ExplanationOut(BaseModel):
    """Why the result is what it is (X-3)."""

    summary: str
    reasons: list[ReasonOut] = Field(description="The facts that counted, the caps applied.")
    gap: str | None = Field(None, description="The gap to the next threshold.")
    next_threshold: str | None = Field(None, examples=["70 points"])
    gap_message: str | None = Field(None, examples=["needs 5 more to reach 70 points"])
    steps: list[StepOut] = Field(description="The cheapest way to close the gap.")

    @classmethod
    def of(cls, explanation: Explanation, gap_message: str | None) -> ExplanationOut:
        return cls(
            summary=explanation.summary,
            reasons=[ReasonOut.of(r) for r in explanation.reasons],
            gap=_decimal(explanation.gap),
            next_threshold=explanation.next_threshold,
            gap_message=gap_message,
            steps=[StepOut.of(s) for s in explanation.steps],
        )


class SubjectStandingOut(BaseModel):
    subject: str = Field(examples=["area"])
    subject_id: str = Field(examples=["security"])
    subject_name: str = Field(examples=["Security"])
    result: str = Field(examples=["in_progress"])
    result_name: str = Field(examples=["In progress"])
    held: bool
    score: str | None = Field(description="Exact decimal; the partner's own, never public.")
    until: date | None
    as_of: date
    definition_version: str
    source: str = Field(description="run: a stored evaluation; computed: from the facts.")
    details: dict[str, str]
    explanation: ExplanationOut

    @classmethod
    def of(cls, s: SubjectStanding) -> SubjectStandingOut:
        return cls(
            subject=s.subject.value,
            subject_id=s.subject_id,
            subject_name=s.subject_name,
            result=s.result,
            result_name=s.result_name,
            held=s.held,
            score=_decimal(s.score),
            until=s.until,
            as_of=s.as_of,
            definition_version=s.definition_version,
            source=s.source,
            details=dict(s.details),
            explanation=ExplanationOut.of(s.explanation, s.gap_message),
        )


class ProgramStandingOut(BaseModel):
    code: str = Field(examples=["mcpp"])
    name: str
    kind: str = Field(examples=["scorecard"])
    as_of: date | None
    subjects: list[SubjectStandingOut]

    @classmethod
    def of(cls, p: ProgramStanding) -> ProgramStandingOut:
        return cls(
            code=p.code,
            name=p.name,
            kind=p.kind,
            as_of=p.as_of,
            subjects=[SubjectStandingOut.of(s) for s in p.subjects],
        )


class PartnerStandingOut(BaseModel):
    organization_id: str
    name: str
    on: date | None
    programs: list[ProgramStandingOut]

    @classmethod
    def of(cls, standing: PartnerStanding) -> PartnerStandingOut:
        return cls(
            organization_id=str(standing.organization_id),
            name=standing.name,
            on=standing.on,
            programs=[ProgramStandingOut.of(p) for p in standing.programs],
        )
