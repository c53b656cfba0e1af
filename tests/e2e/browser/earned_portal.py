"""The portal world with earned tiers (issues 5 and 6): the demo's tier facts stored (as
``alliance demo`` does, :mod:`alliance.demo.tier_facts`) and MCPP and OIP evaluated on
the clock's day through the evaluation use case — the portal world loads no tier facts.

The people: the administrator of the demo's own partner (``demo_partner_id``, which
qualifies in Data & AI and Security, not in Modern Work; enrolled in PEX Resell and Sell
With) and of an OIP member (a company
from the end of the list, OIP-1). And a designated partner: the next company with a
qualified area enrols (MCPP-8) and MCPP is evaluated again, so that it holds designations
the public directory shows (MCPP-6). Added once per portal world.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pyarrow.compute as pc
from journey_people import SYSTEM, Login, register
from portal_world import PortalWorld

from alliance.demo.dataset import DemoSpec, generate
from alliance.demo.partner import demo_partner_id
from alliance.demo.tier_facts import OIP_MEMBERS, load_tier_facts
from alliance.domain.people import PartnerRole
from alliance.services.dashboard import partner_standing
from alliance.services.evaluation.enrolment import enrol_designations
from alliance.services.evaluation.runs import EvaluationSummary, evaluate
from alliance.services.modular_tier_terms import modular_tier_program
from alliance.services.modular_tiers.enrolment import enrol


@dataclass(frozen=True)
class EarnedPeople:
    as_of: date
    scored: Login  # the demo partner's administrator: MCPP areas
    member: Login  # an OIP ambassador's administrator
    designated: str  # the id of a partner enrolled in its qualified areas (MCPP-8)
    designated_areas: frozenset[str]
    runs: dict[str, EvaluationSummary]


_CACHE: dict[int, EarnedPeople] = {}
ADMIN = frozenset({PartnerRole.PARTNER_ADMINISTRATOR})


def earned_people(world: PortalWorld) -> EarnedPeople:
    cached = _CACHE.get(id(world))
    if cached is not None:
        return cached
    application = world.application
    dataset = generate(DemoSpec(partners=60, seed=7))
    load_tier_facts(application, dataset)
    orgs = dataset.organizations
    companies = pc.and_(
        pc.equal(orgs.column("kind"), "partner"), pc.is_null(orgs.column("parent_id"))
    )
    partner_ids: list[str] = orgs.filter(companies).column("id").to_pylist()
    scored = demo_partner_id(orgs)  # the profile that qualifies in two areas
    today = application.clock.today()
    runs = {
        code: evaluate(application.uow_factory(), SYSTEM, application.programs, code, today)
        for code in ("mcpp", "oip")
    }
    enrol(  # PEX-1, PEX-2: its tier is computed from the deals' points (no PEX run)
        application.uow_factory(),
        SYSTEM,
        scored,
        "solution_provider",
        ["resell", "sell_with"],
        on=today,
        program=modular_tier_program(application.programs),
        clock=application.clock,
    )
    designated, areas = _enrol_one(world, [p for p in partner_ids if p != scored], today)
    runs["mcpp"] = evaluate(application.uow_factory(), SYSTEM, application.programs, "mcpp", today)
    ambassador = list(reversed(partner_ids))[: len(OIP_MEMBERS)][3]  # 4,200 EUR a month
    people = EarnedPeople(
        as_of=today,
        scored=register(world, "sol@scored.example", scored, partner=ADMIN),
        member=register(world, "amy@ambassador.example", ambassador, partner=ADMIN),
        designated=designated,
        designated_areas=areas,
        runs=runs,
    )
    _CACHE[id(world)] = people
    return people


def _enrol_one(world: PortalWorld, candidates: list[str], day: date) -> tuple[str, frozenset[str]]:
    """The first candidate with a qualified area, enrolled in those areas (MCPP-8)."""
    application = world.application
    for partner in candidates:
        standing = partner_standing(
            application.uow_factory(), SYSTEM, application.programs, partner, day
        )
        mcpp = standing.program("mcpp")
        if mcpp is None or not any(s.result == "qualified" for s in mcpp.subjects):
            continue
        enrolled = enrol_designations(
            application.uow_factory(), SYSTEM, application.programs, "mcpp", partner, day
        )
        return partner, frozenset(enrolled.enrolment.areas)
    raise AssertionError("no demo partner qualified in an area")
