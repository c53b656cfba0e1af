"""Ambassador commissions (OIP-1, OIP-8) and the Premium operators' semiannual
back-margin (OIP-6, OIP-7), as statements over the stored revenue facts.

* :func:`commission_statement` — an Ambassador's commission for a month: the program's
  rate on every service billed to its customers in the month, exact, rounded half-up
  once (X-1).
* :func:`back_margin_statement` — a Premium operator's back-margin on its VoIP revenue of
  a calendar semester, once the semester has ended, if it held Premium on the
  semester's first day (the status assigned on 1 January / 1 July, OIP-3).

Each payout carries its idempotency key (``payout:{partner}:{period}``) for the day it is
paid (X-5). A member's people read their own statements only (X-6).
"""

from __future__ import annotations

from datetime import date

from alliance.domain.access import Actor
from alliance.domain.calendar import Month, Period
from alliance.domain.errors import BusinessRuleViolation
from alliance.domain.statuses import Payout, ambassador_commission, assign_status, back_margin
from alliance.services.partner_scope import require_partner
from alliance.services.ports import UnitOfWork
from alliance.services.status_incentives.facts import member, revenue_lines
from alliance.services.status_terms import StatusProgram


def commission_statement(
    uow: UnitOfWork, actor: Actor, partner_id: str, month: Month, *, program: StatusProgram
) -> Payout:
    """``partner_id``'s Ambassador commission for ``month`` (OIP-1)."""
    require_partner(actor, partner_id)
    terms = program.statuses
    with uow:
        found = member(uow.tier_facts, partner_id, terms.program)
        lines = revenue_lines(uow.tier_facts, partner_id)
    rate = terms.commission
    if rate is not None and rate.member_types and found.member_type not in rate.member_types:
        raise BusinessRuleViolation(
            f"commissions are for {', '.join(rate.member_types)}s; {partner_id} is an "
            f"{found.member_type}",
            field="partner_id",
            rule="OIP-1",
        )
    return ambassador_commission(partner_id, month, lines, terms)


def back_margin_statement(
    uow: UnitOfWork,
    actor: Actor,
    partner_id: str,
    semester: Period,
    *,
    on: date,
    program: StatusProgram,
) -> Payout:
    """``partner_id``'s back-margin on the VoIP revenue of ``semester`` (OIP-7)."""
    require_partner(actor, partner_id)
    terms = program.statuses
    with uow:
        found = member(uow.tier_facts, partner_id, terms.program)
        lines = revenue_lines(uow.tier_facts, partner_id)
    held = assign_status(
        partner_id, found.member_type, lines, semester.start, terms, found.member_since
    )
    return back_margin(partner_id, semester, held.status.id, lines, terms, on, found.member_type)
