"""Retries back off exponentially up to a cap; after the last attempt a delivery is dead."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from alliance.domain.notifications import DEFAULT_RETRY, RetryPolicy, backoff_schedule

NOW = datetime(2025, 3, 14, 9, 30, tzinfo=UTC)


def test_the_wait_doubles_from_thirty_seconds() -> None:
    waits = [backoff_schedule(attempt) for attempt in range(1, 8)]
    assert waits == [timedelta(seconds=s) for s in (30, 60, 120, 240, 480, 960, 1920)]


def test_the_wait_is_capped_at_an_hour() -> None:
    assert backoff_schedule(8) == timedelta(hours=1)
    assert backoff_schedule(9) == timedelta(hours=1)
    assert backoff_schedule(1000) == timedelta(hours=1)


def test_the_default_policy_tries_ten_times_over_about_three_hours() -> None:
    assert DEFAULT_RETRY.max_attempts == 10
    total = sum((backoff_schedule(n) for n in range(1, 10)), timedelta())
    assert timedelta(hours=3) < total < timedelta(hours=3, minutes=10)


def test_a_failed_attempt_is_retried_after_its_wait() -> None:
    assert DEFAULT_RETRY.next_attempt(1, NOW) == NOW + timedelta(seconds=30)
    assert DEFAULT_RETRY.next_attempt(3, NOW) == NOW + timedelta(minutes=2)


def test_after_the_last_attempt_there_is_no_next_one() -> None:
    policy = RetryPolicy(max_attempts=3)
    assert policy.next_attempt(2, NOW) is not None
    assert policy.next_attempt(3, NOW) is None
    assert policy.next_attempt(4, NOW) is None


def test_a_permanent_failure_is_not_retried() -> None:
    assert DEFAULT_RETRY.next_attempt(1, NOW, permanent=True) is None


def test_a_policy_can_wait_differently() -> None:
    policy = RetryPolicy(base=timedelta(seconds=5), cap=timedelta(seconds=12), max_attempts=5)
    assert [backoff_schedule(n, policy) for n in (1, 2, 3, 4)] == [
        timedelta(seconds=s) for s in (5, 10, 12, 12)
    ]


@pytest.mark.parametrize(
    "options",
    [
        {"max_attempts": 0},
        {"base": timedelta(0)},
        {"base": timedelta(minutes=2), "cap": timedelta(minutes=1)},
    ],
)
def test_a_nonsensical_policy_is_refused(options: dict[str, object]) -> None:
    with pytest.raises(ValueError):
        RetryPolicy(**options)  # type: ignore[arg-type]


def test_attempts_count_from_one() -> None:
    with pytest.raises(ValueError):
        backoff_schedule(0)
