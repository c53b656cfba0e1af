"""``expire(as_of)``: move what is left of every lot past its expiry to the expired account
(OSR-14: valid 12 months, no extension, no reactivation).

One posting per lot, keyed ``expire:{lot}`` (X-5): a rerun — or a later run — expires
nothing twice. A lot is still redeemable on its ``expires_on`` day and expired from the
next day on, so ``expire --as-of 2023-01-01`` expires a lot accrued at the end of
December 2021. Runs are audited (X-4); a day after today is refused (X-2).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from alliance.domain import audit
from alliance.domain.access import Actor
from alliance.domain.clock import Clock
from alliance.domain.errors import InvalidInput
from alliance.domain.ids import new_id
from alliance.domain.ledger import AccountKind
from alliance.services.ports import UnitOfWork
from alliance.services.rewards.access import require_operator


@dataclass(frozen=True)
class ExpiryReport:
    """Lots expired by one run and the value moved, per unit."""

    as_of: date
    lots: int
    amounts: dict[str, Decimal]

    @property
    def summary(self) -> str:
        if not self.lots:
            return f"as of {self.as_of}: no lot to expire"
        moved = ", ".join(f"{amount:,} {unit}" for unit, amount in sorted(self.amounts.items()))
        return f"as of {self.as_of}: {self.lots:,} lot(s) expired, {moved} moved to expired"


def expire(uow: UnitOfWork, actor: Actor, as_of: date, *, clock: Clock) -> ExpiryReport:
    """Expire every lot past its expiry date on ``as_of`` (OSR-14)."""
    require_operator(actor)
    if as_of > clock.today():
        raise InvalidInput(
            f"cannot expire as of {as_of}, after today ({clock.today()})",
            field="as_of",
            rule="X-2",
        )
    with uow:
        postings = uow.ledger.expire(as_of)
        amounts: dict[str, Decimal] = {}
        for posting in postings:
            for leg in posting.legs:
                if leg.account.kind is AccountKind.EXPIRED and leg.amount > 0:
                    unit = leg.account.unit
                    amounts[unit] = amounts.get(unit, Decimal(0)) + leg.amount
        report = ExpiryReport(as_of, len(postings), amounts)
        if postings:
            uow.audit.append(
                audit.created(
                    actor,
                    "reward_expiry_run",
                    new_id("exr"),
                    {
                        "as_of": as_of.isoformat(),
                        "lots": report.lots,
                        "amounts": {unit: str(value) for unit, value in amounts.items()},
                    },
                    clock.now(),
                )
            )
        uow.commit()
    return report
