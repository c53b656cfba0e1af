"""Optional tracks (OPN-12, OPN-13) and modules with combination constraints (PEX-2)."""

from __future__ import annotations

from enum import StrEnum

from pydantic import Field, model_validator

from alliance.programs.schema.common import (
    DefinitionModel,
    Identifier,
    Loc,
    MoneySpec,
    RuleIds,
    duplicate_ids,
    raise_issues,
    unknown_refs,
)


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


class ModuleSet(DefinitionModel):
    """Modules, and which of them one member may hold together.

    A member holds one module, or several when they form (a subset of) one of the
    ``combinable`` groups.
    """

    modules: tuple[Module, ...] = Field(min_length=1)
    combinable: tuple[tuple[Identifier, ...], ...] = ()
    rules: RuleIds = ()

    @model_validator(mode="after")
    def _combinations_refer_to_modules(self) -> ModuleSet:
        issues: list[tuple[Loc, str]] = duplicate_ids("modules", (m.id for m in self.modules))
        known = [m.id for m in self.modules]
        for index, group in enumerate(self.combinable):
            issues += unknown_refs(("combinable", index), group, known, "module")
            if len(set(group)) < 2:
                issues.append(
                    (("combinable", index), f"expected two or more modules, got {list(group)}")
                )
        raise_issues(issues)
        return self

    def may_hold(self, module_ids: set[str]) -> bool:
        """Whether one member may hold all of ``module_ids`` together (PEX-2)."""
        if len(module_ids) <= 1:
            return True
        return any(module_ids <= set(group) for group in self.combinable)
