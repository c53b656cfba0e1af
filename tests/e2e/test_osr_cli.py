"""OSR customer rewards through the ``alliance`` command line, on SQLite and PostgreSQL.

The scenario (``osr_scenario``) is loaded from CSV files with ``alliance import``; the
commands run as the operator, with the real clock (the scenario's months have all ended).
"""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pytest
from osr_scenario import DEC_2021_LOTS, ScenarioFiles, create_partners, write_files
from typer.testing import CliRunner

from alliance.bootstrap import Application
from alliance.cli.main import _build

runner = CliRunner()


@pytest.fixture
def env(application: Application, tmp_path: Path) -> dict[str, str]:
    """The CLI's environment: the test's database (fresh, at head) and a data folder."""
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


@pytest.fixture
def files(env: dict[str, str], application: Application, tmp_path: Path) -> ScenarioFiles:
    """The scenario's files, its partners created and its facts imported."""
    files = write_files(tmp_path / "scenario", create_partners(application))
    assert "4 customer profiles added" in ok(env, "import", "customers", str(files.customers))
    assert "8 subscriptions added" in ok(env, "import", "subscriptions", str(files.subscriptions))
    assert "imported 12 usage lines" in ok(env, "import", "usage", str(files.usage))
    assert "4 invoices added" in ok(env, "import", "invoices", str(files.invoices))
    return files


def statement(env: dict[str, str], customer: str, as_of: str) -> dict[str, object]:
    output = ok(env, "rewards", "statement", customer, "--as-of", as_of, "--json")
    body: dict[str, object] = json.loads(output)
    return body


def usd(section: dict[str, object], name: str) -> str:
    money = section[name]
    assert isinstance(money, dict) and money["currency"] == "USD"
    amount: str = money["amount"]
    return amount


def only_currency(body: dict[str, object]) -> dict[str, object]:
    sections = body["currencies"]
    assert isinstance(sections, list) and len(sections) == 1
    section: dict[str, object] = sections[0]
    return section


def test_a_ula_customer_with_1000_usd_eligible_in_december_2021_gets_330_expiring_end_2022(
    env: dict[str, str], files: ScenarioFiles
) -> None:
    """OSR-11 (33 % with a ULA), OSR-12 (once at month end), OSR-14 (12 months)."""
    output = ok(env, "accrue", "--month", "2021-12")
    assert "4 new lots, 0 already posted" in output
    assert "513.00 USD" in output  # 330 + 33 + 100 + 50

    december = only_currency(statement(env, "cus_ula", "2022-06-30"))
    assert usd(december, "accrued") == "330.00"
    assert usd(december, "available") == "330.00"
    lots = december["lots"]
    assert isinstance(lots, list) and len(lots) == 1
    assert lots[0]["month"] == "2021-12"
    assert lots[0]["accrued_on"] == "2021-12-31"
    assert lots[0]["expires_on"] == "2022-12-31"

    last_day = only_currency(statement(env, "cus_ula", "2022-12-31"))
    assert usd(last_day, "available") == "330.00"  # still redeemable on its expiry day
    after = only_currency(statement(env, "cus_ula", "2023-01-01"))
    assert usd(after, "available") == "0.00"
    assert usd(after, "expired") == "330.00"


def test_pay_as_you_go_trial_excluded_region_and_marketplace_lines_earn_nothing(
    env: dict[str, str], files: ScenarioFiles
) -> None:
    """OSR-2, OSR-3, OSR-7: Standard Co earns only on its committed-credit order in GB."""
    ok(env, "accrue", "--month", "2021-12")
    for customer, amount in DEC_2021_LOTS.items():
        section = only_currency(statement(env, customer, "2022-01-31"))
        assert usd(section, "accrued") == f"{amount:.2f}", customer


def test_rerunning_a_month_posts_nothing_new(env: dict[str, str], files: ScenarioFiles) -> None:
    """X-5: one lot per buyer-month, whatever the number of runs."""
    ok(env, "accrue", "--month", "2021-12")
    assert "0 new lots, 4 already posted" in ok(env, "accrue", "--month", "2021-12")
    assert usd(only_currency(statement(env, "cus_ula", "2022-06-30")), "accrued") == "330.00"


def test_the_reference_and_the_batch_engine_post_the_same_lots(
    env: dict[str, str], files: ScenarioFiles
) -> None:
    """The pure reference first; the batch engine then finds every lot posted with the
    same request (a different amount would be refused as an idempotency conflict)."""
    assert "4 new lots" in ok(env, "accrue", "--month", "2021-12", "--reference")
    assert "0 new lots, 4 already posted" in ok(env, "accrue", "--month", "2021-12")


def test_reimporting_the_same_usage_file_changes_nothing(
    env: dict[str, str], files: ScenarioFiles
) -> None:
    """X-5: the content's SHA-256 is imported once."""
    output = ok(env, "import", "usage", str(files.usage))
    assert "already imported" in output and "nothing changed" in output
    assert "4 new lots" in ok(env, "accrue", "--month", "2021-12")


def test_a_file_with_three_bad_rows_reports_their_lines_and_imports_nothing(
    env: dict[str, str], files: ScenarioFiles
) -> None:
    """X-7: every bad row, located; all or nothing."""
    code, output = run(env, "import", "usage", str(files.bad_usage))
    assert code == 2
    assert "3 bad row(s) of 5" in output
    lines = output.splitlines()
    assert "bad_usage.csv:3: quantity: must be ≥ 0 [X-7]" in lines
    assert any(line.startswith("bad_usage.csv:4: month: is not a month") for line in lines)
    assert any(line.startswith("bad_usage.csv:6: customer_id: is not a known") for line in lines)
    assert not any(line.startswith(("bad_usage.csv:2:", "bad_usage.csv:5:")) for line in lines)
    assert "no usage imported" in ok(env, "accrue", "--month", "2022-03")


def test_a_month_that_has_not_ended_is_not_accrued(env: dict[str, str]) -> None:
    """OSR-12: computed once at the end of each month."""
    code, output = run(env, "accrue", "--month", "2999-01")
    assert code == 2
    assert "[OSR-12]" in output


def test_expire_moves_expired_value_once(env: dict[str, str], files: ScenarioFiles) -> None:
    """OSR-14: a lot accrued at the end of December 2021 expires at the end of 2022."""
    ok(env, "accrue", "--month", "2021-12")
    ok(env, "accrue", "--month", "2022-01")
    assert "no lot to expire" in ok(env, "expire", "--as-of", "2022-12-31")
    output = ok(env, "expire", "--as-of", "2023-01-01")
    assert "4 lot(s) expired, 513.00 USD moved to expired" in output
    assert "no lot to expire" in ok(env, "expire", "--as-of", "2023-01-01")
    section = only_currency(statement(env, "cus_ula", "2023-01-15"))
    assert usd(section, "expired") == "330.00"
    assert usd(section, "available") == "99.00"  # January's lot, expiring 2023-01-31


def test_usage_of_an_accrued_month_is_refused(env: dict[str, str], files: ScenarioFiles) -> None:
    """OSR-12: a month's rewards are computed once; its usage can no longer change."""
    ok(env, "accrue", "--month", "2021-12")
    late = files.usage.with_name("late.csv")
    late.write_text(files.usage.read_text().splitlines()[0] + "\n" + "\n".join(
        files.usage.read_text().splitlines()[1:2]
    ) + "\n")  # fmt: skip
    code, output = run(env, "import", "usage", str(late))
    assert code == 2
    assert "late.csv: month: 2021-12 was already accrued" in output


def test_redeeming_expired_rewards_is_refused_naming_the_rules(
    env: dict[str, str], files: ScenarioFiles
) -> None:
    """OSR-14, OSR-21: today every lot of the scenario has expired."""
    ok(env, "accrue", "--month", "2021-12")
    code, output = run(env, "rewards", "redeem", "inv_ula")
    assert code == 2
    assert "[OSR-21]" in output and "OSR-14" in output


def test_the_invoice_shows_what_rewards_may_pay(env: dict[str, str], files: ScenarioFiles) -> None:
    """OSR-19, OSR-20: the pre-tax database support, not Java, never tax."""
    output = ok(env, "rewards", "invoice", "inv_ula")
    assert "not payable with rewards, OSR-20" in output
    assert "payable with rewards 400.00 USD" in output


def test_bad_subscriptions_are_all_reported(env: dict[str, str], files: ScenarioFiles) -> None:
    """X-7: every bad row of a subscriptions file, and nothing applied."""
    bad = files.subscriptions.with_name("bad_subscriptions.csv")
    bad.write_text(
        "subscription_id,customer_id,order_type,service_start,service_end,country\n"
        "sub_x,cus_ula,committed_credits,2021-01-01,2020-01-01,US\n"
        "sub_y,cus_ula,monthly,2021-01-01,2022-01-01,US\n"
        "sub_z,cus_nobody,trial,2021-01-01,2022-01-01,USA\n"
    )
    code, output = run(env, "import", "subscriptions", str(bad))
    assert code == 2
    for where in (
        "bad_subscriptions.csv:2:",
        "bad_subscriptions.csv:3:",
        "bad_subscriptions.csv:4:",
    ):
        assert where in output
    assert "order_type: must be one of" in output


def test_the_demo_shows_real_reward_balances(env: dict[str, str], tmp_path: Path) -> None:
    """OSR-17: the demo loads profiles, orders, invoices and usage, accrues every ended
    month and expires what has expired, so statements show accrued and expired rewards."""
    args = ("demo", "--no-serve", "--partners", "10", "--seed", "3", "--end-month", "2026-09")
    output = ok(env, *args, "--facts-dir", str(tmp_path / "facts"))
    assert "Customer rewards:" in output and "24 months accrued" in output
    body = statement(env, "cus_d00000000", "2026-10-31")
    section = only_currency(body)
    lots = section["lots"]
    assert isinstance(lots, list) and lots
    assert Decimal(usd(section, "accrued")) > 0
