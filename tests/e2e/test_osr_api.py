"""OSR customer rewards through the REST API, on SQLite and PostgreSQL.

The scenario (``osr_scenario``) is loaded as the system would (customers, subscriptions,
invoices), its usage uploaded by finance staff, and its three months accrued; the clock
stands on 2022-03-01, so that every lot is still redeemable.
"""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from api_world import PASSWORD, error_of, login
from fastapi.testclient import TestClient
from osr_scenario import ScenarioFiles, create_partners, write_files

from alliance.bootstrap import Application
from alliance.domain.access import Actor
from alliance.domain.clock import FixedClock
from alliance.domain.ids import OrganizationId
from alliance.domain.people import PartnerRole, VendorRole
from alliance.services.auth import RegisterUser, register_user
from alliance.services.imports.customers import import_customers
from alliance.services.imports.invoices import import_invoices
from alliance.services.imports.subscriptions import import_subscriptions

Headers = dict[str, str]


class Osr:
    """The scenario's users, each with a bearer token, and its files."""

    def __init__(self, client: TestClient, tokens: dict[str, str], files: ScenarioFiles) -> None:
        self.client = client
        self.tokens = tokens
        self.files = files

    def auth(self, who: str) -> Headers:
        return {"Authorization": f"Bearer {self.tokens[who]}"}

    def statement(self, who: str, customer: str, as_of: str | None = None) -> Any:
        query = f"?as_of={as_of}" if as_of else ""
        answer = self.client.get(
            f"/api/v1/customers/{customer}/rewards/statement{query}", headers=self.auth(who)
        )
        assert answer.status_code == 200, answer.text
        return answer.json()["currencies"][0]

    def redeem(self, who: str, invoice: str, key: str, amount: str | None = None) -> Any:
        body: dict[str, str] = {"idempotency_key": key}
        if amount is not None:
            body["amount"] = amount
        return self.client.post(
            f"/api/v1/invoices/{invoice}/redemptions", json=body, headers=self.auth(who)
        )

    def upload(self, who: str, path: Path) -> Any:
        with path.open("rb") as stream:
            return self.client.post(
                "/api/v1/imports/usage",
                files={"file": (path.name, stream, "text/csv")},
                headers=self.auth(who),
            )


USERS = {
    "ula": ("ula@ula.example", "cus_ula"),
    "ula_eu": ("eu@ula.example", "cus_ula_eu"),
    "std": ("std@std.example", "cus_std"),
    "finance": ("fin@vendor.example", None),
    "viewer": ("view@vendor.example", None),
}


def _register(application: Application, email: str, org: str | None, **roles: Any) -> None:
    register_user(
        application.uow_factory(),
        Actor.system("seed"),
        RegisterUser(
            name=email.split("@")[0].title(),
            email=email,
            password=PASSWORD,
            organization_id=OrganizationId(org) if org else None,
            **roles,
        ),
        application.clock,
        application.passwords,
    )


@pytest.fixture
def osr(application: Application, client: TestClient, clock: FixedClock, tmp_path: Path) -> Osr:
    clock.set(datetime(2022, 3, 1, 9, 0, tzinfo=UTC))
    partners = create_partners(application)
    files = write_files(tmp_path / "scenario", partners)
    system = Actor.system("seed")
    for importer, path in (
        (import_customers, files.customers),
        (import_subscriptions, files.subscriptions),
        (import_invoices, files.invoices),
    ):
        importer(application.uow_factory(), system, path, clock=clock)
    customer = frozenset({PartnerRole.CUSTOMER_CONTACT})
    for email, org in USERS.values():
        if org is not None:
            _register(application, email, org, partner_roles=customer)
    _register(application, "fin@vendor.example", None, vendor_roles=frozenset({VendorRole.FINANCE}))
    _register(application, "view@vendor.example", None, vendor_roles=frozenset({VendorRole.VIEWER}))
    _register(application, "renew@renew.example", partners.renew.id, partner_roles=frozenset())
    _register(application, "rogue@rogue.example", partners.rogue.id, partner_roles=frozenset())
    emails = {who: email for who, (email, _) in USERS.items()}
    emails |= {"renew": "renew@renew.example", "rogue": "rogue@rogue.example"}
    world = Osr(client, {who: login(client, email) for who, email in emails.items()}, files)
    assert world.upload("finance", files.usage).status_code == 201
    for month in ("2021-12", "2022-01", "2022-02"):
        answer = client.post(
            "/api/v1/rewards/accruals", json={"month": month}, headers=world.auth("finance")
        )
        assert answer.status_code == 200, answer.text
    return world


def test_money_is_a_string_and_the_ula_customer_has_its_three_lots(osr: Osr) -> None:
    """OSR-11, OSR-14, OSR-17; X-1: amounts as exact strings, never floats."""
    section = osr.statement("ula", "cus_ula")
    assert section["accrued"] == {"amount": "462.00", "currency": "USD"}  # 330 + 99 + 33
    assert section["available"] == {"amount": "462.00", "currency": "USD"}
    assert [
        (lot["month"], lot["accrued"]["amount"], lot["expires_on"]) for lot in section["lots"]
    ] == [
        ("2021-12", "330.00", "2022-12-31"),
        ("2022-01", "99.00", "2023-01-31"),
        ("2022-02", "33.00", "2023-02-28"),
    ]
    assert section["company_available"]["amount"] == "561.00"  # + Ula Europe's 33 + 66


def test_a_statement_as_of_a_past_date(osr: Osr) -> None:
    """X-4: the statement of any past day is reconstructed from the postings."""
    assert osr.statement("ula", "cus_ula", "2022-01-15")["accrued"]["amount"] == "330.00"
    assert osr.statement("ula", "cus_ula", "2021-12-30")["accrued"]["amount"] == "0.00"


def test_a_customer_cannot_read_another_customers_statement(osr: Osr) -> None:
    """X-6, OSR-18: a customer's people see their own corporate hierarchy only."""
    assert osr.statement("ula", "cus_ula_eu")["accrued"]["amount"] == "99.00"
    for customer in ("cus_std", "cus_nobody"):
        answer = osr.client.get(
            f"/api/v1/customers/{customer}/rewards/statement", headers=osr.auth("ula")
        )
        assert answer.status_code == 403
        assert error_of(answer)["rule"] == "X-6"
    missing = osr.client.get(
        "/api/v1/customers/cus_nobody/rewards/statement", headers=osr.auth("viewer")
    )
    assert missing.status_code == 404
    assert osr.statement("viewer", "cus_std")["accrued"]["amount"] == "100.00"


def test_only_finance_staff_import_and_accrue(osr: Osr) -> None:
    """X-6: imports and accruals are the vendor's operations."""
    for who in ("ula", "viewer"):
        assert osr.upload(who, osr.files.usage).status_code == 403
        answer = osr.client.post(
            "/api/v1/rewards/accruals", json={"month": "2021-12"}, headers=osr.auth(who)
        )
        assert answer.status_code == 403


def test_reuploading_and_reaccruing_change_nothing(osr: Osr) -> None:
    """X-5: the same content is imported once; a month's lots are posted once."""
    again = osr.upload("finance", osr.files.usage)
    assert again.status_code == 200 and again.json()["already_imported"] is True
    answer = osr.client.post(
        "/api/v1/rewards/accruals", json={"month": "2021-12"}, headers=osr.auth("finance")
    )
    assert answer.json()["new_lots"] == 0 and answer.json()["already_posted"] == 4


def test_an_upload_with_three_bad_rows_names_them_and_imports_nothing(osr: Osr) -> None:
    """X-7."""
    answer = osr.upload("finance", osr.files.bad_usage)
    assert answer.status_code == 422
    locations = {p["location"] for p in error_of(answer)["problems"]}
    assert locations == {"bad_usage.csv:3", "bad_usage.csv:4", "bad_usage.csv:6"}


def test_redemption_pays_pre_tax_eligible_lines_earliest_expiry_first_across_the_hierarchy(
    osr: Osr,
) -> None:
    """OSR-18, OSR-19, OSR-20, OSR-21, OSR-22, OSR-23: 400.00 of database support, never
    the Java line or tax; December's lots of both entities first, then January's; never
    February's lot, accrued after the due date."""
    answer = osr.redeem("ula", "inv_ula", "pay-1")
    assert answer.status_code == 201, answer.text
    body = answer.json()
    assert body["redemption"]["amount"] == {"amount": "400.00", "currency": "USD"}
    lots = body["lots"]
    assert {(lot["owner"], lot["amount"]["amount"]) for lot in lots[:2]} == {
        ("cus_ula", "330.00"),
        ("cus_ula_eu", "33.00"),
    }
    assert all(lot["accrued_on"] == "2022-01-31" for lot in lots[2:])
    assert sum(Decimal(lot["amount"]["amount"]) for lot in lots) == Decimal("400.00")
    invoice = body["invoice"]
    assert invoice["tax"]["amount"] == "70.00"
    assert invoice["paid_with_rewards"]["amount"] == "400.00"
    assert invoice["still_payable_with_rewards"]["amount"] == "0.00"
    assert [line["payable_with_rewards"] for line in invoice["lines"]] == [True, False]
    february = [lot for lot in osr.statement("ula", "cus_ula")["lots"] if lot["month"] == "2022-02"]
    assert february[0]["available"]["amount"] == "33.00"


def test_more_than_the_pre_tax_amount_is_refused(osr: Osr) -> None:
    """OSR-19: never tax, never an excluded line."""
    answer = osr.redeem("ula", "inv_ula", "pay-too-much", "450.00")
    assert answer.status_code == 422
    assert error_of(answer)["rule"] == "OSR-19"
    java = osr.redeem("ula", "inv_java", "pay-java")
    assert java.status_code == 422 and error_of(java)["rule"] == "OSR-20"


def test_lots_accrued_after_the_due_date_cannot_pay(osr: Osr) -> None:
    """OSR-23: an invoice due 2022-01-15 is paid by December's lots only."""
    refused = osr.redeem("ula", "inv_ula_early", "early-500", "500.00")
    assert refused.status_code == 422
    error = error_of(refused)
    assert error["rule"] == "OSR-21" and "OSR-23" in error["message"]
    partial = osr.redeem("ula", "inv_ula_early", "early-all")
    assert partial.status_code == 201
    assert partial.json()["redemption"]["amount"]["amount"] == "363.00"


def test_the_same_key_pays_once(osr: Osr) -> None:
    """X-5: a replay returns the first redemption; the key with another request is refused."""
    first = osr.redeem("ula", "inv_ula", "pay-100", "100.00")
    again = osr.redeem("ula", "inv_ula", "pay-100", "100.00")
    assert (first.status_code, again.status_code) == (201, 200)
    assert again.json()["replayed"] is True
    assert again.json()["redemption"]["id"] == first.json()["redemption"]["id"]
    assert again.json()["invoice"]["paid_with_rewards"]["amount"] == "100.00"
    other = osr.redeem("ula", "inv_ula", "pay-100", "120.00")
    assert other.status_code == 409


def test_an_authorised_support_renewal_partner_pays_an_unauthorised_one_is_refused(
    osr: Osr,
) -> None:
    """OSR-10: the customer authorised Renew Partner, not Rogue Partner."""
    rogue = osr.redeem("rogue", "inv_ula", "rogue-1", "100.00")
    assert rogue.status_code == 403 and error_of(rogue)["rule"] == "OSR-10"
    assert osr.client.get("/api/v1/invoices/inv_ula", headers=osr.auth("rogue")).status_code == 403
    renew = osr.redeem("renew", "inv_ula", "renew-1", "100.00")
    assert renew.status_code == 201, renew.text
    assert {lot["owner"] for lot in renew.json()["lots"]} == {"cus_ula"}
    assert renew.json()["redemption"]["payer_kind"] == "support_renewal_partner"
    seen = osr.client.get("/api/v1/invoices/inv_ula", headers=osr.auth("renew"))
    assert seen.status_code == 200 and seen.json()["paid_with_rewards"]["amount"] == "100.00"


def test_another_customer_cannot_pay_or_see_the_invoice(osr: Osr) -> None:
    """OSR-18, X-6."""
    answer = osr.redeem("std", "inv_ula", "std-1", "10.00")
    assert answer.status_code == 403 and error_of(answer)["rule"] == "OSR-18"
    assert osr.redeem("std", "inv_nobody", "std-2").status_code == 403
    assert osr.client.get("/api/v1/invoices/inv_ula", headers=osr.auth("std")).status_code == 403
    eu = osr.client.get("/api/v1/invoices/inv_ula", headers=osr.auth("ula_eu"))
    assert eu.status_code == 200 and eu.json()["payable_with_rewards"]["amount"] == "400.00"


def test_expiry_moves_what_is_left_once(osr: Osr, clock: FixedClock) -> None:
    """OSR-14: valid 12 months; a rerun expires nothing twice."""
    osr.redeem("ula", "inv_ula", "pay-100", "100.00")  # from December's 330.00 lot
    clock.set(datetime(2023, 2, 1, tzinfo=UTC))
    first = osr.client.post(
        "/api/v1/rewards/expiries", json={"as_of": "2023-01-01"}, headers=osr.auth("finance")
    )
    assert first.status_code == 200, first.text
    assert first.json()["lots"] == 4
    assert first.json()["amounts"] == [{"amount": "413.00", "currency": "USD"}]  # 513 - 100
    again = osr.client.post(
        "/api/v1/rewards/expiries", json={"as_of": "2023-01-01"}, headers=osr.auth("finance")
    )
    assert again.json()["lots"] == 0
    section = osr.statement("ula", "cus_ula", "2023-01-15")
    assert section["used"]["amount"] == "100.00"
    assert section["expired"]["amount"] == "230.00"
    assert section["available"]["amount"] == "132.00"  # January's 99 and February's 33


def _parquet(path: Path, quantity: pa.Array) -> Path:
    rows = len(quantity)
    table = pa.table(
        {
            "customer_id": ["cus_std"] * rows,
            "subscription_id": ["sub_std"] * rows,
            "service": ["Block Storage"] * rows,
            "service_category": ["storage"] * rows,
            "month": ["2022-03"] * rows,
            "quantity": quantity,
            "unit_net_price": pa.array([Decimal("0.5")] * rows, pa.decimal128(18, 6)),
            "currency": ["USD"] * rows,
            "line_kind": ["overage"] * rows,
            **{
                flag: [False] * rows
                for flag in ("third_party", "marketplace", "saas", "free_tier", "rack_subscription")
            },
            "byol": [True] * rows,
        }
    )
    pq.write_table(table, path)
    return path


def test_a_parquet_file_is_imported_in_the_canonical_layout(osr: Osr, tmp_path: Path) -> None:
    """OSR-12: Parquet with exact decimals goes in as it is."""
    quantity = pa.array([Decimal("10.5"), Decimal("4")], pa.decimal128(12, 2))
    answer = osr.upload("finance", _parquet(tmp_path / "march.parquet", quantity))
    assert answer.status_code == 201, answer.text
    assert (answer.json()["months"], answer.json()["row_count"]) == (["2022-03"], 2)


def test_a_parquet_file_with_float_amounts_is_refused(osr: Osr, tmp_path: Path) -> None:
    """X-1: money and quantities are exact decimals, never floats."""
    answer = osr.upload("finance", _parquet(tmp_path / "floats.parquet", pa.array([1.5, 2.0])))
    assert answer.status_code == 422
    error = error_of(answer)
    assert (error["field"], error["rule"]) == ("quantity", "X-1")
