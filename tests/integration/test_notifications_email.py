"""E-mail through the outbox, to a real SMTP server on loopback and to the mailbox file.

Every test runs on SQLite and PostgreSQL (the ``uow_factory`` fixture).
"""

from __future__ import annotations

import mailbox
from collections.abc import Callable, Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from notification_receivers import HttpReceiver, SmtpReceiver

from alliance.bootstrap import bootstrap
from alliance.domain.clock import FixedClock
from alliance.domain.notifications import (
    EVENT_ID_HEADER,
    DeliveryFailed,
    DeliveryStatus,
    Event,
    Message,
)
from alliance.notify.smtp import MailboxMailer, SmtpMailer
from alliance.notify.webhooks import HttpPoster
from alliance.services.notifications import DeliveryReport, deliver_due, notify
from alliance.services.ports import UnitOfWork
from alliance.settings import Settings

UowFactory = Callable[[], UnitOfWork]
#: aiosmtpd's warning when a test server takes logins without TLS (loopback only).
PLAIN_AUTH = pytest.mark.filterwarnings("ignore:Requiring AUTH while not requiring TLS")


@pytest.fixture
def smtp() -> Iterator[SmtpReceiver]:
    receiver = SmtpReceiver().start()
    yield receiver
    receiver.stop()


def acknowledged(clock: FixedClock, **payload: object) -> Event:
    return Event.new(
        "engagement.acknowledged",
        {"engagement_id": "eng_1", **payload},
        occurred_at=clock.now(),
        organization_id="org_acme",
    )


def mail(
    to: str = "ada@acme.example", subject: str = "Your engagement was acknowledged"
) -> Message:
    return Message(
        to=to,
        subject=subject,
        text="Hello Ada,\n\nThe vendor acknowledged engagement eng_1.\n",
        html="<p>Hello Ada,</p><p>The vendor acknowledged engagement eng_1.</p>",
        template="engagement_acknowledged",
    )


def enqueue(uow_factory: UowFactory, event: Event, *messages: Message, commit: bool = True) -> None:
    with uow_factory() as uow:
        notify(uow, event, messages)
        if commit:
            uow.commit()


def deliver(uow_factory: UowFactory, clock: FixedClock, mailer: SmtpMailer) -> DeliveryReport:
    return deliver_due(uow_factory, clock, mailer, HttpPoster(timeout=2))


def test_an_email_enqueued_in_a_committed_unit_of_work_reaches_the_smtp_server(
    uow_factory: UowFactory, clock: FixedClock, smtp: SmtpReceiver
) -> None:
    event = acknowledged(clock)
    enqueue(uow_factory, event, mail())

    report = deliver(
        uow_factory, clock, SmtpMailer(smtp.url(**{"from": "partners@vendor.example"}))
    )

    assert report == DeliveryReport(delivered=1)
    [received] = smtp.received
    assert received.rcpt_tos == ["ada@acme.example"]
    assert received.mail_from == "partners@vendor.example"
    assert received.message["Subject"] == "Your engagement was acknowledged"
    assert received.message["To"] == "ada@acme.example"
    assert received.message[EVENT_ID_HEADER] == event.id
    assert received.message["Message-ID"].startswith(f"<{event.id}.")
    body = received.message.get_body(preferencelist=("plain",))
    assert body is not None and "acknowledged engagement eng_1" in body.get_content()
    with uow_factory() as uow:
        [row] = uow.outbox.list(event_id=event.id)
    assert row.status is DeliveryStatus.DELIVERED
    assert row.delivered_at == clock.now()
    assert row.attempts == 1


def test_an_email_enqueued_in_a_rolled_back_unit_of_work_is_never_sent(
    uow_factory: UowFactory, clock: FixedClock, smtp: SmtpReceiver
) -> None:
    enqueue(uow_factory, acknowledged(clock), mail(), commit=False)

    report = deliver(uow_factory, clock, SmtpMailer(smtp.url()))

    assert report.attempted == 0
    assert smtp.received == []
    with uow_factory() as uow:
        assert uow.outbox.list() == []


def test_the_outbox_rolls_back_with_the_change_it_announces(
    uow_factory: UowFactory, clock: FixedClock, smtp: SmtpReceiver
) -> None:
    with pytest.raises(RuntimeError), uow_factory() as uow:
        notify(uow, acknowledged(clock), [mail()])
        raise RuntimeError("the use case failed after notifying")

    assert deliver(uow_factory, clock, SmtpMailer(smtp.url())).attempted == 0
    assert smtp.received == []


def test_enqueueing_the_same_event_twice_sends_once(
    uow_factory: UowFactory, clock: FixedClock, smtp: SmtpReceiver
) -> None:
    event = acknowledged(clock)
    with uow_factory() as uow:
        first = notify(uow, event, [mail(), mail()])
        uow.commit()
    with uow_factory() as uow:
        again = notify(uow, event, [mail()])
        uow.commit()

    deliver(uow_factory, clock, SmtpMailer(smtp.url()))
    deliver(uow_factory, clock, SmtpMailer(smtp.url()))

    assert (first.emails, first.duplicates) == (1, 1)
    assert (again.emails, again.duplicates) == (0, 1)
    assert len(smtp.received) == 1


def test_each_recipient_gets_its_own_delivery(
    uow_factory: UowFactory, clock: FixedClock, smtp: SmtpReceiver
) -> None:
    event = acknowledged(clock)
    enqueue(uow_factory, event, mail("ada@acme.example"), mail("bob@acme.example"))

    report = deliver(uow_factory, clock, SmtpMailer(smtp.url()))

    assert report.delivered == 2
    assert sorted(r.rcpt_tos[0] for r in smtp.received) == ["ada@acme.example", "bob@acme.example"]
    ids = {r.message["Message-ID"] for r in smtp.received}
    assert len(ids) == 2


def test_a_server_asking_to_try_later_gets_the_email_after_the_back_off(
    uow_factory: UowFactory, clock: FixedClock, smtp: SmtpReceiver
) -> None:
    smtp.defer_next = 1
    enqueue(uow_factory, acknowledged(clock), mail())
    mailer = SmtpMailer(smtp.url())

    assert deliver(uow_factory, clock, mailer) == DeliveryReport(retrying=1)
    assert deliver(uow_factory, clock, mailer).attempted == 0  # not due yet
    clock.advance(timedelta(seconds=30))
    assert deliver(uow_factory, clock, mailer) == DeliveryReport(delivered=1)

    assert len(smtp.received) == 1
    with uow_factory() as uow:
        [row] = uow.outbox.list()
    assert (row.status, row.attempts) == (DeliveryStatus.DELIVERED, 2)
    assert row.last_error is not None and "451" in row.last_error


def test_a_recipient_the_server_refuses_is_dead_at_once(
    uow_factory: UowFactory, clock: FixedClock, smtp: SmtpReceiver
) -> None:
    smtp.refuse = {"nobody@acme.example"}
    enqueue(uow_factory, acknowledged(clock), mail("nobody@acme.example"))

    assert deliver(uow_factory, clock, SmtpMailer(smtp.url())) == DeliveryReport(dead=1)
    with uow_factory() as uow:
        [row] = uow.outbox.list()
    assert row.status is DeliveryStatus.DEAD
    assert row.last_error is not None and "550" in row.last_error


@PLAIN_AUTH
def test_credentials_in_the_url_log_in(uow_factory: UowFactory, clock: FixedClock) -> None:
    server = SmtpReceiver(credentials=("mailer@vendor.example", "p@ss:w/rd")).start()
    try:
        enqueue(uow_factory, acknowledged(clock), mail())
        assert deliver(uow_factory, clock, SmtpMailer(server.url())).delivered == 1
        assert len(server.received) == 1
    finally:
        server.stop()


@PLAIN_AUTH
def test_a_wrong_password_is_a_failed_attempt(clock: FixedClock) -> None:
    server = SmtpReceiver(credentials=("mailer", "right")).start()
    try:
        url = f"smtp://mailer:wrong@127.0.0.1:{server.port}"
        with pytest.raises(DeliveryFailed):
            SmtpMailer(url).send(
                Message("ada@acme.example", "s", "t", event_id="evt_1"), at=clock.now()
            )
    finally:
        server.stop()


def test_an_unreachable_server_is_retried(uow_factory: UowFactory, clock: FixedClock) -> None:
    closed = HttpReceiver().start()  # a port that speaks no SMTP once closed
    port = int(closed.url().split(":")[2].split("/")[0])
    closed.stop()
    enqueue(uow_factory, acknowledged(clock), mail())

    report = deliver(uow_factory, clock, SmtpMailer(f"smtp://127.0.0.1:{port}?timeout=2"))

    assert report == DeliveryReport(retrying=1)


def test_without_an_smtp_url_mail_goes_to_an_mbox_file(
    database_url: str, clock: FixedClock, tmp_path: Path
) -> None:
    app = bootstrap(
        Settings(database_url=database_url, smtp_url="", data_dir=tmp_path), clock=clock
    )
    try:
        assert isinstance(app.mailer, MailboxMailer)
        event = acknowledged(clock)
        enqueue(app.uow_factory, event, mail("ada@acme.example"), mail("bob@acme.example"))

        report = deliver_due(app.uow_factory, app.clock, app.mailer, app.poster)
    finally:
        app.close()

    assert report.delivered == 2
    box = mailbox.mbox(tmp_path / "mailbox" / "alliance.mbox")
    try:
        messages = sorted(box, key=lambda m: str(m["To"]))
    finally:
        box.close()
    assert [m["To"] for m in messages] == ["ada@acme.example", "bob@acme.example"]
    assert {m["Subject"] for m in messages} == {"Your engagement was acknowledged"}
    assert {m[EVENT_ID_HEADER] for m in messages} == {event.id}
    assert messages[0].is_multipart()  # text and HTML


def test_an_smtp_url_chooses_the_smtp_mailer(database_url: str, tmp_path: Path) -> None:
    settings = Settings(
        database_url=database_url,
        smtp_url="smtps://u:p@mail.example:2465?from=x@vendor.example",
        data_dir=tmp_path,
    )
    app = bootstrap(settings)
    try:
        mailer = app.mailer
        assert isinstance(mailer, SmtpMailer)
        assert (mailer.host, mailer.port, mailer.tls, mailer.starttls) == (
            "mail.example",
            2465,
            True,
            False,
        )
        assert (mailer.username, mailer.password, mailer.sender) == ("u", "p", "x@vendor.example")
    finally:
        app.close()
