"""The schema on its own: value types, cross-field rules, configurable paths, JSON Schema."""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

import pytest
from pydantic import BaseModel, TypeAdapter, ValidationError

from alliance.domain.money import Money
from alliance.programs.registry import ProgramRegistry
from alliance.programs.schema import (
    DefinitionRuleError,
    MoneySpec,
    ProgramDefinition,
    parse_path,
    program_json_schema,
)
from alliance.programs.schema.common import Rate
from alliance.programs.schema.incentives import TrancheIncentive
from alliance.programs.schema.payments import PaymentPlan
from alliance.programs.schema.promotions import Promotion
from alliance.programs.schema.scorecards import Area
from alliance.programs.schema.workflows import Workflow

HEAD: dict[str, Any] = {
    "code": "demo",
    "name": "Demo",
    "version": "1",
    "effective_date": "2026-01-01",
    "kind": "partner_network",
    "source": "test",
}


def rule_issues(model: type[BaseModel], data: object) -> list[tuple[tuple[str | int, ...], str]]:
    """The located cross-field issues a model refuses ``data`` with."""
    with pytest.raises(ValidationError) as caught:
        model.model_validate(data)
    issues = []
    for error in caught.value.errors():
        cause = error.get("ctx", {}).get("error")
        assert isinstance(cause, DefinitionRuleError), error
        issues += [((*error["loc"], *loc), message) for loc, message in cause.issues]
    return issues


def test_money_reads_the_short_form_and_converts_to_domain_money() -> None:
    """X-1: exact amounts with a currency."""
    adapter = TypeAdapter(MoneySpec)
    assert adapter.validate_python("500 USD") == MoneySpec(amount=Decimal(500), currency="USD")
    assert adapter.validate_python("100,000 USD").amount == Decimal(100000)
    assert adapter.validate_python({"amount": "19.99", "currency": "EUR"}).amount == Decimal(
        "19.99"
    )
    assert MoneySpec.model_validate("4730 USD").to_money() == Money.of("4730", "USD")
    with pytest.raises(ValidationError):
        adapter.validate_python("500 usd")


def test_rates_read_percentages_and_stay_between_0_and_1() -> None:
    adapter = TypeAdapter(Rate)
    assert adapter.validate_python("25%") == Decimal("0.25")
    assert adapter.validate_python(Decimal("0.33")) == Decimal("0.33")
    with pytest.raises(ValidationError):
        adapter.validate_python("120%")


def test_quarterly_plans_have_four_instalments() -> None:
    """OPN-6."""
    with pytest.raises(ValidationError, match="expected 4 instalment"):
        PaymentPlan.model_validate({"plan": "quarterly", "instalments": 3, "methods": ["wire"]})


def test_track_maxima_must_add_up_to_the_area_total() -> None:
    """MCPP-9: the error names the track's rules."""
    data = {
        **HEAD,
        "metrics": [
            {
                "id": "m",
                "name": "M",
                "fact": "deployment",
                "aggregation": "count",
                "window": {"kind": "current"},
            }
        ],
        "scorecards": {
            "total": 100,
            "threshold": 70,
            "every_metric_positive": True,
            "qualification": {"previous_full_months": 5},
            "designation": {"name": "D", "enrol_within_days": 30},
            "areas": [
                {
                    "id": "a",
                    "name": "A",
                    "tracks": [
                        {
                            "id": "t",
                            "name": "T",
                            "rules": [
                                {
                                    "metric": "m",
                                    "category": "skilling",
                                    "points": 1,
                                    "max_points": 60,
                                }
                            ],
                        }
                    ],
                }
            ],
        },
    }
    [(loc, message)] = rule_issues(ProgramDefinition, data)
    assert loc == ("scorecards", "areas", 0, "tracks", 0, "rules")
    assert "add up to the area total 100" in message


def test_best_of_needs_two_tracks_and_classification_names_its_tracks() -> None:
    """MCPP-9: best-of vs classification per area."""
    track = {
        "id": "t",
        "name": "T",
        "rules": [{"metric": "m", "category": "skilling", "points": 1, "max_points": 100}],
    }
    issues = rule_issues(Area, {"id": "a", "name": "A", "track_mode": "best_of", "tracks": [track]})
    assert issues == [(("tracks",), "expected 2 or more tracks for best_of, got 1")]
    classified = {
        "id": "a",
        "name": "A",
        "track_mode": "classification",
        "tracks": [track, {**track, "id": "smb"}],
        "classification": {"attribute": "segment", "tracks": {"x": "nope"}, "default_track": "t"},
    }
    [(loc, message)] = rule_issues(Area, classified)
    assert loc == ("classification", "tracks")
    assert "got 'nope'" in message


def test_workflow_moves_reference_declared_states_and_leave_no_terminal_state() -> None:
    """CCE-6: lifecycles are tables of allowed moves."""
    data = {
        "id": "w",
        "name": "W",
        "initial": "start",
        "states": [{"id": "a", "name": "A"}, {"id": "b", "name": "B", "terminal": True}],
        "transitions": [
            {"name": "go", "from": "a", "to": "b"},
            {"name": "back", "from": "b", "to": "a"},
            {"name": "go", "from": "a", "to": "c"},
        ],
    }
    fields = [loc for loc, _ in rule_issues(Workflow, data)]
    assert ("initial",) in fields
    assert ("transitions", 1, "from") in fields
    assert ("transitions", 2, "to") in fields
    assert ("transitions", 2, "name") in fields


def test_tranche_bounds_ascend_in_multiples_of_the_tranche_size() -> None:
    """PEX-5."""
    data = {
        "id": "t",
        "name": "T",
        "kind": "tranche",
        "base": "m",
        "period": "year",
        "tranche_size": "25000 USD",
        "tranches": [{"up_to": "30000 USD", "rate": "10%"}, {"rate": "12%"}],
    }
    [(loc, message)] = rule_issues(TrancheIncentive, data)
    assert loc == ("tranches", 0, "up_to")
    assert "multiple of the tranche size 25,000 USD" in message


def test_a_promotion_is_not_both_cumulative_and_exclusive() -> None:
    """OIP-7."""
    with pytest.raises(ValidationError, match="cumulative or exclusive"):
        Promotion.model_validate(
            {
                "id": "p",
                "name": "P",
                "statuses": ["s"],
                "member_types": ["m"],
                "benefits": [{"kind": "fee_waiver", "fee": "access"}],
                "cumulative": True,
                "exclusive": True,
            }
        )


def test_references_across_sections_are_checked() -> None:
    """Metric, status and member type ids named anywhere must be declared."""
    data = {
        **HEAD,
        "membership": {"member_types": [{"id": "partner", "name": "Partner"}]},
        "statuses": {
            "measures": [{"member_type": "partnr", "metric": "revenue"}],
            "reevaluation": {"every": {"months": 6}},
            "statuses": [{"id": "starter", "name": "Starter", "rank": 0}],
        },
    }
    issues = dict(rule_issues(ProgramDefinition, data))
    assert "got 'partnr'" in issues[("statuses", "measures", 0, "member_type")]
    assert "none declared" in issues[("statuses", "measures", 0, "metric")]


def test_configurable_paths_must_lead_to_a_value() -> None:
    [(loc, message)] = rule_issues(ProgramDefinition, {**HEAD, "configurable": ["membership.fee"]})
    assert loc == ("configurable", 0)
    assert message == "expected the path of a value, got 'membership.fee'"
    program = ProgramDefinition.model_validate({**HEAD, "configurable": ["currency"]})
    assert program.configurable_values() == {"currency": "USD"}


def test_paths_parse_like_error_fields() -> None:
    assert parse_path("membership.levels[2].fee") == ("membership", "levels", 2, "fee")
    assert parse_path("levels[") is None
    assert parse_path("") is None


def test_definitions_are_frozen() -> None:
    program = ProgramDefinition.model_validate(HEAD)
    with pytest.raises(ValidationError):
        program.code = "other"  # type: ignore[misc]


@pytest.mark.parametrize("code", ["opn", "pex", "mcpp", "oip", "osr"])
def test_a_builtin_survives_a_json_round_trip(code: str) -> None:
    """What ``alliance programs show --json`` prints validates back to the same definition."""
    program = ProgramRegistry.load().get(code)
    dumped = json.loads(json.dumps(program.model_dump(mode="json", by_alias=True)))
    assert ProgramDefinition.model_validate(dumped) == program


def test_the_json_schema_describes_the_vocabulary() -> None:
    schema = program_json_schema()
    assert schema["title"] == "Alliance program definition"
    assert schema["additionalProperties"] is False
    defs = schema["$defs"]
    assert defs["RedemptionOrder"]["enum"] == [
        "earliest_expiry_first",
        "oldest_first",
        "newest_first",
    ]
    assert "tranche" in json.dumps(schema["properties"]["incentives"])
    assert set(defs["PaymentMethod"]["enum"]) >= {"card", "wire", "purchase_order"}
