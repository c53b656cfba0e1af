"""Webhook signatures: HMAC-SHA256 over the timestamp and the raw body, with a shared secret.

Every webhook request carries::

    Alliance-Signature: t=1741944600,v1=5257a869e7ecebeda32affa62cdca3fa51cad7e77a0e56ff536d0ce8e1…

``t`` is the Unix time (seconds) of the attempt and ``v1`` the lower-case hex
``HMAC-SHA256(secret, f"{t}." + body)`` — the body exactly as received, bytes, before
any JSON parsing. A receiver recomputes it with the endpoint's secret, compares in
constant time and refuses a ``t`` further than its tolerance from its own clock (5
minutes by default), so that a captured request cannot be replayed later. Several
``v1=`` values may appear while a secret is being rotated; one match is enough.

The other headers (not signed, but the signed body repeats the first two):
``Alliance-Event-Id`` (stable across retries: deduplicate on it),
``Alliance-Event-Type``, ``Alliance-Delivery-Id`` and ``Alliance-Delivery-Attempt``.
"""

from __future__ import annotations

import hashlib
import hmac
from datetime import datetime, timedelta

SIGNATURE_HEADER = "Alliance-Signature"
EVENT_ID_HEADER = "Alliance-Event-Id"
EVENT_TYPE_HEADER = "Alliance-Event-Type"
DELIVERY_ID_HEADER = "Alliance-Delivery-Id"
ATTEMPT_HEADER = "Alliance-Delivery-Attempt"
SIGNATURE_SCHEME = "v1"
#: How far a signature's timestamp may be from the receiver's clock.
DEFAULT_TOLERANCE = timedelta(minutes=5)


class InvalidSignature(Exception):
    """A webhook request whose signature is malformed, wrong or outside the tolerance."""


def sign(secret: str, timestamp: int, body: bytes) -> str:
    """HMAC-SHA256 of ``"<timestamp>." + body`` keyed by ``secret``, in lower-case hex."""
    signed = f"{timestamp}.".encode() + body
    return hmac.new(secret.encode(), signed, hashlib.sha256).hexdigest()


def signature_header(secret: str, timestamp: int, body: bytes) -> str:
    """The value of ``Alliance-Signature``: ``t=<unix seconds>,v1=<hex>``."""
    return f"t={timestamp},{SIGNATURE_SCHEME}={sign(secret, timestamp, body)}"


def verify(
    secret: str,
    header: str,
    body: bytes,
    *,
    now: datetime,
    tolerance: timedelta = DEFAULT_TOLERANCE,
) -> int:
    """Check an ``Alliance-Signature`` header against the raw ``body``; returns its ``t``.

    Raises :class:`InvalidSignature` when the header is malformed, no ``v1`` matches
    (compared in constant time), or ``t`` is further than ``tolerance`` from ``now``.
    Several ``v1`` values may be present (one per secret, while a secret is rotated).
    """
    if now.tzinfo is None or now.utcoffset() is None:
        raise ValueError(f"now must be time-zone aware, got {now.isoformat()}")
    timestamps: list[str] = []
    candidates: list[str] = []
    for part in header.split(","):
        key, _, value = part.strip().partition("=")
        if key == "t":
            timestamps.append(value)
        elif key == SIGNATURE_SCHEME:
            candidates.append(value)
    if len(timestamps) != 1 or not timestamps[0].isdigit() or not candidates:
        raise InvalidSignature("malformed signature header")
    timestamp = int(timestamps[0])
    expected = sign(secret, timestamp, body)
    matched = False
    for candidate in candidates:
        matched |= hmac.compare_digest(expected, candidate)
    if not matched:
        raise InvalidSignature("signature does not match")
    if abs(now.timestamp() - timestamp) > tolerance.total_seconds():
        raise InvalidSignature("signature timestamp outside the tolerance window")
    return timestamp
