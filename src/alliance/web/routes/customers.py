"""A customer's pages (OSR, issue 6): its rewards — accrued, available, expiring soon,
used, month by month (OSR-17) — and its support invoices with what paid them (OSR-18).

The numbers are the use cases' own (:func:`reward_statement`, :func:`invoice_status`),
exactly what ``/api/v1/customers/{id}/rewards/statement`` answers. Tenancy (X-6) is
theirs too: another customer's page answers 403 whatever the URL typed.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Annotated

from fastapi import APIRouter, Query
from starlette.responses import Response

from alliance.domain.calendar import Month
from alliance.domain.ids import OrganizationId
from alliance.domain.money import Money
from alliance.services.reward_terms import reward_program
from alliance.services.rewards.customer_invoices import customer_invoices
from alliance.services.rewards.redemptions import invoice_status
from alliance.services.rewards.statements import CurrencyStatement, reward_statement
from alliance.web import formatting
from alliance.web.pages import Page, PageDep, PageRoute

router = APIRouter(route_class=PageRoute)


@dataclass(frozen=True)
class MonthRow:
    """The lots earned for one month, summed (OSR-17: rewards by month)."""

    month: Month
    accrued: Decimal
    available: Decimal
    used: Decimal
    expired: Decimal
    expires_on: date | None


def by_month(section: CurrencyStatement) -> list[MonthRow]:
    rows: dict[Month, MonthRow] = {}
    for lot in section.lots:
        row = rows.get(lot.month)
        if row is None:
            rows[lot.month] = MonthRow(
                lot.month, lot.accrued, lot.available, lot.used, lot.expired, lot.expires_on
            )
            continue
        expiry = min((d for d in (row.expires_on, lot.expires_on) if d), default=None)
        rows[lot.month] = MonthRow(
            lot.month,
            row.accrued + lot.accrued,
            row.available + lot.available,
            row.used + lot.used,
            row.expired + lot.expired,
            expiry,
        )
    return [rows[month] for month in sorted(rows, reverse=True)]


def cash(page: Page) -> dict[str, object]:
    """``cash(amount, currency)`` and ``month(m)`` for the templates, in the reader's locale."""
    locale = page.locale
    return {
        "cash": lambda amount, currency: formatting.money(Money(amount, currency), locale),
        "month_name": lambda month: formatting.month(month.start, locale),
    }


@router.get("/customers/{customer_id}/rewards", name="customer_rewards")
def rewards(
    page: PageDep,
    customer_id: str,
    as_of: Annotated[date | None, Query()] = None,
) -> Response:
    actor = page.require_login()
    application = page.application
    program = reward_program(application.programs)
    statement = reward_statement(
        application.uow_factory(),
        actor,
        OrganizationId(customer_id),
        program=program,
        clock=application.clock,
        as_of=as_of,
    )
    invoices = customer_invoices(
        application.uow_factory, actor, OrganizationId(customer_id), program=program
    )
    with application.uow_factory() as uow:
        organization = uow.organizations.get(OrganizationId(customer_id))
    return page.render(
        "customer_rewards.html",
        {
            "customer_id": customer_id,
            "customer_name": organization.name if organization else customer_id,
            "statement": statement,
            "months": {s.currency: by_month(s) for s in statement.currencies},
            "invoices": invoices,
            **cash(page),
        },
    )


@router.get("/customers/{customer_id}/invoices/{invoice_id}", name="customer_invoice")
def invoice(page: PageDep, customer_id: str, invoice_id: str) -> Response:
    actor = page.require_login()
    application = page.application
    found = invoice_status(
        application.uow_factory(),
        actor,
        invoice_id,
        program=reward_program(application.programs),
    )
    return page.render(
        "customer_invoice.html", {"customer_id": customer_id, "status": found, **cash(page)}
    )
