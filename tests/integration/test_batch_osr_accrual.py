"""The batch accrual on DuckDB agrees with the reference ``accrue_month`` to the cent
(OSR-2…OSR-16, X-1, X-5, X-7)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from batch_osr_builders import (
    DEC_2021,
    TERMS,
    Outcome,
    batch,
    customer,
    line,
    problem_rules,
    reference,
    subscription,
)
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from ibis.backends import BaseBackend

from alliance.batch.backends import duckdb_backend
from alliance.batch.osr_accrual import ORDER_RULES, accrue_month_batch, open_lot_commands
from alliance.batch.osr_eligibility import EXCLUSIONS as BATCH_EXCLUSIONS
from alliance.batch.osr_facts import customer_rates_table, subscriptions_table, usage_table
from alliance.batch.usage_schema import USAGE_SCHEMA
from alliance.domain.calendar import DateRange, Month
from alliance.domain.errors import InvalidInput
from alliance.domain.rewards import (
    EXCLUSIONS,
    Customer,
    LineKind,
    OrderType,
    OveragePolicy,
    RewardTerms,
    Sector,
    Subscription,
    UsageLine,
    accrue_month,
    exact,
)


@pytest.fixture(scope="module")
def duckdb() -> Iterator[BaseBackend]:
    """One connection for the module: the property test runs hundreds of accruals."""
    connection = duckdb_backend(threads=1)
    yield connection
    connection.disconnect()


def both(
    duckdb: BaseBackend,
    lines: list[UsageLine],
    subs: list[Subscription] | None = None,
    customers: list[Customer] | None = None,
    terms: RewardTerms = TERMS,
    months: list[Month] | None = None,
) -> Outcome:
    """The lots of both engines, asserted equal; the reference's returned."""
    months = months or [DEC_2021]
    subs = subs or [subscription()]
    customers = customers or [customer()]
    expected = reference(months, lines, subs, customers, terms)
    actual = batch(months, lines, subs, customers, terms, backend=duckdb)
    assert actual.refused == expected.refused
    assert actual.rows == expected.rows
    return expected


def amounts(outcome: Outcome) -> dict[str, Decimal]:
    return {row[0]: row[5] for row in outcome.rows}


# -- rates (OSR-11, OSR-12) ---------------------------------------------------------------


def test_standard_customers_earn_25_percent_and_ula_customers_33(duckdb: BaseBackend) -> None:
    """OSR-11, OSR-12: 1,000 USD of eligible consumption earns 250.00 or, with a ULA, 330.00."""
    subs = [subscription("sub_a", customer_id="cus_a"), subscription("sub_b", customer_id="cus_b")]
    lines = [
        line("1000", sub="sub_a", customer_id="cus_a"),
        line("600", sub="sub_b", customer_id="cus_b", line_no=2),
        line("400", sub="sub_b", customer_id="cus_b", line_no=3),
    ]
    customers = [customer("cus_a"), customer("cus_b", ula=True)]
    outcome = both(duckdb, lines, subs, customers)
    assert amounts(outcome) == {"cus_a": Decimal("250.00"), "cus_b": Decimal("330.00")}


def test_a_ula_anywhere_in_the_hierarchy_gives_33_percent_to_all(duckdb: BaseBackend) -> None:
    """OSR-11: the rate is the domain's decision, ULA across the hierarchy included; the
    switch ``ula_rate_across_hierarchy`` turns it off."""
    customers = [customer("cus_parent", ula=True), customer("cus_acme", parent="cus_parent")]
    assert amounts(both(duckdb, [line("1000")], customers=customers)) == {
        "cus_acme": Decimal("330.00")
    }
    alone = replace(TERMS, ula_rate_across_hierarchy=False)
    assert amounts(both(duckdb, [line("1000")], customers=customers, terms=alone)) == {
        "cus_acme": Decimal("250.00")
    }


def test_rates_with_more_decimals_are_applied_exactly(duckdb: BaseBackend) -> None:
    """OSR-11, X-1: a 12.5 % rate with 3 decimals: 0.05 × 0.125 = 0.00625 → 0.01."""
    terms = replace(TERMS, standard_rate=Decimal("0.125"), ula_rate=Decimal("0.3333"))
    outcome = both(duckdb, [line("0.05")], terms=terms)
    assert amounts(outcome) == {"cus_acme": Decimal("0.01")}


# -- which lines count (OSR-2…OSR-8) ------------------------------------------------------


EXCLUDED_LINES: dict[str, tuple[dict[str, Any], dict[str, Any], dict[str, Any]]] = {
    "marketplace listing (OSR-7)": ({"marketplace": True}, {}, {}),
    "third-party service (OSR-7)": ({"third_party": True}, {}, {}),
    "SaaS application (OSR-7)": ({"saas": True}, {}, {}),
    "base rack subscription (OSR-7)": ({"rack_subscription": True}, {}, {}),
    "free tier (OSR-2)": ({"free_tier": True}, {}, {}),
    "trial order (OSR-2)": ({}, {"order_type": OrderType.TRIAL}, {}),
    "pay-as-you-go order (OSR-2)": ({}, {"order_type": OrderType.PAY_AS_YOU_GO}, {}),
    "order in Taiwan (OSR-3)": ({}, {"country": "TW"}, {}),
    "US federal public sector (OSR-3)": ({}, {"sector": Sector.US_FEDERAL_PUBLIC}, {}),
    "order without the reward terms (OSR-4)": ({}, {"enrolled": False}, {}),
    "PaaS conversion right (OSR-6)": ({}, {"paas_conversion": True}, {}),
    "buyer without on-premises support (OSR-2)": ({}, {}, {"on_premises_support": False}),
}


@pytest.mark.parametrize("case", list(EXCLUDED_LINES), ids=list(EXCLUDED_LINES))
def test_an_excluded_line_adds_nothing_and_is_counted_as_excluded(
    duckdb: BaseBackend, case: str
) -> None:
    """OSR-2…OSR-7: the excluded line is left out of the sum, as in the reference."""
    line_flags, sub_facts, customer_facts = EXCLUDED_LINES[case]
    subs = [subscription(), subscription("sub_2", **sub_facts)]
    lines = [line("1000"), line("500", sub="sub_2", line_no=2, **line_flags)]
    customers = [customer(**customer_facts)]
    outcome = both(duckdb, lines, subs, customers)
    if customer_facts:  # the buyer's support excludes every line: no lot
        assert outcome.rows == frozenset()
    else:
        [row] = outcome.rows
        assert (row[3], row[5], row[6], row[7]) == (Decimal("1000"), Decimal("250.00"), 1, 1)


def test_bring_your_own_licence_services_count(duckdb: BaseBackend) -> None:
    """OSR-5, OSR-8: a BYOL line counts like any other."""
    outcome = both(duckdb, [line("1000", byol=True)])
    assert amounts(outcome) == {"cus_acme": Decimal("250.00")}


def test_overage_counts_on_its_price_unless_the_terms_exclude_it(duckdb: BaseBackend) -> None:
    """OSR-15: by default an overage line earns the same rate on the overage price; the
    switch leaves it out."""
    lines = [line("1000"), line("200", line_no=2, kind=LineKind.OVERAGE)]
    assert amounts(both(duckdb, lines)) == {"cus_acme": Decimal("300.00")}
    excluded = replace(TERMS, overage=OveragePolicy.EXCLUDED)
    assert amounts(both(duckdb, lines, terms=excluded)) == {"cus_acme": Decimal("250.00")}


def test_the_batch_has_one_predicate_per_reference_exclusion() -> None:
    """The two EXCLUSIONS tables name the same rules, in the same order."""
    assert list(BATCH_EXCLUSIONS) == [check.__name__.lstrip("_") for check in EXCLUSIONS]
    # those decided once per subscription are among them, and some are left to the line
    assert set(BATCH_EXCLUSIONS) > ORDER_RULES


# -- months and periods (OSR-4, OSR-13, OSR-14) -------------------------------------------


@pytest.mark.parametrize(
    ("start", "end", "counts"),
    [
        (date(2021, 12, 31), date(2022, 12, 31), True),  # starts on the month's last day
        (date(2022, 1, 1), date(2022, 12, 31), False),  # starts the day after
        (date(2020, 1, 1), date(2021, 12, 1), True),  # ends on the month's first day
        (date(2020, 1, 1), date(2021, 11, 30), False),  # ended the month before
    ],
)
def test_a_line_counts_when_the_service_period_is_active_in_its_month(
    duckdb: BaseBackend, start: date, end: date, counts: bool
) -> None:
    """OSR-13: active on at least one day of the line's month."""
    subs = [subscription(period=DateRange(start, end))]
    outcome = both(duckdb, [line("1000")], subs)
    assert bool(outcome.rows) is counts


def test_the_opt_out_month_still_earns_and_later_months_do_not(duckdb: BaseBackend) -> None:
    """OSR-4: opted out on 15 November: November earns, December does not."""
    subs = [subscription(opted_out_on=date(2021, 11, 15))]
    nov = Month(2021, 11)
    lines = [line("1000", month=nov), line("1000", month=DEC_2021, line_no=2)]
    outcome = both(duckdb, lines, subs, months=[nov, DEC_2021])
    assert {row[1] for row in outcome.rows} == {"2021-11"}


def test_an_accrual_is_dated_at_month_end_expires_12_months_later_and_has_one_key(
    duckdb: BaseBackend,
) -> None:
    """OSR-14, X-5: December 2021 expires at the end of December 2022; February 2024
    (a leap month) at the end of February 2025; keys as ``accrual_key`` writes them."""
    feb = Month(2024, 2)
    subs = [subscription(period=DateRange(date(2021, 1, 1), date(2025, 1, 1)))]
    lines = [line("1000"), line("1000", month=feb, line_no=2)]
    outcome = both(duckdb, lines, subs, months=[DEC_2021, feb])
    assert {(r[8], r[9], r[10]) for r in outcome.rows} == {
        (date(2021, 12, 31), date(2022, 12, 31), "osr:accrual:cus_acme:2021-12"),
        (date(2024, 2, 29), date(2025, 2, 28), "osr:accrual:cus_acme:2024-02"),
    }


# -- the owner and the one rounding (OSR-9, X-1) ------------------------------------------


def test_rewards_belong_to_the_buyer_named_on_the_order(duckdb: BaseBackend) -> None:
    """OSR-9: consumption of cus_acme on an order bought by cus_group accrues to cus_group."""
    subs = [subscription(buyer="cus_group")]
    outcome = both(duckdb, [line("1000")], subs, [customer("cus_group"), customer()])
    assert amounts(outcome) == {"cus_group": Decimal("250.00")}


def test_the_sum_is_rounded_once_half_up(duckdb: BaseBackend) -> None:
    """X-1: 10.70 × 25 % = 2.675 → 2.68; three lines of 0.006 earn 0.0045 → 0.00, no
    lot (line-by-line rounding would have given 0.00 × 3 or 0.01 × 3)."""
    assert amounts(both(duckdb, [line("10.70")])) == {"cus_acme": Decimal("2.68")}
    tiny = [line("0.006", line_no=n) for n in (1, 2, 3)]
    assert both(duckdb, tiny).rows == frozenset()


@pytest.mark.parametrize(
    ("currency", "price", "amount"),
    [("JPY", "1002", Decimal("251")), ("KWD", "10.0025", Decimal("2.501"))],
)
def test_amounts_round_to_the_currency_minor_unit(
    duckdb: BaseBackend, currency: str, price: str, amount: Decimal
) -> None:
    """X-1: yen have no decimals (250.5 → 251), dinars three (2.500625 → 2.501)."""
    outcome = both(duckdb, [line(price, currency=currency)])
    assert amounts(outcome) == {"cus_acme": amount}


def test_large_sums_stay_exact(duckdb: BaseBackend) -> None:
    """X-1, OSR-16: 60 lines of 99,999,999,999.9999 units at 999.999999 sum exactly."""
    lines = [line("999.999999", quantity="99999999999.9999", line_no=n) for n in range(60)]
    [row] = both(duckdb, lines).rows
    assert row[3] == exact.product(Decimal("99999999999.9999"), Decimal("999.999999")) * 60


def test_a_line_beyond_exact_batch_arithmetic_is_refused(duckdb: BaseBackend) -> None:
    """X-1: a line worth 10¹⁷ or more is refused rather than risking a silent overflow."""
    lines = [line("999999999999.999999", quantity="99999999999999.9999")]
    outcome = batch([DEC_2021], lines, [subscription()], [customer()], backend=duckdb)
    assert problem_rules(outcome) == {("quantity", "X-1")}


# -- bad input is refused (X-7) -----------------------------------------------------------


def test_two_currencies_in_one_buyer_month_are_refused_by_both(duckdb: BaseBackend) -> None:
    """X-1: never converted, never added; a zero-value line in another currency too."""
    lines = [line("1000"), line("0", line_no=2, currency="EUR")]
    outcome = both(duckdb, lines)
    assert problem_rules(outcome) == {("currency", "X-1")}
    refused = batch([DEC_2021], lines, [subscription()], [customer()], backend=duckdb)
    assert problem_rules(refused) == {("currency", "X-1")}


@pytest.mark.parametrize(
    ("lines", "subs", "customers", "field"),
    [
        ([line(sub="sub_unknown")], [subscription()], [customer()], "subscription_id"),
        ([line(customer_id="cus_other")], [subscription()], [customer()], "subscription_id"),
        ([line()], [subscription(buyer="cus_nobody")], [customer()], "buyer_id"),
    ],
    ids=["unknown subscription", "another customer's subscription", "unknown buyer"],
)
def test_lines_the_reference_refuses_are_refused(
    duckdb: BaseBackend,
    lines: list[UsageLine],
    subs: list[Subscription],
    customers: list[Customer],
    field: str,
) -> None:
    """X-7: nothing is returned, and the refusal names the field."""
    assert both(duckdb, lines, subs, customers).refused
    outcome = batch([DEC_2021], lines, subs, customers, backend=duckdb)
    assert field in {f for f, _ in problem_rules(outcome)}


def test_usage_in_another_layout_is_refused() -> None:
    """X-1, X-7: a float quantity and a missing column are named before anything runs."""
    usage = usage_table([line()])
    floats = usage.set_column(5, "quantity", pa.array([1.0]))
    with pytest.raises(InvalidInput) as refused:
        accrue_month_batch(
            DEC_2021,
            floats.drop_columns(["byol"]),
            subscriptions_table([subscription()]),
            customer_rates_table([customer()], TERMS),
            TERMS,
        )
    assert {p.field for p in refused.value.problems} == {"quantity", "byol"}


@pytest.mark.parametrize(
    ("column", "value"),
    [("quantity", Decimal("-1.0000")), ("unit_net_price", Decimal("-0.5")), ("line_kind", "extra")],
)
def test_negative_values_and_unknown_line_kinds_are_refused(
    duckdb: BaseBackend, column: str, value: object
) -> None:
    """X-7: lines the reference cannot even build (``UsageLine`` refuses them)."""
    usage = usage_table([line(), line("5", line_no=2)])
    index = usage.schema.get_field_index(column)
    values = [*usage.column(column).to_pylist()[:1], value]
    odd = usage.set_column(index, column, pa.array(values, usage.schema.field(index).type))
    with pytest.raises(InvalidInput) as refused:
        accrue_month_batch(
            DEC_2021,
            odd,
            subscriptions_table([subscription()]),
            customer_rates_table([customer()], TERMS),
            TERMS,
            backend=duckdb,
        )
    assert {(p.field, p.rule) for p in refused.value.problems} == {("quantity", "X-7")}


def test_two_different_subscriptions_with_one_id_are_refused() -> None:
    """X-7: as the reference refuses them; an identical repeated row is harmless."""
    subs = subscriptions_table([subscription(), subscription(country="JP")])
    rates = customer_rates_table([customer()], TERMS)
    with pytest.raises(InvalidInput, match="two different subscriptions"):
        accrue_month_batch(DEC_2021, usage_table([line()]), subs, rates, TERMS)
    twice = subscriptions_table([subscription(), subscription()])
    [row] = accrue_month_batch(DEC_2021, usage_table([line()]), twice, rates, TERMS).to_pylist()
    assert row["amount"] == Decimal("250.00")


# -- files, months and lots ---------------------------------------------------------------


def test_parquet_files_are_read_where_they_are(duckdb: BaseBackend, tmp_path: Path) -> None:
    """The usage file in the canonical layout gives the same lots as the Arrow table."""
    lines = [line("1000"), line("30", line_no=2, marketplace=True)]
    path = tmp_path / "usage.parquet"
    pq.write_table(usage_table(lines), path)
    subs, rates = subscriptions_table([subscription()]), customer_rates_table([customer()], TERMS)
    from_file = accrue_month_batch(DEC_2021, path, subs, rates, TERMS, backend=duckdb)
    from_table = accrue_month_batch(DEC_2021, usage_table(lines), subs, rates, TERMS)
    assert from_file.equals(from_table)
    assert pq.read_schema(path).equals(USAGE_SCHEMA)


def test_subscriptions_and_customers_may_be_parquet_files_too(
    duckdb: BaseBackend, tmp_path: Path
) -> None:
    """X-7: the same lots; a repeated row is harmless, two different rows for one
    subscription are refused."""
    lines = [line("1000"), line("30", line_no=2, customer_id="cus_b", sub="sub_b")]
    subs = subscriptions_table([subscription(), subscription("sub_b", customer_id="cus_b")])
    rates = customer_rates_table([customer(), customer("cus_b", ula=True)], TERMS)
    pq.write_table(subs, tmp_path / "subscriptions.parquet")
    pq.write_table(rates, tmp_path / "customers.parquet")
    usage = usage_table(lines)
    from_files = accrue_month_batch(
        DEC_2021,
        usage,
        tmp_path / "subscriptions.parquet",
        tmp_path / "customers.parquet",
        TERMS,
        backend=duckdb,
    )
    assert from_files.equals(accrue_month_batch(DEC_2021, usage, subs, rates, TERMS))
    pq.write_table(pa.concat_tables([subs, subs]), tmp_path / "repeated.parquet")
    repeated = accrue_month_batch(
        DEC_2021, usage, tmp_path / "repeated.parquet", rates, TERMS, backend=duckdb
    )
    assert repeated.equals(from_files)
    other = subscriptions_table([subscription(country="JP")])
    pq.write_table(pa.concat_tables([subs, other]), tmp_path / "twice.parquet")
    with pytest.raises(InvalidInput, match="two subscriptions have one id"):
        accrue_month_batch(
            DEC_2021, usage, tmp_path / "twice.parquet", rates, TERMS, backend=duckdb
        )


def test_only_the_asked_month_is_accrued(duckdb: BaseBackend) -> None:
    """OSR-12: lines of other months in the same file are not this month's."""
    nov = Month(2021, 11)
    lines = [line("1000"), line("400", month=nov, line_no=2)]
    table = accrue_month_batch(
        DEC_2021,
        usage_table(lines),
        subscriptions_table([subscription()]),
        customer_rates_table([customer()], TERMS),
        TERMS,
        backend=duckdb,
    )
    assert table.column("month").to_pylist() == ["2021-12"]


def test_the_lots_to_open_are_the_reference_lots(duckdb: BaseBackend) -> None:
    """X-5: the same commands, fingerprints included, as ``Accrual.open_lot``."""
    subs = [subscription(), subscription("sub_2", customer_id="cus_b")]
    lines = [line("1234.5678"), line("0.5", quantity="3", sub="sub_2", customer_id="cus_b")]
    customers = [customer(), customer("cus_b", ula=True)]
    run = accrue_month(DEC_2021, lines, subs, customers, TERMS)
    table = accrue_month_batch(
        DEC_2021,
        usage_table(lines),
        subscriptions_table(subs),
        customer_rates_table(customers, TERMS),
        TERMS,
        backend=duckdb,
    )
    commands = sorted(open_lot_commands(table, TERMS), key=lambda c: c.idempotency_key)
    expected = sorted(run.open_lot_commands(TERMS), key=lambda c: c.idempotency_key)
    assert commands == expected
    assert [c.fingerprint for c in commands] == [c.fingerprint for c in expected]


# -- the property: random facts, the same lots to the cent --------------------------------

POOL = ("cus_a", "cus_b", "cus_c", "cus_d")
MONTHS = (Month(2021, 11), DEC_2021)
FLAGS = ("third_party", "marketplace", "saas", "free_tier", "rack_subscription", "byol")


PRICES = [Decimal(p) for p in ("0.025500", "0.336000", "1.5", "10.70", "1200", "0.000001")]
QUANTITIES = [Decimal(q) for q in ("1", "3.5", "100", "1234.5678", "0.0001", "99999.9999")]


def decimals(places: int, max_units: int) -> st.SearchStrategy[Decimal]:
    return st.integers(0, max_units * 10**places).map(lambda n: Decimal(n).scaleb(-places))


days = st.dates(date(2021, 6, 1), date(2022, 6, 30))


def mostly(value: bool, times: int = 5) -> st.SearchStrategy[bool]:
    """``value`` about ``times`` times in ``times + 1`` — and what examples shrink to."""
    return st.sampled_from([value] * times + [not value])


@st.composite
def customers_strategy(draw: st.DrawFn) -> list[Customer]:
    """Every pool customer; parents only earlier in the pool, so no cycle."""
    made = []
    for i, name in enumerate(POOL):
        ula = draw(st.booleans())
        made.append(
            customer(
                name,
                parent=draw(st.none() | st.sampled_from(POOL[:i])) if i else None,
                ula=ula,
                covers=draw(st.sets(st.sampled_from(POOL), max_size=1)) if ula else (),
                on_premises_support=draw(mostly(True)),
            )
        )
    return made


PERIODS = [
    DateRange(date(2021, 1, 1), date(2023, 12, 31)),
    DateRange(date(2021, 12, 31), date(2022, 12, 31)),  # starts on December's last day
    DateRange(date(2021, 11, 15), date(2021, 11, 20)),  # November only
    DateRange(date(2020, 1, 1), date(2021, 12, 1)),  # ends on December's first day
    DateRange(date(2022, 1, 1), date(2022, 12, 31)),  # not yet
]
OPT_OUTS = [None, None, None, date(2021, 11, 30), date(2021, 12, 1), date(2021, 10, 31)]


@st.composite
def periods(draw: st.DrawFn) -> DateRange:
    if draw(mostly(True, times=2)):
        return draw(st.sampled_from(PERIODS))
    start = draw(days)
    return DateRange(start, draw(st.dates(start, date(2022, 12, 31))))


@st.composite
def subscription_strategy(draw: st.DrawFn, n: int) -> Subscription:
    """Half of the subscriptions are plain eligible orders, the others anything."""
    who, buyer = draw(st.sampled_from(POOL)), draw(st.sampled_from(POOL))
    if draw(st.booleans()):
        return subscription(f"sub_{n}", customer_id=who, buyer=buyer)
    return subscription(
        f"sub_{n}",
        customer_id=who,
        buyer=buyer,
        order_type=draw(st.sampled_from([OrderType.COMMITTED_CREDITS] * 4 + list(OrderType))),
        period=draw(periods()),
        country=draw(st.sampled_from(["FR", "US", "JP", "TW"])),
        sector=draw(st.sampled_from([Sector.COMMERCIAL] * 3 + list(Sector))),
        opted_out_on=draw(st.sampled_from(OPT_OUTS) | days),
        enrolled=draw(mostly(True)),
        paas_conversion=draw(mostly(False)),
    )


@st.composite
def facts(
    draw: st.DrawFn,
) -> tuple[list[UsageLine], list[Subscription], list[Customer], RewardTerms]:
    customers = draw(customers_strategy())
    subs = [draw(subscription_strategy(n)) for n in range(draw(st.integers(1, 4)))]
    currency_of = {name: draw(st.sampled_from(["USD", "USD", "JPY", "KWD"])) for name in POOL}
    odd_line = draw(st.sampled_from([None] * 6 + [0, 7]))  # now and then, a line in EUR
    lines = []
    for n in range(draw(st.integers(0, 60))):
        sub = draw(st.sampled_from(subs))
        usage = line(
            str(draw(st.sampled_from(PRICES) | decimals(6, 5_000))),
            quantity=str(draw(st.sampled_from(QUANTITIES) | decimals(4, 100_000))),
            line_no=n,
            sub=sub.id,
            customer_id=sub.customer_id,
            month=draw(st.sampled_from(MONTHS)),
            currency="EUR" if n == odd_line else currency_of[sub.buyer_id],
            kind=draw(st.sampled_from([LineKind.REGULAR, LineKind.REGULAR, LineKind.OVERAGE])),
        )
        if draw(st.booleans()):  # half of the lines have flags
            flags: dict[str, Any] = {flag: draw(mostly(False)) for flag in FLAGS}
            usage = replace(usage, **flags)
        lines.append(usage)
    terms = replace(
        TERMS,
        standard_rate=draw(st.sampled_from([Decimal("0.25"), Decimal("0.2"), Decimal("0.125")])),
        ula_rate=draw(st.sampled_from([Decimal("0.33"), Decimal("0.3333")])),
        ula_rate_across_hierarchy=draw(st.booleans()),
        overage=draw(st.sampled_from(list(OveragePolicy))),
    )
    return lines, subs, customers, terms


@settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(case=facts())
def test_batch_and_reference_open_the_same_lots_to_the_cent(
    duckdb: BaseBackend,
    case: tuple[list[UsageLine], list[Subscription], list[Customer], RewardTerms],
) -> None:
    """OSR-2…OSR-16, X-1, X-5: random usage, subscriptions, hierarchies and terms — the
    same (buyer, month, currency, consumption, rate, amount, counts, dates, key) rows, or
    a refusal by both."""
    lines, subs, customers, terms = case
    expected = reference(MONTHS, lines, subs, customers, terms)
    actual = batch(None, lines, subs, customers, terms, backend=duckdb)
    event("refused" if expected.refused else "lots" if expected.rows else "no lot")
    assert actual.refused == expected.refused
    assert actual.rows == expected.rows
