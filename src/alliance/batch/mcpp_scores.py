"""Capability scores of every partner in every area on one day, in the batch engine
(MCPP-1, MCPP-2, MCPP-8 … MCPP-10).

One Ibis expression computes, for every partner of the partners table and every area of
the terms, what the reference :func:`alliance.domain.scoring.area_scores` computes for
that partner on that day — and property tests hold the two equal to the exact decimal:

* **metric units** (MCPP-10), one column per metric, from one aggregation per kind of
  fact: distinct people holding a counting certification on the day (neither it nor its
  catalogue entry retired); net customer adds and deployments (or distinct services) in
  the trailing window; usage growth of the last full month over the same month a year
  earlier, in percent or as an amount;
* **points per rule** ``min(max, units × points / per)``, nothing for zero or fewer units
  (MCPP-9); a quotient that does not end is rounded once, half-up, to 10 decimals, with
  exact integers (:mod:`alliance.batch.exact_quotients`), as the reference does
  (:mod:`alliance.domain.scoring.quotients`); points and totals are computed in the
  narrowest exact ``DECIMAL(p,10)`` their bounds allow (64-bit integers for ``p ≤ 18``:
  units clipped to ``[0, cap]``, points in ``[0, max_points]``) and returned as
  ``DECIMAL(38,10)``;
* **tracks**: each track's total, "every metric > 0" and "≥ threshold" (MCPP-8); a
  ``classification`` area keeps the track the partner's attribute picks, any other
  keeps the best — a qualifying track before one that does not, then the higher total,
  then the track listed first (MCPP-9).

The result is two Arrow tables: :data:`AREA_COLUMNS`, one row per partner and area, and
:data:`METRIC_COLUMNS`, one row per partner, area and metric of the kept track.

**What runs where.** The scores of one day are computed here, in Ibis, for every partner
at once; :func:`score_days` runs them for several days. The qualification window (the
current month and the 5 before it, any single day qualifying) and the designation status
history (qualified, enrolled, kept until the anniversary; MCPP-8) stay per partner in
Python — :func:`alliance.domain.scoring.evaluate_scorecard` — for the partners whose
status the day's scores do not settle: a partner qualifying on the evaluation day is
qualified whatever its window holds, and only the others need the days of their window
(their fact dates and month starts, :func:`alliance.domain.scoring.change_days`).
"""

from __future__ import annotations

import functools
import operator
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from math import gcd

import ibis
import ibis.expr.datatypes as dt
import ibis.expr.types as ir
import pyarrow as pa
import pyarrow.compute as pc
from ibis.backends import BaseBackend

from alliance.batch.backends import duckdb_backend, exact_decimal_settings
from alliance.batch.exact_decimals import round_half_up
from alliance.batch.exact_quotients import integer, with_rounded_quotients
from alliance.batch.tier_facts import (
    AMOUNT_PLACES,
    CERTIFICATIONS_SCHEMA,
    CUSTOMERS_SCHEMA,
    DEPLOYMENTS_SCHEMA,
    MCPP_USAGE_SCHEMA,
    TierFactsSource,
    facts_of,
    partners_schema,
)
from alliance.domain.calendar import Month
from alliance.domain.scoring import (
    Aggregation,
    AreaTerms,
    FactSource,
    MetricTerms,
    ScorecardTerms,
    ScoreRuleTerms,
    TrackMode,
    TrackTerms,
    trailing_range,
)
from alliance.domain.scoring.quotients import QUOTIENT_PLACES

POINTS = dt.Decimal(38, QUOTIENT_PLACES)
"""The type of units, points and totals: 28 integer digits, 10 decimals."""

_POINTS_ARROW = pa.decimal128(38, QUOTIENT_PLACES)
_ZERO = ibis.literal(Decimal(0), type=POINTS)
_ONE_STEP = ibis.literal(Decimal(1).scaleb(-QUOTIENT_PLACES), type=POINTS)
_STEP_COUNT = Decimal(10) ** QUOTIENT_PLACES
_STEPS = ibis.literal(_STEP_COUNT, type=dt.Decimal(11, 0))

AREA_COLUMNS = (
    "partner_id",
    "area",
    "day",
    "track",
    "total",
    "threshold",
    "all_positive",
    "qualifies",
)
"""One row per partner and area: the kept track, its total, "every metric > 0", and
whether the area qualifies on the day (MCPP-2, MCPP-8)."""

METRIC_COLUMNS = ("partner_id", "area", "track", "position", "metric", "units", "points")
"""One row per partner, area and rule of the kept track, in the track's order."""


@dataclass(frozen=True)
class McppScores:
    """The scores of one day: :data:`AREA_COLUMNS` and :data:`METRIC_COLUMNS`."""

    areas: pa.Table
    metrics: pa.Table


@dataclass(frozen=True)
class McppFacts:
    """The tables the scores read, on one backend."""

    partners: ir.Table
    certifications: ir.Table
    customers: ir.Table
    deployments: ir.Table
    usage: ir.Table


def classifying_attributes(terms: ScorecardTerms) -> tuple[str, ...]:
    """The partner attributes that pick a track (MCPP-9): the partners table's columns."""
    names = {
        area.classification.attribute
        for area in terms.areas
        if area.mode is TrackMode.CLASSIFICATION and area.classification is not None
    }
    return tuple(sorted(names))


def mcpp_facts(
    backend: BaseBackend,
    terms: ScorecardTerms,
    partners: TierFactsSource,
    certifications: TierFactsSource,
    customers: TierFactsSource,
    deployments: TierFactsSource,
    usage: TierFactsSource,
) -> McppFacts:
    """The facts of :mod:`alliance.batch.tier_facts` as tables of ``backend``, checked."""
    return McppFacts(
        facts_of(backend, partners, partners_schema(classifying_attributes(terms)), "partners"),
        facts_of(backend, certifications, CERTIFICATIONS_SCHEMA, "certifications"),
        facts_of(backend, customers, CUSTOMERS_SCHEMA, "customers"),
        facts_of(backend, deployments, DEPLOYMENTS_SCHEMA, "deployments"),
        facts_of(backend, usage, MCPP_USAGE_SCHEMA, "usage"),
    )


# -- metric units (MCPP-10) ----------------------------------------------------------------


def scored_metrics(terms: ScorecardTerms) -> tuple[MetricTerms, ...]:
    """The metrics some score rule reads, in the order the areas name them."""
    ids = dict.fromkeys(r.metric for a in terms.areas for t in a.tracks for r in t.rules)
    return tuple(terms.metric(i) for i in ids)


def _units(metric: MetricTerms) -> str:
    return f"u__{metric.id}"


def _certification_units(
    certifications: ir.Table, metrics: Sequence[MetricTerms], day: date
) -> ir.Table | None:
    if not metrics:
        return None
    counting = {m.id: sorted(c.id for c in m.certifications if c.counts_on(day)) for m in metrics}
    every = sorted({i for ids in counting.values() for i in ids})
    held = certifications.filter(
        certifications.earned_on <= day,
        certifications.retired_on.isnull() | (certifications.retired_on > day),
        certifications.certification_id.isin(every or [""]),
    )
    columns: dict[str, ir.Value] = {}
    for metric in metrics:
        ids = counting[metric.id]
        if not ids:
            columns[_units(metric)] = ibis.literal(0, type=dt.int64)
            continue
        counts = held.certification_id.isin(ids)
        if metric.aggregation is Aggregation.COUNT_DISTINCT:
            columns[_units(metric)] = held.person_id.nunique(where=counts)
        else:
            columns[_units(metric)] = held.count(where=counts)
    return held.group_by("partner_id").aggregate(**columns)


def _windows(metrics: Sequence[MetricTerms], day: date) -> dict[str, tuple[date, date]]:
    out = {}
    for m in metrics:
        window = trailing_range(day, m.window_months or 12)
        out[m.id] = (window.start, window.end)
    return out


def _in(column: ir.DateValue, window: tuple[date, date]) -> ir.BooleanValue:
    return (column >= window[0]) & (column <= window[1])


def _customer_units(
    customers: ir.Table, metrics: Sequence[MetricTerms], day: date
) -> ir.Table | None:
    if not metrics:
        return None
    windows = _windows(metrics, day)
    earliest = min(start for start, _ in windows.values())
    near = customers.filter(
        _in(customers.associated_on, (earliest, day))
        | (customers.ended_on.notnull() & _in(customers.ended_on, (earliest, day)))
    )
    columns: dict[str, ir.Value] = {}
    for metric in metrics:
        if metric.area is None:
            columns[_units(metric)] = ibis.literal(0, type=dt.int64)
            continue
        here = near.area == metric.area
        window = windows[metric.id]
        added = near.count(where=here & _in(near.associated_on, window))
        lost = near.count(where=here & near.ended_on.notnull() & _in(near.ended_on, window))
        columns[_units(metric)] = added - lost
    return near.group_by("partner_id").aggregate(**columns)


def _deployment_units(
    deployments: ir.Table, metrics: Sequence[MetricTerms], day: date
) -> ir.Table | None:
    if not metrics:
        return None
    windows = _windows(metrics, day)
    earliest = min(start for start, _ in windows.values())
    near = deployments.filter(_in(deployments.deployed_on, (earliest, day)))
    service = ibis.ifelse(near.service_id == "", near.deployment_id, near.service_id)
    columns: dict[str, ir.Value] = {}
    for metric in metrics:
        if metric.area is None:
            columns[_units(metric)] = ibis.literal(0, type=dt.int64)
            continue
        counts = (near.area == metric.area) & _in(near.deployed_on, windows[metric.id])
        if metric.aggregation is Aggregation.COUNT_DISTINCT:
            columns[_units(metric)] = service.nunique(where=counts)
        else:
            columns[_units(metric)] = near.count(where=counts)
    return near.group_by("partner_id").aggregate(**columns)


_MEASURE_TYPE = dt.Decimal(38, AMOUNT_PLACES)
_MEASURE_STEPS = ibis.literal(Decimal(10) ** AMOUNT_PLACES, type=dt.Decimal(5, 0))
_MEASURE_STEP = ibis.literal(Decimal(1).scaleb(-AMOUNT_PLACES), type=POINTS)


def _usage_units(usage: ir.Table, metrics: Sequence[MetricTerms], day: date) -> ir.Table | None:
    if not metrics:
        return None
    last = Month.containing(day).previous()
    before = last.shift(-12)
    near = usage.filter(usage.month.isin([last.label, before.label]))
    sums: dict[str, ir.Value] = {}
    for metric in metrics:
        measure = near.active_users if metric.measure == "active_users" else near.amount
        value = measure.cast(_MEASURE_TYPE)
        here = near.area == (metric.area or "")
        sums[f"now__{metric.id}"] = value.sum(where=here & (near.month == last.label))
        sums[f"then__{metric.id}"] = value.sum(where=here & (near.month == before.label))
    totals = near.group_by("partner_id").aggregate(**sums)
    steps: dict[str, ir.Value] = {}
    for metric in metrics:
        for when in ("now", "then"):
            total = totals[f"{when}__{metric.id}"].fill_null(0).cast(_MEASURE_TYPE)
            steps[f"{when}__{metric.id}"] = integer(total * _MEASURE_STEPS)  # × 10⁴
    totals = totals.mutate(**steps)
    hundred = ibis.literal(Decimal(100) * _STEP_COUNT, type=dt.Decimal(13, 0))
    one = integer(ibis.literal(1))
    # growth in percent, × 10¹⁰: (now − then) × 100 × 10¹⁰ / then, rounded half-up
    percent = [m for m in metrics if m.aggregation is not Aggregation.GROWTH_AMOUNT]
    quotients = {}
    for metric in percent:
        now, then = totals[f"now__{metric.id}"], totals[f"then__{metric.id}"]
        divisor = ibis.ifelse(then == 0, one, then)
        quotients[f"g__{metric.id}"] = (integer((now - then) * hundred), divisor)
    totals = with_rounded_quotients(totals, quotients)
    columns: dict[str, ir.Value] = {}
    for metric in metrics:
        now, then = totals[f"now__{metric.id}"], totals[f"then__{metric.id}"]
        if metric.aggregation is Aggregation.GROWTH_AMOUNT:
            columns[_units(metric)] = (integer(now - then) * _MEASURE_STEP).cast(POINTS)
        else:
            growth = (totals[f"g__{metric.id}"] * _ONE_STEP).cast(POINTS)
            columns[_units(metric)] = ibis.ifelse(then == 0, _ZERO, growth)
    return totals.select("partner_id", **columns)


def metrics_by_source(metrics: Sequence[MetricTerms]) -> dict[FactSource, list[MetricTerms]]:
    """The scored metrics grouped by the kind of fact they count (MCPP-10)."""
    by_source: dict[FactSource, list[MetricTerms]] = {source: [] for source in FactSource}
    for metric in metrics:
        by_source[metric.source].append(metric)
    return by_source


def with_parts(partners: ir.Table, parts: Sequence[ir.Table | None]) -> ir.Table:
    """``partners`` left-joined with each per-partner part (one row per ``partner_id``)."""
    table = partners
    for part in parts:
        if part is None:
            continue
        part = part.rename(part_partner_id="partner_id")
        table = table.left_join(part, table.partner_id == part.part_partner_id).drop(
            "part_partner_id"
        )
    return table


def metric_units(facts: McppFacts, terms: ScorecardTerms, day: date) -> ir.Table:
    """One row per partner: its attributes and the units of every scored metric on
    ``day`` (columns ``u__<metric>``, ``DECIMAL(38,10)``; zero without facts)."""
    metrics = scored_metrics(terms)
    by_source = metrics_by_source(metrics)
    table = with_parts(
        facts.partners,
        [
            _certification_units(facts.certifications, by_source[FactSource.CERTIFICATION], day),
            _customer_units(facts.customers, by_source[FactSource.CUSTOMER], day),
            _deployment_units(facts.deployments, by_source[FactSource.DEPLOYMENT], day),
            _usage_units(facts.usage, by_source[FactSource.USAGE], day),
        ],
    )
    attributes = [name for name in facts.partners.columns if name != "partner_id"]
    return table.select(
        "partner_id",
        *attributes,
        **{_units(m): table[_units(m)].cast(POINTS).fill_null(_ZERO) for m in metrics},
    )


# -- points, tracks and areas (MCPP-2, MCPP-8, MCPP-9) -------------------------------------


def _digits(value: Decimal) -> tuple[int, int]:
    """``value`` as ``(integer, places)``: ``2.14`` → ``(214, 2)``."""
    sign, digits, exponent = value.as_tuple()
    assert isinstance(exponent, int)
    whole = int("".join(map(str, digits)) or "0") * (-1 if sign else 1)
    if exponent >= 0:
        return whole * 10**exponent, 0
    return whole, -exponent


def rule_fraction(rule: ScoreRuleTerms) -> tuple[int, int]:
    """``points / per`` as a reduced fraction of integers ``(numerator, denominator)``:
    ``units × points / per × 10¹⁰ = units × 10¹⁰ × numerator / denominator`` (MCPP-9)."""
    points, points_places = _digits(rule.points)
    per, per_places = _digits(rule.per)
    numerator, denominator = points * 10**per_places, per * 10**points_places
    if denominator < 0:
        numerator, denominator = -numerator, -denominator
    common = gcd(numerator, denominator) or 1
    return numerator // common, denominator // common


def _terminating(numerator: int, denominator: int) -> Decimal | None:
    """``numerator / denominator`` as an exact decimal when it ends (only 2s and 5s
    divide the denominator), else ``None``."""
    rest = denominator
    for prime in (2, 5):
        while rest % prime == 0:
            rest //= prime
    return Decimal(numerator) / Decimal(denominator) if rest == 1 else None


def units_cap(rule: ScoreRuleTerms) -> Decimal | None:
    """A number of units that earns more than ``max_points`` (MCPP-9): ``units`` and
    ``min(units, cap)`` score the same, so units are clipped to it before they are
    multiplied, and no product can overflow. ``None`` for a rule of no points."""
    numerator, denominator = rule_fraction(rule)
    if numerator <= 0:
        return None
    # units × numerator / denominator ≥ max_points + 1 ⇔ units ≥ (max + 1) × den / num
    needed = (rule.max_points + 1) * denominator
    return Decimal(int(needed // numerator) + 1)  # > needed / numerator


_NARROW_DIGITS = 18
"""The widest ``DECIMAL`` a backend computes in 64-bit integers (DuckDB, Spark)."""


def _narrow_types(
    cap: Decimal | None, factor: Decimal, places: int
) -> tuple[dt.Decimal, dt.Decimal] | None:
    """Types for ``clipped units × factor`` whose product fits ``DECIMAL(18, s)``: units
    clipped to ``[0, cap]`` take ``len(str(cap)) + 10`` digits, the factor its own digits,
    and a product of at most 18 digits is computed in 64-bit integers instead of 128-bit
    ones — exact all the same (MCPP-9). ``None`` when it would not fit."""
    if cap is None:
        return None
    units_digits = len(str(int(cap))) + QUOTIENT_PLACES
    _, digits, exponent = factor.as_tuple()
    assert isinstance(exponent, int)
    factor_digits = max(len(digits) + max(exponent, 0), places)
    if units_digits + factor_digits > _NARROW_DIGITS:
        return None
    return dt.Decimal(units_digits, QUOTIENT_PLACES), dt.Decimal(factor_digits, places)


def with_rule_points(units: ir.Table, terms: ScorecardTerms) -> ir.Table:
    """``units`` with every rule's points ``p__<area>__<track>__<position>``:
    ``min(max_points, units × points / per)``, 0 for zero or fewer units (MCPP-9), the
    quotient rounded half-up to 10 decimals when it does not end within them — as
    :meth:`~alliance.domain.scoring.ScoreRuleTerms.points_for`.

    Most rules multiply by a fraction that ends (4 points, 2.14 points, 30 points per
    500 users = × 0.06): one exact product, rounded once to 10 decimals when it has more
    (``DECIMAL(38,10)`` × ``DECIMAL(38,s)``). Only a fraction that does not end (1 point
    per 750 USD) takes the exact integer quotient of :mod:`.exact_quotients`. Units are
    first clipped to :func:`units_cap`, which changes no score and bounds the products."""
    raw: dict[str, ir.Value] = {}
    quotients: dict[str, tuple[ir.Value, ir.Value]] = {}
    rules: dict[str, ScoreRuleTerms] = {}
    nonnegative: set[str] = set()  # products of units clipped to [0, cap]
    for area in terms.areas:
        for t, track in enumerate(area.tracks):
            for j, rule in enumerate(track.rules):
                name = _rule(area, t, j)
                rules[name] = rule
                value: ir.DecimalValue = units[f"u__{rule.metric}"]
                cap = units_cap(rule)
                if cap is not None:
                    value = ibis.least(value, ibis.literal(cap, type=POINTS))
                numerator, denominator = rule_fraction(rule)
                factor = _terminating(numerator, denominator)
                if factor is None:  # 1 per 750: an exact integer quotient, × 10¹⁰
                    quotients[name] = (
                        integer(
                            integer(value * _STEPS)
                            * ibis.literal(Decimal(numerator), type=dt.Decimal(38, 0))
                        ),
                        ibis.literal(Decimal(denominator), type=dt.Decimal(38, 0)),
                    )
                    continue
                places = max(0, -int(factor.as_tuple().exponent))
                narrow = _narrow_types(cap, factor, places)
                if narrow is not None:  # 64-bit decimals: units in [0, cap] × factor
                    units_type, factor_type = narrow
                    value = ibis.greatest(value, _ZERO).cast(units_type)
                    digits = units_type.precision + factor_type.precision
                    product = (value * ibis.literal(factor, type=factor_type)).cast(
                        dt.Decimal(digits, QUOTIENT_PLACES + places)
                    )
                    if places:  # half-up to 10 decimals, one more integer digit for a carry
                        product = product.round(QUOTIENT_PLACES)
                    raw[name] = product.cast(dt.Decimal(digits, QUOTIENT_PLACES))
                    nonnegative.add(name)
                    continue
                product = value * ibis.literal(factor, type=dt.Decimal(38, places))
                raw[name] = (
                    round_half_up(product, QUOTIENT_PLACES) if places else product.cast(POINTS)
                )
    table = units.mutate(**raw)
    if quotients:
        table = with_rounded_quotients(table, quotients)
        table = table.mutate(**{n: (table[n] * _ONE_STEP).cast(POINTS) for n in quotients})
    points = {}
    for name, rule in rules.items():
        type_ = points_type(rule)
        zero = ibis.literal(Decimal(0), type=type_)
        capped = ibis.least(table[name], ibis.literal(rule.max_points, type=type_))
        if type_ != POINTS and name not in nonnegative:
            # the same value (units > 0 earn ≥ 0 points), but no negative product of the
            # other rows can overflow the narrow type, whichever branch a backend computes
            capped = ibis.greatest(capped, zero)
        points[name] = ibis.ifelse(table[f"u__{rule.metric}"] <= _ZERO, zero, capped.cast(type_))
    return table.mutate(**points)


def _narrow(bound: Decimal) -> dt.Decimal:
    """``DECIMAL(p, 10)`` for values in ``[0, bound]``: 64-bit when ``p ≤ 18``."""
    digits = len(str(int(bound))) + QUOTIENT_PLACES
    return dt.Decimal(digits, QUOTIENT_PLACES) if digits <= _NARROW_DIGITS else POINTS


def points_type(rule: ScoreRuleTerms) -> dt.Decimal:
    """The type of a rule's points: they lie in ``[0, max_points]`` when the rule earns
    points for units (MCPP-9), so ``DECIMAL(p, 10)`` with ``p`` just wide enough (64-bit
    arithmetic, far cheaper than ``DECIMAL(38,10)``); :data:`POINTS` otherwise. The
    result tables cast them back to :data:`POINTS`."""
    exponent = rule.max_points.as_tuple().exponent
    if rule_fraction(rule)[0] <= 0 or rule.max_points < 0 or not isinstance(exponent, int):
        return POINTS
    if -exponent > QUOTIENT_PLACES:
        return POINTS
    return _narrow(rule.max_points)


def total_type(track: TrackTerms) -> dt.Decimal:
    """The type of a track's total: the sum of its rules' points (:func:`points_type`)."""
    if any(points_type(rule) == POINTS for rule in track.rules):
        return POINTS
    return _narrow(sum((rule.max_points for rule in track.rules), Decimal(0)))


def _rule(area: AreaTerms, track: int, position: int) -> str:
    return f"p__{area.id}__{track}__{position}"


def _kept(area: AreaTerms) -> str:
    return f"k__{area.id}"


def _total(area: AreaTerms, track: int) -> str:
    return f"t__{area.id}__{track}"


def _positive(area: AreaTerms, track: int) -> str:
    return f"a__{area.id}__{track}"


def _qualifies(area: AreaTerms, track: int) -> str:
    return f"q__{area.id}__{track}"


def scores_expression(units: ir.Table, terms: ScorecardTerms) -> ir.Table:
    """One row per partner: every rule's points, every track's total, "every metric > 0"
    and qualification, and the kept track of every area (``k__<area>``, its index)."""
    scored = with_rule_points(units, terms)
    tracks: dict[str, ir.Value] = {}
    for area in terms.areas:
        for t, track in enumerate(area.tracks):
            type_ = total_type(track)
            zero = ibis.literal(Decimal(0), type=type_)
            rules = [scored[_rule(area, t, j)] for j in range(len(track.rules))]
            total = functools.reduce(operator.add, rules, zero).cast(type_)
            positive = functools.reduce(
                operator.and_, [r > zero for r in rules], ibis.literal(True)
            )
            qualifies = total >= _threshold(area.threshold, type_)
            if terms.every_metric_positive:
                qualifies = qualifies & positive
            tracks[_total(area, t)] = total
            tracks[_positive(area, t)] = positive
            tracks[_qualifies(area, t)] = qualifies
    scored = scored.mutate(**tracks)
    return scored.mutate(**{_kept(area): _kept_track(scored, area) for area in terms.areas})


def _threshold(threshold: Decimal, type_: dt.Decimal) -> ir.DecimalValue:
    """``threshold`` typed as the totals it is compared with, when it fits."""
    scale = type_.scale or 0
    whole = len(str(int(abs(threshold))))
    fits = whole <= (type_.precision or 38) - scale and threshold == round(threshold, scale)
    return ibis.literal(threshold, type=type_ if fits else POINTS)


def _kept_track(scored: ir.Table, area: AreaTerms) -> ir.IntegerValue:
    """The index of the track ``area`` keeps (MCPP-9)."""
    if area.mode is TrackMode.CLASSIFICATION and area.classification is not None:
        rule = area.classification
        index = {track.id: t for t, track in enumerate(area.tracks)}
        value = scored[rule.attribute].fill_null("")
        cases = [(value == v, ibis.literal(index[track])) for v, track in rule.tracks.items()]
        default = ibis.literal(index[rule.default_track])
        return ibis.cases(*cases, else_=default) if cases else default
    best: ir.IntegerValue = ibis.literal(0)
    best_q, best_t = scored[_qualifies(area, 0)], scored[_total(area, 0)]
    for t in range(1, len(area.tracks)):
        q, total = scored[_qualifies(area, t)], scored[_total(area, t)]
        better = (q & ~best_q) | ((q == best_q) & (total > best_t))
        best = ibis.ifelse(better, t, best)
        best_q, best_t = ibis.ifelse(better, q, best_q), ibis.ifelse(better, total, best_t)
    return best


def _pick(scored: ir.Table, area: AreaTerms, column: Mapping[int, str]) -> ir.Value:
    """The value of the kept track's ``column`` (by track index)."""
    names = set(column.values())
    if len(names) == 1:
        return scored[next(iter(names))]
    kept = scored[_kept(area)]
    return ibis.cases(*[(kept == t, scored[name]) for t, name in column.items()])


def picked_expression(scored: ir.Table, terms: ScorecardTerms) -> ir.Table:
    """One row per partner with, per area, the kept track's index (``k__<area>``), total,
    "every metric > 0", qualification, and for each rule position ``j`` of the kept
    track its units and points (``units__<area>__<j>``, ``points__<area>__<j>``; null
    past the track's last rule) — what :func:`scores_table` reshapes into rows."""
    columns: dict[str, ir.Value] = {"partner_id": scored.partner_id}
    for area in terms.areas:
        n = range(len(area.tracks))
        columns[_kept(area)] = scored[_kept(area)].cast(dt.int8)
        columns[f"total__{area.id}"] = _pick(scored, area, {t: _total(area, t) for t in n})
        columns[f"all_positive__{area.id}"] = _pick(
            scored, area, {t: _positive(area, t) for t in n}
        )
        columns[f"qualifies__{area.id}"] = _pick(scored, area, {t: _qualifies(area, t) for t in n})
        for j in range(max(len(track.rules) for track in area.tracks)):
            having = [t for t in n if j < len(area.tracks[t].rules)]
            units = {t: f"u__{area.tracks[t].rules[j].metric}" for t in having}
            points = {t: _rule(area, t, j) for t in having}
            if len(having) < len(area.tracks):  # null for the tracks with fewer rules
                kept = scored[_kept(area)]
                columns[f"units__{area.id}__{j}"] = ibis.cases(
                    *[(kept == t, scored[units[t]]) for t in having]
                )
                columns[f"points__{area.id}__{j}"] = ibis.cases(
                    *[(kept == t, scored[points[t]]) for t in having]
                )
            else:
                columns[f"units__{area.id}__{j}"] = _pick(scored, area, units)
                columns[f"points__{area.id}__{j}"] = _pick(scored, area, points)
    # points and totals are computed in the narrowest exact type; the results are POINTS
    wide = {
        name: value.cast(POINTS) if name.startswith(("total__", "points__")) else value
        for name, value in columns.items()
    }
    return scored.select(**wide)


def scores_table(picked: pa.Table, terms: ScorecardTerms, day: date) -> McppScores:
    """The rows of :func:`picked_expression`'s result: :data:`AREA_COLUMNS` and
    :data:`METRIC_COLUMNS` (a reshaping in Arrow, nothing computed)."""
    partners = picked.column("partner_id")
    size = picked.num_rows
    days = _repeat(day, size, pa.date32())
    area_parts, metric_parts = [], []
    for area in terms.areas:
        kept = picked.column(_kept(area))
        area_ids = _repeat(area.id, size, pa.string())
        track = _labels([t.id for t in area.tracks], kept, size)
        area_parts.append(
            pa.table(
                {
                    "partner_id": partners,
                    "area": area_ids,
                    "day": days,
                    "track": track,
                    "total": picked.column(f"total__{area.id}"),
                    "threshold": _repeat(area.threshold, size, _POINTS_ARROW),
                    "all_positive": picked.column(f"all_positive__{area.id}"),
                    "qualifies": picked.column(f"qualifies__{area.id}"),
                }
            )
        )
        for j in range(max(len(t.rules) for t in area.tracks)):
            metric_ids = [t.rules[j].metric if j < len(t.rules) else None for t in area.tracks]
            part = pa.table(
                {
                    "partner_id": partners,
                    "area": area_ids,
                    "track": track,
                    "position": _repeat(j, size, pa.int32()),
                    "metric": _labels(metric_ids, kept, size),
                    "units": picked.column(f"units__{area.id}__{j}"),
                    "points": picked.column(f"points__{area.id}__{j}"),
                }
            )
            if None in metric_ids:
                part = part.filter(pc.is_valid(part.column("metric")))
            metric_parts.append(part)
    areas = pa.concat_tables(area_parts).select(list(AREA_COLUMNS))
    metrics = pa.concat_tables(metric_parts).select(list(METRIC_COLUMNS))
    return McppScores(areas, metrics)


def _repeat(value: object, size: int, type_: pa.DataType) -> pa.Array:
    if pa.types.is_string(type_) and value is not None:
        # pa.repeat copies a string scalar one row at a time; a dictionary of one entry
        # decoded is ~50× faster for 400,000 rows
        zeros = pa.repeat(pa.scalar(0, pa.int8()), size)
        return pa.DictionaryArray.from_arrays(zeros, pa.array([value], type_)).cast(type_)
    return pa.repeat(pa.scalar(value, type_), size)


def _labels(values: Sequence[str | None], kept: pa.ChunkedArray, size: int) -> pa.Array:
    """``values[kept]`` for every row: the kept track's id or metric (MCPP-9)."""
    if len(set(values)) == 1:
        return _repeat(values[0], size, pa.string())
    return pc.take(pa.array(list(values), pa.string()), kept)


def score_day(
    day: date,
    terms: ScorecardTerms,
    partners: TierFactsSource,
    certifications: TierFactsSource,
    customers: TierFactsSource,
    deployments: TierFactsSource,
    usage: TierFactsSource,
    *,
    backend: BaseBackend | None = None,
) -> McppScores:
    """The scores of every partner of ``partners`` in every area on ``day``: the batch
    twin of :func:`~alliance.domain.scoring.area_scores`, row for row."""
    return score_days(
        [day],
        terms,
        partners,
        certifications,
        customers,
        deployments,
        usage,
        backend=backend,
    )[day]


def score_days(
    days: Iterable[date],
    terms: ScorecardTerms,
    partners: TierFactsSource,
    certifications: TierFactsSource,
    customers: TierFactsSource,
    deployments: TierFactsSource,
    usage: TierFactsSource,
    *,
    backend: BaseBackend | None = None,
) -> dict[date, McppScores]:
    """:func:`score_day` for each of ``days``, on one backend and one read of the facts."""
    backend = backend if backend is not None else duckdb_backend()
    exact_decimal_settings(backend)
    facts = mcpp_facts(backend, terms, partners, certifications, customers, deployments, usage)
    out = {}
    for day in days:
        scored = scores_expression(metric_units(facts, terms, day), terms)
        picked = backend.to_pyarrow(picked_expression(scored, terms))
        out[day] = scores_table(picked, terms, day)
    return out
