"""Webhooks out: :class:`HttpPoster` sends a signed request with httpx.

A 2xx answer means delivered; any other status, a timeout or a connection error raises
:class:`~alliance.domain.notifications.DeliveryFailed`, and the delivery is retried with
back-off. Redirects are not followed (a receiver moves by re-registering its URL).
"""

from __future__ import annotations

import httpx

from alliance.domain.notifications import DeliveryFailed, WebhookRequest

DEFAULT_TIMEOUT = 10.0
#: How much of a refusing receiver's answer is kept in the outbox's ``last_error``.
ANSWER_EXCERPT = 200


class HttpPoster:
    """Posts each request on a new connection, waiting at most ``timeout`` seconds."""

    def __init__(
        self, timeout: float = DEFAULT_TIMEOUT, *, transport: httpx.BaseTransport | None = None
    ) -> None:
        self.timeout = timeout
        self._transport = transport

    def post(self, request: WebhookRequest) -> None:
        try:
            with httpx.Client(
                timeout=self.timeout, follow_redirects=False, transport=self._transport
            ) as client:
                response = client.post(
                    request.url, content=request.body, headers=dict(request.headers)
                )
        except httpx.HTTPError as error:
            raise DeliveryFailed(f"{type(error).__name__}: {error}") from error
        if not response.is_success:
            answer = response.text[:ANSWER_EXCERPT]
            raise DeliveryFailed(f"HTTP {response.status_code} from {request.url}: {answer}")
