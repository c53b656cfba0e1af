"""The membership, application and renewal lifecycles are tables; every other move is
refused. Activation and standing (OPN-6, OPN-11, OPN-15)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from itertools import product

import pytest
from hypothesis import given
from hypothesis import strategies as st
from membership_fixtures import JAN_15, TERMS, active, submitted

from alliance.domain.membership import (
    APPLICATION_MOVES,
    MOVES,
    RENEWAL_MOVES,
    ApplicationStatus,
    IllegalTransition,
    MembershipStatus,
    PaymentOutstanding,
    RenewalStatus,
    SubscriptionId,
    activate,
    standing_on,
    subscribe,
    transition,
)
from alliance.domain.membership.lifecycle import require_move
from alliance.domain.money import usd

M = MembershipStatus
EXPECTED_MOVES = {
    (M.PENDING_PAYMENT, M.ACTIVE),
    (M.PENDING_PAYMENT, M.CANCELLED),
    (M.ACTIVE, M.EXPIRED),
    (M.ACTIVE, M.CANCELLED),
    (M.EXPIRED, M.ACTIVE),
    (M.EXPIRED, M.LAPSED),
}


def test_the_membership_lifecycle_is_the_documented_table() -> None:
    """OPN-6, OPN-14, OPN-15: the allowed moves, no more."""
    assert MOVES == EXPECTED_MOVES


ILLEGAL = [pair for pair in product(MembershipStatus, repeat=2) if pair not in EXPECTED_MOVES]


@pytest.mark.parametrize(("source", "target"), ILLEGAL, ids=[f"{a}->{b}" for a, b in ILLEGAL])
def test_every_illegal_membership_move_is_refused_naming_both_states(
    source: MembershipStatus, target: MembershipStatus
) -> None:
    with pytest.raises(IllegalTransition) as refused:
        require_move(MOVES, source, target, entity="membership", rule="OPN-15")
    assert f"from {source.value} to {target.value}" in refused.value.message
    assert (refused.value.code, refused.value.field, refused.value.status) == (
        "illegal_transition",
        "status",
        409,
    )


@pytest.mark.parametrize(
    ("table", "kind"),
    [(APPLICATION_MOVES, ApplicationStatus), (RENEWAL_MOVES, RenewalStatus)],
    ids=["application", "renewal"],
)
def test_every_illegal_application_and_renewal_move_is_refused(
    table: frozenset[tuple[ApplicationStatus, ApplicationStatus]],
    kind: type[ApplicationStatus],
) -> None:
    for source, target in product(kind, repeat=2):
        if (source, target) in table:
            assert require_move(table, source, target, entity="x", rule="OPN-9") is target
        else:
            with pytest.raises(IllegalTransition):
                require_move(table, source, target, entity="x", rule="OPN-9")


def test_a_lapsed_membership_cannot_come_back() -> None:
    """OPN-15: lapsed is terminal — the partner enrols anew."""
    lapsed = active(status=MembershipStatus.LAPSED)
    for target in MembershipStatus:
        with pytest.raises(IllegalTransition):
            transition(lapsed, target)


@given(st.lists(st.sampled_from(list(MembershipStatus)), max_size=30))
def test_a_membership_never_reaches_a_state_outside_the_table(
    attempts: list[MembershipStatus],
) -> None:
    """Whatever is asked, each status reached is reached through an allowed move."""
    membership = active()
    visited = [membership.status]
    for target in attempts:
        try:
            membership = transition(membership, target)
        except IllegalTransition:
            continue
        assert (visited[-1], membership.status) in MOVES
        visited.append(membership.status)


def test_full_payment_activates_with_a_one_year_term() -> None:
    """OPN-6 / OPN-14: paid in full before activation; the term runs a year from then."""
    pending = subscribe(submitted("l1"), SubscriptionId("sub_acme"), TERMS, JAN_15)
    with pytest.raises(PaymentOutstanding) as refused:
        activate(pending, usd("4999.99"), TERMS, date(2026, 1, 20))
    assert (refused.value.rule, refused.value.field) == ("OPN-6", "paid")
    paid = activate(pending, usd("5000"), TERMS, date(2026, 1, 22))
    assert paid.status is MembershipStatus.ACTIVE
    assert paid.term is not None
    assert (paid.term.start, paid.term.end) == (date(2026, 1, 22), date(2027, 1, 22))


def test_benefits_only_from_activation() -> None:
    """OPN-11: nothing while payment is pending; benefits, engagements and expertise once
    active at level 1."""
    pending = subscribe(submitted("l1"), SubscriptionId("sub_acme"), TERMS, JAN_15)
    before = standing_on(pending, TERMS, JAN_15)
    assert not before.benefits and before.rule == "OPN-11"
    after = standing_on(activate(pending, usd("5000"), TERMS, JAN_15), TERMS, JAN_15)
    assert (after.benefits, after.engagements, after.expertise_valid) == (True, True, True)


def test_level_0_has_benefits_but_no_engagements_and_no_expertise() -> None:
    """CCE-1 / OPN-17."""
    standing = standing_on(active("l0"), TERMS, JAN_15)
    assert (standing.benefits, standing.engagements, standing.expertise_valid) == (
        True,
        False,
        False,
    )


def test_expiry_stops_benefits_engagement_access_and_expertise() -> None:
    """OPN-15: after the end date everything that needs an active membership stops."""
    membership = active("l2", tracks=["healthcare"])
    on_the_end_date = standing_on(membership, TERMS, date(2027, 1, 15))
    assert on_the_end_date.benefits and on_the_end_date.tracks == ("healthcare",)
    expired = replace(membership, status=MembershipStatus.EXPIRED)
    standing = standing_on(expired, TERMS, date(2027, 1, 16))
    assert not (standing.benefits or standing.engagements or standing.expertise_valid)
    assert standing.tracks == () and standing.rule == "OPN-15"
    assert "ended 2027-01-15" in standing.reason
