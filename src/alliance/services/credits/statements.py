"""CRD-5: what a partner sees of its credits.

* The **principal's** administrators and credit managers (and vendor staff who see every
  organisation) get the full statement at any time: available, held (reserved by
  orders in progress, CRD-3), spent and expired credits, the lots with their origin
  (allocation, reward, public-sector — CRD-6) and expiry, what each associate may use
  now under its policy (CRD-2), and the orders.
* An **associate's** administrators and credit managers see only how much of the
  principal's balance they may use now — under a pre-approved policy
  (:func:`alliance.domain.credits.usable_share`).
* Anyone else is refused, naming CRD-5; another company's people as for any other
  company's data (X-6).

The statement is computed from the ledger's postings effective by ``as_of`` (X-4), so a
past day's statement can be reconstructed; the usable shares are of the balance on
``as_of``. :func:`statement_csv` writes the lots as CSV, amounts as exact decimals.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from alliance.domain.access import Actor, sees_everything
from alliance.domain.clock import Clock
from alliance.domain.credits import (
    PUBLIC_SECTOR_TAG,
    CreditStatementNotVisible,
    CreditView,
    credit_view,
    require_statement,
    usable_share,
)
from alliance.domain.credits.balances import available_balance, earned_balance
from alliance.domain.credits.policies import associate_limit
from alliance.domain.ids import OrganizationId
from alliance.domain.ledger import Book, LotLine
from alliance.domain.organizations import Hierarchy
from alliance.services.credits.access import company_of, person_of
from alliance.services.credits.orders import WALLET
from alliance.services.credits.policies import EffectivePolicy, effective_policy
from alliance.services.credits.ports import CreditOrder
from alliance.services.ports import UnitOfWork

PLACES = Decimal("0.01")
EXPIRY_HORIZONS = (30, 60, 90)


def credits(value: Decimal) -> Decimal:
    """Credits are counted in hundredths (the ledger keeps four places)."""
    return value.quantize(PLACES)


@dataclass(frozen=True)
class CreditLot:
    """One lot of the principal's credits, where it came from and where its value is."""

    lot_id: str
    source: str
    tags: tuple[str, ...]
    accrued_on: date
    expires_on: date | None
    accrued: Decimal
    available: Decimal
    held: Decimal
    spent: Decimal
    expired: Decimal

    @property
    def public_sector(self) -> bool:
        return PUBLIC_SECTOR_TAG in self.tags


@dataclass(frozen=True)
class AssociateShare:
    """CRD-2: what an associate may use of the principal's balance now, and why."""

    organization_id: OrganizationId
    policy: EffectivePolicy
    usable: Decimal | None
    earned: Decimal


@dataclass(frozen=True)
class CreditStatement:
    """The principal's credits on ``as_of`` (CRD-5)."""

    principal_id: OrganizationId
    as_of: date
    unit: str
    accrued: Decimal
    available: Decimal
    held: Decimal
    spent: Decimal
    expired: Decimal
    public_sector_available: Decimal
    expiring: dict[int, Decimal]
    lots: tuple[CreditLot, ...]
    associates: tuple[AssociateShare, ...]
    orders: tuple[CreditOrder, ...]

    @property
    def reconciles(self) -> bool:
        return self.accrued == self.available + self.held + self.spent + self.expired


@dataclass(frozen=True)
class UsableShareView:
    """What an associate's people see (CRD-5): how much of the principal's balance they
    may use now."""

    organization_id: OrganizationId
    principal_id: OrganizationId
    as_of: date
    unit: str
    usable: Decimal
    policy: EffectivePolicy
    explanation: str


@dataclass(frozen=True)
class CreditStatementResult:
    """Either the full statement or the usable share, as the viewer may see (CRD-5)."""

    view: CreditView
    statement: CreditStatement | None = None
    share: UsableShareView | None = None


def credit_statement(
    uow: UnitOfWork,
    actor: Actor,
    organization_id: OrganizationId,
    *,
    clock: Clock,
    as_of: date | None = None,
) -> CreditStatementResult:
    """The credits of ``organization_id``'s principal as ``actor`` may see them (CRD-5)."""
    day = as_of or clock.today()
    with uow:
        hierarchy = company_of(uow, actor, organization_id)
        principal = hierarchy.principal_of(organization_id)
        if sees_everything(actor):
            full = _statement(uow, principal, hierarchy, day)
            return CreditStatementResult(CreditView.FULL_STATEMENT, statement=full)
        viewer = person_of(uow, actor)
        if viewer is None or viewer.organization_id is None:
            raise CreditStatementNotVisible(f"{actor.name} may not see credit statements")
        policy = effective_policy(uow, viewer.organization_id, hierarchy)
        view = credit_view(viewer, principal, hierarchy, policy.settings)
        if view is CreditView.FULL_STATEMENT:
            full = _statement(uow, principal, hierarchy, day)
            return CreditStatementResult(view, statement=full)
        if view is CreditView.NONE and viewer.organization_id == principal:
            require_statement(viewer, principal, hierarchy)  # names CRD-5
        lots = uow.ledger.open_lots(Book(principal, WALLET.id, WALLET.unit), day)
        share = usable_share(viewer, hierarchy, policy.settings, lots, day, WALLET)
        return CreditStatementResult(
            CreditView.USABLE_SHARE,
            share=UsableShareView(
                OrganizationId(share.organization_id),
                OrganizationId(share.principal_id),
                day,
                share.unit,
                credits(share.amount),
                policy,
                share.explanation,
            ),
        )


def _statement(
    uow: UnitOfWork, principal: OrganizationId, hierarchy: Hierarchy, day: date
) -> CreditStatement:
    ledger = uow.ledger.statement(principal, WALLET.id, WALLET.unit, day)
    lots = uow.ledger.open_lots(Book(principal, WALLET.id, WALLET.unit), day)
    available = available_balance(lots, day)
    shares = []
    for org in hierarchy.descendants(principal):
        policy = effective_policy(uow, org, hierarchy)
        earned = earned_balance(lots, org, day)
        limit = associate_limit(
            policy.settings.policy, available, earned, policy.settings.percentage
        )
        usable = credits(limit) if limit is not None else None
        shares.append(AssociateShare(org, policy, usable, credits(earned)))
    lines = tuple(_lot(line) for line in sorted(ledger.lots, key=_by_accrual))
    return CreditStatement(
        principal_id=principal,
        as_of=day,
        unit=WALLET.unit,
        accrued=credits(ledger.accrued),
        available=credits(ledger.available),
        held=credits(ledger.held),
        spent=credits(ledger.spent),
        expired=credits(ledger.expired),
        public_sector_available=credits(
            sum((line.available for line in lines if line.public_sector), Decimal(0))
        ),
        expiring={d: credits(ledger.expiring_amount(d)) for d in EXPIRY_HORIZONS},
        lots=lines,
        associates=tuple(shares),
        orders=tuple(uow.credits.orders(principal_id=principal, limit=1_000)),
    )


def _by_accrual(line: LotLine) -> tuple[date, str]:
    return (line.lot.accrued_on, line.lot.id)


def _lot(line: LotLine) -> CreditLot:
    awaiting = line.remaining if line.is_expired else Decimal(0)
    return CreditLot(
        lot_id=line.lot.id,
        source=line.lot.origin.source_event,
        tags=tuple(sorted(line.lot.tags)),
        accrued_on=line.lot.accrued_on,
        expires_on=line.expires_on,
        accrued=credits(line.accrued),
        available=credits(line.available),
        held=credits(line.held),
        spent=credits(line.spent),
        expired=credits(line.expired + awaiting),
    )


CSV_COLUMNS = (
    "lot_id",
    "source",
    "tags",
    "accrued_on",
    "expires_on",
    "accrued",
    "available",
    "held",
    "spent",
    "expired",
)


def statement_csv(statement: CreditStatement) -> str:
    """The statement's lots as CSV (one row per lot, then a ``total`` row); exact
    decimal amounts, ISO dates, tags separated by ``;``."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for lot in statement.lots:
        writer.writerow(
            [
                lot.lot_id,
                lot.source,
                ";".join(lot.tags),
                lot.accrued_on.isoformat(),
                lot.expires_on.isoformat() if lot.expires_on else "",
                lot.accrued,
                lot.available,
                lot.held,
                lot.spent,
                lot.expired,
            ]
        )
    s = statement
    writer.writerow(["total", "", "", "", "", s.accrued, s.available, s.held, s.spent, s.expired])
    return out.getvalue()
