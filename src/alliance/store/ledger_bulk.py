"""Opening many lots at once: a month's accruals for hundreds of thousands of customers.

Set-based, per batch of commands: one query finds the keys already posted (replays are
skipped, a key reused for another request refused, X-5), the pure planner
(:func:`~alliance.domain.ledger.plan_accrual`) makes each lot and posting, and a handful
of ``executemany`` statements insert the missing accounts, the postings, the lots, their
tags and the legs. Nothing is locked: an accrual only adds a new lot, and the unique
idempotency key settles a race between two loaders (the losing batch is rolled back to
its savepoint and done again, finding the other's postings as replays).

Bad commands are reported together, each with its position and key, and nothing of a
run with a bad command is inserted (X-7).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime
from itertools import islice

from sqlalchemy.orm import Session

from alliance.domain.clock import Clock
from alliance.domain.errors import AllianceError, Conflict, InvalidInput, Problem
from alliance.domain.ledger import (
    IdempotencyConflict,
    Lot,
    OpenLot,
    Posting,
    id_for,
    plan_accrual,
)
from alliance.services.ports import BulkOutcome
from alliance.store.integrity import guarded
from alliance.store.ledger_queries import LedgerQueries
from alliance.store.ledger_tables import ledger_postings
from alliance.store.ledger_writes import LedgerWrites

#: How often a batch is tried again after losing a race for its keys.
RACE_RETRIES = 3
#: How many bad commands an error lists (the count says how many there were in all).
MAX_PROBLEMS = 100


@dataclass
class _Planned:
    lots: list[Lot]
    postings: list[Posting]
    replayed: int


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
    outcome = BulkOutcome()
    problems: list[Problem] = []
    position = 0
    for batch in _batches(commands, batch_size):
        for attempt in range(RACE_RETRIES):
            planned = _plan(read, batch, now, position, problems)
            if problems:
                break  # keep validating the rest; insert nothing more
            try:
                with guarded(session, ledger_postings, "accrual"):
                    write.ensure_accounts(leg.account for p in planned.postings for leg in p.legs)
                    write.record_many(planned.postings, planned.lots)
            except Conflict:
                if attempt == RACE_RETRIES - 1:
                    raise
                continue  # another loader posted some of these keys meanwhile
            outcome += BulkOutcome(len(planned.postings), planned.replayed)
            break
        position += len(batch)
        if progress is not None:
            progress(len(batch))
    if problems:
        raise InvalidInput(
            f"{len(problems)} accrual(s) refused; nothing was posted",
            problems=problems[:MAX_PROBLEMS],
        )
    return outcome


def _plan(
    read: LedgerQueries,
    batch: list[OpenLot],
    now: datetime,
    position: int,
    problems: list[Problem],
) -> _Planned:
    """Plan the batch's new lots; replays counted, conflicts and bad input collected."""
    known = read.existing_keys({command.idempotency_key for command in batch})
    planned = _Planned([], [], 0)
    for index, command in enumerate(batch, start=position):
        key = command.idempotency_key
        try:
            if key in known:
                if known[key] != command.fingerprint:
                    raise IdempotencyConflict(key, id_for("pst", key))
                planned.replayed += 1
                continue
            lot, posting = plan_accrual(command, recorded_at=now)
        except AllianceError as error:
            problems.append(
                Problem(error.message, error.field, error.rule, location=f"#{index} {key}")
            )
            continue
        known[key] = posting.request  # the same key twice in one run: a replay
        planned.lots.append(lot)
        planned.postings.append(posting)
    return planned


def _batches(commands: Iterable[OpenLot], size: int) -> Iterator[list[OpenLot]]:
    if size < 1:
        raise ValueError(f"a batch holds at least one command, not {size}")
    iterator = iter(commands)
    while batch := list(islice(iterator, size)):
        yield batch
