"""Steady costs of one ledger redemption, less sensitive to a shared machine than rates.

    .venv/bin/python benchmarks/ledger_costs.py --backend both --redemptions 400
    strace -f -c -e trace=sendto,recvfrom .venv/bin/python benchmarks/ledger_costs.py \
        --backend postgresql --redemptions 0|400     # round trips: the difference / 400

Same database as ``benchmarks/ledger.py`` (``--wallets`` wallets of three lots, wallets
round robin). It prints:

- **SQLite — WAL pages per commit** (``wal_autocheckpoint`` off, the WAL's growth over
  the redemptions divided by its frame size): for a book's first redemption (which
  creates its ``spent`` account) and for later ones, and for the raw ``sqlite3`` loop of
  ``benchmarks/ledger.py``;
- **client CPU per redemption** (``time.process_time``), per backend.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sqlite3
import sys
import tempfile
import time
import uuid
from contextlib import closing
from pathlib import Path
from typing import Any

from ledger import LedgerBench, RawSqlite, app_sqlite_synchronous, postgres_database
from sqlalchemy import event


def _wal_frames(wal: Path, page_size: int) -> float:
    return (wal.stat().st_size - 32) / (page_size + 24) if wal.exists() else 0.0


def _timed(bench: LedgerBench, redemptions: int) -> tuple[float, float]:
    """Redeem ``redemptions`` times; client CPU ms and wall ms per redemption."""
    cpu, wall = time.process_time(), time.perf_counter()
    done = 0
    while done < redemptions:  # a deadline far away: exactly ``redemptions`` of them
        start = bench.count
        bench.redeem_count(redemptions - done)
        done += bench.count - start
    n = max(redemptions, 1)
    return (time.process_time() - cpu) * 1000 / n, (time.perf_counter() - wall) * 1000 / n


def sqlite_costs(wallets: int, redemptions: int) -> None:
    folder = Path(tempfile.mkdtemp(prefix="alliance-ledger-costs-"))
    try:
        url = f"sqlite:///{folder / 'ledger.db'}"
        bench = LedgerBench(url, wallets, 3)
        synchronous = app_sqlite_synchronous(url)
        bench.engine.dispose()

        @event.listens_for(bench.engine, "connect")
        def _no_checkpoint(dbapi_connection: Any, _record: Any) -> None:
            dbapi_connection.execute("PRAGMA wal_autocheckpoint = 0")

        with closing(sqlite3.connect(folder / "ledger.db")) as db:
            db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            page = int(db.execute("PRAGMA page_size").fetchone()[0])
        wal = folder / "ledger.db-wal"
        first = min(redemptions, wallets)
        before = _wal_frames(wal, page)
        cpu_first, _ = _timed(bench, first)  # each a book's first redemption
        middle = _wal_frames(wal, page)
        cpu_later, wall_later = _timed(bench, redemptions)  # books with a spent account
        after = _wal_frames(wal, page)
        raw = RawSqlite(folder / "raw.db", synchronous, wallets)
        raw.db.execute("PRAGMA wal_autocheckpoint = 0")
        raw_wal = folder / "raw.db-wal"
        raw_before = _wal_frames(raw_wal, page)
        raw.loop_count(redemptions)
        raw_pages = (_wal_frames(raw_wal, page) - raw_before) / max(redemptions, 1)
        problems = bench.invariants()
        print(f"== SQLite (page {page} B, synchronous={synchronous})")
        print(
            f"  WAL pages per commit: first redemption of a book {(middle - before) / first:.2f},"
            f" later {(after - middle) / max(redemptions, 1):.2f}; raw loop {raw_pages:.2f}"
        )
        print(
            f"  client CPU per redemption: first {cpu_first:.3f} ms, later {cpu_later:.3f} ms"
            f" (wall {wall_later:.3f} ms)"
        )
        print(f"  invariants: {'hold' if not problems else problems[:5]}")
        raw.close()
        bench.close()
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def postgresql_costs(wallets: int, redemptions: int) -> None:
    base = os.environ.get("ALLIANCE_TEST_POSTGRES_URL")
    if not base:
        sys.exit('set ALLIANCE_TEST_POSTGRES_URL: eval "$(bash scripts/test-postgres)"')
    with postgres_database(base, f"bench_costs_{uuid.uuid4().hex[:8]}") as url:
        bench = LedgerBench(url, wallets, 3)
        _timed(bench, min(redemptions, wallets))  # every book gets its spent account
        cpu, wall = _timed(bench, redemptions)
        problems = bench.invariants()
        print("== PostgreSQL")
        print(f"  client CPU per redemption {cpu:.3f} ms (wall {wall:.3f} ms)")
        print(f"  invariants: {'hold' if not problems else problems[:5]}")
        bench.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--backend", choices=["sqlite", "postgresql", "both"], default="both")
    parser.add_argument("--redemptions", type=int, default=400)
    parser.add_argument("--wallets", type=int, default=1_000)
    args = parser.parse_args()
    if args.backend in ("sqlite", "both"):
        sqlite_costs(args.wallets, args.redemptions)
    if args.backend in ("postgresql", "both"):
        postgresql_costs(args.wallets, args.redemptions)


if __name__ == "__main__":
    main()
