"""Renewal and expiry (OPN-14, OPN-15, OPN-16).

* The renewal window opens exactly ``renewal_window_days`` (90) days before the end date:
  on day 90 before it, renewal is open; on day 91 before it, not yet.
* A renewal is requested (a renewal application, submitted), then approved or declined.
  Approved, it activates on the renewal date — the old end date — with new dates (the
  seed: « Une fois soumis et approuvé, votre partenariat renouvelé s'activera à la date
  du renouvellement »). A renewal requested after the end date starts on its approval.
* After the end date without renewal the membership expires: benefits, engagement access
  and expertise stop (:func:`~.membership.standing_on`). Up to ``late_renewal_years``
  (one year, the anniversary day included: « jusqu'à 1 an après la date de fin ») it
  may still renew; later, or once a renewal was declined (requested but not paid), the
  partner must enrol anew (:class:`MustEnrolAnew`).
* An associate does not renew on its own: it follows its principal (OPN-8).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from enum import StrEnum

from alliance.domain.calendar import add_years, days_before
from alliance.domain.errors import InvalidInput
from alliance.domain.ids import PersonId
from alliance.domain.membership.application import (
    ApplicationId,
    ApplicationKind,
    ApplicationStatus,
    EnrolmentApplication,
    start_application,
)
from alliance.domain.membership.errors import (
    AssociateFollowsPrincipal,
    MembershipNotActive,
    MustEnrolAnew,
    RenewalAlreadyRequested,
    RenewalWindowNotOpen,
)
from alliance.domain.membership.legacy import LegacyHoldings, transition_effects
from alliance.domain.membership.lifecycle import require_move
from alliance.domain.membership.membership import (
    RENEWAL_MOVES,
    Membership,
    MembershipStatus,
    Renewal,
    RenewalStatus,
    Term,
    TrackMembership,
    transition,
)
from alliance.domain.membership.terms import MembershipTerms


def renewal_window_opens(end: date, terms: MembershipTerms) -> date:
    """OPN-14: the first day of the renewal window, ``window_days`` before ``end``."""
    return days_before(end, terms.renewal_window_days)


def late_renewal_until(end: date, terms: MembershipTerms) -> date | None:
    """OPN-15: the last day an expired membership may renew (calendar years after ``end``;
    29 February → 28 February); ``None`` when the program allows no late renewal."""
    years = terms.late_renewal_years
    return None if years is None else add_years(end, years)


class RenewalRoute(StrEnum):
    """What a member may do about renewal on a given day."""

    NOT_YET_OPEN = "not_yet_open"  # OPN-14: before the window
    OPEN = "open"  # OPN-14: inside the window
    LATE = "late"  # OPN-15: expired less than a year ago
    IN_PROGRESS = "in_progress"  # a renewal is requested or approved, not started yet
    ENROL_ANEW = "enrol_anew"  # OPN-15: declined, or expired more than a year ago
    NOT_RENEWABLE = "not_renewable"  # never activated, cancelled, or an associate


@dataclass(frozen=True)
class RenewalOption:
    """The route on a day, with its reason and rule (X-3)."""

    route: RenewalRoute
    reason: str
    rule: str

    @property
    def renewable(self) -> bool:
        return self.route in {RenewalRoute.OPEN, RenewalRoute.LATE}


def renewal_option(membership: Membership, today: date, terms: MembershipTerms) -> RenewalOption:
    """OPN-14 / OPN-15: whether ``membership`` may renew ``today``, and why."""
    route, term, renewal = RenewalRoute, membership.term, membership.renewal
    if membership.is_associate:
        return RenewalOption(route.NOT_RENEWABLE, "an associate follows its principal", "OPN-8")
    if term is None or membership.status in {MembershipStatus.CANCELLED}:
        return RenewalOption(
            route.NOT_RENEWABLE, f"the membership is {membership.status.value}", "OPN-14"
        )
    if renewal is not None and renewal.status is RenewalStatus.DECLINED:
        return RenewalOption(
            route.ENROL_ANEW, f"the renewal was declined on {renewal.decided_on}", "OPN-15"
        )
    if membership.status is MembershipStatus.LAPSED:
        return RenewalOption(route.ENROL_ANEW, "the membership has lapsed", "OPN-15")
    if renewal is not None and renewal.term != term:
        return RenewalOption(
            route.IN_PROGRESS,
            f"a renewal is {renewal.status.value} since {renewal.requested_on}",
            "OPN-14",
        )
    if today <= term.end:
        opens = renewal_window_opens(term.end, terms)
        if today < opens:
            return RenewalOption(
                route.NOT_YET_OPEN,
                f"the renewal window opens on {opens}, {terms.renewal_window_days} days before "
                f"the end date {term.end}",
                "OPN-14",
            )
        return RenewalOption(route.OPEN, f"the renewal window is open until {term.end}", "OPN-14")
    until = late_renewal_until(term.end, terms)
    if until is None or today > until:
        return RenewalOption(
            route.ENROL_ANEW,
            f"expired on {term.end}, more than {terms.late_renewal_years} year(s) ago",
            "OPN-15",
        )
    return RenewalOption(route.LATE, f"expired on {term.end}; may renew until {until}", "OPN-15")


def may_renew(membership: Membership, today: date, terms: MembershipTerms) -> bool:
    return renewal_option(membership, today, terms).renewable


_REFUSALS = {
    RenewalRoute.NOT_YET_OPEN: RenewalWindowNotOpen,
    RenewalRoute.ENROL_ANEW: MustEnrolAnew,
    RenewalRoute.IN_PROGRESS: RenewalAlreadyRequested,
}


def require_renewable(membership: Membership, today: date, terms: MembershipTerms) -> RenewalOption:
    """The renewal route, or the refusal naming the rule (OPN-14, OPN-15, OPN-8)."""
    option = renewal_option(membership, today, terms)
    if option.renewable:
        return option
    if membership.is_associate:
        raise AssociateFollowsPrincipal(f"cannot renew: {option.reason}")
    refusal = _REFUSALS.get(option.route, MembershipNotActive)
    raise refusal(f"cannot renew: {option.reason}", rule=option.rule)


def start_renewal(
    membership: Membership,
    applicant: PersonId,
    country: str,
    today: date,
    terms: MembershipTerms,
    *,
    application_id: ApplicationId | None = None,
) -> EnrolmentApplication:
    """A renewal application, if the membership may renew today (OPN-14, OPN-15)."""
    require_renewable(membership, today, terms)
    return start_application(
        membership.organization_id,
        applicant,
        country,
        today,
        kind=ApplicationKind.RENEWAL,
        renewing=membership.subscription_id,
        application_id=application_id,
    )


def request_renewal(
    membership: Membership,
    application: EnrolmentApplication,
    terms: MembershipTerms,
    today: date,
) -> Membership:
    """OPN-14: record a submitted renewal application; it waits for approval."""
    if (
        application.kind is not ApplicationKind.RENEWAL
        or application.renewing != membership.subscription_id
    ):
        raise InvalidInput(
            f"application {application.id} does not renew {membership.subscription_id}",
            field="renewing",
            rule="OPN-14",
        )
    if application.status is not ApplicationStatus.SUBMITTED or application.level is None:
        raise InvalidInput(
            f"the renewal application is {application.status.value}; submit it first",
            field="status",
            rule="OPN-9",
        )
    require_renewable(membership, today, terms)
    renewal = Renewal(today, application.level, application.payment, application.tracks)
    return replace(membership, renewal=renewal)


def approve_renewal(
    membership: Membership,
    terms: MembershipTerms,
    today: date,
    *,
    legacy: LegacyHoldings | None = None,
) -> Membership:
    """OPN-14: approve the requested renewal. Requested by the end date, the new term
    starts on the old end date; requested later (OPN-15), on approval. Transition effects
    from a legacy program are recorded on the renewal (OPN-16)."""
    renewal, term = _requested(membership)
    require_move(
        RENEWAL_MOVES, renewal.status, RenewalStatus.APPROVED, entity="renewal", rule="OPN-14"
    )
    start = term.end if renewal.requested_on <= term.end else today
    effects = transition_effects(legacy, term.end) if legacy is not None else ()
    approved = replace(
        renewal,
        status=RenewalStatus.APPROVED,
        decided_on=today,
        term=Term.starting(start, terms),
        effects=effects,
    )
    return roll_over_if_due(replace(membership, renewal=approved), today, terms)


def decline_renewal(membership: Membership, terms: MembershipTerms, today: date) -> Membership:
    """OPN-15: a renewal requested but not paid is declined; the partner must enrol anew."""
    renewal, _ = _requested(membership)
    require_move(
        RENEWAL_MOVES, renewal.status, RenewalStatus.DECLINED, entity="renewal", rule="OPN-15"
    )
    declined = replace(
        membership, renewal=replace(renewal, status=RenewalStatus.DECLINED, decided_on=today)
    )
    if declined.status is MembershipStatus.EXPIRED:
        return transition(declined, MembershipStatus.LAPSED)
    return declined


def _requested(membership: Membership) -> tuple[Renewal, Term]:
    if membership.renewal is None or membership.term is None:
        raise InvalidInput(
            f"{membership.subscription_id} has no renewal requested", field="renewal", rule="OPN-14"
        )
    return membership.renewal, membership.term


def roll_over_if_due(membership: Membership, today: date, terms: MembershipTerms) -> Membership:
    """OPN-14: from its start date, an approved renewal's term, level and tracks replace
    the old ones; an expired membership comes back (OPN-15). Otherwise unchanged."""
    renewal = membership.renewal
    if (
        renewal is None
        or renewal.status is not RenewalStatus.APPROVED
        or renewal.term is None
        or renewal.term == membership.term
        or today < renewal.term.start
        or membership.status not in {MembershipStatus.ACTIVE, MembershipStatus.EXPIRED}
    ):
        return membership
    rank = terms.rank_of(renewal.level)
    tracks = tuple(
        TrackMembership(t, renewal.term.start)
        for t in renewal.tracks
        if terms.track(t).min_rank <= rank
    )
    changes = {
        "level": renewal.level,
        "term": renewal.term,
        "tracks": tracks,
        "payment": renewal.payment or membership.payment,
    }
    if membership.status is MembershipStatus.EXPIRED:
        return transition(membership, MembershipStatus.ACTIVE, **changes)
    return replace(membership, **changes)  # type: ignore[arg-type]


def expire_if_due(membership: Membership, today: date, terms: MembershipTerms) -> Membership:
    """OPN-15: after its end date without a renewal taking over, a membership expires."""
    current = roll_over_if_due(membership, today, terms)
    if current.status is MembershipStatus.ACTIVE and current.term and today > current.term.end:
        return transition(current, MembershipStatus.EXPIRED)
    return current


def lapse_if_due(membership: Membership, today: date, terms: MembershipTerms) -> Membership:
    """OPN-15: an expired membership lapses once its renewal is declined or a year has
    passed since its end date; the partner must then enrol anew."""
    if membership.status is not MembershipStatus.EXPIRED or membership.term is None:
        return membership
    declined = (
        membership.renewal is not None and membership.renewal.status is RenewalStatus.DECLINED
    )
    until = late_renewal_until(membership.term.end, terms)
    if declined or until is None or today > until:
        return transition(membership, MembershipStatus.LAPSED)
    return membership
