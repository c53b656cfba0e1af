"""Real receivers on loopback for the notification tests: an SMTP server and an HTTP server.

* :class:`SmtpReceiver` — aiosmtpd in a thread on an ephemeral port; keeps every e-mail
  it accepted, parsed. ``defer_next`` answers ``451`` (try later) to the next messages,
  ``refuse`` answers ``550`` to some recipients; an optional login is required when
  ``credentials`` are given.
* :class:`HttpReceiver` — :mod:`http.server` in a thread on an ephemeral port; keeps
  every request (path, headers, raw body); ``fail_first`` answers 500 to the first N,
  ``delay`` makes it slow.
"""

from __future__ import annotations

import email
import socket
import threading
import time
from dataclasses import dataclass, field
from email.message import EmailMessage
from email.policy import default as default_policy
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP as SmtpServer
from aiosmtpd.smtp import AuthResult, Envelope, LoginPassword, Session


@dataclass
class Received:
    """One e-mail as the SMTP server got it."""

    mail_from: str
    rcpt_tos: list[str]
    message: EmailMessage


class _Handler:
    def __init__(self, receiver: SmtpReceiver) -> None:
        self.receiver = receiver

    async def handle_RCPT(
        self,
        server: SmtpServer,
        session: Session,
        envelope: Envelope,
        address: str,
        rcpt_options: list[str],
    ) -> str:
        if address in self.receiver.refuse:
            return "550 5.1.1 no such user"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: SmtpServer, session: Session, envelope: Envelope) -> str:
        with self.receiver.lock:
            if self.receiver.defer_next > 0:
                self.receiver.defer_next -= 1
                return "451 4.3.0 try again later"
            content = envelope.content
            raw = content if isinstance(content, bytes) else str(content).encode()
            parsed = email.message_from_bytes(raw, _class=EmailMessage, policy=default_policy)
            self.receiver.received.append(
                Received(str(envelope.mail_from), list(envelope.rcpt_tos), parsed)
            )
        return "250 OK"


class _LoopbackController(Controller):
    """aiosmtpd's controller on port 0: learns the port the kernel chose before using it."""

    def _trigger_server(self) -> None:
        sockets: list[socket.socket] = list(getattr(self.server, "sockets", []))
        self.port = sockets[0].getsockname()[1]
        super()._trigger_server()  # type: ignore[no-untyped-call]


@dataclass
class SmtpReceiver:
    credentials: tuple[str, str] | None = None
    received: list[Received] = field(default_factory=list)
    refuse: set[str] = field(default_factory=set)
    defer_next: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)
    _controller: _LoopbackController | None = None

    def _authenticate(
        self, server: SmtpServer, session: Session, envelope: Envelope, mechanism: str, data: Any
    ) -> AuthResult:
        ok = isinstance(data, LoginPassword) and self.credentials == (
            data.login.decode(),
            data.password.decode(),
        )
        return AuthResult(success=ok, handled=False)

    def start(self) -> SmtpReceiver:
        options: dict[str, Any] = {}
        if self.credentials is not None:
            options = {
                "authenticator": self._authenticate,
                "auth_required": True,
                "auth_require_tls": False,
            }
        self._controller = _LoopbackController(
            _Handler(self), hostname="127.0.0.1", port=0, **options
        )
        self._controller.start()
        return self

    def stop(self) -> None:
        if self._controller is not None:
            self._controller.stop()

    @property
    def port(self) -> int:
        assert self._controller is not None
        return int(self._controller.port)

    def url(self, **query: str) -> str:
        user = ""
        if self.credentials is not None:
            from urllib.parse import quote

            login, password = self.credentials
            user = f"{quote(login, safe='')}:{quote(password, safe='')}@"
        tail = "&".join(f"{key}={value}" for key, value in query.items())
        return f"smtp://{user}127.0.0.1:{self.port}" + (f"?{tail}" if tail else "")


@dataclass
class Request:
    """One request as the HTTP receiver got it."""

    path: str
    headers: dict[str, str]
    body: bytes


@dataclass
class HttpReceiver:
    fail_first: int = 0
    failure_status: int = 500
    delay: float = 0.0
    requests: list[Request] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)
    _server: ThreadingHTTPServer | None = None
    _thread: threading.Thread | None = None

    def start(self) -> HttpReceiver:
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
                if receiver.delay:
                    time.sleep(receiver.delay)
                with receiver.lock:
                    receiver.requests.append(Request(self.path, dict(self.headers), body))
                    failing = len(receiver.requests) <= receiver.fail_first
                status = receiver.failure_status if failing else 204
                self.send_response(status)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, format: str, *args: Any) -> None:
                return

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)

    def url(self, path: str = "/hooks/alliance") -> str:
        assert self._server is not None
        host, port = self._server.server_address[:2]
        return f"http://{host!s}:{port}{path}"
