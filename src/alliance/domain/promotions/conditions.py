"""Whether a promotion's condition holds on a basket, and what is missing if not (OIP-7).

Like django-oscar's ``get_upsell_message``: a failed condition says what would make it
hold ("needs more than 10 Number porting; the basket has 8").
"""

from __future__ import annotations

from alliance.domain.promotions.basket import Basket
from alliance.domain.promotions.terms import ConditionKind, ConditionTerms, PromotionsTerms


def condition_holds(
    condition: ConditionTerms, basket: Basket, terms: PromotionsTerms
) -> tuple[bool, str]:
    """``(holds, why)`` for ``condition`` on ``basket``."""
    kind = condition.kind
    if kind is ConditionKind.ALWAYS:
        return True, "no condition"
    if kind is ConditionKind.QUANTITY_ABOVE and condition.product is not None:
        have = basket.quantity_of(condition.product)
        need = condition.quantity or 0
        name = _name(condition.product, terms)
        if have > need:
            return True, f"more than {need} {name} ({have})"
        return False, f"needs more than {need} {name}; the basket has {have}"
    if kind is ConditionKind.HOLDS_ANY:
        names = " or ".join(_name(p, terms) for p in condition.products)
        held = [p for p in condition.products if basket.has(p)]
        if held:
            return True, f"with {_name(held[0], terms)}"
        return False, f"needs a subscription to {names}"
    if kind is ConditionKind.PROJECT:
        if basket.project == condition.project:
            return True, f"a {condition.project} project"
        return False, f"needs a {condition.project} project"
    results = [condition_holds(c, basket, terms) for c in condition.conditions]
    if kind is ConditionKind.ALL_OF:
        failed = [why for ok, why in results if not ok]
        return (not failed, "; ".join(failed) if failed else "; ".join(w for _, w in results))
    passed = [why for ok, why in results if ok]
    return (bool(passed), passed[0] if passed else " or ".join(w for _, w in results))


def _name(product: str, terms: PromotionsTerms) -> str:
    known = terms.product(product)
    return known.name if known is not None else product
