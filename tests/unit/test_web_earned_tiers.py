"""The portal's earned-tier pieces (issues 5 and 6): an MCPP area's score bar against its
threshold (MCPP-2), the built-in scorecard with another threshold for a what-if, and the
what-if chart of gains and losses per subject."""

from __future__ import annotations

from decimal import Decimal

import pytest

from alliance.domain.errors import InvalidInput
from alliance.domain.outcomes import Movement, Subject
from alliance.programs.registry import ProgramRegistry
from alliance.services.scorecard_terms import terms_from_program
from alliance.web.routes.standing import BAR_WIDTH, ScoreBar
from alliance.web.routes.vendor_evaluations import (
    CHART_ROW,
    CHART_WIDTH,
    chart_rows,
    with_threshold,
)


@pytest.fixture(scope="module")
def programs() -> ProgramRegistry:
    return ProgramRegistry.load()


def test_a_score_bar_is_drawn_to_scale_with_the_threshold_marked() -> None:
    bar = ScoreBar(Decimal("41"), Decimal("100"), Decimal("70"))
    assert (bar.filled, bar.mark, bar.reached) == (123, 210, False)  # 300 units wide
    full = ScoreBar(Decimal("104.5"), Decimal("100"), Decimal("70"))
    assert (full.filled, full.reached) == (BAR_WIDTH, True)  # never past the end
    assert ScoreBar(Decimal("70"), Decimal("100"), Decimal("70")).reached  # MCPP-2: ≥


def test_the_threshold_changes_in_every_area_and_in_the_version(
    programs: ProgramRegistry,
) -> None:
    live = programs.entry("mcpp")
    changed = with_threshold(live, "75")
    terms = terms_from_program(changed.definition)
    assert {area.threshold for area in terms.areas} == {Decimal(75)}
    assert changed.definition.version == f"{live.definition.version}-threshold-75"
    assert changed.content_hash != live.content_hash
    assert {a.threshold for a in terms_from_program(live.definition).areas} == {Decimal(70)}


@pytest.mark.parametrize(
    ("text", "found"),
    [("seventy", "a threshold is a number"), ("101", "between 0 and the total 100")],
)
def test_a_threshold_that_cannot_be_is_refused_naming_the_field(
    programs: ProgramRegistry, text: str, found: str
) -> None:
    with pytest.raises(InvalidInput) as refused:
        with_threshold(programs.entry("mcpp"), text)
    assert found in refused.value.message
    assert (refused.value.field, refused.value.rule) == ("threshold", "MCPP-2")


def test_a_program_without_scorecard_has_no_threshold_to_change(
    programs: ProgramRegistry,
) -> None:
    with pytest.raises(InvalidInput, match="no scorecard threshold"):
        with_threshold(programs.entry("oip"), "75")


def move(partner: str, area: str, direction: int) -> Movement:
    before, after = ("qualified", "in_progress") if direction < 0 else ("in_progress", "qualified")
    return Movement(partner, Subject.AREA, area, before, after, direction, None, None)


def test_the_chart_counts_gains_and_losses_per_subject_scaled_to_the_largest() -> None:
    rows = chart_rows(
        (
            move("p1", "security", -1),
            move("p2", "security", -1),
            move("p3", "security", +1),
            move("p4", "data_ai", -1),
            move("p5", "data_ai", 0),
        )
    )
    half = CHART_WIDTH // 2 - 100
    assert [(r.subject, r.gains, r.losses) for r in rows] == [
        ("data_ai", 0, 1),
        ("security", 1, 2),
    ]
    assert [(r.loss_width, r.gain_width, r.y) for r in rows] == [
        (half // 2, 0, 0),
        (half, half // 2, CHART_ROW),
    ]
    assert chart_rows(()) == []
