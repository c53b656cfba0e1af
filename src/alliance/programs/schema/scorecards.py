"""Scorecards: capability scores per area, the designation they lead to (MCPP-2, MCPP-8…10).

Each area scores one or more *tracks* (Enterprise, SMB); a track is a list of score
rules, one per metric: ``points = min(max_points, units / per × points)`` (MCPP-9). The
rules' maxima add up to the area total. An area takes the best track total
(``best_of``), or classifies the member into one track (``classification``).
"""

from __future__ import annotations

from decimal import Decimal
from enum import StrEnum

from pydantic import Field, model_validator

from alliance.programs.schema.common import (
    DefinitionModel,
    Duration,
    Identifier,
    Loc,
    MoneySpec,
    NonNegativeDecimal,
    PositiveDecimal,
    RuleIds,
    duplicate_ids,
    raise_issues,
    unknown_refs,
)
from alliance.programs.schema.criteria import AttributeName


class MetricCategory(StrEnum):
    """The published grouping of scorecard metrics."""

    PERFORMANCE = "performance"  # net customer adds
    SKILLING = "skilling"  # certifications
    CUSTOMER_SUCCESS = "customer_success"  # usage growth, deployments


class TrackMode(StrEnum):
    SINGLE = "single"
    BEST_OF = "best_of"  # score every track, keep the better area total
    CLASSIFICATION = "classification"  # the member belongs to one track


class ScoreRule(DefinitionModel):
    """Points for one metric: ``points`` per ``per`` units, capped at ``max_points``."""

    metric: Identifier
    category: MetricCategory
    points: PositiveDecimal
    per: PositiveDecimal = Decimal(1)
    max_points: PositiveDecimal
    rules: RuleIds = ()


class ScoreTrack(DefinitionModel):
    id: Identifier
    name: str
    rules: tuple[ScoreRule, ...] = Field(min_length=1)

    @property
    def max_total(self) -> Decimal:
        return sum((r.max_points for r in self.rules), Decimal(0))


class Classification(DefinitionModel):
    """Which member attribute picks the track, and the track when it is not set."""

    attribute: AttributeName
    tracks: dict[str, Identifier] = Field(description="Attribute value → track id.")
    default_track: Identifier


class Area(DefinitionModel):
    """A solution area with its tracks; ``threshold`` overrides the section's."""

    id: Identifier
    name: str
    description: str = ""
    track_mode: TrackMode = TrackMode.SINGLE
    tracks: tuple[ScoreTrack, ...] = Field(min_length=1)
    classification: Classification | None = None
    threshold: NonNegativeDecimal | None = None
    rules: RuleIds = ()

    @model_validator(mode="after")
    def _tracks_fit_mode(self) -> Area:
        issues: list[tuple[Loc, str]] = duplicate_ids("tracks", (t.id for t in self.tracks))
        for i, track in enumerate(self.tracks):
            metrics = [r.metric for r in track.rules]
            for j, metric in enumerate(metrics):
                if metric in metrics[:j]:
                    loc: Loc = ("tracks", i, "rules", j, "metric")
                    issues.append((loc, f"expected each metric once per track, got {metric!r}"))
        count = len(self.tracks)
        if self.track_mode is TrackMode.SINGLE and count != 1:
            issues.append((("tracks",), f"expected 1 track for track_mode single, got {count}"))
        if self.track_mode is not TrackMode.SINGLE and count < 2:
            issues.append(
                (("tracks",), f"expected 2 or more tracks for {self.track_mode}, got {count}")
            )
        if self.track_mode is TrackMode.CLASSIFICATION:
            if self.classification is None:
                issues.append((("classification",), "expected a classification, got none"))
            else:
                known = [t.id for t in self.tracks]
                c = self.classification
                issues += unknown_refs(
                    ("classification", "tracks"), c.tracks.values(), known, "track"
                )
                issues += unknown_refs(
                    ("classification", "default_track"), [c.default_track], known, "track"
                )
        elif self.classification is not None:
            issues.append(
                (("classification",), f"expected no classification for {self.track_mode}")
            )
        raise_issues(issues)
        return self

    def metric_ids(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(r.metric for t in self.tracks for r in t.rules))


class DesignationStatus(StrEnum):
    """A member's status in one area (MCPP-8)."""

    IN_PROGRESS = "in_progress"
    QUALIFIED = "qualified"
    ENROLLED = "enrolled"
    ENROLLED_RENEWAL_DUE = "enrolled_renewal_due"


class QualificationWindow(DefinitionModel):
    """When the conditions must hold: on at least one day of the current month plus the
    ``previous_full_months`` before it; for an enrolled member, anchored on the
    anniversary month instead (MCPP-8)."""

    previous_full_months: int = Field(ge=0)
    anchor_enrolled_on_anniversary: bool = True
    on_any_single_day: bool = True
    rules: RuleIds = ()


class DesignationPolicy(DefinitionModel):
    """The label an area's score earns, and how it is taken up and kept (MCPP-8)."""

    name: str
    statuses: tuple[DesignationStatus, ...] = tuple(DesignationStatus)
    enrol_within_days: int = Field(ge=1)
    fee: MoneySpec | None = None
    fee_period: Duration | None = None
    one_fee_covers_all_areas: bool = True
    kept_until_anniversary: bool = True
    scores_public: bool = Field(default=False, description="MCPP-6: customers never see scores.")
    workflow: Identifier | None = Field(default=None, description="The designation lifecycle.")
    rules: RuleIds = ()


class ScorecardsSection(DefinitionModel):
    """Areas and their scoring, the qualification window and the designation."""

    total: PositiveDecimal = Field(description="Points per area, e.g. 100 (MCPP-9).")
    threshold: NonNegativeDecimal = Field(description="Minimum score, e.g. 70 (MCPP-2).")
    every_metric_positive: bool = Field(description="Each metric of the area must be > 0.")
    areas: tuple[Area, ...] = Field(min_length=1)
    qualification: QualificationWindow
    designation: DesignationPolicy
    rules: RuleIds = ()

    @model_validator(mode="after")
    def _totals_add_up(self) -> ScorecardsSection:
        issues: list[tuple[Loc, str]] = duplicate_ids("areas", (a.id for a in self.areas))
        for i, area in enumerate(self.areas):
            threshold = self.threshold_of(area)
            if threshold > self.total:
                loc: Loc = (
                    ("areas", i, "threshold") if area.threshold is not None else ("threshold",)
                )
                issues.append((loc, f"expected a threshold ≤ total {self.total}, got {threshold}"))
            for j, track in enumerate(area.tracks):
                if track.max_total != self.total:
                    maxima = " + ".join(str(r.max_points) for r in track.rules)
                    issues.append(
                        (
                            ("areas", i, "tracks", j, "rules"),
                            f"expected max_points to add up to the area total {self.total} "
                            f"(MCPP-9), got {maxima} = {track.max_total}",
                        )
                    )
        raise_issues(issues)
        return self

    def threshold_of(self, area: Area) -> Decimal:
        return area.threshold if area.threshold is not None else self.threshold

    def area(self, area_id: str) -> Area:
        for area in self.areas:
            if area.id == area_id:
                return area
        raise KeyError(area_id)
