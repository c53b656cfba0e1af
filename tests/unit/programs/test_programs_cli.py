"""``alliance programs``: list, show, validate and schema, with their exit codes."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from typer.testing import CliRunner

from alliance.cli.programs import app

BROKEN = Path(__file__).parent / "broken"
runner = CliRunner()

VENDOR = """\
code: acme
name: Acme rewards
version: "3"
effective_date: 2026-03-01
kind: customer_rewards
source: Acme's own program
"""


def test_list_shows_every_builtin() -> None:
    result = runner.invoke(app, ["list"])
    assert result.exit_code == 0
    for code in ("opn", "pex", "mcpp", "oip", "osr"):
        assert code in result.output
    assert "2026.1" in result.output and "2026-01-01" in result.output


def test_list_reads_the_vendor_folder_from_the_environment(tmp_path: Path) -> None:
    (tmp_path / "acme.yaml").write_text(VENDOR)
    result = runner.invoke(app, ["list"], env={"ALLIANCE_PROGRAMS": str(tmp_path)})
    assert result.exit_code == 0
    assert "acme" in result.output and "vendor" in result.output


def test_list_with_an_invalid_vendor_folder_exits_2(tmp_path: Path) -> None:
    shutil.copy(BROKEN / "bad_date.yaml", tmp_path)
    result = runner.invoke(app, ["list", "--programs", str(tmp_path)])
    assert result.exit_code == 2


def test_show_summarises_a_program() -> None:
    """OPN-4, OPN-5 in the summary."""
    result = runner.invoke(app, ["show", "opn"])
    assert result.exit_code == 0
    assert "OPN — paid-level partner network (opn) — version 2026.1" in result.output
    assert "level 3 Level 3 [purchased], fee 500,000 USD" in result.output
    assert "quarterly (wire, purchase_order)" in result.output


def test_show_json_dumps_the_definition() -> None:
    result = runner.invoke(app, ["show", "mcpp", "--json"])
    assert result.exit_code == 0
    data = json.loads(result.output)
    assert data["code"] == "mcpp"
    assert data["scorecards"]["threshold"] == "70"
    assert data["workflows"][0]["transitions"][0]["from"] == "in_progress"


def test_show_an_unknown_code_exits_2_and_lists_codes() -> None:
    result = runner.invoke(app, ["show", "nope"])
    assert result.exit_code == 2
    assert "known programs: mcpp, oip, opn, osr, pex" in result.output


def test_validate_prints_ok_for_valid_files(tmp_path: Path) -> None:
    path = tmp_path / "acme.yaml"
    path.write_text(VENDOR)
    result = runner.invoke(app, ["validate", str(path)])
    assert result.exit_code == 0
    assert result.output == f"{path}: ok\n"


def test_validate_a_folder_of_builtins() -> None:
    folder = Path(__file__).parents[3] / "src" / "alliance" / "programs" / "builtin"
    result = runner.invoke(app, ["validate", str(folder)])
    assert result.exit_code == 0
    assert result.output.count(": ok") == 5


def test_validate_prints_file_line_field_message_and_exits_1(tmp_path: Path) -> None:
    good = tmp_path / "acme.yaml"
    good.write_text(VENDOR)
    broken = BROKEN / "unknown_key.yaml"
    result = runner.invoke(app, ["validate", str(good), str(broken)])
    assert result.exit_code == 1
    lines = result.output.splitlines()
    assert lines[0] == f"{good}: ok"
    assert lines[1].startswith(f"{broken}:14: membership.levels[0].feee: expected one of id, name,")


def test_validate_reports_a_missing_path(tmp_path: Path) -> None:
    result = runner.invoke(app, ["validate", str(tmp_path / "nope.yaml")])
    assert result.exit_code == 1
    assert "got no such file" in result.output


def test_schema_prints_the_json_schema() -> None:
    result = runner.invoke(app, ["schema"])
    assert result.exit_code == 0
    schema = json.loads(result.output)
    assert schema["title"] == "Alliance program definition"
    assert "ProgramKind" in schema["$defs"]
