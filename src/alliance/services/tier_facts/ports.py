"""What the earned-tier use cases need from storage: the facts, as Arrow tables.

The contract between the facts import (which writes) and the evaluation (which reads):
:meth:`TierFactsStore.table` returns a kind's facts in the layout of
:mod:`alliance.batch.tier_facts` (``CERTIFICATIONS_SCHEMA`` …), so the batch evaluators
read the store exactly as they read a Parquet file.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
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


@dataclass(frozen=True, slots=True)
class FactBatch:
    """What one import batch did: rows ``added``, rows ``known`` (the same fact was
    already stored, or repeated in the batch: skipped, X-5) and stored facts ``closed``
    (a certification's retirement or a customer's end recorded on a fact stored open).
    ``replayed``: the batch key was stored already, so nothing was looked at."""

    kind: FactKind
    batch_key: str
    added: int
    known: int = 0
    closed: int = 0
    replayed: bool = False


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

    def import_batch(
        self,
        kind: FactKind,
        rows: pa.Table,
        *,
        batch_key: str,
        source: str = "",
        imported_by: str = "",
    ) -> FactBatch:
        """:meth:`add` with the whole outcome, and where the rows came from and who sent
        them recorded on the batch (X-4)."""
        ...

    def partners_table(self, attributes: Sequence[str] | None = None) -> pa.Table:
        """The partners in :func:`~alliance.batch.tier_facts.partners_schema` of
        ``attributes`` (default: every attribute stored, sorted by name)."""
        ...

    def batch(self, kind: FactKind, batch_key: str) -> FactBatch | None:
        """The stored batch of ``kind`` with ``batch_key``, or None."""
        ...
