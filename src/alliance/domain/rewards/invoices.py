"""Support invoices, and how much of one rewards may pay (OSR-19, OSR-20).

Rewards pay only the **pre-tax** amount (OSR-19), only of the lines of an eligible
support program (OSR-20: not Java, some MySQL offers, Linux support by default), and are
never paid out as cash: nothing here or in :mod:`.redemption` turns rewards into money.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from alliance.domain.errors import InvalidInput
from alliance.domain.ids import OrganizationId
from alliance.domain.money import minor_unit
from alliance.domain.rewards import exact
from alliance.domain.rewards.terms import RewardTerms
from alliance.domain.rewards.validation import currency_code, non_negative


@dataclass(frozen=True)
class InvoiceLine:
    """One line of a support invoice: ``product`` supported under ``support_program``
    (``"database_support"``, ``"java_support"``…), for ``pre_tax_amount``."""

    product: str
    support_program: str
    pre_tax_amount: Decimal


@dataclass(frozen=True)
class SupportInvoice:
    """A technical support invoice of ``customer_id``, the entity invoiced.

    Amounts are exact ``Decimal`` in ``currency``, with at most its minor unit of
    decimals; ``tax`` is the invoice's tax, which rewards never pay (OSR-19).
    """

    id: str
    customer_id: OrganizationId
    issued_on: date
    due_on: date
    lines: tuple[InvoiceLine, ...]
    tax: Decimal
    currency: str

    def __post_init__(self) -> None:
        object.__setattr__(self, "lines", tuple(self.lines))
        if not self.id.strip():
            raise InvalidInput("an invoice needs an id", field="id", rule="X-7")
        places = minor_unit(currency_code(self.currency))
        if not self.lines:
            raise InvalidInput(f"invoice {self.id} has no lines", field="lines", rule="X-7")
        for n, line in enumerate(self.lines, start=1):
            non_negative(line.pre_tax_amount, f"lines[{n}].pre_tax_amount", places=places)
        non_negative(self.tax, "tax", places=places)
        if self.due_on < self.issued_on:
            raise InvalidInput(
                f"invoice {self.id} is due ({self.due_on}) before it is issued ({self.issued_on})",
                field="due_on",
                rule="X-2",
            )

    @property
    def pre_tax_total(self) -> Decimal:
        return exact.total(line.pre_tax_amount for line in self.lines)

    @property
    def total(self) -> Decimal:
        return exact.total((self.pre_tax_total, self.tax))


def is_redeemable(line: InvoiceLine, terms: RewardTerms) -> bool:
    """OSR-20: the line's support program is not excluded by the terms."""
    return line.support_program not in terms.excluded_support_programs


def redeemable_amount(invoice: SupportInvoice, terms: RewardTerms) -> Decimal:
    """The most rewards can pay on ``invoice``: the pre-tax total of its eligible lines —
    never tax (OSR-19), never an excluded support program (OSR-20)."""
    return exact.total(line.pre_tax_amount for line in invoice.lines if is_redeemable(line, terms))
