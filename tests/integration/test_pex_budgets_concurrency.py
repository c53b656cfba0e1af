"""Concurrent proof-of-concept budget requests never hold more points than the wallet
has, and one budget reference is one request however often it is raced for (PEX-4,
X-5), on SQLite and PostgreSQL. The reseller holds 150 points; eight threads, in pairs
sending the same reference, each ask for 40: exactly three budgets are held."""

from __future__ import annotations

import threading
from collections import defaultdict
from concurrent.futures import ThreadPoolExecutor
from datetime import date
from decimal import Decimal

from alliance.domain.calendar import Month
from alliance.domain.clock import FixedClock
from alliance.domain.errors import AllianceError
from alliance.domain.ledger import AccountKind, Book, invariant_problems
from alliance.programs.registry import ProgramRegistry
from alliance.services.modular_tier_terms import modular_tier_program
from alliance.services.modular_tiers.budgets import request_budget
from alliance.services.modular_tiers.enrolment import enrol
from alliance.services.modular_tiers.points import post_points
from earned_world import STAFF, SYSTEM, Factory, certs, load

THREADS = 8
PARTNER = "org_reseller"


def test_racing_requests_hold_at_most_the_balance_and_each_budget_once(
    uow_factory: Factory, clock: FixedClock
) -> None:
    pex = modular_tier_program(ProgramRegistry.load(None))
    enrol(
        uow_factory(), SYSTEM, PARTNER, "solution_provider", ["resell"],
        on=date(2025, 1, 2), program=pex, clock=clock,
    )  # fmt: skip
    load(uow_factory, "race", certifications=certs(PARTNER, 3, date(2025, 1, 15)))
    assert post_points(uow_factory(), SYSTEM, Month(2025, 1), program=pex, clock=clock).posted == 1
    start = threading.Barrier(THREADS)
    held: dict[str, list[tuple[str, bool]]] = defaultdict(list)
    refused: list[str | None] = []
    record = threading.Lock()

    def requester(thread: int) -> None:
        ref = f"poc-{thread // 2}"
        start.wait()
        try:
            result = request_budget(
                uow_factory(), STAFF, PARTNER, Decimal(40), ref, program=pex, clock=clock
            )
        except AllianceError as error:
            with record:
                refused.append(error.rule)
            return
        with record:
            held[ref].append((result.request.id, result.replayed))

    with ThreadPoolExecutor(THREADS) as pool:
        for done in [pool.submit(requester, thread) for thread in range(THREADS)]:
            done.result()

    assert len(held) == 3  # 3 × 40 ≤ 150 < 4 × 40
    for tries in held.values():
        assert len({request_id for request_id, _ in tries}) == 1  # one request per reference
    assert set(refused) <= {"PEX-4", "X-5"}
    with uow_factory() as uow:
        book = Book(PARTNER, "pex_points", "POINTS")
        assert uow.ledger.balance(book.account(AccountKind.HELD)) == 120
        assert uow.ledger.balance(book.account(AccountKind.WALLET)) == 30
        assert len(uow.pex.requests(PARTNER)) == 3
        assert (
            invariant_problems(
                uow.ledger.postings(), uow.ledger.lots(), uow.ledger.holds().values()
            )
            == []
        )
