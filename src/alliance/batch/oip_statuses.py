"""Earned statuses of every member on a day, in the batch engine (OIP-1 … OIP-4).

One Ibis expression computes, for every member of the members table, what the
reference :func:`alliance.domain.statuses.assign_status` computes for it — tests hold
the two equal:

* the **measure** is the revenue of the full months before the member's last evaluation
  date (``months`` of its member type, 6 by default; OIP-3) of the kinds its type counts —
  recurring revenue for Ambassadors, revenue for Operators, in both cases **without
  service-access fees and minutes** (OIP-2); lines of other kinds are summed apart, to
  show what was left out;
* the **status** is the highest whose threshold the monthly average reaches (OIP-4). The
  average is ``total / months``; it is compared as ``total ≥ threshold × months``, which
  is the same comparison without a quotient that may not end (X-1): the exact ``total``
  and ``months`` are returned, the average is theirs to form;
* a line in another currency than the program's, within a member's window, is refused
  as the reference refuses it (X-1, X-7).

**What runs where.** The evaluation dates are decided in Python by the domain
(:func:`~alliance.domain.statuses.last_evaluation`, :func:`~alliance.domain.statuses.
valid_until`): with the calendar anchor one date for everybody, with the membership
anchor one per member (a small table). The revenue sums, the exclusions and the status
are computed here, for every member at once. Duties, benefits and commissions
(OIP-5 … OIP-8) read the status and stay per partner in Python.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import ibis
import ibis.expr.datatypes as dt
import ibis.expr.types as ir
import pyarrow as pa
import pyarrow.compute as pc
from ibis.backends import BaseBackend

from alliance.batch.backends import duckdb_backend, exact_decimal_settings
from alliance.batch.tier_facts import (
    AMOUNT_PLACES,
    MEMBERS_SCHEMA,
    REVENUE_SCHEMA,
    TierFactsSource,
    facts_of,
)
from alliance.domain.errors import InvalidInput
from alliance.domain.facts import RevenueKind
from alliance.domain.statuses import (
    CadenceAnchor,
    EarnedStatusTerms,
    evaluation_months,
    last_evaluation,
    valid_until,
)

TOTAL = dt.Decimal(38, AMOUNT_PLACES)

STATUS_COLUMNS = (
    "partner_id",
    "member_type",
    "evaluated_on",
    "valid_until",
    "status",
    "next_status",
    "counted_total",
    "months",
    "access_fees_excluded",
    "minutes_excluded",
)
"""One row per member: its status, the next one up, and the revenue that decided it."""


def _windows(members: ir.Table, terms: EarnedStatusTerms, as_of: date) -> ir.Table:
    """``members`` with ``evaluated_on``, ``valid_until`` and the window's first and last
    month labels (OIP-3), decided by the domain."""
    types = {m.member_type: m.months for m in terms.measures}
    if terms.anchor is CadenceAnchor.CALENDAR:
        evaluated_on = last_evaluation(as_of, terms)
        until = valid_until(as_of, terms)
        firsts = {t: evaluation_months(evaluated_on, n)[0].label for t, n in types.items()}
        last = evaluation_months(evaluated_on, 1)[0].label
        first = ibis.cases(
            *[(members.member_type == t, ibis.literal(label)) for t, label in firsts.items()]
        )
        return members.mutate(
            evaluated_on=ibis.literal(evaluated_on, type=dt.date),
            valid_until=ibis.literal(until, type=dt.date),
            first_month=first,
            last_month=ibis.literal(last),
            months=ibis.cases(
                *[(members.member_type == t, ibis.literal(n)) for t, n in types.items()]
            ),
        )
    raise InvalidInput(  # pragma: no cover - see windows_table
        "the membership anchor needs the members' windows: use windows_table",
        field="anchor",
        rule="OIP-3",
    )


def windows_table(members: pa.Table, terms: EarnedStatusTerms, as_of: date) -> pa.Table:
    """Per member: ``evaluated_on``, ``valid_until`` and its window's months, decided by
    the domain one member at a time (the membership anchor, OIP-3)."""
    types = {m.member_type: m.months for m in terms.measures}
    rows = members.to_pylist()
    out: dict[str, list[object]] = {
        "w_partner_id": [],
        "evaluated_on": [],
        "valid_until": [],
        "first_month": [],
        "last_month": [],
        "months": [],
    }
    for row in rows:
        since = row["member_since"]
        evaluated_on = last_evaluation(as_of, terms, since)
        months = evaluation_months(evaluated_on, types.get(row["member_type"], 6))
        out["w_partner_id"].append(row["partner_id"])
        out["evaluated_on"].append(evaluated_on)
        out["valid_until"].append(valid_until(as_of, terms, since))
        out["first_month"].append(months[0].label)
        out["last_month"].append(months[-1].label)
        out["months"].append(len(months))
    return pa.table(
        out,
        schema=pa.schema(
            [
                ("w_partner_id", pa.string()),
                ("evaluated_on", pa.date32()),
                ("valid_until", pa.date32()),
                ("first_month", pa.string()),
                ("last_month", pa.string()),
                ("months", pa.int64()),
            ]
        ),
    )


def status_expression(
    members: ir.Table,
    revenue: ir.Table,
    terms: EarnedStatusTerms,
    as_of: date,
    windows: ir.Table | None = None,
) -> ir.Table:
    """:data:`STATUS_COLUMNS` and ``other_currency_lines`` for every member (OIP-2 … OIP-4)."""
    if windows is None:
        framed = _windows(members, terms, as_of)
    else:
        framed = members.join(windows, members.partner_id == windows.w_partner_id).drop(
            "w_partner_id"
        )
    lines = revenue.rename(line_partner_id="partner_id")
    joined = framed.left_join(
        lines,
        [
            framed.partner_id == lines.line_partner_id,
            lines.month >= framed.first_month,
            lines.month <= framed.last_month,
        ],
    )
    counted = ibis.cases(
        *[
            (
                joined.member_type == m.member_type,
                joined.kind.isin(sorted(k.value for k in m.counted)),
            )
            for m in terms.measures
        ],
        else_=ibis.literal(False),
    )
    amount = joined.amount.cast(TOTAL)
    sums = joined.group_by(
        "partner_id", "member_type", "evaluated_on", "valid_until", "months"
    ).aggregate(
        counted_total=amount.sum(where=counted),
        access_fees_excluded=amount.sum(
            where=~counted & (joined.kind == RevenueKind.SERVICE_ACCESS_FEE.value)
        ),
        minutes_excluded=amount.sum(where=~counted & (joined.kind == RevenueKind.MINUTES.value)),
        other_currency_lines=joined.count(where=joined.currency != terms.currency),
    )
    total = sums.counted_total.fill_null(Decimal(0)).cast(TOTAL)
    months = sums.months.cast(dt.Decimal(38, 0))
    reached: list[tuple[ir.BooleanValue, ir.Value]] = []
    above: list[tuple[ir.BooleanValue, ir.Value]] = []
    for member_type in {m.member_type for m in terms.measures}:
        ladder = [s for s in terms.statuses if member_type in s.thresholds]
        if not ladder:
            continue
        mine = sums.member_type == member_type
        for status in reversed(ladder):
            need = ibis.literal(status.thresholds[member_type].amount, type=TOTAL) * months
            reached.append((mine & (total >= need), ibis.literal(status.id)))
        reached.append((mine, ibis.literal(ladder[0].id)))
        for status in ladder:
            need = ibis.literal(status.thresholds[member_type].amount, type=TOTAL) * months
            above.append((mine & (need > total), ibis.literal(status.id)))
    return sums.select(
        "partner_id",
        "member_type",
        "evaluated_on",
        "valid_until",
        status=ibis.cases(*reached, else_=ibis.null(dt.string)),
        next_status=ibis.cases(*above, else_=ibis.null(dt.string)),
        counted_total=total,
        months=sums.months.cast(dt.int64),
        access_fees_excluded=sums.access_fees_excluded.fill_null(Decimal(0)).cast(TOTAL),
        minutes_excluded=sums.minutes_excluded.fill_null(Decimal(0)).cast(TOTAL),
        other_currency_lines=sums.other_currency_lines,
    )


def evaluate_statuses(
    as_of: date,
    terms: EarnedStatusTerms,
    members: TierFactsSource,
    revenue: TierFactsSource,
    *,
    backend: BaseBackend | None = None,
) -> pa.Table:
    """The status every member holds on ``as_of`` (:data:`STATUS_COLUMNS`): the batch
    twin of :func:`~alliance.domain.statuses.assign_status`; :class:`InvalidInput` for a
    member type the terms do not rank, or revenue in another currency (X-1, X-7)."""
    backend = backend if backend is not None else duckdb_backend()
    exact_decimal_settings(backend)
    member_table = facts_of(backend, members, MEMBERS_SCHEMA, "members")
    revenue_table = facts_of(backend, revenue, REVENUE_SCHEMA, "revenue")
    windows = None
    if terms.anchor is not CadenceAnchor.CALENDAR:
        windows = ibis.memtable(windows_table(backend.to_pyarrow(member_table), terms, as_of))
    table = backend.to_pyarrow(
        status_expression(member_table, revenue_table, terms, as_of, windows)
    )
    unknown = table.filter(pc.is_null(table.column("status")))
    if unknown.num_rows:
        kind = unknown.column("member_type")[0].as_py()
        raise InvalidInput(
            f"no status has a threshold for {kind!r}", field="member_type", rule="OIP-4"
        )
    mixed = table.filter(pc.greater(table.column("other_currency_lines"), 0))
    if mixed.num_rows:
        who = mixed.column("partner_id")[0].as_py()
        raise InvalidInput(
            f"{who} has revenue lines in another currency than {terms.currency} "
            f"({mixed.num_rows} members in all)",
            field="amount",
            rule="X-1",
        )
    return table.select(list(STATUS_COLUMNS))
