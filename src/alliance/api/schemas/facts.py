"""Bodies of the facts endpoints (issue 5): rows sent as JSON, and what an import did."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, Field

from alliance.services.tier_facts.imports import FactImportResult

#: A cell: text, a whole number, or (for id lists) a list of ids. The import checks each
#: cell and names the row of a bad one (a float amount: X-1), so any JSON value is taken.
Cell = Any


class FactRowsCreate(BaseModel):
    """Facts of one kind as rows: one JSON object per row, the columns of the kind's file
    (``docs/facts.md``). Amounts are text such as ``"12.50"`` (X-1)."""

    rows: list[dict[str, Cell]] = Field(min_length=1, max_length=100_000)
    batch_key: str | None = Field(
        default=None,
        min_length=1,
        max_length=200,
        description="The batch's key (X-5); by default the SHA-256 of the rows.",
    )


class FactImportPublic(BaseModel):
    kind: str
    batch_key: str
    source: str
    rows: int = Field(description="Rows read.")
    added: int = Field(description="Facts stored by this import.")
    already_there: int = Field(description="Rows whose fact was stored already (X-5).")
    closed: int = Field(description="Stored facts given their retirement or end date.")
    replayed: bool = Field(description="The batch key was imported before: nothing changed.")
    message: str

    @classmethod
    def of(cls, result: FactImportResult) -> FactImportPublic:
        batch = result.batch
        return cls(
            kind=batch.kind.value,
            batch_key=batch.batch_key,
            source=result.source,
            rows=result.rows,
            added=batch.added,
            already_there=batch.known,
            closed=batch.closed,
            replayed=batch.replayed,
            message=result.summary,
        )


class FactCountsPublic(BaseModel):
    counts: dict[str, int] = Field(description="Facts stored, by kind.")
