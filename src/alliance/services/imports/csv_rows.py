"""Small CSV files read row by row, each cell parsed with a located problem (X-7).

For the files of an OSR scenario that hold a row per customer, subscription or invoice
line — thousands of rows, not millions (usage lines go through :mod:`.usage`).
:class:`CsvFile` checks the header (required columns present, no unknown or repeated
column) and yields :class:`Row` objects; a cell that does not parse adds a
:class:`Problem` located ``file:line`` (the header is line 1) to the file's list and
returns ``None``, so that every problem of every row is collected before anything is
applied.

Cells: text is trimmed; an empty optional cell is "not given"; booleans are
``true/false``, ``1/0`` or ``yes/no`` (any case); dates ``YYYY-MM-DD``; amounts plain
decimals such as ``1250.00`` — exact, never floats, never rounded (X-1).
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterator
from datetime import date
from decimal import Decimal, InvalidOperation
from enum import StrEnum
from pathlib import Path
from typing import TypeVar

from alliance.domain.errors import InvalidInput, Problem
from alliance.domain.ledger.units import decimal_places

E = TypeVar("E", bound=StrEnum)

TRUE_WORDS = frozenset({"true", "1", "yes"})
FALSE_WORDS = frozenset({"false", "0", "no"})
DECIMAL_TEXT = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)")


class CsvFile:
    """A small CSV file with ``required`` and ``optional`` columns."""

    def __init__(
        self, path: Path, file_name: str, required: tuple[str, ...], optional: tuple[str, ...] = ()
    ) -> None:
        self.path = path
        self.file_name = file_name
        self.required = required
        self.optional = optional
        self.problems: list[Problem] = []

    def rows(self) -> Iterator[Row]:
        """Every data row; a header problem stops the file before any row."""
        try:
            with self.path.open(encoding="utf-8-sig", newline="") as stream:
                reader = csv.reader(stream)
                header = [name.strip() for name in next(reader, [])]
                self._check_header(header)
                if self.problems:
                    return
                for cells in reader:
                    if not any(cell.strip() for cell in cells):
                        continue  # a blank line
                    row = Row(self, reader.line_num, dict(zip(header, cells, strict=False)))
                    if len(cells) != len(header):
                        row.problem("line", f"has {len(cells)} cell(s), the header {len(header)}")
                        continue
                    yield row
        except (csv.Error, UnicodeDecodeError) as error:
            raise InvalidInput(
                f"{self.file_name} is not a UTF-8 CSV file: {error}", field="file", rule="X-7"
            ) from None

    def raise_if_any(self, what: str) -> None:
        if self.problems:
            raise InvalidInput(
                f"{self.file_name}: {len(self.problems)} problem(s) in the {what}; "
                "nothing imported",
                problems=self.problems,
            )

    def _check_header(self, header: list[str]) -> None:
        known = set(self.required) | set(self.optional)
        here = self.file_name
        for name in self.required:
            if name not in header:
                self.problems.append(Problem("column is missing", name, "X-7", here))
        for name in dict.fromkeys(header):
            if name not in known:
                self.problems.append(Problem("unknown column", name, "X-7", here))
            elif header.count(name) > 1:
                self.problems.append(Problem("column appears more than once", name, "X-7", here))


class Row:
    """One data row: its line and cells; parsers return None after adding a problem."""

    def __init__(self, file: CsvFile, line: int, cells: dict[str, str]) -> None:
        self.file = file
        self.line = line
        self.cells = {name: value.strip() for name, value in cells.items()}

    @property
    def location(self) -> str:
        return f"{self.file.file_name}:{self.line}"

    def problem(self, field: str, message: str, rule: str = "X-7") -> None:
        self.file.problems.append(Problem(message, field, rule, self.location))

    def given(self, name: str) -> bool:
        return bool(self.cells.get(name, ""))

    def text(self, name: str, *, required: bool = True) -> str | None:
        value = self.cells.get(name, "")
        if value:
            return value
        if required:
            self.problem(name, "is required")
        return None

    def flag(self, name: str, default: bool | None = None) -> bool | None:
        value = self.cells.get(name, "").lower()
        if not value:
            if default is None:
                self.problem(name, "is required")
            return default
        if value in TRUE_WORDS:
            return True
        if value in FALSE_WORDS:
            return False
        self.problem(name, f"must be true/false, 1/0 or yes/no, got {value!r}")
        return None

    def day(self, name: str, *, required: bool = True) -> date | None:
        value = self.text(name, required=required)
        if value is None:
            return None
        try:
            return date.fromisoformat(value)
        except ValueError:
            self.problem(name, f"is not a date written YYYY-MM-DD, got {value!r}", "X-2")
            return None

    def amount(self, name: str, places: int) -> Decimal | None:
        """A required amount ≥ 0 with at most ``places`` decimals."""
        value = self.text(name)
        if value is None:
            return None
        if not DECIMAL_TEXT.fullmatch(value):
            self.problem(name, f"is not a decimal number such as 12.50, got {value!r}", "X-1")
            return None
        try:
            number = Decimal(value)
        except InvalidOperation:  # pragma: no cover - the pattern admits only numbers
            self.problem(name, f"is not a number, got {value!r}", "X-1")
            return None
        if number < 0:
            self.problem(name, "must be ≥ 0")
            return None
        if decimal_places(number) > places:
            self.problem(name, f"has more than {places} decimal places", "X-1")
            return None
        return number

    def choice(self, name: str, kind: type[E], rule: str, default: E | None = None) -> E | None:
        value = self.cells.get(name, "")
        if not value:
            if default is None:
                self.problem(name, "is required")
            return default
        try:
            return kind(value)
        except ValueError:
            allowed = ", ".join(member.value for member in kind)
            self.problem(name, f"must be one of {allowed}, got {value!r}", rule)
            return None

    def ids(self, name: str) -> list[str]:
        """A list of ids separated by ``;`` (or spaces); empty when not given."""
        return [part for part in re.split(r"[;\s]+", self.cells.get(name, "")) if part]
