"""Notifications: events, e-mails, webhook endpoints, deliveries, back-off and signatures.

A use case that changes state describes what happened as an :class:`Event` and the
e-mails it sends as :class:`Message`\\ s; both go to the *outbox* in the same
transaction as the change, one :class:`Delivery` per e-mail recipient and per webhook
endpoint subscribed to the event's type. A worker delivers them **at least once**: a
delivery that fails is retried after :meth:`RetryPolicy.delay`, and is ``dead`` after
:attr:`RetryPolicy.max_attempts`. The event id is stable across retries, so a receiver
deduplicates on it.

Webhook requests are signed (:mod:`alliance.domain.webhook_signatures`, re-exported
here: :func:`sign`, :func:`verify`); :func:`webhook_request` builds one. Its body is the
event's envelope in canonical JSON (sorted keys, no spaces), the same on every retry::

    {"data":{…},"id":"evt_…","occurred_at":"2025-03-14T09:30:00+00:00",
     "organization_id":"org_…","type":"engagement.acknowledged"}
"""

from __future__ import annotations

import json
import re
import secrets
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from decimal import Decimal
from enum import StrEnum
from typing import Any
from urllib.parse import urlsplit

from alliance.domain.errors import InvalidInput
from alliance.domain.ids import new_id
from alliance.domain.webhook_signatures import (
    ATTEMPT_HEADER,
    DELIVERY_ID_HEADER,
    EVENT_TYPE_HEADER,
    SIGNATURE_HEADER,
    signature_header,
)
from alliance.domain.webhook_signatures import EVENT_ID_HEADER as EVENT_ID_HEADER
from alliance.domain.webhook_signatures import InvalidSignature as InvalidSignature
from alliance.domain.webhook_signatures import sign as sign
from alliance.domain.webhook_signatures import verify as verify

JsonValue = Any  # a JSON-serialisable value: str, int, bool, None, list, dict

USER_AGENT = "Alliance-Webhooks/1"

#: Subscribes an endpoint to every event type.
ALL_EVENTS = "*"
EVENT_TYPE = re.compile(r"^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)+$")
MAX_EVENT_ID = 200
MAX_EVENT_TYPE = 100
MAX_ADDRESS = 320
MAX_URL = 2000
_HEADER_BREAK = re.compile(r"[\r\n]")


class DeliveryKind(StrEnum):
    EMAIL = "email"
    WEBHOOK = "webhook"


class DeliveryStatus(StrEnum):
    PENDING = "pending"
    DELIVERED = "delivered"
    DEAD = "dead"


class DeliveryFailed(Exception):
    """A mailer or poster could not deliver; ``permanent`` ones are not retried."""

    def __init__(self, reason: str, *, permanent: bool = False) -> None:
        super().__init__(reason)
        self.reason = reason
        self.permanent = permanent


def _plain(value: object) -> object:
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, set | frozenset):
        return sorted(value, key=str)
    raise TypeError(f"not JSON-able: {type(value).__name__}")


def canonical_json(value: JsonValue) -> str:
    """Sorted keys, no spaces, UTF-8 text; decimals as strings (never floats, X-1)."""
    return json.dumps(
        value,
        default=_plain,
        sort_keys=True,
        separators=(",", ":"),
        ensure_ascii=False,
        allow_nan=False,
    )


def _json_copy(value: Mapping[str, JsonValue], what: str) -> dict[str, JsonValue]:
    try:
        copied: dict[str, JsonValue] = json.loads(canonical_json(dict(value)))
    except (TypeError, ValueError) as error:
        raise InvalidInput(f"the {what} is not JSON: {error}", field=what) from None
    return copied


def _aware(moment: datetime, what: str) -> None:
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError(f"{what} must be time-zone aware, got {moment.isoformat()}")


@dataclass(frozen=True)
class Event:
    """Something that happened, as receivers see it. ``payload`` is stored as JSON."""

    type: str  # past tense, dotted: "engagement.acknowledged"
    id: str  # stable: every delivery and retry of this event carries it
    payload: Mapping[str, JsonValue]
    occurred_at: datetime
    organization_id: str | None = None  # whose data this is

    def __post_init__(self) -> None:
        check_event_type(self.type)
        if not self.id or len(self.id) > MAX_EVENT_ID or _HEADER_BREAK.search(self.id):
            raise InvalidInput(f"bad event id {self.id!r}", field="event_id")
        _aware(self.occurred_at, "occurred_at")
        object.__setattr__(self, "payload", _json_copy(self.payload, "payload"))

    @classmethod
    def new(
        cls,
        type: str,
        payload: Mapping[str, JsonValue],
        *,
        occurred_at: datetime,
        organization_id: str | None = None,
    ) -> Event:
        """An event with a new random id (``evt_…``)."""
        return cls(type, new_id("evt"), payload, occurred_at, organization_id)

    def envelope(self) -> dict[str, JsonValue]:
        """The JSON body a webhook receives."""
        return {
            "id": self.id,
            "type": self.type,
            "occurred_at": self.occurred_at.isoformat(),
            "organization_id": self.organization_id,
            "data": dict(self.payload),
        }


@dataclass(frozen=True)
class Message:
    """One e-mail to one recipient; ``event_id`` is filled in when it is enqueued."""

    to: str
    subject: str
    text: str
    html: str | None = None
    event_id: str = ""
    template: str = ""  # the name of the template it was rendered from, for tracing

    def __post_init__(self) -> None:
        address = self.to.strip()
        object.__setattr__(self, "to", address)
        local, at, domain = address.partition("@")
        if (
            not (local and at and domain)
            or any(c.isspace() for c in address)
            or len(address) > MAX_ADDRESS
        ):
            raise InvalidInput(f"not an e-mail address: {self.to!r}", field="to")
        if _HEADER_BREAK.search(self.subject):
            raise InvalidInput("a subject is one line", field="subject")

    def to_json(self) -> dict[str, JsonValue]:
        return {
            "to": self.to,
            "subject": self.subject,
            "text": self.text,
            "html": self.html,
            "event_id": self.event_id,
            "template": self.template,
        }

    @classmethod
    def from_json(cls, data: Mapping[str, JsonValue]) -> Message:
        return cls(
            to=data["to"],
            subject=data["subject"],
            text=data["text"],
            html=data.get("html"),
            event_id=data.get("event_id") or "",
            template=data.get("template") or "",
        )


def check_event_type(event_type: str) -> str:
    if not EVENT_TYPE.match(event_type) or len(event_type) > MAX_EVENT_TYPE:
        raise InvalidInput(
            f"an event type is dotted lower-case words, like engagement.acknowledged; "
            f"got {event_type!r}",
            field="event_type",
        )
    return event_type


@dataclass(frozen=True)
class WebhookEndpoint:
    """A URL a vendor registered for some event types.

    ``secret`` is a **shared secret**: Alliance keeps it to sign every request, the
    receiver keeps it to verify them; it is shown once, when the endpoint is registered.
    """

    id: str
    url: str
    event_types: tuple[str, ...]
    secret: str
    created_at: datetime
    active: bool = True

    def subscribes_to(self, event_type: str) -> bool:
        return self.active and (ALL_EVENTS in self.event_types or event_type in self.event_types)


def check_webhook_url(url: str) -> str:
    """An absolute http(s) URL with a host; anything else is refused."""
    cleaned = url.strip()
    try:
        parts = urlsplit(cleaned)
    except ValueError:
        parts = None
    if (
        parts is None
        or parts.scheme not in ("http", "https")
        or not parts.hostname
        or len(cleaned) > MAX_URL
        or any(c.isspace() for c in cleaned)
    ):
        raise InvalidInput(f"a webhook URL is an absolute http(s) URL; got {url!r}", field="url")
    return cleaned


def check_event_types(event_types: Iterable[str]) -> tuple[str, ...]:
    """Distinct, valid event types (or ``*``), sorted; at least one."""
    chosen = sorted({t.strip() for t in event_types})
    if not chosen:
        raise InvalidInput("subscribe the endpoint to at least one event type", field="event")
    for event_type in chosen:
        if event_type != ALL_EVENTS:
            check_event_type(event_type)
    return tuple(chosen)


def new_webhook_secret() -> str:
    return f"whsec_{secrets.token_urlsafe(32)}"


@dataclass(frozen=True)
class Delivery:
    """One row of the outbox: an e-mail to an address or an event to a webhook endpoint.

    Lifecycle: ``pending`` → ``delivered``, or ``pending`` → ``dead`` after the last
    attempt (or a permanent failure). ``attempts`` counts the attempts started.
    """

    id: str
    kind: DeliveryKind
    event_id: str
    event_type: str
    payload: Mapping[str, JsonValue]  # the message (e-mail) or the envelope (webhook)
    target: str  # the recipient's address, or the webhook endpoint's id
    created_at: datetime
    next_attempt_at: datetime
    status: DeliveryStatus = DeliveryStatus.PENDING
    attempts: int = 0
    last_error: str | None = None
    delivered_at: datetime | None = None

    def message(self) -> Message:
        if self.kind is not DeliveryKind.EMAIL:
            raise ValueError(f"delivery {self.id} is a {self.kind}, not an e-mail")
        return Message.from_json(self.payload)


def email_delivery(event: Event, message: Message, at: datetime) -> Delivery:
    """The outbox row for ``message``, sent because of ``event``."""
    if message.event_id and message.event_id != event.id:
        raise InvalidInput(
            f"message for event {message.event_id} enqueued with event {event.id}",
            field="event_id",
        )
    mail = replace(message, event_id=event.id)
    return _delivery(DeliveryKind.EMAIL, event, mail.to_json(), mail.to, at)


def webhook_delivery(event: Event, endpoint: WebhookEndpoint, at: datetime) -> Delivery:
    """The outbox row for ``event`` to ``endpoint``."""
    return _delivery(DeliveryKind.WEBHOOK, event, event.envelope(), endpoint.id, at)


def _delivery(
    kind: DeliveryKind, event: Event, payload: Mapping[str, JsonValue], target: str, at: datetime
) -> Delivery:
    return Delivery(
        id=new_id("dlv"),
        kind=kind,
        event_id=event.id,
        event_type=event.type,
        payload=payload,
        target=target,
        created_at=at,
        next_attempt_at=at,
    )


@dataclass(frozen=True)
class RetryPolicy:
    """Exponential back-off: ``base × 2^(n-1)`` after the n-th failed attempt, at most ``cap``.

    The defaults wait 30 s, 1 min, 2 min … 1 h, 1 h: ten attempts over about three hours.
    """

    base: timedelta = timedelta(seconds=30)
    cap: timedelta = timedelta(hours=1)
    max_attempts: int = 10

    def __post_init__(self) -> None:
        if self.max_attempts < 1 or self.base <= timedelta(0) or self.cap < self.base:
            raise ValueError(f"a retry policy needs max_attempts ≥ 1 and 0 < base ≤ cap: {self}")

    def delay(self, attempt: int) -> timedelta:
        """How long to wait after attempt number ``attempt`` (1, 2, …) failed."""
        if attempt < 1:
            raise ValueError(f"attempts count from 1, got {attempt}")
        if attempt > 32:  # 2^31 × base is already far past any cap
            return self.cap
        return min(self.base * (1 << (attempt - 1)), self.cap)

    def next_attempt(
        self, attempts: int, now: datetime, *, permanent: bool = False
    ) -> datetime | None:
        """When to try again after ``attempts`` failed; None when the delivery is dead."""
        if permanent or attempts >= self.max_attempts:
            return None
        return now + self.delay(attempts)


DEFAULT_RETRY = RetryPolicy()


def backoff_schedule(attempt: int, policy: RetryPolicy = DEFAULT_RETRY) -> timedelta:
    """The wait after failed attempt ``attempt`` under ``policy`` (the default one)."""
    return policy.delay(attempt)


@dataclass(frozen=True)
class WebhookRequest:
    """What a poster sends: the raw body and every header, signature included."""

    url: str
    body: bytes
    headers: Mapping[str, str]


def webhook_request(endpoint: WebhookEndpoint, delivery: Delivery, at: datetime) -> WebhookRequest:
    """The signed request for attempt ``delivery.attempts`` of ``delivery``, made ``at``."""
    body = canonical_json(delivery.payload).encode()
    timestamp = int(at.timestamp())
    headers = {
        "Content-Type": "application/json",
        "User-Agent": USER_AGENT,
        EVENT_ID_HEADER: delivery.event_id,
        EVENT_TYPE_HEADER: delivery.event_type,
        DELIVERY_ID_HEADER: delivery.id,
        ATTEMPT_HEADER: str(delivery.attempts),
        SIGNATURE_HEADER: signature_header(endpoint.secret, timestamp, body),
    }
    return WebhookRequest(endpoint.url, body, headers)
