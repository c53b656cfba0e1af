"""Credit option orders (CRD-2, CRD-3, CRD-6): order, approve or reject, deliver, cancel.

An order is for ``quantity`` of a catalogue option, paid with the **principal's**
credits (OPN-3, CRD-1). Each use case runs in one unit of work — lock, check, then post
(STYLE 4): it locks the principal's credit book, reads its open lots, lets the domain
(:mod:`alliance.domain.credits.orders`) decide, applies the ledger command the domain
returns, records the order and its audit records, and commits.

Lifecycle (the program's ``credit_request`` workflow: *reserved → spent | released*)::

    pending_approval ──approve──→ held (reserved) ──deliver──→ delivered (spent)
          │                          └──────cancel──────→ cancelled (released)
          └──reject / cancel──→ cancelled (nothing was held)

* **Who orders (CRD-3, OPN-18):** partner administrators and partner credit managers
  only. An associate orders under its principal's policy (CRD-2,
  :mod:`.policies`): pre-approved up to a limit, or waiting for the principal's
  approval; under *principal orders only* the principal orders for it
  (``beneficiary_id``).
* **Holds (CRD-3):** an order's credits are held on the ledger — neither available nor
  spent — until delivery captures them or cancellation releases them. Keys:
  ``crd:hold:{order}``, ``crd:capture:{order}``, ``crd:release:{order}`` (X-5).
* **CRD-6:** an option flagged *not with public-sector credits* never takes lots tagged
  ``public_sector``.
* **Exactly once (X-5):** an order's request key is unique per ordering organisation:
  the same key with the same request returns the first order and moves nothing; with
  another request it is refused. Delivering a delivered order, cancelling a cancelled
  one or approving an approved one changes nothing either (``replayed``).
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, replace
from datetime import datetime
from decimal import Decimal

from alliance.domain import audit
from alliance.domain.access import Actor, ActorKind, sees_everything
from alliance.domain.clock import Clock
from alliance.domain.credits import (
    CREDITS,
    DEFAULT_WALLET,
    AssociateMayNotOrder,
    CatalogOption,
    CreditRequest,
    IllegalRequestTransition,
    NotCreditOrderer,
    RequestStatus,
    RequestStep,
    approve_request,
    cancel,
    deliver,
    reject_request,
    request_credit_option,
)
from alliance.domain.errors import Conflict, Forbidden, InvalidInput, NotFound
from alliance.domain.ids import OrganizationId
from alliance.domain.ledger import Book, Posting
from alliance.domain.ledger.postings import id_for
from alliance.domain.ledger.units import Unit
from alliance.domain.organizations import Hierarchy
from alliance.domain.people import Person
from alliance.services.credits.access import (
    acting_person,
    company_of,
    is_vendor_operator,
    may_use_credits,
    not_yours,
    person_of,
)
from alliance.services.credits.catalog import domain_option, entry
from alliance.services.credits.membership_gate import require_active_member
from alliance.services.credits.policies import effective_policy
from alliance.services.credits.ports import ApprovalRecord, CreditOrder
from alliance.services.ledger import posting_record
from alliance.services.ports import UnitOfWork

KEY_PATTERN = re.compile(r"[A-Za-z0-9._:-]{1,100}")
WALLET = DEFAULT_WALLET
MAX_QUANTITY = 1_000_000

#: The program's ``credit_request`` workflow names what the credits of an order are.
CREDIT_STATE = {
    RequestStatus.PENDING_APPROVAL: "awaiting_approval",
    RequestStatus.HELD: "reserved",
    RequestStatus.DELIVERED: "spent",
    RequestStatus.CANCELLED: "released",
}


@dataclass(frozen=True)
class PlaceOrder:
    """Order ``quantity`` of ``option_id`` for ``organization_id`` (the ordering one).

    ``beneficiary_id``: the organisation the option is for (default: the ordering one);
    a principal may order for its associates (CRD-2 (a)). ``by``: the person acting,
    when the system (CLI) orders (default: the organisation's first administrator or
    credit manager)."""

    organization_id: OrganizationId
    option_id: str
    quantity: int
    idempotency_key: str
    beneficiary_id: OrganizationId | None = None
    by: str | None = None


@dataclass(frozen=True)
class OrderResult:
    """The order after the step, whether the step had been taken before (X-5), the
    ledger posting it made (if any) and why it was decided so."""

    order: CreditOrder
    replayed: bool
    posting: Posting | None = None
    explanation: str = ""

    @property
    def credit_state(self) -> str:
        return CREDIT_STATE[self.order.status]

    @property
    def summary(self) -> str:
        o = self.order
        head = "already done: " if self.replayed else ""
        amount = f"{o.amount:,.2f} credits"
        tail = {
            RequestStatus.PENDING_APPROVAL: "waiting for the principal's approval (CRD-2); "
            "nothing is held yet",
            RequestStatus.HELD: f"{amount} reserved on {o.principal_id}'s balance until delivery "
            "(CRD-3)",
            RequestStatus.DELIVERED: f"{amount} spent (CRD-3)",
            RequestStatus.CANCELLED: "cancelled; "
            + (f"{amount} released (CRD-3)" if o.hold_id else "nothing was held"),
        }[o.status]
        return f"{head}order {o.id}: {o.quantity} × {o.option_name} = {amount} — {tail}"


def check_key(key: str) -> str:
    if not KEY_PATTERN.fullmatch(key):
        raise InvalidInput(
            "an idempotency key is 1 to 100 letters, digits or . _ : -",
            field="idempotency_key",
            rule="X-5",
        )
    return key


def order_id_for(organization_id: OrganizationId, key: str) -> str:
    """An order's id follows from its ordering organisation and request key (X-5)."""
    return id_for("cro", f"{organization_id}:{key}")


def place_order(uow: UnitOfWork, actor: Actor, command: PlaceOrder, clock: Clock) -> OrderResult:
    """CRD-2 / CRD-3 / CRD-6: a new order, held at once or waiting for approval."""
    key = check_key(command.idempotency_key)
    if not isinstance(command.quantity, int) or not 0 < command.quantity <= MAX_QUANTITY:
        raise InvalidInput(
            f"a quantity is a whole number from 1 to {MAX_QUANTITY:,}, got {command.quantity}",
            field="quantity",
            rule="CRD-3",
        )
    today, now = clock.today(), clock.now()
    with uow:
        hierarchy = company_of(uow, actor, command.organization_id)
        requester = acting_person(uow, actor, command.organization_id, email=command.by)
        org = command.organization_id
        principal = hierarchy.principal_of(org)
        beneficiary = _beneficiary(command, hierarchy, principal)
        option = entry(uow, command.option_id)
        amount = Unit.of(CREDITS).check(option.unit_price * command.quantity)
        request = _fingerprint(command, beneficiary, requester, option.unit_price)
        previous = _previous(uow, org, key, request)
        if previous is not None:
            return OrderResult(previous, True)
        if not may_use_credits(requester, org):
            raise NotCreditOrderer(
                f"{requester.name} is neither a partner administrator nor a partner credit "
                "manager (OPN-18); only they may request credit options"
            )
        require_active_member(uow, org, today)
        if beneficiary != org:
            require_active_member(uow, beneficiary, today)
        uow.credits.lock_wallet(principal, WALLET.id, WALLET.unit)
        previous = _previous(uow, org, key, request)  # a twin committed while we waited
        if previous is not None:
            return OrderResult(previous, True)
        policy = effective_policy(uow, org, hierarchy)
        lots = uow.ledger.open_lots(Book(principal, WALLET.id, WALLET.unit), today)
        order_id = order_id_for(org, key)
        try:
            step = request_credit_option(
                request_id=order_id,
                requester=requester,
                hierarchy=hierarchy,
                option=domain_option(option),
                amount=amount,
                settings=policy.settings,
                lots=lots,
                as_of=today,
                at=now,
                wallet=WALLET,
            )
        except AssociateMayNotOrder as refusal:
            raise AssociateMayNotOrder(
                f"{refusal}; the principal {principal} orders for it (beneficiary_id)"
            ) from None
        posting = _apply(uow, actor, step, principal)
        order = CreditOrder(
            id=order_id,
            idempotency_key=key,
            request=request,
            option_id=option.id,
            option_name=option.name,
            refuses_public_sector_credits=option.refuses_public_sector_credits,
            quantity=command.quantity,
            unit_price=option.unit_price,
            amount=amount,
            organization_id=org,
            beneficiary_id=beneficiary,
            principal_id=principal,
            requester_id=requester.id,
            status=step.request.status,
            policy=None if org == principal else policy.settings.policy,
            limit=step.decision.limit if step.decision else None,
            excluded_tags=step.request.excluded_tags,
            hold_id=posting.hold_id if posting is not None else None,
            ordered_on=today,
            created_at=now,
            updated_at=now,
        )
        uow.credits.add_order(order)
        uow.audit.append(
            audit.created(
                actor, "credit_order", order.id, order_record(order), now, organization_id=principal
            )
        )
        uow.commit()
    explanation = step.decision.reason.message if step.decision else ""
    return OrderResult(order, False, posting, f"{explanation} [CRD-2]" if explanation else "")


def approve_order(
    uow: UnitOfWork, actor: Actor, order_id: str, clock: Clock, *, by: str | None = None
) -> OrderResult:
    """CRD-2: the principal approves an associate's waiting order; its credits are held
    now, from the balance available now."""
    today, now = clock.today(), clock.now()
    with uow:
        order, hierarchy = _load(uow, actor, order_id, for_update=True)
        approver = _approver(uow, actor, order, by, "approve orders")
        previous = uow.credits.approval(order.id)
        if (
            previous is not None
            and previous.approved
            and order.status is not (RequestStatus.PENDING_APPROVAL)
        ):
            return OrderResult(order, True)
        if order.status is RequestStatus.PENDING_APPROVAL:
            require_active_member(uow, order.organization_id, today)
        uow.credits.lock_wallet(order.principal_id, WALLET.id, WALLET.unit)
        policy = effective_policy(uow, order.organization_id, hierarchy)
        lots = uow.ledger.open_lots(Book(order.principal_id, WALLET.id, WALLET.unit), today)
        step = approve_request(
            _request(order),
            approver=approver,
            settings=policy.settings,
            lots=lots,
            as_of=today,
            at=now,
            wallet=WALLET,
        )
        posting = _apply(uow, actor, step, order.principal_id)
        changed = replace(
            order,
            status=step.request.status,
            excluded_tags=step.request.excluded_tags,
            hold_id=posting.hold_id if posting is not None else None,
            limit=step.decision.limit if step.decision else order.limit,
            updated_at=now,
        )
        _save(uow, actor, order, changed, now, "approved")
        uow.credits.add_approval(ApprovalRecord(order.id, True, approver.email, now))
        uow.commit()
    return OrderResult(changed, False, posting)


def reject_order(
    uow: UnitOfWork,
    actor: Actor,
    order_id: str,
    clock: Clock,
    *,
    by: str | None = None,
    note: str = "",
) -> OrderResult:
    """CRD-2: the principal refuses an associate's waiting order; nothing was held."""
    now = clock.now()
    with uow:
        order, _ = _load(uow, actor, order_id, for_update=True)
        approver = _approver(uow, actor, order, by, "reject orders")
        previous = uow.credits.approval(order.id)
        if previous is not None and not previous.approved:
            return OrderResult(order, True)
        if order.status is not RequestStatus.PENDING_APPROVAL:
            raise IllegalRequestTransition(
                f"credit order {order.id} is {order.status.value}: only an order awaiting "
                "approval can be rejected (CRD-2); cancel it to release its credits"
            )
        step = reject_request(_request(order), approver=approver, at=now)
        changed = replace(
            order,
            status=step.request.status,
            updated_at=now,
            settled_at=now,
            settled_by=approver.email,
        )
        _save(uow, actor, order, changed, now, "rejected")
        uow.credits.add_approval(ApprovalRecord(order.id, False, approver.email, now, note))
        uow.commit()
    return OrderResult(changed, False)


def deliver_order(uow: UnitOfWork, actor: Actor, order_id: str, clock: Clock) -> OrderResult:
    """CRD-3: the vendor delivered the option; the held credits are spent (captured)."""
    now = clock.now()
    with uow:
        order, _ = _load(uow, actor, order_id, for_update=True)
        if not is_vendor_operator(actor):
            raise Forbidden(
                f"{actor.name} may not record a delivery: the vendor delivers credit options "
                "(the system, finance staff and program admins record it)",
                field="order_id",
                rule="CRD-3",
            )
        if order.status is RequestStatus.DELIVERED:
            return OrderResult(order, True)
        step = deliver(_request(order), actor=actor.name, at=now)
        posting = _apply(uow, actor, step, order.principal_id)
        changed = replace(
            order, status=step.request.status, updated_at=now, settled_at=now, settled_by=actor.name
        )
        _save(uow, actor, order, changed, now, "delivered")
        uow.commit()
    return OrderResult(changed, False, posting)


def cancel_order(
    uow: UnitOfWork, actor: Actor, order_id: str, clock: Clock, *, by: str | None = None
) -> OrderResult:
    """CRD-3: the order is cancelled; held credits go back to their lots (released).

    The ordering organisation's or the principal's administrators and credit managers,
    the system and the vendor's finance staff may cancel."""
    now = clock.now()
    with uow:
        order, _ = _load(uow, actor, order_id, for_update=True)
        who = _canceller(uow, actor, order, by)
        if order.status is RequestStatus.CANCELLED:
            return OrderResult(order, True)
        step = cancel(_request(order), actor=who, at=now)
        posting = _apply(uow, actor, step, order.principal_id)
        changed = replace(
            order, status=step.request.status, updated_at=now, settled_at=now, settled_by=who
        )
        _save(uow, actor, order, changed, now, "cancelled")
        uow.commit()
    return OrderResult(changed, False, posting)


def get_order(uow: UnitOfWork, actor: Actor, order_id: str) -> CreditOrder:
    """One order, for its company's people and vendor staff (X-6)."""
    with uow:
        order, _ = _load(uow, actor, order_id)
        return order


def list_orders(
    uow: UnitOfWork,
    actor: Actor,
    organization_id: OrganizationId,
    *,
    status: RequestStatus | None = None,
    limit: int = 100,
) -> list[CreditOrder]:
    """The orders on ``organization_id``'s principal's credits. The principal's people
    (and vendor staff) see every order of the company; an associate's people see their
    own organisation's orders (X-6)."""
    with uow:
        hierarchy = company_of(uow, actor, organization_id)
        principal = hierarchy.principal_of(organization_id)
        scope: list[OrganizationId] | None = None
        own = actor.organization_id
        if not sees_everything(actor) and own is not None and own != principal:
            scope = [own, *hierarchy.descendants(own)]
        elif organization_id != principal:
            scope = [organization_id]
        return uow.credits.orders(
            principal_id=principal, organization_ids=scope, status=status, limit=limit
        )


# -- helpers ----------------------------------------------------------------------------


def _beneficiary(
    command: PlaceOrder, hierarchy: Hierarchy, principal: OrganizationId
) -> OrganizationId:
    beneficiary = command.beneficiary_id or command.organization_id
    if beneficiary == command.organization_id:
        return beneficiary
    if beneficiary not in hierarchy.parents:
        raise not_yours("the beneficiary organisation", "beneficiary_id")
    if command.organization_id != principal:
        raise AssociateMayNotOrder(
            f"{command.organization_id} is an associate: it orders for itself only; its "
            f"principal {principal} orders for the other organisations of the company",
            field="beneficiary_id",
        )
    return beneficiary


def _previous(uow: UnitOfWork, org: OrganizationId, key: str, request: str) -> CreditOrder | None:
    previous = uow.credits.order_for_key(org, key)
    if previous is not None and previous.request != request:
        raise Conflict(
            f"idempotency key {key} was used for another credit order of {org}",
            field="idempotency_key",
            rule="X-5",
        )
    return previous


def _fingerprint(
    command: PlaceOrder, beneficiary: OrganizationId, requester: Person, price: Decimal
) -> str:
    text = "|".join(
        [
            command.organization_id,
            command.option_id,
            str(command.quantity),
            beneficiary,
            requester.id,
            format(price.normalize(), "f"),
        ]
    )
    return hashlib.sha256(text.encode()).hexdigest()


def _request(order: CreditOrder) -> CreditRequest:
    return CreditRequest(
        id=order.id,
        option=CatalogOption(
            order.option_id, order.option_name, order.refuses_public_sector_credits
        ),
        amount=order.amount,
        requester_id=order.requester_id,
        organization_id=order.organization_id,
        principal_id=order.principal_id,
        status=order.status,
        excluded_tags=order.excluded_tags,
    )


def _apply(
    uow: UnitOfWork, actor: Actor, step: RequestStep, principal: OrganizationId
) -> Posting | None:
    """Run the step's ledger command (X-5 key) and audit the posting (X-4)."""
    if step.command is None:
        return None
    applied = uow.ledger.apply(step.command)
    if not applied.replayed:
        uow.audit.append(
            audit.created(
                actor,
                "ledger_posting",
                applied.posting.id,
                posting_record(applied.posting),
                applied.posting.recorded_at,
                organization_id=principal,
            )
        )
    return applied.posting


def _save(
    uow: UnitOfWork,
    actor: Actor,
    old: CreditOrder,
    new: CreditOrder,
    at: datetime,
    action: str,
) -> None:
    uow.credits.update_order(new)
    uow.audit.append(
        audit.changed(
            actor,
            "credit_order",
            new.id,
            order_record(old),
            order_record(new),
            at,
            action=f"credit_order.{action}",
            organization_id=new.principal_id,
        )
    )


def _load(
    uow: UnitOfWork, actor: Actor, order_id: str, *, for_update: bool = False
) -> tuple[CreditOrder, Hierarchy]:
    """The order and its company, if ``actor`` may see it: its company's people (an
    associate's, only its own orders) and vendor staff; others are refused alike
    whether it exists or not (X-6)."""
    order = uow.credits.order(order_id, for_update=for_update)
    if order is None:
        if sees_everything(actor):
            raise NotFound(f"no credit order {order_id}", field="order_id")
        raise not_yours(f"credit order {order_id}", "order_id")
    hierarchy = uow.organizations.company_hierarchy(order.principal_id)
    if sees_everything(actor):
        return order, hierarchy
    own = actor.organization_id
    if actor.kind is not ActorKind.MEMBER or own is None or own not in hierarchy.parents:
        raise not_yours(f"credit order {order_id}", "order_id")
    visible = {order.principal_id} | {order.organization_id, order.beneficiary_id}
    if own not in visible:
        raise not_yours(f"credit order {order_id}", "order_id")
    return order, hierarchy


def _approver(
    uow: UnitOfWork, actor: Actor, order: CreditOrder, by: str | None, what: str
) -> Person:
    """CRD-2: a member approves as itself; the system for a person of the principal."""
    if actor.kind is ActorKind.MEMBER:
        return _member_person(uow, actor)
    return acting_person(uow, actor, order.principal_id, email=by, what=what)


def _member_person(uow: UnitOfWork, actor: Actor) -> Person:
    person = person_of(uow, actor)
    if person is None:
        raise not_yours("this order", "order_id")
    return person


def _canceller(uow: UnitOfWork, actor: Actor, order: CreditOrder, by: str | None) -> str:
    if actor.kind is ActorKind.MEMBER:
        person = _member_person(uow, actor)
        if may_use_credits(person, order.organization_id) or may_use_credits(
            person, order.principal_id
        ):
            return person.email
        raise NotCreditOrderer(
            f"{person.name} is neither a partner administrator nor a partner credit manager "
            "(OPN-18) of the ordering organisation or its principal; only they may cancel"
        )
    if is_vendor_operator(actor):
        return by or actor.name
    raise Forbidden(f"{actor.name} may not cancel credit orders", field="order_id", rule="CRD-3")


def order_record(order: CreditOrder) -> dict[str, object]:
    """An order as the audit journal keeps it (X-4)."""
    return {
        "option_id": order.option_id,
        "quantity": order.quantity,
        "amount": str(order.amount),
        "organization_id": order.organization_id,
        "beneficiary_id": order.beneficiary_id,
        "principal_id": order.principal_id,
        "requester_id": order.requester_id,
        "status": order.status.value,
        "credits": CREDIT_STATE[order.status],
        "policy": order.policy.value if order.policy else None,
        "limit": str(order.limit) if order.limit is not None else None,
        "excluded_tags": sorted(order.excluded_tags),
        "hold_id": order.hold_id,
        "idempotency_key": order.idempotency_key,
    }
