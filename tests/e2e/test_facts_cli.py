"""``alliance facts``: import facts of earned tiers from CSV and Parquet, on SQLite and
PostgreSQL. A bad file names every bad line and stores nothing (X-7); a rerun adds 0
(X-5); only program administrators import."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from api_world import _organization, _user
from typer.testing import CliRunner

from alliance.bootstrap import Application
from alliance.cli.main import _build
from alliance.domain.ids import OrganizationId
from alliance.domain.organizations import Organization
from alliance.domain.people import PartnerRole
from alliance.services.tier_facts.ports import FactKind

runner = CliRunner()


@pytest.fixture
def env(application: Application, tmp_path: Path) -> dict[str, str]:
    return {
        "ALLIANCE_DATABASE_URL": application.settings.database_url,
        "ALLIANCE_DATA_DIR": str(tmp_path / "var"),
    }


@pytest.fixture
def partners(application: Application) -> tuple[str, str]:
    acme = _organization(application, "Acme", "FR")
    globex = _organization(application, "Globex", "DE")
    _user(application, "ada@acme.example", acme, PartnerRole.PARTNER_ADMINISTRATOR)
    return str(acme.id), str(globex.id)


def run(env: dict[str, str], *args: str) -> tuple[int, str]:
    result = runner.invoke(_build(), list(args), env=env)
    assert "Traceback" not in result.output
    return result.exit_code, result.output


def ok(env: dict[str, str], *args: str) -> str:
    code, output = run(env, *args)
    assert code == 0, output
    return output


def counts(application: Application) -> dict[FactKind, int]:
    with application.uow_factory() as uow:
        return {kind: uow.tier_facts.count(kind) for kind in FactKind}


def write(path: Path, *lines: str) -> Path:
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_certifications_are_imported_once(
    env: dict[str, str], partners: tuple[str, str], application: Application, tmp_path: Path
) -> None:
    acme, globex = partners
    header = "partner_id,person_id,certification_id,earned_on,retired_on"
    rows = (f"{acme},per_1,ai_102,2024-05-02,", f"{globex},per_2,az_104,2023-01-09,2025-01-09")
    certs = write(tmp_path / "certs.csv", header, *rows)
    assert "certs.csv: 2 certifications fact(s) added, 0 already there" in ok(
        env, "facts", "import", "certifications", str(certs)
    )
    again = ok(env, "facts", "import", "certifications", str(certs))
    assert "already imported; nothing changed (0 added)" in again
    # the same facts in another file (another batch key) are recognised, not added
    copy = write(tmp_path / "copy.csv", header, *rows, "")
    assert "copy.csv: 0 certifications fact(s) added, 2 already there" in ok(
        env, "facts", "import", "certifications", str(copy)
    )
    assert counts(application)[FactKind.CERTIFICATIONS] == 2
    listed = ok(env, "facts", "count")
    assert re.search(r"^certifications +2$", listed, re.MULTILINE)
    assert re.search(r"^revenue +0$", listed, re.MULTILINE)


def test_a_bad_file_names_every_bad_line_and_stores_nothing(
    env: dict[str, str], partners: tuple[str, str], application: Application, tmp_path: Path
) -> None:
    acme, _ = partners
    revenue = write(
        tmp_path / "revenue.csv",
        "partner_id,month,amount,currency,kind,product_line",
        f"{acme},2024-10,99.99,EUR,recurring,voip",  # line 2: good
        f"{acme},2024-10,1.23456,EUR,recurring,voip",  # line 3: five decimals
        f"{acme},2024-10,10.00,EUR,rental,voip",  # line 4: no such kind
        f"{acme},2024-10,10.00,EUR,recurring,voip",  # line 5: good
        "org_nobody,2024/10,10.00,EUR,minutes,voip",  # line 6: two problems
    )
    code, output = run(env, "facts", "import", "revenue", str(revenue))
    assert code == 2
    assert "3 bad row(s) of 5; nothing imported" in output
    assert "revenue.csv:3: amount: has more than 4 decimal places [X-1]" in output
    assert "revenue.csv:4: kind: must be one of recurring, service_access_fee" in output
    assert "[OIP-2]" in output
    assert "revenue.csv:6: partner_id: names no organisation, got 'org_nobody' [X-7]" in output
    assert "revenue.csv:6: month: is not a month written YYYY-MM" in output
    assert "revenue.csv:2" not in output and "revenue.csv:5" not in output
    assert counts(application)[FactKind.REVENUE] == 0


def test_areas_must_be_those_of_the_mcpp_program(
    env: dict[str, str], partners: tuple[str, str], tmp_path: Path
) -> None:
    acme, _ = partners
    customers = write(
        tmp_path / "customers.csv",
        "partner_id,customer_id,area,associated_on,ended_on",
        f"{acme},cus_1,data_ai,2024-02-01,",
        f"{acme},cus_2,azure,2024-02-01,2024-01-01",
    )
    code, output = run(env, "facts", "import", "customers", str(customers))
    assert code == 2
    assert "customers.csv:3: area: is not an area of the program" in output
    assert "customers.csv:3: ended_on: is before associated_on" in output and "[MCPP-10]" in output


def test_usage_from_parquet_with_exact_decimals(
    env: dict[str, str], partners: tuple[str, str], application: Application, tmp_path: Path
) -> None:
    acme, globex = partners
    path = tmp_path / "usage.data"
    pq.write_table(
        pa.table(
            {
                "partner_id": [acme, globex],
                "area": ["data_ai", "security"],
                "month": ["2024-11", "2024-11"],
                "amount": pa.array([Decimal("1234.5678"), Decimal("0.0001")], pa.decimal128(12, 4)),
                "active_users": pa.array([12, 3], pa.int32()),
            }
        ),
        path,
    )
    output = ok(env, "facts", "import", "usage", str(path), "--format", "parquet")
    assert "2 usage fact(s) added" in output
    with application.uow_factory() as uow:
        usage = uow.tier_facts.table(FactKind.USAGE)
    assert usage.column("amount").to_pylist() == [Decimal("1234.5678"), Decimal("0.0001")]
    assert ok(env, "facts", "import", "usage", str(path), "--format", "parquet").count("0 added")


def test_a_partner_person_may_not_import(
    env: dict[str, str], partners: tuple[str, str], application: Application, tmp_path: Path
) -> None:
    acme, _ = partners
    members = write(
        tmp_path / "members.csv", "partner_id,member_type,member_since", f"{acme},ambassador,"
    )
    code, output = run(env, "facts", "import", "members", str(members), "--as", "ada@acme.example")
    assert code == 2 and "error:" in output
    assert counts(application)[FactKind.MEMBERS] == 0
    assert "1 members fact(s) added" in ok(env, "facts", "import", "members", str(members))
    assert date(2024, 1, 1)  # the member_since column may stay empty (OIP-3 anchor unknown)


DOCS = Path(__file__).resolve().parents[2] / "docs" / "facts.md"


def test_every_example_of_the_documentation_imports(
    env: dict[str, str], application: Application, tmp_path: Path
) -> None:
    """docs/facts.md: each kind's CSV example is a valid file of that kind."""
    text = DOCS.read_text(encoding="utf-8")
    examples = re.findall(r"^## (\w+) —.*?```csv\n(.*?)```", text, re.MULTILINE | re.DOTALL)
    assert [kind for kind, _ in examples] == [kind.value for kind in FactKind]
    named = sorted(set(re.findall(r"\borg_d\d{8}\b", text)))
    with application.uow_factory() as uow:
        uow.organizations.add_many(
            [Organization(id=OrganizationId(i), name=i, country="FR") for i in named]
        )
        uow.commit()
    for kind, body in examples:
        path = write(tmp_path / f"{kind}.csv", body.rstrip("\n"))
        rows = body.count("\n") - 1
        assert f"{rows} {kind} fact(s) added" in ok(env, "facts", "import", kind, str(path))
