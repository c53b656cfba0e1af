"""How JSON columns encode values the standard library refuses: exact, readable, stable.

Decimals become strings (``"12.50"``, never a float), datetimes and dates ISO 8601,
sets sorted lists. Enums need nothing: the domain's are ``StrEnum``.
"""

from __future__ import annotations

import json
from datetime import date, datetime
from decimal import Decimal


def _default(value: object) -> object:
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, set | frozenset):
        return sorted(value, key=str)
    raise TypeError(f"cannot store a {type(value).__name__} in a JSON column: {value!r}")


def dumps(value: object) -> str:
    """The engine's ``json_serializer``: compact, keys in the caller's order."""
    return json.dumps(value, default=_default, separators=(",", ":"), ensure_ascii=False)
