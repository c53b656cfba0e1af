"""A partner's standing in the earned-tier programs: the dashboard (MCPP-5, X-3, X-6).

:func:`partner_standing` gives, for every program with earned tiers, the partner's
latest outcome per subject — MCPP: each solution area's designation status and score;
OIP: the earned status and the monthly average of counted revenue; PEX: the tier and
the points of the trailing 12 months — each with its explanation: the facts that
counted and the caps that applied (reasons, with rule ids), the gap to the next
threshold and the cheapest steps to close it (X-3).

Outcomes are read from the outcome store (``uow.tier_outcomes``), as the last
evaluation run on or before ``on`` saved them. For a partner enrolled in PEX
(``uow.pex``) and without a stored PEX outcome (PEX not evaluated yet), the tier is
computed from the facts on the day (``source == "computed"``), as the PEX evaluator
would (:mod:`alliance.services.evaluation.pex`).

**Who sees it (X-6).** Scores are the partner's business: the public never sees them
(MCPP-6; see :mod:`alliance.services.directory`). A standing is shown to

* vendor staff who see every organisation, and the system;
* the people of the organisation itself;
* the **partner administrators of an organisation above it** in its hierarchy — a
  principal's administrator approves and manages its associates (OPN-2, OPN-18), and
  "the company" follows the hierarchy (OPN-3).

An associate's people do not see their principal's scores, nor a sibling associate's:
earned tiers are each legal entity's own (as quotes and points are:
:mod:`alliance.services.partner_scope`). Anyone else is told there is no such partner —
the same answer as for an id that does not exist, so nothing reveals that it does.
Partner ids are those of the facts: vendor staff may also read the standing of a partner
known only by its facts (no organisation), named by its id.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from types import MappingProxyType

from alliance.domain.access import Actor, ActorKind, require_authenticated, sees_everything
from alliance.domain.clock import Clock, SystemClock
from alliance.domain.errors import NotFound
from alliance.domain.explanations import Explanation, plain
from alliance.domain.ids import OrganizationId
from alliance.domain.organizations import Hierarchy
from alliance.domain.outcomes import Outcome, Subject
from alliance.domain.people import PartnerRole
from alliance.programs.registry import ProgramRegistry
from alliance.programs.schema import ProgramDefinition
from alliance.services.evaluation.evaluators import tier_kind
from alliance.services.evaluation.pex import NO_TIER
from alliance.services.modular_tier_terms import terms_from_program as modular_terms
from alliance.services.modular_tiers.progress import tier_on
from alliance.services.ports import UnitOfWork

#: What a result is called, for the results that are not named in the definition.
RESULT_NAMES = MappingProxyType(
    {
        "in_progress": "In progress",
        "qualified": "Qualified",
        "enrolled": "Designated",
        "enrolled_renewal_due": "Designated, renewal due",
        NO_TIER: "No tier",
    }
)


@dataclass(frozen=True)
class SubjectStanding:
    """Where the partner stands on one subject of one program, and why (X-3)."""

    subject: Subject
    subject_id: str
    subject_name: str
    result: str
    result_name: str
    held: bool
    score: Decimal | None
    until: date | None
    as_of: date
    definition_version: str
    explanation: Explanation
    details: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))
    source: str = "run"  # "run": a stored evaluation run; "computed": from the facts

    @property
    def gap_message(self) -> str | None:
        """The gap to the next threshold in words: "needs 5 more to reach 70 points"."""
        return gap_message(self.explanation)


@dataclass(frozen=True)
class ProgramStanding:
    """The partner's standing in one program: its subjects, as of the run they come from."""

    code: str
    name: str
    kind: str  # scorecard | statuses | modular_tiers
    subjects: tuple[SubjectStanding, ...]

    @property
    def as_of(self) -> date | None:
        return max((s.as_of for s in self.subjects), default=None)


@dataclass(frozen=True)
class PartnerStanding:
    organization_id: OrganizationId
    name: str
    on: date | None
    programs: tuple[ProgramStanding, ...]

    def program(self, code: str) -> ProgramStanding | None:
        return next((p for p in self.programs if p.code == code), None)


def gap_message(explanation: Explanation) -> str | None:
    """``"needs 5 more to reach 70 points"``; None when there is no next threshold."""
    if explanation.gap is None or not explanation.next_threshold:
        return None
    return f"needs {plain(explanation.gap)} more to reach {explanation.next_threshold}"


# -- who may see it -------------------------------------------------------------------------


def _administers_above(actor: Actor, org: OrganizationId, hierarchy: Hierarchy) -> bool:
    own = actor.organization_id
    if own is None or PartnerRole.PARTNER_ADMINISTRATOR not in actor.partner_roles:
        return False
    if own not in hierarchy.parents or org not in hierarchy.parents:
        return False
    return org in hierarchy.descendants(own)


def may_see_standing(actor: Actor, org: OrganizationId, hierarchy: Hierarchy | None) -> bool:
    """X-6, OPN-2, OPN-3, OPN-18: see the module doc."""
    if sees_everything(actor):
        return True
    if actor.kind is not ActorKind.MEMBER or actor.organization_id is None:
        return False
    if actor.organization_id == org:
        return True
    return hierarchy is not None and _administers_above(actor, org, hierarchy)


def _no_partner(partner_id: str) -> NotFound:
    return NotFound(f"no partner {partner_id}", field="organization_id", rule="X-6")


# -- names ------------------------------------------------------------------------------------


def _subject_name(definition: ProgramDefinition, outcome: Outcome) -> str:
    if definition.scorecards is not None and outcome.subject is Subject.AREA:
        for area in definition.scorecards.areas:
            if area.id == outcome.subject_id:
                return str(area.name)
    return outcome.subject_id.replace("_", " ").capitalize()


def _order(definition: ProgramDefinition) -> dict[str, int]:
    """MCPP-1: areas in the definition's order."""
    if definition.scorecards is None:
        return {}
    return {area.id: i for i, area in enumerate(definition.scorecards.areas)}


def _result_name(definition: ProgramDefinition, outcome: Outcome) -> str:
    if definition.statuses is not None:
        for status in definition.statuses.statuses:
            if status.id == outcome.result:
                return str(status.name)
    membership = definition.membership
    if membership is not None and outcome.subject is Subject.TIER:
        for level in membership.levels:
            if level.id == outcome.result:
                return str(level.name)
    return RESULT_NAMES.get(outcome.result, outcome.result.replace("_", " ").capitalize())


def _standing(definition: ProgramDefinition, outcome: Outcome, source: str) -> SubjectStanding:
    return SubjectStanding(
        subject=outcome.subject,
        subject_id=outcome.subject_id,
        subject_name=_subject_name(definition, outcome),
        result=outcome.result,
        result_name=_result_name(definition, outcome),
        held=outcome.held,
        score=outcome.score,
        until=outcome.until,
        as_of=outcome.as_of,
        definition_version=outcome.definition_version,
        explanation=outcome.explanation,
        details=outcome.details,
        source=source,
    )


# -- PEX without a stored run -----------------------------------------------------------------


def _computed_tier(
    uow: UnitOfWork, definition: ProgramDefinition, partner_id: str, day: date
) -> Outcome | None:
    """PEX-1, PEX-6: the tier of an enrolled partner from the points of the window."""
    if uow.pex.enrolment(partner_id) is None:
        return None
    terms = modular_terms(definition)
    tier = tier_on(uow, partner_id, day, terms)
    explanation = tier.explanation
    return Outcome(
        definition.code,
        definition.version,
        day,
        partner_id,
        Subject.TIER,
        "tier",
        tier.tier.id if tier.tier is not None else NO_TIER,
        tier.points,
        explanation,
        held=tier.tier is not None,
    )


# -- the use case -----------------------------------------------------------------------------


def partner_standing(
    uow: UnitOfWork,
    actor: Actor,
    programs: ProgramRegistry,
    partner_id: str,
    on: date | None = None,
    *,
    clock: Clock | None = None,
) -> PartnerStanding:
    """``partner_id``'s latest outcome per program and subject (not after ``on``), with
    its score and explanation (MCPP-5, X-3); only for those the module doc names (X-6)."""
    require_authenticated(actor)
    org_id = OrganizationId(partner_id)
    day = on if on is not None else (clock if clock is not None else SystemClock()).today()
    with uow:
        organization = uow.organizations.get(org_id)
        hierarchy = uow.organizations.company_hierarchy(org_id) if organization else None
        staff = sees_everything(actor)  # may read a partner known only by its facts
        if (organization is None and not staff) or not may_see_standing(actor, org_id, hierarchy):
            raise _no_partner(partner_id)
        standings = []
        for loaded in programs.list():
            definition = loaded.definition
            kind = tier_kind(definition)
            if not kind:
                continue
            outcomes = uow.tier_outcomes.latest(definition.code, [partner_id], on_or_before=on)
            source = "run"
            if not outcomes and kind == "modular_tiers":
                computed = _computed_tier(uow, definition, partner_id, day)
                outcomes, source = ([computed] if computed else []), "computed"
            if not outcomes:
                continue
            order = _order(definition)
            outcomes = sorted(
                outcomes,
                key=lambda o: (o.subject, order.get(o.subject_id, len(order)), o.subject_id),
            )
            standings.append(
                ProgramStanding(
                    definition.code,
                    definition.name,
                    kind,
                    tuple(_standing(definition, o, source) for o in outcomes),
                )
            )
    if organization is None and not standings:
        raise _no_partner(partner_id)
    name = organization.name if organization is not None else partner_id
    return PartnerStanding(org_id, name, on, tuple(standings))
