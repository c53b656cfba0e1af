"""Loading program files: every problem names the file and line, the field, and what was
expected (X-7); nothing half-loaded ever comes back."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from alliance.domain.errors import InvalidInput, Problem
from alliance.programs.loader import load_program, read_program, validate_program_file

BROKEN = Path(__file__).parent / "broken"

MINIMAL = """\
code: demo
name: Demo
version: 2026.10
effective_date: 2026-01-01
kind: partner_network
source: test
"""


def only_problem(path: Path) -> Problem:
    problems = validate_program_file(path)
    assert len(problems) == 1, problems
    return problems[0]


@pytest.mark.parametrize(
    ("file", "line", "field", "says"),
    [
        ("syntax_error.yaml", 10, None, "syntax error"),
        ("duplicate_key.yaml", 13, "membership.levels[0].name", "duplicate key 'name'"),
        ("unknown_key.yaml", 14, "membership.levels[0].feee", "did you mean 'fee'?"),
        ("wrong_type.yaml", 12, "membership.renewal.window_days", "expected a whole number"),
        ("bad_enum.yaml", 17, "membership.levels[0].payment.default[0].plan", "'quarterly'"),
        ("missing_field.yaml", 11, "membership.levels[0].rank", "required field 'rank'"),
        ("bad_date.yaml", 5, "effective_date", "expected a date"),
        (
            "dangling_metric.yaml",
            28,
            "scorecards.areas[0].tracks[0].rules[0].metric",
            "expected a declared metric (certified_people), got 'certified_peopel'",
        ),
        ("caps_not_100.yaml", 27, "scorecards.areas[0].tracks[0].rules", "(MCPP-9)"),
        ("workflow_unknown_state.yaml", 17, "workflows[0].transitions[1].to", "'in_review'"),
        ("levels_out_of_order.yaml", 18, "membership.levels[1].rank", "expected a rank above 1"),
        ("not_a_mapping.yaml", 1, None, "expected a mapping of program fields"),
        ("unknown_tag.yaml", 7, "source", "unknown tag !secret"),
        ("tranche_bounds.yaml", 24, "incentives[0].tranches[1].up_to", "above 50000"),
    ],
)
def test_a_broken_file_is_reported_at_its_line_and_field(
    file: str, line: int, field: str | None, says: str
) -> None:
    """X-7: file:line, field and what was expected (MCPP-9, PEX-5, CCE-6 where cited)."""
    problem = only_problem(BROKEN / file)
    assert problem.location == f"{file}:{line}"
    assert problem.field == field
    assert says in problem.message
    assert problem.message.startswith("expected")


def test_a_bad_enum_lists_the_allowed_values() -> None:
    """OPN-5: payment plans are a closed vocabulary."""
    message = only_problem(BROKEN / "bad_enum.yaml").message
    assert message == (
        "expected one of 'annual', 'semi_annual', 'quarterly' or 'monthly', got 'yearly'"
    )


def test_load_program_raises_invalid_input_with_every_problem(tmp_path: Path) -> None:
    path = tmp_path / "two.yaml"
    path.write_text(MINIMAL.replace("kind: partner_network", "kind: club") + "extra: 1\n")
    with pytest.raises(InvalidInput) as caught:
        load_program(path)
    assert [(p.location, p.field) for p in caught.value.problems] == [
        ("two.yaml:5", "kind"),
        ("two.yaml:7", "extra"),
    ]
    assert "2 problem(s)" in caught.value.message


def test_a_missing_file_is_a_problem_not_a_crash(tmp_path: Path) -> None:
    problem = only_problem(tmp_path / "nowhere.yaml")
    assert problem.message == "expected a program file, got no such file"
    assert problem.location == str(tmp_path / "nowhere.yaml")


def test_an_empty_file_is_reported(tmp_path: Path) -> None:
    path = tmp_path / "empty.yaml"
    path.write_text("# nothing here\n")
    assert only_problem(path).location == "empty.yaml:1"


def test_a_missing_top_level_field_points_at_the_first_line(tmp_path: Path) -> None:
    path = tmp_path / "nameless.yaml"
    path.write_text(MINIMAL.replace("name: Demo\n", ""))
    problem = only_problem(path)
    assert (problem.location, problem.field) == ("nameless.yaml:1", "name")


def test_a_discriminated_kind_error_names_the_kind(tmp_path: Path) -> None:
    path = tmp_path / "kind.yaml"
    path.write_text(MINIMAL + "incentives:\n  - {id: x, name: X, kind: tranch}\n")
    problem = only_problem(path)
    assert (problem.location, problem.field) == ("kind.yaml:8", "incentives[0]")
    assert "did you mean 'tranche'?" in problem.message


def test_errors_inside_an_incentive_kind_skip_the_kind_in_the_field(tmp_path: Path) -> None:
    path = tmp_path / "rate.yaml"
    path.write_text(
        MINIMAL + "metrics:\n  - {id: m, name: M, fact: revenue, aggregation: sum, measure: amount,"
        " window: {kind: calendar_month}}\n"
        "incentives:\n  - id: x\n    name: X\n    kind: commission\n    base: m\n"
        "    period: month\n    rates: [{rate: 150%}]\n"
    )
    problem = only_problem(path)
    assert (problem.location, problem.field) == ("rate.yaml:15", "incentives[0].rates[0].rate")
    assert problem.message == "expected a number ≤ 1, got '150%'"


def test_configurable_tags_are_recorded_by_path(tmp_path: Path) -> None:
    """A value the seeds do not give is shipped as a tagged default."""
    path = tmp_path / "tagged.yaml"
    path.write_text(
        MINIMAL + "membership:\n  member_types: [{id: p, name: P}]\n  levels:\n"
        "    - {id: a, name: A, rank: 0, fee: !configurable 4730 USD}\n"
    )
    program = load_program(path)
    assert program.configurable == ("membership.levels[0].fee",)
    assert program.is_configurable("membership.levels[0].fee.amount")
    assert program.configurable_values()["membership.levels[0].fee"].amount == 4730


def test_numbers_are_exact_and_norway_stays_a_country(tmp_path: Path) -> None:
    """X-1: 2.14 is Decimal('2.14'); YAML 1.1 'NO' is not false; a numeric version is text."""
    path = tmp_path / "exact.yaml"
    path.write_text(
        MINIMAL + "membership:\n  member_types: [{id: p, name: P}]\n  levels:\n"
        "    - id: a\n      name: A\n      rank: 0\n      fee: {amount: 2.14, currency: EUR}\n"
        "      payment:\n        default: [{plan: annual, methods: [card]}]\n"
        "        by_country:\n          NO: [{plan: annual, methods: [wire]}]\n"
    )
    program = read_program(path)
    level = program.definition.membership.levels[0]  # type: ignore[union-attr]
    assert level.fee is not None and level.fee.amount == Decimal("2.14")
    assert level.payment is not None and "NO" in level.payment.by_country
    assert program.definition.version == "2026.10"
    assert program.content_hash.startswith("sha256:")


def test_a_directory_is_not_a_program(tmp_path: Path) -> None:
    assert "directory" in only_problem(tmp_path).message


def test_non_utf8_bytes_are_located(tmp_path: Path) -> None:
    path = tmp_path / "latin1.yaml"
    path.write_bytes(MINIMAL.encode() + "description: café\n".encode("latin-1"))
    assert only_problem(path).location == "latin1.yaml:7"


def test_listed_and_tagged_configurable_paths_are_merged(tmp_path: Path) -> None:
    path = tmp_path / "both.yaml"
    path.write_text(MINIMAL + "currency: !configurable EUR\nconfigurable: [description]\n")
    assert load_program(path).configurable == ("description", "currency")
