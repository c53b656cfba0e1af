"""Vectorised parsing of one column of an import, with a mask of its bad rows (X-7).

Each ``parse_*`` function turns a source column (text from CSV, or a Parquet column of a
compatible type) into the canonical Arrow type, and returns the failed checks as
:class:`RowCheck` values: a boolean mask of the rows that fail, the field, the rule and a
message. Rows that fail come back as a harmless placeholder, so later checks can run on
the whole batch; a batch with any failure is never written. Every check is a
``pyarrow.compute`` kernel — no Python loop over rows — so ten million lines validate in
seconds; messages are built only for the rows that fail.

Amounts are exact (X-1): decimal text such as ``12.50`` (no exponent), never floats; a
value with more decimal places than the column holds is refused, never rounded.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

#: Plain decimal text: an optional sign, digits, an optional fraction; no exponent.
DECIMAL_TEXT = r"^[+-]?(\d{1,24}(\.\d{0,12})?|\.\d{1,12})$"
#: Wide enough to hold any accepted text exactly before the checks.
WIDE = pa.decimal128(38, 12)
#: Holds any decimal128 or 64-bit integer column exactly.
WIDEST = pa.decimal256(76, 38)
TRUE_WORDS = ("true", "1", "yes")
FALSE_WORDS = ("false", "0", "no")


class ColumnTypeError(Exception):
    """A whole column has a type that cannot hold the field (a float amount, …)."""

    def __init__(self, field: str, message: str, rule: str = "X-7") -> None:
        super().__init__(message)
        self.field = field
        self.message = message
        self.rule = rule


@dataclass(frozen=True)
class RowCheck:
    """Rows of one batch failing one check: ``mask`` is true where the row is bad.

    ``echo`` appends the bad value to the message (``got 'abc'``); ``shown``, when given,
    fills ``{shown}`` in the message with that row's value of another array.
    """

    field: str
    rule: str
    message: str
    mask: pa.Array
    echo: bool = False
    shown: pa.Array | None = None

    def any(self) -> bool:
        return bool(pc.any(self.mask).as_py())


def _bad(mask: pa.Array) -> pa.Array:
    """Nulls in a mask count as good: the check that makes them is elsewhere."""
    return pc.fill_null(mask, False)


def _is_text(array: pa.Array) -> bool:
    return bool(pa.types.is_string(array.type) or pa.types.is_large_string(array.type))


def missing(array: pa.Array) -> pa.Array:
    """True where a required value is null or blank."""
    if _is_text(array):
        return pc.fill_null(pc.equal(pc.utf8_trim_whitespace(array), ""), True)
    return pc.is_null(array)


def parse_text(array: pa.Array, field: str) -> tuple[pa.Array, list[RowCheck]]:
    """A required text value, trimmed."""
    if not _is_text(array):
        raise ColumnTypeError(field, f"is {array.type}, must be text")
    absent = missing(array)
    text = pc.fill_null(pc.utf8_trim_whitespace(array.cast(pa.string())), "")
    return text, [RowCheck(field, "X-7", "is required", absent)]


def parse_pattern(
    array: pa.Array, field: str, pattern: str, message: str, rule: str
) -> tuple[pa.Array, list[RowCheck]]:
    """Required text matching ``pattern`` (a month ``YYYY-MM``, a currency ``USD``…)."""
    text, checks = parse_text(array, field)
    wrong = pc.and_(pc.invert(checks[0].mask), pc.invert(pc.match_substring_regex(text, pattern)))
    return text, [*checks, RowCheck(field, rule, message, wrong, echo=True)]


def parse_choice(
    array: pa.Array, field: str, choices: tuple[str, ...], rule: str
) -> tuple[pa.Array, list[RowCheck]]:
    """Required text, one of ``choices``."""
    text, checks = parse_text(array, field)
    known = pc.is_in(text, value_set=pa.array(choices))
    wrong = pc.and_(pc.invert(checks[0].mask), pc.invert(known))
    message = f"must be one of {', '.join(choices)}"
    return text, [*checks, RowCheck(field, rule, message, wrong, echo=True)]


def parse_decimal(
    array: pa.Array, field: str, target: pa.Decimal128Type
) -> tuple[pa.Array, list[RowCheck]]:
    """A required amount ≥ 0 of type ``target``: exact, never rounded (X-1)."""
    places, digits = target.scale, target.precision - target.scale
    absent = missing(array)
    if _is_text(array):
        text = pc.fill_null(pc.utf8_trim_whitespace(array.cast(pa.string())), "")
        malformed = pc.and_(
            pc.invert(absent), pc.invert(pc.match_substring_regex(text, DECIMAL_TEXT))
        )
        usable = pc.if_else(pc.or_(absent, malformed), "0", text)
        wide = pc.cast(usable, WIDE)
    elif pa.types.is_decimal(array.type) or pa.types.is_integer(array.type):
        malformed = pa.array(np.zeros(len(array), dtype=bool))
        wide = pc.cast(array, WIDEST)
        wide = pc.if_else(absent, pa.scalar(Decimal(0), WIDEST), wide)
    else:
        rule = "X-1" if pa.types.is_floating(array.type) else "X-7"
        raise ColumnTypeError(
            field, f"is {array.type}: amounts are exact decimals, never floats", rule
        )
    zero = pa.scalar(Decimal(0), wide.type)
    negative = pc.less(wide, zero)
    too_fine = pc.not_equal(pc.round(wide, ndigits=places), wide)
    too_big = pc.greater_equal(pc.abs(wide), pa.scalar(Decimal(10) ** digits, wide.type))
    bad = pc.or_(pc.or_(pc.or_(absent, malformed), negative), pc.or_(too_fine, too_big))
    value = pc.cast(pc.if_else(bad, zero, wide), target)
    return value, [
        RowCheck(field, "X-7", "is required", absent),
        RowCheck(field, "X-1", "is not a decimal number such as 12.50", _bad(malformed), echo=True),
        RowCheck(field, "X-7", "must be ≥ 0", _bad(negative)),
        RowCheck(field, "X-1", f"has more than {places} decimal places", _bad(too_fine)),
        RowCheck(field, "X-1", f"has more than {digits} digits before the point", _bad(too_big)),
    ]


def parse_flag(array: pa.Array, field: str) -> tuple[pa.Array, list[RowCheck]]:
    """A required yes/no: ``true``/``false``, ``1``/``0``, ``yes``/``no`` (any case)."""
    if pa.types.is_boolean(array.type):
        return pc.fill_null(array, False), [
            RowCheck(field, "X-7", "is required", pc.is_null(array))
        ]
    if pa.types.is_integer(array.type):
        array = pc.cast(array, pa.string())
    if not _is_text(array):
        raise ColumnTypeError(field, f"is {array.type}, must be a boolean")
    absent = missing(array)
    word = pc.fill_null(pc.utf8_lower(pc.utf8_trim_whitespace(array.cast(pa.string()))), "")
    yes = pc.is_in(word, value_set=pa.array(TRUE_WORDS))
    no = pc.is_in(word, value_set=pa.array(FALSE_WORDS))
    wrong = pc.and_(pc.invert(absent), pc.invert(pc.or_(yes, no)))
    return yes, [
        RowCheck(field, "X-7", "is required", absent),
        RowCheck(field, "X-7", "must be true/false, 1/0 or yes/no", wrong, echo=True),
    ]
