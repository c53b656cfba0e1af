"""PEX evaluation: the tier of every enrolled partner from the points its facts earn over
12 months, saved as outcomes; a lower tier threshold simulated moves a named partner and
prices the Resell tranche margins (PEX-1, PEX-5, PEX-6, X-3)."""

from __future__ import annotations

import sys
from datetime import date
from decimal import Decimal
from importlib import resources
from pathlib import Path

from alliance.domain.clock import FixedClock
from alliance.domain.money import usd
from alliance.domain.outcomes import RunKey
from alliance.programs.loader import read_program
from alliance.programs.registry import ProgramRegistry
from alliance.services.evaluation.runs import evaluate, simulate
from alliance.services.modular_tier_terms import modular_tier_program
from alliance.services.modular_tiers.enrolment import enrol

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from earned_world import SYSTEM, Factory, certs, deal, load

PROGRAMS = ProgramRegistry.load(None)
RESELLER, INFLUENCER = "org_reseller", "org_influencer"
DAY = date(2025, 3, 14)


def world(uow_factory: Factory, clock: FixedClock) -> None:
    """The reseller's people earn 3 certifications (150 points, PEX-6); the influencer
    (Sell With) earns 60 points on deal D1 of 60,000 USD (PEX-3, PEX-4)."""
    pex = modular_tier_program(PROGRAMS)
    on = date(2025, 1, 2)
    for partner, modules in ((RESELLER, ["resell"]), (INFLUENCER, ["resell", "sell_with"])):
        enrol(
            uow_factory(),
            SYSTEM,
            partner,
            "solution_provider",
            modules,
            on=on,
            program=pex,
            clock=clock,
        )
    load(
        uow_factory,
        "pex",
        deals=[
            deal("D1", RESELLER, "60000", date(2025, 1, 20), [INFLUENCER]),
            deal("D2", INFLUENCER, "12500", date(2025, 2, 3), [RESELLER]),
        ],
        certifications=certs(RESELLER, 3, date(2025, 1, 15)),
    )


def test_tiers_from_points_saved_and_simulated(
    uow_factory: Factory, clock: FixedClock, tmp_path: Path
) -> None:
    world(uow_factory, clock)
    summary = evaluate(uow_factory(), SYSTEM, PROGRAMS, "pex", DAY)
    assert summary.results == {"ready": 2}
    with uow_factory() as uow:
        got = {o.partner_id: o for o in uow.tier_outcomes.outcomes(RunKey("pex", "2026.1", DAY))}
    assert (got[RESELLER].result, got[RESELLER].score) == ("ready", Decimal(150))
    assert (got[INFLUENCER].result, got[INFLUENCER].score) == ("ready", Decimal(60))
    assert got[RESELLER].explanation.gap == Decimal(850)  # Advanced needs 1,000 points

    text = resources.files("alliance.programs").joinpath("builtin/pex.yaml").read_text()
    text = text.replace("at_least: !configurable 1000}", "at_least: !configurable 100}", 1)
    path = tmp_path / "pex.yaml"
    path.write_text(text.replace('version: "2026.1"', 'version: "2026.2"', 1))
    what_if = simulate(uow_factory(), SYSTEM, PROGRAMS, "pex", read_program(path), DAY)
    assert [(m.partner_id, m.before, m.after, m.gains) for m in what_if.movements] == [
        (RESELLER, "ready", "advanced", True)
    ]
    (margins,) = what_if.costs
    # PEX-5: D1 6,900.00 USD for the reseller, D2 1,250.00 for the influencer; unchanged
    assert margins.before == margins.after == usd("8150.00")
