"""Opening many lots at once: a month's accruals for hundreds of thousands of customers.

Set-based, per batch of commands: one query finds the keys already posted (replays are
skipped, a key reused for another request refused, X-5); each new command becomes its
rows (:mod:`alliance.store.ledger_accrual_rows`: the rows of ``plan_accrual``, built
fast for ordinary commands); a handful of ``executemany`` statements insert the missing
accounts, the postings, the lots, their tags and the legs. Nothing is locked: an
accrual only adds a new lot, and the unique idempotency key settles a race between two
loaders (the losing batch is rolled back to its savepoint and done again, finding the
other's postings as replays).

Bad commands are reported together, each with its position and key, and nothing more
is inserted once one is found: the caller's unit of work then rolls back (X-7).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from itertools import islice

from sqlalchemy.orm import Session

from alliance.domain.clock import Clock
from alliance.domain.errors import AllianceError, Conflict, InvalidInput, Problem
from alliance.domain.ledger import IdempotencyConflict, OpenLot, id_for, plan_accrual
from alliance.services.ports import BulkOutcome
from alliance.store.integrity import guarded
from alliance.store.ledger_accrual_rows import (
    AccrualRows,
    fast_fingerprint,
    fast_path_agrees,
    fast_rows,
    is_ordinary,
    planned_rows,
)
from alliance.store.ledger_queries import LedgerQueries
from alliance.store.ledger_tables import (
    ledger_accounts,
    ledger_legs,
    ledger_lot_tags,
    ledger_lots,
    ledger_postings,
)
from alliance.store.ledger_writes import LedgerWrites

#: How often a batch is tried again after losing a race for its keys.
RACE_RETRIES = 3
#: How many bad commands an error lists (the count says how many there were in all).
MAX_PROBLEMS = 100


@dataclass
class _Run:
    """A bulk run's state: when it records, whether the fast path is trusted, problems."""

    recorded_at: datetime
    fast: bool
    problems: list[Problem] = field(default_factory=list)


def accrue_many(
    session: Session,
    clock: Clock,
    commands: Iterable[OpenLot],
    *,
    batch_size: int = 5_000,
    progress: Callable[[int], None] | None = None,
) -> BulkOutcome:
    """Open the lots of ``commands`` that are not posted yet, ``batch_size`` at a time."""
    read, write = LedgerQueries(session), LedgerWrites(session)
    now = clock.now()
    run = _Run(now, fast=now.tzinfo is not None)
    outcome = BulkOutcome()
    position = 0
    for batch in _batches(commands, batch_size):
        for attempt in range(RACE_RETRIES):
            rows, replayed = _rows(read, batch, position, run)
            if run.problems:
                break  # keep validating the rest; insert nothing more
            try:
                with guarded(session, ledger_postings, "accrual"):
                    _insert(write, rows)
            except Conflict:
                if attempt == RACE_RETRIES - 1:
                    raise
                continue  # another loader posted some of these keys meanwhile
            outcome += BulkOutcome(len(rows.postings), replayed)
            break
        position += len(batch)
        if progress is not None:
            progress(len(batch))
    if run.problems:
        raise InvalidInput(
            f"{len(run.problems)} accrual(s) refused; nothing was posted",
            problems=run.problems[:MAX_PROBLEMS],
        )
    return outcome


def _rows(
    read: LedgerQueries, batch: list[OpenLot], position: int, run: _Run
) -> tuple[AccrualRows, int]:
    """The batch's rows and how many of its commands are replays; bad input collected."""
    run.fast = run.fast and _agrees(batch)
    known = read.existing_keys({command.idempotency_key for command in batch})
    rows, replayed = AccrualRows(), 0
    for index, command in enumerate(batch, start=position):
        key = command.idempotency_key
        try:
            if key in known:
                if known[key] != _fingerprint(command, run.fast):
                    raise IdempotencyConflict(key, id_for("pst", key))
                replayed += 1
                continue
            request = fast_rows(command, run.recorded_at, rows) if run.fast else None
            if request is None:
                request = planned_rows(*plan_accrual(command, recorded_at=run.recorded_at), rows)
        except AllianceError as error:
            location = f"#{index} {key}"
            run.problems.append(Problem(error.message, error.field, error.rule, location))
            continue
        known[key] = request  # the same key twice in one run: a replay
    return rows, replayed


def _insert(write: LedgerWrites, rows: AccrualRows) -> None:
    accounts = [rows.accounts[account_id] for account_id in sorted(rows.accounts)]
    write.insert_ignoring_duplicates(ledger_accounts, accounts)
    write.insert_rows(ledger_postings, rows.postings)
    write.insert_rows(ledger_lots, rows.lots)
    write.insert_rows(ledger_lot_tags, rows.tags)
    write.insert_rows(ledger_legs, rows.legs)


def _agrees(batch: list[OpenLot]) -> bool:
    """The fast path's fingerprint of the batch's first ordinary command is the domain's."""
    sample = next((command for command in batch if is_ordinary(command)), None)
    return sample is None or fast_path_agrees(sample)


def _fingerprint(command: OpenLot, fast: bool) -> str:
    return fast_fingerprint(command) if fast and is_ordinary(command) else command.fingerprint


def _batches(commands: Iterable[OpenLot], size: int) -> Iterator[list[OpenLot]]:
    if size < 1:
        raise ValueError(f"a batch holds at least one command, not {size}")
    iterator = iter(commands)
    while batch := list(islice(iterator, size)):
        yield batch
