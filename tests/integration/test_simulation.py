"""What-if: a changed definition evaluated against the stored facts moves named partners,
prices the incentives before and after, and leaves the live outcomes untouched (issue 5,
MCPP-8, OIP-4, OIP-7, X-3)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from importlib import resources
from pathlib import Path

import pytest
from evaluation_facts import (
    SYSTEM,
    UowFactory,
    data_ai_at_85_without_deployments,
    infrastructure_at_68,
    infrastructure_at_70,
    infrastructure_from_2026,
    mcpp_tables,
    monthly,
    named,
    oip_tables,
    stage,
)

from alliance.domain.calendar import Month
from alliance.domain.errors import InvalidInput
from alliance.domain.facts import RevenueKind
from alliance.domain.money import Money
from alliance.domain.outcomes import RunKey
from alliance.programs.loader import LoadedProgram, read_program
from alliance.programs.registry import ProgramRegistry
from alliance.services.evaluation.runs import evaluate, simulate

PROGRAMS = ProgramRegistry.load(None)
DAY = date(2026, 6, 17)


def changed(tmp_path: Path, code: str, old: str, new: str) -> LoadedProgram:
    """The built-in ``code`` with ``old`` replaced by ``new``, as version 2026.2."""
    text = resources.files("alliance.programs").joinpath(f"builtin/{code}.yaml").read_text()
    assert old in text
    text = text.replace(old, new, 1).replace('version: "2026.1"', 'version: "2026.2"', 1)
    path = tmp_path / f"{code}-changed.yaml"
    path.write_text(text)
    return read_program(path)


def stage_mcpp(uow_factory: UowFactory) -> None:
    stage(
        uow_factory,
        mcpp_tables(
            [
                named("org_seventy", infrastructure_at_70()),
                named("org_eightyfive", data_ai_at_85_without_deployments()),
                named("org_lapse", infrastructure_from_2026(az_104_retired_on=date(2026, 3, 1))),
                named("org_sixtyeight", infrastructure_at_68()),
            ]
        ),
    )


def test_a_lower_threshold_qualifies_a_named_partner_and_leaves_live_outcomes(
    uow_factory: UowFactory, tmp_path: Path
) -> None:
    """MCPP-2, MCPP-8: at 65 instead of 70, org_sixtyeight qualifies; org_lapse (58 with a
    retired certification: a zero metric) and org_eightyfive (no deployment) still do
    not; nothing of the live run changes."""
    stage_mcpp(uow_factory)
    live = evaluate(uow_factory(), SYSTEM, PROGRAMS, "mcpp", DAY)
    what_if = simulate(
        uow_factory(),
        SYSTEM,
        PROGRAMS,
        "mcpp",
        changed(tmp_path, "mcpp", "threshold: 70", "threshold: 65"),
        DAY,
    )
    assert (what_if.live_version, what_if.changed_version) == ("2026.1", "2026.2")
    assert what_if.baseline.startswith("the stored run mcpp 2026.1 on 2026-06-17")
    assert [(m.partner_id, m.subject_id, m.before, m.after) for m in what_if.gains] == [
        ("org_sixtyeight", "infrastructure", "in_progress", "qualified")
    ]
    assert what_if.losses == ()
    assert what_if.before["qualified"] == 1 and what_if.after["qualified"] == 2
    assert what_if.costs == () and "not costed" in what_if.not_costed

    with uow_factory() as uow:
        runs = uow.tier_outcomes.runs("mcpp")
        stored = uow.tier_outcomes.outcomes(
            RunKey("mcpp", "2026.1", DAY), partner_ids=["org_sixtyeight"]
        )
    assert [r.key for r in runs] == [RunKey("mcpp", "2026.1", DAY)]  # no 2026.2 run saved
    assert runs[0].fingerprint == live.run.fingerprint
    assert {o.subject_id: o.result for o in stored}["infrastructure"] == "in_progress"


def test_a_higher_threshold_loses_a_partner_without_a_stored_run(
    uow_factory: UowFactory, tmp_path: Path
) -> None:
    """Without a stored run the live definition is evaluated for the comparison: at 75,
    org_seventy (exactly 70) no longer qualifies."""
    stage_mcpp(uow_factory)
    what_if = simulate(
        uow_factory(),
        SYSTEM,
        PROGRAMS,
        "mcpp",
        changed(tmp_path, "mcpp", "threshold: 70", "threshold: 75"),
        DAY,
    )
    assert what_if.baseline == "the live definition 2026.1 evaluated on 2026-06-17"
    assert [(m.partner_id, m.subject_id, m.before, m.after) for m in what_if.losses] == [
        ("org_seventy", "infrastructure", "qualified", "in_progress")
    ]
    assert what_if.gains == ()
    with uow_factory() as uow:
        assert uow.tier_outcomes.runs("mcpp") == []


def test_a_lower_premium_threshold_moves_an_operator_and_costs_its_back_margin(
    uow_factory: UowFactory, tmp_path: Path
) -> None:
    """OIP-4, OIP-7: Premium at 5,000 a month instead of 6,000 makes op_fees Premium from
    1 July 2026; its back-margin of 2026-S2 (5 % of 39,000 of VoIP revenue) is the cost
    change; the ambassador's commission (10 % of 300 a month) does not change."""
    year = [Month(2026, m) for m in range(1, 13)]
    second = year[6:]
    lines = [
        *monthly("op_premium", year, 6000),
        *monthly("op_fees", year, 5000),
        *monthly("op_fees", year, 1000, RevenueKind.SERVICE_ACCESS_FEE),
        *monthly("op_fees", year, 500, RevenueKind.MINUTES),
        *monthly("amb", second, 300),
    ]
    members = [
        ("op_premium", "operator", None),
        ("op_fees", "operator", None),
        ("amb", "ambassador", None),
    ]
    stage(uow_factory, oip_tables(members, lines))
    what_if = simulate(
        uow_factory(),
        SYSTEM,
        PROGRAMS,
        "oip",
        changed(
            tmp_path,
            "oip",
            "{member_type: operator, at_least: 6000 EUR}",
            "{member_type: operator, at_least: 5000 EUR}",
        ),
        date(2027, 1, 15),
    )
    assert [(m.partner_id, m.before, m.after, m.gains) for m in what_if.movements] == [
        ("op_fees", "business", "premium", True)
    ]
    costs = {c.incentive: c for c in what_if.costs}
    back_margin = costs["back_margin"]
    assert back_margin.period == "2026-S2"
    assert back_margin.before == Money.of("1800.00", "EUR")  # 5 % of 36,000
    assert back_margin.after == Money.of("3750.00", "EUR")  # + 5 % of 39,000
    assert back_margin.change == Money.of("1950.00", "EUR")
    commission = costs["commission"]
    assert commission.before == commission.after == Money.of("180.00", "EUR")
    assert commission.change.amount == Decimal(0)


def test_a_definition_of_another_program_is_refused(
    uow_factory: UowFactory, tmp_path: Path
) -> None:
    stage_mcpp(uow_factory)
    with pytest.raises(InvalidInput, match="the definition is of program 'oip', not 'mcpp'"):
        simulate(
            uow_factory(),
            SYSTEM,
            PROGRAMS,
            "mcpp",
            changed(tmp_path, "oip", "at_least: 6000 EUR", "at_least: 5000 EUR"),
            DAY,
        )
