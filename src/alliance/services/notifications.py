"""Notifications: enqueue with the change, deliver later, at least once.

* :func:`notify` is called **inside** a use case's unit of work: the e-mails and one
  webhook delivery per active endpoint subscribed to the event's type go to the outbox
  in the same transaction as the change, so they commit or roll back with it. The same
  event for the same target twice is one delivery.
* :func:`deliver_due` is the worker: it claims due deliveries in one short transaction
  (pushing their ``next_attempt_at`` a *lease* ahead, so no other worker takes them),
  delivers them **outside** any transaction (no lock is held while a remote server
  answers), and records each outcome in its own short transaction: delivered, retried
  after :class:`~alliance.domain.notifications.RetryPolicy`'s back-off, or dead after
  the last attempt.
* **At least once.** A worker that dies after sending and before recording leaves the
  row pending; when the lease runs out it is sent again, with the same event id (the
  ``Alliance-Event-Id`` header and body ``id`` of a webhook; the ``Alliance-Event-Id``
  header and ``Message-ID`` of an e-mail). Receivers deduplicate on it.
* :func:`register_webhook` lets a vendor's program administrator add an endpoint; its
  secret is returned once, and kept to sign requests (a shared secret).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Protocol

from alliance.domain import audit
from alliance.domain.access import Actor, Permission, require
from alliance.domain.clock import Clock
from alliance.domain.errors import NotFound
from alliance.domain.ids import new_id
from alliance.domain.notifications import (
    DEFAULT_RETRY,
    Delivery,
    DeliveryFailed,
    DeliveryKind,
    Event,
    Message,
    RetryPolicy,
    WebhookEndpoint,
    WebhookRequest,
    check_event_types,
    check_webhook_url,
    email_delivery,
    new_webhook_secret,
    webhook_delivery,
    webhook_request,
)
from alliance.services.ports import UnitOfWork

log = logging.getLogger(__name__)

#: How long a claimed delivery is reserved for the worker that claimed it; longer than a
#: batch can take (100 deliveries × a 10 s timeout ≈ 17 minutes).
LEASE = timedelta(minutes=30)
MAX_ERROR_LENGTH = 2000
ENTITY = "webhook_endpoint"


class Mailer(Protocol):
    """Sends one e-mail; raises :class:`DeliveryFailed` when it cannot."""

    def send(self, message: Message, *, at: datetime) -> None: ...


class Poster(Protocol):
    """Sends one signed webhook request; raises :class:`DeliveryFailed` unless 2xx."""

    def post(self, request: WebhookRequest) -> None: ...


@dataclass(frozen=True)
class Enqueued:
    """What :func:`notify` put in the outbox; ``duplicates`` were there already."""

    emails: int = 0
    webhooks: int = 0
    duplicates: int = 0


def notify(
    uow: UnitOfWork, event: Event, emails: Iterable[Message] = (), *, at: datetime | None = None
) -> Enqueued:
    """Enqueue ``emails`` and ``event`` for every subscribed webhook, in ``uow``'s transaction.

    Call it inside an open unit of work, before ``commit()``. ``at`` stamps the rows
    (default: when the event occurred); they are due at once.
    """
    when = at if at is not None else event.occurred_at
    mails = [email_delivery(event, message, when) for message in emails]
    hooks = [
        webhook_delivery(event, endpoint, when)
        for endpoint in uow.webhooks.list(active_only=True)
        if endpoint.subscribes_to(event.type)
    ]
    added = {delivery.id: uow.outbox.add(delivery) for delivery in [*mails, *hooks]}
    return Enqueued(
        emails=sum(added[d.id] for d in mails),
        webhooks=sum(added[d.id] for d in hooks),
        duplicates=sum(not new for new in added.values()),
    )


@dataclass(frozen=True)
class WebhookView:
    """An endpoint as listed: everything but its secret."""

    id: str
    url: str
    event_types: tuple[str, ...]
    active: bool
    created_at: datetime

    @classmethod
    def of(cls, endpoint: WebhookEndpoint) -> WebhookView:
        return cls(
            endpoint.id, endpoint.url, endpoint.event_types, endpoint.active, endpoint.created_at
        )


def _described(endpoint: WebhookEndpoint) -> dict[str, object]:
    return {
        "url": endpoint.url,
        "event_types": list(endpoint.event_types),
        "active": endpoint.active,
    }


def register_webhook(
    uow: UnitOfWork, actor: Actor, url: str, event_types: Iterable[str], clock: Clock
) -> WebhookEndpoint:
    """Add an endpoint for ``event_types`` (``*`` for all); vendor program admins only.

    The returned endpoint holds its new secret: show it now, it is never listed again.
    """
    require(actor, Permission.MANAGE_PROGRAMS)
    now = clock.now()
    endpoint = WebhookEndpoint(
        id=new_id("whk"),
        url=check_webhook_url(url),
        event_types=check_event_types(event_types),
        secret=new_webhook_secret(),
        created_at=now,
    )
    with uow:
        uow.webhooks.add(endpoint)
        uow.audit.append(audit.created(actor, ENTITY, endpoint.id, _described(endpoint), now))
        uow.commit()
    return endpoint


def list_webhooks(uow: UnitOfWork, actor: Actor) -> list[WebhookView]:
    require(actor, Permission.MANAGE_PROGRAMS)
    with uow:
        return [WebhookView.of(endpoint) for endpoint in uow.webhooks.list()]


def deactivate_webhook(uow: UnitOfWork, actor: Actor, webhook_id: str, clock: Clock) -> None:
    """Stop sending to an endpoint; its pending deliveries die at their next attempt."""
    require(actor, Permission.MANAGE_PROGRAMS)
    with uow:
        endpoint = uow.webhooks.get(webhook_id)
        if endpoint is None:
            raise NotFound(f"no webhook endpoint {webhook_id}", field="webhook_id")
        uow.webhooks.set_active(webhook_id, False)
        before = _described(endpoint)
        after = {**before, "active": False}
        uow.audit.append(audit.changed(actor, ENTITY, webhook_id, before, after, clock.now()))
        uow.commit()


@dataclass(frozen=True)
class DeliveryReport:
    """What one :func:`deliver_due` run did."""

    delivered: int = 0
    retrying: int = 0
    dead: int = 0

    @property
    def attempted(self) -> int:
        return self.delivered + self.retrying + self.dead

    def __add__(self, other: DeliveryReport) -> DeliveryReport:
        return DeliveryReport(
            self.delivered + other.delivered,
            self.retrying + other.retrying,
            self.dead + other.dead,
        )


def deliver_due(
    uow_factory: Callable[[], UnitOfWork],
    clock: Clock,
    mailer: Mailer,
    poster: Poster,
    limit: int = 100,
    *,
    policy: RetryPolicy = DEFAULT_RETRY,
    lease: timedelta = LEASE,
) -> DeliveryReport:
    """Deliver up to ``limit`` due deliveries, oldest first, and record each outcome."""
    now = clock.now()
    with uow_factory() as uow:
        claimed = uow.outbox.claim_due(now, limit=limit, lease_until=now + lease)
        endpoints = _endpoints(uow, claimed)
        uow.commit()
    report = DeliveryReport()
    for delivery in claimed:
        failure = _attempt(delivery, endpoints, clock, mailer, poster)
        report += _record(uow_factory, clock, policy, delivery, failure)
    return report


def _endpoints(uow: UnitOfWork, deliveries: Sequence[Delivery]) -> dict[str, WebhookEndpoint]:
    wanted = {d.target for d in deliveries if d.kind is DeliveryKind.WEBHOOK}
    found = {target: uow.webhooks.get(target) for target in sorted(wanted)}
    return {target: endpoint for target, endpoint in found.items() if endpoint is not None}


def _attempt(
    delivery: Delivery,
    endpoints: dict[str, WebhookEndpoint],
    clock: Clock,
    mailer: Mailer,
    poster: Poster,
) -> DeliveryFailed | None:
    """Send ``delivery`` once; None when it went, else why not."""
    try:
        if delivery.kind is DeliveryKind.EMAIL:
            mailer.send(delivery.message(), at=clock.now())
            return None
        endpoint = endpoints.get(delivery.target)
        if endpoint is None or not endpoint.active:
            return DeliveryFailed("the webhook endpoint is gone or disabled", permanent=True)
        poster.post(webhook_request(endpoint, delivery, clock.now()))
        return None
    except DeliveryFailed as failure:
        return failure
    except Exception as error:  # a bug in an adapter must not stop the worker
        log.exception("delivery %s failed unexpectedly", delivery.id)
        return DeliveryFailed(f"{type(error).__name__}: {error}")


def _record(
    uow_factory: Callable[[], UnitOfWork],
    clock: Clock,
    policy: RetryPolicy,
    delivery: Delivery,
    failure: DeliveryFailed | None,
) -> DeliveryReport:
    now = clock.now()
    with uow_factory() as uow:
        if failure is None:
            uow.outbox.mark_delivered(delivery.id, now)
            uow.commit()
            return DeliveryReport(delivered=1)
        retry_at = policy.next_attempt(delivery.attempts, now, permanent=failure.permanent)
        uow.outbox.mark_failed(delivery.id, failure.reason[:MAX_ERROR_LENGTH], retry_at)
        uow.commit()
    log.warning(
        "delivery %s (%s) attempt %d failed: %s",
        delivery.id,
        delivery.kind.value,
        delivery.attempts,
        failure.reason,
    )
    return DeliveryReport(retrying=1) if retry_at is not None else DeliveryReport(dead=1)
