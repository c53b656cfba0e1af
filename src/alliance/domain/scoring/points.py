"""A partner's capability score in one area on one day (MCPP-2, MCPP-9).

Each score rule gives ``min(max_points, units / per × points)`` (MCPP-9); a track's
total is the sum of its rules. An area with one track scores it; a ``best_of`` area
scores every track and keeps the better one — a qualifying track before one that does
not, then the higher total, then the track listed first; a ``classification`` area
scores the one track the partner's attribute picks. The area **qualifies** on the day
when the total is at least the threshold *and*, when the program says so, every metric
of the track is above zero (MCPP-8: 70 qualifies, 85 with a zero metric does not).
Points are exact decimals, never rounded (X-1).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from alliance.domain.explanations import Explanation, Reason, plain
from alliance.domain.scoring.advice import steps_to_close
from alliance.domain.scoring.facts import PartnerFacts
from alliance.domain.scoring.metrics import MetricValue, metric_value
from alliance.domain.scoring.terms import (
    AreaTerms,
    ScorecardTerms,
    ScoreRuleTerms,
    TrackMode,
    TrackTerms,
)


@dataclass(frozen=True, slots=True)
class MetricScore:
    """The points one metric gives: its value, unit value, cap and whether it bit."""

    rule: ScoreRuleTerms
    name: str
    value: MetricValue
    points: Decimal

    @property
    def metric(self) -> str:
        return self.rule.metric

    @property
    def units(self) -> Decimal:
        return self.value.units

    @property
    def capped(self) -> bool:
        return self.value.units * self.rule.points_per_unit > self.rule.max_points

    @property
    def headroom(self) -> Decimal:
        return self.rule.max_points - self.points

    def reason(self) -> Reason:
        per = "" if self.rule.per == 1 else f" per {plain(self.rule.per)}"
        cap = (
            f", capped at {plain(self.rule.max_points)}"
            if self.capped
            else f" (max {plain(self.rule.max_points)})"
        )
        detail = f"; {self.value.note}" if self.value.note else ""
        return Reason(
            "MCPP-9",
            f"{self.name}: {plain(self.units)} × {plain(self.rule.points)}{per} = "
            f"{plain(self.points)} points{cap}{detail}",
        )


@dataclass(frozen=True)
class TrackScore:
    track: str
    metrics: tuple[MetricScore, ...]
    total: Decimal
    all_positive: bool
    qualifies: bool


@dataclass(frozen=True)
class AreaScore:
    """The score of ``area`` on ``day``: the kept track, its metrics and the others' totals."""

    area: str
    area_name: str
    day: date
    track: str
    total: Decimal
    threshold: Decimal
    metrics: tuple[MetricScore, ...]
    all_positive: bool
    qualifies: bool
    other_tracks: tuple[tuple[str, Decimal], ...]
    explanation: Explanation

    @property
    def zero_metrics(self) -> tuple[str, ...]:
        return tuple(m.metric for m in self.metrics if m.points <= 0)


def score_track(
    track: TrackTerms, terms: ScorecardTerms, facts: PartnerFacts, day: date, threshold: Decimal
) -> TrackScore:
    scores = []
    for rule in track.rules:
        metric = terms.metric(rule.metric)
        value = metric_value(metric, facts, day)
        scores.append(MetricScore(rule, metric.name, value, rule.points_for(value.units)))
    total = sum((s.points for s in scores), Decimal(0))
    all_positive = all(s.points > 0 for s in scores)
    qualifies = total >= threshold and (all_positive or not terms.every_metric_positive)
    return TrackScore(track.id, tuple(scores), total, all_positive, qualifies)


def score_area(area: AreaTerms, terms: ScorecardTerms, facts: PartnerFacts, day: date) -> AreaScore:
    """The score of ``facts`` in ``area`` on ``day``, explained (MCPP-2, MCPP-9, X-3)."""
    if area.mode is TrackMode.CLASSIFICATION and area.classification is not None:
        tracks: tuple[TrackTerms, ...] = (
            area.track(area.classification.track_for(facts.attributes)),
        )
    else:
        tracks = area.tracks
    scored = [score_track(t, terms, facts, day, area.threshold) for t in tracks]
    kept = max(range(len(scored)), key=lambda i: (scored[i].qualifies, scored[i].total, -i))
    best = scored[kept]
    others = tuple((s.track, s.total) for i, s in enumerate(scored) if i != kept)
    return AreaScore(
        area=area.id,
        area_name=area.name,
        day=day,
        track=best.track,
        total=best.total,
        threshold=area.threshold,
        metrics=best.metrics,
        all_positive=best.all_positive,
        qualifies=best.qualifies,
        other_tracks=others,
        explanation=_explain(area, terms, facts, best, others),
    )


def _explain(
    area: AreaTerms,
    terms: ScorecardTerms,
    facts: PartnerFacts,
    best: TrackScore,
    others: tuple[tuple[str, Decimal], ...],
) -> Explanation:
    reasons = [m.reason() for m in best.metrics]
    if area.mode is TrackMode.BEST_OF:
        lost = ", ".join(f"{t} {plain(total)}" for t, total in others)
        reasons.append(Reason("MCPP-9", f"best of the tracks: {best.track} kept ({lost})"))
    elif area.mode is TrackMode.CLASSIFICATION and area.classification is not None:
        attribute = area.classification.attribute
        value = facts.attributes.get(attribute, "not set")
        reasons.append(Reason("MCPP-9", f"classified in track {best.track} ({attribute}: {value})"))
    zeros = [m.name for m in best.metrics if m.points <= 0]
    if zeros and terms.every_metric_positive:
        reasons.append(Reason("MCPP-8", "every metric must be above 0; at 0: " + ", ".join(zeros)))
    total, threshold = plain(best.total), plain(area.threshold)
    if best.qualifies:
        summary = f"{area.name}: {total} of {plain(terms.total)} points — meets {threshold}"
        return Explanation(summary, tuple(reasons))
    summary = f"{area.name}: {total} of {plain(terms.total)} points — needs {threshold}"
    gap = max(area.threshold - best.total, Decimal(0))
    steps = steps_to_close(best.metrics, terms, gap)
    return Explanation(summary, tuple(reasons), gap, f"{threshold} points", steps)


def area_scores(terms: ScorecardTerms, facts: PartnerFacts, day: date) -> dict[str, AreaScore]:
    """The score of ``facts`` in every area on ``day`` (MCPP-1, MCPP-5) — the reference
    the batch evaluator's scores must equal."""
    return {area.id: score_area(area, terms, facts, day) for area in terms.areas}
