"""Reading an application step's answers: each field checked, and bad input refused
naming the field and the rule (X-7). Enums accept their text value (``"quarterly"``).
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from datetime import date
from decimal import Decimal, InvalidOperation
from enum import StrEnum
from typing import TypeVar

from alliance.domain.errors import InvalidInput

E = TypeVar("E", bound=StrEnum)

Answers = Mapping[str, object]
"""One step's answers as they arrive (a JSON object)."""


class Reader:
    """Reads the fields of one JSON object; ``prefix`` locates nested objects in errors."""

    def __init__(self, data: object, rule: str, prefix: str = "") -> None:
        if not isinstance(data, Mapping):
            raise InvalidInput(
                f"expected an object, got {type(data).__name__}",
                field=prefix.rstrip(".") or None,
                rule=rule,
            )
        self.data: Answers = data
        self.rule = rule
        self.prefix = prefix

    def _refuse(self, name: str, message: str, rule: str | None = None) -> InvalidInput:
        return InvalidInput(message, field=f"{self.prefix}{name}", rule=rule or self.rule)

    def has(self, name: str) -> bool:
        return self.data.get(name) is not None

    def text(self, name: str, *, max_length: int = 300) -> str:
        value = self.data.get(name)
        if not isinstance(value, str) or not value.strip():
            raise self._refuse(name, f"{name} is required (a non-empty text)")
        if len(value) > max_length:
            raise self._refuse(name, f"{name} is at most {max_length} characters")
        return value.strip()

    def optional_text(self, name: str) -> str | None:
        return self.text(name) if self.has(name) else None

    def accepted(self, name: str, what: str, rule: str | None = None) -> bool:
        """A box the applicant must tick: ``true``, or a refusal naming the rule."""
        if self.data.get(name) is not True:
            raise self._refuse(name, f"{what} must be accepted to continue", rule)
        return True

    def choice(
        self,
        name: str,
        kind: type[E],
        *,
        allowed: Collection[E] | None = None,
        rule: str | None = None,
    ) -> E:
        value = self.data.get(name)
        options = list(allowed) if allowed is not None else list(kind)
        listing = ", ".join(o.value for o in options)
        try:
            member = kind(value) if isinstance(value, str) else None
        except ValueError:
            member = None
        if member is None or member not in options:
            raise self._refuse(name, f"{name} must be one of {listing}; got {value!r}", rule)
        return member

    def optional_choice(self, name: str, kind: type[E]) -> E | None:
        return self.choice(name, kind) if self.has(name) else None

    def fraction(self, name: str) -> Decimal:
        """A decimal fraction written as text or an integer: ``"0.5"`` is 50 %."""
        value = self.data.get(name)
        try:
            number = (
                Decimal(value)
                if isinstance(value, str | int) and not isinstance(value, bool)
                else None
            )
        except InvalidOperation:
            number = None
        if number is None or not number.is_finite() or not 0 < number <= 1:
            raise self._refuse(name, f"{name} is a fraction in (0, 1] such as '0.5'; got {value!r}")
        return number

    def day(self, name: str) -> date:
        value = self.data.get(name)
        try:
            return date.fromisoformat(value) if isinstance(value, str) else _no_date()
        except ValueError:
            raise self._refuse(
                name, f"{name} is a date written YYYY-MM-DD; got {value!r}"
            ) from None

    def optional_day(self, name: str) -> date | None:
        return self.day(name) if self.has(name) else None

    def texts(self, name: str) -> tuple[str, ...]:
        """A list of texts (empty when absent), each once."""
        value = self.data.get(name, [])
        if not isinstance(value, list | tuple) or not all(isinstance(v, str) and v for v in value):
            raise self._refuse(name, f"{name} is a list of texts; got {value!r}")
        if len(set(value)) != len(value):
            raise self._refuse(name, f"{name} lists each value once; got {value!r}")
        return tuple(value)

    def objects(self, name: str) -> list[Reader]:
        """A list of objects (empty when absent), each read with its index in errors."""
        value = self.data.get(name, [])
        if not isinstance(value, list | tuple):
            raise self._refuse(name, f"{name} is a list of objects; got {type(value).__name__}")
        return [
            Reader(item, self.rule, f"{self.prefix}{name}[{i}].") for i, item in enumerate(value)
        ]

    def nested(self, name: str) -> Reader:
        if name not in self.data:
            raise self._refuse(name, f"{name} is required")
        return Reader(self.data[name], self.rule, f"{self.prefix}{name}.")

    def optional_nested(self, name: str) -> Reader | None:
        return self.nested(name) if self.has(name) else None


def _no_date() -> date:
    raise ValueError("not a text")
