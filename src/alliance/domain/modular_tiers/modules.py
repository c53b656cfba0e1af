"""Which modules a partner may hold together, at its tier (PEX-2).

Every tier offers Distribution, Resell and Sell With (unless a module lists its tiers);
a partner holds one module, or several when a combinable group contains them all —
Sell With together with Resell in the built-in program.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from alliance.domain.errors import BusinessRuleViolation
from alliance.domain.explanations import Reason
from alliance.domain.modular_tiers.terms import ModularTierTerms


@dataclass(frozen=True)
class ModuleCheck:
    modules: frozenset[str]
    tier: str
    allowed: bool
    reasons: tuple[Reason, ...]

    def require(self) -> None:
        """Raise :class:`BusinessRuleViolation` naming every reason, when not allowed."""
        if not self.allowed:
            raise BusinessRuleViolation(
                "; ".join(r.message for r in self.reasons), field="modules", rule="PEX-2"
            )


def check_modules(modules: Iterable[str], tier: str, terms: ModularTierTerms) -> ModuleCheck:
    """Whether ``modules`` may be held together at ``tier`` (PEX-2)."""
    held = frozenset(modules)
    reasons: list[Reason] = []
    for module_id in sorted(held):
        module = terms.module(module_id)
        if module.tiers and tier not in module.tiers:
            reasons.append(Reason("PEX-2", f"{module.name} is not offered at tier {tier}"))
    if len(held) > 1 and not any(held <= group for group in terms.combinable):
        names = " + ".join(terms.module(m).name for m in sorted(held))
        reasons.append(Reason("PEX-2", f"{names} cannot be held together"))
    if not held:
        reasons.append(Reason("PEX-2", "a partner holds at least one module"))
    return ModuleCheck(held, tier, not reasons, tuple(reasons))
