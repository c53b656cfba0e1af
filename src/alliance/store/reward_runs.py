"""The usage import registry and the accrual runs, in SQL (X-4, X-5, OSR-12).

A usage import's row and its Parquet file appear together or not at all: the import
service moves the file into place, then commits this row (and removes the file if the
commit fails). ``sha256`` is unique, so the same content is never imported twice.
"""

from __future__ import annotations

from collections import defaultdict

from sqlalchemy import ColumnElement, RowMapping, insert, select
from sqlalchemy.orm import Session

from alliance.domain.calendar import Month
from alliance.services.rewards.ports import AccrualRunRecord, UsageImport
from alliance.store.integrity import guarded
from alliance.store.rewards_tables import (
    reward_accrual_runs,
    usage_import_months,
    usage_imports,
)

IMP, MON, RUN = usage_imports, usage_import_months, reward_accrual_runs


class SqlUsageImportRepository:
    def __init__(self, session: Session) -> None:
        self._session = session

    def by_sha256(self, sha256: str) -> UsageImport | None:
        found = self._select(IMP.c.sha256 == sha256)
        return found[0] if found else None

    def add(self, record: UsageImport) -> None:
        with guarded(self._session, IMP, "usage import"):
            self._session.execute(
                insert(IMP).values(
                    id=record.id,
                    file_name=record.file_name,
                    sha256=record.sha256,
                    row_count=record.row_count,
                    path=record.path,
                    actor=record.actor,
                    imported_at=record.imported_at,
                )
            )
            if record.months:
                self._session.execute(
                    insert(MON),
                    [{"import_id": record.id, "month": m.label} for m in record.months],
                )

    def covering(self, month: Month) -> list[UsageImport]:
        return self._select(IMP.c.id.in_(select(MON.c.import_id).where(MON.c.month == month.label)))

    def every(self) -> list[UsageImport]:
        return self._select(None)

    def _select(self, where: ColumnElement[bool] | None) -> list[UsageImport]:
        query = select(IMP).order_by(IMP.c.imported_at, IMP.c.id)
        if where is not None:
            query = query.where(where)
        rows = list(self._session.execute(query).mappings())
        if not rows:
            return []
        months: dict[str, list[Month]] = defaultdict(list)
        ids = [row["id"] for row in rows]
        for import_id, label in self._session.execute(
            select(MON.c.import_id, MON.c.month).where(MON.c.import_id.in_(ids))
        ):
            months[import_id].append(Month.parse(label))
        return [_import(row, sorted(months[row["id"]])) for row in rows]


def _import(row: RowMapping, months: list[Month]) -> UsageImport:
    return UsageImport(
        id=row["id"],
        file_name=row["file_name"],
        sha256=row["sha256"],
        months=tuple(months),
        row_count=row["row_count"],
        path=row["path"],
        actor=row["actor"],
        imported_at=row["imported_at"],
    )


class SqlAccrualRunRepository:
    def __init__(self, session: Session) -> None:
        self._session = session

    def add(self, run: AccrualRunRecord) -> None:
        with guarded(self._session, RUN, "accrual run"):
            self._session.execute(
                insert(RUN).values(
                    id=run.id,
                    program=run.program,
                    month=run.month.label,
                    lines=run.lines,
                    new_lots=run.new_lots,
                    existing_lots=run.existing_lots,
                    actor=run.actor,
                    ran_at=run.ran_at,
                )
            )

    def accrued_months(self, program: str) -> set[Month]:
        query = select(RUN.c.month).where(RUN.c.program == program).distinct()
        return {Month.parse(label) for label in self._session.execute(query).scalars()}

    def of_month(self, program: str, month: Month) -> list[AccrualRunRecord]:
        query = (
            select(RUN)
            .where(RUN.c.program == program, RUN.c.month == month.label)
            .order_by(RUN.c.ran_at, RUN.c.id)
        )
        return [
            AccrualRunRecord(
                id=row["id"],
                program=row["program"],
                month=Month.parse(row["month"]),
                lines=row["lines"],
                new_lots=row["new_lots"],
                existing_lots=row["existing_lots"],
                actor=row["actor"],
                ran_at=row["ran_at"],
            )
            for row in self._session.execute(query).mappings()
        ]
