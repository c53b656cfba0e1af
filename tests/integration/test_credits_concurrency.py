"""Concurrent credit orders never over-reserve and never count twice (CRD-2, CRD-3, X-5).

Acme holds 1,250.00 credits. Eight threads, each with its own unit of work and
connection, order cloud credits against Acme's one wallet: four as Acme's administrator,
four as Acme Iberia's, whose policy is *pre-approved up to 40 % of the principal's
available balance at order time*. Threads come in pairs sending the same orders under
the same keys, so every key is raced for. The principal's credit book is locked before
the balance is read (PostgreSQL row lock; SQLite ``BEGIN IMMEDIATE``), so: what is held
never exceeds 1,250.00, every associate order is within 40 % of what was available
when it was placed, every order is stored once with one hold, and the ledger's
invariants hold.
"""

from __future__ import annotations

import random
import threading
from collections import defaultdict
from concurrent.futures import ThreadPoolExecutor
from decimal import Decimal

from credits_world import ACME, IBERIA, Factory, actor, fund, seed

from alliance.domain.clock import FixedClock
from alliance.domain.credits import AssociatePolicy, RequestStatus
from alliance.domain.errors import AllianceError
from alliance.domain.ledger import AccountKind, Book, PostingKind, invariant_problems
from alliance.services.credits.orders import PlaceOrder, place_order
from alliance.services.credits.policies import SetPolicy, set_policy

THREADS = 8
ORDERS = 10
FUNDED = Decimal("1250.00")
BOOK = Book(ACME, "partner_credits", "CREDITS")


def test_concurrent_orders_never_over_reserve_nor_count_twice(
    uow_factory: Factory, clock: FixedClock
) -> None:
    seed(uow_factory)
    fund(uow_factory, "alloc-acme", "1250.00")
    set_policy(
        uow_factory(),
        actor("ada"),
        SetPolicy(IBERIA, AssociatePolicy.PREAPPROVED_PERCENTAGE, Decimal("0.4")),
        clock,
    )
    start = threading.Barrier(THREADS)
    outcomes: dict[str, list[tuple[str, bool]]] = defaultdict(list)
    refused: dict[str, str | None] = {}
    record = threading.Lock()

    def orderer(thread: int) -> None:
        twin = thread // 2
        who, org = ("ada", ACME) if twin < 2 else ("ines", IBERIA)
        rng = random.Random(twin)
        start.wait()
        for n in range(ORDERS):
            key = f"t{twin}-{n}"
            command = PlaceOrder(org, "cloud_universal_credits", rng.randint(20, 260), key)
            try:
                result = place_order(uow_factory(), actor(who), command, clock)
            except AllianceError as error:
                with record:
                    refused[key] = error.rule
                continue
            with record:
                outcomes[key].append((result.order.id, result.replayed))

    with ThreadPoolExecutor(THREADS) as pool:
        for done in [pool.submit(orderer, thread) for thread in range(THREADS)]:
            done.result()

    assert outcomes, "some orders went through"
    assert set(refused.values()) <= {"CRD-2", "CRD-3"}
    with uow_factory() as uow:
        orders = uow.credits.orders(principal_id=ACME, limit=1_000)
        postings = uow.ledger.postings()
        problems = invariant_problems(postings, uow.ledger.lots(), uow.ledger.holds().values())
        held = uow.ledger.balance(BOOK.account(AccountKind.HELD))
        wallet = uow.ledger.balance(BOOK.account(AccountKind.WALLET))
    assert problems == []
    by_key = {o.idempotency_key: o for o in orders}
    assert len(by_key) == len(orders) == len(outcomes)
    for key, seen in outcomes.items():
        assert {order_id for order_id, _ in seen} == {by_key[key].id}
        assert sum(not replayed for _, replayed in seen) == 1
    holds = [p for p in postings if p.kind is PostingKind.HOLD]
    assert len(holds) == len(orders)
    assert all(o.status is RequestStatus.HELD for o in orders)
    total = sum((o.amount for o in orders), Decimal(0))
    assert total == held <= FUNDED
    assert wallet == FUNDED - held
    for o in orders:
        if o.organization_id == IBERIA:
            assert o.limit is not None and o.amount <= o.limit
    # Going through the holds in the order they were posted shows each Iberia order
    # limited to exactly 40 % of what was available just before it (CRD-2 at order time).
    by_hold = {o.hold_id: o for o in orders}
    available = FUNDED
    for posting in holds:
        o = by_hold[posting.hold_id]
        if o.organization_id == IBERIA:
            assert o.limit == (available * Decimal("0.4")).quantize(Decimal("0.01"))
        available -= o.amount
    assert available == wallet
