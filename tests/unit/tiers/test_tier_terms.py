"""The adapters from program definitions to the earned-tier terms: the built-ins' numbers
arrive intact, and what the rules cannot honour is refused with the field named (X-7)."""

from __future__ import annotations

from decimal import Decimal
from importlib.resources import files

import pytest

from alliance.domain.errors import InvalidInput
from alliance.domain.facts import RevenueKind
from alliance.domain.money import eur, usd
from alliance.domain.scoring import TrackMode
from alliance.programs.loader import parse_program
from alliance.services import modular_tier_terms, scorecard_terms, status_terms


def builtin_text(code: str) -> str:
    return (files("alliance.programs") / "builtin" / f"{code}.yaml").read_text()


def test_mcpp_terms_carry_the_reference_table() -> None:
    """MCPP-1: six areas; MCPP-8: 70, every metric > 0, 5 previous months, 30 days,
    4,730 USD; MCPP-10: unit values and caps."""
    terms = scorecard_terms.terms_from_program(parse_program(builtin_text("mcpp").encode(), "m"))
    assert len(terms.areas) == 6
    assert {a.threshold for a in terms.areas} == {Decimal(70)}
    assert terms.every_metric_positive
    assert (terms.previous_full_months, terms.enrol_within_days) == (5, 30)
    assert terms.fee == usd("4730")
    security = terms.area("security")
    assert security.mode is TrackMode.CLASSIFICATION
    rule = security.track("smb").rules[2]
    assert (rule.points, rule.per, rule.max_points) == (Decimal(1), Decimal(750), Decimal(20))
    assert terms.metric("data_ai_net_customer_adds").window_months == 12
    assert terms.metric("data_ai_net_customer_adds").area == "data_ai"
    retired = [c for c in terms.metric("data_ai_intermediate_certs").certifications if c.retires_on]
    assert [c.id for c in retired] == ["dp_203"]


def test_mcpp_metric_the_rules_cannot_read_is_refused() -> None:
    text = builtin_text("mcpp").replace("aggregation: growth_percent", "aggregation: sum", 1)
    definition = parse_program(text.encode(), "mcpp.yaml")
    with pytest.raises(InvalidInput) as error:
        scorecard_terms.terms_from_program(definition)
    assert [p.field for p in error.value.problems] == ["metrics.data_ai_usage_growth"]
    assert error.value.problems[0].rule == "MCPP-10"


def test_pex_terms_carry_tranches_points_and_availability() -> None:
    terms = modular_tier_terms.terms_from_program(parse_program(builtin_text("pex").encode(), "p"))
    assert [t.rate for t in terms.tranches] == [Decimal(x) for x in ("0.1", "0.12", "0.14", "0.16")]
    assert terms.tranche_size == usd("25000")
    assert terms.influence_points is not None and terms.influence_points.per == Decimal(1000)
    assert terms.certification_points is not None
    assert terms.certification_points.points == Decimal(50)
    assert terms.combinable == (frozenset({"resell", "sell_with"}),)
    assert not terms.partner_type("cloud_service_provider").admitted


def test_pex_tier_metric_must_be_trailing_points() -> None:
    text = builtin_text("pex").replace(
        "window: !configurable {kind: trailing_months, months: 12}", "window: {kind: calendar_year}"
    )
    with pytest.raises(InvalidInput) as error:
        modular_tier_terms.terms_from_program(parse_program(text.encode(), "pex.yaml"))
    assert {p.field for p in error.value.problems} == {"metrics.pex_points_earned"}


def test_oip_terms_count_the_right_revenue_kinds() -> None:
    """OIP-2: ambassadors — recurring only; operators — all but access fees and minutes."""
    definition = parse_program(builtin_text("oip").encode(), "o")
    terms = status_terms.statuses_from_program(definition)
    assert terms.measure("ambassador").counted == frozenset({RevenueKind.RECURRING})
    assert terms.measure("operator").counted == frozenset(
        {RevenueKind.RECURRING, RevenueKind.ONE_OFF}
    )
    assert terms.every_months == 6
    assert terms.status("business").thresholds["ambassador"] == eur("1500")
    assert terms.back_margin is not None and terms.back_margin.product_line == "voip"
    promotions = status_terms.promotions_from_program(definition)
    assert promotions is not None
    minimum = promotions.minimum("premium", "operator")
    assert minimum is not None and minimum.at_least == eur("2000")


def test_oip_measure_with_an_unknown_filter_is_refused() -> None:
    text = builtin_text("oip").replace(
        "- {attribute: recurring, op: is_true}", "- {attribute: region, op: is_true}", 1
    )
    with pytest.raises(InvalidInput) as error:
        status_terms.statuses_from_program(parse_program(text.encode(), "oip.yaml"))
    assert error.value.problems[0].field == "metrics.ambassador_recurring_revenue.where"
    assert error.value.problems[0].rule == "OIP-2"
