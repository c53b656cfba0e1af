"""Paying a support invoice with rewards (OSR-10, OSR-14, OSR-18…OSR-23), and reading one.

``redeem_invoice`` runs in one unit of work — lock, check, then post (STYLE 4): it locks
the invoice, decides who pays (:func:`~alliance.services.rewards.access.payer_for`),
plans the payment with the domain's :func:`plan_invoice_payment` over the open lots of
every entity of the invoiced customer's hierarchy, posts one ledger ``Redeem`` per owner,
records the redemption and its audit record, and commits. A partial payment is allowed;
``amount=None`` pays all the rules and the usable lots allow. Refusals name their rule:
OSR-10 (an unauthorised partner), OSR-18 (outside the hierarchy), OSR-19 (more than the
pre-tax amount), OSR-20 (an excluded support program), OSR-21/OSR-23 (not enough usable
rewards, saying which lots were left out and why).

**Exactly once (X-5).** The request's idempotency key is unique per invoice: the same key
with the same request returns the first redemption and posts nothing; with another
request it is refused. The ledger keys (``osr:redemption:{invoice}:{key}:{owner}``) back it.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from decimal import Decimal

from alliance.domain import audit
from alliance.domain.access import Actor
from alliance.domain.clock import Clock
from alliance.domain.errors import Conflict, InvalidInput
from alliance.domain.ids import new_id
from alliance.domain.ledger import Book, LotRemaining
from alliance.domain.money import minor_unit
from alliance.domain.organizations import Hierarchy
from alliance.domain.rewards import (
    InvoiceLine,
    LotPayment,
    Payer,
    SupportInvoice,
    is_redeemable,
    plan_invoice_payment,
    redeemable_amount,
)
from alliance.services.ports import UnitOfWork
from alliance.services.reward_terms import RewardProgram
from alliance.services.rewards.access import load_invoice, paying_for, require_invoice_viewer
from alliance.services.rewards.ports import InvoiceRedemption

KEY_PATTERN = re.compile(r"[A-Za-z0-9._:-]{1,100}")


@dataclass(frozen=True)
class RedeemInvoice:
    """Pay ``amount`` (or all that can be, when None) of ``invoice_id`` with rewards."""

    invoice_id: str
    amount: Decimal | None
    idempotency_key: str


@dataclass(frozen=True)
class InvoiceStatus:
    """An invoice and what rewards may still pay of it (OSR-19, OSR-20)."""

    invoice: SupportInvoice
    redeemable: Decimal
    redeemed: Decimal
    redemptions: tuple[InvoiceRedemption, ...]
    eligible_lines: tuple[bool, ...]

    @property
    def still_redeemable(self) -> Decimal:
        return self.redeemable - self.redeemed

    def lines(self) -> tuple[tuple[InvoiceLine, bool], ...]:
        return tuple(zip(self.invoice.lines, self.eligible_lines, strict=True))


@dataclass(frozen=True)
class RedemptionResult:
    """The redemption made (or found, ``replayed``), the lots it took, the invoice after."""

    redemption: InvoiceRedemption
    replayed: bool
    payments: tuple[LotPayment, ...]
    invoice: InvoiceStatus

    @property
    def summary(self) -> str:
        r, inv = self.redemption, self.invoice
        head = "already paid by this request: " if self.replayed else ""
        return (
            f"{head}{r.amount:,} {r.currency} of invoice {r.invoice_id} paid with rewards; "
            f"{inv.still_redeemable:,} {r.currency} still payable with rewards"
        )


def invoice_status(
    uow: UnitOfWork, actor: Actor, invoice_id: str, *, program: RewardProgram
) -> InvoiceStatus:
    """One invoice, for the hierarchy's people, an authorised partner's, or staff (X-6)."""
    with uow:
        invoice, company = load_invoice(uow, actor, invoice_id)
        require_invoice_viewer(uow, actor, invoice, company)
        return _status(uow, invoice, program)


def redeem_invoice(
    uow: UnitOfWork,
    actor: Actor,
    command: RedeemInvoice,
    *,
    program: RewardProgram,
    clock: Clock,
) -> RedemptionResult:
    """Pay an invoice with rewards (see the module doc)."""
    key = command.idempotency_key
    if not KEY_PATTERN.fullmatch(key):
        raise InvalidInput(
            "an idempotency key is 1 to 100 letters, digits or . _ : -",
            field="idempotency_key",
            rule="X-5",
        )
    terms = program.terms
    with uow:
        invoice, company, payer = paying_for(uow, actor, command.invoice_id)
        request = _fingerprint(command, payer)
        previous = uow.rewards.invoices.redemption(invoice.id, key)
        if previous is not None:
            if previous.request != request:
                raise Conflict(
                    f"idempotency key {key} was used for another request on invoice {invoice.id}",
                    field="idempotency_key",
                    rule="X-5",
                )
            return RedemptionResult(previous, True, (), _status(uow, invoice, program))
        today = clock.today()
        already = sum((r.amount for r in uow.rewards.invoices.redemptions(invoice.id)), Decimal(0))
        plan = plan_invoice_payment(
            invoice,
            command.amount,
            _candidate_lots(uow, company, invoice, terms.wallet),
            payer,
            company,
            terms,
            today,
            already_redeemed=already,
        )
        for redeem in plan.redeem_commands(key, terms):
            uow.ledger.execute(redeem)
        redemption = InvoiceRedemption(
            id=new_id("red"),
            invoice_id=invoice.id,
            idempotency_key=key,
            request=request,
            amount=plan.amount,
            currency=invoice.currency,
            redeemed_on=today,
            payer_kind=payer.kind.value,
            payer_id=payer.organization_id,
            actor=actor.name,
            recorded_at=clock.now(),
        )
        uow.rewards.invoices.add_redemption(redemption)
        uow.audit.append(
            audit.created(
                actor,
                "invoice_redemption",
                redemption.id,
                _audited(redemption, plan.payments),
                clock.now(),
                organization_id=invoice.customer_id,
            )
        )
        status = _status(uow, invoice, program)
        uow.commit()
    return RedemptionResult(redemption, False, plan.payments, status)


def _candidate_lots(
    uow: UnitOfWork, company: Hierarchy, invoice: SupportInvoice, wallet: str
) -> list[LotRemaining]:
    """OSR-18, OSR-22: the open lots of every entity of the invoiced customer's hierarchy."""
    return [
        lot
        for owner in company.company_of(invoice.customer_id)
        for lot in uow.ledger.open_lots(Book(owner, wallet, invoice.currency))
    ]


def _status(uow: UnitOfWork, invoice: SupportInvoice, program: RewardProgram) -> InvoiceStatus:
    redemptions = tuple(uow.rewards.invoices.redemptions(invoice.id))
    return InvoiceStatus(
        invoice=invoice,
        redeemable=redeemable_amount(invoice, program.terms),
        redeemed=sum((r.amount for r in redemptions), Decimal(0)).quantize(
            Decimal(1).scaleb(-minor_unit(invoice.currency))
        ),
        redemptions=redemptions,
        eligible_lines=tuple(is_redeemable(line, program.terms) for line in invoice.lines),
    )


def _fingerprint(command: RedeemInvoice, payer: Payer) -> str:
    amount = "all" if command.amount is None else format(command.amount.normalize(), "f")
    text = f"{command.invoice_id}|{amount}|{payer.kind.value}|{payer.organization_id}"
    return hashlib.sha256(text.encode()).hexdigest()


def _audited(redemption: InvoiceRedemption, payments: tuple[LotPayment, ...]) -> dict[str, object]:
    return {
        "invoice_id": redemption.invoice_id,
        "amount": str(redemption.amount),
        "currency": redemption.currency,
        "payer": {"kind": redemption.payer_kind, "organization_id": redemption.payer_id},
        "idempotency_key": redemption.idempotency_key,
        "lots": [{"lot_id": p.lot_id, "owner": p.owner, "amount": str(p.amount)} for p in payments],
    }
