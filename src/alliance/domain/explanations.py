"""Explanations: why an outcome is what it is, item by item (X-3).

Every score, status, margin, points award and price the earned-tier rules compute
carries an :class:`Explanation`: the reasons that decided it (each citing its rule id),
the gap to the next threshold when there is one, and :class:`Step` s — the cheapest way
to close that gap ("2 more advanced certifications: +15 points").
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal


@dataclass(frozen=True, slots=True)
class Reason:
    """``message`` explains one decision; ``rule`` is the rule id it applies (``MCPP-8``)."""

    rule: str
    message: str

    def __str__(self) -> str:
        return f"{self.message} [{self.rule}]"


@dataclass(frozen=True, slots=True)
class Step:
    """One action that closes part of a gap: ``units`` more of ``what`` gains ``gain``."""

    what: str
    units: Decimal
    gain: Decimal
    message: str
    rule: str = ""

    def __str__(self) -> str:
        return self.message


@dataclass(frozen=True, slots=True)
class Explanation:
    """The reasons for an outcome, the ``gap`` to ``next_threshold`` and how to close it."""

    summary: str
    reasons: tuple[Reason, ...] = ()
    gap: Decimal | None = None
    next_threshold: str | None = None
    steps: tuple[Step, ...] = ()

    def lines(self) -> tuple[str, ...]:
        """The explanation as readable lines: summary, reasons, gap and steps."""
        out = [self.summary, *(f"- {reason}" for reason in self.reasons)]
        if self.gap is not None and self.next_threshold:
            out.append(f"gap to {self.next_threshold}: {self.gap}")
        out += [f"→ {step}" for step in self.steps]
        return tuple(out)


def plain(value: Decimal) -> str:
    """A decimal without exponent or trailing zeros: ``Decimal("15.00")`` → ``"15"``."""
    text = format(value.normalize(), "f") if value else "0"
    return text
