"""The daily membership job: expiry, renewal windows, reminders, associates; idempotent
for a day (OPN-14, OPN-15, OPN-8, X-5)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st
from membership_fixtures import TERMS, active, associate_of

from alliance.domain.membership import (
    ActionKind,
    Membership,
    MembershipStatus,
    RenewalStatus,
    Term,
    daily_actions,
    run_tick,
)
from alliance.domain.membership.membership import Renewal

END = date(2026, 6, 30)
MEMBER = active("l1", start=date(2025, 6, 30), end=END)


def kinds(memberships: list[Membership], day: date) -> list[tuple[str, ActionKind]]:
    return [(a.subscription_id, a.kind) for a in daily_actions(memberships, day, TERMS)]


def test_nothing_is_due_before_the_window() -> None:
    assert daily_actions([MEMBER], date(2026, 3, 31), TERMS) == []


def test_the_window_opens_with_the_90_day_reminder() -> None:
    """OPN-14: on day 90 before the end date, the window notice and first reminder."""
    actions = daily_actions([MEMBER], date(2026, 4, 1), TERMS)
    assert [a.key for a in actions] == [
        "sub_acme:open_renewal_window:2026-06-30",
        "sub_acme:renewal_reminder:2026-06-30-90d",
    ]
    assert all(a.rule == "OPN-14" and not a.changes_state for a in actions)


def test_the_latest_reminder_reached_is_sent_once() -> None:
    """Reminders at 90/60/30/7 days before the end date; a missed day catches up with
    the latest one only."""
    keys = [a.key for a in daily_actions([MEMBER], date(2026, 6, 25), TERMS)]
    assert "sub_acme:renewal_reminder:2026-06-30-7d" in keys
    assert not any(k.endswith("-30d") for k in keys)


def test_the_end_date_is_still_active_and_the_next_day_expires() -> None:
    """OPN-15: expired after the end date."""
    assert (MEMBER.subscription_id, ActionKind.EXPIRE) not in kinds([MEMBER], END)
    actions = daily_actions([MEMBER], END + timedelta(days=1), TERMS)
    assert [a.key for a in actions] == ["sub_acme:expire:2026-06-30"]


def test_the_tick_is_idempotent_for_a_date() -> None:
    """X-5: run twice for a day, the second run has nothing left to do."""
    day = END + timedelta(days=1)
    members = [MEMBER, active("l2", subscription="sub_globex", start=date(2025, 9, 1))]
    first = run_tick(members, day, TERMS)
    assert [a.kind for a in first.actions] == [
        ActionKind.EXPIRE,
        ActionKind.OPEN_RENEWAL_WINDOW,
        ActionKind.RENEWAL_REMINDER,
    ]
    done = {a.key for a in first.actions}
    second = run_tick(first.memberships, day, TERMS, done)
    assert second.actions == ()
    assert second.memberships == first.memberships
    again_with_old_state = run_tick(members, day, TERMS, done)
    assert again_with_old_state.actions == ()


def test_a_missed_year_catches_up_expire_then_lapse() -> None:
    """OPN-15: a membership more than a year past its end date expires and lapses."""
    result = run_tick([MEMBER], date(2027, 7, 2), TERMS)
    assert [a.kind for a in result.actions] == [ActionKind.EXPIRE, ActionKind.LAPSE]
    assert result.memberships[0].status is MembershipStatus.LAPSED


def test_an_approved_renewal_starts_its_term_on_the_old_end_date() -> None:
    """OPN-14."""
    renewal = Renewal(
        date(2026, 5, 1),
        "l2",
        status=RenewalStatus.APPROVED,
        decided_on=date(2026, 5, 2),
        term=Term(END, date(2027, 6, 30)),
    )
    renewing = replace(MEMBER, renewal=renewal)
    assert daily_actions([renewing], date(2026, 6, 29), TERMS) == []
    result = run_tick([renewing], END, TERMS)
    assert [a.key for a in result.actions] == ["sub_acme:start_renewed_term:2026-06-30"]
    assert result.memberships[0].level == "l2"
    assert result.memberships[0].end == date(2027, 6, 30)


def test_an_associate_follows_its_principals_renewal_the_same_day() -> None:
    """OPN-8: the principal's new term and level become the associate's; it never expires."""
    renewal = Renewal(
        date(2026, 5, 1), "l2", status=RenewalStatus.APPROVED, term=Term(END, date(2027, 6, 30))
    )
    principal = replace(MEMBER, renewal=renewal)
    associate = associate_of(MEMBER)
    result = run_tick([associate, principal], END, TERMS)
    assert [a.kind for a in result.actions] == [
        ActionKind.START_RENEWED_TERM,
        ActionKind.FOLLOW_PRINCIPAL,
    ]
    followed = result.memberships[1]
    assert (followed.level, followed.end) == ("l2", date(2027, 6, 30))
    assert run_tick(result.memberships, END + timedelta(days=1), TERMS).actions == ()


def test_an_associate_expires_with_its_principal_and_gets_no_reminders() -> None:
    associate = associate_of(MEMBER)
    assert kinds([MEMBER, associate], date(2026, 4, 1)) == [
        ("sub_acme", ActionKind.OPEN_RENEWAL_WINDOW),
        ("sub_acme", ActionKind.RENEWAL_REMINDER),
    ]
    result = run_tick([MEMBER, associate], END + timedelta(days=1), TERMS)
    assert [(a.subscription_id, a.kind, a.rule) for a in result.actions] == [
        ("sub_acme", ActionKind.EXPIRE, "OPN-15"),
        ("sub_acme_fr", ActionKind.EXPIRE, "OPN-8"),
    ]


@settings(max_examples=50)
@given(
    start=st.dates(min_value=date(2024, 1, 1), max_value=date(2026, 12, 31)),
    offset=st.integers(min_value=-120, max_value=800),
)
def test_any_day_run_twice_does_nothing_twice(start: date, offset: int) -> None:
    """X-5: whatever the day, a second run with the first run's keys and state is empty."""
    member = active("l2", start=start)
    day = start + timedelta(days=365 + offset)
    first = run_tick([member, associate_of(member)], day, TERMS)
    done = {a.key for a in first.actions}
    assert len(done) == len(first.actions)
    assert run_tick(first.memberships, day, TERMS, done).actions == ()
