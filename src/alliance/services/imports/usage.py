"""Importing usage lines (OSR-12) from CSV or Parquet: all or nothing (X-7), once (X-5).

1. The file's SHA-256 is looked up in the registry: content imported before is a no-op
   that says so (X-5).
2. Every row is validated, batch by batch in bounded memory, with vectorised checks
   (:mod:`.usage_rows`) against the customers and subscriptions of the store; good
   batches are written meanwhile to a temporary canonical Parquet file next to its final
   place (``data_dir/facts/usage/{import}.parquet``).
3. Any bad row — or usage of a month already accrued (OSR-12: rewards are computed once
   at the end of each month) — fails the import: every problem is reported with its
   line (the first :data:`MAX_LISTED`, and how many rows failed in all), the temporary
   file is removed, nothing is recorded.
4. Otherwise the file is moved into place and the registry row committed with an audit
   record; if the commit fails the file is removed, so the two appear together or not
   at all.

Validation reads the store in one short unit of work and the registry row is written in
another, so no database lock is held while a large file is read.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from alliance.batch.usage_schema import USAGE_SCHEMA
from alliance.domain import audit
from alliance.domain.access import Actor
from alliance.domain.calendar import Month
from alliance.domain.clock import Clock
from alliance.domain.errors import InvalidInput, Problem
from alliance.domain.ids import new_id
from alliance.services.imports.columns import ColumnTypeError, RowCheck
from alliance.services.imports.files import StagedFile, sha256_of
from alliance.services.imports.usage_rows import KnownFacts, check_batch, failing_rows, row_problems
from alliance.services.imports.usage_sources import UsageFormat, UsageSource, column_problems
from alliance.services.ports import UnitOfWork
from alliance.services.rewards.access import require_operator
from alliance.services.rewards.ports import UsageImport

#: How many problems an import lists at most; the message counts every failing row.
MAX_LISTED = 1_000
USAGE_FOLDER = Path("facts") / "usage"

Progress = Callable[[int], None]


@dataclass(frozen=True)
class UsageImportResult:
    """The registry row of the file, and whether it had been imported before (X-5)."""

    record: UsageImport
    already_imported: bool

    @property
    def summary(self) -> str:
        r = self.record
        months = ", ".join(m.label for m in r.months)
        if self.already_imported:
            return (
                f"{r.file_name}: already imported as {r.id} on {r.imported_at:%Y-%m-%d} "
                f"({r.row_count:,} lines); nothing changed"
            )
        return f"{r.file_name}: imported {r.row_count:,} usage lines for {months} as {r.id}"


@dataclass
class _Scan:
    rows: int = 0
    bad_rows: int = 0
    months: set[str] = field(default_factory=set)


def import_usage(
    uow: UnitOfWork,
    actor: Actor,
    path: Path,
    *,
    data_dir: Path,
    clock: Clock,
    file_name: str | None = None,
    fmt: UsageFormat | None = None,
    program: str = "osr",
    progress: Progress | None = None,
) -> UsageImportResult:
    """Import the usage lines of ``path`` (see the module doc)."""
    require_operator(actor)
    name = file_name or path.name
    source = UsageSource(path, name, fmt or UsageFormat.of(name))
    digest = sha256_of(path)
    with uow:
        existing = uow.rewards.usage_imports.by_sha256(digest)
        if existing is not None:
            return UsageImportResult(existing, already_imported=True)
        known = _known_facts(uow)
        accrued = uow.rewards.accrual_runs.accrued_months(program)
    import_id = new_id("imp")
    staged = StagedFile(data_dir / USAGE_FOLDER / f"{import_id}.parquet")
    try:
        scan = _validate_and_write(source, known, staged.temporary, progress)
        months = tuple(sorted(Month.parse(label) for label in scan.months))
        _refuse_accrued(months, accrued, name)
        record = UsageImport(
            id=import_id,
            file_name=name,
            sha256=digest,
            months=months,
            row_count=scan.rows,
            path=(USAGE_FOLDER / f"{import_id}.parquet").as_posix(),
            actor=actor.name,
            imported_at=clock.now(),
        )
        with uow:
            existing = uow.rewards.usage_imports.by_sha256(digest)
            if existing is not None:  # imported meanwhile by someone else
                staged.discard()
                return UsageImportResult(existing, already_imported=True)
            _refuse_accrued(months, uow.rewards.accrual_runs.accrued_months(program), name)
            uow.rewards.usage_imports.add(record)
            uow.audit.append(
                audit.created(actor, "usage_import", import_id, _audited(record), clock.now())
            )
            staged.place()
            uow.commit()
    except BaseException:
        staged.discard()
        raise
    return UsageImportResult(record, already_imported=False)


def _known_facts(uow: UnitOfWork) -> KnownFacts:
    owners = uow.rewards.subscriptions.owners()
    ids = sorted(owners)
    return KnownFacts(
        customers=pa.array(
            sorted(c.id for c in uow.rewards.customers.every_customer()), pa.string()
        ),
        subscription_ids=pa.array(ids, pa.string()),
        subscription_customers=pa.array([owners[i][0] for i in ids], pa.string()),
    )


def _validate_and_write(
    source: UsageSource, known: KnownFacts, target: Path, progress: Progress | None
) -> _Scan:
    """Check every row; write the canonical file while no problem has been found."""
    problems = column_problems(source.header(), source.file_name)
    if problems:
        raise InvalidInput(
            f"{source.file_name} does not have the usage-line columns; nothing imported",
            problems=problems,
        )
    scan = _Scan()
    writer = pq.ParquetWriter(target, USAGE_SCHEMA, compression="zstd")
    try:
        for batch in source.batches():
            canonical, checks = _checked(batch, known, source)
            room = MAX_LISTED - len(problems)
            problems += row_problems(batch, checks, _locator(source, scan.rows), room)
            scan.bad_rows += failing_rows(checks)
            if not checks and not problems and not source.problems:
                writer.write_batch(canonical)
                scan.months.update(canonical.column("month").unique().to_pylist())
            scan.rows += batch.num_rows
            if progress is not None:
                progress(batch.num_rows)
    finally:
        writer.close()
    problems = (source.problems + problems)[:MAX_LISTED]
    bad = scan.bad_rows + len(source.problems)
    if bad or problems:
        raise InvalidInput(
            f"{source.file_name}: {bad:,} bad row(s) of {scan.rows + len(source.problems):,}; "
            "nothing imported",
            problems=problems,
        )
    if scan.rows == 0:
        raise InvalidInput(f"{source.file_name} holds no usage lines", field="file", rule="X-7")
    return scan


def _locator(source: UsageSource, offset: int) -> Callable[[int], str]:
    """Where row ``i`` of a batch starting at row ``offset`` of the file is."""
    return lambda i: source.locate(offset + i)


def _checked(
    batch: pa.RecordBatch, known: KnownFacts, source: UsageSource
) -> tuple[pa.RecordBatch, list[RowCheck]]:
    try:
        return check_batch(batch, known)
    except ColumnTypeError as error:
        problem = Problem(
            error.message, field=error.field, rule=error.rule, location=source.file_name
        )
        raise InvalidInput(
            f"{source.file_name}: column {error.field} has the wrong type; nothing imported",
            field=error.field,
            rule=error.rule,
            problems=[problem],
        ) from None


def _refuse_accrued(months: tuple[Month, ...], accrued: set[Month], file_name: str) -> None:
    late = [m for m in months if m in accrued]
    if late:
        raise InvalidInput(
            f"{file_name} holds usage of months already accrued; nothing imported",
            problems=[
                Problem(
                    f"{m} was already accrued: its rewards were computed at the end of the month",
                    field="month",
                    rule="OSR-12",
                    location=file_name,
                )
                for m in late
            ],
        )


def _audited(record: UsageImport) -> dict[str, object]:
    return {
        "file_name": record.file_name,
        "sha256": record.sha256,
        "months": [m.label for m in record.months],
        "row_count": record.row_count,
        "path": record.path,
    }
