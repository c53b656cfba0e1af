"""Who may join the program, and when (PEX-7): cloud service providers are not admitted
yet; a vendor may set the day they are (``available_from``, unset by default)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from alliance.domain.explanations import Explanation, Reason
from alliance.domain.modular_tiers.terms import ModularTierTerms


@dataclass(frozen=True)
class Availability:
    partner_type: str
    on: date
    admitted: bool
    explanation: Explanation


def availability(partner_type: str, on: date, terms: ModularTierTerms) -> Availability:
    """Whether partners of ``partner_type`` may join on ``on`` (PEX-7)."""
    kind = terms.partner_type(partner_type)
    if kind.admitted:
        reason = Reason("PEX-7", f"{kind.name}s are admitted")
        return Availability(kind.id, on, True, Explanation(f"{kind.name}: admitted", (reason,)))
    if kind.available_from is not None and on >= kind.available_from:
        reason = Reason("PEX-7", f"{kind.name}s are admitted from {kind.available_from}")
        return Availability(kind.id, on, True, Explanation(f"{kind.name}: admitted", (reason,)))
    when = f"from {kind.available_from}" if kind.available_from is not None else "no date set yet"
    reason = Reason("PEX-7", f"{kind.name}s are not admitted yet ({when})")
    return Availability(kind.id, on, False, Explanation(f"{kind.name}: not admitted", (reason,)))
