"""Column types that behave the same on SQLite and PostgreSQL: exact decimals, UTC instants.

:class:`ExactDecimal` is ``NUMERIC(precision, scale)`` on PostgreSQL. On SQLite, whose
NUMERIC goes through floats, it is an INTEGER counting units of ``10**-scale``
(``12.50`` at scale 2 is stored as ``1250``): exact, and still ordered, compared and
summed by SQL (``SUM`` keeps the column's type, so it comes back as a ``Decimal``).
Write SQL literals through bound parameters, never inline numbers, so that the
scaling applies. Values are refused, never rounded, when they have more decimal
places than ``scale`` or more integer digits than ``precision - scale``; floats are
refused outright (X-1).

:class:`UtcDateTime` accepts only aware datetimes, stores them in UTC
(``TIMESTAMP WITH TIME ZONE`` on PostgreSQL, sortable ISO text on SQLite) and returns
aware UTC datetimes on both.
"""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import BigInteger, DateTime, Dialect, Numeric
from sqlalchemy.types import TypeDecorator, TypeEngine

#: Integers in SQLite are signed 64-bit: 18 digits always fit.
MAX_PRECISION = 18


class ExactDecimal(TypeDecorator[Decimal]):
    """An exact decimal column of at most ``precision`` digits, ``scale`` of them decimals."""

    impl = Numeric
    cache_ok = True

    def __init__(self, precision: int, scale: int) -> None:
        if not 0 <= scale <= precision <= MAX_PRECISION or precision == 0:
            raise ValueError(
                f"ExactDecimal needs 0 <= scale <= precision <= {MAX_PRECISION}, "
                f"got precision={precision}, scale={scale}"
            )
        super().__init__(precision=precision, scale=scale, asdecimal=True)
        self.precision = precision
        self.scale = scale
        self._quantum = Decimal(1).scaleb(-scale)
        self._limit = Decimal(10) ** (precision - scale)

    @property
    def python_type(self) -> type[Decimal]:
        return Decimal

    def load_dialect_impl(self, dialect: Dialect) -> TypeEngine[Any]:
        if dialect.name == "sqlite":
            return dialect.type_descriptor(BigInteger())
        return dialect.type_descriptor(Numeric(self.precision, self.scale, asdecimal=True))

    def process_bind_param(self, value: Decimal | int | None, dialect: Dialect) -> Any:
        if value is None:
            return None
        exact = self._checked(value)
        if dialect.name == "sqlite":
            return int(exact.scaleb(self.scale))
        return exact

    def process_result_value(self, value: Any | None, dialect: Dialect) -> Decimal | None:
        if value is None:
            return None
        if dialect.name == "sqlite":
            return Decimal(int(value)).scaleb(-self.scale)
        return Decimal(value).quantize(self._quantum)

    def _checked(self, value: object) -> Decimal:
        if isinstance(value, bool) or not isinstance(value, Decimal | int):
            raise TypeError(
                f"an exact decimal column takes Decimal or int, not {type(value).__name__}"
            )
        number = Decimal(value)
        if not number.is_finite():
            raise ValueError(f"{number} is not a finite number")
        if abs(number) >= self._limit:
            raise ValueError(
                f"{number} has more than {self.precision - self.scale} digits before the point"
            )
        exact = number.quantize(self._quantum)
        if exact != number:
            raise ValueError(f"{number} has more than {self.scale} decimal places")
        return exact


class UtcDateTime(TypeDecorator[datetime]):
    """An instant: aware datetimes in, aware UTC datetimes out; naive ones refused."""

    impl = DateTime
    cache_ok = True

    def __init__(self) -> None:
        super().__init__(timezone=True)

    @property
    def python_type(self) -> type[datetime]:
        return datetime

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> Any:
        if value is None:
            return None
        if not isinstance(value, datetime):
            raise TypeError(f"a timestamp column takes a datetime, not {type(value).__name__}")
        if value.tzinfo is None or value.utcoffset() is None:
            raise ValueError(f"naive datetime {value.isoformat()}: give it a time zone")
        utc = value.astimezone(UTC)
        return utc.replace(tzinfo=None) if dialect.name == "sqlite" else utc

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)
