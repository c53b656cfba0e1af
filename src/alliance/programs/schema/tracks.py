"""Optional tracks (OPN-12, OPN-13) and business modules (PEX-2, PEX-4)."""

from __future__ import annotations

from enum import StrEnum

from pydantic import Field

from alliance.programs.schema.common import DefinitionModel, Identifier, MoneySpec, RuleIds


class OptionalTrack(DefinitionModel):
    """A track a member may join on top of its level (OPN-12)."""

    id: Identifier
    name: str
    min_level: Identifier = Field(description="The lowest level id that may join.")
    fee: MoneySpec | None = Field(default=None, description="None: no extra cost.")
    join_any_time: bool = True
    coterminous: bool = Field(default=True, description="Ends with the membership.")
    rules: RuleIds = ()


class RewardUnit(StrEnum):
    """How a module rewards a member (PEX-4)."""

    POINTS = "points"
    MONEY = "money"
    MARGIN = "margin"


class Module(DefinitionModel):
    """A business module held at a tier, e.g. Resell or Sell With (PEX-2)."""

    id: Identifier
    name: str
    audience: str = ""
    description: str = ""
    reward: RewardUnit
    levels: tuple[Identifier, ...] = Field(
        default=(), description="Level ids offering it; empty means every level."
    )
    rules: RuleIds = ()
