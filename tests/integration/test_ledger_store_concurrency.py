"""Concurrent redemptions never overspend and never count twice (X-5, CRD-3, OSR-21).

One wallet holds 1,000.00 USD in four lots. Eight threads, each with its own unit of
work and connection, redeem random amounts; threads come in pairs that send the same
requests under the same keys at about the same time, so every key is raced for. On
PostgreSQL the wallet account's row lock serialises the spenders; on SQLite
``BEGIN IMMEDIATE`` does (with the busy timeout). In the end: what was redeemed is at
most 1,000.00, the wallet holds the rest, every redemption that succeeded is stored
once and both twins got the same posting, and the stored ledger's invariants hold.
"""

from __future__ import annotations

import random
import threading
from collections import defaultdict
from concurrent.futures import ThreadPoolExecutor
from datetime import date
from decimal import Decimal

from ledger_store_helpers import BOOK, Factory, balances, open_lot, post, stored_problems, usd

from alliance.domain.clock import FixedClock
from alliance.domain.ledger import AccountKind, InsufficientBalance, PostingKind, Redeem

THREADS = 8
REDEMPTIONS = 15
FUNDED = usd("1000.00")


def test_concurrent_redemptions_never_overspend_nor_count_twice(
    uow_factory: Factory, clock: FixedClock
) -> None:
    clock.set(date(2024, 3, 1))
    post(
        uow_factory,
        *(
            open_lot(f"fund-{n}", amount, expires_on=date(2024, 6 + n, 30))
            for n, amount in enumerate(["100.00", "250.00", "300.00", "350.00"])
        ),
    )
    start = threading.Barrier(THREADS)
    outcomes: dict[str, list[tuple[str, bool]]] = defaultdict(list)  # key -> (posting, replay)
    refused: set[str] = set()
    record = threading.Lock()

    def spender(thread: int) -> None:
        twin = thread // 2  # threads 2k and 2k+1 send the same requests
        rng = random.Random(twin)
        start.wait()
        for n in range(REDEMPTIONS):
            amount = Decimal(rng.randint(100, 9_000)).scaleb(-2)
            command = Redeem(f"invoice-{twin}-{n}", BOOK.owner, BOOK.wallet, BOOK.unit, amount)
            try:
                with uow_factory() as uow:
                    applied = uow.ledger.apply(command)
                    uow.commit()
            except InsufficientBalance:
                with record:
                    refused.add(command.idempotency_key)
                continue
            with record:
                outcomes[command.idempotency_key].append((applied.posting.id, applied.replayed))

    with ThreadPoolExecutor(THREADS) as pool:
        for failure in [pool.submit(spender, thread) for thread in range(THREADS)]:
            failure.result()

    with uow_factory() as uow:
        stored = {p.idempotency_key: p for p in uow.ledger.postings()}
    redemptions = {key: p for key, p in stored.items() if p.kind is PostingKind.REDEEM}
    assert set(redemptions) == set(outcomes)  # every success stored, nothing else
    assert not refused & set(outcomes)  # a twin refused is refused alike
    for key, seen in outcomes.items():
        assert {posting for posting, _ in seen} == {redemptions[key].id}
        assert sum(not replayed for _, replayed in seen) == 1  # posted once, then replays
    redeemed = sum((p.amount_on(AccountKind.SPENT) for p in redemptions.values()), Decimal(0))
    assert Decimal(0) < redeemed <= FUNDED
    assert balances(uow_factory) == {
        AccountKind.WALLET: FUNDED - redeemed,
        AccountKind.HELD: usd(0),
        AccountKind.SPENT: redeemed,
        AccountKind.EXPIRED: usd(0),
    }
    assert stored_problems(uow_factory) == []
