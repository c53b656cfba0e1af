"""A customer's pages (OSR, issue 6): its rewards — accrued, available, expiring soon,
used, month by month (OSR-17) — and its support invoices with what paid them (OSR-18).

The numbers are the use cases' own (:func:`reward_statement`, :func:`invoice_status`),
exactly what ``/api/v1/customers/{id}/rewards/statement`` answers. An invoice may be paid
with rewards (:func:`redeem_invoice`, OSR-18…OSR-23); each rendered form carries its own
idempotency key, so submitting it twice pays once (X-5). Tenancy (X-6) is the use
cases' too: another customer's page answers 403 whatever the URL typed.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Annotated

from fastapi import APIRouter, Form, Query
from starlette.responses import Response

from alliance.domain.calendar import Month
from alliance.domain.errors import AllianceError, InvalidInput
from alliance.domain.ids import OrganizationId
from alliance.domain.money import Money
from alliance.services.organizations import get_organization
from alliance.services.reward_terms import reward_program
from alliance.services.rewards.customer_invoices import customer_invoices
from alliance.services.rewards.redemptions import (
    InvoiceStatus,
    RedeemInvoice,
    RedemptionResult,
    invoice_status,
    redeem_invoice,
)
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
    organization = get_organization(application.uow_factory(), actor, OrganizationId(customer_id))
    return page.render(
        "customer_rewards.html",
        {
            "customer_id": customer_id,
            "customer_name": organization.name,
            "statement": statement,
            "months": {s.currency: by_month(s) for s in statement.currencies},
            "invoices": invoices,
            **cash(page),
        },
    )


def _invoice_page(
    page: Page,
    customer_id: str,
    found: InvoiceStatus,
    *,
    result: RedemptionResult | None = None,
    error: AllianceError | None = None,
    amount: str = "",
) -> Response:
    return page.render(
        "customer_invoice.html",
        {
            "customer_id": customer_id,
            "status": found,
            "result": result,
            "error": error,
            "amount": amount,
            # one key per rendered form; submitting it twice pays once
            "idempotency_key": f"portal-{secrets.token_hex(12)}",
            **cash(page),
        },
        status=422 if error else 200,
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
    return _invoice_page(page, customer_id, found)


@router.post("/customers/{customer_id}/invoices/{invoice_id}/redemptions", name="customer_redeem")
def redeem(
    page: PageDep,
    customer_id: str,
    invoice_id: str,
    amount: Annotated[str, Form(max_length=40)] = "",
    idempotency_key: Annotated[str, Form(max_length=100)] = "",
) -> Response:
    """OSR-18…OSR-23: pay the invoice with rewards, earliest expiry first; a refusal is
    shown next to the amount; the form's key makes a second submission pay nothing."""
    actor = page.require_login()
    application = page.application
    program = reward_program(application.programs)
    try:
        wanted = Decimal(amount.strip()) if amount.strip() else None
    except InvalidOperation:
        wanted = None
        refused: AllianceError | None = InvalidInput(
            f"an amount is a number such as 120.50, got {amount!r}", field="amount", rule="X-1"
        )
    else:
        refused = None
    result = None
    if refused is None:
        try:
            result = redeem_invoice(
                application.uow_factory(),
                actor,
                RedeemInvoice(invoice_id, wanted, idempotency_key),
                program=program,
                clock=application.clock,
            )
        except AllianceError as error:
            if error.status in (401, 403, 404):
                raise
            refused = error
    found = (
        result.invoice
        if result is not None
        else invoice_status(application.uow_factory(), actor, invoice_id, program=program)
    )
    return _invoice_page(
        page, customer_id, found, result=result, error=refused, amount=amount if refused else ""
    )
