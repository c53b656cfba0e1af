"""Credit option orders on SQLite and PostgreSQL (CRD-2, CRD-3, CRD-6, X-5, X-6).

Acme, the principal, holds 1,250.00 credits; its associates order under the policies
Acme sets. Every refusal names its rule; every hold, capture and release is on the
ledger, keyed, and a replay moves nothing.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from credits_world import ACME, GLOBEX, IBERIA, NORTE, Factory, actor, email, fund, seed

from alliance.domain.access import Actor
from alliance.domain.clock import FixedClock
from alliance.domain.credits import (
    PUBLIC_SECTOR_TAG,
    AssociatePolicy,
    RequestStatus,
    earned_by_tag,
)
from alliance.domain.errors import AllianceError
from alliance.domain.ledger import AccountKind, Book, PostingKind
from alliance.domain.membership import MembershipStatus
from alliance.services.credits.orders import (
    PlaceOrder,
    approve_order,
    cancel_order,
    deliver_order,
    get_order,
    list_orders,
    place_order,
    reject_order,
)
from alliance.services.credits.policies import SetPolicy, set_policy

SYSTEM = Actor.system("cli")
BOOK = Book(ACME, "partner_credits", "CREDITS")


def balances(uow_factory: Factory) -> dict[AccountKind, Decimal]:
    with uow_factory() as uow:
        return {
            kind: uow.ledger.balance(BOOK.account(kind)).quantize(Decimal("0.01"))
            for kind in (AccountKind.WALLET, AccountKind.HELD, AccountKind.SPENT)
        }


def refusal(error: pytest.ExceptionInfo[AllianceError]) -> tuple[str | None, str]:
    return error.value.rule, str(error.value)


@pytest.fixture
def world(uow_factory: Factory) -> Factory:
    seed(uow_factory)
    fund(uow_factory, "alloc-acme", "1250.00")
    return uow_factory


def order(
    uow_factory: Factory,
    clock: FixedClock,
    who: str,
    option: str,
    quantity: int,
    key: str,
    *,
    org: str | None = None,
    beneficiary: str | None = None,
) -> object:
    from credits_world import PEOPLE

    organization = PEOPLE[who][0] if org is None else org
    return place_order(
        uow_factory(),
        actor(who),
        PlaceOrder(
            organization,  # type: ignore[arg-type]
            option,
            quantity,
            key,
            beneficiary_id=beneficiary,  # type: ignore[arg-type]
        ),
        clock,
    )


def policy(
    uow_factory: Factory, clock: FixedClock, org: str, name: AssociatePolicy, pct: str | None = None
) -> None:
    set_policy(
        uow_factory(),
        actor("ada"),
        SetPolicy(org, name, Decimal(pct) if pct else None),  # type: ignore[arg-type]
        clock,
    )


def test_an_order_holds_credits_until_delivery_then_spends_them(
    world: Factory, clock: FixedClock
) -> None:
    """CRD-3: reserved (held: not available, not spent) until delivered, then spent."""
    placed = place_order(
        world(), actor("carl"), PlaceOrder(ACME, "training_voucher", 2, "o-1"), clock
    )
    assert placed.order.status is RequestStatus.HELD
    assert placed.order.amount == Decimal("500.00")
    assert placed.credit_state == "reserved"
    assert balances(world) == {
        AccountKind.WALLET: Decimal("750.00"),
        AccountKind.HELD: Decimal("500.00"),
        AccountKind.SPENT: Decimal("0.00"),
    }
    delivered = deliver_order(world(), SYSTEM, placed.order.id, clock)
    assert delivered.order.status is RequestStatus.DELIVERED
    assert delivered.posting is not None and delivered.posting.kind is PostingKind.CAPTURE
    assert balances(world) == {
        AccountKind.WALLET: Decimal("750.00"),
        AccountKind.HELD: Decimal("0.00"),
        AccountKind.SPENT: Decimal("500.00"),
    }
    again = deliver_order(world(), SYSTEM, placed.order.id, clock)
    assert again.replayed and balances(world)[AccountKind.SPENT] == Decimal("500.00")
    with pytest.raises(AllianceError) as error:
        cancel_order(world(), actor("ada"), placed.order.id, clock)
    assert error.value.rule == "CRD-3"  # delivered → cancelled is not a move


def test_a_cancelled_order_releases_its_credits(world: Factory, clock: FixedClock) -> None:
    placed = place_order(
        world(), actor("ada"), PlaceOrder(ACME, "certification_exam", 3, "o-2"), clock
    )
    assert balances(world)[AccountKind.HELD] == Decimal("375.00")
    cancelled = cancel_order(world(), actor("carl"), placed.order.id, clock)
    assert cancelled.order.status is RequestStatus.CANCELLED
    assert cancelled.credit_state == "released"
    assert cancelled.posting is not None and cancelled.posting.kind is PostingKind.RELEASE
    assert balances(world) == {
        AccountKind.WALLET: Decimal("1250.00"),
        AccountKind.HELD: Decimal("0.00"),
        AccountKind.SPENT: Decimal("0.00"),
    }
    assert cancel_order(world(), actor("carl"), placed.order.id, clock).replayed
    with pytest.raises(AllianceError) as error:
        deliver_order(world(), SYSTEM, placed.order.id, clock)
    assert error.value.rule == "CRD-3"


def test_a_percentage_policy_is_of_the_balance_at_order_time(
    world: Factory, clock: FixedClock
) -> None:
    """CRD-2: 40 % of 1,250.00 is 500.00 at the first order; after it, 40 % of 750.00
    is 300.00, so a second order of 400.00 is refused."""
    policy(world, clock, IBERIA, AssociatePolicy.PREAPPROVED_PERCENTAGE, "0.40")
    first = place_order(
        world(), actor("ines"), PlaceOrder(IBERIA, "cloud_universal_credits", 500, "i-1"), clock
    )
    assert first.order.status is RequestStatus.HELD
    assert first.order.limit == Decimal("500.00")
    assert "500.00" in first.explanation
    with pytest.raises(AllianceError) as error:
        place_order(
            world(), actor("ines"), PlaceOrder(IBERIA, "cloud_universal_credits", 400, "i-2"), clock
        )
    rule, message = refusal(error)
    assert rule == "CRD-2"
    assert "300.00" in message and "400.00" in message
    assert balances(world)[AccountKind.HELD] == Decimal("500.00")
    # Exactly at the limit is allowed.
    exact = place_order(
        world(), actor("ines"), PlaceOrder(IBERIA, "cloud_universal_credits", 300, "i-3"), clock
    )
    assert exact.order.status is RequestStatus.HELD
    assert balances(world)[AccountKind.WALLET] == Decimal("450.00")


def test_approval_required_waits_for_the_principal_then_holds(
    world: Factory, clock: FixedClock
) -> None:
    """CRD-2: any amount of the principal's balance, each request approved."""
    policy(world, clock, ACME, AssociatePolicy.APPROVAL_REQUIRED)  # default for all
    placed = place_order(
        world(), actor("nico"), PlaceOrder(NORTE, "expert_services_day", 1, "n-1"), clock
    )
    assert placed.order.status is RequestStatus.PENDING_APPROVAL
    assert balances(world)[AccountKind.HELD] == Decimal("0.00")
    with pytest.raises(AllianceError) as error:
        approve_order(world(), actor("nico"), placed.order.id, clock)
    assert error.value.rule == "CRD-2" and error.value.status == 403
    with pytest.raises(AllianceError) as error:
        deliver_order(world(), SYSTEM, placed.order.id, clock)
    assert error.value.rule == "CRD-3"
    approved = approve_order(world(), actor("carl"), placed.order.id, clock)
    assert approved.order.status is RequestStatus.HELD
    assert balances(world)[AccountKind.HELD] == Decimal("1000.00")
    assert approve_order(world(), actor("ada"), placed.order.id, clock).replayed
    assert balances(world)[AccountKind.HELD] == Decimal("1000.00")
    with pytest.raises(AllianceError) as error:  # held: cancel it, never reject it
        reject_order(world(), actor("ada"), placed.order.id, clock)
    assert error.value.rule == "CRD-3"
    assert balances(world)[AccountKind.HELD] == Decimal("1000.00")
    rejected_one = place_order(
        world(), actor("nico"), PlaceOrder(NORTE, "training_voucher", 1, "n-2"), clock
    )
    rejected = reject_order(world(), actor("ada"), rejected_one.order.id, clock, note="not now")
    assert rejected.order.status is RequestStatus.CANCELLED and rejected.order.hold_id is None
    assert balances(world)[AccountKind.HELD] == Decimal("1000.00")


def test_principal_orders_only_refuses_associates_and_lets_the_principal_order_for_them(
    world: Factory, clock: FixedClock
) -> None:
    """CRD-2 (a): the program's default — associates cannot order."""
    with pytest.raises(AllianceError) as error:
        place_order(world(), actor("ines"), PlaceOrder(IBERIA, "training_voucher", 1, "x"), clock)
    assert error.value.rule == "CRD-2"
    placed = place_order(
        world(),
        actor("ada"),
        PlaceOrder(ACME, "training_voucher", 1, "for-iberia", beneficiary_id=IBERIA),
        clock,
    )
    assert placed.order.beneficiary_id == IBERIA and placed.order.status is RequestStatus.HELD
    # Iberia's people see the order made for them; Norte's do not.
    assert [o.id for o in list_orders(world(), actor("ines"), IBERIA)] == [placed.order.id]
    assert list_orders(world(), actor("nico"), NORTE) == []
    with pytest.raises(AllianceError) as error:
        get_order(world(), actor("nico"), placed.order.id)
    assert error.value.rule == "X-6"


def test_own_earnings_policy_uses_only_what_the_associate_earned(
    world: Factory, clock: FixedClock
) -> None:
    """CRD-2 / CRD-4: pre-approved up to the credits the associate earned through rewards;
    the hold takes only its own lots."""
    fund(world, "reward-iberia", "300.00", tags=frozenset({"reward", earned_by_tag(IBERIA)}))
    policy(world, clock, IBERIA, AssociatePolicy.PREAPPROVED_OWN_EARNED)
    with pytest.raises(AllianceError) as error:
        place_order(
            world(), actor("ines"), PlaceOrder(IBERIA, "cloud_universal_credits", 301, "e-1"), clock
        )
    assert error.value.rule == "CRD-2"
    placed = place_order(
        world(), actor("ines"), PlaceOrder(IBERIA, "cloud_universal_credits", 300, "e-2"), clock
    )
    with world() as uow:
        hold = uow.ledger.hold(placed.order.hold_id or "")
        lots = uow.ledger.lots()
    assert {lots[lot_id].origin.source_event for lot_id, _ in hold.lots} == {"reward-iberia"}


def test_public_sector_credits_are_refused_by_flagged_options(
    uow_factory: Factory, clock: FixedClock
) -> None:
    """CRD-6: 1,000.00 credits earned on public-sector deals and 800.00 allocated: an
    expert-services day (1,000.00, flagged) is refused naming CRD-6, training vouchers
    (not flagged) take public-sector credits, a campaign kit (flagged) does not."""
    seed(uow_factory)
    fund(uow_factory, "alloc", "800.00")
    fund(
        uow_factory,
        "public",
        "1000.00",
        tags=frozenset({"reward", PUBLIC_SECTOR_TAG}),
        expires_on=date(2025, 12, 31),
    )
    with pytest.raises(AllianceError) as error:
        place_order(
            uow_factory(), actor("ada"), PlaceOrder(ACME, "expert_services_day", 1, "p-1"), clock
        )
    rule, message = refusal(error)
    assert rule == "CRD-6" and "800.00" in message
    placed = place_order(
        uow_factory(), actor("ada"), PlaceOrder(ACME, "training_voucher", 2, "p-2"), clock
    )
    assert placed.order.excluded_tags == frozenset()
    with uow_factory() as uow:
        hold = uow.ledger.hold(placed.order.hold_id or "")
        lots = uow.ledger.lots()
    assert {lots[lot].origin.source_event for lot, _ in hold.lots} == {"public"}
    flagged = place_order(
        uow_factory(), actor("ada"), PlaceOrder(ACME, "co_marketing_campaign", 1, "p-3"), clock
    )
    assert flagged.order.excluded_tags == frozenset({PUBLIC_SECTOR_TAG})
    with uow_factory() as uow:
        hold = uow.ledger.hold(flagged.order.hold_id or "")
        lots = uow.ledger.lots()
    assert all(PUBLIC_SECTOR_TAG not in lots[lot].tags for lot, _ in hold.lots)


def test_only_administrators_and_credit_managers_order(world: Factory, clock: FixedClock) -> None:
    """CRD-3 / OPN-18: a marketing contact is refused (403), naming CRD-3."""
    with pytest.raises(AllianceError) as error:
        place_order(world(), actor("mia"), PlaceOrder(ACME, "training_voucher", 1, "m-1"), clock)
    assert error.value.rule == "CRD-3" and error.value.status == 403
    assert "OPN-18" in str(error.value)
    with pytest.raises(AllianceError) as error:
        place_order(world(), actor("gus"), PlaceOrder(ACME, "training_voucher", 1, "g-1"), clock)
    assert error.value.rule == "X-6"
    assert balances(world)[AccountKind.HELD] == Decimal("0.00")


def test_a_replayed_order_changes_nothing(world: Factory, clock: FixedClock) -> None:
    """X-5: the same key and request → the first order, nothing moved; another request
    under the same key → refused."""
    first = place_order(world(), actor("ada"), PlaceOrder(ACME, "training_voucher", 1, "k"), clock)
    again = place_order(world(), actor("ada"), PlaceOrder(ACME, "training_voucher", 1, "k"), clock)
    assert again.replayed and again.order.id == first.order.id
    assert balances(world)[AccountKind.HELD] == Decimal("250.00")
    with pytest.raises(AllianceError) as error:
        place_order(world(), actor("ada"), PlaceOrder(ACME, "training_voucher", 2, "k"), clock)
    assert error.value.rule == "X-5"
    with world() as uow:
        holds = [p for p in uow.ledger.postings() if p.kind is PostingKind.HOLD]
    assert len(holds) == 1


def test_too_few_credits_and_unknown_options_are_refused(world: Factory, clock: FixedClock) -> None:
    with pytest.raises(AllianceError) as error:
        place_order(world(), actor("ada"), PlaceOrder(ACME, "expert_services_day", 2, "big"), clock)
    assert error.value.rule == "CRD-3"
    assert "2,000.00" in str(error.value) and "1,250.00" in str(error.value)
    with pytest.raises(AllianceError) as error:
        place_order(world(), actor("ada"), PlaceOrder(ACME, "yacht", 1, "y"), clock)
    assert error.value.status == 404 and "training_voucher" in str(error.value)


def test_no_credits_without_an_active_membership(uow_factory: Factory, clock: FixedClock) -> None:
    """OPN-11 / OPN-15: benefits only while the membership is active."""
    seed(uow_factory, membership_status=MembershipStatus.EXPIRED)
    fund(uow_factory, "alloc", "1250.00")
    with pytest.raises(AllianceError) as error:
        place_order(
            uow_factory(), actor("ada"), PlaceOrder(ACME, "training_voucher", 1, "z"), clock
        )
    assert error.value.rule == "OPN-15"


def test_the_system_orders_for_a_named_person_or_the_first_administrator(
    world: Factory, clock: FixedClock
) -> None:
    placed = place_order(world(), SYSTEM, PlaceOrder(ACME, "training_voucher", 1, "cli"), clock)
    assert placed.order.requester_id == "per_ada"
    with pytest.raises(AllianceError) as error:
        place_order(
            world(),
            SYSTEM,
            PlaceOrder(ACME, "training_voucher", 1, "cli-2", by=email("mia")),
            clock,
        )
    assert error.value.rule == "CRD-3"
    with pytest.raises(AllianceError) as error:
        place_order(world(), SYSTEM, PlaceOrder(GLOBEX, "training_voucher", 1, "cli-3"), clock)
    assert error.value.rule == "CRD-3"  # Globex has 0 credits
