"""A membership: a subscription at a level for a term, and its lifecycle as a data table.

Statuses and the allowed moves (:data:`MOVES`; anything else is :class:`IllegalTransition`):

* ``pending_payment → active`` — full payment received before activation (OPN-6);
  ``pending_payment → cancelled`` — never paid, or withdrawn;
* ``active → expired`` — the end date passed without renewal (OPN-15);
  ``active → cancelled`` — terminated;
* ``expired → active`` — renewed less than a year after the end date (OPN-15);
  ``expired → lapsed`` — more than a year, or the renewal was declined: enrol anew.

A membership with a plan paid *from* activation (quarterly, OPN-6) starts ``active``.
Dates are whole days (X-2): a membership is active from ``term.start`` to ``term.end``,
both included; it expires the day after its end date (« après la date de fin »). An
associate's level and end date are its principal's (OPN-8): see :func:`follow_principal`.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from enum import StrEnum
from typing import NewType

from alliance.domain.calendar import add_years
from alliance.domain.errors import InvalidInput
from alliance.domain.ids import OrganizationId, new_id
from alliance.domain.membership.errors import PaymentOutstanding, PrincipalNotActive
from alliance.domain.membership.legacy import TransitionEffect
from alliance.domain.membership.lifecycle import require_move
from alliance.domain.membership.terms import MembershipTerms, PaymentChoice
from alliance.domain.money import Money
from alliance.domain.organizations import EntityRole

SubscriptionId = NewType("SubscriptionId", str)


def new_subscription_id() -> SubscriptionId:
    """A new subscription id such as ``sub_5f0c2b9a41d3e8a7c6b1`` (quoted on payment, OPN-7)."""
    return SubscriptionId(new_id("sub"))


class MembershipStatus(StrEnum):
    PENDING_PAYMENT = "pending_payment"
    ACTIVE = "active"
    EXPIRED = "expired"
    LAPSED = "lapsed"  # OPN-15: enrol anew
    CANCELLED = "cancelled"


_M = MembershipStatus
MOVES: frozenset[tuple[MembershipStatus, MembershipStatus]] = frozenset(
    {
        (_M.PENDING_PAYMENT, _M.ACTIVE),  # OPN-6: paid in full before activation
        (_M.PENDING_PAYMENT, _M.CANCELLED),
        (_M.ACTIVE, _M.EXPIRED),  # OPN-15: end date passed without renewal
        (_M.ACTIVE, _M.CANCELLED),
        (_M.EXPIRED, _M.ACTIVE),  # OPN-15: renewed less than a year after the end date
        (_M.EXPIRED, _M.LAPSED),  # OPN-15: more than a year, or renewal declined
    }
)
"""The membership lifecycle: every allowed (from, to) move; nothing else is legal."""

#: Statuses in which a membership has dates.
DATED = frozenset({_M.ACTIVE, _M.EXPIRED, _M.LAPSED})


class RenewalStatus(StrEnum):
    REQUESTED = "requested"
    APPROVED = "approved"
    DECLINED = "declined"  # OPN-15: requested but not paid


RENEWAL_MOVES: frozenset[tuple[RenewalStatus, RenewalStatus]] = frozenset(
    {
        (RenewalStatus.REQUESTED, RenewalStatus.APPROVED),  # OPN-14: « soumis et approuvé »
        (RenewalStatus.REQUESTED, RenewalStatus.DECLINED),  # OPN-15
    }
)
"""The renewal lifecycle: a requested renewal is approved or declined, once."""


@dataclass(frozen=True)
class Term:
    """The days a membership covers, ``start`` and ``end`` both included (X-2)."""

    start: date
    end: date

    def __post_init__(self) -> None:
        if self.end < self.start:
            raise InvalidInput(
                f"a term ends ({self.end}) before it starts ({self.start})", field="end", rule="X-2"
            )

    def contains(self, day: date) -> bool:
        return self.start <= day <= self.end

    @classmethod
    def starting(cls, start: date, terms: MembershipTerms) -> Term:
        """OPN-14: a term of ``terms.term_years`` from ``start`` (29 February → 28 February)."""
        return cls(start, add_years(start, terms.term_years))


@dataclass(frozen=True)
class TrackMembership:
    """An optional track joined on a day; it ends with the membership (OPN-12)."""

    track: str
    joined_on: date


@dataclass(frozen=True)
class Renewal:
    """A renewal request (OPN-14) with what it renews to; ``term`` once approved, and the
    transition effects recorded on approval (OPN-16)."""

    requested_on: date
    level: str
    payment: PaymentChoice | None = None
    tracks: tuple[str, ...] = ()
    status: RenewalStatus = RenewalStatus.REQUESTED
    decided_on: date | None = None
    term: Term | None = None
    effects: tuple[TransitionEffect, ...] = ()


@dataclass(frozen=True)
class Membership:
    """A company's subscription to the program at a level (OPN-4), for a term (OPN-14).

    ``principal`` links an associate to its principal's subscription (OPN-1, OPN-8);
    ``term`` is ``None`` until activation.
    """

    subscription_id: SubscriptionId
    organization_id: OrganizationId
    member_type: EntityRole
    level: str
    status: MembershipStatus
    subscribed_on: date
    payment: PaymentChoice | None = None
    term: Term | None = None
    principal: SubscriptionId | None = None
    tracks: tuple[TrackMembership, ...] = ()
    renewal: Renewal | None = None

    def __post_init__(self) -> None:
        if (self.member_type is EntityRole.ASSOCIATE) != (self.principal is not None):
            raise InvalidInput(
                "an associate names its principal's subscription, and only an associate does",
                field="principal",
                rule="OPN-1",
            )
        if self.status in DATED and self.term is None:
            raise InvalidInput(
                f"a {self.status.value} membership has a term", field="term", rule="OPN-14"
            )
        if self.status is _M.PENDING_PAYMENT and self.term is not None:
            raise InvalidInput(
                "a membership awaiting payment has no term until activation",
                field="term",
                rule="OPN-6",
            )

    @property
    def end(self) -> date | None:
        return self.term.end if self.term else None

    @property
    def is_associate(self) -> bool:
        return self.member_type is EntityRole.ASSOCIATE

    def is_active_on(self, day: date) -> bool:
        """OPN-11 / OPN-15: active status and ``day`` within the term."""
        return self.status is _M.ACTIVE and self.term is not None and self.term.contains(day)

    def as_record(self) -> dict[str, object]:
        """The audited fields (X-4), JSON-ready."""
        return {
            "subscription_id": self.subscription_id,
            "level": self.level,
            "status": self.status.value,
            "start": self.term.start.isoformat() if self.term else None,
            "end": self.term.end.isoformat() if self.term else None,
            "tracks": [t.track for t in self.tracks],
            "renewal": self.renewal.status.value if self.renewal else None,
        }


def transition(membership: Membership, to: MembershipStatus, **changes: object) -> Membership:
    """The one way a membership changes status: refused unless ``(from, to)`` is in
    :data:`MOVES`. ``changes`` are the other fields the move sets (dates, level…)."""
    require_move(MOVES, membership.status, to, entity="membership", rule=_RULES.get(to, "OPN-15"))
    return replace(membership, status=to, **changes)  # type: ignore[arg-type]


_RULES = {_M.ACTIVE: "OPN-11", _M.EXPIRED: "OPN-15", _M.LAPSED: "OPN-15", _M.CANCELLED: "OPN-14"}


def activate(
    membership: Membership,
    paid: Money,
    terms: MembershipTerms,
    today: date,
    *,
    principal: Membership | None = None,
) -> Membership:
    """OPN-6 / OPN-11: activate a membership paid in full before activation; the term
    starts today (an associate's ends on its principal's end date, OPN-8)."""
    fee = terms.level(membership.level).fee
    if paid < fee:
        raise PaymentOutstanding(
            f"{paid} received of the {fee} fee; full payment comes before activation"
        )
    term = first_term(membership, terms, today, principal)
    if principal is not None and membership.is_associate:  # OPN-13: the principal's tracks
        return transition(membership, _M.ACTIVE, term=term, tracks=principal.tracks)
    return transition(membership, _M.ACTIVE, term=term)


def first_term(
    membership: Membership, terms: MembershipTerms, today: date, principal: Membership | None
) -> Term:
    """OPN-14 / OPN-8: a principal's first term is a year from activation; an associate's
    runs from activation to its principal's end date."""
    if not membership.is_associate:
        return Term.starting(today, terms)
    return Term(today, inherited_end(membership, principal, today))


def inherited_end(associate: Membership, principal: Membership | None, today: date) -> date:
    """OPN-8: the associate's end date is its principal's — refused unless the principal's
    membership is active today (OPN-2)."""
    if principal is None or principal.subscription_id != associate.principal:
        raise InvalidInput(
            f"the principal's membership {associate.principal} is needed",
            field="principal",
            rule="OPN-8",
        )
    if principal.term is None or not principal.is_active_on(today):
        raise PrincipalNotActive(
            f"the principal's membership {principal.subscription_id} is {principal.status.value}"
            f" on {today}; an associate needs an active principal"
        )
    return principal.term.end


def follow_principal(associate: Membership, principal: Membership, today: date) -> Membership:
    """OPN-8 / OPN-13: an associate has its principal's level, end date and tracks.

    An active associate takes them over; when the principal is no longer active the
    associate expires with it; an expired associate comes back with its principal's new
    dates when the principal renews (it is bound by the principal's agreement, OPN-2).
    """
    if associate.principal != principal.subscription_id:
        raise InvalidInput(
            f"{associate.subscription_id} is not an associate of {principal.subscription_id}",
            field="principal",
            rule="OPN-8",
        )
    if associate.status not in {_M.ACTIVE, _M.EXPIRED} or associate.term is None:
        return associate
    if not principal.is_active_on(today) or principal.term is None:
        if associate.status is _M.ACTIVE:
            return transition(associate, _M.EXPIRED)
        return associate
    tracks = tuple(TrackMembership(t.track, t.joined_on) for t in principal.tracks)
    if associate.status is _M.EXPIRED:
        return transition(
            associate, _M.ACTIVE, level=principal.level, term=principal.term, tracks=tracks
        )
    term = Term(associate.term.start, principal.term.end)
    return replace(associate, level=principal.level, term=term, tracks=tracks)


@dataclass(frozen=True)
class Standing:
    """What a membership gives on a day, and why (X-3)."""

    active: bool
    benefits: bool  # OPN-11: benefits and credits only while active
    engagements: bool  # CCE-1: the engagements tool, levels 1–3
    expertise_valid: bool  # OPN-15 / OPN-17
    tracks: tuple[str, ...]
    reason: str
    rule: str


def standing_on(membership: Membership, terms: MembershipTerms, day: date) -> Standing:
    """OPN-11 / OPN-15: benefits, engagement access, expertise validity and tracks exist
    only while the membership is active; expiry stops them all."""
    if not membership.is_active_on(day):
        when = f"ended {membership.end}" if membership.end and membership.end < day else ""
        status = membership.status.value
        rule = "OPN-11" if membership.status is _M.PENDING_PAYMENT else "OPN-15"
        reason = f"membership is {status}{' (' + when + ')' if when else ''} on {day}"
        return Standing(False, False, False, False, (), reason, rule)
    rank = terms.rank_of(membership.level)
    return Standing(
        active=True,
        benefits=True,
        engagements=rank >= terms.engagements_min_rank,
        expertise_valid=rank >= terms.expertise_min_rank,
        tracks=tuple(t.track for t in membership.tracks),
        reason=f"active at {membership.level} until {membership.end}",
        rule="OPN-11",
    )
