"""A partner's standing in the earned-tier programs (issues 5 and 6): the "Standing" page.

Everything comes from the use cases the API uses: :func:`partner_standing` for the MCPP
areas (score out of the area's total, the threshold, status, "until", the gap and the
cheapest steps to close it — MCPP-2, MCPP-5, MCPP-8, X-3), the OIP status and the PEX
tier and points; :func:`duties_report` for the OIP duties checklist and benefits
(OIP-5, OIP-6). Tenancy (X-6) is the use case's: anyone who may not see the partner is
told there is no such partner — the portal's 404 page, as for an id that does not exist.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from fastapi import APIRouter
from starlette.responses import Response

from alliance.domain.errors import AllianceError
from alliance.domain.statuses import BenefitTerms, DutyItem
from alliance.programs.registry import ProgramRegistry
from alliance.services.dashboard import PartnerStanding, ProgramStanding, partner_standing
from alliance.services.scorecard_terms import scorecard_program
from alliance.services.status_incentives.duties import duties_report
from alliance.services.status_terms import status_program
from alliance.web.pages import PageDep, PageRoute

router = APIRouter(route_class=PageRoute)

#: The score bar's drawing: a 0–100 % bar, the threshold marked across it.
BAR_WIDTH = 300
BAR_HEIGHT = 20


@dataclass(frozen=True)
class ScoreBar:
    """One MCPP area's score drawn against its total, with the threshold's mark."""

    score: Decimal
    total: Decimal
    threshold: Decimal

    @property
    def filled(self) -> int:
        """The bar's drawn width in SVG units."""
        share = min(max(self.score / self.total, Decimal(0)), Decimal(1)) if self.total else 0
        return int(share * BAR_WIDTH)

    @property
    def mark(self) -> int:
        """Where the threshold is drawn (MCPP-2)."""
        share = min(self.threshold / self.total, Decimal(1)) if self.total else Decimal(0)
        return int(share * BAR_WIDTH)

    @property
    def reached(self) -> bool:
        return self.score >= self.threshold


@dataclass(frozen=True)
class Duties:
    """The OIP duties checklist and benefits, or why they are not shown."""

    items: tuple[DutyItem, ...] = ()
    benefits: tuple[BenefitTerms, ...] = ()
    refused: str | None = None


def _bars(programs: ProgramRegistry, program: ProgramStanding) -> dict[str, ScoreBar]:
    """MCPP-2: each area's score against the area's total and threshold."""
    terms = scorecard_program(programs, program.code).terms
    thresholds = {area.id: area.threshold for area in terms.areas}
    return {
        s.subject_id: ScoreBar(s.score, terms.total, thresholds[s.subject_id])
        for s in program.subjects
        if s.score is not None and s.subject_id in thresholds
    }


@router.get("/partners/{organization_id}/standing", name="partner_standing")
def standing(page: PageDep, organization_id: str) -> Response:
    actor = page.require_login()
    application = page.application
    found: PartnerStanding = partner_standing(
        application.uow_factory(),
        actor,
        application.programs,
        organization_id,
        clock=application.clock,
    )  # NotFound (the 404 page) for anyone who may not see it
    bars: dict[tuple[str, str], ScoreBar] = {}
    duties: dict[str, Duties] = {}
    for program in found.programs:
        if program.kind == "scorecard":
            for subject_id, bar in _bars(application.programs, program).items():
                bars[(program.code, subject_id)] = bar
        elif program.kind == "statuses":
            try:
                report = duties_report(
                    application.uow_factory(),
                    actor,
                    organization_id,
                    on=application.clock.today(),
                    program=status_program(application.programs, program.code),
                )
                duties[program.code] = Duties(report.duties.items, report.benefits)
            except AllianceError as refused:  # e.g. a principal's administrator (OIP-5)
                duties[program.code] = Duties(refused=refused.message)
    return page.render(
        "standing.html",
        {
            "standing": found,
            "bars": bars,
            "duties": duties,
            "bar_width": BAR_WIDTH,
            "bar_height": BAR_HEIGHT,
        },
    )
