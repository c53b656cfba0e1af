"""Events, e-mails and webhook endpoints are checked when made; adapters read their URLs."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path

import pytest

from alliance.domain.errors import InvalidInput
from alliance.domain.notifications import (
    EVENT_ID_HEADER,
    DeliveryKind,
    DeliveryStatus,
    Event,
    Message,
    WebhookEndpoint,
    check_event_types,
    check_webhook_url,
    email_delivery,
)
from alliance.notify.smtp import MailboxMailer, SmtpMailer, build_email, mailer_for

NOW = datetime(2025, 3, 14, 9, 30, tzinfo=UTC)


def event(**overrides: object) -> Event:
    fields: dict[str, object] = {
        "type": "engagement.acknowledged",
        "id": "evt_1",
        "payload": {"engagement_id": "eng_1"},
        "occurred_at": NOW,
    }
    fields.update(overrides)
    return Event(**fields)  # type: ignore[arg-type]


def test_a_payload_is_kept_as_json_with_exact_decimals_as_strings() -> None:
    made = event(payload={"amount": Decimal("12.50"), "on": NOW, "tags": {"b", "a"}})
    assert made.payload == {
        "amount": "12.50",
        "on": "2025-03-14T09:30:00+00:00",
        "tags": ["a", "b"],
    }


@pytest.mark.parametrize(
    "overrides",
    [
        {"type": "Acknowledged"},
        {"type": "engagement"},
        {"type": "engagement.acknowledged!"},
        {"id": ""},
        {"id": "evt_1\r\nBcc: everyone@example.com"},
        {"payload": {"what": object()}},
        {"payload": {"ratio": float("nan")}},
    ],
)
def test_a_bad_event_is_refused(overrides: dict[str, object]) -> None:
    with pytest.raises(InvalidInput):
        event(**overrides)


def test_an_event_happens_at_an_aware_moment() -> None:
    with pytest.raises(ValueError, match="aware"):
        event(occurred_at=datetime(2025, 3, 14, 9, 30))


def test_a_new_event_gets_a_fresh_id() -> None:
    first = Event.new("engagement.acknowledged", {}, occurred_at=NOW)
    second = Event.new("engagement.acknowledged", {}, occurred_at=NOW)
    assert first.id.startswith("evt_") and first.id != second.id


@pytest.mark.parametrize(
    ("to", "subject"),
    [
        ("not-an-address", "Hello"),
        ("ada@acme.example\r\nBcc: x@y.z", "Hello"),
        ("ada@acme.example", "Hello\r\nBcc: everyone@example.com"),
    ],
)
def test_a_message_cannot_smuggle_headers(to: str, subject: str) -> None:
    with pytest.raises(InvalidInput):
        Message(to, subject, "text")


def test_an_email_delivery_belongs_to_its_event() -> None:
    delivery = email_delivery(event(), Message(" ada@acme.example ", "Hi", "Text"), NOW)

    assert delivery.kind is DeliveryKind.EMAIL
    assert delivery.status is DeliveryStatus.PENDING
    assert (delivery.target, delivery.event_id, delivery.next_attempt_at) == (
        "ada@acme.example",
        "evt_1",
        NOW,
    )
    assert delivery.message() == Message("ada@acme.example", "Hi", "Text", event_id="evt_1")
    with pytest.raises(InvalidInput):
        email_delivery(event(), Message("a@b.example", "Hi", "Text", event_id="evt_other"), NOW)


@pytest.mark.parametrize(
    "url", ["https://hooks.example/a", "http://127.0.0.1:8080/x?y=1", " https://h.example "]
)
def test_an_http_url_is_a_webhook_url(url: str) -> None:
    assert check_webhook_url(url) == url.strip()


@pytest.mark.parametrize(
    "url", ["ftp://h.example", "//h.example/a", "https://", "https://h.example/a b", "file:///x"]
)
def test_anything_else_is_refused(url: str) -> None:
    with pytest.raises(InvalidInput):
        check_webhook_url(url)


def test_event_types_are_distinct_and_sorted() -> None:
    assert check_event_types(["b.x", "a.y", "b.x", "*"]) == ("*", "a.y", "b.x")


def test_an_endpoint_receives_its_types_or_every_type_and_nothing_once_disabled() -> None:
    one = WebhookEndpoint("whk_1", "https://h.example", ("a.done",), "s", NOW)
    every = WebhookEndpoint("whk_2", "https://h.example", ("*",), "s", NOW)
    off = WebhookEndpoint("whk_3", "https://h.example", ("*",), "s", NOW, active=False)
    assert one.subscribes_to("a.done") and not one.subscribes_to("b.done")
    assert every.subscribes_to("b.done")
    assert not off.subscribes_to("a.done")


def test_an_smtp_url_names_server_credentials_starttls_and_sender() -> None:
    mailer = SmtpMailer("smtp://mailer%40vendor.example:p%40ss%3Aword@mail.example?starttls=1")
    assert (mailer.host, mailer.port, mailer.tls, mailer.starttls) == (
        "mail.example",
        25,
        False,
        True,
    )
    assert (mailer.username, mailer.password) == ("mailer@vendor.example", "p@ss:word")
    assert mailer.sender == "Alliance <alliance@localhost>"
    tls = SmtpMailer("smtps://mail.example?from=Partners%20<p@vendor.example>&timeout=3")
    assert (tls.port, tls.tls, tls.sender, tls.timeout) == (
        465,
        True,
        "Partners <p@vendor.example>",
        3.0,
    )


@pytest.mark.parametrize(
    "url", ["http://mail.example", "smtp://", "smtps://mail.example?starttls=1"]
)
def test_a_bad_smtp_url_is_refused(url: str) -> None:
    with pytest.raises(ValueError):
        SmtpMailer(url)


def test_no_smtp_url_means_the_mailbox_file(tmp_path: Path) -> None:
    mailer = mailer_for("", tmp_path)
    assert isinstance(mailer, MailboxMailer)
    assert mailer.path == tmp_path / "mailbox" / "alliance.mbox"
    assert isinstance(mailer_for("smtp://mail.example", tmp_path), SmtpMailer)


def test_an_email_carries_a_message_id_stable_for_its_event_and_recipient() -> None:
    message = Message(
        "ada@acme.example", "Hi", "Text", html="<p>Text</p>", event_id="evt_1", template="t"
    )
    first = build_email(message, "Partners <p@vendor.example>", NOW)
    again = build_email(message, "Partners <p@vendor.example>", NOW)
    other = build_email(
        Message("bob@acme.example", "Hi", "Text", event_id="evt_1"), "p@vendor.example", NOW
    )

    assert first["Message-ID"] == again["Message-ID"]
    assert first["Message-ID"].startswith("<evt_1.") and first["Message-ID"].endswith(
        "@vendor.example>"
    )
    assert first["Message-ID"] != other["Message-ID"]
    assert first[EVENT_ID_HEADER] == "evt_1"
    assert first["Date"] == "Fri, 14 Mar 2025 09:30:00 +0000"
    assert first.get_content_type() == "multipart/alternative"
    assert other.get_content_type() == "text/plain"
