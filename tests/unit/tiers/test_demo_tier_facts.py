"""The demo's tier facts: in the store's layouts, with catalogue ids, and scoring so that
some partners reach 70 in some areas and others do not (MCPP-2, MCPP-9, MCPP-10)."""

from __future__ import annotations

from collections import defaultdict
from datetime import date, timedelta
from decimal import Decimal

import pyarrow as pa
import pytest
from tiers_fixtures import mcpp_terms

from alliance.batch.tier_facts import (
    CERTIFICATIONS_SCHEMA,
    CUSTOMERS_SCHEMA,
    DEALS_SCHEMA,
    DEPLOYMENTS_SCHEMA,
    MCPP_USAGE_SCHEMA,
    MEMBERS_SCHEMA,
    ORDERS_SCHEMA,
    PARTNERS_SCHEMA,
)
from alliance.demo.dataset import DemoSpec, generate
from alliance.demo.partner import demo_partner_id
from alliance.demo.tier_facts import demo_tier_facts
from alliance.domain.calendar import Month
from alliance.domain.facts import Certification, CustomerAssociation, Deployment, UsageRecord
from alliance.domain.scoring import PartnerFacts, area_scores
from alliance.services.tier_facts.ports import FactKind

END = Month(2026, 10)


@pytest.fixture(scope="module")
def tables() -> dict[FactKind, pa.Table]:
    dataset = generate(DemoSpec(partners=40, seed=7, end_month=END))
    return demo_tier_facts(dataset, mcpp_terms())


def partner_facts(tables: dict[FactKind, pa.Table]) -> dict[str, PartnerFacts]:
    parts: dict[str, dict[str, list[object]]] = defaultdict(lambda: defaultdict(list))
    for r in tables[FactKind.CERTIFICATIONS].to_pylist():
        parts[r["partner_id"]]["certifications"].append(Certification(**r))
    for r in tables[FactKind.CUSTOMERS].to_pylist():
        parts[r["partner_id"]]["customers"].append(CustomerAssociation(**r))
    for r in tables[FactKind.DEPLOYMENTS].to_pylist():
        parts[r["partner_id"]]["deployments"].append(Deployment(**r))
    for r in tables[FactKind.USAGE].to_pylist():
        month = Month.parse(r.pop("month"))
        parts[r["partner_id"]]["usage"].append(UsageRecord(month=month, **r))
    segments = dict(
        zip(
            tables[FactKind.PARTNERS].column("partner_id").to_pylist(),
            tables[FactKind.PARTNERS].column("customer_segment").to_pylist(),
            strict=True,
        )
    )
    return {
        partner: PartnerFacts(
            partner,
            **{name: tuple(items) for name, items in kinds.items()},  # type: ignore[arg-type]
            attributes={"customer_segment": segments.get(partner, "enterprise")},
        )
        for partner, kinds in parts.items()
    }


def test_every_kind_is_in_its_layout(tables: dict[FactKind, pa.Table]) -> None:
    layouts = {
        FactKind.PARTNERS: PARTNERS_SCHEMA,
        FactKind.CERTIFICATIONS: CERTIFICATIONS_SCHEMA,
        FactKind.CUSTOMERS: CUSTOMERS_SCHEMA,
        FactKind.DEPLOYMENTS: DEPLOYMENTS_SCHEMA,
        FactKind.USAGE: MCPP_USAGE_SCHEMA,
        FactKind.DEALS: DEALS_SCHEMA,
        FactKind.MEMBERS: MEMBERS_SCHEMA,
        FactKind.ORDERS: ORDERS_SCHEMA,
    }
    for kind, schema in layouts.items():
        assert tables[kind].schema.equals(schema), kind
        assert tables[kind].num_rows > 0, kind
    assert tables[FactKind.REVENUE].column_names[-1] == "line_id"
    kinds = set(tables[FactKind.REVENUE].column("kind").to_pylist())
    assert kinds == {"recurring", "service_access_fee", "minutes", "one_off"}  # OIP-2


def test_certifications_carry_the_catalogue_ids(tables: dict[FactKind, pa.Table]) -> None:
    known = {c.id for m in mcpp_terms().metrics.values() for c in m.certifications}
    ids = set(tables[FactKind.CERTIFICATIONS].column("certification_id").to_pylist())
    assert {"az_104", "az_305", "ai_102"} <= ids
    assert len(ids & known) >= 5


@pytest.mark.parametrize("day", [END.end + timedelta(days=1), END.end])
def test_some_partners_qualify_in_some_areas_and_others_do_not(
    tables: dict[FactKind, pa.Table], day: date
) -> None:
    # the demo login's company (the first principal with an associate), MCPP-2
    demo_partner = demo_partner_id(
        generate(DemoSpec(partners=40, seed=7, end_month=END)).organizations
    )
    terms = mcpp_terms()
    scores = {p: area_scores(terms, f, day) for p, f in partner_facts(tables).items()}
    mine = scores[demo_partner]
    assert mine["data_ai"].qualifies and mine["data_ai"].total == Decimal(100)
    assert mine["security"].qualifies and mine["security"].total >= 70
    assert not mine["modern_work"].qualifies and 45 <= mine["modern_work"].total < 70
    outcomes = [s for areas in scores.values() for s in areas.values() if s.total > 0]
    qualified = [s for s in outcomes if s.qualifies]
    assert len(qualified) >= 5
    assert len(outcomes) - len(qualified) >= 5
    assert any(50 <= s.total < 70 for s in outcomes)  # near misses, not only zeroes
