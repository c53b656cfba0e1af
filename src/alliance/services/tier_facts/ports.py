"""What the earned-tier use cases need from storage: the facts, as Arrow tables.

The contract between the facts import (which writes) and the evaluation (which reads):
:meth:`TierFactsStore.table` returns a kind's facts in the layout of
:mod:`alliance.batch.tier_facts` (``CERTIFICATIONS_SCHEMA`` …), so the batch evaluators
read the store exactly as they read a Parquet file.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Protocol

import pyarrow as pa


class FactKind(StrEnum):
    """The kinds of facts earned tiers are computed from (issue 5, "Facts")."""

    PARTNERS = "partners"  # partners scored, with classifying attributes (MCPP-9)
    CERTIFICATIONS = "certifications"  # person, certification, earned, retired (MCPP-10, PEX-6)
    CUSTOMERS = "customers"  # customer associations per area (MCPP-10)
    USAGE = "usage"  # monthly consumption or revenue per area (MCPP-10)
    DEPLOYMENTS = "deployments"  # deployments per area (MCPP-10)
    DEALS = "deals"  # transacting partner, influencers, amount, products, booked on (PEX-3, PEX-5)
    MEMBERS = "members"  # earned-status members: ambassador / operator (OIP-1)
    REVENUE = "revenue"  # revenue lines by kind (OIP-2)
    ORDERS = "orders"  # order intake, for quarterly minimums (OIP-8)


class TierFactsStore(Protocol):
    """Facts of earned tiers, kept in the database (``uow.tier_facts``)."""

    def add(self, kind: FactKind, rows: pa.Table, *, batch_key: str) -> int:
        """Add ``rows`` (in the kind's layout) as one import batch; returns the rows added.

        A batch key already stored adds nothing and returns 0 (X-5: rerunning an import
        never double-counts)."""
        ...

    def table(self, kind: FactKind) -> pa.Table:
        """Every stored fact of ``kind`` in its :mod:`alliance.batch.tier_facts` layout."""
        ...

    def count(self, kind: FactKind) -> int: ...
