"""``accrue(month)``: a month's rewards, computed once at its end and posted once (OSR-12, X-5).

The batch engine (:func:`alliance.batch.osr_accrual.accrue_month_batch`) reads the
canonical Parquet files of every usage import covering the month, with the
subscriptions and customer rates of the store, and returns one accrual per buyer-month
that earns (OSR-9, OSR-11…OSR-16); the ledger opens their lots with ``accrue_many``,
whose idempotency key per buyer-month (``osr:accrual:{buyer}:{YYYY-MM}``) makes a rerun
post nothing new: "0 new lots, N already posted". ``reference=True`` runs the pure
:func:`alliance.domain.rewards.accrue_month` instead, line by line — for small data and
for tests that hold the two to the cent.

A month is accrued only once it has ended (OSR-12); each run is recorded with its counts
and audited (X-4), and a month with a run takes no more usage imports.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

import pyarrow.compute as pc
import pyarrow.dataset as ds
import pyarrow.parquet as pq

from alliance.batch.osr_accrual import accrue_month_batch, open_lot_commands
from alliance.batch.osr_facts import customer_rates_table, subscriptions_table
from alliance.domain import audit
from alliance.domain.access import Actor
from alliance.domain.calendar import Month
from alliance.domain.clock import Clock
from alliance.domain.errors import BusinessRuleViolation
from alliance.domain.ids import OrganizationId, new_id
from alliance.domain.ledger import OpenLot
from alliance.domain.rewards import (
    Customer,
    LineKind,
    Subscription,
    SubscriptionId,
    UsageLine,
    accrue_month,
)
from alliance.services.ports import UnitOfWork
from alliance.services.reward_terms import RewardProgram
from alliance.services.rewards.access import require_operator
from alliance.services.rewards.ports import AccrualRunRecord

#: ``progress(done, total)``: lots handled so far, out of the month's total.
Progress = Callable[[int, int], None]


class MonthNotEnded(BusinessRuleViolation):
    """OSR-12: rewards are computed once, at the end of each month."""

    code = "month_not_ended"

    def __init__(self, month: Month) -> None:
        super().__init__(
            f"{month} has not ended yet: rewards are computed once, at the end of each month",
            field="month",
            rule="OSR-12",
        )


@dataclass(frozen=True)
class AccrualReport:
    """What ``accrue(month)`` did: lots the month earns, how many were new (X-5)."""

    month: Month
    program: str
    usage_files: int
    lines: int
    lots: int
    new_lots: int
    already_posted: int
    amounts: dict[str, Decimal]

    @property
    def summary(self) -> str:
        if not self.usage_files:
            return f"{self.month}: no usage imported for this month; nothing to accrue"
        earned = ", ".join(f"{amount:,} {unit}" for unit, amount in sorted(self.amounts.items()))
        return (
            f"{self.month}: {self.lines:,} usage lines, {self.lots:,} lot(s) earned "
            f"({earned or 'nothing'}); "
            f"{self.new_lots:,} new lots, {self.already_posted:,} already posted"
        )


def accrue(
    uow: UnitOfWork,
    actor: Actor,
    month: Month,
    *,
    program: RewardProgram,
    data_dir: Path,
    clock: Clock,
    progress: Progress | None = None,
    reference: bool = False,
) -> AccrualReport:
    """Accrue ``month``'s rewards over the imported usage (see the module doc)."""
    require_operator(actor)
    if month >= Month.containing(clock.today()):
        raise MonthNotEnded(month)
    terms = program.terms
    with uow:
        files = [data_dir / i.path for i in uow.rewards.usage_imports.covering(month)]
        subscriptions = uow.rewards.subscriptions.every()
        customers = uow.rewards.customers.every_customer()
    if not files:
        return AccrualReport(month, program.code, 0, 0, 0, 0, 0, {})
    if reference:
        commands = _reference_commands(month, files, subscriptions, customers, program)
    else:
        accruals = accrue_month_batch(
            month,
            files,
            subscriptions_table(subscriptions),
            customer_rates_table(customers, terms),
            terms,
        )
        commands = list(open_lot_commands(accruals, terms))
    commands.sort(key=lambda c: c.idempotency_key)
    lines = ds.dataset([str(f) for f in files], format="parquet").count_rows(
        filter=pc.field("month") == month.label
    )
    done = 0

    def advance(n: int) -> None:
        nonlocal done
        done += n
        if progress is not None:
            progress(done, len(commands))

    with uow:
        outcome = uow.ledger.accrue_many(commands, progress=advance)
        run = AccrualRunRecord(
            id=new_id("acr"),
            program=program.code,
            month=month,
            lines=lines,
            new_lots=outcome.posted,
            existing_lots=outcome.replayed,
            actor=actor.name,
            ran_at=clock.now(),
        )
        uow.rewards.accrual_runs.add(run)
        report = AccrualReport(
            month,
            program.code,
            len(files),
            lines,
            len(commands),
            outcome.posted,
            outcome.replayed,
            _amounts(commands),
        )
        uow.audit.append(
            audit.created(actor, "reward_accrual_run", run.id, _audited(report), clock.now())
        )
        uow.commit()
    return report


def _amounts(commands: Iterable[OpenLot]) -> dict[str, Decimal]:
    amounts: dict[str, Decimal] = {}
    for command in commands:
        amounts[command.unit] = amounts.get(command.unit, Decimal(0)) + command.amount
    return amounts


def _audited(report: AccrualReport) -> dict[str, object]:
    return {
        "program": report.program,
        "month": report.month.label,
        "usage_files": report.usage_files,
        "lines": report.lines,
        "lots": report.lots,
        "new_lots": report.new_lots,
        "already_posted": report.already_posted,
        "amounts": {unit: str(amount) for unit, amount in report.amounts.items()},
    }


def _reference_commands(
    month: Month,
    files: list[Path],
    subscriptions: list[Subscription],
    customers: list[Customer],
    program: RewardProgram,
) -> list[OpenLot]:
    """The pure reference, line by line: for small data and for tests."""
    rows = pq.read_table(files, filters=[("month", "=", month.label)]).to_pylist()
    lines = [
        UsageLine(
            line_no=n,
            customer_id=OrganizationId(row["customer_id"]),
            subscription_id=SubscriptionId(row["subscription_id"]),
            service=row["service"],
            service_category=row["service_category"],
            month=month,
            quantity=row["quantity"],
            unit_net_price=row["unit_net_price"],
            currency=row["currency"],
            kind=LineKind(row["line_kind"]),
            third_party=row["third_party"],
            marketplace=row["marketplace"],
            saas=row["saas"],
            free_tier=row["free_tier"],
            rack_subscription=row["rack_subscription"],
            byol=row["byol"],
        )
        for n, row in enumerate(rows, start=1)
    ]
    run = accrue_month(month, lines, subscriptions, customers, program.terms)
    return list(run.open_lot_commands(program.terms))
