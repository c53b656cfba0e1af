"""The numbers of an earned-status program, as one value: :class:`EarnedStatusTerms` (OIP).

The measure per member type and which revenue kinds it counts (OIP-2), the statuses in
order with their thresholds, duties and benefits (OIP-4 … OIP-6), the re-evaluation
cadence (OIP-3), the ambassador commission (OIP-1, OIP-8) and the back-margin (OIP-7).
``alliance.services.status_terms`` builds them from ``programs/builtin/oip.yaml``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum
from types import MappingProxyType

from alliance.domain.errors import InvalidInput
from alliance.domain.facts import RevenueKind
from alliance.domain.money import Money


class CadenceAnchor(StrEnum):
    CALENDAR = "calendar"  # 1 January and 1 July for every 6 months
    MEMBERSHIP_START = "membership_start"


@dataclass(frozen=True, slots=True)
class MeasureTerms:
    """How one member type is ranked: the monthly average of the counted revenue kinds
    over the ``months`` full months before an evaluation (OIP-2, OIP-3)."""

    member_type: str
    metric: str
    counted: frozenset[RevenueKind]
    months: int = 6


@dataclass(frozen=True)
class DutyTerms:
    """One obligation of a status (OIP-5), expanded per product line and profile."""

    id: str
    name: str
    kind: str
    member_types: tuple[str, ...] = ()
    count: int = 1
    product_lines: tuple[str, ...] = ()  # set: due once per product line sold
    profiles: tuple[str, ...] = ()
    only_if: str | None = None
    format: str | None = None


@dataclass(frozen=True)
class BenefitTerms:
    """One advantage of a status (OIP-6)."""

    id: str
    name: str
    kind: str
    member_types: tuple[str, ...] = ()
    value: Money | None = None
    quantity: int | None = None
    items: tuple[str, ...] = ()
    incentive: str | None = None


@dataclass(frozen=True)
class StatusTerms:
    id: str
    name: str
    rank: int
    thresholds: Mapping[str, Money]
    duties: tuple[DutyTerms, ...] = ()
    benefits: tuple[BenefitTerms, ...] = ()

    def __post_init__(self) -> None:
        object.__setattr__(self, "thresholds", MappingProxyType(dict(self.thresholds)))


@dataclass(frozen=True, slots=True)
class RateTerms:
    """``rate`` of the revenue of ``counted`` kinds (and ``product_line``, if set)."""

    rate: Decimal
    counted: frozenset[RevenueKind] = frozenset(RevenueKind)
    product_line: str | None = None
    statuses: tuple[str, ...] = ()
    member_types: tuple[str, ...] = ()


@dataclass(frozen=True)
class EarnedStatusTerms:
    program: str
    currency: str
    measures: tuple[MeasureTerms, ...]
    statuses: tuple[StatusTerms, ...]
    every_months: int = 6
    anchor: CadenceAnchor = CadenceAnchor.CALENDAR
    commission: RateTerms | None = None
    back_margin: RateTerms | None = None
    member_types: tuple[str, ...] = field(default=("ambassador", "operator"))

    def __post_init__(self) -> None:
        if 12 % self.every_months:
            raise InvalidInput(
                f"statuses are re-evaluated a whole number of times a year, every "
                f"{self.every_months} months is not",
                field="every_months",
                rule="OIP-3",
            )
        ranks = [s.rank for s in self.statuses]
        if ranks != sorted(ranks):
            raise InvalidInput("statuses are listed lowest first", field="statuses", rule="OIP-4")

    def measure(self, member_type: str) -> MeasureTerms:
        for measure in self.measures:
            if measure.member_type == member_type:
                return measure
        raise InvalidInput(
            f"no status measure for member type {member_type!r}",
            field="member_type",
            rule="OIP-2",
        )

    def status(self, status_id: str) -> StatusTerms:
        for status in self.statuses:
            if status.id == status_id:
                return status
        raise InvalidInput(f"no status {status_id!r}", field="status", rule="OIP-4")
