"""An earned-status program's definition as the domain's terms (OIP): statuses
(:class:`EarnedStatusTerms`) and promotions (:class:`PromotionsTerms`).

Reads from ``programs/builtin/oip.yaml`` (or a vendor's file):

* the status measures — a ``revenue`` metric, ``monthly_average`` over trailing months;
  its ``where`` criteria say which revenue kinds count: ``recurring is_true`` keeps the
  recurring lines only, ``charge_type not_in [service_access_fee, usage_minutes]`` drops
  access fees and minutes (OIP-2);
* the statuses with thresholds, duties and benefits (OIP-4 … OIP-6), the cadence (OIP-3);
* the ambassador ``commission`` and the ``back_margin`` incentives (OIP-1, OIP-7);
* the promotions, their products and the quarterly minimums (OIP-7, OIP-8).

What the rules cannot honour is refused, naming the field.
"""

from __future__ import annotations

from dataclasses import dataclass

from alliance.domain.errors import InvalidInput, Problem
from alliance.domain.facts import RevenueKind
from alliance.domain.promotions import (
    BenefitKind,
    ConditionKind,
    ConditionTerms,
    MinimumSource,
    MinimumTerms,
    PriceBenefit,
    ProductTerms,
    PromotionsTerms,
    PromotionTerms,
)
from alliance.domain.statuses import (
    BenefitTerms,
    CadenceAnchor,
    DutyTerms,
    EarnedStatusTerms,
    MeasureTerms,
    RateTerms,
    StatusTerms,
)
from alliance.programs.registry import ProgramRegistry
from alliance.programs.schema import ProgramDefinition
from alliance.programs.schema.criteria import Criterion, Operator
from alliance.programs.schema.incentives import RateIncentive
from alliance.programs.schema.metrics import Aggregation, FactKind, Metric, WindowKind
from alliance.programs.schema.promotions import Condition, PromotionBenefit

DEFAULT_PROGRAM = "oip"

_CHARGE_TYPES = {
    "service_access_fee": RevenueKind.SERVICE_ACCESS_FEE,
    "usage_minutes": RevenueKind.MINUTES,
    "minutes": RevenueKind.MINUTES,
    "recurring": RevenueKind.RECURRING,
    "one_off": RevenueKind.ONE_OFF,
}
_RECURRING = frozenset({RevenueKind.RECURRING})


@dataclass(frozen=True)
class StatusProgram:
    code: str
    name: str
    version: str
    statuses: EarnedStatusTerms
    promotions: PromotionsTerms | None


def status_program(programs: ProgramRegistry, code: str = DEFAULT_PROGRAM) -> StatusProgram:
    definition = programs.get(code)
    return StatusProgram(
        code,
        definition.name,
        definition.version,
        statuses_from_program(definition),
        promotions_from_program(definition),
    )


def counted_kinds(metric: Metric, problems: list[Problem]) -> frozenset[RevenueKind]:
    """The revenue kinds a revenue metric's ``where`` keeps (OIP-2)."""
    kinds = frozenset(RevenueKind)
    for criterion in metric.where:
        if criterion.attribute == "recurring" and criterion.op is Operator.IS_TRUE:
            kinds &= _RECURRING
        elif criterion.attribute == "recurring" and criterion.op is Operator.IS_FALSE:
            kinds -= _RECURRING
        elif criterion.attribute == "charge_type" and criterion.op in (
            Operator.NOT_IN,
            Operator.IN,
        ):
            named = _kinds(criterion, metric.id, problems)
            kinds = kinds - named if criterion.op is Operator.NOT_IN else kinds & named
        elif criterion.attribute != "product_line":
            problems.append(
                Problem(
                    f"revenue metrics filter on recurring, charge_type or product_line, got "
                    f"{criterion.attribute}",
                    field=f"metrics.{metric.id}.where",
                    rule="OIP-2",
                )
            )
    return kinds


def _kinds(criterion: Criterion, metric: str, problems: list[Problem]) -> frozenset[RevenueKind]:
    out = set()
    for value in criterion.values:
        if value in _CHARGE_TYPES:
            out.add(_CHARGE_TYPES[value])
        else:
            problems.append(
                Problem(
                    f"unknown charge type {value!r}", field=f"metrics.{metric}.where", rule="OIP-2"
                )
            )
    return frozenset(out)


def _product_line(metric: Metric) -> str | None:
    for criterion in metric.where:
        if criterion.attribute == "product_line" and criterion.values:
            return criterion.values[0]
    return None


def statuses_from_program(definition: ProgramDefinition) -> EarnedStatusTerms:
    """The :class:`EarnedStatusTerms` of ``definition``; InvalidInput lists every misfit."""
    section = definition.statuses
    if section is None:
        raise InvalidInput(
            f"program {definition.code} has no statuses", field="statuses", rule="OIP-4"
        )
    problems: list[Problem] = []
    measures = []
    for i, spec in enumerate(section.measures):
        metric = definition.metric(spec.metric)
        where = f"statuses.measures[{i}]"
        if (
            metric.fact is not FactKind.REVENUE
            or metric.aggregation is not Aggregation.MONTHLY_AVERAGE
            or metric.window.kind is not WindowKind.TRAILING_MONTHS
        ):
            problems.append(
                Problem(
                    "a status measure is the monthly average of revenue over trailing months",
                    field=where,
                    rule="OIP-2",
                )
            )
            continue
        measures.append(
            MeasureTerms(
                spec.member_type,
                metric.id,
                counted_kinds(metric, problems),
                metric.window.months or 6,
            )
        )
    every = section.reevaluation.every
    if every.years or every.days:
        problems.append(
            Problem(
                "statuses are re-evaluated every N months",
                field="statuses.reevaluation",
                rule="OIP-3",
            )
        )
    statuses = tuple(
        StatusTerms(
            s.id,
            s.name,
            s.rank,
            {t.member_type: t.at_least.to_money() for t in s.thresholds},
            tuple(
                DutyTerms(
                    d.id,
                    d.name,
                    d.kind.value,
                    d.member_types,
                    d.count or 1,
                    d.product_lines if d.per_product_line else (),
                    d.profiles,
                    d.only_if,
                    d.format.value if d.format else None,
                )
                for d in s.duties
            ),
            tuple(
                BenefitTerms(
                    b.id,
                    b.name,
                    b.kind.value,
                    b.member_types,
                    b.value.to_money() if b.value else None,
                    b.quantity,
                    b.items,
                    b.incentive,
                )
                for b in s.benefits
            ),
        )
        for s in section.statuses
    )
    commission = back_margin = None
    for incentive in definition.incentives:
        if not isinstance(incentive, RateIncentive):
            continue
        metric = definition.metric(incentive.base)
        if len(incentive.rates) != 1:
            problems.append(
                Problem(
                    "one rate per commission or back-margin",
                    field=f"incentives.{incentive.id}.rates",
                    rule="OIP-8",
                )
            )
        terms = RateTerms(
            incentive.rates[-1].rate,
            counted_kinds(metric, problems),
            _product_line(metric),
            incentive.statuses,
            incentive.member_types,
        )
        if incentive.kind == "commission":
            commission = terms
        elif incentive.kind == "back_margin":
            back_margin = terms
    if problems:
        raise InvalidInput(
            f"program {definition.code} does not fit the earned-status rules",
            rule="X-7",
            problems=problems,
        )
    member_types = (
        tuple(t.id for t in definition.membership.member_types) if definition.membership else ()
    )
    return EarnedStatusTerms(
        program=definition.code,
        currency=definition.currency,
        measures=tuple(measures),
        statuses=statuses,
        every_months=every.months,
        anchor=CadenceAnchor(section.reevaluation.anchor.value),
        commission=commission,
        back_margin=back_margin,
        member_types=member_types,
    )


def promotions_from_program(definition: ProgramDefinition) -> PromotionsTerms | None:
    """The :class:`PromotionsTerms` of ``definition``, ``None`` when it has no promotions."""
    section = definition.promotions
    if section is None:
        return None
    problems: list[Problem] = []
    minimums = []
    for i, minimum in enumerate(section.minimums):
        metric = definition.metric(minimum.metric)
        if minimum.period.value != "quarter":
            problems.append(
                Problem(
                    "minimums are per quarter",
                    field=f"promotions.minimums[{i}].period",
                    rule="OIP-8",
                )
            )
        if metric.fact is FactKind.ORDER:
            source, counted = MinimumSource.ORDER_INTAKE, frozenset(RevenueKind)
        elif metric.fact is FactKind.REVENUE:
            source, counted = MinimumSource.REVENUE, counted_kinds(metric, problems)
        else:
            problems.append(
                Problem(
                    f"a minimum reads orders or revenue, got {metric.fact}",
                    field=f"promotions.minimums[{i}].metric",
                    rule="OIP-8",
                )
            )
            continue
        label = "order intake" if source is MinimumSource.ORDER_INTAKE else "revenue"
        minimums.append(
            MinimumTerms(
                minimum.status,
                minimum.member_type,
                source,
                minimum.at_least.to_money(),
                counted,
                label,
            )
        )
    if problems:
        raise InvalidInput(
            f"program {definition.code} does not fit the promotion rules",
            rule="X-7",
            problems=problems,
        )
    return PromotionsTerms(
        program=definition.code,
        currency=definition.currency,
        products=tuple(
            ProductTerms(p.id, p.name, p.product_line, p.price.to_money() if p.price else None)
            for p in section.products
        ),
        promotions=tuple(
            PromotionTerms(
                p.id,
                p.name,
                p.statuses,
                p.member_types,
                tuple(_benefit(b) for b in p.benefits),
                _condition(p.condition),
                p.cumulative,
                p.exclusive,
            )
            for p in section.promotions
        ),
        minimums=tuple(minimums),
    )


def _condition(condition: Condition) -> ConditionTerms:
    return ConditionTerms(
        ConditionKind(condition.kind.value),
        condition.product,
        condition.products,
        condition.quantity,
        condition.project,
        tuple(_condition(c) for c in condition.conditions),
        condition.description,
    )


def _benefit(benefit: PromotionBenefit) -> PriceBenefit:
    return PriceBenefit(
        BenefitKind(benefit.kind.value),
        benefit.product,
        benefit.excluding,
        benefit.list_price.to_money() if benefit.list_price else None,
        benefit.unit_price.to_money() if benefit.unit_price else None,
        tuple((t.above_quantity, t.unit_price.to_money()) for t in benefit.tiers),
        benefit.percent,
        benefit.fee,
        benefit.grid,
        benefit.incentive,
        benefit.description,
    )
