"""Metrics: named measures over members' facts, each an aggregation over a window.

A metric is the only way a scorecard, a status, a promotion minimum or an incentive
refers to facts, so the batch engine and the reference rules read one description.
"""

from __future__ import annotations

from datetime import date
from enum import StrEnum

from pydantic import Field, model_validator

from alliance.programs.schema.common import DefinitionModel, Identifier, RuleIds
from alliance.programs.schema.criteria import AttributeName, Criterion


class FactKind(StrEnum):
    """The kinds of facts members produce."""

    CERTIFICATION = "certification"
    CUSTOMER = "customer"  # a customer relationship gained or lost
    DEPLOYMENT = "deployment"
    USAGE = "usage"  # consumption lines, active users
    REVENUE = "revenue"  # billed or recurring revenue lines
    ORDER = "order"  # order intake
    BOOKING = "booking"  # licence bookings
    INFLUENCE = "influence"  # influenced deals (PEX-3)
    ENGAGEMENT = "engagement"
    TRAINING = "training"
    POINTS = "points"  # points awarded, as the ledger recorded them (PEX-6)


class Aggregation(StrEnum):
    """How a metric reduces facts in its window to one number."""

    COUNT = "count"
    COUNT_DISTINCT = "count_distinct"  # distinct values of ``distinct_by``
    NET_COUNT = "net_count"  # additions minus losses
    SUM = "sum"  # of ``measure``
    MONTHLY_AVERAGE = "monthly_average"  # of ``measure`` per calendar month
    GROWTH_PERCENT = "growth_percent"  # of ``measure``: last month vs a year earlier
    GROWTH_AMOUNT = "growth_amount"  # same comparison, as an absolute difference
    LATEST = "latest"


_NEEDS_MEASURE = {
    Aggregation.SUM,
    Aggregation.MONTHLY_AVERAGE,
    Aggregation.GROWTH_PERCENT,
    Aggregation.GROWTH_AMOUNT,
    Aggregation.LATEST,
}


class WindowKind(StrEnum):
    """Which facts, by date, a metric looks at (X-2)."""

    TRAILING_MONTHS = "trailing_months"  # the last ``months`` full months
    CALENDAR_MONTH = "calendar_month"
    CALENDAR_QUARTER = "calendar_quarter"
    CALENDAR_SEMESTER = "calendar_semester"
    CALENDAR_YEAR = "calendar_year"
    MONTH_OVER_YEAR = "month_over_year"  # last month and the same month a year earlier
    CURRENT = "current"  # facts valid on the evaluation date


class Window(DefinitionModel):
    kind: WindowKind
    months: int | None = Field(default=None, ge=1, le=120)

    @model_validator(mode="after")
    def _months_when_trailing(self) -> Window:
        if self.kind is WindowKind.TRAILING_MONTHS and self.months is None:
            raise ValueError("expected 'months' for a trailing_months window, got none")
        if self.kind is not WindowKind.TRAILING_MONTHS and self.months is not None:
            raise ValueError(f"expected no 'months' for a {self.kind} window, got {self.months}")
        return self


class Certification(DefinitionModel):
    """A named certification counted by a metric; retired ones stop counting (MCPP-10)."""

    id: Identifier
    name: str
    exam: str | None = None
    retires_on: date | None = None


class Metric(DefinitionModel):
    """A named measure: ``aggregation`` of ``fact`` facts matching ``where`` in ``window``."""

    id: Identifier
    name: str
    description: str = ""
    fact: FactKind
    aggregation: Aggregation
    window: Window
    measure: AttributeName | None = Field(
        default=None, description="The fact attribute summed or compared, e.g. 'amount'."
    )
    distinct_by: AttributeName | None = Field(
        default=None, description="The fact attribute counted once, e.g. 'person_id'."
    )
    where: tuple[Criterion, ...] = ()
    certifications: tuple[Certification, ...] = ()
    unit: str = Field(default="", description="What one unit is: customer, person, USD…")
    rules: RuleIds = ()

    @model_validator(mode="after")
    def _aggregation_has_its_operands(self) -> Metric:
        if self.aggregation in _NEEDS_MEASURE and self.measure is None:
            raise ValueError(f"expected a 'measure' for a {self.aggregation} metric, got none")
        if self.aggregation is Aggregation.COUNT_DISTINCT and self.distinct_by is None:
            raise ValueError("expected 'distinct_by' for a count_distinct metric, got none")
        if self.certifications and self.fact is not FactKind.CERTIFICATION:
            raise ValueError(f"expected no 'certifications' on a {self.fact} metric")
        return self
