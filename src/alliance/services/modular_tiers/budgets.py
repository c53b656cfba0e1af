"""Proof-of-concept budgets paid with points (PEX-4), and a partner's points statement.

* :func:`request_budget` — a partner (or the vendor for it) asks for a budget worth
  ``points``: the points are **held** in the ledger at once (oldest lots first, the
  wallet's order), so they cannot be spent twice while the vendor decides. Not enough
  points is refused with the numbers ("… needs 500 points; org_x has 420 available").
  The same ``budget_ref`` asked again is the same request (X-5): the first one is
  returned and nothing more is held.
* :func:`decide_budget` — the vendor approves (the hold is **captured**: the points are
  spent on the budget) or rejects (the hold is **released**: the points return to their
  lots). Deciding twice the same way changes nothing; the other way is refused.
* :func:`points_statement` — the wallet (earned, available, held, spent, lot by lot),
  the tier the points give (PEX-6) and the budget requests.

Ledger keys: ``pex:poc:{partner}:{budget_ref}:hold|capture|release``. Every change is
audited (X-4). Tenancy (X-6): a partner's people ask for and read their own
organisation's budgets only; deciding is the vendor's.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from alliance.domain import audit
from alliance.domain.access import Actor
from alliance.domain.clock import Clock
from alliance.domain.errors import BusinessRuleViolation, Conflict, InvalidInput, NotFound
from alliance.domain.ids import new_id
from alliance.domain.ledger import (
    AccountKind,
    Book,
    Capture,
    PlaceHold,
    RedemptionOrder,
    Release,
    Statement,
)
from alliance.domain.modular_tiers import ModularTierTerms, TierOutcome
from alliance.services.modular_tier_terms import ModularTierProgram
from alliance.services.modular_tiers.ports import BudgetStatus, PocBudgetRequest
from alliance.services.modular_tiers.progress import tier_on
from alliance.services.partner_scope import require_operator, require_partner
from alliance.services.ports import UnitOfWork

REF_PATTERN = re.compile(r"[A-Za-z0-9._:-]{1,100}")


@dataclass(frozen=True)
class BudgetResult:
    request: PocBudgetRequest
    replayed: bool
    available_after: Decimal

    @property
    def summary(self) -> str:
        r = self.request
        head = "already requested: " if self.replayed else ""
        return (
            f"{head}budget {r.budget_ref} for {r.partner_id}: {r.points:,} points {r.status}; "
            f"{self.available_after:,} points available"
        )


@dataclass(frozen=True)
class PointsStatement:
    partner_id: str
    statement: Statement
    tier: TierOutcome
    requests: tuple[PocBudgetRequest, ...]


def book_of(partner_id: str, terms: ModularTierTerms) -> Book:
    return Book(partner_id, terms.points_wallet, terms.points_unit)


def _key(request: PocBudgetRequest | tuple[str, str], step: str) -> str:
    partner, ref = (
        (request.partner_id, request.budget_ref)
        if isinstance(request, PocBudgetRequest)
        else request
    )
    return f"pex:poc:{partner}:{ref}:{step}"


def request_budget(
    uow: UnitOfWork,
    actor: Actor,
    partner_id: str,
    points: Decimal,
    budget_ref: str,
    *,
    description: str = "",
    program: ModularTierProgram,
    clock: Clock,
) -> BudgetResult:
    """Hold ``points`` of ``partner_id``'s wallet for a proof-of-concept budget (PEX-4)."""
    require_partner(actor, partner_id)
    if not REF_PATTERN.fullmatch(budget_ref):
        raise InvalidInput(
            "a budget reference is 1 to 100 letters, digits or . _ : -",
            field="budget_ref",
            rule="X-5",
        )
    if points <= 0 or points != points.to_integral_value():
        raise InvalidInput(
            f"a budget is a whole, positive number of points, got {points}",
            field="points",
            rule="PEX-4",
        )
    terms = program.terms
    book = book_of(partner_id, terms)
    with uow:
        uow.pex.lock_wallet(partner_id, terms.points_wallet, terms.points_unit)
        previous = uow.pex.request_for(partner_id, budget_ref)
        if previous is not None:
            if previous.points != points:
                raise Conflict(
                    f"budget {budget_ref} of {partner_id} was requested for "
                    f"{previous.points:,} points, not {points:,}",
                    field="budget_ref",
                    rule="X-5",
                )
            return BudgetResult(previous, True, _available(uow, book))
        available = _available(uow, book)
        if available < points:
            raise BusinessRuleViolation(
                f"proof-of-concept budget {budget_ref} needs {points:,} points; {partner_id} "
                f"has {available:,} available ({points - available:,} short)",
                field="points",
                rule="PEX-4",
            )
        today = clock.today()
        posting = uow.ledger.execute(
            PlaceHold(
                _key((partner_id, budget_ref), "hold"),
                owner=partner_id,
                wallet=terms.points_wallet,
                unit=terms.points_unit,
                amount=points,
                effective_on=today,
                order=RedemptionOrder.EARLIEST_EXPIRY_FIRST,
                memo=f"proof-of-concept budget {budget_ref}",
                rule="PEX-4",
            )
        )
        if posting.hold_id is None:  # pragma: no cover - a hold posting always names it
            raise RuntimeError("the ledger returned a hold without an id")
        request = PocBudgetRequest(
            id=new_id("poc"),
            partner_id=partner_id,
            budget_ref=budget_ref,
            points=points,
            status=BudgetStatus.HELD,
            hold_id=posting.hold_id,
            requested_on=today,
            requested_by=actor.name,
            description=description,
            created_at=clock.now(),
        )
        uow.pex.add_request(request)
        uow.audit.append(
            audit.created(
                actor,
                "pex_poc_request",
                request.id,
                {
                    "partner_id": partner_id,
                    "budget_ref": budget_ref,
                    "points": str(points),
                    "hold_id": request.hold_id,
                },
                clock.now(),
            )
        )
        after = _available(uow, book)
        uow.commit()
    return BudgetResult(request, False, after)


def decide_budget(
    uow: UnitOfWork,
    actor: Actor,
    request_id: str,
    *,
    approve: bool,
    program: ModularTierProgram,
    clock: Clock,
) -> BudgetResult:
    """Approve (capture the held points) or reject (release them) a budget request."""
    require_operator(actor)
    wanted = BudgetStatus.APPROVED if approve else BudgetStatus.REJECTED
    terms = program.terms
    with uow:
        request = uow.pex.request(request_id)
        if request is None:
            raise NotFound(f"no budget request {request_id}", field="request_id")
        book = book_of(request.partner_id, terms)
        if request.status is wanted:
            return BudgetResult(request, True, _available(uow, book))
        if request.status is not BudgetStatus.HELD:
            raise Conflict(
                f"budget request {request_id} is {request.status} already",
                field="request_id",
                rule="PEX-4",
            )
        today = clock.today()
        if approve:
            uow.ledger.execute(
                Capture(
                    _key(request, "capture"),
                    hold_id=request.hold_id,
                    effective_on=today,
                    memo=f"proof-of-concept budget {request.budget_ref} approved",
                )
            )
        else:
            uow.ledger.execute(
                Release(
                    _key(request, "release"),
                    hold_id=request.hold_id,
                    effective_on=today,
                    memo=f"proof-of-concept budget {request.budget_ref} rejected",
                )
            )
        decided = uow.pex.decide(request_id, wanted, clock.now(), actor.name)
        uow.audit.append(
            audit.changed(
                actor,
                "pex_poc_request",
                request_id,
                {"status": request.status.value},
                {"status": wanted.value},
                clock.now(),
                action=f"pex_poc_request.{wanted.value}",
            )
        )
        after = _available(uow, book)
        uow.commit()
    return BudgetResult(decided, False, after)


def points_statement(
    uow: UnitOfWork,
    actor: Actor,
    partner_id: str,
    *,
    on: date,
    program: ModularTierProgram,
) -> PointsStatement:
    """``partner_id``'s points wallet, tier and budget requests on ``on``."""
    require_partner(actor, partner_id)
    terms = program.terms
    with uow:
        statement = uow.ledger.statement(partner_id, terms.points_wallet, terms.points_unit, on)
        tier = tier_on(uow, partner_id, on, terms)
        requests = tuple(uow.pex.requests(partner_id))
    return PointsStatement(partner_id, statement, tier, requests)


def _available(uow: UnitOfWork, book: Book) -> Decimal:
    return uow.ledger.balance(book.account(AccountKind.WALLET))
