"""The portal's session: a signed cookie (issue 6).

The cookie holds a small JSON dict signed with the application's secret key
(``itsdangerous``): the CSRF token, and after login the user's id and credential stamp
(:mod:`alliance.services.portal_sessions`). It is ``HttpOnly`` (scripts cannot read
it), ``SameSite=Lax`` (not sent on cross-site POSTs), ``Secure`` when the request came
over HTTPS, and expires after :data:`MAX_AGE`. A cookie whose signature or age does
not check out is ignored: the visitor is anonymous.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field
from typing import Any

from itsdangerous import BadSignature, URLSafeTimedSerializer
from starlette.requests import Request
from starlette.responses import Response

COOKIE = "alliance_session"
MAX_AGE = 12 * 60 * 60  # seconds
SALT = "alliance.portal.session"


@dataclass
class Session:
    """What the cookie says; ``changed`` when the response must send it again."""

    csrf: str = field(default_factory=lambda: secrets.token_urlsafe(32))
    user_id: str | None = None
    stamp: str | None = None
    changed: bool = False

    def to_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {"csrf": self.csrf}
        if self.user_id is not None:
            data["uid"] = self.user_id
            data["stamp"] = self.stamp
        return data

    def log_in(self, user_id: str, stamp: str) -> None:
        """A new session for the user: a new CSRF token too (no fixation)."""
        self.user_id, self.stamp = user_id, stamp
        self.csrf = secrets.token_urlsafe(32)
        self.changed = True

    def log_out(self) -> None:
        self.user_id = self.stamp = None
        self.csrf = secrets.token_urlsafe(32)
        self.changed = True


class SessionCodec:
    """Reads and writes the signed cookie."""

    def __init__(self, secret_key: str) -> None:
        self._serializer = URLSafeTimedSerializer(secret_key, salt=SALT)

    def read(self, request: Request) -> Session:
        raw = request.cookies.get(COOKIE)
        if raw:
            try:
                data = self._serializer.loads(raw, max_age=MAX_AGE)
            except BadSignature:
                data = None
            if isinstance(data, dict) and isinstance(data.get("csrf"), str):
                uid, stamp = data.get("uid"), data.get("stamp")
                if isinstance(uid, str) and isinstance(stamp, str):
                    return Session(csrf=data["csrf"], user_id=uid, stamp=stamp)
                return Session(csrf=data["csrf"])
        return Session(changed=True)

    def write(self, request: Request, response: Response, session: Session) -> None:
        response.set_cookie(
            COOKIE,
            self._serializer.dumps(session.to_json()),
            max_age=MAX_AGE,
            path="/",
            httponly=True,
            samesite="lax",
            secure=request.url.scheme == "https",
        )
