"""A month's lots in bulk: ``accrue_many`` next to a plain bulk insert of the same rows.

    .venv/bin/python benchmarks/ledger_bulk.py --backend both --lots 400000 --runs 1

For each backend and run, a fresh database (a SQLite temp file; a PostgreSQL database
created and dropped) is migrated, then, in alternating order:

- **accrue_many**: ``uow.ledger.accrue_many`` of ``--lots`` ``OpenLot`` commands, one per
  customer, in one unit of work + commit (idempotency lookups, checks, ids, rows);
- **plain insert**: the very rows ``accrue_many`` writes (accounts, postings, lots, legs),
  for another wallet so that nothing collides, written with one ``executemany`` per table
  per batch of ``--batch`` rows into the same database, in one transaction, no checks.
  The rows are built beforehand (not timed; the build time is printed apart);
- **rerun**: ``accrue_many`` of the same commands again, which must post nothing.

Prints the times, the ratio accrue_many / plain insert (target ≤ 2×) and the rerun.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path

from sqlalchemy import Engine, insert, text
from sqlalchemy.engine import make_url

from alliance.domain.ledger import OpenLot, Origin, PostingKind
from alliance.services.ports import BulkOutcome
from alliance.store.database import create_engine_for, session_factory
from alliance.store.ledger_accrual_rows import AccrualRows, fast_rows
from alliance.store.ledger_tables import (
    ledger_accounts,
    ledger_legs,
    ledger_lot_tags,
    ledger_lots,
    ledger_postings,
)
from alliance.store.migrate import upgrade
from alliance.store.unit_of_work import SqlUnitOfWork

TARGET_RATIO = 2.0
ORIGIN = Origin("osr", "accrual-run-bench")


@dataclass
class Times:
    accrue: list[float] = field(default_factory=list)
    plain: list[float] = field(default_factory=list)
    rerun: list[float] = field(default_factory=list)
    build: list[float] = field(default_factory=list)


def month_of_lots(customers: int, wallet: str) -> list[OpenLot]:
    """One lot per customer, accrued at the end of a month (OSR-12)."""
    return [
        OpenLot(
            f"{wallet}:2024-12:cus_{n:06d}",
            f"cus_{n:06d}",
            wallet,
            "USD",
            Decimal(100 + n % 900).scaleb(-2) * 100,
            date(2024, 12, 31),
            date(2025, 12, 31),
            ORIGIN,
            PostingKind.ACCRUE,
        )
        for n in range(customers)
    ]


def build_rows(commands: list[OpenLot], batch: int) -> list[AccrualRows]:
    """The rows ``accrue_many`` would insert for ``commands``, batch by batch."""
    recorded_at = datetime.now(UTC)
    batches: list[AccrualRows] = []
    seen: set[str] = set()  # an account (the shared source) is inserted once
    for start in range(0, len(commands), batch):
        rows = AccrualRows()
        for command in commands[start : start + batch]:
            if fast_rows(command, recorded_at, rows) is None:
                raise RuntimeError(f"not an ordinary command: {command}")
        rows.accounts = {k: v for k, v in rows.accounts.items() if k not in seen}
        seen.update(rows.accounts)
        batches.append(rows)
    return batches


def plain_insert(engine: Engine, batches: list[AccrualRows]) -> float:
    """One executemany per table per batch, one transaction, no checks: seconds taken."""
    start = time.perf_counter()
    with engine.begin() as connection:
        for rows in batches:
            connection.execute(insert(ledger_accounts), list(rows.accounts.values()))
            connection.execute(insert(ledger_postings), rows.postings)
            connection.execute(insert(ledger_lots), rows.lots)
            if rows.tags:
                connection.execute(insert(ledger_lot_tags), rows.tags)
            connection.execute(insert(ledger_legs), rows.legs)
    return time.perf_counter() - start


def accrue(engine: Engine, commands: list[OpenLot], batch: int) -> tuple[float, BulkOutcome]:
    sessions = session_factory(engine)
    start = time.perf_counter()
    with SqlUnitOfWork(sessions) as uow:
        outcome = uow.ledger.accrue_many(commands, batch_size=batch)
        uow.commit()
    return time.perf_counter() - start, outcome


def one_run(url: str, lots: int, batch: int, accrue_first: bool, times: Times) -> None:
    upgrade(url)
    engine = create_engine_for(url)
    try:
        commands = month_of_lots(lots, "rewards")
        started = time.perf_counter()
        rows = build_rows(month_of_lots(lots, "rewards-plain"), batch)
        times.build.append(time.perf_counter() - started)
        steps = ["accrue", "plain"] if accrue_first else ["plain", "accrue"]
        for step in steps:
            if step == "accrue":
                seconds, outcome = accrue(engine, commands, batch)
                if outcome != BulkOutcome(posted=lots, replayed=0):
                    raise RuntimeError(f"first run: {outcome}")
                times.accrue.append(seconds)
            else:
                times.plain.append(plain_insert(engine, rows))
            print(
                f"    {step:7s} {times.accrue[-1] if step == 'accrue' else times.plain[-1]:8.2f} s"
            )
        del rows
        seconds, outcome = accrue(engine, commands, batch)
        if outcome != BulkOutcome(posted=0, replayed=lots):
            raise RuntimeError(f"rerun posted something: {outcome}")
        times.rerun.append(seconds)
        print(f"    rerun   {seconds:8.2f} s (posted 0, replayed {outcome.replayed})")
        with engine.connect() as connection:
            stored = connection.execute(text("SELECT count(*) FROM ledger_lots")).scalar_one()
        if stored != 2 * lots:
            raise RuntimeError(f"{stored} lots stored, {2 * lots} expected")
    finally:
        engine.dispose()


@contextmanager
def fresh_database(backend: str) -> Iterator[str]:
    if backend == "sqlite":
        folder = Path(tempfile.mkdtemp(prefix="alliance-bulk-bench-"))
        try:
            yield f"sqlite:///{folder / 'bulk.db'}"
        finally:
            shutil.rmtree(folder, ignore_errors=True)
        return
    base = os.environ.get("ALLIANCE_TEST_POSTGRES_URL")
    if not base:
        sys.exit('set ALLIANCE_TEST_POSTGRES_URL: eval "$(bash scripts/test-postgres)"')
    name = f"bench_bulk_{uuid.uuid4().hex[:8]}"
    admin = create_engine_for(base).execution_options(isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield make_url(base).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def report(backend: str, lots: int, times: Times) -> bool:
    accrue_s, plain_s = statistics.median(times.accrue), statistics.median(times.plain)
    ratio = accrue_s / plain_s
    verdict = "met" if ratio <= TARGET_RATIO else "MISSED"
    print(f"== {backend}: {lots:,} lots, {len(times.accrue)} run(s), medians")
    print(
        f"  accrue_many   {accrue_s:8.2f} s  ({lots / accrue_s:,.0f} lots/s)  {_fmt(times.accrue)}"
    )
    print(f"  plain insert  {plain_s:8.2f} s  ({lots / plain_s:,.0f} lots/s)  {_fmt(times.plain)}")
    print(f"  ratio {ratio:.2f}x (target <= {TARGET_RATIO:.0f}x): {verdict}")
    print(f"  rerun         {statistics.median(times.rerun):8.2f} s (posted nothing)")
    print(f"  (building the plain rows, untimed above: {statistics.median(times.build):.2f} s)")
    return ratio <= TARGET_RATIO


def _fmt(values: list[float]) -> str:
    return "[" + ", ".join(f"{v:.2f}" for v in values) + "]"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--backend", choices=["sqlite", "postgresql", "both"], default="both")
    parser.add_argument("--lots", type=int, default=400_000)
    parser.add_argument("--runs", type=int, default=1)
    parser.add_argument("--batch", type=int, default=5_000, help="accrue_many's default")
    args = parser.parse_args()
    backends = ["sqlite", "postgresql"] if args.backend == "both" else [args.backend]
    all_times = {backend: Times() for backend in backends}
    for run in range(args.runs):  # backends interleaved, order of the two steps alternating
        for backend in backends:
            print(f"  [{backend}] run {run + 1}/{args.runs}", flush=True)
            with fresh_database(backend) as url:
                one_run(url, args.lots, args.batch, run % 2 == 0, all_times[backend])
    ok = all([report(backend, args.lots, all_times[backend]) for backend in backends])
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
