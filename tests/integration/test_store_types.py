"""ExactDecimal and UtcDateTime keep values exact on both databases (X-1, X-2)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta, timezone
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import Column, Engine, Integer, MetaData, Table, func, insert, select, text
from sqlalchemy.exc import StatementError

from alliance.store.types import ExactDecimal, UtcDateTime

probe_metadata = MetaData()
probe = Table(
    "type_probe",
    probe_metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("amount", ExactDecimal(18, 4)),
    Column("percent", ExactDecimal(5, 2)),
    Column("at", UtcDateTime()),
)

PARIS_WINTER = timezone(timedelta(hours=1))


@pytest.fixture
def probe_engine(engine: Engine) -> Iterator[Engine]:
    probe_metadata.create_all(engine)
    yield engine
    probe_metadata.drop_all(engine)


def _store(engine: Engine, **values: object) -> int:
    with engine.begin() as connection:
        new_id: int = connection.execute(
            insert(probe).values(**values).returning(probe.c.id)
        ).scalar_one()
    return new_id


def _load(engine: Engine, row_id: int, column: Column[object]) -> object:
    with engine.connect() as connection:
        return connection.execute(select(column).where(probe.c.id == row_id)).scalar_one()


@pytest.mark.parametrize(
    "amount",
    ["0", "0.0001", "-0.0001", "12.5", "99999999999999.9999", "-99999999999999.9999", "1E+3"],
)
def test_decimals_come_back_exactly(probe_engine: Engine, amount: str) -> None:
    row = _store(probe_engine, amount=Decimal(amount))
    loaded = _load(probe_engine, row, probe.c.amount)
    assert isinstance(loaded, Decimal)
    assert loaded == Decimal(amount)


def test_decimals_come_back_at_the_column_scale(probe_engine: Engine) -> None:
    row = _store(probe_engine, percent=Decimal("66.5"))
    loaded = _load(probe_engine, row, probe.c.percent)
    assert str(loaded) == "66.50"


def test_integers_are_accepted_as_decimals(probe_engine: Engine) -> None:
    row = _store(probe_engine, percent=51)
    assert _load(probe_engine, row, probe.c.percent) == Decimal("51.00")


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    st.decimals(
        min_value=Decimal("-99999999999999.9999"),
        max_value=Decimal("99999999999999.9999"),
        places=4,
        allow_nan=False,
        allow_infinity=False,
    )
)
def test_any_decimal_within_precision_round_trips(probe_engine: Engine, amount: Decimal) -> None:
    row = _store(probe_engine, amount=amount)
    assert _load(probe_engine, row, probe.c.amount) == amount


def test_sql_sums_and_comparisons_stay_exact(probe_engine: Engine) -> None:
    for amount in ["0.1", "0.2", "0.3", "-0.05"]:
        _store(probe_engine, amount=Decimal(amount))
    with probe_engine.connect() as connection:
        total = connection.execute(select(func.sum(probe.c.amount))).scalar_one()
        above = connection.execute(
            select(probe.c.amount).where(probe.c.amount > Decimal("0.15")).order_by(probe.c.amount)
        ).scalars()
        assert list(above) == [Decimal("0.2"), Decimal("0.3")]
    assert total == Decimal("0.55")
    assert isinstance(total, Decimal)


@pytest.mark.parametrize(
    ("value", "error"),
    [
        (0.1, TypeError),
        (True, TypeError),
        ("1.00", TypeError),
        (Decimal("1.00001"), ValueError),
        (Decimal("100000000000000"), ValueError),
        (Decimal("NaN"), ValueError),
        (Decimal("Infinity"), ValueError),
    ],
)
def test_inexact_or_oversized_decimals_are_refused_never_rounded(
    probe_engine: Engine, value: object, error: type[Exception]
) -> None:
    with pytest.raises(StatementError) as raised:
        _store(probe_engine, amount=value)
    assert isinstance(raised.value.orig, error)


def test_an_exact_decimal_type_refuses_precision_sqlite_cannot_hold() -> None:
    with pytest.raises(ValueError, match="precision"):
        ExactDecimal(20, 2)


def test_datetimes_come_back_aware_in_utc(probe_engine: Engine) -> None:
    moment = datetime(2025, 1, 31, 23, 59, 59, 123456, tzinfo=PARIS_WINTER)
    row = _store(probe_engine, at=moment)
    loaded = _load(probe_engine, row, probe.c.at)
    assert isinstance(loaded, datetime)
    assert loaded == moment
    assert loaded.utcoffset() == timedelta(0)
    assert loaded == datetime(2025, 1, 31, 22, 59, 59, 123456, tzinfo=UTC)


def test_naive_datetimes_are_refused(probe_engine: Engine) -> None:
    with pytest.raises(StatementError) as raised:
        _store(probe_engine, at=datetime(2025, 1, 1, 12, 0))
    assert isinstance(raised.value.orig, ValueError)


def test_datetimes_compare_and_order_as_instants(probe_engine: Engine) -> None:
    earlier_by_clock_later_by_instant = datetime(2025, 1, 1, 10, 0, tzinfo=UTC)
    later_by_clock_earlier_by_instant = datetime(2025, 1, 1, 10, 30, tzinfo=PARIS_WINTER)
    _store(probe_engine, at=earlier_by_clock_later_by_instant)
    _store(probe_engine, at=later_by_clock_earlier_by_instant)
    with probe_engine.connect() as connection:
        ordered = list(connection.execute(select(probe.c.at).order_by(probe.c.at)).scalars())
        after = connection.execute(
            select(func.count())
            .select_from(probe)
            .where(probe.c.at > datetime(2025, 1, 1, 9, 45, tzinfo=UTC))
        ).scalar_one()
    assert ordered == [later_by_clock_earlier_by_instant, earlier_by_clock_later_by_instant]
    assert after == 1


@pytest.mark.parametrize("backend", ["sqlite"], indirect=True)
def test_sqlite_keeps_decimals_as_integers_never_reals(probe_engine: Engine) -> None:
    _store(probe_engine, amount=Decimal("0.1"))
    with probe_engine.connect() as connection:
        stored = connection.execute(text("SELECT typeof(amount), amount FROM type_probe")).one()
    assert tuple(stored) == ("integer", 1000)
