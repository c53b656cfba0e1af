"""Membership: member types, levels (purchased or earned), entitlements, and everything
that hangs off a level — fees, payment, tracks, modules, roles, renewal, enrolment."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from enum import StrEnum

from pydantic import Field, model_validator

from alliance.programs.schema.benefits import Benefit
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
from alliance.programs.schema.enrolment import EnrolmentPolicy
from alliance.programs.schema.payments import InvoicePolicy, PaymentOptions
from alliance.programs.schema.renewal import RenewalPolicy
from alliance.programs.schema.roles import Role
from alliance.programs.schema.tracks import Module, OptionalTrack


class ParentRule(DefinitionModel):
    """A member type that attaches to a parent member (OPN-1, OPN-2, OPN-8, OPN-13)."""

    member_type: Identifier = Field(description="The parent's member type.")
    relationship: str = ""
    parent_must_be_active: bool = True
    approval_by_parent: bool = True
    bound_by_parent_agreement: bool = True
    inherits_level: bool = True
    inherits_end_date: bool = True
    inherits_tracks: bool = True
    may_join_tracks: bool = False
    rules: RuleIds = ()


class MemberType(DefinitionModel):
    """A kind of member: principal/associate, ambassador/operator, customer…"""

    id: Identifier
    name: str
    description: str = ""
    parent: ParentRule | None = None
    admitted: bool = Field(default=True, description="False: not yet admitted (PEX-7).")
    available_from: date | None = Field(
        default=None, description="The date from which this type may join, if announced."
    )
    rules: RuleIds = ()


class Attainment(StrEnum):
    """How a member reaches a level."""

    PURCHASED = "purchased"  # pays the level's fee (OPN-4)
    EARNED = "earned"  # meets the level's qualification (PEX-6)
    ASSIGNED = "assigned"  # the vendor decides


class LevelQualification(DefinitionModel):
    """What an earned level requires: a metric at least this high."""

    metric: Identifier
    at_least: Decimal = Field(ge=0)
    rules: RuleIds = ()


class Level(DefinitionModel):
    """A level or tier, listed lowest first; ``rank`` orders them."""

    id: Identifier
    name: str
    rank: int = Field(ge=0)
    attainment: Attainment = Attainment.PURCHASED
    fee: MoneySpec | None = Field(default=None, description="The annual fee, excluding tax.")
    payment: PaymentOptions | None = None
    qualification: LevelQualification | None = None
    benefits: tuple[Benefit, ...] = ()
    description: str = ""
    rules: RuleIds = ()

    @model_validator(mode="after")
    def _attainment_has_its_terms(self) -> Level:
        if self.attainment is Attainment.PURCHASED and self.fee is None:
            raise ValueError("expected a 'fee' for a purchased level, got none")
        if self.attainment is Attainment.EARNED and self.qualification is None:
            raise ValueError("expected a 'qualification' for an earned level, got none")
        return self


class Entitlement(DefinitionModel):
    """Something a member may do, from a minimum level, given other entitlements (OPN-17)."""

    id: Identifier
    name: str
    description: str = ""
    min_level: Identifier | None = None
    requires: tuple[Identifier, ...] = Field(default=(), description="Other entitlement ids.")
    prerequisites: tuple[str, ...] = Field(
        default=(), description="Conditions checked from facts (qualifications, contracts)."
    )
    requires_active_membership: bool = True
    rules: RuleIds = ()


class MembershipSection(DefinitionModel):
    """Who may join, at which levels, for what fee, with which rights and renewal rules."""

    member_types: tuple[MemberType, ...] = Field(min_length=1)
    levels: tuple[Level, ...] = ()
    invoice: InvoicePolicy | None = None
    tracks: tuple[OptionalTrack, ...] = ()
    modules: tuple[Module, ...] = ()
    combinable_modules: tuple[tuple[Identifier, ...], ...] = Field(
        default=(),
        description="Groups of modules one member may hold together; otherwise one (PEX-2).",
    )
    entitlements: tuple[Entitlement, ...] = ()
    roles: tuple[Role, ...] = ()
    renewal: RenewalPolicy | None = None
    enrolment: EnrolmentPolicy | None = None
    rules: RuleIds = ()

    def level(self, level_id: str) -> Level:
        """The level with this id (``KeyError`` when unknown)."""
        for level in self.levels:
            if level.id == level_id:
                return level
        raise KeyError(level_id)

    def may_hold_modules(self, module_ids: set[str]) -> bool:
        """Whether one member may hold all of ``module_ids`` together (PEX-2)."""
        if len(module_ids) <= 1:
            return True
        return any(module_ids <= set(group) for group in self.combinable_modules)

    @model_validator(mode="after")
    def _references_resolve(self) -> MembershipSection:
        issues: list[tuple[Loc, str]] = []
        issues += duplicate_ids("member_types", (t.id for t in self.member_types))
        issues += duplicate_ids("levels", (lv.id for lv in self.levels))
        issues += duplicate_ids("tracks", (t.id for t in self.tracks))
        issues += duplicate_ids("entitlements", (e.id for e in self.entitlements))
        issues += duplicate_ids("roles", (r.id for r in self.roles))
        issues += duplicate_ids("modules", (m.id for m in self.modules))
        issues += self._levels_ordered()
        types = [t.id for t in self.member_types]
        levels = [lv.id for lv in self.levels]
        roles = [r.id for r in self.roles]
        for i, mtype in enumerate(self.member_types):
            if mtype.parent is not None:
                loc: Loc = ("member_types", i, "parent", "member_type")
                issues += unknown_refs(loc, [mtype.parent.member_type], types, "member type")
        for i, level in enumerate(self.levels):
            for j, benefit in enumerate(level.benefits):
                loc = ("levels", i, "benefits", j, "member_types")
                issues += unknown_refs(loc, benefit.member_types, types, "member type")
        for i, track in enumerate(self.tracks):
            issues += unknown_refs(("tracks", i, "min_level"), [track.min_level], levels, "level")
        for i, module in enumerate(self.modules):
            issues += unknown_refs(("modules", i, "levels"), module.levels, levels, "level")
        modules = [m.id for m in self.modules]
        for i, group in enumerate(self.combinable_modules):
            issues += unknown_refs(("combinable_modules", i), group, modules, "module")
            if len(set(group)) < 2:
                issues.append(
                    (("combinable_modules", i), f"expected 2 or more modules, got {list(group)}")
                )
        entitlements = [e.id for e in self.entitlements]
        for i, ent in enumerate(self.entitlements):
            if ent.min_level is not None:
                loc = ("entitlements", i, "min_level")
                issues += unknown_refs(loc, [ent.min_level], levels, "level")
            loc = ("entitlements", i, "requires")
            issues += unknown_refs(loc, ent.requires, entitlements, "entitlement")
        for i, role in enumerate(self.roles):
            if role.validated_by is not None:
                loc = ("roles", i, "validated_by")
                issues += unknown_refs(loc, [role.validated_by], roles, "role")
        if self.invoice is not None:
            loc = ("invoice", "recipient_role")
            issues += unknown_refs(loc, [self.invoice.recipient_role], roles, "role")
        if self.enrolment is not None:
            issues += _enrolment_refs(self.enrolment, types, levels, roles)
        raise_issues(issues)
        return self

    def _levels_ordered(self) -> list[tuple[Loc, str]]:
        issues: list[tuple[Loc, str]] = []
        for i in range(1, len(self.levels)):
            before, level = self.levels[i - 1], self.levels[i]
            if level.rank <= before.rank:
                issues.append(
                    (
                        ("levels", i, "rank"),
                        f"expected a rank above {before.rank} (levels are listed lowest "
                        f"first), got {level.rank}",
                    )
                )
        return issues


def _enrolment_refs(
    enrolment: EnrolmentPolicy, types: list[str], levels: list[str], roles: list[str]
) -> list[tuple[Loc, str]]:
    issues: list[tuple[Loc, str]] = []
    if enrolment.completer_role is not None:
        loc: Loc = ("enrolment", "completer_role")
        issues += unknown_refs(loc, [enrolment.completer_role], roles, "role")
    for i, spec in enumerate(enrolment.steps):
        if spec.min_level is not None:
            loc = ("enrolment", "steps", i, "min_level")
            issues += unknown_refs(loc, [spec.min_level], levels, "level")
        loc = ("enrolment", "steps", i, "member_types")
        issues += unknown_refs(loc, spec.member_types, types, "member type")
    return issues
