"""``alliance evaluate`` and ``alliance simulate`` on SQLite: facts staged through the facts
store, outcomes saved once (X-5), a changed definition's movers listed without touching
the live outcomes, user errors without a stack trace (X-7)."""

from __future__ import annotations

import json
import sys
from datetime import date
from importlib import resources
from pathlib import Path

import pytest
from typer.testing import CliRunner

from alliance.bootstrap import Application
from alliance.cli.main import _build
from alliance.domain.outcomes import RunKey

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "integration"))
from evaluation_facts import (
    data_ai_at_85_without_deployments,
    infrastructure_at_68,
    infrastructure_at_70,
    mcpp_tables,
    named,
    stage,
)

runner = CliRunner()
pytestmark = pytest.mark.parametrize("backend", ["sqlite"], indirect=True)


@pytest.fixture
def env(application: Application, tmp_path: Path) -> dict[str, str]:
    stage(
        application.uow_factory,  # type: ignore[arg-type]
        mcpp_tables(
            [
                named("org_seventy", infrastructure_at_70()),
                named("org_sixtyeight", infrastructure_at_68()),
                named("org_eightyfive", data_ai_at_85_without_deployments()),
            ]
        ),
    )
    return {
        "ALLIANCE_DATABASE_URL": application.settings.database_url,
        "ALLIANCE_DATA_DIR": str(tmp_path / "var"),
    }


def run(env: dict[str, str], *args: str) -> tuple[int, str]:
    result = runner.invoke(_build(), list(args), env=env)
    assert "Traceback" not in result.output
    return result.exit_code, result.output


def ok(env: dict[str, str], *args: str) -> str:
    code, output = run(env, *args)
    assert code == 0, output
    return output


def changed_mcpp(tmp_path: Path, threshold: str) -> Path:
    text = resources.files("alliance.programs").joinpath("builtin/mcpp.yaml").read_text()
    text = text.replace("threshold: 70", f"threshold: {threshold}", 1)
    path = tmp_path / "changed.yaml"
    path.write_text(text.replace('version: "2026.1"', 'version: "2026.2"', 1))
    return path


def test_evaluate_saves_once_and_simulate_lists_the_movers(
    env: dict[str, str], application: Application, tmp_path: Path
) -> None:
    first = ok(env, "evaluate", "--program", "mcpp", "--as-of", "2026-06-17")
    assert "mcpp 2026.1 on 2026-06-17: 18 outcomes for 3 partners, saved" in first
    assert "qualified" in first and "in_progress" in first
    again = ok(env, "evaluate", "--program", "mcpp", "--as-of", "2026-06-17")
    assert "already saved with the same outcomes; nothing changed" in again

    changed = changed_mcpp(tmp_path, "65")
    text = ok(
        env, "simulate", "--program", "mcpp", "--definition", str(changed), "--as-of", "2026-06-17"
    )
    assert "mcpp 2026.2 against the stored run mcpp 2026.1 on 2026-06-17" in text
    assert "1 gain(s), 0 loss(es) among 3 partners" in text
    assert "org_sixtyeight" in text and "Not costed:" in text
    data = json.loads(
        ok(
            env,
            "simulate",
            "--program",
            "mcpp",
            "--definition",
            str(changed),
            "--as-of",
            "2026-06-17",
            "--json",
        )
    )
    assert [
        (m["partner_id"], m["before"], m["after"], m["direction"]) for m in data["movements"]
    ] == [("org_sixtyeight", "in_progress", "qualified", 1)]
    assert data["movements"][0]["score_after"] == "68"
    with application.uow_factory() as uow:
        runs = uow.tier_outcomes.runs("mcpp")
    assert [r.key for r in runs] == [RunKey("mcpp", "2026.1", date(2026, 6, 17))]


def test_user_errors_are_reported_cleanly(env: dict[str, str], tmp_path: Path) -> None:
    code, output = run(env, "evaluate", "--program", "nope", "--as-of", "2026-06-17")
    assert code == 2 and "no program with code 'nope'" in output
    code, output = run(env, "evaluate", "--program", "mcpp", "--as-of", "17/06/2026")
    assert code == 2 and "a date is written YYYY-MM-DD" in output
    code, output = run(env, "evaluate", "--program", "oip", "--as-of", "2026-06-17")
    assert code == 2 and "no facts to evaluate program oip" in output
    bad = changed_mcpp(tmp_path, "lots")
    code, output = run(
        env, "simulate", "--program", "mcpp", "--definition", str(bad), "--as-of", "2026-06-17"
    )
    assert code == 2
    assert "changed.yaml:298" in output and "threshold" in output  # located: file, line, field
