"""The partner dashboard's contents, gathered from the use cases (issue 6).

Each part is read through the same use case as the API; a part the viewer may not see
(CRD-5's statement, CCE-1's engagements tool) is left out with the reason, rather than
failing the whole page. Tenancy (X-6) is checked first, by loading the organisation.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from alliance.bootstrap import Application
from alliance.domain.access import Actor
from alliance.domain.engagements import Status
from alliance.domain.errors import AllianceError
from alliance.domain.ids import OrganizationId
from alliance.domain.organizations import Organization
from alliance.services.credits.statements import CreditStatementResult, credit_statement
from alliance.services.engagements.queries import list_engagements
from alliance.services.membership_terms import MembershipProgram, membership_program
from alliance.services.memberships.views import MembershipView, list_memberships
from alliance.services.organizations import get_organization
from alliance.web.charts import ExpiryMonth, expiry_timeline

PIPELINE = (
    Status.SUBMITTED,
    Status.ACKNOWLEDGED,
    Status.ACCOUNT_PLANNING,
    Status.IN_REVIEW,
    Status.ACCEPTED,
    Status.ELIGIBLE,
    Status.INCENTIVE_RELEASED,
    Status.NOT_ELIGIBLE,
    Status.INELIGIBLE,
)
ENGAGEMENTS_READ = 500


class EngagementToolNotIncluded(Exception):
    """CCE-1: this membership's level does not include the engagements tool."""


@dataclass(frozen=True)
class Dashboard:
    organization: Organization
    membership: MembershipView | None
    level_name: str | None
    credits: CreditStatementResult | None
    credits_refused: str | None
    expiring: list[ExpiryMonth]
    pipeline: list[tuple[Status, int]] | None
    pipeline_refused: str | None
    engagement_total: int = 0
    engagement_tool: bool = True  # CCE-1: the level gives the engagements tool
    tool_from: str = ""  # the lowest level that gives it
    notes: list[str] = field(default_factory=list)


def _level_name(program: MembershipProgram, level: str) -> str:
    return next((lv.name for lv in program.terms.levels if lv.id == level), level)


def _first_level_with_engagements(program: MembershipProgram) -> str:
    terms = program.terms
    return next((lv.name for lv in terms.levels if lv.rank >= terms.engagements_min_rank), "")


def partner_dashboard(
    application: Application, actor: Actor, organization_id: OrganizationId
) -> Dashboard:
    uow_factory, clock = application.uow_factory, application.clock
    organization = get_organization(uow_factory(), actor, organization_id)  # X-6 first
    program = membership_program(application.programs)
    views = list_memberships(uow_factory(), actor, program, clock, limit=200)
    membership = next((v for v in views if v.membership.organization_id == organization.id), None)

    credits: CreditStatementResult | None = None
    credits_refused = None
    try:
        credits = credit_statement(uow_factory(), actor, organization.id, clock=clock)
    except AllianceError as refusal:
        credits_refused = refusal.message
    expiring = (
        expiry_timeline(credits.statement.lots, clock.today())
        if credits is not None and credits.statement is not None
        else []
    )

    pipeline: list[tuple[Status, int]] | None = None
    pipeline_refused = None
    total = 0
    tool = membership is None or membership.standing.engagements  # CCE-1
    try:
        if not tool:
            raise EngagementToolNotIncluded
        found = list_engagements(
            uow_factory(), actor, partner_id=organization.id, limit=ENGAGEMENTS_READ
        )
        counts = Counter(record.engagement.status for record in found)
        pipeline = [(status, counts.get(status, 0)) for status in PIPELINE]
        total = len(found)
    except EngagementToolNotIncluded:
        pass
    except AllianceError as refusal:
        pipeline_refused = refusal.message
    return Dashboard(
        organization=organization,
        membership=membership,
        level_name=_level_name(program, membership.membership.level) if membership else None,
        credits=credits,
        credits_refused=credits_refused,
        expiring=expiring,
        pipeline=pipeline,
        pipeline_refused=pipeline_refused,
        engagement_total=total,
        engagement_tool=tool,
        tool_from=next(
            (
                lv.name
                for lv in program.terms.levels
                if lv.rank >= program.terms.engagements_min_rank
            ),
            "",
        ),
    )
