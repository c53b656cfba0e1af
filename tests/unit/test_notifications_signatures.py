"""Webhook signatures: HMAC-SHA256 over ``t.body``, verified in constant time within a window."""

from __future__ import annotations

import hashlib
import hmac
import json
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from alliance.domain.notifications import (
    Event,
    WebhookEndpoint,
    webhook_delivery,
    webhook_request,
)
from alliance.domain.webhook_signatures import (
    ATTEMPT_HEADER,
    DELIVERY_ID_HEADER,
    EVENT_ID_HEADER,
    EVENT_TYPE_HEADER,
    SIGNATURE_HEADER,
    InvalidSignature,
    sign,
    signature_header,
    verify,
)

SECRET = "whsec_test_secret"
NOW = datetime(2025, 3, 14, 9, 30, tzinfo=UTC)
T = int(NOW.timestamp())
BODY = b'{"data":{"engagement_id":"eng_1"},"id":"evt_1","type":"engagement.acknowledged"}'


def test_the_signature_is_hex_hmac_sha256_of_timestamp_dot_body() -> None:
    expected = hmac.new(SECRET.encode(), f"{T}.".encode() + BODY, hashlib.sha256).hexdigest()
    assert sign(SECRET, T, BODY) == expected
    assert signature_header(SECRET, T, BODY) == f"t={T},v1={expected}"


def test_a_genuine_signature_verifies_and_returns_its_timestamp() -> None:
    assert verify(SECRET, signature_header(SECRET, T, BODY), BODY, now=NOW) == T


def test_a_tampered_body_is_refused() -> None:
    header = signature_header(SECRET, T, BODY)
    with pytest.raises(InvalidSignature, match="does not match"):
        verify(SECRET, header, BODY.replace(b"eng_1", b"eng_2"), now=NOW)


def test_a_signature_made_with_another_secret_is_refused() -> None:
    header = signature_header("whsec_someone_else", T, BODY)
    with pytest.raises(InvalidSignature, match="does not match"):
        verify(SECRET, header, BODY, now=NOW)


def test_a_changed_timestamp_breaks_the_signature() -> None:
    forged = signature_header(SECRET, T, BODY).replace(f"t={T}", f"t={T + 60}")
    with pytest.raises(InvalidSignature, match="does not match"):
        verify(SECRET, forged, BODY, now=NOW)


def test_an_old_timestamp_is_refused_even_with_a_genuine_signature() -> None:
    old = signature_header(SECRET, T - 301, BODY)
    with pytest.raises(InvalidSignature, match="tolerance"):
        verify(SECRET, old, BODY, now=NOW)


def test_a_timestamp_at_the_edge_of_the_window_is_accepted() -> None:
    assert verify(SECRET, signature_header(SECRET, T - 300, BODY), BODY, now=NOW) == T - 300


def test_a_timestamp_from_the_future_is_refused() -> None:
    with pytest.raises(InvalidSignature, match="tolerance"):
        verify(SECRET, signature_header(SECRET, T + 301, BODY), BODY, now=NOW)


def test_the_window_is_the_receivers_choice() -> None:
    header = signature_header(SECRET, T - 3600, BODY)
    assert verify(SECRET, header, BODY, now=NOW, tolerance=timedelta(hours=2)) == T - 3600


def test_one_matching_signature_among_several_is_enough_while_a_secret_rotates() -> None:
    header = f"t={T},v1={sign('whsec_old', T, BODY)},v1={sign(SECRET, T, BODY)}"
    assert verify(SECRET, header, BODY, now=NOW) == T


@pytest.mark.parametrize(
    "header",
    ["", "v1=abc", f"t={T}", f"t=soon,v1={sign(SECRET, T, BODY)}", f"t={T},t={T},v1=abc"],
)
def test_a_malformed_header_is_refused(header: str) -> None:
    with pytest.raises(InvalidSignature):
        verify(SECRET, header, BODY, now=NOW)


def test_verifying_needs_an_aware_now() -> None:
    with pytest.raises(ValueError, match="aware"):
        verify(SECRET, signature_header(SECRET, T, BODY), BODY, now=NOW.replace(tzinfo=None))


@given(body=st.binary(max_size=200), secret=st.text(min_size=1, max_size=40))
def test_any_body_signed_with_a_secret_verifies_with_it(body: bytes, secret: str) -> None:
    assert verify(secret, signature_header(secret, T, body), body, now=NOW) == T


def test_a_webhook_request_carries_the_documented_headers_and_a_verifiable_signature() -> None:
    endpoint = WebhookEndpoint(
        "whk_1", "https://hooks.example/a", ("engagement.acknowledged",), SECRET, NOW
    )
    event = Event(
        "engagement.acknowledged", "evt_1", {"b": 1, "a": "x"}, NOW, organization_id="org_acme"
    )
    delivery = webhook_delivery(event, endpoint, NOW)

    request = webhook_request(endpoint, delivery, NOW + timedelta(seconds=5))

    assert request.url == "https://hooks.example/a"
    assert request.headers[EVENT_ID_HEADER] == "evt_1"
    assert request.headers[EVENT_TYPE_HEADER] == "engagement.acknowledged"
    assert request.headers[DELIVERY_ID_HEADER] == delivery.id
    assert request.headers[ATTEMPT_HEADER] == "0"
    assert request.headers[SIGNATURE_HEADER].startswith(f"t={T + 5},v1=")
    assert verify(SECRET, request.headers[SIGNATURE_HEADER], request.body, now=NOW) == T + 5
    assert request.body == (
        b'{"data":{"a":"x","b":1},"id":"evt_1","occurred_at":"2025-03-14T09:30:00+00:00",'
        b'"organization_id":"org_acme","type":"engagement.acknowledged"}'
    )
    assert json.loads(request.body)["id"] == "evt_1"
