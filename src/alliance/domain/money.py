"""Money: an exact decimal amount in one currency (X-1).

Amounts are kept exact through a calculation — sums, products and quotients are never
rounded behind the caller's back. Rounding happens only at the edge of a calculation, where
a rule says so, by calling :meth:`Money.rounded` (half-up to the currency's minor unit) or
:meth:`Money.rounded_to`; the policy itself lives in :mod:`alliance.domain.rounding`.

Floats are refused everywhere: ``Money(0.1, "USD")`` and ``usd("1") * 1.5`` raise
``TypeError``. Amounts in two currencies never mix: adding or comparing them raises
:class:`CurrencyMismatch`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from functools import total_ordering
from types import MappingProxyType

from alliance.domain.errors import AllianceError, InvalidInput
from alliance.domain.rounding import round_half_up, split_evenly

DEFAULT_MINOR_UNIT = 2
"""Decimal places of a well-formed code missing from :data:`MINOR_UNITS`."""

# Decimal places of the minor unit of common ISO 4217 currencies (USD cents: 2, JPY: 0).
# fmt: off
MINOR_UNITS: Mapping[str, int] = MappingProxyType({
    "USD": 2, "EUR": 2, "GBP": 2, "CHF": 2, "CAD": 2, "AUD": 2, "NZD": 2, "SEK": 2, "NOK": 2,
    "DKK": 2, "PLN": 2, "CNY": 2, "TWD": 2, "HKD": 2, "SGD": 2, "INR": 2, "BRL": 2, "MXN": 2,
    "COP": 2, "ZAR": 2, "AED": 2, "SAR": 2, "ILS": 2, "TRY": 2,
    "JPY": 0, "KRW": 0, "CLP": 0, "ISK": 0, "VND": 0, "XOF": 0, "XAF": 0,
    "KWD": 3, "BHD": 3, "OMR": 3, "JOD": 3, "TND": 3, "LYD": 3, "IQD": 3,
})
# fmt: on

_CURRENCY_CODE = re.compile(r"[A-Z]{3}")
_DECIMAL_TEXT = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)")

Number = Decimal | int
"""What an amount may be multiplied or divided by: never a float."""


class CurrencyMismatch(AllianceError):
    """Two amounts in different currencies were combined or compared (X-1)."""

    code = "currency_mismatch"
    status = 422


def minor_unit(currency: str) -> int:
    """Decimal places of ``currency``'s minor unit; well-formed unknown codes get 2."""
    return MINOR_UNITS.get(_checked_currency(currency), DEFAULT_MINOR_UNIT)


def _checked_currency(currency: object) -> str:
    if not isinstance(currency, str) or not _CURRENCY_CODE.fullmatch(currency):
        raise InvalidInput(
            f"currency must be a 3-letter upper-case ISO 4217 code such as USD, got {currency!r}",
            field="currency",
            rule="X-1",
        )
    return currency


def _checked_amount(amount: object) -> Decimal:
    if isinstance(amount, float):
        raise TypeError(f"money is never a float (X-1): pass Decimal({str(amount)!r}) instead")
    if isinstance(amount, bool) or not isinstance(amount, Decimal | int):
        raise TypeError(f"an amount must be a Decimal or an int, got {type(amount).__name__}")
    value = Decimal(amount)
    if not value.is_finite():
        raise InvalidInput(
            f"amount must be a finite number, got {amount}", field="amount", rule="X-1"
        )
    return value.copy_abs() if value.is_zero() else value  # no "-0.00 USD"


def _checked_factor(factor: object, operation: str) -> Decimal:
    if isinstance(factor, float):
        raise TypeError(f"cannot {operation} money by a float (X-1): use a Decimal")
    if isinstance(factor, bool) or not isinstance(factor, Decimal | int):
        raise TypeError(f"cannot {operation} money by {type(factor).__name__}")
    return Decimal(factor)


@total_ordering
@dataclass(frozen=True, slots=True)
class Money:
    """An exact ``amount`` of ``currency`` (an upper-case ISO 4217 code).

    ``amount`` is a ``Decimal`` (an ``int`` is converted; a ``float`` is refused).
    Equality is numeric: ``usd("5") == usd("5.00")``.
    """

    amount: Decimal
    currency: str

    def __post_init__(self) -> None:
        object.__setattr__(self, "amount", _checked_amount(self.amount))
        _checked_currency(self.currency)

    # -- constructors -----------------------------------------------------------------

    @classmethod
    def of(cls, amount: str | int | Decimal, currency: str) -> Money:
        """``Money.of("500", "USD")``: parse a string, or take an int or Decimal."""
        if isinstance(amount, str):
            if not _DECIMAL_TEXT.fullmatch(amount.strip()):
                raise InvalidInput(
                    f"amount must be a decimal number such as 1234.56, got {amount!r}",
                    field="amount",
                    rule="X-1",
                )
            return cls(Decimal(amount.strip()), currency)
        return cls(_checked_amount(amount), currency)

    @classmethod
    def zero(cls, currency: str) -> Money:
        return cls(Decimal(0), currency)

    @classmethod
    def from_json(cls, data: Mapping[str, object]) -> Money:
        """Read ``{"amount": "5000.00", "currency": "USD"}``; the amount must be a string."""
        amount, currency = data.get("amount"), data.get("currency")
        if not isinstance(amount, str):
            raise InvalidInput(
                f"amount must be a string such as '5000.00', got {amount!r}",
                field="amount",
                rule="X-1",
            )
        return cls.of(amount, _checked_currency(currency))

    # -- reading ----------------------------------------------------------------------

    @property
    def minor_unit(self) -> int:
        """Decimal places of the currency's minor unit (2 for USD, 0 for JPY)."""
        return minor_unit(self.currency)

    def is_zero(self) -> bool:
        return self.amount == 0

    def is_positive(self) -> bool:
        return self.amount > 0

    def is_negative(self) -> bool:
        return self.amount < 0

    def _plain(self, grouping: str) -> str:
        """The exact amount, with at least the currency's minor unit of decimals."""
        exponent = self.amount.as_tuple().exponent
        places = max(self.minor_unit, -exponent if isinstance(exponent, int) else 0)
        return f"{self.amount:{grouping}.{places}f}"

    def __str__(self) -> str:
        """``"5,000.00 USD"``; an unrounded amount shows all its decimals, never rounded."""
        return f"{self._plain(',')} {self.currency}"

    def to_json(self) -> dict[str, str]:
        """``{"amount": "5000.00", "currency": "USD"}`` — the amount as an exact string."""
        return {"amount": self._plain(""), "currency": self.currency}

    # -- rounding (X-1: only at the edge of a calculation) ----------------------------

    def rounded(self) -> Money:
        """Round half-up to the currency's minor unit: ``usd("2.675").rounded() == 2.68``."""
        return self.rounded_to(self.minor_unit)

    def rounded_to(self, places: int) -> Money:
        """Round half-up to ``places`` decimals (e.g. 4 for a unit price)."""
        return Money(round_half_up(self.amount, places), self.currency)

    # -- arithmetic -------------------------------------------------------------------

    def _same_currency(self, other: Money) -> None:
        if other.currency != self.currency:
            raise CurrencyMismatch(
                f"cannot combine {self.currency} with {other.currency}", rule="X-1"
            )

    def __add__(self, other: Money) -> Money:
        if not isinstance(other, Money):
            return NotImplemented
        self._same_currency(other)
        return Money(self.amount + other.amount, self.currency)

    def __sub__(self, other: Money) -> Money:
        if not isinstance(other, Money):
            return NotImplemented
        self._same_currency(other)
        return Money(self.amount - other.amount, self.currency)

    def __neg__(self) -> Money:
        return Money(-self.amount, self.currency)

    def __abs__(self) -> Money:
        return Money(abs(self.amount), self.currency)

    def __mul__(self, factor: Number) -> Money:
        """Multiply by a Decimal or an int; the product is exact, not rounded."""
        return Money(self.amount * _checked_factor(factor, "multiply"), self.currency)

    __rmul__ = __mul__

    def __truediv__(self, divisor: Number) -> Money:
        """Divide by a Decimal or an int; the quotient is not rounded (28 significant digits).

        To split an amount into parts that add up, use :func:`allocate` instead.
        """
        return Money(self.amount / _checked_factor(divisor, "divide"), self.currency)

    def __lt__(self, other: Money) -> bool:
        """Order by amount, same currency only; ``<=``, ``>``, ``>=`` follow from it."""
        if not isinstance(other, Money):
            return NotImplemented
        self._same_currency(other)
        return self.amount < other.amount


def usd(amount: str | int | Decimal) -> Money:
    """``usd("5000")``: US dollars, for fixtures and built-in definitions."""
    return Money.of(amount, "USD")


def eur(amount: str | int | Decimal) -> Money:
    """``eur("19.99")``: euros."""
    return Money.of(amount, "EUR")


def sum_money(amounts: Iterable[Money], currency: str) -> Money:
    """Add up ``amounts``, all in ``currency``; an empty sum is zero ``currency`` (X-1)."""
    total = Money.zero(currency)
    for amount in amounts:
        total = total + amount
    return total


def allocate(total: Money, parts: int) -> list[Money]:
    """Split ``total``, rounded to its minor unit, into ``parts`` that sum to it exactly.

    Parts differ by at most one minor unit; the leftover goes to the first parts. OPN-6,
    four equal quarterly instalments: 100,000 USD → 4 × 25,000.00; 1,000.01 USD →
    250.01, 250.00, 250.00, 250.00.
    """
    if isinstance(parts, bool) or not isinstance(parts, int) or parts < 1:
        raise InvalidInput(
            f"an amount is split into at least 1 part, got {parts!r}", field="parts", rule="X-1"
        )
    shares = split_evenly(total.amount, parts, total.minor_unit)
    return [Money(share, total.currency) for share in shares]


def percentage(money: Money, rate: Number) -> Money:
    """``rate`` per cent of ``money``, exact: ``percentage(usd("200"), Decimal("33"))`` is
    66 USD (OSR-11's 33 %). Round the result where the rule says so.
    """
    return money * _checked_factor(rate, "take a percentage of") / 100
