"""The columns of each kind of fact file, and their vectorised parsing (X-7).

Every kind names its columns (:data:`COLUMNS`, documented in ``docs/facts.md``): each
is required or optional, and of one of the :class:`Cell` sorts. A column is parsed by
the parsers of :mod:`alliance.services.imports.columns` — text from CSV or JSON, or a
Parquet column of a compatible type — into its Arrow type, with a
:class:`~alliance.services.imports.columns.RowCheck` per rule its rows may break.

Sorts of cells: text (trimmed; an optional one empty is ``""``), a date ``YYYY-MM-DD``
(X-2), a month ``YYYY-MM`` (X-2), an amount — a plain decimal ≥ 0 with at most 4
decimals, never a float (X-1) —, a count (an integer ≥ 0), a currency (ISO 4217), one
of a list of values, and a list of ids separated by ``;``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from alliance.batch.tier_facts import AMOUNT
from alliance.domain.facts import RevenueKind
from alliance.services.imports.columns import (
    ColumnTypeError,
    RowCheck,
    missing,
    parse_choice,
    parse_decimal,
    parse_pattern,
    parse_text,
)
from alliance.services.imports.usage_rows import CURRENCY_PATTERN, MONTH_PATTERN
from alliance.services.tier_facts.ports import FactKind

DATE_PATTERN = r"^\d{4}-\d{2}-\d{2}$"
COUNT_PATTERN = r"^\d{1,15}$"
#: OIP-1: the earned-status member types.
MEMBER_TYPES = ("ambassador", "operator")

Parsed = tuple[pa.Array, list[RowCheck]]


class Cell(StrEnum):
    TEXT = "text"
    DATE = "date"
    MONTH = "month"
    AMOUNT = "amount"
    COUNT = "count"
    CURRENCY = "currency"
    CHOICE = "choice"
    IDS = "ids"


@dataclass(frozen=True)
class Column:
    """A column of a fact file: its name, sort, whether it must be given, its rule."""

    name: str
    cell: Cell
    required: bool = True
    choices: tuple[str, ...] = ()
    rule: str = "X-7"
    default: str = ""  # an optional text column left empty

    @property
    def arrow_type(self) -> pa.DataType:
        return {
            Cell.DATE: pa.date32(),
            Cell.AMOUNT: AMOUNT,
            Cell.COUNT: pa.int64(),
            Cell.IDS: pa.list_(pa.string()),
        }.get(self.cell, pa.string())

    def parse(self, array: pa.Array) -> Parsed:
        return _PARSERS[self.cell](array, self)


def _text(name: str, *, required: bool = True, default: str = "") -> Column:
    return Column(name, Cell.TEXT, required, default=default)


def _date(name: str, *, required: bool = True) -> Column:
    return Column(name, Cell.DATE, required, rule="X-2")


PARTNER = _text("partner_id")
AREA = Column("area", Cell.TEXT, rule="MCPP-1")  # checked against the MCPP areas
MONTH = Column("month", Cell.MONTH, rule="X-2")
AMOUNT_COLUMN = Column("amount", Cell.AMOUNT, rule="X-1")
CURRENCY = Column("currency", Cell.CURRENCY, rule="X-1")

COLUMNS: dict[FactKind, tuple[Column, ...]] = {
    FactKind.PARTNERS: (PARTNER,),  # and one text column per classifying attribute
    FactKind.CERTIFICATIONS: (
        PARTNER,
        _text("person_id"),
        _text("certification_id"),
        _date("earned_on"),
        _date("retired_on", required=False),
    ),
    FactKind.CUSTOMERS: (
        PARTNER,
        _text("customer_id"),
        AREA,
        _date("associated_on"),
        _date("ended_on", required=False),
    ),
    FactKind.DEPLOYMENTS: (
        PARTNER,
        _text("deployment_id"),
        AREA,
        _date("deployed_on"),
        _text("service_id", required=False),
        _text("customer_id", required=False),
    ),
    FactKind.USAGE: (
        PARTNER,
        AREA,
        MONTH,
        AMOUNT_COLUMN,
        Column("active_users", Cell.COUNT, required=False),
        _text("customer_id", required=False),
        _text("product", required=False),
    ),
    FactKind.DEALS: (
        _text("deal_id"),
        _text("transacting_partner_id"),
        Column("influencing_partner_ids", Cell.IDS, required=False, rule="PEX-3"),
        AMOUNT_COLUMN,
        CURRENCY,
        Column("products", Cell.IDS, required=False),
        _text("product_kind", required=False, default="license"),
        _date("booked_on"),
    ),
    FactKind.MEMBERS: (
        PARTNER,
        Column("member_type", Cell.CHOICE, choices=MEMBER_TYPES, rule="OIP-1"),
        _date("member_since", required=False),
    ),
    FactKind.REVENUE: (
        PARTNER,
        MONTH,
        AMOUNT_COLUMN,
        CURRENCY,
        Column("kind", Cell.CHOICE, choices=tuple(k.value for k in RevenueKind), rule="OIP-2"),
        _text("product_line", required=False),
        _text("line_id", required=False),
        _text("customer_id", required=False),
    ),
    FactKind.ORDERS: (
        PARTNER,
        _text("order_id"),
        _date("ordered_on"),
        AMOUNT_COLUMN,
        CURRENCY,
    ),
}
"""The columns of each kind's file, in the order the documentation lists them."""

#: The columns naming partners, checked against the organisations (X-7).
PARTNER_COLUMNS = ("partner_id", "transacting_partner_id", "influencing_partner_ids")

#: Date pairs a fact may not invert: (start, end, rule).
DATE_ORDER: dict[FactKind, tuple[str, str, str]] = {
    FactKind.CERTIFICATIONS: ("earned_on", "retired_on", "MCPP-10"),
    FactKind.CUSTOMERS: ("associated_on", "ended_on", "MCPP-10"),
}


def columns_of(kind: FactKind, header: list[str]) -> tuple[Column, ...]:
    """The columns of ``kind``; for partners, every other column of ``header`` is an
    optional text attribute (MCPP-9: ``customer_segment`` classifies into a track)."""
    declared = COLUMNS[kind]
    if kind is not FactKind.PARTNERS:
        return declared
    extra = [name for name in dict.fromkeys(header) if name != PARTNER.name]
    return declared + tuple(Column(name, Cell.TEXT, required=False) for name in extra)


# -- parsers ---------------------------------------------------------------------------


def _is_text(array: pa.Array) -> bool:
    return bool(pa.types.is_string(array.type) or pa.types.is_large_string(array.type))


def _clean(array: pa.Array) -> pa.Array:
    return pc.fill_null(pc.utf8_trim_whitespace(array.cast(pa.string())), "")


def _optional(
    column: Column, parse: Callable[[pa.Array, str], Parsed]
) -> Callable[[pa.Array], Parsed]:
    """Parse ``column`` where a value is given; the required-check only if required."""

    def run(array: pa.Array) -> Parsed:
        absent = missing(array)
        value, checks = parse(array, column.name)
        if column.required:
            return value, checks
        given = pc.invert(absent)
        kept = [
            RowCheck(c.field, c.rule, c.message, pc.and_(c.mask, given), c.echo, c.shown)
            for c in checks
            if c.message != "is required"
        ]
        return value, kept

    return run


def _parse_text(array: pa.Array, column: Column) -> Parsed:
    if column.required:
        return parse_text(array, column.name)
    if pa.types.is_null(array.type):
        return pa.array([column.default] * len(array), pa.string()), []
    if not _is_text(array):
        raise ColumnTypeError(column.name, f"is {array.type}, must be text")
    text = _clean(array)
    if column.default:
        text = pc.if_else(pc.equal(text, ""), column.default, text)
    return text, []


def _parse_date(array: pa.Array, column: Column) -> Parsed:
    absent = missing(array) if not pa.types.is_null(array.type) else pc.is_null(array)
    required = [RowCheck(column.name, "X-7", "is required", absent)] if column.required else []
    if pa.types.is_date32(array.type) or pa.types.is_date64(array.type):
        return array.cast(pa.date32()), required
    if pa.types.is_null(array.type):
        return pa.nulls(len(array), pa.date32()), required
    if not _is_text(array):
        raise ColumnTypeError(column.name, f"is {array.type}, must be a date", "X-2")
    text = _clean(array)
    shaped = pc.match_substring_regex(text, DATE_PATTERN)
    usable = pc.if_else(shaped, text, pa.scalar(None, pa.string()))
    parsed = pc.strptime(usable, format="%Y-%m-%d", unit="s", error_is_null=True)
    # strptime rolls 2023-02-30 over to March: a real day prints back as it was written
    real = pc.fill_null(pc.equal(pc.strftime(parsed, format="%Y-%m-%d"), text), False)
    value = pc.if_else(real, parsed, pa.scalar(None, parsed.type)).cast(pa.date32())
    wrong = pc.and_(pc.invert(absent), pc.invert(real))
    return value, [
        *required,
        RowCheck(column.name, "X-2", "is not a date written YYYY-MM-DD", wrong, echo=True),
    ]


def _parse_count(array: pa.Array, column: Column) -> Parsed:
    if pa.types.is_integer(array.type):
        absent = pc.is_null(array)
        value = pc.fill_null(array.cast(pa.int64()), 0)
        negative = pc.less(value, 0)
        checks = [RowCheck(column.name, "X-7", "must be ≥ 0", negative)]
        if column.required:
            checks.append(RowCheck(column.name, "X-7", "is required", absent))
        return value, checks
    if pa.types.is_null(array.type):
        return pa.array(np.zeros(len(array), dtype=np.int64)), []
    if not _is_text(array):
        raise ColumnTypeError(column.name, f"is {array.type}, must be a whole number")
    text = _clean(array)
    absent = pc.equal(text, "")
    shaped = pc.match_substring_regex(text, COUNT_PATTERN)
    value = pc.if_else(shaped, text, "0").cast(pa.int64())
    checks = [
        RowCheck(
            column.name,
            "X-7",
            "is not a whole number ≥ 0",
            pc.and_(pc.invert(absent), pc.invert(shaped)),
            echo=True,
        )
    ]
    if column.required:
        checks.append(RowCheck(column.name, "X-7", "is required", absent))
    return value, checks


def _parse_ids(array: pa.Array, column: Column) -> Parsed:
    if pa.types.is_list(array.type) or pa.types.is_large_list(array.type):
        lists = array.cast(pa.list_(pa.string())).to_pylist()
        values = [[part.strip() for part in (ids or []) if part and part.strip()] for ids in lists]
    elif pa.types.is_null(array.type):
        values = [[] for _ in range(len(array))]
    elif _is_text(array):
        values = [
            [part.strip() for part in (text or "").split(";") if part.strip()]
            for text in array.to_pylist()
        ]
    else:
        raise ColumnTypeError(column.name, f"is {array.type}, must be ids separated by ;")
    repeated = pa.array([len(set(ids)) != len(ids) for ids in values])
    checks = [RowCheck(column.name, column.rule, "names an id twice", repeated)]
    if column.required:
        empty = pa.array([not ids for ids in values])
        checks.append(RowCheck(column.name, "X-7", "is required", empty))
    return pa.array(values, pa.list_(pa.string())), checks


def _parse_amount(array: pa.Array, column: Column) -> Parsed:
    return parse_decimal(array, column.name, AMOUNT)


def _parse_month(array: pa.Array, column: Column) -> Parsed:
    return parse_pattern(array, column.name, MONTH_PATTERN, "is not a month written YYYY-MM", "X-2")


def _parse_currency(array: pa.Array, column: Column) -> Parsed:
    return parse_pattern(
        array, column.name, CURRENCY_PATTERN, "is not an ISO 4217 currency code such as EUR", "X-1"
    )


def _parse_choice(array: pa.Array, column: Column) -> Parsed:
    return parse_choice(array, column.name, column.choices, column.rule)


def _required_or_not(
    parse: Callable[[pa.Array, Column], Parsed],
) -> Callable[[pa.Array, Column], Parsed]:
    """Parsers that know only required cells: an optional column checks given ones only."""

    def run(array: pa.Array, column: Column) -> Parsed:
        return _optional(column, lambda a, _name: parse(a, column))(array)

    return run


_PARSERS: dict[Cell, Callable[[pa.Array, Column], Parsed]] = {
    Cell.TEXT: _parse_text,
    Cell.DATE: _parse_date,
    Cell.MONTH: _required_or_not(_parse_month),
    Cell.AMOUNT: _required_or_not(_parse_amount),
    Cell.COUNT: _parse_count,
    Cell.CURRENCY: _required_or_not(_parse_currency),
    Cell.CHOICE: _required_or_not(_parse_choice),
    Cell.IDS: _parse_ids,
}
