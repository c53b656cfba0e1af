"""Reading a usage file batch by batch, CSV or Parquet, in bounded memory.

A source checks its columns first (every column of :data:`USAGE_SCHEMA`, no unknown
one, X-7) and then yields record batches; :meth:`UsageSource.locate` says where a row
is: ``usage.csv:14`` (the CSV line; the header is line 1) or ``usage.parquet:row 14``.
CSV cells are read as text and parsed by :mod:`.columns`; a CSV row with the wrong
number of cells is reported with its line and skipped, so that the import fails.
"""

from __future__ import annotations

import bisect
import csv
from collections.abc import Iterator, Sequence
from enum import StrEnum
from pathlib import Path

import pyarrow as pa
import pyarrow.csv as pacsv
import pyarrow.parquet as pq

from alliance.batch.usage_schema import USAGE_SCHEMA
from alliance.domain.errors import InvalidInput, Problem

BATCH_ROWS = 262_144
CSV_BLOCK_BYTES = 8 << 20


class UsageFormat(StrEnum):
    CSV = "csv"
    PARQUET = "parquet"

    @classmethod
    def of(cls, file_name: str) -> UsageFormat:
        """The format a file name says (``.csv``, ``.parquet``/``.pq``), else InvalidInput."""
        suffix = Path(file_name).suffix.lower()
        if suffix == ".csv":
            return cls.CSV
        if suffix in {".parquet", ".pq"}:
            return cls.PARQUET
        raise InvalidInput(
            f"cannot tell the format of {file_name}: name it .csv or .parquet, or give the format",
            field="format",
            rule="X-7",
        )


def column_problems(names: list[str], file_name: str) -> list[Problem]:
    """Missing, unknown and repeated columns, each located at the file."""
    problems = [
        Problem("column is missing", field=name, rule="X-7", location=file_name)
        for name in USAGE_SCHEMA.names
        if name not in names
    ]
    problems += [
        Problem("unknown column", field=name, rule="X-7", location=file_name)
        for name in dict.fromkeys(names)
        if name not in USAGE_SCHEMA.names
    ]
    problems += [
        Problem("column appears more than once", field=name, rule="X-7", location=file_name)
        for name in dict.fromkeys(names)
        if names.count(name) > 1
    ]
    return problems


class UsageSource:
    """A usage file to read; ``problems`` collects what the reader itself finds.

    ``columns``: the CSV columns read as text (default: those of :data:`USAGE_SCHEMA`);
    other imports of facts (:mod:`alliance.services.tier_facts.imports`) name theirs."""

    def __init__(
        self, path: Path, file_name: str, fmt: UsageFormat, columns: Sequence[str] | None = None
    ) -> None:
        self.path = path
        self.file_name = file_name
        self.format = fmt
        self.columns = list(USAGE_SCHEMA.names if columns is None else columns)
        self.problems: list[Problem] = []
        self._skipped: list[int] = []  # CSV lines skipped by the reader, sorted

    def header(self) -> list[str]:
        if self.format is UsageFormat.PARQUET:
            try:
                return list(pq.ParquetFile(self.path).schema_arrow.names)
            except (pa.ArrowInvalid, OSError) as error:
                raise InvalidInput(
                    f"{self.file_name} is not a Parquet file: {error}", field="file", rule="X-7"
                ) from None
        with self.path.open(encoding="utf-8-sig", newline="") as stream:
            try:
                first = next(csv.reader(stream), [])
            except (csv.Error, UnicodeDecodeError) as error:
                raise InvalidInput(
                    f"{self.file_name} is not a UTF-8 CSV file: {error}", field="file", rule="X-7"
                ) from None
        return [name.strip() for name in first]

    def batches(self) -> Iterator[pa.RecordBatch]:
        if self.format is UsageFormat.PARQUET:
            yield from pq.ParquetFile(self.path).iter_batches(batch_size=BATCH_ROWS)
            return
        reader = pacsv.open_csv(
            self.path,
            read_options=pacsv.ReadOptions(use_threads=False, block_size=CSV_BLOCK_BYTES),
            parse_options=pacsv.ParseOptions(invalid_row_handler=self._invalid_row),
            convert_options=pacsv.ConvertOptions(
                column_types=dict.fromkeys(self.columns, pa.string()),
                strings_can_be_null=False,
            ),
        )
        try:
            yield from reader
        except (pa.ArrowInvalid, UnicodeDecodeError) as error:
            raise InvalidInput(
                f"{self.file_name} cannot be read as CSV: {error}", field="file", rule="X-7"
            ) from None

    def locate(self, row: int) -> str:
        """Where data row ``row`` (0-based, over the whole file) is."""
        if self.format is UsageFormat.PARQUET:
            return f"{self.file_name}:row {row + 1}"
        line = row + 2
        for skipped in self._skipped:  # few: each one fails the import anyway
            if skipped <= line:
                line += 1
        return f"{self.file_name}:{line}"

    def _invalid_row(self, row: pacsv.InvalidRow) -> str:
        where = f"{self.file_name}:{row.number}" if row.number is not None else self.file_name
        self.problems.append(
            Problem(
                f"has {row.actual_columns} cell(s), the header {row.expected_columns}",
                field="line",
                rule="X-7",
                location=where,
            )
        )
        if row.number is not None:
            bisect.insort(self._skipped, row.number)
        return "skip"
