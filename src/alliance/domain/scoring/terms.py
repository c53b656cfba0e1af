"""The numbers of a capability-score program, as one value: :class:`ScorecardTerms` (MCPP).

The scoring rules read every number from the terms — metric unit values and caps
(MCPP-9, MCPP-10), the threshold (MCPP-2), the qualification window and the days to
enrol (MCPP-8), the labels (MCPP-3, MCPP-4) — never from constants.
``alliance.services.scorecard_terms`` builds them from a program definition
(``programs/builtin/mcpp.yaml``).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from enum import StrEnum
from types import MappingProxyType

from alliance.domain.errors import InvalidInput
from alliance.domain.money import Money
from alliance.domain.scoring.quotients import quotient


class FactSource(StrEnum):
    """Which facts a metric reads."""

    CERTIFICATION = "certification"
    CUSTOMER = "customer"
    DEPLOYMENT = "deployment"
    USAGE = "usage"


class Aggregation(StrEnum):
    """How a metric reduces its facts to a number of units (MCPP-10)."""

    COUNT = "count"
    COUNT_DISTINCT = "count_distinct"
    NET_COUNT = "net_count"  # associations gained minus lost
    GROWTH_PERCENT = "growth_percent"  # last full month vs the same month a year earlier
    GROWTH_AMOUNT = "growth_amount"


class TrackMode(StrEnum):
    """How an area with several tracks is scored (MCPP-9)."""

    SINGLE = "single"
    BEST_OF = "best_of"
    CLASSIFICATION = "classification"


@dataclass(frozen=True, slots=True)
class CertificationTerms:
    """A named certification a metric counts; it stops counting on ``retires_on``."""

    id: str
    name: str
    retires_on: date | None = None

    def counts_on(self, day: date) -> bool:
        return self.retires_on is None or day < self.retires_on


@dataclass(frozen=True)
class MetricTerms:
    """One measure over a partner's facts.

    ``window_months`` is the trailing window of count metrics (the current month to date
    plus the ``window_months - 1`` months before it); ``None`` for certifications held on
    the day and for growth (last full month vs a year earlier).
    """

    id: str
    name: str
    source: FactSource
    aggregation: Aggregation
    area: str | None = None
    window_months: int | None = None
    distinct_by: str | None = None
    measure: str | None = None
    certifications: tuple[CertificationTerms, ...] = ()
    unit: str = ""

    @property
    def short_name(self) -> str:
        """``"Modern Work — advanced certifications"`` → ``"advanced certifications"``."""
        return self.name.split("—")[-1].strip() or self.name


@dataclass(frozen=True, slots=True)
class ScoreRuleTerms:
    """``points`` per ``per`` units of ``metric``, at most ``max_points`` (MCPP-9)."""

    metric: str
    points: Decimal
    max_points: Decimal
    per: Decimal = Decimal(1)

    @property
    def points_per_unit(self) -> Decimal:
        return self.points / self.per

    def points_for(self, units: Decimal) -> Decimal:
        """``min(max_points, units / per × points)``; no points for zero or fewer units.
        A quotient that does not end is rounded to 10 decimals (:mod:`.quotients`)."""
        if units <= 0:
            return Decimal(0)
        return min(self.max_points, quotient(units * self.points, self.per))


@dataclass(frozen=True)
class TrackTerms:
    id: str
    name: str
    rules: tuple[ScoreRuleTerms, ...]


@dataclass(frozen=True)
class ClassificationTerms:
    """Which partner attribute picks the track, and the track when it is not set."""

    attribute: str
    tracks: Mapping[str, str]
    default_track: str

    def __post_init__(self) -> None:
        object.__setattr__(self, "tracks", MappingProxyType(dict(self.tracks)))

    def track_for(self, attributes: Mapping[str, str]) -> str:
        return self.tracks.get(attributes.get(self.attribute, ""), self.default_track)


@dataclass(frozen=True)
class AreaTerms:
    """A solution area (MCPP-1) with its tracks and threshold."""

    id: str
    name: str
    tracks: tuple[TrackTerms, ...]
    threshold: Decimal
    mode: TrackMode = TrackMode.SINGLE
    classification: ClassificationTerms | None = None

    def __post_init__(self) -> None:
        if not self.tracks:
            raise InvalidInput(f"area {self.id} has no track", field="tracks", rule="MCPP-9")
        if self.mode is TrackMode.CLASSIFICATION and self.classification is None:
            raise InvalidInput(
                f"area {self.id} classifies partners but says not how",
                field="classification",
                rule="MCPP-9",
            )

    def track(self, track_id: str) -> TrackTerms:
        for track in self.tracks:
            if track.id == track_id:
                return track
        raise InvalidInput(f"area {self.id} has no track {track_id!r}", field="track")


class LabelKind(StrEnum):
    SPECIALIZATION = "specialization"
    EXPERT_PROGRAM = "expert_program"
    LEGACY_BADGE = "legacy_badge"


class RequirementKind(StrEnum):
    DESIGNATION = "designation"
    METRIC_AT_LEAST = "metric_at_least"
    AUDIT = "audit"
    ATTESTATION = "attestation"


@dataclass(frozen=True, slots=True)
class RequirementTerms:
    kind: RequirementKind
    area: str | None = None
    metric: str | None = None
    at_least: Decimal | None = None
    description: str = ""


@dataclass(frozen=True)
class LabelTerms:
    """A specialization or expert program (MCPP-3), or a legacy badge (MCPP-4).

    A legacy badge is no longer granted: holders who renewed by ``renewable_until`` may
    display it for ``display_years``/``display_months``/``display_days`` after that day.
    """

    id: str
    name: str
    kind: LabelKind
    area: str | None = None
    requirements: tuple[RequirementTerms, ...] = ()
    renewable_until: date | None = None
    display_years: int = 0
    display_months: int = 0
    display_days: int = 0


@dataclass(frozen=True)
class ScorecardTerms:
    """Every number of the capability-score rules (MCPP-2, MCPP-8 … MCPP-10)."""

    program: str
    areas: tuple[AreaTerms, ...]
    metrics: Mapping[str, MetricTerms]
    total: Decimal = Decimal(100)
    every_metric_positive: bool = True
    previous_full_months: int = 5
    anchor_enrolled_on_anniversary: bool = True
    enrol_within_days: int = 30
    designation_name: str = "Solutions Partner"
    fee: Money | None = None
    kept_until_anniversary: bool = True
    labels: tuple[LabelTerms, ...] = field(default=())

    def __post_init__(self) -> None:
        object.__setattr__(self, "metrics", MappingProxyType(dict(self.metrics)))
        for area in self.areas:
            for track in area.tracks:
                for rule in track.rules:
                    if rule.metric not in self.metrics:
                        raise InvalidInput(
                            f"area {area.id} scores unknown metric {rule.metric!r}",
                            field="metrics",
                            rule="MCPP-10",
                        )

    def area(self, area_id: str) -> AreaTerms:
        for area in self.areas:
            if area.id == area_id:
                return area
        known = ", ".join(a.id for a in self.areas)
        raise InvalidInput(f"no area {area_id!r}; areas: {known}", field="area", rule="MCPP-1")

    def metric(self, metric_id: str) -> MetricTerms:
        return self.metrics[metric_id]
