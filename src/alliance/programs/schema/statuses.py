"""Earned statuses: assigned from a measure against thresholds, re-evaluated on a cadence,
each with duties and benefits (OIP-2…OIP-6)."""

from __future__ import annotations

from enum import StrEnum

from pydantic import Field, model_validator

from alliance.programs.schema.benefits import Benefit, Duty
from alliance.programs.schema.common import (
    DefinitionModel,
    Duration,
    Identifier,
    Loc,
    MoneySpec,
    RuleIds,
    duplicate_ids,
    raise_issues,
)


class CadenceAnchor(StrEnum):
    CALENDAR = "calendar"  # 1 January and 1 July for a 6-month cadence
    MEMBERSHIP_START = "membership_start"


class Cadence(DefinitionModel):
    every: Duration
    anchor: CadenceAnchor = CadenceAnchor.CALENDAR
    rules: RuleIds = ()


class StatusMeasure(DefinitionModel):
    """The metric that ranks members of one type (OIP-2)."""

    member_type: Identifier
    metric: Identifier
    rules: RuleIds = ()


class StatusThreshold(DefinitionModel):
    member_type: Identifier
    at_least: MoneySpec


class Status(DefinitionModel):
    """One status; ``thresholds`` say how much of the measure it takes, per member type."""

    id: Identifier
    name: str
    rank: int = Field(ge=0)
    description: str = ""
    thresholds: tuple[StatusThreshold, ...] = ()
    duties: tuple[Duty, ...] = ()
    benefits: tuple[Benefit, ...] = ()
    rules: RuleIds = ()


class StatusesSection(DefinitionModel):
    """Statuses listed lowest first, the measure and the re-evaluation cadence."""

    measures: tuple[StatusMeasure, ...] = Field(min_length=1)
    reevaluation: Cadence
    statuses: tuple[Status, ...] = Field(min_length=1)
    rules: RuleIds = ()

    @model_validator(mode="after")
    def _ordered_and_ascending(self) -> StatusesSection:
        issues: list[tuple[Loc, str]] = duplicate_ids("statuses", (s.id for s in self.statuses))
        last: dict[str, MoneySpec] = {}
        for i, status in enumerate(self.statuses):
            if i and status.rank <= self.statuses[i - 1].rank:
                issues.append(
                    (
                        ("statuses", i, "rank"),
                        f"expected a rank above {self.statuses[i - 1].rank} (statuses are "
                        f"listed lowest first), got {status.rank}",
                    )
                )
            for j, threshold in enumerate(status.thresholds):
                before = last.get(threshold.member_type)
                loc: Loc = ("statuses", i, "thresholds", j, "at_least")
                if before is not None and threshold.at_least.currency != before.currency:
                    issues.append(
                        (loc, f"expected currency {before.currency}, got {threshold.at_least}")
                    )
                elif before is not None and threshold.at_least.amount < before.amount:
                    issues.append(
                        (
                            loc,
                            f"expected at least {before} (the status below), "
                            f"got {threshold.at_least}",
                        )
                    )
                last[threshold.member_type] = threshold.at_least
        raise_issues(issues)
        return self

    def status(self, status_id: str) -> Status:
        for status in self.statuses:
            if status.id == status_id:
                return status
        raise KeyError(status_id)
