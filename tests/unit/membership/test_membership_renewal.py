"""Renewal window, late renewal, declined renewal, expiry and reinstatement (OPN-14,
OPN-15), and the legacy transition effects (OPN-16)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st
from membership_fixtures import ADA, TERMS, active, answer_all, associate_of, principal_answers

from alliance.domain.membership import (
    AssociateFollowsPrincipal,
    EnvironmentBilledPayAsYouGo,
    EnvironmentKeptUntil,
    LegacyHoldings,
    Membership,
    MembershipStatus,
    MustEnrolAnew,
    RenewalAlreadyRequested,
    RenewalRoute,
    RenewalStatus,
    RenewalWindowNotOpen,
    SaasEnvironment,
    TrainingKeptUntil,
    TrainingLapses,
    TrainingSubscription,
    UniversalCreditsLapse,
    approve_renewal,
    decline_renewal,
    expire_if_due,
    lapse_if_due,
    may_renew,
    renewal_option,
    renewal_window_opens,
    request_renewal,
    require_renewable,
    standing_on,
    start_renewal,
    submit,
)

END = date(2026, 6, 30)
MEMBER = active("l1", start=date(2025, 6, 30), end=END)


def renewed_request(membership: Membership, today: date, level: str = "l1") -> Membership:
    """A renewal application started, answered and submitted on ``today``."""
    application = start_renewal(membership, ADA, "US", today, TERMS)
    answers = principal_answers(level, tracks=["healthcare"] if level != "l0" else ())
    application = submit(answer_all(application, answers, today=today), TERMS, today, by=ADA)
    return request_renewal(membership, application, TERMS, today)


def test_the_window_opens_on_day_90_before_the_end_date_not_on_day_91() -> None:
    """OPN-14: « la période de renouvellement commence 90 jours avant la date de fin »."""
    assert renewal_window_opens(END, TERMS) == date(2026, 4, 1)
    day_90, day_91 = END - timedelta(days=90), END - timedelta(days=91)
    assert may_renew(MEMBER, day_90, TERMS)
    assert not may_renew(MEMBER, day_91, TERMS)
    with pytest.raises(RenewalWindowNotOpen) as refused:
        require_renewable(MEMBER, day_91, TERMS)
    assert (refused.value.rule, refused.value.field) == ("OPN-14", "renewal")
    assert "opens on 2026-04-01" in refused.value.message


@given(st.dates(min_value=date(2000, 1, 1), max_value=date(2099, 12, 31)))
def test_the_window_opens_exactly_90_days_before_any_end_date(end: date) -> None:
    membership = active("l1", start=end - timedelta(days=365), end=end)
    assert renewal_window_opens(end, TERMS) == end - timedelta(days=90)
    assert renewal_option(membership, end - timedelta(days=90), TERMS).route is RenewalRoute.OPEN
    assert (
        renewal_option(membership, end - timedelta(days=91), TERMS).route
        is RenewalRoute.NOT_YET_OPEN
    )
    assert renewal_option(membership, end, TERMS).route is RenewalRoute.OPEN


def test_a_leap_year_end_date_opens_the_window_on_1_december() -> None:
    """X-2: 29 February 2024 minus 90 days is 1 December 2023."""
    membership = active("l1", start=date(2023, 2, 28), end=date(2024, 2, 29))
    assert renewal_window_opens(date(2024, 2, 29), TERMS) == date(2023, 12, 1)
    assert not may_renew(membership, date(2023, 11, 30), TERMS)
    assert may_renew(membership, date(2023, 12, 1), TERMS)


def test_a_renewal_in_the_window_activates_on_the_old_end_date_with_new_dates() -> None:
    """OPN-14: submitted and approved, the renewal activates on the renewal date."""
    requested = renewed_request(MEMBER, date(2026, 5, 10), level="l2")
    assert requested.renewal is not None and requested.renewal.status is RenewalStatus.REQUESTED
    with pytest.raises(RenewalAlreadyRequested):
        require_renewable(requested, date(2026, 5, 11), TERMS)
    approved = approve_renewal(requested, TERMS, date(2026, 5, 20))
    assert approved.term == MEMBER.term and approved.level == "l1"  # not before the end date
    rolled = expire_if_due(approved, END, TERMS)
    assert rolled.status is MembershipStatus.ACTIVE
    assert rolled.term is not None
    assert (rolled.term.start, rolled.term.end) == (END, date(2027, 6, 30))
    assert rolled.level == "l2" and [t.track for t in rolled.tracks] == ["healthcare"]
    assert expire_if_due(rolled, date(2026, 7, 1), TERMS) == rolled


def test_without_renewal_the_membership_expires_the_day_after_its_end_date() -> None:
    """OPN-15: « après la date de fin »."""
    assert expire_if_due(MEMBER, END, TERMS).status is MembershipStatus.ACTIVE
    expired = expire_if_due(MEMBER, END + timedelta(days=1), TERMS)
    assert expired.status is MembershipStatus.EXPIRED
    assert not standing_on(expired, TERMS, END + timedelta(days=1)).benefits


def test_expired_364_days_may_renew_with_new_dates_from_the_renewal() -> None:
    """OPN-15: expired less than a year: renew; benefits come back with new dates."""
    expired = expire_if_due(MEMBER, date(2026, 7, 1), TERMS)
    late = END + timedelta(days=364)
    assert renewal_option(expired, late, TERMS).route is RenewalRoute.LATE
    back = approve_renewal(renewed_request(expired, late), TERMS, late)
    assert back.status is MembershipStatus.ACTIVE
    assert late == date(2027, 6, 29)
    assert back.term is not None
    assert (back.term.start, back.term.end) == (date(2027, 6, 29), date(2028, 6, 29))
    assert standing_on(back, TERMS, late).benefits


def test_expired_366_days_must_enrol_anew() -> None:
    """OPN-15: more than a year after the end date, the partner enrols anew."""
    expired = expire_if_due(MEMBER, date(2026, 7, 1), TERMS)
    with pytest.raises(MustEnrolAnew) as refused:
        require_renewable(expired, END + timedelta(days=366), TERMS)
    assert (refused.value.rule, refused.value.field) == ("OPN-15", "renewal")
    with pytest.raises(MustEnrolAnew):
        start_renewal(expired, ADA, "US", END + timedelta(days=366), TERMS)


def test_the_late_renewal_period_ends_on_the_anniversary_of_the_end_date() -> None:
    """OPN-15: « jusqu'à 1 an après la date de fin » — the anniversary is included."""
    expired = expire_if_due(MEMBER, date(2026, 7, 1), TERMS)
    assert may_renew(expired, date(2027, 6, 30), TERMS)
    assert not may_renew(expired, date(2027, 7, 1), TERMS)


def test_a_membership_ending_on_29_february_may_renew_late_until_28_february() -> None:
    """X-2: a year after 29 February 2024 is 28 February 2025."""
    leap = active("l1", start=date(2023, 2, 28), end=date(2024, 2, 29))
    expired = expire_if_due(leap, date(2024, 3, 1), TERMS)
    assert may_renew(expired, date(2025, 2, 28), TERMS)
    assert not may_renew(expired, date(2025, 3, 1), TERMS)
    assert lapse_if_due(expired, date(2025, 3, 1), TERMS).status is MembershipStatus.LAPSED


def test_a_declined_renewal_must_enrol_anew() -> None:
    """OPN-15: requested but not paid: declined; the partner must enrol anew."""
    requested = renewed_request(MEMBER, date(2026, 5, 10))
    declined = decline_renewal(requested, TERMS, date(2026, 6, 1))
    assert declined.status is MembershipStatus.ACTIVE  # until its end date
    with pytest.raises(MustEnrolAnew) as refused:
        require_renewable(declined, date(2026, 6, 2), TERMS)
    assert "declined" in refused.value.message
    expired = expire_if_due(declined, date(2026, 7, 1), TERMS)
    assert lapse_if_due(expired, date(2026, 7, 1), TERMS).status is MembershipStatus.LAPSED


def test_a_late_renewal_declined_lapses_at_once() -> None:
    expired = expire_if_due(MEMBER, date(2026, 7, 1), TERMS)
    requested = renewed_request(expired, date(2026, 8, 1))
    assert decline_renewal(requested, TERMS, date(2026, 8, 20)).status is MembershipStatus.LAPSED


def test_a_renewal_requested_in_the_window_but_approved_late_keeps_its_dates() -> None:
    """OPN-14: requested by the end date, the new term starts on the old end date even
    when approval comes after the membership expired."""
    requested = renewed_request(MEMBER, date(2026, 6, 20))
    expired = expire_if_due(requested, date(2026, 7, 2), TERMS)
    assert expired.status is MembershipStatus.EXPIRED
    back = approve_renewal(expired, TERMS, date(2026, 7, 5))
    assert back.status is MembershipStatus.ACTIVE
    assert back.term is not None and back.term.start == END


def test_renewing_to_level_0_drops_the_tracks() -> None:
    """OPN-12: tracks are open from level 1 only."""
    requested = renewed_request(MEMBER, date(2026, 5, 10), level="l0")
    rolled = expire_if_due(approve_renewal(requested, TERMS, date(2026, 5, 11)), END, TERMS)
    assert rolled.level == "l0" and rolled.tracks == ()


def test_an_associate_renews_with_its_principal() -> None:
    """OPN-8: its end date is its principal's; it does not renew on its own."""
    associate = associate_of(MEMBER)
    assert renewal_option(associate, date(2026, 5, 1), TERMS).route is RenewalRoute.NOT_RENEWABLE
    with pytest.raises(AssociateFollowsPrincipal) as refused:
        start_renewal(associate, ADA, "FR", date(2026, 5, 1), TERMS)
    assert refused.value.rule == "OPN-8"


def test_renewing_from_a_legacy_program_records_the_transition_effects() -> None:
    """OPN-16: universal credits lapse, cloud environments go pay-as-you-go, discounted
    SaaS stays until its own renewal, active training until the current end date."""
    holdings = LegacyHoldings(
        unused_universal_credits=Decimal("1200"),
        cloud_environments=("oci-prod",),
        saas_environments=(SaasEnvironment("hcm-test", date(2026, 11, 30)),),
        training_subscriptions=(
            TrainingSubscription("ucls-1", activated=True),
            TrainingSubscription("ucls-2", activated=False),
        ),
    )
    requested = renewed_request(MEMBER, date(2026, 5, 10))
    approved = approve_renewal(requested, TERMS, date(2026, 5, 12), legacy=holdings)
    assert approved.renewal is not None
    assert approved.renewal.effects == (
        UniversalCreditsLapse(Decimal("1200")),
        EnvironmentBilledPayAsYouGo("oci-prod"),
        EnvironmentKeptUntil("hcm-test", date(2026, 11, 30)),
        TrainingKeptUntil("ucls-1", END),
        TrainingLapses("ucls-2"),
    )
    assert all(effect.rule == "OPN-16" for effect in approved.renewal.effects)
    rolled = expire_if_due(approved, END, TERMS)
    assert rolled.renewal is not None and rolled.renewal.effects == approved.renewal.effects


def test_a_cancelled_membership_is_not_renewable() -> None:
    cancelled = replace(MEMBER, status=MembershipStatus.CANCELLED)
    assert renewal_option(cancelled, date(2026, 5, 1), TERMS).route is RenewalRoute.NOT_RENEWABLE
