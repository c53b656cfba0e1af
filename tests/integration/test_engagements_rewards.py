"""Rewards on engagements on SQLite and PostgreSQL (RWD-1…RWD-5, CRD-4, CRD-6):
assessment on acceptance, the public-sector pool, the booking re-check, monetary payouts
blocked until an invoice and a supplier account exist, credits posted once.

Acme is paid in partner credits, Globex in money (their choices at subscription, RWD-3);
the pool is configured for FR and DE with a 100,000 USD threshold (engagements_world).
"""

from __future__ import annotations

import io
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from engagements_world import STAFF, World, member, opportunity, seed

from alliance.domain.clock import FixedClock
from alliance.domain.credits.wallet import CREDITS, PARTNER_CREDITS
from alliance.domain.engagement_rewards import DealLine, SupplierAccount
from alliance.domain.engagements import Status
from alliance.domain.errors import AllianceError
from alliance.domain.ledger import AccountKey, AccountKind
from alliance.domain.money import usd
from alliance.domain.people import PartnerRole
from alliance.services.engagement_rewards.bookings import Booking, record_booking
from alliance.services.engagement_rewards.payouts import (
    preview_payout,
    release_payout,
    set_supplier_account,
)
from alliance.services.engagements.attachments import Upload, attach
from alliance.services.engagements.changes import edit_engagement
from alliance.services.engagements.forms import read_edit, read_form
from alliance.services.engagements.lifecycle import move_engagement
from alliance.services.engagements.ports import PayoutStatus
from alliance.services.engagements.queries import get_engagement
from alliance.services.engagements.submissions import submit
from alliance.store.unit_of_work import SqlUnitOfWork

PUBLIC_CUSTOMER = {
    "legal_name": "Ville de Lyon",
    "address": {"street": "1 place de la Comédie", "city": "Lyon", "country": "FR"},
}


@pytest.fixture
def world(uow_factory: Callable[[], SqlUnitOfWork], clock: FixedClock, tmp_path: Path) -> World:
    return seed(uow_factory, clock, tmp_path / "attachments")


def _won(world: World, who: str, form: dict[str, Any]) -> str:
    """Submit, and move through review to eligible (the deal was won)."""
    found = submit(
        world.uow(),
        member(getattr(world, who)),
        read_form(form),
        program=world.program,
        clock=world.clock,
    )
    for target in ("acknowledged", "in_review", "accepted", "eligible"):
        move_engagement(
            world.uow(), STAFF, found.record.id, target, program=world.program, clock=world.clock
        )
    return found.record.id


def _release(world: World, engagement_id: str) -> Any:
    return release_payout(
        world.uow(), STAFF, engagement_id, program=world.program, clock=world.clock
    )


def _refusal(call: Callable[[], object]) -> AllianceError:
    with pytest.raises(AllianceError) as caught:
        call()
    return caught.value


def _credits(world: World, owner: str) -> Decimal:
    with world.uow() as uow:
        return uow.ledger.balance(AccountKey(owner, PARTNER_CREDITS, CREDITS, AccountKind.WALLET))


def _emails(world: World) -> list[tuple[str, str]]:
    with world.uow() as uow:
        return [
            (d.target, d.message().subject)
            for d in uow.outbox.list(limit=10_000)
            if d.kind.value == "email"
        ]


def test_a_commercial_credit_payout_is_posted_once(world: World) -> None:
    """RWD-5: 5 % of 200,000 USD OCI = 10,000, under the 50,000 cap; RWD-4: credits are
    added automatically, tagged reward and earned_by; X-5: a replay changes nothing."""
    before = _credits(world, world.acme.id)  # the level's allocation (CRD-1)
    engagement_id = _won(world, "ada", opportunity())
    result = _release(world, engagement_id)
    assert result.payout.amount == usd("10000.00")
    assert result.payout.status is PayoutStatus.CREDITED
    assert not result.replayed
    assert _credits(world, world.acme.id) - before == Decimal("10000.00")
    again = _release(world, engagement_id)
    assert again.replayed and again.payout.id == result.payout.id
    assert _credits(world, world.acme.id) - before == Decimal("10000.00")
    detail = get_engagement(world.uow(), member(world.ada), engagement_id)
    assert detail.record.engagement.status is Status.INCENTIVE_RELEASED
    with world.uow() as uow:
        posting = uow.ledger.posting_for_key(f"rwd:{engagement_id}:1")
        assert posting is not None
        rewards = [lot for lot in uow.ledger.lots().values() if "reward" in lot.origin.tags]
        assert len(rewards) == 1
        lot = rewards[0]
        assert {"reward", f"earned_by:{world.acme.id}"} <= set(lot.origin.tags)
        assert "public_sector" not in lot.origin.tags


def test_an_associates_reward_goes_to_its_principal_and_remembers_who_earned_it(
    world: World,
) -> None:
    """CRD-4 / CRD-2: credits land on the principal's account, tagged with the associate."""
    iberia_admin = world.person(
        "ines",
        world.iberia,
        PartnerRole.PARTNER_ADMINISTRATOR,
    )
    before = _credits(world, world.acme.id)
    engagement_id = _won(world, "ada", opportunity())  # Acme's own deal
    _release(world, engagement_id)
    found = submit(
        world.uow(),
        member(iberia_admin),
        read_form(
            opportunity(
                name="Madrid",
                customer={
                    "legal_name": "Banco de Madrid",
                    "address": {"street": "Gran Via 1", "city": "Madrid", "country": "ES"},
                },
            )
        ),
        program=world.program,
        clock=world.clock,
    )
    for target in ("acknowledged", "in_review", "accepted", "eligible"):
        move_engagement(
            world.uow(), STAFF, found.record.id, target, program=world.program, clock=world.clock
        )
    paid = _release(world, found.record.id)
    assert paid.payout.principal_id == world.acme.id
    assert _credits(world, world.acme.id) - before == Decimal("20000.00")
    with world.uow() as uow:
        tags = [set(lot.origin.tags) for lot in uow.ledger.lots().values()]
    assert {"reward", f"earned_by:{world.iberia.id}"} in [
        t & {"reward", f"earned_by:{world.iberia.id}"} for t in tags
    ]


def test_a_monetary_payout_waits_for_an_invoice_and_a_supplier_account(world: World) -> None:
    """RWD-4: blocked naming what is missing; the partner is invited to register once."""
    globex_before = _credits(world, world.globex.id)
    engagement_id = _won(
        world,
        "gus",
        opportunity(
            customer={
                "legal_name": "Berlin Bank AG",
                "address": {"street": "Unter den Linden 1", "city": "Berlin", "country": "DE"},
            }
        ),
    )
    error = _refusal(lambda: _release(world, engagement_id))
    assert error.rule == "RWD-4"
    assert "Invoice" in error.message and "supplier account" in error.message
    invitations = [e for e in _emails(world) if "supplier" in e[1]]
    assert invitations == [("gus@globex.example", "Register as a supplier to receive your reward")]
    with world.uow() as uow:
        blocked = uow.engagements.payout(engagement_id, 1)
    assert blocked is not None and blocked.status is PayoutStatus.BLOCKED
    assert blocked.missing == ("invoice_attachment", "supplier_account")
    attach(
        world.uow(),
        member(world.gus),
        engagement_id,
        Upload("invoice-42.pdf", "application/pdf", io.BytesIO(b"%PDF invoice"), "invoice"),
        program=world.program,
        clock=world.clock,
    )
    still = _refusal(lambda: _release(world, engagement_id))
    assert still.rule == "RWD-4" and still.field == "supplier_account"
    assert len([e for e in _emails(world) if "supplier" in e[1]]) == 1
    set_supplier_account(
        world.uow(), STAFF, world.globex.id, SupplierAccount.ACTIVE, clock=world.clock
    )
    released = _release(world, engagement_id)
    assert released.payout.status is PayoutStatus.RELEASED
    assert released.payout.amount == usd("10000.00")
    assert _credits(world, world.globex.id) == globex_before


def test_public_sector_deals_pool_until_the_threshold_then_pay_in_credits(world: World) -> None:
    """RWD-1: pooled deals pay once the pool reaches 100,000 USD; RWD-3: only in credits,
    only new sales or extensions of OCI/SaaS in configured countries; CRD-6: tagged."""
    before = _credits(world, world.acme.id)
    small = opportunity(
        name="City cloud",
        sector="public",
        customer=PUBLIC_CUSTOMER,
        products=[
            {
                "product": "SAAS-HCM",
                "family": "saas",
                "quantity": "1",
                "amount": {"amount": "60000.00", "currency": "USD"},
                "service_period": {"start": "2025-07-01", "end": "2026-06-30"},
            }
        ],
    )
    first = _won(world, "ada", small)
    error = _refusal(lambda: _release(world, first))
    assert error.rule == "RWD-1"
    assert "40000.00 USD more needed" in error.message.replace(",", "")
    second = _won(
        world,
        "ada",
        {
            **small,
            "name": "City archive",
            "customer": {**PUBLIC_CUSTOMER, "legal_name": "Métropole de Lyon"},
        },
    )
    assert any("pool reached" in subject for _to, subject in _emails(world))
    paid_first = _release(world, first)
    paid_second = _release(world, second)
    assert paid_first.payout.amount == usd("3000.00") and paid_second.payout.amount == usd(
        "3000.00"
    )
    assert _credits(world, world.acme.id) - before == Decimal("6000.00")
    with world.uow() as uow:
        rewards = [lot for lot in uow.ledger.lots().values() if "reward" in lot.origin.tags]
    assert len(rewards) == 2 and all("public_sector" in lot.origin.tags for lot in rewards)


def test_public_sector_rewards_go_only_to_partners_paid_in_credits(world: World) -> None:
    """RWD-3: Globex chose money — its public-sector deal never enters a pool."""
    engagement_id = _won(
        world,
        "gus",
        opportunity(
            sector="public",
            customer={
                "legal_name": "Stadt Berlin",
                "address": {"street": "Rathausstr. 15", "city": "Berlin", "country": "DE"},
            },
        ),
    )
    payout, why = preview_payout(
        world.uow(), member(world.gus), engagement_id, program=world.program
    )
    assert payout.amount == usd("0")
    assert any("only to partners paid in partner credits" in line for line in why)
    error = _refusal(lambda: _release(world, engagement_id))
    assert error.rule == "RWD-1"


def test_a_public_sector_renewal_or_an_unconfigured_country_does_not_pool(world: World) -> None:
    renewal = _won(
        world, "ada", opportunity(sector="public", order_kind="renewal", customer=PUBLIC_CUSTOMER)
    )
    payout, why = preview_payout(world.uow(), STAFF, renewal, program=world.program)
    assert payout.amount == usd("0") and any("renewal" in line for line in why)
    spain = opportunity(
        sector="public",
        customer={
            "legal_name": "Ayuntamiento",
            "address": {"street": "Plaza Mayor", "city": "Madrid", "country": "ES"},
        },
    )
    elsewhere = _won(world, "ada", spain)
    payout, why = preview_payout(world.uow(), STAFF, elsewhere, program=world.program)
    assert payout.amount == usd("0") and any("'ES'" in line for line in why)


def test_a_changed_booking_is_checked_again_and_the_payout_recomputed(world: World) -> None:
    """RWD-2: booked at 300,000 instead of 200,000: 10,000 → 15,000; at 1.5 M, capped."""
    engagement_id = _won(world, "ada", opportunity())
    recheck = record_booking(
        world.uow(),
        STAFF,
        engagement_id,
        Booking(lines=(DealLine("OCI-COMPUTE", "oci", usd("300000.00")),)),
        program=world.program,
        clock=world.clock,
    )
    assert (recheck.submitted.amount, recheck.booked.amount) == (usd("10000.00"), usd("15000.00"))
    assert recheck.difference == usd("5000.00")
    big = record_booking(
        world.uow(),
        STAFF,
        engagement_id,
        Booking(lines=(DealLine("OCI-COMPUTE", "oci", usd("1500000.00")),)),
        program=world.program,
        clock=world.clock,
    )
    assert big.booked.amount == usd("50000.00")
    assert any("capped" in line for line in big.explanation)
    paid = _release(world, engagement_id)
    assert (paid.payout.version, paid.payout.amount) == (3, usd("50000.00"))
    late = _refusal(
        lambda: record_booking(
            world.uow(), STAFF, engagement_id, Booking(), program=world.program, clock=world.clock
        )
    )
    assert late.rule == "RWD-2"


def test_a_payout_needs_a_won_deal(world: World) -> None:
    found = submit(
        world.uow(),
        member(world.ada),
        read_form(opportunity()),
        program=world.program,
        clock=world.clock,
    )
    error = _refusal(lambda: _release(world, found.record.id))
    assert error.rule == "CCE-6"
    manual = _refusal(
        lambda: move_engagement(
            world.uow(),
            STAFF,
            found.record.id,
            "incentive_released",
            program=world.program,
            clock=world.clock,
        )
    )
    assert manual.rule == "CCE-6"


def test_a_partner_edit_before_booking_is_what_the_booking_rechecks(world: World) -> None:
    """RWD-2 with CCE-5: the partner raises the amount after acceptance; the booking (no
    lines given: the opportunity as it is now) pays on the new amount."""
    found = submit(
        world.uow(),
        member(world.ada),
        read_form(opportunity()),
        program=world.program,
        clock=world.clock,
    )
    for target in ("acknowledged", "in_review", "accepted"):
        move_engagement(
            world.uow(), STAFF, found.record.id, target, program=world.program, clock=world.clock
        )
    products = opportunity()["products"]
    products[0]["amount"] = {"amount": "260000.00", "currency": "USD"}
    edit_engagement(
        world.uow(),
        member(world.ada),
        found.record.id,
        read_edit({"products": products}),
        program=world.program,
        clock=world.clock,
    )
    recheck = record_booking(
        world.uow(), STAFF, found.record.id, Booking(), program=world.program, clock=world.clock
    )
    assert (recheck.submitted.amount, recheck.booked.amount) == (usd("10000.00"), usd("13000.00"))
    assert recheck.changed
