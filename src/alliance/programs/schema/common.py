"""Building blocks every section of a program definition shares.

* :class:`DefinitionModel` — the base of every schema class: unknown keys are errors
  (typos never pass silently) and the parsed definition is immutable.
* Named string types (:data:`Identifier`, :data:`CurrencyCode`, :data:`RuleId`…).
* :class:`MoneySpec` and :data:`Rate` — exact amounts and fractions (X-1); both accept a
  short text form in YAML (``500 USD``, ``25%``).
* :class:`Duration` and :class:`PeriodKind` — calendar lengths and periods (X-2).
* :class:`DefinitionRuleError` — how cross-field validators report *which* field is wrong.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from decimal import Decimal, InvalidOperation
from enum import StrEnum
from typing import TYPE_CHECKING, Annotated

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StringConstraints,
    model_validator,
)

if TYPE_CHECKING:
    from alliance.domain.money import Money

Loc = tuple[str | int, ...]
"""A path into a definition, as pydantic reports it: ``("membership", "levels", 2)``."""


def format_loc(loc: Iterable[str | int]) -> str:
    """``("membership", "levels", 2, "fee")`` → ``"membership.levels[2].fee"``."""
    text = ""
    for part in loc:
        if isinstance(part, int):
            text += f"[{part}]"
        else:
            text += f".{part}" if text else part
    return text


class DefinitionModel(BaseModel):
    """Base of every schema class: unknown keys are errors; parsed values are frozen."""

    model_config = ConfigDict(extra="forbid", frozen=True)


class DefinitionRuleError(ValueError):
    """A cross-field rule is broken; each issue carries the path of the offending field.

    Raised from ``model_validator(mode="after")`` methods. Pydantic keeps the exception in
    the error's ``ctx``; the loader turns each issue into a located problem. The message
    alone (``"levels[2].rank: …"``) still names the field for callers without a loader.
    """

    def __init__(self, issues: Iterable[tuple[Loc, str]]) -> None:
        self.issues: tuple[tuple[Loc, str], ...] = tuple(issues)
        text = "; ".join(f"{format_loc(loc) or '(root)'}: {m}" for loc, m in self.issues)
        super().__init__(text)


def raise_issues(issues: list[tuple[Loc, str]]) -> None:
    """Raise one :class:`DefinitionRuleError` carrying every issue, if there are any."""
    if issues:
        raise DefinitionRuleError(issues)


def duplicate_ids(field: str, ids: Iterable[str]) -> list[tuple[Loc, str]]:
    """Issues for every repeated id in a list field (the second and later occurrences)."""
    seen: Counter[str] = Counter()
    issues: list[tuple[Loc, str]] = []
    for index, value in enumerate(ids):
        seen[value] += 1
        if seen[value] > 1:
            issues.append(((field, index, "id"), f"expected a unique id, got {value!r} again"))
    return issues


def unknown_refs(
    loc: Loc, refs: Iterable[str], known: Iterable[str], what: str
) -> list[tuple[Loc, str]]:
    """Issues for references to ids that are not declared (``what`` names the kind)."""
    declared = sorted(set(known))
    listing = ", ".join(declared) if declared else "none declared"
    return [
        (loc, f"expected a declared {what} ({listing}), got {ref!r}")
        for ref in refs
        if ref not in declared
    ]


Identifier = Annotated[
    str,
    StringConstraints(pattern=r"^[a-z][a-z0-9_]*$", max_length=64),
    Field(description="A snake_case id: lower-case letters, digits and underscores."),
]
ProgramCode = Annotated[
    str,
    StringConstraints(pattern=r"^[a-z][a-z0-9_-]*$", max_length=32),
    Field(description="A program's short code, e.g. 'opn'."),
]
CurrencyCode = Annotated[
    str,
    StringConstraints(pattern=r"^[A-Z]{3}$"),
    Field(description="An upper-case ISO 4217 currency code, e.g. USD."),
]
CountryCode = Annotated[
    str,
    StringConstraints(pattern=r"^[A-Z]{2}$"),
    Field(description="An upper-case ISO 3166-1 alpha-2 country code, e.g. FR."),
]
RuleId = Annotated[
    str,
    StringConstraints(pattern=r"^[A-Z]+-\d+[a-z]?$"),
    Field(description="A rule id from the product specification, e.g. OPN-4."),
]


def _one_or_many(value: object) -> object:
    return (value,) if isinstance(value, str) else value


RuleIds = Annotated[
    tuple[RuleId, ...],
    BeforeValidator(_one_or_many),
    Field(description="Rule ids this value implements: 'OPN-4' or [OPN-14, OPN-15]."),
]


def _percent_text(value: object) -> object:
    if isinstance(value, str) and value.strip().endswith("%"):
        try:
            return Decimal(value.strip()[:-1].strip()) / 100
        except InvalidOperation:
            return value
    return value


Rate = Annotated[
    Decimal,
    BeforeValidator(_percent_text),
    Field(ge=0, le=1, description="A fraction between 0 and 1; YAML may write '25%'."),
]
NonNegativeDecimal = Annotated[Decimal, Field(ge=0)]
PositiveDecimal = Annotated[Decimal, Field(gt=0)]

_MONEY_TEXT = re.compile(
    r"^\s*(?P<amount>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)\s+(?P<cur>\S+)\s*$"
)


class MoneySpec(DefinitionModel):
    """An exact amount in one currency (X-1). YAML: ``{amount: 500, currency: USD}``
    or the short form ``500 USD`` / ``"100,000 USD"``."""

    amount: NonNegativeDecimal
    currency: CurrencyCode

    @model_validator(mode="before")
    @classmethod
    def _short_form(cls, value: object) -> object:
        if isinstance(value, str) and (match := _MONEY_TEXT.match(value)):
            return {"amount": match["amount"].replace(",", ""), "currency": match["cur"]}
        return value

    def to_money(self) -> Money:
        """The domain value type for this amount."""
        from alliance.domain.money import Money

        return Money(self.amount, self.currency)

    def __str__(self) -> str:
        return f"{self.amount:,} {self.currency}"


class Duration(DefinitionModel):
    """A calendar length: ``{years: 1}``, ``{months: 6}``, ``{days: 90}`` (X-2)."""

    years: int = Field(default=0, ge=0)
    months: int = Field(default=0, ge=0)
    days: int = Field(default=0, ge=0)

    @model_validator(mode="after")
    def _not_empty(self) -> Duration:
        if not (self.years or self.months or self.days):
            raise ValueError("expected a positive duration (years, months or days), got 0")
        return self

    def __str__(self) -> str:
        parts = [(self.years, "year"), (self.months, "month"), (self.days, "day")]
        return " ".join(f"{n} {unit}{'s' if n != 1 else ''}" for n, unit in parts if n)


class PeriodKind(StrEnum):
    """Calendar periods a program counts in (X-2)."""

    MONTH = "month"
    QUARTER = "quarter"
    SEMESTER = "semester"
    YEAR = "year"
    MEMBERSHIP_TERM = "membership_term"
