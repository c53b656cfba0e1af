"""The database backs the ledger's rules up: unique keys, checks, append-only history.

Hand-written SQL stands for a bug or an operator's mistake that bypasses the repository;
the schema refuses what it portably can (X-4, X-5). Whether a posting balances cannot be
checked portably across rows at commit time: the domain refuses an unbalanced posting
before the repository can insert it.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from ledger_store_helpers import BOOK, Factory, open_lot, post
from sqlalchemy import Engine, delete, insert, update
from sqlalchemy.exc import DBAPIError, IntegrityError

from alliance.domain.errors import InvalidInput
from alliance.domain.ledger import (
    AccountKey,
    AccountKind,
    Leg,
    Posting,
    PostingKind,
    UnbalancedPosting,
)
from alliance.store.ledger_rows import account_id, account_row
from alliance.store.ledger_tables import (
    ledger_accounts,
    ledger_legs,
    ledger_lots,
    ledger_postings,
)

SOURCE = AccountKey.source("credits", "USD")


def test_every_ledger_table_is_created_by_the_migrations(engine: Engine) -> None:
    with engine.connect() as connection:
        for table in (ledger_accounts, ledger_postings, ledger_legs, ledger_lots):
            assert connection.execute(table.select().limit(1)).all() == []


def test_postings_legs_and_lots_are_append_only(uow_factory: Factory, engine: Engine) -> None:
    """X-4: history is never rewritten, not even by hand; corrections are reversals."""
    (posting,) = post(uow_factory, open_lot("a", 100))
    for statement in (
        update(ledger_postings).values(memo="edited").where(ledger_postings.c.id == posting.id),
        delete(ledger_legs).where(ledger_legs.c.posting_id == posting.id),
        update(ledger_lots).values(expires_on=date(2099, 1, 1)),
        delete(ledger_postings),
    ):
        with pytest.raises(DBAPIError, match="append-only"), engine.begin() as connection:
            connection.execute(statement)
    with uow_factory() as uow:
        assert uow.ledger.postings() == [posting]


def test_an_idempotency_key_is_unique_even_by_hand(uow_factory: Factory, engine: Engine) -> None:
    """X-5: a second posting under a used key cannot be stored."""
    (posting,) = post(uow_factory, open_lot("a", 100))
    row = {
        "id": "pst_by_hand",
        "idempotency_key": posting.idempotency_key,
        "request": "0" * 64,
        "kind": "accrue",
        "effective_on": date(2024, 1, 1),
        "recorded_at": datetime(2024, 1, 1, tzinfo=UTC),
        "memo": "",
    }
    with pytest.raises(IntegrityError), engine.begin() as connection:
        connection.execute(insert(ledger_postings).values(**row))


def test_one_source_account_per_wallet_and_unit_though_its_owner_is_null(engine: Engine) -> None:
    """NULLs are distinct in a unique constraint: a partial unique index covers them."""
    with engine.begin() as connection:
        connection.execute(insert(ledger_accounts).values(**account_row(SOURCE)))
    twin = {**account_row(SOURCE), "id": "acc_twin"}
    with pytest.raises(IntegrityError), engine.begin() as connection:
        connection.execute(insert(ledger_accounts).values(**twin))


def test_only_a_source_account_has_no_owner(engine: Engine) -> None:
    ownerless_wallet = {**account_row(BOOK.account(AccountKind.WALLET)), "owner": None}
    owned_source = {**account_row(SOURCE), "owner": "org_acme"}
    for row in (ownerless_wallet, owned_source):
        with pytest.raises(IntegrityError), engine.begin() as connection:
            connection.execute(insert(ledger_accounts).values(**row))


def test_a_leg_moves_a_non_zero_amount(uow_factory: Factory, engine: Engine) -> None:
    (posting,) = post(uow_factory, open_lot("a", 100))
    zero = {
        "posting_id": posting.id,
        "seq": 7,
        "account_id": account_id(SOURCE),
        "lot_id": posting.lot_id,
        "amount": Decimal(0),
    }
    with pytest.raises(IntegrityError), engine.begin() as connection:
        connection.execute(insert(ledger_legs).values(**zero))


def test_an_unbalanced_posting_cannot_even_be_made() -> None:
    """The repository only inserts postings, and a posting whose legs do not sum to zero
    in every unit is refused when it is built."""
    wallet = BOOK.account(AccountKind.WALLET)
    with pytest.raises(UnbalancedPosting):
        Posting(
            id="pst_x",
            idempotency_key="x",
            request="r",
            kind=PostingKind.ACCRUE,
            effective_on=date(2024, 1, 1),
            recorded_at=datetime(2024, 1, 1, tzinfo=UTC),
            legs=(Leg(SOURCE, Decimal(-100), "lot_x"), Leg(wallet, Decimal("100.01"), "lot_x")),
        )


def test_an_amount_the_column_cannot_hold_is_refused_not_rounded(uow_factory: Factory) -> None:
    """X-1: fourteen integer digits at most; the store says so rather than truncating."""
    with pytest.raises(InvalidInput), uow_factory() as uow:
        uow.ledger.execute(open_lot("huge", 10**14))
    with uow_factory() as uow:
        assert uow.ledger.postings() == []
