"""A modular-tier program's definition as the domain's :class:`ModularTierTerms` (PEX).

Reads from ``programs/builtin/pex.yaml`` (or a vendor's file): the earned levels as tiers
with the points they take (PEX-1, PEX-6), the modules and combinable groups (PEX-2), the
member types and their admission (PEX-7), the ``tranche`` incentive (PEX-5) with the
product kind its base metric filters on, and the ``points`` incentives — the one on
influenced deal value (Sell With, PEX-4) and the one on certifications (PEX-6) — with
their wallet, its expiry and the points window of the tier metric. What the rules cannot
honour is refused, naming the field.
"""

from __future__ import annotations

from dataclasses import dataclass

from alliance.domain.errors import InvalidInput, Problem
from alliance.domain.modular_tiers import (
    ModularTierTerms,
    ModuleTerms,
    PartnerTypeTerms,
    PointsAwardTerms,
    RewardKind,
    TierTerms,
    TrancheTerms,
)
from alliance.programs.registry import ProgramRegistry
from alliance.programs.schema import ProgramDefinition
from alliance.programs.schema.criteria import Operator
from alliance.programs.schema.incentives import PointsIncentive, TrancheIncentive
from alliance.programs.schema.membership import Attainment
from alliance.programs.schema.metrics import FactKind, WindowKind
from alliance.programs.schema.wallets import ExpiryKind

DEFAULT_PROGRAM = "pex"


@dataclass(frozen=True)
class ModularTierProgram:
    code: str
    name: str
    version: str
    terms: ModularTierTerms


def modular_tier_program(
    programs: ProgramRegistry, code: str = DEFAULT_PROGRAM
) -> ModularTierProgram:
    definition = programs.get(code)
    return ModularTierProgram(
        code, definition.name, definition.version, terms_from_program(definition)
    )


def terms_from_program(definition: ProgramDefinition) -> ModularTierTerms:
    """The :class:`ModularTierTerms` of ``definition``; InvalidInput lists every misfit."""
    section = definition.membership
    problems: list[Problem] = []
    if section is None:
        raise InvalidInput(
            f"program {definition.code} has no tiers", field="membership", rule="PEX-1"
        )
    tiers = []
    window_months = 12
    for i, level in enumerate(section.levels):
        qualification = level.qualification
        if level.attainment is not Attainment.EARNED or qualification is None:
            problems.append(
                Problem(
                    "a tier is earned with points", field=f"membership.levels[{i}]", rule="PEX-6"
                )
            )
            continue
        metric = definition.metric(qualification.metric)
        if (
            metric.fact is not FactKind.POINTS
            or metric.window.kind is not WindowKind.TRAILING_MONTHS
        ):
            problems.append(
                Problem(
                    "tiers count points earned over trailing months",
                    field=f"metrics.{metric.id}",
                    rule="PEX-6",
                )
            )
        else:
            window_months = metric.window.months or window_months
        tiers.append(TierTerms(level.id, level.name, level.rank, qualification.at_least))
    modules = tuple(
        ModuleTerms(m.id, m.name, RewardKind(m.reward.value), m.levels) for m in section.modules
    )
    types = tuple(
        PartnerTypeTerms(t.id, t.name, t.admitted, t.available_from) for t in section.member_types
    )
    tranche = _one(definition, TrancheIncentive, problems)
    influence, certification, wallet_id = _points(definition, problems)
    if problems or tranche is None:
        raise InvalidInput(
            f"program {definition.code} does not fit the modular-tier rules",
            rule="X-7",
            problems=problems
            or [Problem("no tranche incentive", field="incentives", rule="PEX-5")],
        )
    wallet = definition.wallet(wallet_id) if wallet_id else None
    expiry_months = None
    if wallet is not None and wallet.expiry.kind is ExpiryKind.END_OF_MONTH_AFTER:
        expiry_months = wallet.expiry.months
    elif wallet is not None and wallet.expiry.kind is not ExpiryKind.NEVER:
        raise InvalidInput(
            "points never expire or expire at the end of a month after they are earned",
            field=f"wallets.{wallet.id}.expiry",
            rule="PEX-4",
        )
    return ModularTierTerms(
        program=definition.code,
        currency=definition.currency,
        tiers=tuple(tiers),
        modules=modules,
        combinable=tuple(frozenset(group) for group in section.combinable_modules),
        partner_types=types,
        tranche_size=tranche.tranche_size.to_money(),
        tranches=tuple(
            TrancheTerms(t.up_to.to_money() if t.up_to else None, t.rate) for t in tranche.tranches
        ),
        margin_module=tranche.modules[0] if tranche.modules else "resell",
        margin_product_kind=_product_kind(definition, tranche.base),
        influence_points=influence,
        certification_points=certification,
        points_window_months=window_months,
        points_wallet=wallet_id or "pex_points",
        points_expire_after_months=expiry_months,
    )


def _one(
    definition: ProgramDefinition, kind: type[TrancheIncentive], problems: list[Problem]
) -> TrancheIncentive | None:
    found = [i for i in definition.incentives if isinstance(i, kind)]
    if len(found) != 1:
        problems.append(
            Problem(
                f"expected one tranche incentive, got {len(found)}",
                field="incentives",
                rule="PEX-5",
            )
        )
        return None
    return found[0]


def _product_kind(definition: ProgramDefinition, metric_id: str) -> str:
    for criterion in definition.metric(metric_id).where:
        if criterion.attribute == "product_kind" and criterion.op is Operator.EQUALS:
            return criterion.values[0]
    return "license"


def _points(
    definition: ProgramDefinition, problems: list[Problem]
) -> tuple[PointsAwardTerms | None, PointsAwardTerms | None, str | None]:
    influence = certification = None
    wallet = None
    for incentive in definition.incentives:
        if not isinstance(incentive, PointsIncentive):
            continue
        if incentive.payout is not None and incentive.payout.wallet is not None:
            wallet = incentive.payout.wallet
        module = incentive.modules[0] if incentive.modules else None
        for j, award in enumerate(incentive.awards):
            fact = definition.metric(award.metric).fact
            terms = PointsAwardTerms(award.points, award.per, module)
            if fact is FactKind.INFLUENCE:
                influence = terms
            elif fact is FactKind.CERTIFICATION:
                certification = terms
            else:
                problems.append(
                    Problem(
                        f"points are earned on influence or certifications, got {fact}",
                        field=f"incentives.{incentive.id}.awards[{j}]",
                        rule="PEX-4",
                    )
                )
    return influence, certification, wallet
