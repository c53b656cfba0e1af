"""PEX facts read from the tier facts store (``uow.tier_facts``): booked deals with their
transacting and influencing partners (PEX-3, PEX-5) and certifications (PEX-6), turned
into the domain's :class:`Deal` and :class:`Certification`."""

from __future__ import annotations

from typing import Any

import pyarrow as pa
import pyarrow.compute as pc

from alliance.domain.facts import Certification, Deal
from alliance.services.status_incentives.facts import money_of
from alliance.services.tier_facts.ports import FactKind, TierFactsStore


def deals(facts: TierFactsStore) -> tuple[Deal, ...]:
    """Every booked deal (PEX-3: a deal may credit several partners)."""
    rows: list[dict[str, Any]] = facts.table(FactKind.DEALS).to_pylist()
    return tuple(
        Deal(
            str(row["deal_id"]),
            str(row["transacting_partner_id"]),
            money_of(row["amount"], str(row["currency"])),
            row["booked_on"],
            tuple(row.get("influencing_partner_ids") or ()),
            tuple(row.get("products") or ()),
            str(row.get("product_kind") or "license"),
        )
        for row in rows
    )


def certifications(
    facts: TierFactsStore, partner_ids: frozenset[str] | None = None
) -> tuple[Certification, ...]:
    """The certifications of ``partner_ids`` (every partner's when None) (PEX-6)."""
    table = facts.table(FactKind.CERTIFICATIONS)
    if partner_ids is not None and table.num_rows:
        table = table.filter(pc.is_in(table["partner_id"], value_set=_strings(partner_ids)))
    rows: list[dict[str, Any]] = table.to_pylist()
    return tuple(
        Certification(
            str(row["partner_id"]),
            str(row["person_id"]),
            str(row["certification_id"]),
            row["earned_on"],
            row.get("retired_on"),
        )
        for row in rows
    )


def _strings(values: frozenset[str]) -> pa.Array:
    return pa.array(sorted(values), type=pa.string())
