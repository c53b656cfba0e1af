"""The five built-in programs load and carry the numbers of SPEC.md (and the seeds)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from alliance.programs.registry import ProgramRegistry
from alliance.programs.schema import ProgramDefinition
from alliance.programs.schema.incentives import (
    AccrualIncentive,
    EngagementIncentive,
    PointsIncentive,
    RateIncentive,
    TrancheIncentive,
)
from alliance.programs.schema.scorecards import Area, ScoreRule, TrackMode


@pytest.fixture(scope="module")
def registry() -> ProgramRegistry:
    return ProgramRegistry.load()


@pytest.fixture(scope="module")
def opn(registry: ProgramRegistry) -> ProgramDefinition:
    return registry.get("opn")


@pytest.fixture(scope="module")
def pex(registry: ProgramRegistry) -> ProgramDefinition:
    return registry.get("pex")


@pytest.fixture(scope="module")
def mcpp(registry: ProgramRegistry) -> ProgramDefinition:
    return registry.get("mcpp")


@pytest.fixture(scope="module")
def oip(registry: ProgramRegistry) -> ProgramDefinition:
    return registry.get("oip")


@pytest.fixture(scope="module")
def osr(registry: ProgramRegistry) -> ProgramDefinition:
    return registry.get("osr")


def test_the_five_builtin_programs_load_with_a_version_and_a_hash(
    registry: ProgramRegistry,
) -> None:
    assert registry.codes() == ["mcpp", "oip", "opn", "osr", "pex"]
    for entry in registry.list():
        assert entry.origin == "builtin"
        assert entry.content_hash.startswith("sha256:")
        assert entry.source.endswith(f"{entry.code}.yaml")
        assert entry.definition.version == "2026.1"
        assert entry.definition.effective_date == date(2026, 1, 1)
        assert entry.definition.source.startswith("seed 00")


# -- OPN ------------------------------------------------------------------------------------


def test_opn_level_fees_are_500_5000_100000_500000_usd(opn: ProgramDefinition) -> None:
    """OPN-4."""
    assert opn.membership is not None
    fees = {lv.id: lv.fee.to_money() for lv in opn.membership.levels if lv.fee}
    assert {k: (m.amount, m.currency) for k, m in fees.items()} == {
        "l0": (Decimal(500), "USD"),
        "l1": (Decimal(5000), "USD"),
        "l2": (Decimal(100000), "USD"),
        "l3": (Decimal(500000), "USD"),
    }


def test_opn_payment_plans_and_methods_per_level(opn: ProgramDefinition) -> None:
    """OPN-5: the default country set; OPN-6: four quarterly instalments from activation."""
    assert opn.membership is not None
    table = {
        level.id: {p.plan.value: set(p.methods) for p in level.payment.default}
        for level in opn.membership.levels
        if level.payment
    }
    assert table == {
        "l0": {"annual": {"card", "wire"}},
        "l1": {"annual": {"card", "wire", "purchase_order"}},
        "l2": {
            "annual": {"wire", "purchase_order"},
            "quarterly": {"card", "wire", "purchase_order"},
        },
        "l3": {"annual": {"wire", "purchase_order"}, "quarterly": {"wire", "purchase_order"}},
    }
    for level_id in ("l2", "l3"):
        plans = {p.plan.value: p for p in opn.membership.level(level_id).payment.default}  # type: ignore[union-attr]
        assert plans["quarterly"].instalments == 4
        assert plans["quarterly"].timing == "from_activation"
        assert plans["annual"].timing == "before_activation"
    assert opn.is_configurable("membership.levels[2].payment.by_country")


def test_opn_invoice_renewal_and_tracks(opn: ProgramDefinition) -> None:
    """OPN-7, OPN-12, OPN-14, OPN-15."""
    m = opn.membership
    assert m is not None and m.invoice is not None and m.renewal is not None
    assert (m.invoice.issued_within.min, m.invoice.issued_within.max) == (3, 5)
    assert m.invoice.issued_within.business_days
    assert m.invoice.recipient_role == "accounts_payable"
    assert m.renewal.term.years == 1 and m.renewal.window_days == 90
    assert m.renewal.late_renewal_within is not None and m.renewal.late_renewal_within.years == 1
    assert m.renewal.after_late_period == "re_enrol" and m.renewal.declined_renewal == "re_enrol"
    assert [(t.name, t.min_level, t.fee) for t in m.tracks] == [
        ("Healthcare", "l1", None),
        ("License & Hardware", "l1", None),
    ]
    assert opn.is_configurable("membership.tracks")


def test_opn_associates_follow_their_principal(opn: ProgramDefinition) -> None:
    """OPN-2, OPN-8, OPN-13."""
    assert opn.membership is not None
    associate = opn.membership.member_types[1]
    assert associate.parent is not None
    assert associate.parent.member_type == "principal"
    assert associate.parent.approval_by_parent and associate.parent.parent_must_be_active
    assert associate.parent.inherits_level and associate.parent.inherits_end_date
    assert associate.parent.inherits_tracks and not associate.parent.may_join_tracks


def test_opn_expertise_needs_level_1_so_level_0_never_resells(opn: ProgramDefinition) -> None:
    """OPN-17."""
    assert opn.membership is not None
    rights = {e.id: e for e in opn.membership.entitlements}
    assert rights["publish_expertise"].min_level == "l1"
    assert rights["resell_or_distribute"].requires == ("publish_expertise",)


def test_opn_roles(opn: ProgramDefinition) -> None:
    """OPN-18: eleven partner roles; two key executives; the credit manager may order."""
    assert opn.membership is not None
    roles = {r.id: r for r in opn.membership.roles}
    assert len(roles) == 11
    assert (roles["key_executive"].min_holders, roles["key_executive"].max_holders) == (2, 2)
    assert "order_with_credits" in roles["partner_credit_manager"].permissions
    assert "approve_associates" in roles["partner_administrator"].permissions
    assert roles["engagement_user"].validated_by == "partner_administrator"


def test_opn_engagements(opn: ProgramDefinition) -> None:
    """CCE-1 (10 users, levels 1–3), CCE-3 (fields), CCE-5 (edits), CCE-6 (lifecycles)."""
    cce = opn.engagements
    assert cce is not None
    assert cce.min_level == "l1" and cce.max_active_users == 10
    assert cce.requirement("products", "opportunity") == "required"
    assert cce.requirement("products", "account_planning") == "absent"
    assert cce.requirement("pillars", "account_planning") == "optional"
    assert cce.requirement("engagement_id", "opportunity") == "generated"
    assert cce.requirement("estimated_close_date", "opportunity") == "required"
    assert cce.never_editable == ("customer", "customer_address")
    assert cce.always_appendable == ("notes", "attachments")
    opportunity = opn.workflow("cce_opportunity")
    assert opportunity.allows("in_review", "accepted")
    assert opportunity.allows("accepted", "ineligible")
    assert opportunity.allows("eligible", "incentive_released")
    assert not opportunity.allows("submitted", "accepted")
    acknowledge = opportunity.transitions[0]
    assert acknowledge.notify == ("partner",)


def test_opn_rewards_and_public_sector_pool(opn: ProgramDefinition) -> None:
    """RWD-1…RWD-5: money or credits; public-sector deals pay credits only (OCI, SaaS)."""
    rewards = opn.incentive("cloud_rewards")
    assert isinstance(rewards, EngagementIncentive)
    assert rewards.payout is not None
    assert set(rewards.payout.methods) == {"money", "partner_credits"}
    assert set(rewards.payout.money_requires) == {"invoice_attachment", "supplier_account"}
    pool = rewards.pools[0]
    assert pool.payout_methods == ("partner_credits",)
    families = next(c for c in pool.criteria if c.attribute == "product_family")
    assert families.values == ("oci", "saas")
    assert opn.is_configurable("incentives[0].pools[0].criteria[3].values")
    assert opn.is_configurable("incentives[0].rates")


def test_opn_credits_wallet(opn: ProgramDefinition) -> None:
    """CRD-1 (per-level allocation), CRD-2 (associate policies), CRD-6 (public-sector tag)."""
    wallet = opn.wallet("partner_credits")
    assert wallet.owner == "principal"
    assert [a.level for a in wallet.allocations] == ["l0", "l1", "l2", "l3"]
    assert opn.is_configurable("wallets[0].allocations")
    assert len(wallet.redemption.associate_policies) == 5
    assert wallet.redemption.holds
    assert "public_sector" in [t.id for t in wallet.provenance_tags]


# -- PEX ------------------------------------------------------------------------------------


def test_pex_tiers_and_modules(pex: ProgramDefinition) -> None:
    """PEX-1, PEX-2: Sell With may be held with Resell, no other pair."""
    m = pex.membership
    assert m is not None
    assert [lv.name for lv in m.levels] == ["Ready", "Advanced", "Premier"]
    assert [mod.name for mod in m.modules] == ["Distribution", "Resell", "Sell With"]
    assert m.may_hold_modules({"resell", "sell_with"})
    assert not m.may_hold_modules({"distribution", "resell"})


def test_pex_tranche_of_25000_usd_with_configurable_rates(pex: ProgramDefinition) -> None:
    """PEX-5."""
    margin = pex.incentive("resell_tranche_margin")
    assert isinstance(margin, TrancheIncentive)
    assert margin.tranche_size.to_money().amount == Decimal(25000)
    assert margin.tranche_size.currency == "USD"
    assert pex.is_configurable("incentives[0].tranches")


def test_pex_points_and_availability(pex: ProgramDefinition) -> None:
    """PEX-4, PEX-6 (certification points), PEX-7 (cloud service providers not admitted)."""
    certification = pex.incentive("certification_points")
    assert isinstance(certification, PointsIncentive)
    assert certification.awards[0].metric == "pex_certifications"
    assert pex.wallet("pex_points").unit == "points"
    assert pex.wallet("pex_points").redemption.uses == ("poc_budget",)
    assert pex.membership is not None
    csp = pex.membership.member_types[2]
    assert (csp.id, csp.admitted, csp.available_from) == ("cloud_service_provider", False, None)
    assert pex.is_configurable("membership.member_types[2].available_from")


# -- MCPP -----------------------------------------------------------------------------------

# MCPP-10, Enterprise (SMB): metric → (points, per, max)
MCPP_10: dict[str, dict[str, dict[str, tuple[int | str, int, int]]]] = {
    "data_ai": {
        "enterprise": {
            "net_customer_adds": (10, 1, 30),
            "intermediate_certs": (4, 1, 40),
            "usage_growth": (1, 1, 20),
            "deployments": (2, 1, 10),
        }
    },
    "infrastructure": {
        "enterprise": {
            "net_customer_adds": (10, 1, 30),
            "intermediate_certs": (4, 1, 20),
            "advanced_certs": (4, 1, 20),
            "usage_growth": (1, 1, 20),
            "deployments": (2, 1, 10),
        }
    },
    "digital_app_innovation": {
        "enterprise": {
            "net_customer_adds": (10, 1, 30),
            "intermediate_certs": (4, 1, 20),
            "advanced_certs": (4, 1, 20),
            "usage_growth": (1, 1, 20),
            "deployments": (2, 1, 10),
        }
    },
    "business_applications": {
        "enterprise": {
            "net_customer_adds": (3, 1, 15),
            "intermediate_certs": (1, 1, 20),
            "advanced_certs": ("2.14", 1, 15),
            "usage_growth": (1, 1, 30),
            "deployments": (4, 1, 20),
        },
        "smb": {
            "net_customer_adds": (3, 1, 15),
            "intermediate_certs": (4, 1, 20),
            "advanced_certs": ("7.5", 1, 15),
            "usage_growth": (1, 1, 30),
            "deployments": (4, 1, 20),
        },
    },
    "modern_work": {
        "enterprise": {
            "net_customer_adds": (4, 1, 20),
            "intermediate_certs": ("2.5", 1, 10),
            "advanced_certs": ("7.5", 1, 15),
            "usage_growth": (30, 1000, 30),
            "deployments": (5, 1, 25),
        },
        "smb": {
            "net_customer_adds": (2, 1, 20),
            "intermediate_certs": (5, 1, 10),
            "advanced_certs": (15, 1, 15),
            "usage_growth": (30, 500, 30),
            "deployments": (5, 1, 25),
        },
    },
    "security": {
        "enterprise": {
            "net_customer_adds": (2, 1, 20),
            "intermediate_certs": ("6.67", 1, 40),
            "usage_growth": (1, 1250, 20),
            "deployments": ("3.3", 1, 20),
        },
        "smb": {
            "net_customer_adds": (4, 1, 20),
            "intermediate_certs": (8, 1, 40),
            "usage_growth": (1, 750, 20),
            "deployments": ("3.3", 1, 20),
        },
    },
}


def _cells(area: Area) -> dict[str, dict[str, tuple[Decimal, Decimal, Decimal]]]:
    def suffix(rule: ScoreRule) -> str:
        for name in ("net_customer_adds", "intermediate_certs", "advanced_certs"):
            if rule.metric.endswith(name):
                return name
        return "usage_growth" if rule.metric.endswith("usage_growth") else "deployments"

    return {
        track.id: {suffix(r): (r.points, r.per, r.max_points) for r in track.rules}
        for track in area.tracks
    }


@pytest.mark.parametrize("area_id", list(MCPP_10))
def test_mcpp_metric_table_matches_mcpp_10(mcpp: ProgramDefinition, area_id: str) -> None:
    """MCPP-10: every cell of the default metric table, Enterprise and SMB."""
    assert mcpp.scorecards is not None
    expected = {
        track: {m: tuple(Decimal(str(v)) for v in cell) for m, cell in metrics.items()}
        for track, metrics in MCPP_10[area_id].items()
    }
    assert _cells(mcpp.scorecards.area(area_id)) == expected


def test_mcpp_every_area_totals_100(mcpp: ProgramDefinition) -> None:
    """MCPP-9: the maxima of every track of every area add up to 100."""
    assert mcpp.scorecards is not None
    assert len(mcpp.scorecards.areas) == 6
    for area in mcpp.scorecards.areas:
        for track in area.tracks:
            assert track.max_total == Decimal(100), (area.id, track.id)


def test_mcpp_spot_checks(mcpp: ProgramDefinition) -> None:
    """MCPP-10: Modern Work SMB certs 5/person; Security growth 1 per 750 USD SMB; no advanced
    certifications in Data & AI nor Security."""
    assert mcpp.scorecards is not None
    modern_smb = mcpp.scorecards.area("modern_work").tracks[1]
    certs = next(r for r in modern_smb.rules if r.metric == "modern_work_intermediate_certs")
    assert (certs.points, certs.per) == (Decimal(5), Decimal(1))
    security_smb = mcpp.scorecards.area("security").tracks[1]
    growth = next(r for r in security_smb.rules if r.metric == "security_usage_growth")
    assert (growth.points, growth.per, growth.max_points) == (Decimal(1), Decimal(750), Decimal(20))
    assert mcpp.metric("security_usage_growth").unit == "USD"
    for area_id in ("data_ai", "security"):
        assert not any("advanced" in m for m in mcpp.scorecards.area(area_id).metric_ids())


def test_mcpp_qualification_designation_and_track_modes(mcpp: ProgramDefinition) -> None:
    """MCPP-2, MCPP-8 (70, every metric > 0, window, 30 days, 4,730 USD, statuses), MCPP-9."""
    s = mcpp.scorecards
    assert s is not None
    assert (s.total, s.threshold, s.every_metric_positive) == (Decimal(100), Decimal(70), True)
    assert s.qualification.previous_full_months == 5
    assert s.designation.enrol_within_days == 30
    assert s.designation.fee is not None and str(s.designation.fee) == "4,730 USD"
    assert mcpp.is_configurable("scorecards.designation.fee")
    assert [st.value for st in s.designation.statuses] == [
        "in_progress",
        "qualified",
        "enrolled",
        "enrolled_renewal_due",
    ]
    modes = {a.id: a.track_mode for a in s.areas}
    assert modes["data_ai"] == TrackMode.SINGLE
    assert modes["business_applications"] == TrackMode.BEST_OF
    assert modes["security"] == TrackMode.CLASSIFICATION
    assert not s.designation.scores_public  # MCPP-6


def test_mcpp_labels_and_legacy_badges(mcpp: ProgramDefinition) -> None:
    """MCPP-3 (specializations, expert programs), MCPP-4 (Silver/Gold cut-off, one year)."""
    kinds = {label.kind.value for label in mcpp.labels}
    assert kinds == {"specialization", "expert_program", "legacy_badge"}
    gold = next(label for label in mcpp.labels if label.id == "legacy_gold")
    assert gold.renewable_until == date(2022, 9, 30)
    assert gold.display_for is not None and gold.display_for.years == 1


# -- OIP ------------------------------------------------------------------------------------


def test_oip_statuses_in_order_with_configurable_thresholds(oip: ProgramDefinition) -> None:
    """OIP-2, OIP-3, OIP-4."""
    s = oip.statuses
    assert s is not None
    assert [st.name for st in s.statuses] == ["Starter", "Access", "Business", "Premium"]
    assert s.reevaluation.every.months == 6
    assert {(m.member_type, m.metric) for m in s.measures} == {
        ("ambassador", "ambassador_recurring_revenue"),
        ("operator", "operator_revenue"),
    }
    excluded = oip.metric("ambassador_recurring_revenue").where[1].values
    assert set(excluded) == {"service_access_fee", "usage_minutes"}
    assert all(oip.is_configurable(f"statuses.statuses[{i}].thresholds") for i in range(4))


def test_oip_duties_and_benefits(oip: ProgramDefinition) -> None:
    """OIP-5, OIP-6."""
    assert oip.statuses is not None
    starter = oip.statuses.status("starter")
    webinars = next(d for d in starter.duties if d.id == "operator_webinars")
    assert (webinars.count, webinars.member_types) == (3, ("operator",))
    per_line = next(d for d in starter.duties if d.id == "product_line_webinar")
    assert per_line.product_lines == ("sip_trunk", "metacentrex", "data")
    premium = oip.statuses.status("premium")
    assert {d.kind.value for d in premium.duties} == {"sales"}
    marketing = next(b for b in premium.benefits if b.id == "marketing_offer")
    assert marketing.value is not None and str(marketing.value) == "500 EUR"
    back_margin = next(b for b in premium.benefits if b.id == "back_margin_program")
    assert back_margin.incentive == "voip_back_margin"


def test_oip_porting_prices(oip: ProgramDefinition) -> None:
    """OIP-7: porting 7/5 instead of 9 EUR (Business Ambassador), 4/3 instead of 5 (Business
    Operator), 5 instead of 9 (Premium Ambassador), 3 instead of 5 (Premium Operator)."""
    assert oip.promotions is not None
    promos = {p.id: p for p in oip.promotions.promotions}

    def tiers(promo_id: str) -> list[tuple[int, int]]:
        benefit = promos[promo_id].benefits[0]
        return [(t.above_quantity, int(t.unit_price.amount)) for t in benefit.tiers]

    assert tiers("business_ambassador_porting") == [(10, 7), (30, 5)]
    assert promos["business_ambassador_porting"].benefits[0].list_price.amount == 9  # type: ignore[union-attr]
    assert tiers("business_operator_porting") == [(10, 4), (30, 3)]
    assert promos["business_operator_porting"].benefits[0].list_price.amount == 5  # type: ignore[union-attr]
    premium_amb = promos["premium_ambassador_porting"].benefits[0]
    premium_op = promos["premium_operator_porting"].benefits[0]
    assert (premium_amb.unit_price.amount, premium_amb.list_price.amount) == (5, 9)  # type: ignore[union-attr]
    assert (premium_op.unit_price.amount, premium_op.list_price.amount) == (3, 5)  # type: ignore[union-attr]


def test_oip_starter_access_promotions_are_cumulative(oip: ProgramDefinition) -> None:
    """OIP-7: SIP trunk 19.99 instead of 27 EUR; the 3 (and 2) offers are cumulative."""
    assert oip.promotions is not None
    promos = {p.id: p for p in oip.promotions.promotions}
    sip = promos["sa_ambassador_sip_trunk"]
    assert sip.benefits[0].unit_price is not None
    assert sip.benefits[0].unit_price.amount == Decimal("19.99")
    assert sip.condition.kind == "any_of"
    starter_access = [p for p in promos.values() if p.statuses == ("starter", "access")]
    assert len(starter_access) == 5
    assert all(p.cumulative for p in starter_access)
    assert promos["sa_operator_vm"].benefits[0].percent == Decimal("0.30")


def test_oip_quarterly_minimums_and_rates(oip: ProgramDefinition) -> None:
    """OIP-8: 600/1,500 EUR (Business), 800/2,000 EUR (Premium); rates configurable."""
    assert oip.promotions is not None
    minimums = {(m.status, m.member_type): str(m.at_least) for m in oip.promotions.minimums}
    assert minimums == {
        ("business", "ambassador"): "600 EUR",
        ("business", "operator"): "1,500 EUR",
        ("premium", "ambassador"): "800 EUR",
        ("premium", "operator"): "2,000 EUR",
    }
    back_margin = oip.incentive("voip_back_margin")
    assert isinstance(back_margin, RateIncentive) and back_margin.period == "semester"
    assert oip.is_configurable("incentives[0].rates")
    assert oip.is_configurable("incentives[1].rates")


# -- OSR ------------------------------------------------------------------------------------


def test_osr_rates_eligibility_and_accrual(osr: ProgramDefinition) -> None:
    """OSR-2, OSR-3, OSR-11 (33 % ULA, 25 % otherwise), OSR-12, OSR-15, OSR-16."""
    rewards = osr.incentive("support_rewards")
    assert isinstance(rewards, AccrualIncentive)
    assert [r.rate for r in rewards.rates] == [Decimal("0.33"), Decimal("0.25")]
    assert rewards.rates[0].when[0].attribute == "has_ula"
    assert rewards.rate_across_hierarchy
    assert rewards.period == "month" and rewards.computed_at_period_end
    assert rewards.cap is None
    assert rewards.overage == "same_rate_on_overage_price"
    assert osr.is_configurable("incentives[0].overage")
    regions = next(c for c in rewards.eligibility.exclude if c.attribute == "region")
    assert set(regions.values) == {"CN", "CO", "MX", "TW"}
    sectors = next(c for c in rewards.eligibility.exclude if c.attribute == "sector")
    assert sectors.values == ("us_federal_public_sector",)
    order_kinds = rewards.eligibility.exclude[0].values
    assert set(order_kinds) == {"pay_as_you_go", "trial", "free_tier", "promotion"}


def test_osr_wallet(osr: ProgramDefinition) -> None:
    """OSR-14 (12 months, end of month), OSR-19, OSR-20, OSR-21, OSR-23."""
    wallet = osr.wallet("support_rewards")
    assert (wallet.expiry.kind, wallet.expiry.months) == ("end_of_month_after", 12)
    assert not wallet.expiry.extendable and not wallet.expiry.reactivatable
    assert wallet.redemption.order == "earliest_expiry_first"
    assert wallet.redemption.pre_tax_only and not wallet.redemption.cash_out
    assert set(wallet.redemption.excluded) == {
        "java_support",
        "mysql_support_some_offers",
        "linux_support",
    }
    assert osr.is_configurable("wallets[0].redemption.excluded")
    assert not wallet.redemption.accruals_after_due_date_usable
    byol = osr.metric("eligible_consumption").where[2]
    assert "byol" in byol.values  # OSR-5
