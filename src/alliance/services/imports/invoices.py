"""Importing support invoices from CSV (OSR-19, OSR-20): all or nothing; invoices never change.

Columns (one row per invoice line; the lines of an invoice share its id):

===================  ========  ================================================
``invoice_id``       required  the invoice's id
``customer_id``      required  the customer organisation invoiced
``issued_on``        required  YYYY-MM-DD
``due_on``           required  YYYY-MM-DD; rewards accrued after it cannot pay it
                               (OSR-23)
``currency``         required  ISO 4217, e.g. USD
``product``          required  the product supported
``support_program``  required  e.g. database_support, java_support (OSR-20)
``pre_tax_amount``   required  the line's amount before tax, e.g. 1000.00
``tax``              required  the line's tax (rewards never pay it, OSR-19)
===================  ========  ================================================

The rows of one invoice must agree on its customer, dates and currency. An invoice
already stored with the same content is unchanged; with other content it is refused:
an issued invoice is never rewritten (X-4).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from alliance.domain import audit
from alliance.domain.access import Actor
from alliance.domain.clock import Clock
from alliance.domain.errors import AllianceError
from alliance.domain.ids import OrganizationId
from alliance.domain.money import minor_unit
from alliance.domain.organizations import OrganizationKind
from alliance.domain.rewards import InvoiceLine, SupportInvoice
from alliance.services.imports.csv_rows import CsvFile, Row
from alliance.services.imports.summary import ImportSummary
from alliance.services.ports import UnitOfWork
from alliance.services.rewards.access import require_operator

HEADER_FIELDS = ("customer_id", "issued_on", "due_on", "currency")
LINE_FIELDS = ("product", "support_program", "pre_tax_amount", "tax")
REQUIRED = ("invoice_id", *HEADER_FIELDS, *LINE_FIELDS)


@dataclass
class _Draft:
    first: Row
    header: dict[str, str]
    lines: list[InvoiceLine] = field(default_factory=list)
    tax: Decimal = Decimal(0)
    complete: bool = True


def invoice_record(invoice: SupportInvoice) -> dict[str, object]:
    return {
        "customer_id": invoice.customer_id,
        "issued_on": invoice.issued_on.isoformat(),
        "due_on": invoice.due_on.isoformat(),
        "currency": invoice.currency,
        "lines": [
            {
                "product": x.product,
                "support_program": x.support_program,
                "pre_tax": str(x.pre_tax_amount),
            }
            for x in invoice.lines
        ],
        "tax": str(invoice.tax),
    }


def import_invoices(
    uow: UnitOfWork, actor: Actor, path: Path, *, clock: Clock, file_name: str | None = None
) -> ImportSummary:
    """Import the support invoices of ``path`` (see the module doc)."""
    require_operator(actor)
    file = CsvFile(path, file_name or path.name, REQUIRED)
    drafts = _drafts(list(file.rows()))
    with uow:
        invoices = _invoices(uow, drafts)
        stored = uow.rewards.invoices.get_many([i.id for i, _ in invoices])
        for invoice, row in invoices:
            if invoice.id in stored and stored[invoice.id] != invoice:
                row.problem(
                    "invoice_id",
                    f"invoice {invoice.id} was imported before with other content; "
                    "an issued invoice never changes",
                    "X-4",
                )
        file.raise_if_any("invoices")
        added = [i for i, _ in invoices if i.id not in stored]
        uow.rewards.invoices.add_many(added)
        now = clock.now()
        for invoice in added:
            uow.audit.append(
                audit.created(
                    actor,
                    "support_invoice",
                    invoice.id,
                    invoice_record(invoice),
                    now,
                    organization_id=invoice.customer_id,
                )
            )
        uow.commit()
    return ImportSummary(file.file_name, "invoices", len(added), 0, len(invoices) - len(added))


def _drafts(rows: list[Row]) -> dict[str, _Draft]:
    drafts: dict[str, _Draft] = {}
    for row in rows:
        invoice_id = row.text("invoice_id")
        header = {name: row.text(name) for name in HEADER_FIELDS}
        if invoice_id is None:
            continue
        draft = drafts.get(invoice_id)
        if draft is None:
            given = {k: v for k, v in header.items() if v is not None}
            draft = drafts[invoice_id] = _Draft(row, given, complete=len(given) == len(header))
        else:
            for name, value in header.items():
                if value is not None and draft.header.get(name, value) != value:
                    row.problem(
                        name,
                        f"differs from line {draft.first.line} of invoice {invoice_id} "
                        f"({draft.header[name]!r})",
                    )
        places = _places(draft.header.get("currency"))
        product, program = row.text("product"), row.text("support_program")
        pre_tax, tax = row.amount("pre_tax_amount", places), row.amount("tax", places)
        if product is None or program is None or pre_tax is None or tax is None:
            draft.complete = False
            continue
        draft.lines.append(InvoiceLine(product, program, pre_tax))
        draft.tax += tax
    return drafts


def _places(currency: str | None) -> int:
    try:
        return minor_unit(currency) if currency else 2
    except AllianceError:
        return 2  # the currency's own problem is reported when the invoice is built


def _invoices(uow: UnitOfWork, drafts: dict[str, _Draft]) -> list[tuple[SupportInvoice, Row]]:
    invoices: list[tuple[SupportInvoice, Row]] = []
    kinds: dict[str, OrganizationKind | None] = {}
    for invoice_id, draft in drafts.items():
        if not draft.complete:
            continue
        row, header = draft.first, draft.header
        customer = header["customer_id"]
        if customer not in kinds:
            found = uow.organizations.get(OrganizationId(customer))
            kinds[customer] = found.kind if found is not None else None
        if kinds[customer] is not OrganizationKind.CUSTOMER:
            row.problem("customer_id", f"{customer} is not a known customer", "OSR-1")
            continue
        issued, due = row.day("issued_on"), row.day("due_on")
        if issued is None or due is None:
            continue
        try:
            invoice = SupportInvoice(
                id=invoice_id,
                customer_id=OrganizationId(customer),
                issued_on=issued,
                due_on=due,
                lines=tuple(draft.lines),
                tax=draft.tax,
                currency=header["currency"],
            )
        except AllianceError as error:
            row.problem(error.field or "invoice_id", error.message, error.rule or "X-7")
            continue
        invoices.append((invoice, row))
    return invoices
