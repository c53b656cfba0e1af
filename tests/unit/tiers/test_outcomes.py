"""Outcomes and what-if movements (issue 5): which partner gains or loses what."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from alliance.domain.explanations import Explanation
from alliance.domain.outcomes import Outcome, Subject, count_results, movements

RANKS = {"in_progress": 0, "qualified": 1, "enrolled": 2}


def area(partner: str, area_id: str, result: str, score: str = "0") -> Outcome:
    return Outcome(
        "mcpp",
        "2026.1",
        date(2026, 6, 17),
        partner,
        Subject.AREA,
        area_id,
        result,
        Decimal(score),
        Explanation(result),
        held=result == "enrolled",
    )


def test_movements_rank_gains_and_losses_and_skip_the_unchanged() -> None:
    before = [
        area("a", "security", "in_progress", "68"),
        area("b", "security", "qualified", "70"),
        area("c", "security", "enrolled", "40"),
    ]
    after = [
        area("a", "security", "qualified", "68"),
        area("b", "security", "in_progress", "70"),
        area("c", "security", "enrolled", "40"),
        area("d", "security", "in_progress", "0"),  # a partner new to the facts
    ]
    rank = lambda o: RANKS[o.result]  # noqa: E731
    moved = movements(before, after, rank, rank)
    assert [(m.partner_id, m.before, m.after, m.direction) for m in moved] == [
        ("a", "in_progress", "qualified", 1),
        ("b", "qualified", "in_progress", -1),
        ("d", None, "in_progress", 1),
    ]
    assert [m.partner_id for m in moved if m.gains] == ["a", "d"]
    assert [m.partner_id for m in moved if m.loses] == ["b"]
    # by default only a held designation counts: a → qualified is a change, not a gain
    assert [m.direction for m in movements(before[:1], after[:1])] == [0]


def test_results_are_counted_sorted() -> None:
    outcomes = [
        area("a", "x", "qualified"),
        area("b", "x", "in_progress"),
        area("c", "x", "qualified"),
    ]
    assert count_results(outcomes) == {"in_progress": 1, "qualified": 2}
    assert list(count_results(outcomes)) == ["in_progress", "qualified"]
