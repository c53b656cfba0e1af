"""Metric units: how many customers, people, deployments or growth a partner has on a day
(MCPP-10).

* **Net customer adds** count associations starting minus those ending in the trailing
  window; **deployments** count deployments (or distinct services) in it. The trailing
  window of ``N`` months on day ``d`` runs from the first day of the month ``N - 1``
  months before ``d``'s month to ``d`` itself ("trailing 12 months": this month to date
  and the 11 before it), so facts leave it on the first day of a month.
* **Certifications** count distinct people holding, on ``d``, one of the metric's named
  certifications, neither the person's certification nor the catalogue entry retired.
* **Growth** compares the last full month before ``d``'s month with the same month a
  year earlier: a percentage (``(last - before) / before × 100``, to 10 decimals when it
  does not end: :mod:`.quotients`) or an amount (USD, active users). Without usage a
  year earlier a percentage is not measurable and counts as 0, said so in the note.

Every value lists the facts it counted, so an explanation can name them (X-3).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from alliance.domain.calendar import DateRange, Month
from alliance.domain.scoring.facts import PartnerFacts
from alliance.domain.scoring.quotients import quotient
from alliance.domain.scoring.terms import Aggregation, FactSource, MetricTerms


@dataclass(frozen=True, slots=True)
class MetricValue:
    """``units`` of ``metric`` on ``day``, from the facts named in ``counted``."""

    metric: str
    day: date
    units: Decimal
    counted: tuple[str, ...] = ()
    note: str = ""


def trailing_range(day: date, months: int) -> DateRange:
    """The trailing window of ``months`` months on ``day`` (see the module doc)."""
    first = Month.containing(day).shift(-(months - 1))
    return DateRange(first.start, day)


def metric_value(metric: MetricTerms, facts: PartnerFacts, day: date) -> MetricValue:
    """The units of ``metric`` for ``facts`` on ``day``."""
    reader = _READERS[metric.source]
    return reader(metric, facts, day)


def _certifications(metric: MetricTerms, facts: PartnerFacts, day: date) -> MetricValue:
    catalogue = {c.id: c for c in metric.certifications}
    people: dict[str, str] = {}
    for cert in sorted(facts.certifications, key=lambda c: (c.person_id, c.certification_id)):
        entry = catalogue.get(cert.certification_id)
        if entry is None or not entry.counts_on(day) or not cert.counts_on(day):
            continue
        people.setdefault(cert.person_id, f"{cert.person_id}:{cert.certification_id}")
    if metric.aggregation is Aggregation.COUNT_DISTINCT:
        counted = tuple(people.values())
    else:
        counted = tuple(
            f"{c.person_id}:{c.certification_id}"
            for c in facts.certifications
            if c.certification_id in catalogue
            and catalogue[c.certification_id].counts_on(day)
            and c.counts_on(day)
        )
    return MetricValue(metric.id, day, Decimal(len(counted)), counted)


def _customers(metric: MetricTerms, facts: PartnerFacts, day: date) -> MetricValue:
    window = trailing_range(day, metric.window_months or 12)
    added = [
        c for c in facts.customers if c.area == metric.area and window.contains(c.associated_on)
    ]
    lost = [
        c
        for c in facts.customers
        if c.area == metric.area and c.ended_on is not None and window.contains(c.ended_on)
    ]
    counted = tuple(f"+{c.customer_id}" for c in added) + tuple(f"-{c.customer_id}" for c in lost)
    note = f"{len(added)} added, {len(lost)} lost from {window.start} to {window.end}"
    return MetricValue(metric.id, day, Decimal(len(added) - len(lost)), counted, note)


def _deployments(metric: MetricTerms, facts: PartnerFacts, day: date) -> MetricValue:
    window = trailing_range(day, metric.window_months or 12)
    inside = sorted(
        (d for d in facts.deployments if d.area == metric.area and window.contains(d.deployed_on)),
        key=lambda d: (d.deployed_on, d.deployment_id),
    )
    if metric.aggregation is Aggregation.COUNT_DISTINCT:
        by_service: dict[str, str] = {}
        for d in inside:
            by_service.setdefault(d.service_id or d.deployment_id, d.deployment_id)
        counted = tuple(by_service.values())
    else:
        counted = tuple(d.deployment_id for d in inside)
    return MetricValue(metric.id, day, Decimal(len(counted)), counted)


def _usage(metric: MetricTerms, facts: PartnerFacts, day: date) -> MetricValue:
    last = Month.containing(day).previous()
    before = last.shift(-12)
    measure = metric.measure or "amount"
    now_total = Decimal(0)
    then_total = Decimal(0)
    for record in facts.usage:
        if record.area != metric.area:
            continue
        if record.month == last:
            now_total += record.measure(measure)
        elif record.month == before:
            then_total += record.measure(measure)
    counted = (f"{last}:{now_total}", f"{before}:{then_total}")
    if metric.aggregation is Aggregation.GROWTH_AMOUNT:
        note = f"{measure} {now_total} in {last} vs {then_total} in {before}"
        return MetricValue(metric.id, day, now_total - then_total, counted, note)
    if then_total == 0:
        note = f"no usage in {before}: growth since then is not measurable, counted as 0"
        return MetricValue(metric.id, day, Decimal(0), counted, note)
    growth = quotient((now_total - then_total) * 100, then_total)
    note = f"{measure} {now_total} in {last} vs {then_total} in {before}"
    return MetricValue(metric.id, day, growth, counted, note)


_READERS = {
    FactSource.CERTIFICATION: _certifications,
    FactSource.CUSTOMER: _customers,
    FactSource.DEPLOYMENT: _deployments,
    FactSource.USAGE: _usage,
}


def change_days(
    facts: PartnerFacts, window: DateRange, also: Iterable[date] = ()
) -> tuple[date, ...]:
    """The days of ``window`` on which some metric may change value, first included.

    Metrics are constant between two of these days — fact dates, retirement dates and
    the first day of each month (trailing windows move, growth compares a new month) —
    so checking them is checking every day of the window (MCPP-8).
    """
    days = {window.start, *also}
    month = Month.containing(window.start).next()
    while month.start <= window.end:
        days.add(month.start)
        month = month.next()
    for cert in facts.certifications:
        days.add(cert.earned_on)
        if cert.retired_on is not None:
            days.add(cert.retired_on)
    for customer in facts.customers:
        days.add(customer.associated_on)
        if customer.ended_on is not None:
            days.add(customer.ended_on)
    days.update(d.deployed_on for d in facts.deployments)
    return tuple(sorted(d for d in days if window.contains(d)))
