"""MCPP designations for every partner and area on a day (MCPP-1, MCPP-2, MCPP-8 … MCPP-10).

The split of ``docs/architecture.md`` ("Earned tiers"):

1. **the day's scores for everyone**, in the batch engine
   (:func:`alliance.batch.mcpp_scores.score_day`): an area qualifying on ``as_of`` is
   *qualified* — enrol by ``as_of`` + 30 days — whatever the window holds;
2. **the 6-month window** (MCPP-8) only for the partners and areas the day does not settle
   and whose **upper bounds** over the window (:mod:`alliance.batch.mcpp_bounds`, one
   Ibis pass) allow a qualifying day — the others are in progress, proven without a
   replay; the few left are replayed on the domain (each area on its own facts,
   :func:`area_facts`) or, past :data:`DOMAIN_REPLAY_LIMIT` partners, in the batch engine
   on the union of their change days
   (:func:`alliance.batch.mcpp_window.window_qualification` — exact, see there): qualified
   until 30 days after the last qualifying day, else in progress;
3. **enrolled partners** (an enrolment active on ``as_of``) in Python on the domain
   (:func:`alliance.domain.scoring.evaluate_scorecard`): the designation is kept until
   the anniversary and the renewal is judged on the anniversary-anchored window — few
   partners, and the rules that need a partner's history.

Every outcome carries its explanation (X-3): each metric's units and points and whether
its cap bit (MCPP-9), the zero metrics (MCPP-8), the gap to the threshold and the cheapest
steps to close it (:func:`alliance.domain.scoring.advice.steps_to_close`), and the window
verdict with its dates.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from decimal import Decimal
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc

from alliance.batch.mcpp_bounds import window_bounds
from alliance.batch.mcpp_scores import classifying_attributes, score_day
from alliance.batch.mcpp_window import window_qualification
from alliance.batch.partner_facts import partner_facts
from alliance.domain.calendar import DateRange, days_after
from alliance.domain.explanations import Explanation, Reason, plain
from alliance.domain.outcomes import Outcome, Rank, Subject
from alliance.domain.scoring import (
    AreaOutcome,
    AreaTerms,
    DesignationStatus,
    Enrolment,
    MetricScore,
    MetricValue,
    PartnerFacts,
    ScorecardTerms,
    TrackMode,
    evaluate_scorecard,
    qualification_window,
    qualify,
)
from alliance.domain.scoring.advice import steps_to_close
from alliance.domain.scoring.designations import HELD
from alliance.programs.schema import ProgramDefinition
from alliance.services.evaluation.evaluators import (
    EvaluationInput,
    IncentiveCost,
    register,
)
from alliance.services.scorecard_terms import terms_from_program
from alliance.services.tier_facts.ports import FactKind


def exact(value: Decimal) -> Decimal:
    """``value`` without trailing zeros and never in exponent form (``70.0000`` → ``70``)."""
    return Decimal(plain(value)) if value else Decimal(0)


def active_enrolment(enrolments: Sequence[Enrolment], as_of: date) -> Enrolment | None:
    """The latest enrolment active on ``as_of`` (MCPP-8), if any."""
    active = [e for e in enrolments if e.active_on(as_of)]
    return max(active, key=lambda e: e.enrolled_on) if active else None


def partners_in_layout(partners: pa.Table, attributes: Sequence[str]) -> pa.Table:
    """``partner_id`` and the classifying ``attributes`` (null where a partner has none)."""
    columns: dict[str, Any] = {"partner_id": partners.column("partner_id")}
    for name in attributes:
        columns[name] = (
            partners.column(name).cast(pa.string())
            if name in partners.column_names
            else pa.nulls(partners.num_rows, pa.string())
        )
    return pa.table(columns)


_RANKS = {
    DesignationStatus.IN_PROGRESS.value: 0,
    DesignationStatus.QUALIFIED.value: 1,
    DesignationStatus.ENROLLED.value: 2,
    DesignationStatus.ENROLLED_RENEWAL_DUE.value: 2,
}

DOMAIN_REPLAY_LIMIT = 20_000
"""Up to this many partners the day does not settle, their windows are replayed on the
domain; beyond it, in the batch engine on the union of their change days. Measured on
4,000 unsettled partners (100,000 facts, 2 shared cores): 144 s on the domain (36 ms a
partner) against 877 s in the batch (≈175 days, each a compilation of a few seconds and
a query): the batch wins only past ≈ 20,000 partners."""

Window = dict[tuple[str, str], tuple[date | None, date | None]]


def area_facts(facts: PartnerFacts, area: AreaTerms, terms: ScorecardTerms) -> PartnerFacts:
    """``facts`` less those no metric of ``area`` reads (MCPP-10): certifications outside
    its metrics' catalogues, customers, deployments and usage of other areas.

    The area's scores are the same on every day, and so are its first and last qualifying
    days (MCPP-8): :func:`~alliance.domain.scoring.qualify` checks the days a score may
    change, and the days dropped with these facts are days on which this area's score
    does not — the first qualifying day and the day a qualifying run ends are days its
    score changes (or the window's first day, always checked). Fewer facts and fewer
    days make the replay of a partner with many facts several times faster."""
    metrics = [terms.metric(r.metric) for track in area.tracks for r in track.rules]
    certs = {c.id for m in metrics for c in m.certifications}
    areas = {m.area for m in metrics if m.area is not None}
    return PartnerFacts(
        facts.partner_id,
        tuple(c for c in facts.certifications if c.certification_id in certs),
        tuple(c for c in facts.customers if c.area in areas),
        tuple(d for d in facts.deployments if d.area in areas),
        tuple(u for u in facts.usage if u.area in areas),
        facts.attributes,
    )


def _domain_windows(
    areas: list[tuple[str, str]],
    terms: ScorecardTerms,
    window: DateRange,
    partners: pa.Table,
    certifications: pa.Table,
    customers: pa.Table,
    deployments: pa.Table,
    usage: pa.Table,
    attributes: Sequence[str],
    given: EvaluationInput,
) -> Window:
    """The first and last qualifying day of each ``(partner, area)`` in ``window``, replayed
    on the domain (:func:`~alliance.domain.scoring.qualify`, MCPP-8)."""
    ids = sorted({pid for pid, _ in areas})
    facts = partner_facts(ids, partners, certifications, customers, deployments, usage, attributes)
    out: Window = {}
    for done, (pid, area_id) in enumerate(areas, start=1):
        area = terms.area(area_id)
        run = qualify(area, terms, area_facts(facts[pid], area, terms), window)
        out[(pid, area_id)] = (run.first_day, run.last_day)
        if done % 1_000 == 0 or done == len(areas):
            given.report("qualification window", done, len(areas))
    return out


def _batch_windows(
    partner_ids: pa.Array,
    terms: ScorecardTerms,
    window: DateRange,
    partners: pa.Table,
    certifications: pa.Table,
    customers: pa.Table,
    deployments: pa.Table,
    usage: pa.Table,
    given: EvaluationInput,
) -> Window:
    """The same, in the batch engine (:func:`~alliance.batch.mcpp_window.window_qualification`)."""
    table = window_qualification(
        window,
        terms,
        partners.filter(pc.is_in(partners.column("partner_id"), value_set=partner_ids)),
        certifications,
        customers,
        deployments,
        usage,
        progress=lambda done, total: given.report("qualification window", done, total),
    )
    out: Window = {}
    for pid, area, first, last in zip(
        table.column("partner_id").to_pylist(),
        table.column("area").to_pylist(),
        table.column("first_day").to_pylist(),
        table.column("last_day").to_pylist(),
        strict=True,
    ):
        out[(pid, area)] = (first, last)
    return out


def _may_qualify(
    unsettled: pa.Table,
    window: DateRange,
    terms: ScorecardTerms,
    partners: pa.Table,
    certifications: pa.Table,
    customers: pa.Table,
    deployments: pa.Table,
    usage: pa.Table,
    given: EvaluationInput,
) -> pa.Table:
    """The rows of ``unsettled`` (partner-areas not qualifying on the day) whose window
    replay is needed: those whose upper bounds over the window
    (:func:`~alliance.batch.mcpp_bounds.window_bounds`) allow a qualifying day. The
    others qualified on no day of the window (MCPP-8), proven without a replay."""
    if unsettled.num_rows == 0:
        return unsettled
    given.report("window bounds", 0, 1)
    ids = pc.unique(unsettled.column("partner_id"))
    bounds = window_bounds(
        window,
        terms,
        partners.filter(pc.is_in(partners.column("partner_id"), value_set=ids)),
        certifications,
        customers,
        deployments,
        usage,
    )
    may = bounds.filter(bounds.column("may_qualify"))
    kept = unsettled.join(
        may.select(["partner_id", "area"]), keys=["partner_id", "area"], join_type="inner"
    ).sort_by([("partner_id", "ascending"), ("area", "ascending")])
    given.report("window bounds", 1, 1)
    return kept


class McppEvaluator:
    """The evaluator of ``scorecard`` programs (MCPP)."""

    kind = "scorecard"

    def __init__(self, domain_replay_limit: int = DOMAIN_REPLAY_LIMIT, prune: bool = True) -> None:
        self.domain_replay_limit = domain_replay_limit
        self.prune = prune

    def evaluate(self, given: EvaluationInput) -> list[Outcome]:
        definition = given.definition
        terms = terms_from_program(definition)
        as_of = given.as_of
        attributes = classifying_attributes(terms)
        facts = given.facts
        partners = partners_in_layout(facts.table(FactKind.PARTNERS), attributes)
        certifications = facts.table(FactKind.CERTIFICATIONS)
        customers = facts.table(FactKind.CUSTOMERS)
        deployments = facts.table(FactKind.DEPLOYMENTS)
        usage = facts.table(FactKind.USAGE)
        code, version = definition.code, definition.version

        given.report("scores of the day", 0, 1)
        enrolled = {
            pid: enrolment
            for pid, items in given.enrolments.items()
            if (enrolment := active_enrolment(items, as_of)) is not None
        }
        enrolled_ids = pa.array(sorted(enrolled), pa.string())
        batch_partners = partners.filter(
            pc.invert(pc.is_in(partners.column("partner_id"), value_set=enrolled_ids))
        )
        day = score_day(as_of, terms, batch_partners, certifications, customers, deployments, usage)
        given.report("scores of the day", 1, 1)

        areas = day.areas.sort_by([("partner_id", "ascending"), ("area", "ascending")])
        unsettled = areas.filter(pc.invert(pc.fill_null(areas.column("qualifies"), False)))
        window = qualification_window(as_of, terms)
        assert window is not None  # not anchored on an anniversary: always open
        if self.prune:
            unsettled = _may_qualify(
                unsettled,
                window,
                terms,
                batch_partners,
                certifications,
                customers,
                deployments,
                usage,
                given,
            )
        open_ids = pc.unique(unsettled.column("partner_id"))
        unsettled_areas = list(
            zip(
                unsettled.column("partner_id").to_pylist(),
                unsettled.column("area").to_pylist(),
                strict=True,
            )
        )
        if len(open_ids) <= self.domain_replay_limit:
            windows = _domain_windows(
                unsettled_areas,
                terms,
                window,
                batch_partners,
                certifications,
                customers,
                deployments,
                usage,
                attributes,
                given,
            )
        else:
            windows = _batch_windows(
                open_ids,
                terms,
                window,
                batch_partners,
                certifications,
                customers,
                deployments,
                usage,
                given,
            )

        metrics = _metrics_by_area(day.metrics, terms, as_of)
        classes = _attributes(batch_partners, attributes)
        outcomes: list[Outcome] = []
        explained: dict[Any, Any] = {}  # partners with the same scores share one
        by_id = {a.id: a for a in terms.areas}
        total = areas.num_rows
        for index, (pid, area_id, track, score, qualifies) in enumerate(
            zip(
                areas.column("partner_id").to_pylist(),
                areas.column("area").to_pylist(),
                areas.column("track").to_pylist(),
                areas.column("total").to_pylist(),
                areas.column("qualifies").to_pylist(),
                strict=True,
            )
        ):
            area = by_id[area_id]
            scored = metrics.get((pid, area_id), ())
            outcomes.append(
                _batch_outcome(
                    code,
                    version,
                    as_of,
                    pid,
                    area,
                    terms,
                    track,
                    exact(score),
                    bool(qualifies),
                    scored,
                    classes.get(pid, {}),
                    windows.get((pid, area_id), (None, None)),
                    explained,
                )
            )
            if index % 50_000 == 0:
                given.report("explanations", index, total)
        given.report("explanations", total, total)

        if enrolled:
            given.report("enrolled partners", 0, len(enrolled))
            their_facts = partner_facts(
                enrolled,
                partners,
                certifications,
                customers,
                deployments,
                usage,
                attributes,
            )
            for done, (pid, enrolment) in enumerate(sorted(enrolled.items()), start=1):
                card = evaluate_scorecard(terms, their_facts[pid], as_of, enrolment)
                outcomes += [_domain_outcome(code, version, pid, o) for o in card.areas]
                given.report("enrolled partners", done, len(enrolled))
        return sorted(outcomes, key=lambda o: o.key)

    def costs(self, given: EvaluationInput, outcomes: list[Outcome]) -> list[IncentiveCost]:
        return []

    def rank(self, definition: ProgramDefinition) -> Rank:
        return lambda outcome: _RANKS.get(outcome.result, 0)

    def not_costed(self) -> str:
        return (
            "MCPP designations carry no incentive payment; the designation fee is paid by "
            "the partner and is not costed"
        )


def _metrics_by_area(
    metrics: pa.Table, terms: ScorecardTerms, day: date
) -> dict[tuple[str, str], tuple[MetricScore, ...]]:
    """The batch's metric rows as the domain's :class:`MetricScore` s, per partner and area."""
    table = metrics.sort_by(
        [("partner_id", "ascending"), ("area", "ascending"), ("position", "ascending")]
    )
    out: dict[tuple[str, str], list[MetricScore]] = {}
    areas = {a.id: a for a in terms.areas}
    # Many partners share a metric's units on a day (most of them none): one MetricScore
    # per distinct (area, track, position, units, points).
    made: dict[tuple[str, str, int, Decimal, Decimal], MetricScore] = {}
    for pid, area_id, track, position, metric, units, points in zip(
        table.column("partner_id").to_pylist(),
        table.column("area").to_pylist(),
        table.column("track").to_pylist(),
        table.column("position").to_pylist(),
        table.column("metric").to_pylist(),
        table.column("units").to_pylist(),
        table.column("points").to_pylist(),
        strict=True,
    ):
        key = (area_id, track, position, units, points)
        score = made.get(key)
        if score is None:
            rule = areas[area_id].track(track).rules[position]
            value = MetricValue(metric, day, exact(units))
            score = made[key] = MetricScore(rule, terms.metric(metric).name, value, exact(points))
        out.setdefault((pid, area_id), []).append(score)
    return {key: tuple(items) for key, items in out.items()}


def _attributes(partners: pa.Table, attributes: Sequence[str]) -> dict[str, dict[str, str]]:
    if not attributes:
        return {}
    rows = partners.select(["partner_id", *attributes]).to_pylist()
    return {
        str(row["partner_id"]): {n: str(row[n]) for n in attributes if row[n] is not None}
        for row in rows
    }


TodayKey = tuple[str, str, Decimal, bool, tuple[int, ...], str | None]


def _today_key(
    area: AreaTerms,
    track: str,
    score: Decimal,
    qualifies: bool,
    metrics: tuple[MetricScore, ...],
    attributes: Mapping[str, str],
) -> TodayKey:
    """What the day's explanation depends on (the same metric scores give the same text)."""
    attribute = None
    if area.mode is TrackMode.CLASSIFICATION and area.classification is not None:
        attribute = attributes.get(area.classification.attribute)
    return (area.id, track, score, qualifies, tuple(id(m) for m in metrics), attribute)


def _today(
    area: AreaTerms,
    terms: ScorecardTerms,
    track: str,
    score: Decimal,
    qualifies: bool,
    metrics: tuple[MetricScore, ...],
    attributes: Mapping[str, str],
) -> Explanation:
    """The explanation of the day's score, as :func:`~alliance.domain.scoring.score_area`
    gives it (X-3): each metric, the track kept, the zero metrics, the gap and the steps."""
    reasons = [m.reason() for m in metrics]
    if area.mode is TrackMode.BEST_OF:
        reasons.append(Reason("MCPP-9", f"best of the tracks: {track} kept"))
    elif area.mode is TrackMode.CLASSIFICATION and area.classification is not None:
        attribute = area.classification.attribute
        value = attributes.get(attribute, "not set")
        reasons.append(Reason("MCPP-9", f"classified in track {track} ({attribute}: {value})"))
    zeros = [m.name for m in metrics if m.points <= 0]
    if zeros and terms.every_metric_positive:
        reasons.append(Reason("MCPP-8", "every metric must be above 0; at 0: " + ", ".join(zeros)))
    total, threshold = plain(score), plain(area.threshold)
    if qualifies:
        summary = f"{area.name}: {total} of {plain(terms.total)} points — meets {threshold}"
        return Explanation(summary, tuple(reasons))
    summary = f"{area.name}: {total} of {plain(terms.total)} points — needs {threshold}"
    gap = max(area.threshold - score, Decimal(0))
    steps = steps_to_close(metrics, terms, gap)
    return Explanation(summary, tuple(reasons), gap, f"{threshold} points", steps)


def _batch_outcome(
    code: str,
    version: str,
    as_of: date,
    partner_id: str,
    area: AreaTerms,
    terms: ScorecardTerms,
    track: str,
    score: Decimal,
    qualifies: bool,
    metrics: tuple[MetricScore, ...],
    attributes: Mapping[str, str],
    window: tuple[date | None, date | None],
    explained: dict[Any, Any],
) -> Outcome:
    key = _today_key(area, track, score, qualifies, metrics, attributes)
    today = explained.get(key)
    if today is None:
        today = explained[key] = _today(area, terms, track, score, qualifies, metrics, attributes)
    whole = _explained(key, window, today, as_of, area, terms, qualifies, explained)
    status, until, explanation, details = whole
    return Outcome(
        code,
        version,
        as_of,
        partner_id,
        Subject.AREA,
        area.id,
        status.value,
        score,
        explanation,
        held=status in HELD,
        until=until,
        details=dict(details),
    )


Explained = tuple[DesignationStatus, date | None, Explanation, Mapping[str, str]]


def _explained(
    key: TodayKey,
    window: tuple[date | None, date | None],
    today: Explanation,
    as_of: date,
    area: AreaTerms,
    terms: ScorecardTerms,
    qualifies: bool,
    cache: dict[Any, Any],
) -> Explained:
    """The status, the date it holds until, the whole explanation and the details of an
    outcome: the same for every partner with the same day's scores and window dates, so
    computed (and its explanation object shared, cheap to save) once per such shape."""
    whole_key = ("whole", key, window)
    found: Explained | None = cache.get(whole_key)
    if found is None:
        track = key[1]
        found = cache[whole_key] = _explain(window, today, as_of, area, terms, track, qualifies)
    return found


def _explain(
    window: tuple[date | None, date | None],
    today: Explanation,
    as_of: date,
    area: AreaTerms,
    terms: ScorecardTerms,
    track: str,
    qualifies: bool,
) -> Explained:
    reasons = list(today.reasons)
    details = {"track": track, "threshold": plain(area.threshold)}
    first, last = window
    if qualifies:
        last = as_of
        qualified_on = f"qualifies on {as_of}"
    elif last is not None and first is not None:
        qualified_on = f"qualified on {first}" + (f" (last on {last})" if last != first else "")
        details["first_qualified"] = first.isoformat()
    if last is None:
        span = qualification_window(as_of, terms)
        assert span is not None
        reasons.append(
            Reason("MCPP-8", f"did not qualify on any day from {span.start} to {span.end}")
        )
        status, until, explanation = DesignationStatus.IN_PROGRESS, None, today
    else:
        details["last_qualified"] = last.isoformat()
        enrol_by = days_after(last, terms.enrol_within_days)
        if as_of > enrol_by:
            reasons.append(Reason("MCPP-8", f"{qualified_on} but did not enrol by {enrol_by}"))
            status, until, explanation = DesignationStatus.IN_PROGRESS, None, today
        else:
            fee = (
                f"enrol (fee {terms.fee} a year, every area)" if terms.fee is not None else "enrol"
            )
            reasons.append(Reason("MCPP-8", f"{qualified_on}; {fee} by {enrol_by}"))
            details["enrol_by"] = enrol_by.isoformat()
            status, until = DesignationStatus.QUALIFIED, enrol_by
            explanation = Explanation(
                f"{area.name}: qualified for {terms.designation_name}; enrol by {enrol_by}"
            )
    whole = Explanation(
        explanation.summary,
        tuple(reasons),
        explanation.gap,
        explanation.next_threshold,
        explanation.steps,
    )
    return status, until, whole, details


def _domain_outcome(code: str, version: str, partner_id: str, area: AreaOutcome) -> Outcome:
    details = {"track": area.score.track, "threshold": plain(area.score.threshold)}
    if area.enrol_by is not None:
        details["enrol_by"] = area.enrol_by.isoformat()
    if area.designated_until is not None:
        details["designated_until"] = area.designated_until.isoformat()
    if area.qualification.first_day is not None:
        details["first_qualified"] = area.qualification.first_day.isoformat()
    if area.qualification.last_day is not None:
        details["last_qualified"] = area.qualification.last_day.isoformat()
    return Outcome(
        code,
        version,
        area.as_of,
        partner_id,
        Subject.AREA,
        area.area,
        area.status.value,
        exact(area.score.total),
        area.explanation,
        held=area.holds_designation,
        until=area.designated_until or area.enrol_by,
        details=details,
    )


register("scorecard", McppEvaluator)
