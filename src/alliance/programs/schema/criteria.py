"""Criteria: a closed vocabulary of tests on an attribute of a fact, a member or an order.

A criterion is data, never code: ``{attribute: region, op: not_in, values: [CN, CO]}``.
Eligibility tables (RWD-1, OSR-2…OSR-7), metric filters and rate rules are lists of
criteria; the evaluator in the domain reads them.
"""

from __future__ import annotations

from decimal import Decimal
from enum import StrEnum
from typing import Annotated

from pydantic import Field, StringConstraints, model_validator

from alliance.programs.schema.common import DefinitionModel, RuleIds

AttributeName = Annotated[
    str,
    StringConstraints(pattern=r"^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)*$"),
    Field(description="An attribute of the subject, e.g. 'region' or 'order.kind'."),
]


class Subject(StrEnum):
    """What a criterion looks at."""

    MEMBER = "member"
    ORDER = "order"
    LINE = "line"  # a usage, billing or booking line
    DEAL = "deal"  # an engagement's deal
    FACT = "fact"


class Operator(StrEnum):
    """How a criterion compares the attribute."""

    IN = "in"
    NOT_IN = "not_in"
    EQUALS = "equals"
    NOT_EQUALS = "not_equals"
    IS_TRUE = "is_true"
    IS_FALSE = "is_false"
    AT_LEAST = "at_least"
    AT_MOST = "at_most"


_NEEDS_VALUES = {Operator.IN, Operator.NOT_IN}
_NEEDS_ONE_VALUE = {Operator.EQUALS, Operator.NOT_EQUALS}
_NEEDS_AMOUNT = {Operator.AT_LEAST, Operator.AT_MOST}


class Criterion(DefinitionModel):
    """One test: ``attribute op values`` (or ``attribute op amount`` for comparisons).

    ``in: []`` matches nothing and ``not_in: []`` everything — a configurable list may be
    shipped empty, but ``values`` must be written out.
    """

    attribute: AttributeName
    op: Operator
    values: tuple[str, ...] = ()
    amount: Decimal | None = None
    subject: Subject = Subject.FACT
    note: str = ""
    rules: RuleIds = ()

    @model_validator(mode="after")
    def _operands_fit_operator(self) -> Criterion:
        if self.op in _NEEDS_VALUES and "values" not in self.model_fields_set:
            raise ValueError(f"expected a 'values' list for op '{self.op}', got none")
        if self.op in _NEEDS_ONE_VALUE and len(self.values) != 1:
            raise ValueError(
                f"expected exactly one value for op '{self.op}', got {len(self.values)}"
            )
        if self.op in _NEEDS_AMOUNT and self.amount is None:
            raise ValueError(f"expected an 'amount' for op '{self.op}', got none")
        if self.op not in _NEEDS_AMOUNT and self.amount is not None:
            raise ValueError(f"expected no 'amount' for op '{self.op}', got {self.amount}")
        if self.op in {Operator.IS_TRUE, Operator.IS_FALSE} and self.values:
            raise ValueError(f"expected no 'values' for op '{self.op}', got {list(self.values)}")
        return self


class Eligibility(DefinitionModel):
    """Eligible when every ``include`` criterion holds and no ``exclude`` criterion does."""

    include: tuple[Criterion, ...] = ()
    exclude: tuple[Criterion, ...] = ()
