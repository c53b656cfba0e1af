"""A month's accruals in bulk, and expiry in batches: set-based, exactly once (X-5, X-7).

OSR-12: rewards are accrued once at the end of each month for every customer, so a run
opens a lot per customer; rerunning it (after a crash, or by mistake) posts nothing.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest
from hypothesis import event, given, settings
from hypothesis import strategies as st
from ledger_store_helpers import Factory, open_lot, stored_problems, usd

from alliance.domain.clock import FixedClock
from alliance.domain.errors import AllianceError, InvalidInput
from alliance.domain.ledger import (
    AccountKind,
    Book,
    OpenLot,
    Origin,
    PostingKind,
    Unit,
    fingerprint,
    invariant_problems,
    plan_accrual,
)
from alliance.services.ports import BulkOutcome
from alliance.store.ledger_accrual_rows import (
    AccrualRows,
    fast_fingerprint,
    fast_rows,
    planned_rows,
)

CUSTOMERS = 10_000
DECEMBER = Origin("osr", "accrual-run-2024-12")


def december_rewards(customers: int = CUSTOMERS) -> list[OpenLot]:
    """One lot per customer, accrued at the end of December 2024 (OSR-12, OSR-14)."""
    return [
        OpenLot(
            f"osr:2024-12:cus_{n:06d}",
            f"cus_{n:06d}",
            "rewards",
            "USD",
            Decimal(100 + n % 900).scaleb(-2) * 100,
            date(2024, 12, 31),
            date(2025, 12, 31),
            DECEMBER,
        )
        for n in range(customers)
    ]


def test_ten_thousand_lots_then_a_rerun_posts_nothing_new(
    uow_factory: Factory, clock: FixedClock
) -> None:
    clock.set(date(2025, 1, 2))
    commands = december_rewards()
    batches: list[int] = []
    with uow_factory() as uow:
        first = uow.ledger.accrue_many(commands, batch_size=3_000, progress=batches.append)
        uow.commit()
    assert first == BulkOutcome(posted=CUSTOMERS, replayed=0)
    assert batches == [3_000, 3_000, 3_000, 1_000]

    with uow_factory() as uow:
        again = uow.ledger.accrue_many(commands)
        uow.commit()
    assert again == BulkOutcome(posted=0, replayed=CUSTOMERS)

    with uow_factory() as uow:
        ledger = uow.ledger
        postings = ledger.postings()
        assert len(postings) == CUSTOMERS
        assert invariant_problems(postings, ledger.lots(), []) == []
        customer = Book("cus_000123", "rewards", "USD")
        statement = ledger.statement("cus_000123", "rewards", "USD")
        assert statement.available == commands[123].amount == usd("223.00")
        one_by_one = ledger.execute(commands[123])  # the single path sees it as a replay
        assert one_by_one.lot_id is not None
        assert ledger.lot(one_by_one.lot_id).origin == DECEMBER
        assert ledger.balance(customer.account(AccountKind.WALLET)) == usd("223.00")
        source = customer.source
        assert -ledger.balance(source) == sum((c.amount for c in commands), Decimal(0))


def test_a_rerun_with_new_customers_posts_only_theirs(uow_factory: Factory) -> None:
    with uow_factory() as uow:
        uow.ledger.accrue_many(december_rewards(40))
        outcome = uow.ledger.accrue_many(december_rewards(50), batch_size=7)
        uow.commit()
    assert outcome == BulkOutcome(posted=10, replayed=40)


def test_the_same_key_twice_in_a_run_is_posted_once(uow_factory: Factory) -> None:
    lot = open_lot("enrolment:org_acme", 5000)
    with uow_factory() as uow:
        outcome = uow.ledger.accrue_many([lot, lot, open_lot("enrolment:org_globex", 5000)])
        uow.commit()
    assert outcome == BulkOutcome(posted=2, replayed=1)


def test_a_run_with_bad_commands_names_them_all_and_posts_nothing(uow_factory: Factory) -> None:
    """X-7: every bad command is reported with its position and key; nothing applied.
    X-5: a key already used for another request is one of them."""
    with uow_factory() as uow:
        uow.ledger.accrue_many([open_lot("taken", 100)])
        uow.commit()
    commands = [
        *december_rewards(5),
        open_lot("fractions-of-a-cent", "10.001"),
        open_lot("taken", 999),
        open_lot("expires-before-accrual", 10, expires_on=date(2023, 1, 1)),
    ]
    with pytest.raises(InvalidInput) as refused, uow_factory() as uow:
        uow.ledger.accrue_many(commands, batch_size=2)
        uow.commit()
    assert [problem.location for problem in refused.value.problems] == [
        "#5 fractions-of-a-cent",
        "#6 taken",
        "#7 expires-before-accrual",
    ]
    assert [problem.rule for problem in refused.value.problems] == ["X-1", "X-5", "OSR-14"]
    with uow_factory() as uow:
        assert len(uow.ledger.postings()) == 1


def test_expiry_in_batches_closes_every_expired_lot_once(
    uow_factory: Factory, clock: FixedClock
) -> None:
    """OSR-14: batches resume after the last lot closed; a rerun closes nothing."""
    clock.set(date(2024, 1, 1))
    lots = [
        open_lot(f"lot-{n}", 10 + n, expires_on=date(2024, 1, 1 + n % 4), book=_book(n))
        for n in range(11)
    ]
    with uow_factory() as uow:
        uow.ledger.accrue_many(lots)
        uow.commit()
    clock.set(date(2024, 2, 1))
    expired: list[str] = []
    cursor = None
    while True:
        with uow_factory() as uow:
            batch = uow.ledger.expire_batch(date(2024, 2, 1), limit=3, after=cursor)
            uow.commit()
        expired += [p.lot_id or "" for p in batch.postings]
        assert all(p.kind is PostingKind.EXPIRE for p in batch.postings)
        if batch.done:
            break
        cursor = batch.cursor
    assert len(expired) == len(set(expired)) == 11
    with uow_factory() as uow:
        assert uow.ledger.expire(date(2024, 3, 1)) == []
        assert uow.ledger.lot(expired[0]).expires_on == date(2024, 1, 1)  # earliest first
    assert stored_problems(uow_factory) == []


def _book(n: int) -> Book:
    return Book(f"org_{n % 3}", "credits", "USD")


# -- the fast rows are plan_accrual's rows --------------------------------------------

TEXT = st.text(st.characters(codec="utf-8"), max_size=6)
AMOUNTS = st.one_of(
    st.builds(
        lambda n, places: Decimal(n).scaleb(-places), st.integers(-10, 10**9), st.integers(-2, 4)
    ),
    st.sampled_from([Decimal("NaN"), Decimal("Infinity"), Decimal("0.000"), Decimal("1E+3")]),
)
DAYS = st.dates(date(2020, 1, 1), date(2030, 12, 31))


@st.composite
def accruals(draw: st.DrawFn) -> OpenLot:
    """Open-lot commands, most of them ordinary, some of every kind of wrong."""
    accrued_on = draw(DAYS)
    unit = draw(st.sampled_from(["USD", "JPY", "KWD", "POINTS", "CREDITS", "usd", "EURO"]))
    places = st.integers(0, 3 if unit == "usd" else Unit.of(unit).places + 1)
    in_unit = st.builds(lambda n, p: Decimal(n).scaleb(-p), st.integers(1, 10**12), places)
    return OpenLot(
        draw(TEXT.filter(str.strip)),
        draw(st.one_of(st.just("cus_1"), TEXT.filter(str.strip), TEXT)),
        draw(st.one_of(st.just("rewards"), TEXT)),
        unit,
        draw(st.one_of(in_unit, in_unit, AMOUNTS)),
        accrued_on,
        draw(
            st.one_of(
                st.none(),
                st.integers(0, 800).map(lambda days: accrued_on + timedelta(days=days)),
                DAYS,
            )
        ),
        Origin(draw(TEXT.filter(str.strip)), draw(TEXT), draw(st.frozensets(TEXT, max_size=3))),
        draw(st.sampled_from([PostingKind.ACCRUE, PostingKind.ALLOCATE, PostingKind.REDEEM])),
        draw(TEXT),
    )


@settings(max_examples=200, deadline=None)
@given(accruals())
def test_the_fast_rows_of_an_accrual_are_the_rows_of_its_plan(command: OpenLot) -> None:
    """The bulk path's fast rows (ids, fingerprint, legs, lot) equal plan_accrual's, and a
    command the domain refuses never takes the fast path."""
    recorded_at = datetime(2025, 1, 2, 3, 4, 5, tzinfo=UTC)
    fast = AccrualRows()
    request = fast_rows(command, recorded_at, fast)
    planned = AccrualRows()
    try:
        expected = planned_rows(*plan_accrual(command, recorded_at=recorded_at), planned)
    except AllianceError:
        event("refused by the domain")
        assert request is None and fast == AccrualRows()
        return
    event("planned" if request is None else "fast")
    if request is not None:
        assert request == expected == fingerprint(command) == fast_fingerprint(command)
        assert fast == planned
