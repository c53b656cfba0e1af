"""CCE-6: the two lifecycles, every move recorded, anything else refused."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

import pytest
from cce_builders import AT, account_plan, opportunity
from hypothesis import given
from hypothesis import strategies as st

from alliance.domain.engagements import (
    LIFECYCLES,
    Category,
    Engagement,
    IllegalTransition,
    NotifyPartner,
    Status,
    next_moves,
    states,
    terminal_states,
    transition,
)
from alliance.domain.errors import InvalidInput

S = Status


def walk(engagement: Engagement, *targets: Status) -> Engagement:
    for target in targets:
        engagement, _ = transition(engagement, target, "vendor:channel", AT)
    return engagement


def test_an_opportunity_goes_from_submission_to_incentive_released() -> None:
    released = walk(
        opportunity(), S.ACKNOWLEDGED, S.IN_REVIEW, S.ACCEPTED, S.ELIGIBLE, S.INCENTIVE_RELEASED
    )

    assert released.status is S.INCENTIVE_RELEASED


def test_every_move_is_recorded_with_from_to_who_and_when() -> None:
    accepted = walk(opportunity(), S.ACKNOWLEDGED, S.IN_REVIEW)

    moved, record = transition(accepted, S.ACCEPTED, "vendor:vera", AT)

    assert moved.status is S.ACCEPTED
    assert (record.source, record.target, record.actor, record.at) == (
        S.IN_REVIEW,
        S.ACCEPTED,
        "vendor:vera",
        AT,
    )
    assert (record.move, record.rule, record.effects) == ("accept", "CCE-6", ())


@pytest.mark.parametrize("category", list(Category))
def test_acknowledgement_tells_the_partner_by_email(category: Category) -> None:
    engagement = opportunity() if category is Category.OPPORTUNITY else account_plan()

    _, record = transition(engagement, S.ACKNOWLEDGED, "vendor:vera", AT)

    assert record.effects == (NotifyPartner(engagement.id, engagement.partner_id, S.ACKNOWLEDGED),)


def test_an_account_plan_ends_in_account_planning() -> None:
    planned = walk(account_plan(), S.ACKNOWLEDGED, S.ACCOUNT_PLANNING)

    assert planned.status is S.ACCOUNT_PLANNING
    assert terminal_states(Category.ACCOUNT_PLANNING) == {S.ACCOUNT_PLANNING}


def test_the_opportunity_ends_are_not_eligible_ineligible_and_incentive_released() -> None:
    assert terminal_states(Category.OPPORTUNITY) == {
        S.NOT_ELIGIBLE,
        S.INELIGIBLE,
        S.INCENTIVE_RELEASED,
    }


def _illegal_moves() -> list[tuple[Category, Status, Status]]:
    out = []
    for category, moves in LIFECYCLES.items():
        allowed = {(m.source, m.target) for m in moves}
        out += [
            (category, source, target)
            for source in Status
            for target in Status
            if (source, target) not in allowed
        ]
    return out


@pytest.mark.parametrize(("category", "source", "target"), _illegal_moves())
def test_every_illegal_move_is_refused(category: Category, source: Status, target: Status) -> None:
    base = opportunity() if category is Category.OPPORTUNITY else account_plan()
    engagement = replace(base, status=source)

    with pytest.raises(IllegalTransition) as refused:
        transition(engagement, target, "vendor:vera", AT)

    assert refused.value.rule == "CCE-6"
    assert f"from {source} to {target}" in refused.value.message


def test_the_refusal_says_where_the_engagement_may_go() -> None:
    with pytest.raises(IllegalTransition) as refused:
        transition(opportunity(status=S.ACCEPTED), S.INCENTIVE_RELEASED, "vendor:vera", AT)

    assert "it can go to eligible, ineligible" in refused.value.message


def test_a_transition_needs_an_aware_moment_and_an_actor() -> None:
    with pytest.raises(InvalidInput):
        transition(opportunity(), S.ACKNOWLEDGED, "vendor:vera", datetime(2025, 3, 3, 9, 30))
    with pytest.raises(InvalidInput):
        transition(opportunity(), S.ACKNOWLEDGED, "  ", AT)


@given(
    category=st.sampled_from(list(Category)),
    targets=st.lists(st.sampled_from(list(Status)), max_size=12),
)
def test_a_lifecycle_never_leaves_its_table(category: Category, targets: list[Status]) -> None:
    engagement = opportunity() if category is Category.OPPORTUNITY else account_plan()
    allowed = {(m.source, m.target) for m in LIFECYCLES[category]}
    for target in targets:
        before = engagement.status
        try:
            engagement, record = transition(engagement, target, "vendor:vera", AT)
        except IllegalTransition:
            assert (before, target) not in allowed
            continue
        assert (record.source, record.target) in allowed
        assert engagement.status in states(category)
    assert {m.target for m in next_moves(engagement)} <= states(category)
