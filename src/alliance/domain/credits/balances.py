"""What a principal's open lots add up to, for the questions CRD-2, CRD-5 and CRD-6 ask:
the available balance on a day (optionally without some origins), and the part of it a
given associate earned.

``lots`` are the principal's open lots with what remains of each in the wallet, as the
ledger's ``open_lots`` gives them (held value is not in the wallet, so it is not
available — CRD-3).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from decimal import Decimal

from alliance.domain.credits.wallet import earned_by_tag
from alliance.domain.ledger.lots import LotRemaining


def available_balance(
    lots: Iterable[LotRemaining], as_of: date, excluded_tags: frozenset[str] = frozenset()
) -> Decimal:
    """The value redeemable on ``as_of`` in lots carrying none of ``excluded_tags``."""
    return sum(
        (
            remaining
            for lot, remaining in lots
            if lot.is_redeemable_on(as_of) and not (lot.tags & excluded_tags)
        ),
        Decimal(0),
    )


def earned_balance(lots: Iterable[LotRemaining], organization_id: str, as_of: date) -> Decimal:
    """The available value ``organization_id`` earned through rewards (CRD-2, CRD-4)."""
    tag = earned_by_tag(organization_id)
    return sum(
        (r for lot, r in lots if lot.is_redeemable_on(as_of) and tag in lot.tags), Decimal(0)
    )


def tags_excluding_all_but(lots: Iterable[LotRemaining], organization_id: str) -> frozenset[str]:
    """Tags that, excluded, leave only the lots ``organization_id`` earned: every tag of
    another lot that none of its own lots carries (``allocation``, others' ``earned_by``).
    """
    tag = earned_by_tag(organization_id)
    pairs = list(lots)
    own = {t for lot, _ in pairs if tag in lot.tags for t in lot.tags}
    return frozenset(t for lot, _ in pairs if tag not in lot.tags for t in lot.tags) - own
