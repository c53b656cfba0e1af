"""Checks on the input the rules are given: bad input names its field and rule (X-7).

Floats are refused for amounts (X-1); enums accept their text value (``"trial"``) so a
row from a file or an API maps straight onto them.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from decimal import Decimal
from enum import StrEnum
from typing import TypeVar

from alliance.domain.errors import InvalidInput
from alliance.domain.ledger.units import decimal_places
from alliance.domain.money import minor_unit

E = TypeVar("E", bound=StrEnum)

_COUNTRY = re.compile(r"[A-Z]{2}")


def enum_member(kind: type[E], value: object, field: str) -> E:
    """``value`` as a member of ``kind`` (a member or its text value), else InvalidInput."""
    if isinstance(value, kind):
        return value
    if isinstance(value, str):
        try:
            return kind(value)
        except ValueError:
            pass
    allowed = ", ".join(member.value for member in kind)
    raise InvalidInput(f"{field} must be one of {allowed}; got {value!r}", field=field, rule="X-7")


def enum_members(kind: type[E], values: Iterable[object]) -> frozenset[E]:
    """Every one of ``values`` as a member of ``kind``; InvalidInput names the first misfit."""
    return frozenset(enum_member(kind, value, kind.__name__) for value in values)


def country_code(value: object, field: str = "country") -> str:
    """``value`` if it is an ISO 3166-1 alpha-2 code such as ``"TW"``, else InvalidInput."""
    if isinstance(value, str) and _COUNTRY.fullmatch(value):
        return value
    raise InvalidInput(
        f"a country is an ISO 3166-1 alpha-2 code such as 'TW', got {value!r}",
        field=field,
        rule="OSR-3",
    )


def currency_code(value: object, field: str = "currency") -> str:
    """``value`` if it is an ISO 4217 code such as ``"USD"``, else InvalidInput (X-1)."""
    if not isinstance(value, str):
        raise InvalidInput(f"a currency is a code such as USD, got {value!r}", field=field)
    try:
        minor_unit(value)
    except InvalidInput as error:
        raise InvalidInput(error.message, field=field, rule="X-1") from None
    return value


def non_negative(value: object, field: str, *, places: int | None = None) -> Decimal:
    """``value`` if it is a finite ``Decimal`` ≥ 0 (with at most ``places`` decimals)."""
    if isinstance(value, float) or not isinstance(value, Decimal):
        raise InvalidInput(
            f"{field} is a Decimal, never a {type(value).__name__} (X-1)", field=field, rule="X-1"
        )
    if not value.is_finite() or value < 0:
        raise InvalidInput(f"{field} must be 0 or more, got {value}", field=field, rule="X-7")
    if places is not None and decimal_places(value) > places:
        raise InvalidInput(
            f"{field} has more than {places} decimal place(s): {value}", field=field, rule="X-1"
        )
    return value
