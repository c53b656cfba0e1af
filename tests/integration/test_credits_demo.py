"""The demo's credit orders (CRD-3): one in each state per active principal, and loading
twice changes nothing (X-5)."""

from __future__ import annotations

from types import SimpleNamespace
from typing import cast

from credits_world import ACME, Factory, fund, seed

from alliance.bootstrap import Application
from alliance.demo.credits import load_credits
from alliance.domain.clock import FixedClock
from alliance.domain.credits import RequestStatus


def test_demo_orders_cover_every_state_and_reload_is_a_no_op(
    uow_factory: Factory, clock: FixedClock
) -> None:
    seed(uow_factory)
    fund(uow_factory, "alloc-acme", "1250.00")
    app = cast(Application, SimpleNamespace(uow_factory=uow_factory, clock=clock))
    loaded = load_credits(app)
    assert loaded.orders == {"delivered": 1, "held": 1, "cancelled": 1, "pending_approval": 1}
    assert load_credits(app).orders == loaded.orders
    with uow_factory() as uow:
        orders = uow.credits.orders(principal_id=ACME)
    assert sorted(o.status.value for o in orders) == sorted(
        s.value for s in RequestStatus if s is not RequestStatus.REQUESTED
    )
    # Globex has an active membership but no credits: its orders are skipped, with the rule.
    assert any("[CRD-3]" in line for line in loaded.skipped)
