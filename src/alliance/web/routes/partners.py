"""A partner's pages: the dashboard and the credit statement download (issue 6).

Tenancy (X-6) is the use cases' business: another company's dashboard answers 403,
exactly as the API does, whatever the URL typed.
"""

from __future__ import annotations

from fastapi import APIRouter
from starlette.responses import Response

from alliance.domain.errors import Forbidden
from alliance.domain.ids import OrganizationId
from alliance.domain.membership import RenewalRoute
from alliance.services.credits.statements import credit_statement, statement_csv
from alliance.web import formatting
from alliance.web.charts import HEIGHT, WIDTH, bars, months_from
from alliance.web.dashboard import partner_dashboard
from alliance.web.pages import PageDep, PageRoute

router = APIRouter(route_class=PageRoute)


@router.get("/partners/{organization_id}", name="partner_dashboard")
def dashboard(page: PageDep, organization_id: str) -> Response:
    actor = page.require_login()
    board = partner_dashboard(page.application, actor, OrganizationId(organization_id))
    locale = page.locale
    chart = bars(
        board.expiring,
        months_from(page.application.clock.today(), board.expiring),
        lambda month: formatting.month(month, locale),
        lambda amount: formatting.number(amount, locale),
    )
    return page.render(
        "dashboard.html",
        {
            "board": board,
            "chart": chart,
            "chart_width": WIDTH,
            "chart_height": HEIGHT,
            "renewal_open": board.membership is not None
            and board.membership.renewal.route in {RenewalRoute.OPEN, RenewalRoute.LATE},
        },
    )


@router.get("/partners/{organization_id}/credits/statement.csv", name="credit_statement_csv")
def credit_statement_download(page: PageDep, organization_id: str) -> Response:
    """CRD-5: the principal's lots as CSV, for those who may see the full statement."""
    actor = page.require_login()
    application = page.application
    result = credit_statement(
        application.uow_factory(), actor, OrganizationId(organization_id), clock=application.clock
    )
    if result.statement is None:
        raise Forbidden(
            "only the principal's administrators and credit managers download the statement",
            rule="CRD-5",
        )
    statement = result.statement
    name = f"credits-{statement.principal_id}-{statement.as_of.isoformat()}.csv"
    return page.finish(
        Response(
            statement_csv(statement),
            media_type="text/csv; charset=utf-8",
            headers={"Content-Disposition": f'attachment; filename="{name}"'},
        )
    )
