"""OPN memberships through the REST API, on SQLite and PostgreSQL: enrolment and its fees
(OPN-4 … OPN-7, OPN-9, OPN-10), refused plans naming the rule (OPN-5, OPN-6), associate
approval and inheritance (OPN-2, OPN-8), renewal window edges (OPN-14: day 90 vs 91),
expiry (OPN-15), the level-0 expertise refusal (OPN-17), the daily job's idempotency
(X-5) and tenancy (X-6): a partner never sees another's memberships or applications.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest
from api_world import World, _user, error_of, login
from fastapi.testclient import TestClient

from alliance.bootstrap import Application
from alliance.domain.clock import FixedClock
from alliance.domain.people import VendorRole
from memberships_forms import Answers, associate_answers, principal_answers

API = "/api/v1"


@pytest.fixture
def staff(application: Application, client: TestClient, world: World) -> dict[str, str]:
    """Finance and program staff: they record payments and run the daily job."""
    _user(application, "fay@vendor.example", None, VendorRole.FINANCE)
    _user(application, "pat@vendor.example", None, VendorRole.PROGRAM_ADMIN)
    return {
        "finance": login(client, "fay@vendor.example"),
        "admin": login(client, "pat@vendor.example"),
    }


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def enrol(
    client: TestClient, headers: dict[str, str], organization_id: str, answers: Answers
) -> dict[str, Any]:
    started = client.post(
        f"{API}/applications", json={"organization_id": organization_id}, headers=headers
    )
    assert started.status_code == 201, started.text
    app_id = started.json()["id"]
    for step, data in answers:
        saved = client.put(f"{API}/applications/{app_id}/steps/{step}", json=data, headers=headers)
        assert saved.status_code == 200, saved.text
    submitted = client.post(f"{API}/applications/{app_id}/submit", headers=headers)
    assert submitted.status_code == 200, submitted.text
    body: dict[str, Any] = submitted.json()
    return body


def test_anonymous_callers_are_refused(client: TestClient) -> None:
    assert client.get(f"{API}/memberships").status_code == 401
    assert client.post(f"{API}/applications", json={"organization_id": "x"}).status_code == 401


def test_enrolment_fees_tenancy_and_associate_approval(
    client: TestClient, world: World, staff: dict[str, str], clock: FixedClock
) -> None:
    acme_admin, globex_admin = world.auth("acme_admin"), world.auth("globex_admin")
    done = enrol(client, acme_admin, world.acme.id, principal_answers("l2", "quarterly", "card"))
    membership, invoice = done["membership"], done["invoice"]
    sub = membership["subscription_id"]
    assert (membership["status"], membership["start"], membership["end"]) == (
        "active",
        "2025-03-14",
        "2026-03-14",
    )
    assert membership["standing"]["benefits"] is True
    assert invoice["reference"] == sub  # OPN-7
    assert invoice["amount"] == {"amount": "100000.00", "currency": "USD"}
    assert [(i["amount"]["amount"], i["due_on"]) for i in invoice["instalments"]] == [
        ("25000.00", "2025-03-14"),
        ("25000.00", "2025-06-14"),
        ("25000.00", "2025-09-14"),
        ("25000.00", "2025-12-14"),
    ]
    # Globex never sees Acme's membership, invoices or application
    assert client.get(f"{API}/memberships/{sub}", headers=globex_admin).status_code == 403
    assert client.get(f"{API}/memberships/{sub}/invoices", headers=globex_admin).status_code == 403
    unknown = client.get(f"{API}/memberships/sub_unknown", headers=globex_admin)
    assert unknown.status_code == 403  # an unknown id answers alike
    app_id = done["application"]["id"]
    assert client.get(f"{API}/applications/{app_id}", headers=globex_admin).status_code == 403
    assert client.get(f"{API}/memberships", headers=globex_admin).json() == []
    assert client.get(f"{API}/applications", headers=globex_admin).json() == []
    assert client.get(f"{API}/memberships/{sub}", headers=world.auth("viewer")).status_code == 200
    # a partner does not record its own payments: the vendor's finance staff do
    paying = {"amount": {"amount": "25000.00", "currency": "USD"}}
    assert (
        client.post(
            f"{API}/memberships/{sub}/payments", json=paying, headers=acme_admin
        ).status_code
        == 403
    )
    paid = client.post(
        f"{API}/memberships/{sub}/payments", json=paying, headers=bearer(staff["finance"])
    )
    assert paid.status_code == 201, paid.text
    assert [i["paid_on"] for i in paid.json()["invoice"]["instalments"]] == [
        "2025-03-14",
        None,
        None,
        None,
    ]
    replay = client.post(
        f"{API}/memberships/{sub}/payments", json=paying, headers=bearer(staff["finance"])
    )
    assert replay.status_code == 200 and replay.json()["replayed"] is True

    # OPN-2 / OPN-8: Acme Iberia applies under Acme and waits for Acme's administrator
    clock.set(datetime(2025, 5, 2, 9, tzinfo=UTC))
    iberia = world.auth("iberia_user")
    pending = enrol(
        client, iberia, world.iberia.id, associate_answers(sub, "quarterly", "wire", level="l2")
    )
    assert pending["application"]["status"] == "pending_approval"
    assert pending["membership"] is None
    associate_app = pending["application"]["id"]
    refused = client.post(f"{API}/applications/{associate_app}/approve", headers=iberia)
    assert refused.status_code == 403
    assert error_of(refused)["rule"] == "OPN-2"
    other = client.post(f"{API}/applications/{associate_app}/approve", headers=globex_admin)
    assert other.status_code == 403
    approved = client.post(f"{API}/applications/{associate_app}/approve", headers=acme_admin)
    assert approved.status_code == 200, approved.text
    associate = approved.json()["membership"]
    assert (associate["level"], associate["principal"], associate["end"]) == (
        "l2",
        sub,
        "2026-03-14",
    )
    assert associate["start"] == "2025-05-02"
    listed = {
        m["subscription_id"] for m in client.get(f"{API}/memberships", headers=acme_admin).json()
    }
    assert listed == {sub, associate["subscription_id"]}  # OPN-3: the whole company
    assert (
        client.get(
            f"{API}/memberships/{associate['subscription_id']}", headers=globex_admin
        ).status_code
        == 403
    )
    # OPN-13: the associate cannot join a track; when the principal joins, it follows
    own = client.put(
        f"{API}/memberships/{associate['subscription_id']}/tracks/healthcare", headers=acme_admin
    )
    assert own.status_code == 422 and error_of(own)["rule"] == "OPN-13"
    joined = client.put(f"{API}/memberships/{sub}/tracks/healthcare", headers=acme_admin)
    assert joined.status_code == 200 and joined.json()["tracks"] == ["healthcare"]
    follows = client.get(f"{API}/memberships/{associate['subscription_id']}", headers=acme_admin)
    assert follows.json()["tracks"] == ["healthcare"]


@pytest.mark.parametrize(
    ("level", "plan", "method", "rule", "field"),
    [
        ("l1", "quarterly", "wire", "OPN-6", "plan"),
        ("l3", "annual", "card", "OPN-5", "method"),
    ],
)
def test_plans_the_level_does_not_offer_are_refused(
    client: TestClient, world: World, level: str, plan: str, method: str, rule: str, field: str
) -> None:
    headers = world.auth("globex_admin")
    started = client.post(
        f"{API}/applications", json={"organization_id": world.globex.id}, headers=headers
    )
    app_id = started.json()["id"]
    for step, data in principal_answers(level, plan, method, country="DE"):
        saved = client.put(f"{API}/applications/{app_id}/steps/{step}", json=data, headers=headers)
        if step == "payment":
            assert saved.status_code == 422
            error = error_of(saved)
            assert (error["rule"], error["field"]) == (rule, field)
            return
        assert saved.status_code == 200, saved.text
    raise AssertionError("not refused")


def test_level_0_expertise_renewal_window_and_the_daily_job(
    client: TestClient, world: World, staff: dict[str, str], clock: FixedClock
) -> None:
    globex = world.auth("globex_admin")
    l0 = enrol(
        client, globex, world.globex.id, principal_answers("l0", "annual", "card", country="DE")
    )
    sub = l0["membership"]["subscription_id"]
    assert l0["membership"]["status"] == "pending_payment"
    assert l0["invoice"]["amount"] == {"amount": "500.00", "currency": "USD"}
    paid = client.post(
        f"{API}/memberships/{sub}/payments",
        json={"amount": {"amount": "500", "currency": "USD"}, "method": "card"},
        headers=bearer(staff["finance"]),
    )
    assert paid.json()["activated"] is True
    publish = client.post(
        f"{API}/memberships/{sub}/expertise",
        json={"product": "database", "qualifications": ["dba"]},
        headers=globex,
    )
    assert publish.status_code == 422
    assert (error_of(publish)["rule"], error_of(publish)["code"]) == (
        "OPN-17",
        "level_too_low_for_expertise",
    )
    # OPN-14: the membership ends 2026-03-14; day 91 before is refused, day 90 opens
    clock.set(datetime(2025, 12, 13, 12, tzinfo=UTC))
    early = client.post(f"{API}/memberships/{sub}/renewal", headers=globex)
    assert early.status_code == 422 and error_of(early)["rule"] == "OPN-14"
    clock.set(datetime(2025, 12, 14, 12, tzinfo=UTC))
    opened = client.post(f"{API}/memberships/{sub}/renewal", headers=globex)
    assert opened.status_code == 201, opened.text
    assert opened.json()["kind"] == "renewal"
    # the daily job: program staff only; expiry the day after the end date, once
    assert (
        client.post(
            f"{API}/memberships/tick", json={"as_of": "2026-03-15"}, headers=globex
        ).status_code
        == 403
    )
    admin = bearer(staff["admin"])
    first = client.post(f"{API}/memberships/tick", json={"as_of": "2026-03-15"}, headers=admin)
    assert first.status_code == 200, first.text
    assert first.json()["counts"]["expire"] == 1
    again = client.post(f"{API}/memberships/tick", json={"as_of": "2026-03-15"}, headers=admin)
    assert again.json()["counts"] == {}
    clock.set(datetime(2026, 3, 15, 12, tzinfo=UTC))
    expired = client.get(f"{API}/memberships/{sub}", headers=globex).json()
    assert expired["status"] == "expired"
    assert expired["standing"]["benefits"] is False
    assert expired["standing"]["rule"] == "OPN-15"
    assert expired["renewal"]["route"] == "in_progress" or expired["renewal"]["route"] == "late"


def person_id(application: Application, email: str) -> str:
    with application.uow_factory() as uow:
        person = uow.people.by_email(email)
        assert person is not None
        return str(person.id)


def test_rejection_roles_and_a_declined_renewal(
    application: Application,
    client: TestClient,
    world: World,
    staff: dict[str, str],
    clock: FixedClock,
) -> None:
    """OPN-2 rejection; OPN-18 who assigns roles and their bounds; OPN-16 effects recorded
    on an approved renewal; OPN-15 a declined renewal must enrol anew."""
    acme_admin, iberia = world.auth("acme_admin"), world.auth("iberia_user")
    done = enrol(client, acme_admin, world.acme.id, principal_answers("l1", "annual", "wire"))
    sub = done["membership"]["subscription_id"]
    assert done["membership"]["status"] == "pending_payment"
    finance = bearer(staff["finance"])
    five_thousand = {"amount": {"amount": "5000", "currency": "USD"}}
    paid = client.post(f"{API}/memberships/{sub}/payments", json=five_thousand, headers=finance)
    assert paid.json()["activated"] is True
    pending = enrol(client, iberia, world.iberia.id, associate_answers(sub))
    app_id = pending["application"]["id"]
    rejected = client.post(
        f"{API}/applications/{app_id}/reject", json={"note": "not yet"}, headers=acme_admin
    )
    assert rejected.status_code == 200 and rejected.json()["application"]["status"] == "rejected"
    twice = client.post(f"{API}/applications/{app_id}/approve", headers=acme_admin)
    assert twice.status_code == 409  # a decided application is not decided again

    # OPN-18: the administrator assigns roles in its company, within their bounds
    ines = person_id(application, "ines@acme-iberia.example")
    by_member = client.put(f"{API}/memberships/roles/{ines}/legal_contact", headers=iberia)
    assert by_member.status_code == 403 and error_of(by_member)["rule"] == "OPN-18"
    by_other = client.put(
        f"{API}/memberships/roles/{ines}/legal_contact", headers=world.auth("globex_admin")
    )
    assert by_other.status_code == 403
    given = client.put(f"{API}/memberships/roles/{ines}/legal_contact", headers=acme_admin)
    assert given.status_code == 200 and "legal_contact" in given.json()["partner_roles"]
    ada = person_id(application, "ada@acme.example")
    last = client.delete(f"{API}/memberships/roles/{ada}/partner_administrator", headers=acme_admin)
    assert last.status_code == 422 and error_of(last)["rule"] == "OPN-10"

    # OPN-14 / OPN-16: renew in the window; staff approve, recording the legacy effects
    clock.set(datetime(2025, 12, 14, 12, tzinfo=UTC))
    renewal = client.post(f"{API}/memberships/{sub}/renewal", headers=acme_admin)
    assert renewal.status_code == 201, renewal.text
    renewal_id = renewal.json()["id"]
    for step, data in principal_answers("l1", "annual", "wire"):
        if step == "company_and_contacts":
            skipped = client.put(
                f"{API}/applications/{renewal_id}/steps/{step}", json=data, headers=acme_admin
            )
            assert skipped.status_code == 422  # a renewal skips the company details (OPN-9)
            continue
        saved = client.put(
            f"{API}/applications/{renewal_id}/steps/{step}", json=data, headers=acme_admin
        )
        assert saved.status_code == 200, saved.text
    submitted = client.post(f"{API}/applications/{renewal_id}/submit", headers=acme_admin)
    assert submitted.status_code == 200, submitted.text
    assert submitted.json()["membership"]["renewal"]["status"] == "requested"
    assert submitted.json()["invoice"]["amount"] == {"amount": "5000.00", "currency": "USD"}
    legacy = {
        "legacy": {
            "unused_universal_credits": "1200.50",
            "training_subscriptions": [{"id": "ucls-1", "activated": False}],
        }
    }
    by_partner = client.post(
        f"{API}/memberships/{sub}/renewal/approve", json=legacy, headers=acme_admin
    )
    assert by_partner.status_code == 403
    approved = client.post(
        f"{API}/memberships/{sub}/renewal/approve", json=legacy, headers=bearer(staff["admin"])
    )
    assert approved.status_code == 200, approved.text
    renewed = approved.json()["renewal"]
    assert (renewed["status"], renewed["term_start"], renewed["term_end"]) == (
        "approved",
        "2026-03-14",
        "2027-03-14",
    )
    assert renewed["effects"] == [
        {"kind": "universal_credits_lapse", "amount": "1200.50", "rule": "OPN-16"},
        {"kind": "training_lapses", "subscription": "ucls-1", "rule": "OPN-16"},
    ]


def test_a_declined_renewal_must_enrol_anew(
    client: TestClient, world: World, staff: dict[str, str], clock: FixedClock
) -> None:
    """OPN-15: a renewal requested but not paid is declined; renewing is then refused."""
    globex = world.auth("globex_admin")
    done = enrol(
        client, globex, world.globex.id, principal_answers("l1", "annual", "card", country="DE")
    )
    sub = done["membership"]["subscription_id"]
    client.post(
        f"{API}/memberships/{sub}/payments",
        json={"amount": {"amount": "5000", "currency": "USD"}},
        headers=bearer(staff["finance"]),
    )
    clock.set(datetime(2026, 2, 1, 12, tzinfo=UTC))
    renewal = client.post(f"{API}/memberships/{sub}/renewal", headers=globex).json()
    for step, data in principal_answers("l1", "annual", "card", country="DE"):
        if step != "company_and_contacts":
            client.put(
                f"{API}/applications/{renewal['id']}/steps/{step}", json=data, headers=globex
            )
    assert (
        client.post(f"{API}/applications/{renewal['id']}/submit", headers=globex).status_code == 200
    )
    admin = bearer(staff["admin"])
    client.post(f"{API}/memberships/tick", json={"as_of": "2026-03-15"}, headers=admin)
    declined = client.post(f"{API}/memberships/{sub}/renewal/decline", headers=admin)
    assert declined.status_code == 200, declined.text
    assert declined.json()["status"] == "lapsed"
    clock.set(datetime(2026, 3, 20, 12, tzinfo=UTC))
    again = client.post(f"{API}/memberships/{sub}/renewal", headers=globex)
    assert again.status_code == 422
    assert (error_of(again)["rule"], error_of(again)["code"]) == ("OPN-15", "must_enrol_anew")
    anew = client.post(
        f"{API}/applications", json={"organization_id": world.globex.id}, headers=globex
    )
    assert anew.status_code == 201  # enrolling anew is open
