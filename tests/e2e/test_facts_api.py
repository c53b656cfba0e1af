"""``POST /api/v1/facts/{kind}``: a CSV or Parquet upload, or JSON rows, on SQLite and
PostgreSQL. Every bad line is named in one 422 (X-7); a rerun adds 0 (X-5); only program
administrators import (403 for a partner, and for other vendor staff)."""

from __future__ import annotations

import io
from decimal import Decimal

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from api_world import World, _user, error_of, login
from fastapi.testclient import TestClient

from alliance.bootstrap import Application
from alliance.domain.people import VendorRole
from alliance.services.tier_facts.ports import FactKind

ADMIN = "pam@vendor.example"


@pytest.fixture
def admin(application: Application, client: TestClient, world: World) -> dict[str, str]:
    _user(application, ADMIN, None, VendorRole.PROGRAM_ADMIN)
    return {"Authorization": f"Bearer {login(client, ADMIN)}"}


def csv_file(name: str, *lines: str) -> dict[str, tuple[str, bytes, str]]:
    return {"file": (name, ("\n".join(lines) + "\n").encode(), "text/csv")}


def test_an_upload_is_imported_once(
    client: TestClient, world: World, admin: dict[str, str], application: Application
) -> None:
    acme, globex = world.acme.id, world.globex.id
    files = csv_file(
        "deployments.csv",
        "partner_id,deployment_id,area,deployed_on,service_id",
        f"{acme},dep_1,infrastructure,2024-06-03,vm",
        f"{globex},dep_2,security,2024-07-04,",
    )
    first = client.post("/api/v1/facts/deployments", files=files, headers=admin)
    assert first.status_code == 201, first.text
    body = first.json()
    assert (body["added"], body["already_there"], body["replayed"]) == (2, 0, False)
    again = client.post("/api/v1/facts/deployments", files=files, headers=admin)
    assert again.status_code == 200
    assert (again.json()["added"], again.json()["replayed"]) == (0, True)
    counts = client.get("/api/v1/facts", headers=admin).json()["counts"]
    assert counts["deployments"] == 2 and counts["deals"] == 0


def test_a_bad_upload_names_every_bad_line(
    client: TestClient, world: World, admin: dict[str, str], application: Application
) -> None:
    acme = world.acme.id
    files = csv_file(
        "orders.csv",
        "partner_id,order_id,ordered_on,amount,currency",
        f"{acme},o1,2024-10-03,500.00,EUR",
        f"{acme},o2,2024-10-32,500.00,EUR",
        f"{acme},,2024-10-03,12.345678,EUR",
        f"{acme},o4,2024-10-03,7,EUR",
    )
    answer = client.post("/api/v1/facts/orders", files=files, headers=admin)
    assert answer.status_code == 422
    error = error_of(answer)
    assert error["code"] == "invalid_input"
    found = [(p["location"], p["field"], p["rule"]) for p in error["problems"]]
    assert found == [
        ("orders.csv:3", "ordered_on", "X-2"),
        ("orders.csv:4", "order_id", "X-7"),
        ("orders.csv:4", "amount", "X-1"),
    ]
    with application.uow_factory() as uow:
        assert uow.tier_facts.count(FactKind.ORDERS) == 0


def test_json_rows_are_imported_and_floats_refused(
    client: TestClient, world: World, admin: dict[str, str], application: Application
) -> None:
    acme, globex = world.acme.id, world.globex.id
    deal = {
        "deal_id": "deal_1",
        "transacting_partner_id": acme,
        "influencing_partner_ids": [globex],
        "amount": "25000.50",
        "currency": "USD",
        "products": "m365;teams",
        "booked_on": "2024-07-01",
    }
    answer = client.post("/api/v1/facts/deals", json={"rows": [deal]}, headers=admin)
    assert answer.status_code == 201, answer.text
    with application.uow_factory() as uow:
        deals = uow.tier_facts.table(FactKind.DEALS).to_pylist()
    assert deals[0]["amount"] == Decimal("25000.5000")
    assert deals[0]["influencing_partner_ids"] == [globex]
    assert deals[0]["products"] == ["m365", "teams"]
    floats = {**deal, "deal_id": "deal_2", "amount": 10.5}
    refused = client.post("/api/v1/facts/deals", json={"rows": [deal, floats]}, headers=admin)
    assert refused.status_code == 422
    [problem] = error_of(refused)["problems"]
    assert (problem["location"], problem["field"], problem["rule"]) == ("row 2", "amount", "X-1")
    # the same deal saying another amount is refused at its row
    changed = client.post(
        "/api/v1/facts/deals", json={"rows": [{**deal, "amount": "1"}]}, headers=admin
    )
    assert changed.status_code == 422
    [problem] = error_of(changed)["problems"]
    assert (problem["location"], problem["field"], problem["rule"]) == ("row 1", "amount", "X-5")


def test_a_parquet_upload(client: TestClient, world: World, admin: dict[str, str]) -> None:
    buffer = io.BytesIO()
    pq.write_table(
        pa.table(
            {
                "partner_id": [world.acme.id],
                "month": ["2024-10"],
                "amount": pa.array([Decimal("99.99")], pa.decimal128(10, 2)),
                "currency": ["EUR"],
                "kind": ["recurring"],
                "line_id": ["l1"],
            }
        ),
        buffer,
    )
    files = {"file": ("revenue.parquet", buffer.getvalue(), "application/octet-stream")}
    answer = client.post("/api/v1/facts/revenue", files=files, headers=admin)
    assert answer.status_code == 201, answer.text
    assert answer.json()["added"] == 1


@pytest.mark.parametrize("who", ["acme_admin", "manager", "viewer"])
def test_only_program_admins_import(client: TestClient, world: World, who: str) -> None:
    files = csv_file("members.csv", "partner_id,member_type", f"{world.acme.id},operator")
    answer = client.post("/api/v1/facts/members", files=files, headers=world.auth(who))
    assert answer.status_code == 403
    assert error_of(answer)["code"] == "forbidden"


def test_an_unknown_kind_is_refused(client: TestClient, admin: dict[str, str]) -> None:
    answer = client.post("/api/v1/facts/invoices", json={"rows": [{"a": "b"}]}, headers=admin)
    assert answer.status_code == 422
    assert error_of(answer)["field"] == "kind"
