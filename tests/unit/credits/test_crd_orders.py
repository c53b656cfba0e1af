"""CRD-2 / CRD-3 / CRD-6: credit option requests, held until delivered or cancelled —
driven through the in-memory ledger."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from crd_builders import (
    ASSOC_A,
    ASSOC_ADMIN,
    HIERARCHY,
    NOW,
    PRINCIPAL,
    PRINCIPAL_ADMIN,
    PRINCIPAL_CREDITS,
    PRINCIPAL_MARKETING,
    TODAY,
    balances,
    earned,
    fund,
    ledger,
    lots,
    person,
)

from alliance.domain.credits import (
    AssociateLimitExceeded,
    AssociateMayNotOrder,
    AssociatePolicy,
    AssociateSettings,
    CatalogOption,
    CreditRequest,
    IllegalRequestTransition,
    NotCreditOrderer,
    NotPrincipalApprover,
    PublicSectorCreditsRefused,
    RequestStatus,
    RequestStep,
    approve_request,
    cancel,
    deliver,
    reject_request,
    request_credit_option,
)
from alliance.domain.ledger import (
    Capture,
    HoldStatus,
    InsufficientBalance,
    Ledger,
    PlaceHold,
    Release,
)
from alliance.domain.organizations import Hierarchy
from alliance.domain.people import PartnerRole, Person

TRAINING = CatalogOption("opt_training", "Unlimited training subscription")
CLOUD = CatalogOption("opt_cloud", "Cloud universal credits", refuses_public_sector_credits=True)
PRINCIPAL_ONLY = AssociateSettings(AssociatePolicy.PRINCIPAL_ONLY)
QUARTER = AssociateSettings(AssociatePolicy.PREAPPROVED_PERCENTAGE, Decimal("0.25"))
APPROVAL = AssociateSettings(AssociatePolicy.APPROVAL_REQUIRED)
OWN = AssociateSettings(AssociatePolicy.PREAPPROVED_OWN_EARNED)


def funded() -> Ledger:
    book = ledger()
    fund(book, "10000", key="alloc")
    return book


def request(
    book: Ledger,
    amount: str,
    *,
    by: Person = PRINCIPAL_ADMIN,
    option: CatalogOption = TRAINING,
    settings: AssociateSettings = PRINCIPAL_ONLY,
    request_id: str = "req_1",
    hierarchy: Hierarchy = HIERARCHY,
) -> RequestStep:
    return request_credit_option(
        request_id=request_id,
        requester=by,
        hierarchy=hierarchy,
        option=option,
        amount=Decimal(amount),
        settings=settings,
        lots=lots(book),
        as_of=TODAY,
        at=NOW,
    )


def run(book: Ledger, step: RequestStep) -> CreditRequest:
    assert step.command is not None
    book.execute(step.command)
    return step.request


def test_a_request_holds_the_credits_neither_available_nor_spent() -> None:
    book = funded()

    step = request(book, "3000")
    run(book, step)

    assert step.request.status is RequestStatus.HELD
    assert isinstance(step.command, PlaceHold)
    assert step.command.idempotency_key == "crd:hold:req_1"
    assert step.command.owner == PRINCIPAL
    assert (step.record.source, step.record.target, step.record.actor) == (
        RequestStatus.REQUESTED,
        RequestStatus.HELD,
        PRINCIPAL_ADMIN.id,
    )
    assert balances(book) == (Decimal("7000"), Decimal("3000"), Decimal(0))
    assert book.hold(step.request.hold_id).status is HoldStatus.PENDING


def test_delivery_captures_the_hold() -> None:
    book = funded()
    held = run(book, request(book, "3000"))

    step = deliver(held, actor="vendor:fulfilment", at=NOW)
    run(book, step)

    assert isinstance(step.command, Capture)
    assert step.command.idempotency_key == "crd:capture:req_1"
    assert step.request.status is RequestStatus.DELIVERED
    assert balances(book) == (Decimal("7000"), Decimal(0), Decimal("3000"))


def test_cancellation_releases_the_hold() -> None:
    book = funded()
    held = run(book, request(book, "3000"))

    step = cancel(held, actor=PRINCIPAL_ADMIN.id, at=NOW)
    run(book, step)

    assert isinstance(step.command, Release)
    assert step.command.idempotency_key == "crd:release:req_1"
    assert balances(book) == (Decimal("10000"), Decimal(0), Decimal(0))


def test_a_settled_request_cannot_move_again() -> None:
    book = funded()
    delivered = run(book, deliver(run(book, request(book, "10")), actor="vendor", at=NOW))

    with pytest.raises(IllegalRequestTransition) as refused:
        cancel(delivered, actor="vendor", at=NOW)
    assert refused.value.rule == "CRD-3"
    with pytest.raises(IllegalRequestTransition):
        deliver(delivered, actor="vendor", at=NOW)


@pytest.mark.parametrize("requester", [PRINCIPAL_ADMIN, PRINCIPAL_CREDITS])
def test_administrators_and_credit_managers_may_order(requester: Person) -> None:
    assert request(funded(), "100", by=requester).request.status is RequestStatus.HELD


@pytest.mark.parametrize(
    "role",
    [PartnerRole.MARKETING_CONTACT, PartnerRole.ENGAGEMENT_USER, PartnerRole.KEY_EXECUTIVE],
)
def test_only_administrators_and_credit_managers_may_order(role: PartnerRole) -> None:
    with pytest.raises(NotCreditOrderer) as refused:
        request(funded(), "100", by=person("Someone Else", PRINCIPAL, role))

    assert (refused.value.rule, refused.value.status) == ("CRD-3", 403)


def test_a_marketing_contact_is_refused_before_anything_is_held() -> None:
    book = funded()

    with pytest.raises(NotCreditOrderer):
        request(book, "100", by=PRINCIPAL_MARKETING)

    assert balances(book) == (Decimal("10000"), Decimal(0), Decimal(0))


def test_an_associate_cannot_order_when_the_principal_orders_for_it() -> None:
    with pytest.raises(AssociateMayNotOrder) as refused:
        request(funded(), "100", by=ASSOC_ADMIN, settings=PRINCIPAL_ONLY)

    assert refused.value.rule == "CRD-2"


def test_an_associate_preapproved_for_25_percent_may_hold_2500_of_10000() -> None:
    book = funded()

    step = request(book, "2500.00", by=ASSOC_ADMIN, settings=QUARTER)
    run(book, step)

    assert step.decision is not None and step.decision.limit == Decimal("2500.00")
    assert step.request.organization_id == ASSOC_A
    assert balances(book) == (Decimal("7500"), Decimal("2500"), Decimal(0))
    with pytest.raises(AssociateLimitExceeded) as refused:
        request(book, "1875.01", by=ASSOC_ADMIN, settings=QUARTER, request_id="req_2")
    assert "1,875.00 CREDITS allowed" in refused.value.message  # 25 % of 7,500 now


def test_approval_required_waits_for_the_principal_then_holds() -> None:
    book = funded()
    waiting = request(book, "6000", by=ASSOC_ADMIN, settings=APPROVAL)
    assert waiting.request.status is RequestStatus.PENDING_APPROVAL
    assert waiting.command is None

    with pytest.raises(NotPrincipalApprover):
        approve_request(
            waiting.request,
            approver=ASSOC_ADMIN,
            settings=APPROVAL,
            lots=lots(book),
            as_of=TODAY,
            at=NOW,
        )
    approved = approve_request(
        waiting.request,
        approver=PRINCIPAL_CREDITS,
        settings=APPROVAL,
        lots=lots(book),
        as_of=TODAY,
        at=NOW,
    )
    run(book, approved)

    assert approved.request.status is RequestStatus.HELD
    assert approved.record.actor == PRINCIPAL_CREDITS.id
    assert balances(book) == (Decimal("4000"), Decimal("6000"), Decimal(0))


def test_a_rejected_request_holds_nothing() -> None:
    book = funded()
    waiting = request(book, "6000", by=ASSOC_ADMIN, settings=APPROVAL)

    rejected = reject_request(waiting.request, approver=PRINCIPAL_ADMIN, at=NOW)

    assert (rejected.request.status, rejected.command) == (RequestStatus.CANCELLED, None)


def test_own_earnings_hold_only_the_associates_own_lots() -> None:
    book = funded()
    mine = fund(book, "1200", key="rwd:eng_a:1", tags=earned(ASSOC_A), expires_on=date(2026, 6, 30))
    fund(book, "800", key="rwd:eng_p:1", tags=earned(PRINCIPAL), expires_on=date(2025, 6, 30))

    step = request(book, "1200", by=ASSOC_ADMIN, settings=OWN)
    run(book, step)

    hold = book.hold(step.request.hold_id)
    assert hold.lots == ((mine, Decimal("1200")),)
    with pytest.raises(AssociateLimitExceeded):
        request(book, "0.01", by=ASSOC_ADMIN, settings=OWN, request_id="req_2")


def test_public_sector_credits_are_refused_for_a_flagged_option() -> None:
    book = ledger()
    fund(book, "1000", key="alloc")
    fund(book, "5000", key="rwd:eng_p:1", tags=earned(PRINCIPAL, public=True))

    with pytest.raises(PublicSectorCreditsRefused) as refused:
        request(book, "3000", option=CLOUD)

    assert refused.value.rule == "CRD-6"
    assert "1,000.00 CREDITS of other credits are available" in refused.value.message
    assert request(book, "3000", option=TRAINING).request.status is RequestStatus.HELD


def test_a_flagged_option_holds_around_public_sector_lots_even_when_they_expire_first() -> None:
    book = ledger()
    allocation = fund(book, "1000", key="alloc", expires_on=date(2026, 1, 14))
    fund(
        book, "5000", key="rwd:p", tags=earned(PRINCIPAL, public=True), expires_on=date(2025, 6, 30)
    )

    step = request(book, "800", option=CLOUD)
    run(book, step)

    assert step.request.excluded_tags == {"public_sector"}
    assert book.hold(step.request.hold_id).lots == ((allocation, Decimal("800")),)


def test_a_request_above_the_balance_is_refused_with_crd_3() -> None:
    with pytest.raises(InsufficientBalance) as refused:
        request(funded(), "10000.01")

    assert refused.value.rule == "CRD-3"


def test_replaying_the_hold_command_holds_once() -> None:
    book = funded()
    step = request(book, "3000")

    run(book, step)
    run(book, step)

    assert balances(book) == (Decimal("7000"), Decimal("3000"), Decimal(0))
