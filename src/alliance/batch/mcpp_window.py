"""The 6-month qualification window of many partners at once, in the batch engine (MCPP-8).

:func:`alliance.domain.scoring.qualify` scores one partner on the days its score can
change (:func:`~alliance.domain.scoring.change_days`: the window's first day, each month's
first day, its fact and retirement dates). Here the same is done for a set of partners
with :func:`~alliance.batch.mcpp_scores.score_days`, on the **union** of their change
days. That is exact, not an approximation: a partner's scores are constant between two of
its own change days, and the union holds every one of them, so

* the first union day on which an area qualifies is the partner's first qualifying change
  day (the union day before it did not qualify, and the partner's own change day that
  starts the run lies between the two: it is that union day);
* the run that qualifies last ends the day before the next union day that does not
  qualify — which is the partner's next change day — or on the window's last day.

The result has one row per partner and area: ``first_day`` and ``last_day`` of the days
that qualify (null: none in the window), as ``qualify`` gives them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import date

import pyarrow as pa
import pyarrow.compute as pc
from ibis.backends import BaseBackend

from alliance.batch.mcpp_scores import score_days
from alliance.domain.calendar import DateRange, Month, days_before
from alliance.domain.scoring import ScorecardTerms

WINDOW_COLUMNS = ("partner_id", "area", "first_day", "last_day", "days_scored")

#: Days scored per call of :func:`score_days` (bounds the memory of one call).
DAYS_PER_CALL = 16


def retirement_days(terms: ScorecardTerms) -> tuple[date, ...]:
    """The days catalogue certifications retire on (a score may change then; MCPP-10)."""
    return tuple(
        sorted(
            {
                c.retires_on
                for metric in terms.metrics.values()
                for c in metric.certifications
                if c.retires_on is not None
            }
        )
    )


def union_change_days(
    window: DateRange,
    certifications: pa.Table,
    customers: pa.Table,
    deployments: pa.Table,
    also: Iterable[date] = (),
) -> tuple[date, ...]:
    """Every day of ``window`` on which a score of a partner of the facts may change: the
    window's first day, the first of each month, fact and retirement dates (MCPP-8)."""
    days = {window.start, *also}
    month = Month.containing(window.start).next()
    while month.start <= window.end:
        days.add(month.start)
        month = month.next()
    columns = (
        (certifications, "earned_on"),
        (certifications, "retired_on"),
        (customers, "associated_on"),
        (customers, "ended_on"),
        (deployments, "deployed_on"),
    )
    for table, name in columns:
        column = table.column(name)
        inside = pc.and_(
            pc.greater_equal(column, pa.scalar(window.start, pa.date32())),
            pc.less_equal(column, pa.scalar(window.end, pa.date32())),
        )
        days.update(d for d in pc.unique(pc.filter(column, inside)).to_pylist() if d is not None)
    return tuple(sorted(d for d in days if window.contains(d)))


def only(table: pa.Table, partner_ids: pa.Array) -> pa.Table:
    """The rows of ``table`` whose ``partner_id`` is one of ``partner_ids``."""
    return table.filter(pc.is_in(table.column("partner_id"), value_set=partner_ids))


def window_qualification(
    window: DateRange,
    terms: ScorecardTerms,
    partners: pa.Table,
    certifications: pa.Table,
    customers: pa.Table,
    deployments: pa.Table,
    usage: pa.Table,
    *,
    backend: BaseBackend | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> pa.Table:
    """For every partner of ``partners`` and every area: the first and last day of
    ``window`` on which it qualifies (:data:`WINDOW_COLUMNS`; MCPP-8) — the batch twin of
    :func:`~alliance.domain.scoring.qualify` for many partners."""
    ids = partners.column("partner_id").combine_chunks()
    facts = [only(t, ids) for t in (certifications, customers, deployments, usage)]
    days = union_change_days(window, facts[0], facts[1], facts[2], retirement_days(terms))
    first: pa.Array | None = None
    last: pa.Array | None = None
    keys: pa.Table | None = None
    for start in range(0, len(days), DAYS_PER_CALL):
        chunk = days[start : start + DAYS_PER_CALL]
        scored = score_days(chunk, terms, partners, *facts, backend=backend)
        for index, day in enumerate(chunk):
            position = start + index
            end = days_before(days[position + 1], 1) if position + 1 < len(days) else window.end
            areas = scored[day].areas.sort_by([("partner_id", "ascending"), ("area", "ascending")])
            if keys is None:
                keys = areas.select(["partner_id", "area"])
                nothing = pa.nulls(areas.num_rows, pa.date32())
                first, last = nothing, nothing
            qualifies = pc.fill_null(areas.column("qualifies"), False).combine_chunks()
            day_value = pa.scalar(day, pa.date32())
            end_value = pa.scalar(end, pa.date32())
            assert first is not None and last is not None
            first = pc.if_else(pc.and_(pc.is_null(first), qualifies), day_value, first)
            last = pc.if_else(qualifies, end_value, last)
        if progress is not None:
            progress(min(start + DAYS_PER_CALL, len(days)), len(days))
    if keys is None:
        return pa.table(
            {
                "partner_id": pa.array([], pa.string()),
                "area": pa.array([], pa.string()),
                "first_day": pa.array([], pa.date32()),
                "last_day": pa.array([], pa.date32()),
                "days_scored": pa.array([], pa.int64()),
            }
        )
    return (
        keys.append_column("first_day", first)
        .append_column("last_day", last)
        .append_column("days_scored", pa.repeat(pa.scalar(len(days), pa.int64()), keys.num_rows))
    )
