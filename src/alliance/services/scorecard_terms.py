"""A capability-score program's definition as the domain's :class:`ScorecardTerms` (MCPP).

Reads from ``programs/builtin/mcpp.yaml`` (or a vendor's file): the areas, tracks and
score rules with their unit values and caps (MCPP-9, MCPP-10), the threshold per area
(MCPP-2), "every metric > 0", the qualification window, the days to enrol and the fee
(MCPP-8), the metrics the rules name (fact, aggregation, window, area filter, named
certifications with retirement dates) and the labels (MCPP-3, MCPP-4). What the scoring
rules cannot honour is refused, naming the field, rather than ignored.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from alliance.domain.errors import InvalidInput, Problem
from alliance.domain.scoring import (
    Aggregation,
    AreaTerms,
    CertificationTerms,
    ClassificationTerms,
    FactSource,
    LabelKind,
    LabelTerms,
    MetricTerms,
    RequirementKind,
    RequirementTerms,
    ScorecardTerms,
    ScoreRuleTerms,
    TrackMode,
    TrackTerms,
)
from alliance.programs.registry import ProgramRegistry
from alliance.programs.schema import ProgramDefinition
from alliance.programs.schema.criteria import Operator
from alliance.programs.schema.labels import Label
from alliance.programs.schema.metrics import Metric, WindowKind
from alliance.programs.schema.scorecards import Area

DEFAULT_PROGRAM = "mcpp"


@dataclass(frozen=True)
class ScorecardProgram:
    code: str
    name: str
    version: str
    terms: ScorecardTerms


def scorecard_program(programs: ProgramRegistry, code: str = DEFAULT_PROGRAM) -> ScorecardProgram:
    """The capability-score program ``code`` of the registry."""
    definition = programs.get(code)
    return ScorecardProgram(
        code, definition.name, definition.version, terms_from_program(definition)
    )


def terms_from_program(definition: ProgramDefinition) -> ScorecardTerms:
    """The :class:`ScorecardTerms` of ``definition``; InvalidInput lists every misfit."""
    section = definition.scorecards
    if section is None:
        raise InvalidInput(
            f"program {definition.code} has no scorecards", field="scorecards", rule="MCPP-2"
        )
    problems: list[Problem] = []
    used = {r.metric for a in section.areas for t in a.tracks for r in t.rules}
    used |= {r.metric for lb in definition.labels for r in lb.requirements if r.metric}
    metrics = {}
    for metric in definition.metrics:
        if metric.id in used:
            terms = _metric(metric, problems)
            if terms is not None:
                metrics[metric.id] = terms
    areas = tuple(_area(area, section.threshold_of(area)) for area in section.areas)
    if problems:
        raise InvalidInput(
            f"program {definition.code} does not fit the capability-score rules",
            rule="X-7",
            problems=problems,
        )
    designation = section.designation
    window = section.qualification
    return ScorecardTerms(
        program=definition.code,
        areas=areas,
        metrics=metrics,
        total=section.total,
        every_metric_positive=section.every_metric_positive,
        previous_full_months=window.previous_full_months,
        anchor_enrolled_on_anniversary=window.anchor_enrolled_on_anniversary,
        enrol_within_days=designation.enrol_within_days,
        designation_name=designation.name,
        fee=designation.fee.to_money() if designation.fee is not None else None,
        kept_until_anniversary=designation.kept_until_anniversary,
        labels=tuple(_label(label) for label in definition.labels),
    )


_SOURCES = {
    "certification": FactSource.CERTIFICATION,
    "customer": FactSource.CUSTOMER,
    "deployment": FactSource.DEPLOYMENT,
    "usage": FactSource.USAGE,
}


def _metric(metric: Metric, problems: list[Problem]) -> MetricTerms | None:
    where = f"metrics.{metric.id}"
    source = _SOURCES.get(metric.fact.value)
    try:
        aggregation = Aggregation(metric.aggregation.value)
    except ValueError:
        aggregation = None
    if source is None or aggregation is None:
        problems.append(
            Problem(
                f"a score metric reads certifications, customers, deployments or usage with "
                f"count, count_distinct, net_count or growth; got {metric.fact} "
                f"{metric.aggregation}",
                field=where,
                rule="MCPP-10",
            )
        )
        return None
    area = None
    for criterion in metric.where:
        if criterion.attribute == "area" and criterion.op in (Operator.EQUALS, Operator.IN):
            if len(criterion.values) != 1:
                problems.append(Problem("a metric scores one area", field=f"{where}.where"))
            area = criterion.values[0] if criterion.values else None
        else:
            problems.append(
                Problem(
                    f"score metrics filter on area only, got {criterion.attribute}",
                    field=f"{where}.where",
                    rule="MCPP-10",
                )
            )
    window = metric.window
    months = window.months if window.kind is WindowKind.TRAILING_MONTHS else None
    expected = {
        FactSource.CERTIFICATION: {WindowKind.CURRENT},
        FactSource.USAGE: {WindowKind.MONTH_OVER_YEAR},
        FactSource.CUSTOMER: {WindowKind.TRAILING_MONTHS},
        FactSource.DEPLOYMENT: {WindowKind.TRAILING_MONTHS},
    }[source]
    if window.kind not in expected:
        problems.append(
            Problem(
                f"a {source} metric is read over a {'/'.join(expected)} window, got {window.kind}",
                field=f"{where}.window",
                rule="MCPP-10",
            )
        )
    return MetricTerms(
        id=metric.id,
        name=metric.name,
        source=source,
        aggregation=aggregation,
        area=area,
        window_months=months,
        distinct_by=metric.distinct_by,
        measure=metric.measure,
        certifications=tuple(
            CertificationTerms(c.id, c.name, c.retires_on) for c in metric.certifications
        ),
        unit=metric.unit,
    )


def _area(area: Area, threshold: Decimal) -> AreaTerms:
    tracks = tuple(
        TrackTerms(
            t.id,
            t.name,
            tuple(ScoreRuleTerms(r.metric, r.points, r.max_points, r.per) for r in t.rules),
        )
        for t in area.tracks
    )
    classification = None
    if area.classification is not None:
        c = area.classification
        classification = ClassificationTerms(c.attribute, dict(c.tracks), c.default_track)
    return AreaTerms(
        area.id, area.name, tracks, threshold, TrackMode(area.track_mode.value), classification
    )


def _label(label: Label) -> LabelTerms:
    display = label.display_for
    return LabelTerms(
        id=label.id,
        name=label.name,
        kind=LabelKind(label.kind.value),
        area=label.area,
        requirements=tuple(
            RequirementTerms(
                RequirementKind(r.kind.value), r.area, r.metric, r.at_least, r.description
            )
            for r in label.requirements
        ),
        renewable_until=label.renewable_until,
        display_years=display.years if display else 0,
        display_months=display.months if display else 0,
        display_days=display.days if display else 0,
    )
