"""The worked example of docs/programs.md is a valid, complete program definition."""

from __future__ import annotations

import re
from pathlib import Path

from alliance.programs.loader import load_program
from alliance.programs.registry import ProgramRegistry

DOC = Path(__file__).parents[3] / "docs" / "programs.md"


def worked_example() -> str:
    text = DOC.read_text(encoding="utf-8")
    match = re.search(r"<!-- worked-example -->\n```yaml\n(.*?)```", text, re.DOTALL)
    assert match, "docs/programs.md lost its worked example"
    return match[1]


def test_the_worked_example_validates(tmp_path: Path) -> None:
    path = tmp_path / "acme.yaml"
    path.write_text(worked_example(), encoding="utf-8")
    program = load_program(path)
    assert program.code == "acme"
    assert program.sections() == (
        "membership",
        "metrics",
        "statuses",
        "incentives",
        "wallets",
        "workflows",
    )
    assert program.configurable == (
        "statuses.statuses[1].thresholds",
        "incentives[0].rates[0].rate",
    )


def test_the_worked_example_joins_the_registry_as_a_vendor_program(tmp_path: Path) -> None:
    (tmp_path / "acme.yaml").write_text(worked_example(), encoding="utf-8")
    registry = ProgramRegistry.load(tmp_path)
    assert registry.entry("acme").origin == "vendor"
    assert registry.get("acme").workflow("deal_registration").allows("submitted", "approved")
