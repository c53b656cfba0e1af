"""A redemption takes a fixed, small number of statements (issue 3, Performance).

The statements are counted on the driver connection itself (SQLite's trace callback;
a counting psycopg cursor), since the redemption path runs its SQL on the driver. A
redemption is, at most: on PostgreSQL, the wallet row lock (X-5: lock, then look up the
key), one read of the key and the book's open lots, one insert of the posting with its
legs; on SQLite (where ``BEGIN IMMEDIATE`` is the lock), the read, the posting, the legs
and a savepoint around them. Its first redemption also creates the book's ``spent``
account (on PostgreSQL in the insert of the posting). However many lots a redemption
spends, the count stays the same.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from decimal import Decimal
from typing import Any

import psycopg
import pytest
from ledger_store_helpers import BOOK, Factory, balances, open_lot, post, stored_problems, usd

from alliance.domain.clock import FixedClock
from alliance.domain.ledger import (
    AccountKind,
    Capture,
    Command,
    OpenLot,
    Origin,
    PostingKind,
    Redeem,
    RedemptionOrder,
)
from alliance.store.unit_of_work import SqlUnitOfWork

#: Statements of one redemption once the book's spent account exists; on PostgreSQL
#: the transaction's ``BEGIN`` is one of them, sent in the pipeline of the lock and the
#: read (psycopg's own ``BEGIN``, a round trip of its own, is not sent).
MOST = {"sqlite": 5, "postgresql": 4}
#: The book's first redemption also creates its spent account: one more statement on
#: SQLite; on PostgreSQL, inside the insert of the posting and its legs.
FIRST = {"sqlite": 6, "postgresql": 4}


@contextmanager
def counted(uow: SqlUnitOfWork) -> Iterator[list[str]]:
    """The statements run on ``uow``'s connection inside the block."""
    seen: list[str] = []
    driver: Any = uow.session.connection().connection.driver_connection
    if isinstance(driver, psycopg.Connection):
        base = driver.cursor_factory

        class Counting(base):  # type: ignore[misc, valid-type]
            def execute(self, query: Any, *args: Any, **kwargs: Any) -> Any:
                seen.append(str(query))
                return super().execute(query, *args, **kwargs)

        driver.cursor_factory = Counting
        try:
            yield seen
        finally:
            driver.cursor_factory = base
    else:
        driver.set_trace_callback(seen.append)
        try:
            yield seen
        finally:
            driver.set_trace_callback(None)


def redeem(amount: str, key: str) -> Redeem:
    return Redeem(key, BOOK.owner, BOOK.wallet, BOOK.unit, usd(amount))


def test_a_redemption_takes_a_few_statements_however_many_lots_it_spends(
    uow_factory: Factory, clock: FixedClock, backend: str
) -> None:
    clock.set(date(2024, 3, 1))
    post(uow_factory, *(open_lot(f"fund-{n}", 10, expires_on=date(2024, 6, n)) for n in (1, 2, 3)))
    counts = []
    for key, amount in [("first", "5"), ("one-lot", "1"), ("three-lots", "20")]:
        with uow_factory() as uow:
            with counted(uow) as seen:
                posting = uow.ledger.execute(redeem(amount, key))
            uow.commit()
        counts.append(len(seen))
        assert posting.amount_on(AccountKind.SPENT) == usd(amount)
        if backend == "postgresql":
            assert seen[0] == "BEGIN"
            assert "FOR UPDATE" in seen[1]
    assert counts == [FIRST[backend], MOST[backend], MOST[backend]]
    assert len(posting.lot_ids) == 3  # the last one spent from every lot
    assert balances(uow_factory)[AccountKind.WALLET] == usd(4)
    assert stored_problems(uow_factory) == []


def test_a_redemption_rolled_back_leaves_nothing_and_the_next_unit_of_work_is_atomic(
    uow_factory: Factory, clock: FixedClock
) -> None:
    """X-4: the ``BEGIN`` sent by the redemption itself (PostgreSQL) opens a real
    transaction: rolled back, nothing stays; and the connection, back in the pool, runs
    the next unit of work in a transaction again (its statements do not autocommit)."""
    clock.set(date(2024, 3, 1))
    post(uow_factory, open_lot("fund", 10))
    for n in range(2):  # the pool hands back the same connection each time
        with uow_factory() as uow:
            uow.ledger.execute(redeem("4", f"rolled-back-{n}"))
            uow.rollback()
        with uow_factory() as uow:  # after a transaction the redemption began
            uow.ledger.execute(open_lot(f"not-kept-{n}", 7))
            uow.rollback()
        post(uow_factory, redeem("1", f"kept-{n}"))
        with uow_factory() as uow:
            uow.ledger.execute(open_lot(f"not-kept-either-{n}", 5))
            uow.rollback()
    assert balances(uow_factory)[AccountKind.WALLET] == usd(8)
    assert balances(uow_factory)[AccountKind.SPENT] == usd(2)
    assert stored_problems(uow_factory) == []


def test_a_replay_reads_and_writes_nothing_more(
    uow_factory: Factory, clock: FixedClock, backend: str
) -> None:
    """X-5: a replay is the key look-up, then the stored posting read back."""
    clock.set(date(2024, 3, 1))
    post(uow_factory, open_lot("fund", 10), redeem("4", "invoice"))
    with uow_factory() as uow:
        with counted(uow) as seen:
            applied = uow.ledger.apply(redeem("4", "invoice"))
        uow.commit()
    assert applied.replayed
    assert not [sql for sql in seen if sql.lstrip().upper().startswith(("INSERT", "WITH"))]
    assert balances(uow_factory)[AccountKind.SPENT] == usd(4)


@pytest.mark.parametrize(
    ("command", "expected"),
    [
        (
            Redeem(
                "k",
                "org_acme",
                "credits",
                "USD",
                Decimal("12.50"),
                effective_on=date(2024, 3, 1),
                order=RedemptionOrder.FIFO,
                excluded_tags=frozenset({"public_sector", "b"}),
                accrued_on_or_before=date(2024, 2, 29),
                memo="m",
                rule="OSR-20",
            ),
            "7c6b33691a9e8ae8d1ef2700dcfe2f45a3bc78b66d48e951d93e2011bf762107",
        ),
        (
            OpenLot(
                "k2",
                "org_acme",
                "rewards",
                "USD",
                Decimal("100.00"),
                date(2024, 1, 1),
                None,
                Origin("osr", "run-1", frozenset({"x"})),
                PostingKind.ACCRUE,
            ),
            "da4077eaf6ef5b7c43a7e14f1377aa7219b6504cdf774e94fae0ebda5d9c9bd4",
        ),
        (
            Capture("k3", "hld_1", Decimal("3"), None),
            "dae761ad91d5e0bc7b5dd34040e86077070c6846a8e0ca2cb243f8650c3b0e37",
        ),
    ],
)
def test_fingerprints_are_those_already_stored(command: Command, expected: str) -> None:
    """X-5: the fingerprint of a request never changes (the values were computed before
    the fingerprint was made faster), so postings already stored still replay."""
    assert command.fingerprint == expected
