"""The cheapest way to close a score gap (MCPP-5 dashboard, X-3).

Given the metric scores of a track and the points missing to the threshold, propose
steps: first every metric at zero (MCPP-8 wants each above zero), then the metrics that
give the most points per unit, each filled only as far as needed and never past its cap
(MCPP-9). Units are whole ("2 more advanced certifications: +15 points").
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import ROUND_CEILING, Decimal
from typing import TYPE_CHECKING

from alliance.domain.explanations import Step, plain
from alliance.domain.scoring.terms import MetricTerms, ScorecardTerms

if TYPE_CHECKING:
    from alliance.domain.scoring.points import MetricScore

_COUNTED = {"customer", "person", "service", "deployment", "certification"}


def steps_to_close(
    metrics: Sequence[MetricScore], terms: ScorecardTerms, gap: Decimal
) -> tuple[Step, ...]:
    """Steps that together add at least ``gap`` points and lift every zero metric."""
    remaining = gap
    open_metrics = [m for m in metrics if m.headroom > 0]
    zeros = [m for m in open_metrics if m.points <= 0] if terms.every_metric_positive else []
    rest = [m for m in open_metrics if m not in zeros]
    ordered = sorted(zeros, key=_value_first) + sorted(rest, key=_value_first)
    steps: list[Step] = []
    for score in ordered:
        is_zero = score in zeros
        if remaining <= 0 and not is_zero:
            break
        rate = score.rule.points_per_unit
        wanted = min(remaining, score.headroom) if remaining > 0 else rate
        more = _whole((score.points + wanted) / rate - score.units)
        more = max(more, Decimal(1))
        gain = score.rule.points_for(score.units + more) - score.points
        remaining -= gain
        metric = terms.metric(score.metric)
        steps.append(
            Step(
                metric.id,
                more,
                gain,
                f"{_describe(metric, more)}: +{plain(gain)} points",
                "MCPP-8" if is_zero else "MCPP-9",
            )
        )
    return tuple(steps)


def _value_first(score: MetricScore) -> tuple[Decimal, str]:
    return (-score.rule.points_per_unit, score.metric)


def _whole(value: Decimal) -> Decimal:
    return value.to_integral_value(rounding=ROUND_CEILING)


def _describe(metric: MetricTerms, more: Decimal) -> str:
    what = metric.short_name
    if metric.unit == "percent":
        return f"{plain(more)} more percentage points of {what}"
    if metric.unit in _COUNTED:
        return f"{plain(more)} more {what}"
    return f"{plain(more)} more {metric.unit} of {what}"
