"""CSRF protection (issue 6): every form POST carries the session's token.

The token is bound to the session cookie (:mod:`alliance.web.sessions`) and sent back
as the ``csrf_token`` form field — or, for htmx requests, the ``X-CSRF-Token`` header
(``hx-headers`` on ``<body>``). A POST without it, or with another session's token, is
refused with 403 before its handler runs.
"""

from __future__ import annotations

import hmac

from starlette.requests import Request

FIELD = "csrf_token"
HEADER = "X-CSRF-Token"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


class CsrfRefused(Exception):
    """The request changes something without the session's CSRF token."""


async def check_csrf(request: Request, expected: str) -> None:
    if request.method in SAFE_METHODS:
        return
    sent = request.headers.get(HEADER)
    if not sent:
        form = await request.form()  # starlette keeps it: the handler reads it again
        value = form.get(FIELD)
        sent = value if isinstance(value, str) else None
    if not sent or not hmac.compare_digest(sent.encode(), expected.encode()):
        raise CsrfRefused("this form has expired or did not come from this site")
