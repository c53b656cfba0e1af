"""From a submitted application to a membership, and its fee invoice (OPN-2, OPN-6, OPN-7).

How a membership starts depends on when its fee is due, a table keyed by the timing
(:data:`INITIAL_STATUS`): paid in full *before* activation, it waits in
``pending_payment`` (benefits come after payment, OPN-6); paid in instalments *from*
activation, it is active at subscription. An associate's application must first be
approved by its principal's administrator (OPN-2); its end date is its principal's (OPN-8).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from types import MappingProxyType

from alliance.domain.errors import InvalidInput
from alliance.domain.membership.application import (
    ApplicationKind,
    ApplicationStatus,
    EnrolmentApplication,
)
from alliance.domain.membership.errors import ApplicationIncomplete, AssociateNeedsApproval
from alliance.domain.membership.membership import (
    Membership,
    MembershipStatus,
    SubscriptionId,
    TrackMembership,
    first_term,
    transition,
)
from alliance.domain.membership.payments import Invoice, fee_invoice, payment_option
from alliance.domain.membership.terms import MembershipTerms, PaymentTiming
from alliance.domain.organizations import EntityRole

INITIAL_STATUS: Mapping[PaymentTiming, MembershipStatus] = MappingProxyType(
    {
        PaymentTiming.BEFORE_ACTIVATION: MembershipStatus.PENDING_PAYMENT,  # OPN-6
        PaymentTiming.FROM_ACTIVATION: MembershipStatus.ACTIVE,  # OPN-6
    }
)
"""OPN-6: the status a new membership starts in, by when its fee is due."""


def subscribe(
    application: EnrolmentApplication,
    subscription_id: SubscriptionId,
    terms: MembershipTerms,
    today: date,
    *,
    principal: Membership | None = None,
) -> Membership:
    """The membership an accepted application creates (OPN-6, OPN-8, OPN-12)."""
    partnership = application.partnership
    if application.kind is not ApplicationKind.ENROLMENT or partnership is None:
        raise InvalidInput(
            "a membership is created from an enrolment application; a renewal renews",
            field="kind",
            rule="OPN-9",
        )
    _require_accepted(application, terms)
    level = terms.level(partnership.level or "")
    payment = application.payment
    timing = PaymentTiming.BEFORE_ACTIVATION
    if payment is not None:
        timing = payment_option(level, application.billing_country, payment).timing
    associate = partnership.member_type is EntityRole.ASSOCIATE
    tracks: tuple[TrackMembership, ...] = ()
    if associate and principal is not None:
        tracks = principal.tracks  # OPN-13: the principal's tracks
    elif not associate:
        tracks = tuple(TrackMembership(t, today) for t in application.tracks)
    membership = Membership(
        subscription_id=subscription_id,
        organization_id=application.organization_id,
        member_type=partnership.member_type,
        level=level.id,
        status=MembershipStatus.PENDING_PAYMENT,
        subscribed_on=today,
        payment=payment,
        principal=partnership.principal_subscription,
        tracks=tracks,
    )
    if INITIAL_STATUS[timing] is MembershipStatus.ACTIVE:
        term = first_term(membership, terms, today, principal)
        return transition(membership, MembershipStatus.ACTIVE, term=term)
    return membership


def _require_accepted(application: EnrolmentApplication, terms: MembershipTerms) -> None:
    status = application.status
    if application.member_type is EntityRole.ASSOCIATE and terms.approval_by_parent:
        if status is not ApplicationStatus.APPROVED:
            raise AssociateNeedsApproval(
                f"the associate's application is {status.value}; its principal's partner "
                "administrator approves it before it is activated"
            )
        return
    if status is not ApplicationStatus.SUBMITTED:
        raise ApplicationIncomplete(
            f"the application is {status.value}; it is submitted before it subscribes",
            field="status",
        )


def subscription_invoice(
    membership: Membership,
    terms: MembershipTerms,
    country: str | None,
    *,
    delay: int | None = None,
) -> Invoice:
    """OPN-6 / OPN-7: the fee invoice of a new subscription, issued ``delay`` business days
    after it (default: the program's shortest delay), instalments from activation."""
    if membership.payment is None:
        raise InvalidInput("the membership has no payment choice", field="payment", rule="OPN-5")
    level = terms.level(membership.level)
    option = payment_option(level, country, membership.payment)
    activated = membership.term.start if membership.term else None
    return fee_invoice(
        membership.subscription_id,
        level,
        option,
        terms,
        membership.subscribed_on,
        activated_on=activated,
        delay=delay,
    )
