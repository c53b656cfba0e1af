"""Which partner-areas *may* have qualified on some day of a 6-month window, in one Ibis
pass (MCPP-8, MCPP-9, MCPP-10) — the pruning of the window replay.

An area is qualified when it qualified on **any** day of the window (MCPP-8), and finding
out replays the partner's change days (:func:`alliance.domain.scoring.qualify`, or
:mod:`alliance.batch.mcpp_window`). Most partners are nowhere near the threshold: for
them an **upper bound** of every metric's units over the whole window settles it.

**Units bounds** (``window = [start, end]``; each is ≥ the units on every day ``d`` of it):

* *certifications* — the people (or, for a plain count, the certification rows) holding a
  counting certification on at least one day of the window: ``earned_on ≤ end`` and
  (``retired_on`` null or ``> start``), its catalogue entry not retired by ``start``
  (``retires_on`` null or ``> start``). On ``d`` a counted row has ``earned_on ≤ d ≤ end``
  and ``retired_on > d ≥ start`` and its catalogue entry ``retires_on > d ≥ start``: the
  rows counted on ``d`` are a subset of these, and so are their distinct people;
* *net customer adds* — the associations starting in ``[T(start).start, end]``, ``T`` the
  metric's trailing window: on ``d`` the units are ``added − lost ≤ added`` (losses only
  lower them), and ``T(d) = [Month(d) − (N−1) months, d] ⊆ [T(start).start, end]``
  since ``Month(d) ≥ Month(start)`` and ``d ≤ end``;
* *deployments* — the deployments (or distinct services) in ``[T(start).start, end]``:
  the same containment, and counting (distinct or not) is monotone in the set counted;
* *usage growth* — the maximum over the window's months ``m`` of the growth of
  ``m − 1`` over ``m − 13``: on ``d`` the units are exactly that growth for
  ``m = Month(d)``, one of the months maximised over (0 when the year-earlier usage is
  0, as the reference counts it).

**Points bounds.** A rule's points ``min(max, units × points / per)`` (0 for units ≤ 0)
are non-decreasing in the units when ``points / per > 0``, so the units bound gives the
rule's points bound, and the sum of them bounds the track's total; a rule of no positive
points per unit never earns more than 0. A rule can only score above 0 if its units bound
and ``points / per`` and ``max_points`` are all above 0 — "every metric > 0" (MCPP-8) is
impossible on every day when one of them is not.

The bounds are computed in ``DOUBLE`` with margins that cover every rounding: the decimal
sums of usage are exact before they are converted; each float step errs by at most a few
units in 10⁻¹⁶ relative, while the margins are 10⁻¹² relative plus 10⁻⁹ absolute per
value (the reference rounds quotients to 10⁻¹⁰), and the total is compared with the
threshold less 10⁻⁶. Margins only make a bound larger — they can keep a partner in the
replay, never drop one that qualifies.

:func:`window_bounds` returns one row per partner and area: ``may_qualify`` — false
means the area did not qualify on any day of the window, proven without a replay.
"""

from __future__ import annotations

import functools
import operator
from collections.abc import Sequence
from datetime import date

import ibis
import ibis.expr.datatypes as dt
import ibis.expr.types as ir
import pyarrow as pa
from ibis.backends import BaseBackend

from alliance.batch.backends import duckdb_backend, exact_decimal_settings
from alliance.batch.mcpp_scores import (
    McppFacts,
    mcpp_facts,
    metrics_by_source,
    rule_fraction,
    scored_metrics,
    with_parts,
)
from alliance.batch.tier_facts import AMOUNT_PLACES, TierFactsSource
from alliance.domain.calendar import DateRange, Month
from alliance.domain.scoring import (
    Aggregation,
    FactSource,
    MetricTerms,
    ScorecardTerms,
    trailing_range,
)

BOUND_COLUMNS = ("partner_id", "area", "may_qualify")
"""One row per partner and area: whether the area may have qualified in the window."""

RELATIVE_MARGIN = 1e-12
ABSOLUTE_MARGIN = 1e-9
TOTAL_MARGIN = 1e-6

_FLOAT = dt.float64
_ZERO = ibis.literal(0.0, type=_FLOAT)


def _ub(metric: MetricTerms) -> str:
    return f"b__{metric.id}"


def _in(column: ir.DateValue, start: date, end: date) -> ir.BooleanValue:
    return (column >= start) & (column <= end)


def _earliest(metric: MetricTerms, window: DateRange) -> date:
    """The first day of the trailing window of ``window.start`` (MCPP-10)."""
    return trailing_range(window.start, metric.window_months or 12).start


def _certification_bounds(
    certifications: ir.Table, metrics: Sequence[MetricTerms], window: DateRange
) -> ir.Table | None:
    if not metrics:
        return None
    counting = {
        m.id: sorted(
            c.id for c in m.certifications if c.retires_on is None or c.retires_on > window.start
        )
        for m in metrics
    }
    every = sorted({i for ids in counting.values() for i in ids})
    held = certifications.filter(
        certifications.earned_on <= window.end,
        certifications.retired_on.isnull() | (certifications.retired_on > window.start),
        certifications.certification_id.isin(every or [""]),
    )
    columns: dict[str, ir.Value] = {}
    for metric in metrics:
        ids = counting[metric.id]
        if not ids:
            columns[_ub(metric)] = ibis.literal(0, type=dt.int64)
            continue
        counts = held.certification_id.isin(ids)
        if metric.aggregation is Aggregation.COUNT_DISTINCT:
            columns[_ub(metric)] = held.person_id.nunique(where=counts)
        else:
            columns[_ub(metric)] = held.count(where=counts)
    return held.group_by("partner_id").aggregate(**columns)


def _customer_bounds(
    customers: ir.Table, metrics: Sequence[MetricTerms], window: DateRange
) -> ir.Table | None:
    if not metrics:
        return None
    earliest = min(_earliest(m, window) for m in metrics)
    near = customers.filter(_in(customers.associated_on, earliest, window.end))
    columns: dict[str, ir.Value] = {}
    for metric in metrics:
        if metric.area is None:
            columns[_ub(metric)] = ibis.literal(0, type=dt.int64)
            continue
        here = (near.area == metric.area) & (near.associated_on >= _earliest(metric, window))
        columns[_ub(metric)] = near.count(where=here)  # adds only: losses lower the units
    return near.group_by("partner_id").aggregate(**columns)


def _deployment_bounds(
    deployments: ir.Table, metrics: Sequence[MetricTerms], window: DateRange
) -> ir.Table | None:
    if not metrics:
        return None
    earliest = min(_earliest(m, window) for m in metrics)
    near = deployments.filter(_in(deployments.deployed_on, earliest, window.end))
    service = ibis.ifelse(near.service_id == "", near.deployment_id, near.service_id)
    columns: dict[str, ir.Value] = {}
    for metric in metrics:
        if metric.area is None:
            columns[_ub(metric)] = ibis.literal(0, type=dt.int64)
            continue
        here = (near.area == metric.area) & (near.deployed_on >= _earliest(metric, window))
        if metric.aggregation is Aggregation.COUNT_DISTINCT:
            columns[_ub(metric)] = service.nunique(where=here)
        else:
            columns[_ub(metric)] = near.count(where=here)
    return near.group_by("partner_id").aggregate(**columns)


def window_months(window: DateRange) -> tuple[Month, ...]:
    """The months of the days of ``window``, first to last."""
    months, month = [], Month.containing(window.start)
    while month.start <= window.end:
        months.append(month)
        month = month.next()
    return tuple(months)


def _usage_bounds(
    usage: ir.Table, metrics: Sequence[MetricTerms], window: DateRange
) -> ir.Table | None:
    if not metrics:
        return None
    compared = [(m.previous(), m.previous().shift(-12)) for m in window_months(window)]
    labels = sorted({month.label for pair in compared for month in pair})
    near = usage.filter(usage.month.isin(labels))
    decimal = dt.Decimal(38, AMOUNT_PLACES)
    sums: dict[str, ir.Value] = {}
    for metric in metrics:
        measure = near.active_users if metric.measure == "active_users" else near.amount
        here = near.area == (metric.area or "")
        for label in labels:  # exact decimal sums, per month
            sums[f"s__{metric.id}__{label}"] = measure.cast(decimal).sum(
                where=here & (near.month == label)
            )
    totals = near.group_by("partner_id").aggregate(**sums)
    columns: dict[str, ir.Value] = {}
    for metric in metrics:
        growths = []
        for now_month, then_month in compared:
            now = totals[f"s__{metric.id}__{now_month.label}"].fill_null(0).cast(_FLOAT)
            then = totals[f"s__{metric.id}__{then_month.label}"].fill_null(0).cast(_FLOAT)
            size = now.abs() + then.abs()
            if metric.aggregation is Aggregation.GROWTH_AMOUNT:
                growth = now - then + size * RELATIVE_MARGIN + ABSOLUTE_MARGIN
            else:
                divisor = ibis.ifelse(then == 0, 1.0, then.abs())
                raw = (now - then) * 100.0 / divisor
                margin = size * 100.0 / divisor * RELATIVE_MARGIN + ABSOLUTE_MARGIN
                growth = ibis.ifelse(then == 0, _ZERO, raw + margin)
            growths.append(growth)
        columns[_ub(metric)] = ibis.greatest(*growths) if len(growths) > 1 else growths[0]
    return totals.select("partner_id", **columns)


def units_bounds(facts: McppFacts, terms: ScorecardTerms, window: DateRange) -> ir.Table:
    """One row per partner: its attributes and a bound ``b__<metric>`` (``DOUBLE``) of every
    scored metric's units on every day of ``window`` (see the module doc)."""
    metrics = scored_metrics(terms)
    by_source = metrics_by_source(metrics)
    table = with_parts(
        facts.partners,
        [
            _certification_bounds(
                facts.certifications, by_source[FactSource.CERTIFICATION], window
            ),
            _customer_bounds(facts.customers, by_source[FactSource.CUSTOMER], window),
            _deployment_bounds(facts.deployments, by_source[FactSource.DEPLOYMENT], window),
            _usage_bounds(facts.usage, by_source[FactSource.USAGE], window),
        ],
    )
    return table.select(
        "partner_id",
        **{_ub(m): table[_ub(m)].cast(_FLOAT).fill_null(_ZERO) for m in metrics},
    )


def bounds_expression(bounds: ir.Table, terms: ScorecardTerms) -> ir.Table:
    """One row per partner: per rule its points bound, per track its total bound and
    whether every metric may be above 0, and per area ``m__<area>`` (may qualify)."""
    columns: dict[str, ir.Value] = {"partner_id": bounds.partner_id}
    for area in terms.areas:
        possible = []
        for track in area.tracks:
            points, positive = [], []
            for rule in track.rules:
                units = bounds[_ub(terms.metric(rule.metric))]
                numerator, denominator = rule_fraction(rule)
                if numerator <= 0:  # no positive points per unit: never above 0
                    points.append(_ZERO)
                    positive.append(ibis.literal(False))
                    continue
                factor = numerator / denominator
                cap = float(rule.max_points) + ABSOLUTE_MARGIN
                raw = units * factor * (1 + RELATIVE_MARGIN) + ABSOLUTE_MARGIN
                bound = ibis.greatest(_ZERO, ibis.least(cap, raw))
                points.append(ibis.ifelse(units > 0, bound, _ZERO))
                positive.append((units > 0) & ibis.literal(rule.max_points > 0))
            total = functools.reduce(operator.add, points, _ZERO)
            may = total >= float(area.threshold) - TOTAL_MARGIN
            if terms.every_metric_positive:
                may = may & functools.reduce(operator.and_, positive, ibis.literal(True))
            possible.append(may)
        columns[f"m__{area.id}"] = functools.reduce(operator.or_, possible, ibis.literal(False))
    return bounds.select(**columns)


def window_bounds(
    window: DateRange,
    terms: ScorecardTerms,
    partners: TierFactsSource,
    certifications: TierFactsSource,
    customers: TierFactsSource,
    deployments: TierFactsSource,
    usage: TierFactsSource,
    *,
    backend: BaseBackend | None = None,
) -> pa.Table:
    """:data:`BOUND_COLUMNS` for every partner of ``partners`` and every area of the terms:
    ``may_qualify`` false proves the area qualified on no day of ``window`` (MCPP-8)."""
    backend = backend if backend is not None else duckdb_backend()
    exact_decimal_settings(backend)
    facts = mcpp_facts(backend, terms, partners, certifications, customers, deployments, usage)
    picked = backend.to_pyarrow(bounds_expression(units_bounds(facts, terms, window), terms))
    parts = []
    size = picked.num_rows
    for area in terms.areas:
        parts.append(
            pa.table(
                {
                    "partner_id": picked.column("partner_id"),
                    "area": pa.array([area.id] * size, pa.string()),
                    "may_qualify": picked.column(f"m__{area.id}"),
                }
            )
        )
    if not parts:
        return pa.table({n: pa.array([], pa.string()) for n in BOUND_COLUMNS[:2]}).append_column(
            "may_qualify", pa.array([], pa.bool_())
        )
    return pa.concat_tables(parts)
