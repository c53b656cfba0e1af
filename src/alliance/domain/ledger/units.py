"""Units of value a ledger account holds: a currency, or points and credits (X-1, PEX-4).

A money unit is an upper-case ISO 4217 code (``"USD"``) and keeps the currency's minor
unit (2 decimals for USD, 0 for JPY). A non-money unit is a longer upper-case name
(``"POINTS"``, ``"CREDITS"``): points are whole numbers (PEX-4, PEX-6), any other
non-money unit counts in hundredths. Amounts are always ``Decimal``, never floats.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from types import MappingProxyType

from alliance.domain.errors import InvalidInput
from alliance.domain.money import minor_unit

NON_MONEY_PLACES: Mapping[str, int] = MappingProxyType({"POINTS": 0, "CREDITS": 2})
"""Decimal places of the non-money units the built-in programs use."""

DEFAULT_NON_MONEY_PLACES = 2
"""Decimal places of a well-formed non-money unit missing from :data:`NON_MONEY_PLACES`."""

_MONEY_CODE = re.compile(r"[A-Z]{3}")
_NON_MONEY_CODE = re.compile(r"[A-Z][A-Z0-9_]{3,31}")


@dataclass(frozen=True, slots=True)
class Unit:
    """What an amount counts: ``code`` with at most ``places`` decimals."""

    code: str
    places: int
    is_money: bool

    @classmethod
    def of(cls, code: str) -> Unit:
        """``Unit.of("USD")`` (money, 2 places), ``Unit.of("POINTS")`` (0 places)."""
        known = _KNOWN.get(code) if isinstance(code, str) else None
        if known is not None:  # every leg, lot and account asks: remember the answer
            return known
        if isinstance(code, str) and _MONEY_CODE.fullmatch(code):
            unit = cls(code, minor_unit(code), is_money=True)
        elif isinstance(code, str) and _NON_MONEY_CODE.fullmatch(code):
            unit = cls(code, NON_MONEY_PLACES.get(code, DEFAULT_NON_MONEY_PLACES), is_money=False)
        else:
            unit = None
        if unit is not None:
            if len(_KNOWN) < _KNOWN_LIMIT:
                _KNOWN[code] = unit
            return unit
        raise InvalidInput(
            "a unit is an ISO 4217 currency code such as USD, or an upper-case name of at "
            f"least 4 letters such as POINTS or CREDITS; got {code!r}",
            field="unit",
            rule="X-1",
        )

    def allows(self, amount: Decimal) -> bool:
        """True when ``amount`` is finite and has no more decimals than the unit counts."""
        return amount.is_finite() and decimal_places(amount) <= self.places

    def check(self, amount: Decimal, field: str = "amount") -> Decimal:
        """``amount`` if it is a ``Decimal`` this unit can count, else InvalidInput (X-1)."""
        if not isinstance(amount, Decimal):
            kind = "never a float" if isinstance(amount, float) else "got"
            raise InvalidInput(
                f"an amount is a Decimal, {kind} {type(amount).__name__}",
                field=field,
                rule="X-1",
            )
        if not self.allows(amount):
            raise InvalidInput(
                f"{amount} {self.code} has more than {self.places} decimal place(s)",
                field=field,
                rule="X-1",
            )
        return amount

    def __str__(self) -> str:
        return self.code


_KNOWN: dict[str, Unit] = {}
"""Units already read, by code (well-formed codes only; the places never change)."""
_KNOWN_LIMIT = 4_096


def decimal_places(amount: Decimal) -> int:
    """How many decimals ``amount`` really has: ``1.50`` has 1, ``100`` and ``1E+2`` have 0."""
    _sign, digits, exponent = amount.as_tuple()
    if not isinstance(exponent, int):
        raise ValueError(f"{amount} is not a finite number")
    while exponent < 0 and len(digits) > 1 and digits[-1] == 0:
        digits, exponent = digits[:-1], exponent + 1
    if digits == (0,):
        return 0
    return max(0, -exponent)


def unit_of(code: str) -> Unit:
    """The :class:`Unit` named ``code``; InvalidInput for a malformed code."""
    return Unit.of(code)


def show(amount: Decimal, unit: str) -> str:
    """``"1,234.50 USD"``, ``"300 POINTS"``: an amount for a message, never rounded."""
    places = Unit.of(unit).places
    exponent = amount.as_tuple().exponent
    shown = max(places, -exponent if isinstance(exponent, int) else 0)
    return f"{amount:,.{shown}f} {unit}"
