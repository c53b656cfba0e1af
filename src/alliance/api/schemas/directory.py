"""The public directory as the API shows it (MCPP-6, X-6): names, countries,
designations and statuses — and nothing else.

These models have **no** field for a score, points, revenue, an amount, a gap or an
explanation, at any depth; ``tests/e2e/test_directory_no_scores.py`` walks their JSON
Schema and the OpenAPI document to keep it so. Extra attributes are ignored, never
passed through.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

from alliance.services.directory import DirectoryEntry, EarnedTitle


class EarnedTitleOut(BaseModel):
    """A designation, status or tier held — its name only."""

    model_config = ConfigDict(extra="ignore")

    program: str = Field(examples=["mcpp"])
    kind: str = Field(examples=["designation"])
    id: str = Field(examples=["mcpp:security"], description="What a search names.")
    name: str = Field(examples=["Solutions Partner for Security"])

    @classmethod
    def of(cls, title: EarnedTitle) -> EarnedTitleOut:
        return cls(program=title.program_code, kind=title.kind.value, id=title.key, name=title.name)


class DirectoryEntryOut(BaseModel):
    model_config = ConfigDict(extra="ignore")

    organization_id: str
    name: str
    country: str
    partner_type: str | None
    level: str | None = Field(description="The membership level's name (OPN-4).")
    membership_status: str | None = Field(examples=["active"])
    designations: list[EarnedTitleOut] = Field(description="Earned designations held.")
    statuses: list[EarnedTitleOut] = Field(description="Earned statuses and tiers held.")

    @classmethod
    def of(cls, entry: DirectoryEntry) -> DirectoryEntryOut:
        return cls(
            organization_id=str(entry.organization_id),
            name=entry.name,
            country=entry.country,
            partner_type=entry.partner_type,
            level=entry.designation,
            membership_status=entry.status.value if entry.status is not None else None,
            designations=[EarnedTitleOut.of(t) for t in entry.earned_designations],
            statuses=[EarnedTitleOut.of(t) for t in entry.earned_statuses],
        )


class DirectoryChoice(BaseModel):
    id: str
    name: str


class DirectoryPage(BaseModel):
    """The partners found, and what a search may name."""

    model_config = ConfigDict(extra="ignore")

    partners: list[DirectoryEntryOut]
    designations: list[DirectoryChoice]
    statuses: list[DirectoryChoice]
