"""Signed webhooks through the outbox, to a real HTTP receiver on loopback.

Every test runs on SQLite and PostgreSQL (the ``uow_factory`` fixture).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from datetime import timedelta

import pytest
from notification_receivers import HttpReceiver

from alliance.domain.access import Actor, ActorKind
from alliance.domain.clock import FixedClock
from alliance.domain.errors import AllianceError, Forbidden, InvalidInput
from alliance.domain.ids import OrganizationId, UserId
from alliance.domain.notifications import (
    DeliveryStatus,
    Event,
    Message,
    RetryPolicy,
    WebhookEndpoint,
    WebhookRequest,
)
from alliance.domain.people import PartnerRole, VendorRole
from alliance.domain.webhook_signatures import (
    ATTEMPT_HEADER,
    DELIVERY_ID_HEADER,
    EVENT_ID_HEADER,
    EVENT_TYPE_HEADER,
    SIGNATURE_HEADER,
    InvalidSignature,
    verify,
)
from alliance.notify.smtp import MailboxMailer
from alliance.notify.webhooks import HttpPoster
from alliance.services.notifications import (
    LEASE,
    DeliveryReport,
    deactivate_webhook,
    deliver_due,
    list_webhooks,
    notify,
    register_webhook,
)
from alliance.services.ports import UnitOfWork

UowFactory = Callable[[], UnitOfWork]
ADMIN = Actor(
    ActorKind.VENDOR_STAFF,
    user_id=UserId("usr_admin"),
    vendor_roles=frozenset({VendorRole.PROGRAM_ADMIN}),
    label="admin@vendor.example",
)
ACKNOWLEDGED = "engagement.acknowledged"


@pytest.fixture
def receiver() -> Iterator[HttpReceiver]:
    server = HttpReceiver().start()
    yield server
    server.stop()


@pytest.fixture
def mailer(tmp_path_factory: pytest.TempPathFactory) -> MailboxMailer:
    return MailboxMailer(tmp_path_factory.mktemp("mail") / "alliance.mbox")


def register(uow_factory: UowFactory, clock: FixedClock, url: str, *types: str) -> WebhookEndpoint:
    return register_webhook(uow_factory(), ADMIN, url, types or (ACKNOWLEDGED,), clock)


def publish(uow_factory: UowFactory, clock: FixedClock, event_type: str = ACKNOWLEDGED) -> Event:
    event = Event.new(
        event_type,
        {"engagement_id": "eng_1", "amount": "1250.00"},
        occurred_at=clock.now(),
        organization_id="org_acme",
    )
    with uow_factory() as uow:
        notify(uow, event)
        uow.commit()
    return event


def deliver(
    uow_factory: UowFactory,
    clock: FixedClock,
    mailer: MailboxMailer,
    poster: HttpPoster | None = None,
    policy: RetryPolicy | None = None,
) -> DeliveryReport:
    return deliver_due(
        uow_factory,
        clock,
        mailer,
        poster or HttpPoster(timeout=2),
        policy=policy or RetryPolicy(),
    )


def test_a_webhook_arrives_signed_with_the_stable_event_id(
    uow_factory: UowFactory, clock: FixedClock, receiver: HttpReceiver, mailer: MailboxMailer
) -> None:
    endpoint = register(uow_factory, clock, receiver.url())
    event = publish(uow_factory, clock)

    assert deliver(uow_factory, clock, mailer) == DeliveryReport(delivered=1)

    [request] = receiver.requests
    assert request.path == "/hooks/alliance"
    assert request.headers[EVENT_ID_HEADER] == event.id
    assert request.headers[EVENT_TYPE_HEADER] == ACKNOWLEDGED
    assert request.headers["Content-Type"] == "application/json"
    assert verify(endpoint.secret, request.headers[SIGNATURE_HEADER], request.body, now=clock.now())
    body = json.loads(request.body)
    assert body == {
        "id": event.id,
        "type": ACKNOWLEDGED,
        "occurred_at": "2025-03-14T09:30:00+00:00",
        "organization_id": "org_acme",
        "data": {"engagement_id": "eng_1", "amount": "1250.00"},
    }
    with pytest.raises(InvalidSignature):
        verify("whsec_another", request.headers[SIGNATURE_HEADER], request.body, now=clock.now())


def test_a_receiver_failing_twice_gets_the_event_on_the_third_attempt_after_the_back_off(
    uow_factory: UowFactory, clock: FixedClock, receiver: HttpReceiver, mailer: MailboxMailer
) -> None:
    receiver.fail_first = 2
    endpoint = register(uow_factory, clock, receiver.url())
    event = publish(uow_factory, clock)

    assert deliver(uow_factory, clock, mailer) == DeliveryReport(retrying=1)
    clock.advance(timedelta(seconds=29))
    assert deliver(uow_factory, clock, mailer).attempted == 0  # 30 s back-off not over
    clock.advance(timedelta(seconds=1))
    assert deliver(uow_factory, clock, mailer) == DeliveryReport(retrying=1)
    clock.advance(timedelta(seconds=59))
    assert deliver(uow_factory, clock, mailer).attempted == 0  # then 60 s
    clock.advance(timedelta(seconds=1))
    assert deliver(uow_factory, clock, mailer) == DeliveryReport(delivered=1)

    assert [r.headers[ATTEMPT_HEADER] for r in receiver.requests] == ["1", "2", "3"]
    assert {r.headers[EVENT_ID_HEADER] for r in receiver.requests} == {event.id}
    assert len({r.headers[DELIVERY_ID_HEADER] for r in receiver.requests}) == 1
    assert len({r.body for r in receiver.requests}) == 1  # the same body on every retry
    last = receiver.requests[-1]
    assert verify(endpoint.secret, last.headers[SIGNATURE_HEADER], last.body, now=clock.now())
    with uow_factory() as uow:
        [row] = uow.outbox.list(event_id=event.id)
    assert (row.status, row.attempts) == (DeliveryStatus.DELIVERED, 3)


def test_after_the_last_attempt_the_delivery_is_dead(
    uow_factory: UowFactory, clock: FixedClock, receiver: HttpReceiver, mailer: MailboxMailer
) -> None:
    receiver.fail_first = 1000
    policy = RetryPolicy(max_attempts=3)
    register(uow_factory, clock, receiver.url())
    publish(uow_factory, clock)

    reports = []
    for _ in range(5):
        reports.append(deliver(uow_factory, clock, mailer, policy=policy))
        clock.advance(timedelta(hours=1))

    assert reports[:3] == [
        DeliveryReport(retrying=1),
        DeliveryReport(retrying=1),
        DeliveryReport(dead=1),
    ]
    assert all(report.attempted == 0 for report in reports[3:])
    assert len(receiver.requests) == 3
    with uow_factory() as uow:
        [row] = uow.outbox.list()
    assert (row.status, row.attempts) == (DeliveryStatus.DEAD, 3)
    assert row.last_error is not None and "HTTP 500" in row.last_error


def test_a_timeout_is_retried(
    uow_factory: UowFactory, clock: FixedClock, receiver: HttpReceiver, mailer: MailboxMailer
) -> None:
    receiver.delay = 1.0
    register(uow_factory, clock, receiver.url())
    publish(uow_factory, clock)

    report = deliver(uow_factory, clock, mailer, poster=HttpPoster(timeout=0.2))

    assert report == DeliveryReport(retrying=1)
    with uow_factory() as uow:
        [row] = uow.outbox.list()
    assert row.last_error is not None and "Timeout" in row.last_error


def test_enqueueing_the_same_event_twice_posts_once(
    uow_factory: UowFactory, clock: FixedClock, receiver: HttpReceiver, mailer: MailboxMailer
) -> None:
    register(uow_factory, clock, receiver.url())
    event = publish(uow_factory, clock)
    with uow_factory() as uow:
        again = notify(uow, event)
        uow.commit()

    deliver(uow_factory, clock, mailer)
    deliver(uow_factory, clock, mailer)

    assert (again.webhooks, again.duplicates) == (0, 1)
    assert len(receiver.requests) == 1


def test_only_active_endpoints_subscribed_to_the_type_receive_it(
    uow_factory: UowFactory, clock: FixedClock, mailer: MailboxMailer
) -> None:
    servers = [HttpReceiver().start() for _ in range(4)]
    try:
        register(uow_factory, clock, servers[0].url(), ACKNOWLEDGED)
        register(uow_factory, clock, servers[1].url(), "*")
        register(uow_factory, clock, servers[2].url(), "membership.renewal_due")
        disabled = register(uow_factory, clock, servers[3].url(), ACKNOWLEDGED)
        deactivate_webhook(uow_factory(), ADMIN, disabled.id, clock)
        with uow_factory() as uow:
            enqueued = notify(
                uow,
                Event.new(ACKNOWLEDGED, {}, occurred_at=clock.now()),
                [Message("ada@acme.example", "Acknowledged", "Done.")],
            )
            uow.commit()

        assert deliver(uow_factory, clock, mailer).delivered == 3
        assert (enqueued.emails, enqueued.webhooks) == (1, 2)
        assert [len(s.requests) for s in servers] == [1, 1, 0, 0]
    finally:
        for server in servers:
            server.stop()


def test_an_endpoint_disabled_after_enqueueing_gives_the_delivery_up(
    uow_factory: UowFactory, clock: FixedClock, receiver: HttpReceiver, mailer: MailboxMailer
) -> None:
    endpoint = register(uow_factory, clock, receiver.url())
    publish(uow_factory, clock)
    deactivate_webhook(uow_factory(), ADMIN, endpoint.id, clock)

    assert deliver(uow_factory, clock, mailer) == DeliveryReport(dead=1)
    assert receiver.requests == []


class CrashAfterSending:
    """Posts, then dies before the outcome is recorded (as a killed worker would)."""

    def __init__(self) -> None:
        self.poster = HttpPoster(timeout=2)

    def post(self, request: WebhookRequest) -> None:
        self.poster.post(request)
        raise KeyboardInterrupt


def test_a_worker_dying_after_sending_sends_again_after_the_lease_with_the_same_event_id(
    uow_factory: UowFactory, clock: FixedClock, receiver: HttpReceiver, mailer: MailboxMailer
) -> None:
    register(uow_factory, clock, receiver.url())
    event = publish(uow_factory, clock)

    with pytest.raises(KeyboardInterrupt):
        deliver_due(uow_factory, clock, mailer, CrashAfterSending())
    assert deliver(uow_factory, clock, mailer).attempted == 0  # leased to the dead worker
    clock.advance(LEASE)
    assert deliver(uow_factory, clock, mailer) == DeliveryReport(delivered=1)

    assert [r.headers[EVENT_ID_HEADER] for r in receiver.requests] == [event.id, event.id]


def test_workers_side_by_side_never_claim_the_same_delivery(
    uow_factory: UowFactory, clock: FixedClock, backend: str
) -> None:
    if backend != "postgresql":
        pytest.skip("SQLite runs one writer at a time: a second worker waits for the first")
    register(uow_factory, clock, "http://127.0.0.1:9/hook")
    for _ in range(4):
        publish(uow_factory, clock)
    now = clock.now()
    with uow_factory() as first, uow_factory() as second:
        mine = first.outbox.claim_due(now, limit=2, lease_until=now + LEASE)
        theirs = second.outbox.claim_due(now, limit=10, lease_until=now + LEASE)
        second.commit()
        first.commit()
    assert len(mine) == 2 and len(theirs) == 2
    assert not {d.id for d in mine} & {d.id for d in theirs}


def test_only_program_admins_register_webhooks(uow_factory: UowFactory, clock: FixedClock) -> None:
    manager = Actor(
        ActorKind.VENDOR_STAFF,
        user_id=UserId("usr_cm"),
        vendor_roles=frozenset({VendorRole.CHANNEL_MANAGER}),
    )
    partner_admin = Actor(
        ActorKind.MEMBER,
        user_id=UserId("usr_pa"),
        organization_id=OrganizationId("org_acme"),
        partner_roles=frozenset({PartnerRole.PARTNER_ADMINISTRATOR}),
    )
    for actor in (manager, partner_admin, Actor.anonymous()):
        with pytest.raises(AllianceError) as refused:
            register_webhook(uow_factory(), actor, "https://hooks.example/a", [ACKNOWLEDGED], clock)
        assert refused.value.rule == "X-6"
        with pytest.raises(AllianceError) as listing:
            list_webhooks(uow_factory(), actor)
        assert listing.value.rule == "X-6"
    with pytest.raises(Forbidden):
        deactivate_webhook(uow_factory(), manager, "whk_any", clock)
    with uow_factory() as uow:
        assert uow.webhooks.list() == []


@pytest.mark.parametrize(
    ("url", "types"),
    [
        ("ftp://hooks.example/a", [ACKNOWLEDGED]),
        ("hooks.example/a", [ACKNOWLEDGED]),
        ("https:///nohost", [ACKNOWLEDGED]),
        ("https://hooks.example/a", []),
        ("https://hooks.example/a", ["Engagement Acknowledged"]),
    ],
)
def test_a_webhook_needs_an_http_url_and_valid_event_types(
    uow_factory: UowFactory, clock: FixedClock, url: str, types: list[str]
) -> None:
    with pytest.raises(InvalidInput):
        register_webhook(uow_factory(), ADMIN, url, types, clock)


def test_registering_a_webhook_is_audited_without_its_secret(
    uow_factory: UowFactory, clock: FixedClock
) -> None:
    endpoint = register(uow_factory, clock, "https://hooks.example/a", ACKNOWLEDGED, "*")

    with uow_factory() as uow:
        [record] = uow.audit.search(entity_type="webhook_endpoint", entity_id=endpoint.id)
        stored = uow.webhooks.get(endpoint.id)
    assert record.action == "webhook_endpoint.created"
    assert record.actor == "admin@vendor.example"
    assert record.new == {
        "url": "https://hooks.example/a",
        "event_types": ["*", ACKNOWLEDGED],
        "active": True,
    }
    assert endpoint.secret not in json.dumps(record.new)
    assert stored == endpoint
    assert endpoint.secret.startswith("whsec_")
    [view] = list_webhooks(uow_factory(), ADMIN)
    assert not hasattr(view, "secret")
