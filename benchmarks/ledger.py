"""Ledger redemptions per second, next to the raw engine measured in the same run.

    .venv/bin/python benchmarks/ledger.py --backend both --seconds 10 --runs 3

For each backend, a fresh database (a SQLite temp file; a PostgreSQL database created
for the run and dropped after) is migrated and funded with ``--wallets`` wallets of
``--lots`` lots each (``accrue_many``). Then, ``--runs`` times, interleaved with the
baseline and alternating which goes first:

- **ledger**: ``Redeem`` commands for ``--seconds`` seconds, each in its own unit of
  work and commit, a unique idempotency key, a small amount, wallets round robin;
- **baseline**: SQLite — a raw ``sqlite3`` loop of ``BEGIN IMMEDIATE; INSERT INTO
  postings …; UPDATE accounts SET balance = balance - ? …; COMMIT`` in WAL mode with the
  ``synchronous`` setting read from the app's own engine; PostgreSQL — ``pgbench -i -s
  1`` once, then ``pgbench -c 1 -T S`` (TPC-B-like, one client) against the same server.

Medians and the ratio ledger/baseline are printed (target ≥ 30 %), and the ratio of
each ledger run to the baseline run next to it; ``--profile N``
adds one ledger run under cProfile and prints its top ``N`` functions. The invariants
are checked at the end: ``invariant_problems`` over the stored ledger is empty and the
wallets hold what was accrued minus what was redeemed.
"""

from __future__ import annotations

import argparse
import cProfile
import os
import pstats
import re
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

from sqlalchemy import text
from sqlalchemy.engine import make_url

from alliance.domain.ledger import (
    AccountKind,
    Book,
    OpenLot,
    Origin,
    PostingKind,
    Redeem,
    invariant_problems,
)
from alliance.store.database import create_engine_for, session_factory
from alliance.store.migrate import upgrade
from alliance.store.unit_of_work import SqlUnitOfWork

TARGET_RATIO = 0.30
WALLET = "rewards"
UNIT = "USD"
ORIGIN = Origin("bench", "ledger-benchmark")
PGBENCH_DEFAULT = "/usr/lib/postgresql/15/bin/pgbench"
LOT_AMOUNT = Decimal("100.00")


@dataclass
class Sample:
    ledger: list[float] = field(default_factory=list)
    baseline: list[float] = field(default_factory=list)


@dataclass
class LedgerBench:
    """The app's side of one backend: a migrated, funded database and a redeem loop."""

    url: str
    wallets: int
    lots: int
    redeemed: Decimal = Decimal(0)
    count: int = 0

    def __post_init__(self) -> None:
        upgrade(self.url)
        self.engine = create_engine_for(self.url)
        self.sessions = session_factory(self.engine)
        today = date.today()
        commands = [
            OpenLot(
                f"bench-fund:{w}:{n}",
                _owner(w),
                WALLET,
                UNIT,
                LOT_AMOUNT,
                today - timedelta(days=1 + n),
                today + timedelta(days=365 + 30 * n),
                ORIGIN,
                PostingKind.ACCRUE,
            )
            for w in range(self.wallets)
            for n in range(self.lots)
        ]
        with self.uow() as uow:
            uow.ledger.accrue_many(commands)
            uow.commit()
        self.accrued = LOT_AMOUNT * self.wallets * self.lots

    def uow(self) -> SqlUnitOfWork:
        return SqlUnitOfWork(self.sessions)

    def redeem_for(self, seconds: float, most: int | None = None) -> float:
        """Redemptions per second over ``seconds`` (or until ``most`` of them): one
        unit of work + commit each."""
        run = uuid.uuid4().hex[:8]
        done = 0
        start = time.perf_counter()
        deadline = start + seconds
        while time.perf_counter() < deadline and (most is None or done < most):
            n = self.count + done
            amount = Decimal(1 + n % 50).scaleb(-2)  # 0.01 … 0.50
            command = Redeem(
                f"bench-redeem:{run}:{done}", _owner(n % self.wallets), WALLET, UNIT, amount
            )
            with self.uow() as uow:
                uow.ledger.execute(command)
                uow.commit()
            self.redeemed += amount
            done += 1
        elapsed = time.perf_counter() - start
        self.count += done
        return done / elapsed

    def redeem_count(self, redemptions: int) -> None:
        """Exactly ``redemptions`` redemptions (``benchmarks/ledger_costs.py``)."""
        self.redeem_for(float("inf"), redemptions)

    def invariants(self) -> list[str]:
        """Problems found in the stored ledger; empty when all is well."""
        with self.uow() as uow:
            ledger = uow.ledger
            postings = ledger.postings()
            problems = invariant_problems(postings, ledger.lots(), ledger.holds().values())
            wallets = sum(
                (
                    ledger.balance(Book(_owner(w), WALLET, UNIT).account(AccountKind.WALLET))
                    for w in range(self.wallets)
                ),
                Decimal(0),
            )
            spent = sum((p.amount_on(AccountKind.SPENT) for p in postings), Decimal(0))
        redemptions = sum(1 for p in postings if p.kind is PostingKind.REDEEM)
        if wallets != self.accrued - self.redeemed:
            problems.append(
                f"available {wallets} != accrued {self.accrued} - redeemed {self.redeemed}"
            )
        if spent != self.redeemed:
            problems.append(f"spent account {spent} != redeemed {self.redeemed}")
        if redemptions != self.count:
            problems.append(f"{redemptions} redemption postings stored, {self.count} made")
        return problems

    def close(self) -> None:
        self.engine.dispose()


def _owner(n: int) -> str:
    return f"cus_{n:06d}"


# -- baselines ------------------------------------------------------------------------


def app_sqlite_synchronous(url: str) -> int:
    """The ``PRAGMA synchronous`` value the app's engine runs with (0–3)."""
    engine = create_engine_for(url)
    try:
        with engine.connect() as connection:
            return int(connection.exec_driver_sql("PRAGMA synchronous").scalar_one())
    finally:
        engine.dispose()


class RawSqlite:
    """A raw ``sqlite3`` insert+update transaction loop in WAL mode."""

    def __init__(self, path: Path, synchronous: int, accounts: int) -> None:
        self.accounts = accounts
        self.db = sqlite3.connect(path, isolation_level=None)
        self.db.execute("PRAGMA journal_mode = WAL")
        self.db.execute(f"PRAGMA synchronous = {synchronous}")
        self.db.execute("PRAGMA foreign_keys = ON")
        self.db.execute("PRAGMA busy_timeout = 30000")
        self.db.execute("CREATE TABLE accounts (id INTEGER PRIMARY KEY, balance INTEGER NOT NULL)")
        self.db.execute(
            "CREATE TABLE postings (id INTEGER PRIMARY KEY, key TEXT NOT NULL UNIQUE,"
            " account_id INTEGER NOT NULL REFERENCES accounts(id), amount INTEGER NOT NULL,"
            " recorded_at TEXT NOT NULL)"
        )
        self.db.executemany(
            "INSERT INTO accounts (id, balance) VALUES (?, ?)",
            [(n, 10_000_000) for n in range(accounts)],
        )
        self.count = 0

    def loop_count(self, transactions: int) -> None:
        self.loop_for(float("inf"), transactions)

    def loop_for(self, seconds: float, most: int | None = None) -> float:
        db = self.db
        done = 0
        start = time.perf_counter()
        deadline = start + seconds
        while time.perf_counter() < deadline and (most is None or done < most):
            n = self.count + done
            account, amount = n % self.accounts, 1 + n % 50
            db.execute("BEGIN IMMEDIATE")
            db.execute(
                "INSERT INTO postings (key, account_id, amount, recorded_at)"
                " VALUES (?, ?, ?, datetime('now'))",
                (f"raw:{n}", account, amount),
            )
            db.execute("UPDATE accounts SET balance = balance - ? WHERE id = ?", (amount, account))
            db.execute("COMMIT")
            done += 1
        elapsed = time.perf_counter() - start
        self.count += done
        return done / elapsed

    def close(self) -> None:
        self.db.close()


class PgBench:
    """``pgbench`` TPC-B-like, one client, in its own database on the same server."""

    def __init__(self, admin_url: str, database: str, pgbench: str) -> None:
        url = make_url(admin_url)
        self.pgbench = pgbench
        self.args = [
            "-h",
            url.host or "127.0.0.1",
            "-p",
            str(url.port or 5432),
            "-U",
            url.username or "postgres",
        ]
        self.database = database
        subprocess.run(
            [pgbench, "-i", "-s", "1", "-q", *self.args, database],
            check=True,
            capture_output=True,
        )

    def run_for(self, seconds: float) -> float:
        out = subprocess.run(
            [self.pgbench, "-c", "1", "-T", str(int(seconds)), *self.args, self.database],
            check=True,
            capture_output=True,
            text=True,
        ).stdout
        found = re.search(r"tps = ([0-9.]+) \(without initial connection time\)", out)
        if found is None:
            found = re.search(r"tps = ([0-9.]+)", out)
        if found is None:
            raise RuntimeError(f"no tps in pgbench output:\n{out}")
        return float(found.group(1))


@contextmanager
def postgres_database(base_url: str, name: str) -> Iterator[str]:
    """A fresh database ``name`` on the server of ``base_url``, dropped afterwards."""
    admin = create_engine_for(base_url).execution_options(isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}"'))
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield make_url(base_url).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


# -- running --------------------------------------------------------------------------


def interleave(
    runs: int,
    seconds: float,
    ledger: Callable[[float], float],
    baseline: Callable[[float], float],
    label: str,
) -> Sample:
    sample = Sample()
    for run in range(runs):
        steps = [("ledger", ledger, sample.ledger), ("baseline", baseline, sample.baseline)]
        if run % 2:
            steps.reverse()
        for name, step, into in steps:
            rate = step(seconds)
            into.append(rate)
            print(f"  [{label}] run {run + 1}/{runs} {name:8s} {rate:10.1f} tx/s", flush=True)
    return sample


def profile(label: str, bench: LedgerBench, seconds: float, top: int) -> None:
    """One more ledger run under cProfile; the ``top`` functions by cumulative time."""
    profiler = cProfile.Profile()
    profiler.enable()
    rate = bench.redeem_for(seconds)
    profiler.disable()
    print(f"== {label}: profiled run, {rate:.1f} redemptions/s under the profiler")
    pstats.Stats(profiler).sort_stats("cumulative").print_stats(top)


def report(label: str, sample: Sample, problems: list[str], baseline_name: str) -> bool:
    ledger, baseline = statistics.median(sample.ledger), statistics.median(sample.baseline)
    ratio = ledger / baseline
    # Each ledger run next to the baseline run beside it: on a shared machine the
    # baseline can swing several-fold between runs, which the ratio of medians mixes.
    paired = [mine / theirs for mine, theirs in zip(sample.ledger, sample.baseline, strict=True)]
    ok = ratio >= TARGET_RATIO and not problems
    print(f"== {label}")
    print(f"  ledger redemptions/s  median {ledger:10.1f}  runs {_fmt(sample.ledger)}")
    print(f"  {baseline_name:20s} median {baseline:10.1f}  runs {_fmt(sample.baseline)}")
    verdict = "met" if ratio >= TARGET_RATIO else "MISSED"
    print(f"  ratio {ratio:.1%} (target >= {TARGET_RATIO:.0%}): {verdict}")
    runs = ", ".join(f"{r:.1%}" for r in paired)
    print(f"  ratio run by run {runs}; median {statistics.median(paired):.1%}")
    print(f"  invariants: {'hold' if not problems else problems[:5]}")
    return ok


def _fmt(values: list[float]) -> str:
    return ", ".join(f"{v:.1f}" for v in values)


def bench_sqlite(args: argparse.Namespace) -> bool:
    folder = Path(tempfile.mkdtemp(prefix="alliance-ledger-bench-"))
    try:
        url = f"sqlite:///{folder / 'ledger.db'}"
        bench = LedgerBench(url, args.wallets, args.lots)
        synchronous = app_sqlite_synchronous(url)
        print(f"sqlite {sqlite3.sqlite_version}: app engine synchronous={synchronous}, WAL")
        raw = RawSqlite(folder / "raw.db", synchronous, args.wallets)
        sample = interleave(args.runs, args.seconds, bench.redeem_for, raw.loop_for, "sqlite")
        if args.profile:
            profile("SQLite", bench, args.seconds, args.profile)
        problems = bench.invariants()
        raw.close()
        bench.close()
        return report("SQLite", sample, problems, "raw sqlite3 tx/s")
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def bench_postgresql(args: argparse.Namespace) -> bool:
    base = os.environ.get("ALLIANCE_TEST_POSTGRES_URL")
    if not base:
        sys.exit('set ALLIANCE_TEST_POSTGRES_URL: eval "$(bash scripts/test-postgres)"')
    suffix = uuid.uuid4().hex[:8]
    with (
        postgres_database(base, f"bench_ledger_{suffix}") as url,
        postgres_database(base, f"bench_pgbench_{suffix}") as pgbench_url,
    ):
        bench = LedgerBench(url, args.wallets, args.lots)
        pgbench = PgBench(base, make_url(pgbench_url).database or "", args.pgbench)
        sample = interleave(args.runs, args.seconds, bench.redeem_for, pgbench.run_for, "pg")
        if args.profile:
            profile("PostgreSQL", bench, args.seconds, args.profile)
        problems = bench.invariants()
        bench.close()
        return report("PostgreSQL", sample, problems, "pgbench TPC-B tps")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--backend", choices=["sqlite", "postgresql", "both"], default="both")
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--wallets", type=int, default=1_000)
    parser.add_argument("--lots", type=int, default=3, help="lots per wallet")
    parser.add_argument(
        "--profile", type=int, default=0, metavar="N", help="profile one more ledger run: top N"
    )
    parser.add_argument("--pgbench", default=shutil.which("pgbench") or PGBENCH_DEFAULT)
    args = parser.parse_args()
    ok = True
    if args.backend in ("sqlite", "both"):
        ok &= bench_sqlite(args)
    if args.backend in ("postgresql", "both"):
        ok &= bench_postgresql(args)
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
