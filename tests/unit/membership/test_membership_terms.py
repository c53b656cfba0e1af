"""The program's numbers as one value, and the built-in opn.yaml mapped onto it."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

import pytest
from membership_fixtures import TERMS

from alliance.domain.errors import InvalidInput
from alliance.domain.membership import (
    AgreementMethod,
    AssociateOrdering,
    LevelTerms,
    MembershipTerms,
    PaymentMethod,
    PaymentOption,
    PaymentPlan,
    RewardPayout,
    Step,
    StepRule,
    opn_terms,
)
from alliance.domain.money import eur, usd
from alliance.domain.organizations import EntityRole
from alliance.programs.registry import ProgramRegistry
from alliance.programs.schema import ProgramDefinition
from alliance.programs.schema.renewal import RenewalActivation
from alliance.services.membership_terms import membership_program, terms_from_program


@pytest.fixture(scope="module")
def opn_definition() -> ProgramDefinition:
    return ProgramRegistry.load().get("opn")


def test_the_built_in_opn_definition_maps_onto_spec_s_terms(
    opn_definition: ProgramDefinition,
) -> None:
    """OPN-4 … OPN-18: every number the rules use comes from opn.yaml, and it is SPEC's."""
    assert terms_from_program(opn_definition) == opn_terms()


def test_the_mapped_terms_carry_the_seed_numbers(opn_definition: ProgramDefinition) -> None:
    terms = terms_from_program(opn_definition)
    assert [(lv.id, lv.rank, lv.fee) for lv in terms.levels] == [
        ("l0", 0, usd("500")),
        ("l1", 1, usd("5000")),
        ("l2", 2, usd("100000")),
        ("l3", 3, usd("500000")),
    ]
    assert [o.plan for o in terms.level("l3").payment] == [
        PaymentPlan.ANNUAL,
        PaymentPlan.QUARTERLY,
    ]
    assert (terms.term_years, terms.renewal_window_days, terms.late_renewal_years) == (1, 90, 1)
    assert (terms.invoice_min_business_days, terms.invoice_max_business_days) == (3, 5)
    assert [t.id for t in terms.tracks] == ["healthcare", "license_and_hardware"]
    assert (terms.expertise_min_rank, terms.engagements_min_rank) == (1, 1)
    assert terms.reward_payouts == (RewardPayout.MONEY, RewardPayout.PARTNER_CREDITS)
    assert terms.default_associate_policy is AssociateOrdering.PRINCIPAL_ORDERS_ONLY
    assert terms.default_preapproved_percentage == Decimal("0.5")
    assert terms.agreement_methods == {AgreementMethod.ONLINE_CLICK, AgreementMethod.OFFLINE_UPLOAD}
    reward = next(r for r in terms.steps if r.step is Step.REWARD_QUESTIONNAIRE)
    assert reward == StepRule(Step.REWARD_QUESTIONNAIRE, 1, frozenset({EntityRole.PRINCIPAL}))


def test_the_service_names_the_program(opn_definition: ProgramDefinition) -> None:
    program = membership_program(ProgramRegistry.load())
    assert (program.code, program.currency) == ("opn", "USD")


def test_a_definition_the_rules_cannot_honour_is_refused_naming_the_field(
    opn_definition: ProgramDefinition,
) -> None:
    """X-7: a renewal that activates on payment is not what the rules implement (OPN-14)."""
    section = opn_definition.membership
    assert section is not None and section.renewal is not None
    renewal = section.renewal.model_copy(update={"activates_on": RenewalActivation.PAYMENT_DATE})
    changed = opn_definition.model_copy(
        update={"membership": section.model_copy(update={"renewal": renewal})}
    )
    with pytest.raises(InvalidInput) as refused:
        terms_from_program(changed)
    assert [(p.field, p.rule) for p in refused.value.problems] == [
        ("membership.renewal.activates_on", "OPN-14")
    ]


@pytest.mark.parametrize(
    ("change", "field", "rule"),
    [
        ({"levels": ()}, "levels", "OPN-4"),
        ({"levels": (TERMS.levels[1], TERMS.levels[0])}, "levels", "OPN-4"),
        ({"renewal_window_days": -1}, "renewal_window_days", "OPN-14"),
        ({"invoice_min_business_days": 6}, "invoice_min_business_days", "OPN-7"),
        (
            {"default_preapproved_percentage": Decimal("50")},
            "default_preapproved_percentage",
            "CRD-2",
        ),
        ({"steps": (StepRule(Step.PAYMENT),)}, "steps", "OPN-9"),
    ],
)
def test_bad_terms_are_refused_naming_the_field(
    change: dict[str, object], field: str, rule: str
) -> None:
    with pytest.raises(InvalidInput) as refused:
        replace(TERMS, **change)  # type: ignore[arg-type]
    assert (refused.value.field, refused.value.rule) == (field, rule)


def test_a_level_priced_in_another_currency_is_refused() -> None:
    annual = PaymentOption(PaymentPlan.ANNUAL, (PaymentMethod.WIRE,))
    level = LevelTerms("l9", "Level 9", 9, eur("1"), (annual,))
    with pytest.raises(InvalidInput) as refused:
        MembershipTerms(levels=(*TERMS.levels, level))
    assert (refused.value.field, refused.value.rule) == ("fee", "OPN-4")


@pytest.mark.parametrize(
    "options",
    [
        (),
        (PaymentOption(PaymentPlan.ANNUAL, ()),),
        (
            PaymentOption(PaymentPlan.ANNUAL, (PaymentMethod.WIRE,)),
            PaymentOption(PaymentPlan.ANNUAL, (PaymentMethod.CARD,)),
        ),
    ],
    ids=["no plan", "no method", "a plan twice"],
)
def test_a_level_offers_each_plan_once_with_a_method(options: tuple[PaymentOption, ...]) -> None:
    """OPN-5."""
    with pytest.raises(InvalidInput) as refused:
        LevelTerms("l1", "Level 1", 1, usd("5000"), options)
    assert (refused.value.field, refused.value.rule) == ("payment", "OPN-5")


def test_an_unknown_level_is_refused_naming_the_levels_offered() -> None:
    with pytest.raises(InvalidInput) as refused:
        TERMS.level("gold")
    assert (refused.value.field, refused.value.rule) == ("level", "OPN-4")
    assert "l0, l1, l2, l3" in refused.value.message
