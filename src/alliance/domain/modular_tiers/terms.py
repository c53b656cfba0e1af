"""The numbers of a modular-tier program, as one value: :class:`ModularTierTerms` (PEX).

Tiers and the points they take (PEX-1, PEX-6), modules and which combine (PEX-2),
partner types and when they are admitted (PEX-7), the Resell tranches (PEX-5) and the
points awards (PEX-4, PEX-6). ``alliance.services.modular_tier_terms`` builds them from
a program definition (``programs/builtin/pex.yaml``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from enum import StrEnum

from alliance.domain.errors import InvalidInput
from alliance.domain.money import Money


class RewardKind(StrEnum):
    """How a module rewards a partner (PEX-4: points today, money planned)."""

    POINTS = "points"
    MONEY = "money"
    MARGIN = "margin"


@dataclass(frozen=True, slots=True)
class TierTerms:
    """A tier (PEX-1) reached with ``points_needed`` points earned in the window (PEX-6)."""

    id: str
    name: str
    rank: int
    points_needed: Decimal


@dataclass(frozen=True)
class ModuleTerms:
    """A business module (PEX-2); ``tiers`` empty means it is offered at every tier."""

    id: str
    name: str
    reward: RewardKind
    tiers: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class PartnerTypeTerms:
    """A partner type; one not ``admitted`` may be from ``available_from`` (PEX-7)."""

    id: str
    name: str
    admitted: bool = True
    available_from: date | None = None


@dataclass(frozen=True, slots=True)
class TrancheTerms:
    """The rate on the part of the bookings up to ``up_to`` (``None``: the open last one)."""

    up_to: Money | None
    rate: Decimal


@dataclass(frozen=True, slots=True)
class PointsAwardTerms:
    """``points`` per ``per`` units of a source — influenced USD or certifications."""

    points: Decimal
    per: Decimal = Decimal(1)
    module: str | None = None  # the module a partner must hold to earn them


@dataclass(frozen=True)
class ModularTierTerms:
    program: str
    currency: str
    tiers: tuple[TierTerms, ...]
    modules: tuple[ModuleTerms, ...]
    combinable: tuple[frozenset[str], ...]
    partner_types: tuple[PartnerTypeTerms, ...]
    tranche_size: Money
    tranches: tuple[TrancheTerms, ...]
    margin_module: str = "resell"
    margin_product_kind: str = "license"
    influence_points: PointsAwardTerms | None = None
    certification_points: PointsAwardTerms | None = None
    points_window_months: int = 12
    points_wallet: str = "pex_points"
    points_unit: str = "POINTS"
    points_expire_after_months: int | None = None

    def __post_init__(self) -> None:
        ranks = [t.rank for t in self.tiers]
        if ranks != sorted(ranks) or len(set(ranks)) != len(ranks):
            raise InvalidInput("tiers are listed lowest first", field="tiers", rule="PEX-1")
        if not self.tranches or self.tranches[-1].up_to is not None:
            raise InvalidInput(
                "the last tranche is open (no upper bound)", field="tranches", rule="PEX-5"
            )

    def module(self, module_id: str) -> ModuleTerms:
        for module in self.modules:
            if module.id == module_id:
                return module
        raise InvalidInput(f"no module {module_id!r}", field="modules", rule="PEX-2")

    def partner_type(self, type_id: str) -> PartnerTypeTerms:
        for partner_type in self.partner_types:
            if partner_type.id == type_id:
                return partner_type
        known = ", ".join(t.id for t in self.partner_types)
        raise InvalidInput(
            f"no partner type {type_id!r}; types: {known}", field="partner_type", rule="PEX-7"
        )
