"""The monthly accrual of customer rewards in the batch engine (OSR-9, OSR-11…OSR-16).

One Ibis expression computes, for every buyer and month, what the reference
:func:`alliance.domain.rewards.accrue_month` computes for it — and property tests hold
the two to the cent:

    amount = round_half_up(Σ eligible (unit net price × quantity) × rate, minor unit)

* each usage line is joined to its subscription and the subscription to its **buyer**, who
  owns the rewards (OSR-9); the eligibility predicates of
  :mod:`alliance.batch.osr_eligibility` decide which lines count;
* line values and their sum are exact ``DECIMAL(38,10)``; the sum is multiplied once by
  the buyer's rate (decided by the domain, :func:`~alliance.batch.osr_facts.
  customer_rates_table`) and rounded **once**, half-up, to the currency's minor unit
  (X-1, :mod:`alliance.batch.exact_decimals`); nothing is capped (OSR-16);
* the accrual is dated on the month's last day and expires at the end of the month
  ``terms.validity_months`` later (OSR-14); its idempotency key is
  ``{program}:accrual:{buyer}:{YYYY-MM}``, the key of
  :func:`~alliance.domain.rewards.accrual_key` (X-5);
* a buyer-month that earns nothing opens no lot, and has no row.

**Bad input is refused, as the reference refuses it (X-7).** A line whose subscription is
unknown or belongs to another customer, a subscription whose buyer has no rate, and a
buyer-month with lines in two currencies (X-1: never converted, never added) are flagged
by the same expression; if any is, :class:`InvalidInput` lists them and nothing is
returned. So is a buyer-month whose sum could leave the exact range. The accrual query
carries one flag for all of these; only when it is set does a second query say which
problems each flagged buyer-month has (bad input is rare; the common path stays lean).
"""

from __future__ import annotations

import functools
import operator
from collections.abc import Iterable, Iterator, Sequence
from datetime import date
from decimal import Decimal

import ibis
import ibis.expr.datatypes as dt
import ibis.expr.types as ir
import pyarrow as pa
import pyarrow.compute as pc
from ibis.backends import BaseBackend

from alliance.batch import exact_decimals as exact
from alliance.batch.backends import UsageSource, duckdb_backend, exact_decimal_settings, usage_lines
from alliance.batch.osr_eligibility import EXCLUSIONS
from alliance.batch.osr_facts import FactsSource, customer_rate_facts, subscription_facts
from alliance.batch.usage_schema import LINE_KINDS
from alliance.domain.calendar import Month
from alliance.domain.errors import InvalidInput, Problem, Problems
from alliance.domain.ledger import OpenLot, Origin
from alliance.domain.money import minor_unit
from alliance.domain.rewards import RewardTerms

OUTPUT_COLUMNS = (
    "buyer_id",
    "month",
    "currency",
    "eligible_consumption",
    "rate",
    "amount",
    "counted_lines",
    "excluded_lines",
    "accrued_on",
    "expires_on",
    "idempotency_key",
)
"""The columns of an accrual table, one row per buyer-month that earns."""

_FLAGS = (
    "stray_lines",
    "odd_lines",
    "unknown_buyer",
    "mixed_currencies",
    "beyond_exact_range",
)
ORDER_RULES = frozenset(
    {"order_type", "on_premises_support", "country", "sector", "enrolled", "paas_conversion"}
)
"""The exclusions of :data:`~alliance.batch.osr_eligibility.EXCLUSIONS` that read only
the subscription and its buyer (OSR-2, OSR-3, OSR-4, OSR-6): decided once per
subscription. The others (OSR-2 free tier, OSR-4 months after an opt-out, OSR-7, OSR-13,
OSR-15) read the line. Every exclusion is applied, either way (OSR-5, OSR-8: nothing
else is); a rule put here by mistake would read a line column the subscriptions do not
have and fail to compile, never silently change a result."""

_SHOWN = 5  # problems listed per kind; the message counts the rest


def accrual_expression(
    usage: ir.Table,
    subscriptions: ir.Table,
    customers: ir.Table,
    terms: RewardTerms,
    months: Sequence[Month] | None = None,
    *,
    detailed: bool = True,
) -> ir.Table:
    """The accrual of every buyer-month of ``usage`` (of ``months`` only, when given):
    :data:`OUTPUT_COLUMNS` and, for the bad input (X-7), a row for every buyer-month that
    earns or has bad input.

    ``detailed`` adds ``other_currency`` and one boolean column per kind of bad input, for
    the messages; without it there is one ``bad_input`` column, from one count of the
    suspect lines instead of three — the fast path, for input that is almost always good
    (:func:`accrue_months_batch` asks for the details only when a row is bad)."""
    lines = usage
    if months is not None:
        labels = sorted({m.label for m in months})
        lines = usage.filter(
            usage.month == labels[0] if len(labels) == 1 else usage.month.isin(labels)
        )
    subs = subscriptions.select(
        sub_id=subscriptions.subscription_id,
        sub_customer_id=subscriptions.customer_id,
        buyer_id=subscriptions.buyer_id,
        order_type=subscriptions.order_type,
        country=subscriptions.country,
        sector=subscriptions.sector,
        enrolled=subscriptions.enrolled,
        has_paas_conversion_right=subscriptions.has_paas_conversion_right,
        first_month=subscriptions.service_start.strftime("%Y-%m"),
        last_month=subscriptions.service_end.strftime("%Y-%m"),
        opted_out_month=subscriptions.opted_out_on.strftime("%Y-%m"),
    )
    buyers = customers.select(
        rated_buyer_id=customers.customer_id,
        has_on_premises_support=customers.has_on_premises_support,
        rate=customers.rate,
    )
    subs = subs.left_join(buyers, subs.buyer_id == buyers.rated_buyer_id)
    # The rules about the order and its buyer are decided once per subscription, not once
    # per line; those about the line (and its month) per line. ¬(a ∨ b) = ¬a ∧ ¬b holds
    # with NULLs too, so the split changes nothing (a stray line earns NULL: nothing).
    subs = subs.mutate(order_earns=~_any_exclusion(subs, terms, ORDER_RULES))
    joined = lines.left_join(subs, lines.subscription_id == subs.sub_id)
    line_rules = [name for name in EXCLUSIONS if name not in ORDER_RULES]
    line = joined.mutate(earns=joined.order_earns & ~_any_exclusion(joined, terms, line_rules))
    value = exact.line_value(line.quantity, line.unit_net_price)
    # lines without a subscription, or under another customer's subscription
    stray = line.sub_customer_id.isnull() | (line.sub_customer_id != line.customer_id)
    odd = (line.quantity < 0) | (line.unit_net_price < 0) | ~line.line_kind.isin(list(LINE_KINDS))
    huge = exact.beyond_exact_range(value)
    checks = (
        {
            "stray_lines": line.count(where=stray),
            "odd_lines": line.count(where=odd),
            "huge_lines": line.count(where=huge),
        }
        if detailed
        else {"suspect_lines": line.count(where=stray | odd | huge)}
    )
    groups = line.group_by("buyer_id", "month").aggregate(
        currency=line.currency.min(),
        other_currency=line.currency.max(),
        consumption=value.sum(where=line.earns),
        counted_lines=line.count(where=line.earns),
        all_lines=line.count(),
        rate=line.rate.arbitrary(),
        **checks,
    )
    earned = exact.times_rate(groups.consumption.fill_null(exact.ZERO), groups.rate)
    bad = _bad_input(groups) if detailed else {"bad_input": _any_bad_input(groups)}
    any_bad = functools.reduce(operator.or_, bad.values())
    # amount > 0, without rounding every buyer-month twice
    kept = groups.filter(exact.at_least_half_a_step(earned, groups.currency) | any_bad)
    consumption = kept.consumption.fill_null(exact.ZERO)
    # A malformed month gets no dates, and is refused after the query.
    month_start = (kept.month + "-01").try_cast(dt.date)
    details = (
        {"other_currency": kept.other_currency, **_bad_input(kept)}
        if detailed
        else {"bad_input": _any_bad_input(kept)}
    )
    return kept.select(
        buyer_id=kept.buyer_id,
        month=kept.month,
        currency=kept.currency,
        eligible_consumption=consumption,
        rate=kept.rate,
        amount=exact.round_to_minor_unit(exact.times_rate(consumption, kept.rate), kept.currency),
        counted_lines=kept.counted_lines.cast(dt.int64),
        excluded_lines=(kept.all_lines - kept.counted_lines).cast(dt.int64),
        accrued_on=(month_start + ibis.interval(months=1)) - ibis.interval(days=1),
        expires_on=(month_start + ibis.interval(months=terms.validity_months + 1))
        - ibis.interval(days=1),
        idempotency_key=ibis.literal(f"{terms.program}:accrual:")
        + kept.buyer_id
        + ":"
        + kept.month,
        **details,
    )


def _any_exclusion(table: ir.Table, terms: RewardTerms, names: Iterable[str]) -> ir.BooleanValue:
    """Whether any of the exclusions ``names`` of :data:`EXCLUSIONS` applies to a row."""
    return functools.reduce(operator.or_, [EXCLUSIONS[name](table, terms) for name in names])


def _bad_input(groups: ir.Table) -> dict[str, ir.BooleanValue]:
    """One flag per kind of bad input of a buyer-month (X-7), never NULL."""
    flags = {
        "stray_lines": groups.stray_lines > 0,
        "odd_lines": groups.odd_lines > 0,
        **_buyer_month_flags(groups),
        "beyond_exact_range": exact.sum_could_overflow(groups.all_lines, groups.huge_lines),
    }
    return {name: flag.fill_null(False) for name, flag in flags.items()}


def _any_bad_input(groups: ir.Table) -> ir.BooleanValue:
    """Whether a buyer-month has bad input of any kind (X-7), never NULL: the flags of
    :func:`_bad_input` in one, from the count of its suspect lines — stray, odd or huge."""
    flags = [
        groups.suspect_lines > 0,
        *_buyer_month_flags(groups).values(),
        groups.all_lines >= exact.LINES_LIMIT,  # huge lines are among the suspect
    ]
    return functools.reduce(operator.or_, [flag.fill_null(False) for flag in flags])


def _buyer_month_flags(groups: ir.Table) -> dict[str, ir.BooleanValue]:
    """The bad input seen in a buyer-month's aggregates rather than in one line."""
    return {
        "unknown_buyer": groups.buyer_id.notnull() & groups.rate.isnull(),
        "mixed_currencies": groups.currency != groups.other_currency,
    }


def accrue_months_batch(
    months: Sequence[Month] | None,
    usage: UsageSource,
    subscriptions: FactsSource,
    customers: FactsSource,
    terms: RewardTerms,
    *,
    backend: BaseBackend | None = None,
) -> pa.Table:
    """The accruals of ``months`` (every month of ``usage`` when ``None``), one row per
    buyer-month that earns, with :data:`OUTPUT_COLUMNS`, in no particular order; or
    :class:`InvalidInput` listing every bad buyer-month (nothing is returned then).

    ``usage``, ``subscriptions`` and ``customers`` are Arrow tables or Parquet files (read
    where they are); ``customers`` is made by
    :func:`~alliance.batch.osr_facts.customer_rates_table`. ``amount`` has the decimals of
    the widest minor unit among the currencies present (2 for USD),
    ``eligible_consumption`` 10. The default backend is a new in-memory DuckDB
    connection."""
    backend = backend if backend is not None else duckdb_backend()
    exact_decimal_settings(backend)
    facts = (
        usage_lines(backend, usage),
        subscription_facts(backend, subscriptions),
        customer_rate_facts(backend, customers),
    )
    table = backend.to_pyarrow(accrual_expression(*facts, terms, months, detailed=False))
    if pc.any(table.column("bad_input")).as_py():
        # the same buyer-months again, with what is wrong with each
        detailed = accrual_expression(*facts, terms, months)
        flagged = functools.reduce(operator.or_, [detailed[flag] for flag in _FLAGS])
        _refuse_bad_input(backend.to_pyarrow(detailed.filter(flagged)), months)
    _refuse_malformed_months(table)
    return _narrowed(table.select(list(OUTPUT_COLUMNS)))


def accrue_month_batch(
    month: Month,
    usage: UsageSource,
    subscriptions: FactsSource,
    customers: FactsSource,
    terms: RewardTerms,
    *,
    backend: BaseBackend | None = None,
) -> pa.Table:
    """The accruals of ``month``: the batch twin of
    :func:`~alliance.domain.rewards.accrue_month` — its earning accruals, row for row."""
    return accrue_months_batch([month], usage, subscriptions, customers, terms, backend=backend)


def open_lot_commands(accruals: pa.Table, terms: RewardTerms) -> Iterator[OpenLot]:
    """The ledger commands that open the lots of ``accruals`` — each equal to the one
    :meth:`~alliance.domain.rewards.Accrual.open_lot` gives for the same accrual — for the
    service layer to post with ``accrue_many``."""
    for row in accruals.select(list(OUTPUT_COLUMNS)).to_pylist():
        key: str = row["idempotency_key"]
        currency: str = row["currency"]
        amount: Decimal = row["amount"]
        accrued_on: date = row["accrued_on"]
        expires_on: date = row["expires_on"]
        yield OpenLot(
            idempotency_key=key,
            owner=row["buyer_id"],
            wallet=terms.wallet,
            unit=currency,
            amount=amount.quantize(Decimal(1).scaleb(-minor_unit(currency))),
            accrued_on=accrued_on,
            expires_on=expires_on,
            origin=Origin(program=terms.program, source_event=key),
            memo=f"rewards on eligible consumption of {row['month']}",
        )


def _refuse_bad_input(table: pa.Table, months: Sequence[Month] | None) -> None:
    """X-7: the bad buyer-months of ``table``, as the reference reports them."""
    when = ", ".join(sorted(m.label for m in months)) if months else "every month"
    problems = Problems()
    for flag in _FLAGS:
        bad = table.filter(table.column(flag))
        for row in bad.slice(0, _SHOWN).to_pylist():
            problems.add(_problem(flag, row))
        if bad.num_rows > _SHOWN:
            problems.add(
                Problem(f"and {bad.num_rows - _SHOWN} more buyer-months", field=_FIELDS[flag])
            )
    problems.raise_if_any(f"cannot accrue rewards for {when}")


def _refuse_malformed_months(table: pa.Table) -> None:
    """X-2, X-7: a month that is not ``YYYY-MM`` (the usage import refuses those first)."""
    months = table.column("month")
    malformed = pc.or_(
        pc.is_null(table.column("accrued_on")), pc.not_equal(pc.utf8_length(months), 7)
    )
    if pc.any(malformed).as_py():
        example = months.filter(malformed)[0].as_py()
        raise InvalidInput(
            f"a month is written YYYY-MM, such as 2026-11; got {example!r}",
            field="month",
            rule="X-2",
        )


_FIELDS = {
    "stray_lines": "subscription_id",
    "odd_lines": "quantity",
    "unknown_buyer": "buyer_id",
    "mixed_currencies": "currency",
    "beyond_exact_range": "quantity",
}


def _problem(flag: str, row: dict[str, object]) -> Problem:
    """The problem ``flag`` of the buyer-month ``row``, worded as the reference's."""
    buyer, month = row["buyer_id"], row["month"]
    whose = f"{buyer}, {month}" if buyer is not None else f"{month}"
    messages: dict[str, tuple[str, str | None]] = {
        "stray_lines": (
            f"{whose}: usage lines of an unknown subscription, or of another customer's",
            None,
        ),
        "odd_lines": (
            f"{whose}: usage lines with a negative quantity or price, or a line kind "
            "other than regular and overage",
            "X-7",
        ),
        "unknown_buyer": (f"unknown buyer {buyer}", "OSR-9"),
        "mixed_currencies": (
            f"{buyer} has {month} consumption in {row['currency']} and "
            f"{row['other_currency']}; a customer-month accrues in one currency, "
            "never converted or mixed",
            "X-1",
        ),
        "beyond_exact_range": (
            f"{whose}: a line of {exact.LINE_LIMIT:.0e} or more, or {exact.LINES_LIMIT:.0e} lines, "
            "beyond exact batch arithmetic",
            "X-1",
        ),
    }
    message, rule = messages[flag]
    return Problem(message, field=_FIELDS[flag], rule=rule)


def _narrowed(table: pa.Table) -> pa.Table:
    """``amount`` with the decimals of the widest minor unit among its currencies."""
    currencies = pc.unique(table.column("currency")).to_pylist()
    places = max((minor_unit(c) for c in currencies if c is not None), default=2)
    index = table.schema.get_field_index("amount")
    return table.set_column(index, "amount", table.column("amount").cast(pa.decimal128(38, places)))
