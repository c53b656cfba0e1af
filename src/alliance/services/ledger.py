"""Ledger use cases: accruals, redemptions, holds, reversals, expiry, statements (issue 3).

The CLI, the API and the portal call these for OSR rewards and OPN credits alike; each
takes a ``uow_factory`` and runs ``with uow: …; uow.commit()`` around ``uow.ledger``,
whose every movement locks, checks and posts in that one transaction (X-5).

**Who may do what (X-6).** Moving value needs ``MANAGE_FINANCE`` over every
organisation: the system (batch jobs, the CLI), vendor finance staff and program
administrators. Reading a statement needs ``VIEW_ORGANIZATION`` on its owner: vendor
staff read every statement, a member reads those of its own company (OPN-3, CRD-5,
OSR-17) and is refused alike for another company's and for an unknown owner.

**Audit (X-4).** A movement made one at a time appends an audit record in the same
unit of work: the posting (kind, key, legs) and, for a capture or a release, the hold's
change of status. A replay appends nothing, as nothing moved. Bulk runs append one
record per unit of work they commit, with counts: one for a whole :func:`post_accruals`
run, one per batch of :func:`expire_all` — the postings themselves, each with its key,
memo and ``recorded_at``, are the detailed trail.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import date

from alliance.domain import audit
from alliance.domain.access import Actor, Permission, require, require_everywhere, sees_everything
from alliance.domain.audit import AuditRecord, JsonValue
from alliance.domain.clock import Clock
from alliance.domain.ids import OrganizationId, new_id
from alliance.domain.ledger import (
    Capture,
    Command,
    OpenLot,
    PlaceHold,
    Posting,
    PostingKind,
    Redeem,
    Release,
    Reverse,
    Statement,
    invariant_problems,
)
from alliance.services.ports import BulkOutcome, ExpiryCursor, UnitOfWork

UowFactory = Callable[[], UnitOfWork]
Progress = Callable[[int], None]

#: Lots an expiry batch closes in one unit of work.
EXPIRY_BATCH = 1_000
#: Accrual commands planned and inserted per statement batch.
ACCRUAL_BATCH = 5_000
#: Postings that settle a hold, whose change of status is audited too.
SETTLING = frozenset({PostingKind.CAPTURE, PostingKind.RELEASE})


def post_accruals(
    uow_factory: UowFactory,
    commands: Iterable[OpenLot],
    actor: Actor,
    *,
    clock: Clock,
    batch_size: int = ACCRUAL_BATCH,
    progress: Progress | None = None,
) -> BulkOutcome:
    """Open the lots of a run of accruals or allocations (OSR-12, CRD-1, RWD-4).

    One unit of work, so a run with a bad command posts nothing (X-7) and names every bad
    command; keys already posted are skipped (X-5), so a rerun posts only what is missing.
    One audit record for the run. On SQLite the run holds the write lock until it ends.
    """
    require_everywhere(actor, Permission.MANAGE_FINANCE)
    with uow_factory() as uow:
        outcome = uow.ledger.accrue_many(commands, batch_size=batch_size, progress=progress)
        if outcome.posted:
            uow.audit.append(
                audit.created(
                    actor,
                    "ledger_run",
                    new_id("lrun"),
                    {"kind": "accruals", "posted": outcome.posted, "replayed": outcome.replayed},
                    clock.now(),
                )
            )
        uow.commit()
    return outcome


def redeem(uow_factory: UowFactory, command: Redeem, actor: Actor) -> Posting:
    """Spend value now, earliest expiry first (OSR-20, OSR-21, PEX-4)."""
    return _move(uow_factory, command, actor)


def hold(uow_factory: UowFactory, command: PlaceHold, actor: Actor) -> Posting:
    """Reserve value while a request is processed (CRD-3); ``posting.hold_id`` names it."""
    return _move(uow_factory, command, actor)


def capture(uow_factory: UowFactory, command: Capture, actor: Actor) -> Posting:
    """Spend a pending hold once delivered, in full or in part (CRD-3)."""
    return _move(uow_factory, command, actor)


def release(uow_factory: UowFactory, command: Release, actor: Actor) -> Posting:
    """Cancel a pending hold: its value goes back to its lots (CRD-3)."""
    return _move(uow_factory, command, actor)


def reverse(uow_factory: UowFactory, command: Reverse, actor: Actor) -> Posting:
    """Correct a posting by a new one that undoes it (X-4)."""
    return _move(uow_factory, command, actor)


def expire_all(
    uow_factory: UowFactory,
    as_of: date,
    actor: Actor,
    *,
    clock: Clock,
    batch_size: int = EXPIRY_BATCH,
    progress: Progress | None = None,
) -> int:
    """Expire every lot past its expiry date on ``as_of`` (OSR-14); returns how many.

    One unit of work per batch of ``batch_size`` lots, so other writers get their turn;
    each expiry posting has the key ``expire:{lot_id}``, so a rerun for the same day, or
    a run interrupted and started again, expires nothing twice (X-5).
    """
    require_everywhere(actor, Permission.MANAGE_FINANCE)
    expired = 0
    cursor: ExpiryCursor | None = None
    while True:
        with uow_factory() as uow:
            batch = uow.ledger.expire_batch(as_of, limit=batch_size, after=cursor)
            if batch.postings:
                uow.audit.append(
                    audit.created(
                        actor,
                        "ledger_run",
                        new_id("lrun"),
                        {
                            "kind": "expiry",
                            "as_of": as_of.isoformat(),
                            "expired": len(batch.postings),
                        },
                        clock.now(),
                    )
                )
            uow.commit()
        expired += len(batch.postings)
        if progress is not None and batch.postings:
            progress(len(batch.postings))
        if batch.done:
            return expired
        cursor = batch.cursor


def statement(
    uow_factory: UowFactory,
    actor: Actor,
    owner: str,
    wallet: str,
    unit: str,
    as_of: date | None = None,
) -> Statement:
    """``owner``'s book on ``as_of`` (default: today): totals, lots, history (CRD-5)."""
    with uow_factory() as uow:
        _require_reader(uow, actor, owner)
        return uow.ledger.statement(owner, wallet, unit, as_of)


def verify(uow_factory: UowFactory, actor: Actor) -> list[str]:
    """Every invariant of the whole ledger, checked from scratch; empty when all is well."""
    require_everywhere(actor, Permission.VIEW_AUDIT)
    with uow_factory() as uow:
        ledger = uow.ledger
        return invariant_problems(ledger.postings(), ledger.lots(), ledger.holds().values())


# -- helpers ----------------------------------------------------------------------------


def _move(uow_factory: UowFactory, command: Command, actor: Actor) -> Posting:
    require_everywhere(actor, Permission.MANAGE_FINANCE)
    with uow_factory() as uow:
        applied = uow.ledger.apply(command)
        if not applied.replayed:
            for record in _audit_records(uow, actor, applied.posting):
                uow.audit.append(record)
        uow.commit()
    return applied.posting


def _audit_records(uow: UnitOfWork, actor: Actor, posting: Posting) -> list[AuditRecord]:
    owner = next((book.owner for book in sorted(posting.books())), None)
    records = [
        audit.created(
            actor,
            "ledger_posting",
            posting.id,
            posting_record(posting),
            posting.recorded_at,
            organization_id=owner,
        )
    ]
    if posting.hold_id is not None and posting.kind in SETTLING:
        settled = uow.ledger.hold(posting.hold_id)
        records.append(
            audit.changed(
                actor,
                "ledger_hold",
                settled.id,
                {"status": "pending", "settled_on": None},
                {
                    "status": settled.status.value,
                    "captured": str(settled.captured),
                    "settled_on": settled.settled_on.isoformat() if settled.settled_on else None,
                },
                posting.recorded_at,
                action=f"ledger_hold.{settled.status.value}",
                organization_id=owner,
            )
        )
    return records


def posting_record(posting: Posting) -> dict[str, JsonValue]:
    """A posting as the audit journal keeps it: plain JSON values, amounts as text."""
    return {
        "kind": posting.kind.value,
        "idempotency_key": posting.idempotency_key,
        "effective_on": posting.effective_on.isoformat(),
        "memo": posting.memo,
        "reverses": posting.reverses,
        "hold_id": posting.hold_id,
        "lot_id": posting.lot_id,
        "legs": [
            {"account": str(leg.account), "amount": str(leg.amount), "lot_id": leg.lot_id}
            for leg in posting.legs
        ],
    }


def _require_reader(uow: UnitOfWork, actor: Actor, owner: str) -> None:
    require(actor, Permission.VIEW_ORGANIZATION)
    if sees_everything(actor):
        return
    organization = OrganizationId(owner)
    company = uow.organizations.company_hierarchy(organization)
    require(actor, Permission.VIEW_ORGANIZATION, organization=organization, hierarchy=company)
