"""Money, numbers and dates as the reader's locale writes them (Babel)."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from babel.dates import format_date as babel_date
from babel.dates import format_datetime as babel_datetime
from babel.numbers import format_currency, format_decimal

from alliance.domain.money import Money


def money(value: Money, locale: str) -> str:
    """``$1,234.50`` in English, ``1 234,50 $US`` in French; the exact Decimal, no float."""
    return str(format_currency(value.amount, value.currency, locale=locale))


def number(value: Decimal | int, locale: str, places: int = 2) -> str:
    """A quantity (credits, points): grouped, with ``places`` decimals at most."""
    pattern = "#,##0" + ("." + "#" * places if places else "")
    return str(format_decimal(value, format=pattern, locale=locale))


def day(value: date | None, locale: str, form: str = "medium") -> str:
    """``Mar 14, 2025`` / ``14 mars 2025``; an empty string for no date."""
    if value is None:
        return ""
    return str(babel_date(value, format=form, locale=locale))


def moment(value: datetime | None, locale: str) -> str:
    if value is None:
        return ""
    return str(babel_datetime(value, format="medium", locale=locale))


def month(value: date, locale: str) -> str:
    """``Mar 2025`` / ``mars 2025``: a chart's axis label."""
    return str(babel_date(value, format="MMM y", locale=locale))
