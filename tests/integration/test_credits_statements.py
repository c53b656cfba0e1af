"""Credit statements, policies and the catalogue on SQLite and PostgreSQL (CRD-2, CRD-5,
CRD-6, X-4, X-6)."""

from __future__ import annotations

import csv
import io
from datetime import date
from decimal import Decimal

import pytest
from credits_world import ACME, GLOBEX, IBERIA, NORTE, Factory, actor, fund, seed

from alliance.domain.access import Actor
from alliance.domain.clock import FixedClock
from alliance.domain.credits import PUBLIC_SECTOR_TAG, AssociatePolicy, CreditView
from alliance.domain.errors import AllianceError
from alliance.services.credits.catalog import DefineOption, catalog, define_option
from alliance.services.credits.orders import PlaceOrder, cancel_order, deliver_order, place_order
from alliance.services.credits.policies import (
    PolicySource,
    SetPolicy,
    associate_policies,
    parse_percentage,
    set_policy,
)
from alliance.services.credits.statements import credit_statement, statement_csv

SYSTEM = Actor.system("cli")


@pytest.fixture
def world(uow_factory: Factory, clock: FixedClock) -> Factory:
    """Acme: 1,000.00 allocated, 250.00 earned on a public-sector deal expiring soon;
    one order delivered (250.00), one held (500.00), one cancelled."""
    seed(uow_factory)
    fund(uow_factory, "alloc-acme", "1000.00")
    fund(
        uow_factory,
        "public-deal",
        "250.00",
        tags=frozenset({"reward", PUBLIC_SECTOR_TAG}),
        expires_on=date(2025, 4, 30),
    )
    one = place_order(
        uow_factory(), actor("ada"), PlaceOrder(ACME, "training_voucher", 1, "a"), clock
    )
    deliver_order(uow_factory(), SYSTEM, one.order.id, clock)
    place_order(
        uow_factory(), actor("ada"), PlaceOrder(ACME, "co_marketing_campaign", 1, "b"), clock
    )
    three = place_order(
        uow_factory(), actor("carl"), PlaceOrder(ACME, "certification_exam", 1, "c"), clock
    )
    cancel_order(uow_factory(), actor("carl"), three.order.id, clock)
    return uow_factory


def test_the_principal_s_statement_has_available_held_spent_and_lots(
    world: Factory, clock: FixedClock
) -> None:
    """CRD-5: 1,250.00 accrued = 500.00 available + 500.00 held + 250.00 spent."""
    result = credit_statement(world(), actor("carl"), ACME, clock=clock)
    assert result.view is CreditView.FULL_STATEMENT and result.statement is not None
    s = result.statement
    assert (s.accrued, s.available, s.held, s.spent, s.expired) == (
        Decimal("1250.00"),
        Decimal("500.00"),
        Decimal("500.00"),
        Decimal("250.00"),
        Decimal("0.00"),
    )
    assert s.reconciles
    # The voucher took the public-sector lot (earliest expiry); the campaign kit refused it.
    public = next(lot for lot in s.lots if lot.public_sector)
    assert (public.spent, public.available, public.expires_on) == (
        Decimal("250.00"),
        Decimal("0.00"),
        date(2025, 4, 30),
    )
    assert s.public_sector_available == Decimal("0.00")
    assert sorted(o.status.value for o in s.orders) == ["cancelled", "delivered", "held"]
    assert {a.organization_id: a.usable for a in s.associates} == {IBERIA: None, NORTE: None}
    rows = list(csv.reader(io.StringIO(statement_csv(s))))
    assert rows[0][:2] == ["lot_id", "source"]
    assert rows[-1] == ["total", "", "", "", "", "1250.00", "500.00", "500.00", "250.00", "0.00"]
    assert len(rows) == 2 + len(s.lots)


def test_a_past_statement_is_reconstructed(world: Factory, clock: FixedClock) -> None:
    """X-4: as of 2025-01-09, before any lot, nothing was accrued; CRD-5: the day after
    the term ends, the allocation's 500.00 still in the wallet show as expired, the
    500.00 held by the campaign order stay held until it is delivered or cancelled."""
    before = credit_statement(world(), SYSTEM, ACME, clock=clock, as_of=date(2025, 1, 9))
    assert before.statement is not None and before.statement.accrued == Decimal("0.00")
    after = credit_statement(world(), SYSTEM, ACME, clock=clock, as_of=date(2026, 1, 10))
    s = after.statement
    assert s is not None
    assert (s.accrued, s.available, s.held, s.spent, s.expired) == (
        Decimal("1250.00"),
        Decimal("0.00"),
        Decimal("500.00"),
        Decimal("250.00"),
        Decimal("500.00"),
    )
    assert s.reconciles


def test_an_associate_sees_only_what_it_may_use_under_a_preapproved_policy(
    world: Factory, clock: FixedClock
) -> None:
    """CRD-5: 40 % of the principal's 500.00 available is 200.00 for Iberia's
    administrator; under approval required, Norte's credit manager sees nothing."""
    set_policy(
        world(),
        actor("ada"),
        SetPolicy(IBERIA, AssociatePolicy.PREAPPROVED_PERCENTAGE, Decimal("0.4")),
        clock,
    )
    set_policy(world(), actor("carl"), SetPolicy(NORTE, AssociatePolicy.APPROVAL_REQUIRED), clock)
    seen = credit_statement(world(), actor("ines"), IBERIA, clock=clock)
    assert seen.view is CreditView.USABLE_SHARE and seen.statement is None
    assert seen.share is not None and seen.share.usable == Decimal("200.00")
    assert "CRD-5" in seen.share.explanation
    with pytest.raises(AllianceError) as error:
        credit_statement(world(), actor("nico"), NORTE, clock=clock)
    assert error.value.rule == "CRD-5" and error.value.status == 403
    full = credit_statement(world(), actor("ada"), IBERIA, clock=clock)  # the principal's
    assert full.statement is not None
    shares = {a.organization_id: a.usable for a in full.statement.associates}
    assert shares == {IBERIA: Decimal("200.00"), NORTE: Decimal("500.00")}


def test_other_roles_and_other_companies_see_no_statement(
    world: Factory, clock: FixedClock
) -> None:
    with pytest.raises(AllianceError) as error:
        credit_statement(world(), actor("mia"), ACME, clock=clock)
    assert error.value.rule == "CRD-5"
    with pytest.raises(AllianceError) as error:
        credit_statement(world(), actor("gus"), ACME, clock=clock)
    assert error.value.rule == "X-6"
    other = credit_statement(world(), actor("gus"), GLOBEX, clock=clock)
    assert other.statement is not None and other.statement.accrued == Decimal("0.00")


def test_only_the_principal_sets_policies_and_each_change_is_audited(
    world: Factory, clock: FixedClock
) -> None:
    """CRD-2: an associate's administrator cannot set its own policy; the principal's
    credit manager can; the principal's default applies to associates without one."""
    with pytest.raises(AllianceError) as error:
        set_policy(
            world(),
            actor("ines"),
            SetPolicy(IBERIA, AssociatePolicy.PREAPPROVED_WHOLE_BALANCE),
            clock,
        )
    assert error.value.rule == "CRD-2" and error.value.status == 403
    with pytest.raises(AllianceError) as error:
        set_policy(
            world(), actor("gus"), SetPolicy(IBERIA, AssociatePolicy.APPROVAL_REQUIRED), clock
        )
    assert error.value.rule == "X-6"
    with pytest.raises(AllianceError) as error:
        set_policy(
            world(), actor("ada"), SetPolicy(IBERIA, AssociatePolicy.PREAPPROVED_PERCENTAGE), clock
        )
    assert error.value.rule == "CRD-2" and error.value.field == "percentage"
    set_policy(
        world(), actor("carl"), SetPolicy(ACME, AssociatePolicy.PREAPPROVED_WHOLE_BALANCE), clock
    )
    set_policy(
        world(), actor("ada"), SetPolicy(NORTE, AssociatePolicy.PREAPPROVED_OWN_EARNED), clock
    )
    policies = {p.organization_id: p for p in associate_policies(world(), actor("ines"), IBERIA)}
    assert policies[IBERIA].settings.policy is AssociatePolicy.PREAPPROVED_WHOLE_BALANCE
    assert policies[IBERIA].source == PolicySource.PRINCIPAL
    assert policies[NORTE].settings.policy is AssociatePolicy.PREAPPROVED_OWN_EARNED
    assert policies[NORTE].source == PolicySource.ASSOCIATE
    with world() as uow:
        records = uow.audit.search(entity_type="credit_policy")
    assert {r.entity_id for r in records} == {ACME, NORTE}


def test_percentages_are_fractions_or_percent_signs() -> None:
    assert parse_percentage("40%") == Decimal("0.4")
    assert parse_percentage("0.25") == Decimal("0.25")
    for bad in ("140%", "1.5", "-0.1", "lots"):
        with pytest.raises(AllianceError) as error:
            parse_percentage(bad)
        assert error.value.rule == "CRD-2"


def test_the_vendor_defines_catalogue_options(world: Factory, clock: FixedClock) -> None:
    """CRD-6: the flag is per option; a stored option replaces the built-in one."""
    ids = [o.id for o in catalog(world(), actor("ada"))]
    assert "expert_services_day" in ids and "training_voucher" in ids
    define_option(
        world(),
        SYSTEM,
        DefineOption("training_voucher", "Training voucher", Decimal("300.00"), True),
        clock,
    )
    voucher = next(o for o in catalog(world(), actor("ada")) if o.id == "training_voucher")
    assert voucher.unit_price == Decimal("300.00") and voucher.refuses_public_sector_credits
    with pytest.raises(AllianceError) as error:
        define_option(world(), actor("ada"), DefineOption("x", "X", Decimal("1")), clock)
    assert error.value.status == 403
