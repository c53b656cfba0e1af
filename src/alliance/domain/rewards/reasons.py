"""Reasons: why a line counts or not, why a rate applies, why a lot cannot pay (X-3).

A reason is data — the rule it applies and a sentence a customer can read — so that an
accrual or a payment plan can show, item by item, which facts and which rule decided it.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Reason:
    """``message`` explains one decision; ``rule`` is the rule id it applies (``OSR-7``)."""

    rule: str
    message: str

    def __str__(self) -> str:
        return f"{self.message} [{self.rule}]"
