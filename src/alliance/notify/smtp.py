"""E-mail out: :class:`SmtpMailer` over SMTP, :class:`MailboxMailer` into a local mbox file.

``ALLIANCE_SMTP_URL`` chooses (:func:`mailer_for`):

* ``smtp://[user:password@]host[:port][?starttls=1][&from=addr][&timeout=s]`` — plain
  SMTP (port 25 by default), upgraded with STARTTLS when ``starttls=1``;
* ``smtps://…`` — SMTP over TLS from the first byte (port 465 by default);
* empty — no server: every e-mail is appended to ``<data_dir>/mailbox/alliance.mbox``,
  readable with any mail client or :class:`mailbox.mbox`.

User and password are percent-decoded. ``from`` is the sender (default
``Alliance <alliance@localhost>``). Each e-mail carries a ``Message-ID`` and an
``Alliance-Event-Id`` header that are the same on every retry, so a resent e-mail can be
recognised (delivery is at least once).
"""

from __future__ import annotations

import hashlib
import mailbox
import smtplib
import ssl
from datetime import UTC, datetime
from email.message import EmailMessage
from email.utils import format_datetime, parseaddr
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

from alliance.domain.notifications import EVENT_ID_HEADER, DeliveryFailed, Message
from alliance.services.notifications import Mailer

DEFAULT_SENDER = "Alliance <alliance@localhost>"
DEFAULT_TIMEOUT = 10.0
MAILBOX_FILE = Path("mailbox") / "alliance.mbox"
_TRUE = {"1", "true", "yes", "on"}


def build_email(message: Message, sender: str, at: datetime) -> EmailMessage:
    """The MIME e-mail for ``message``: plain text, with an HTML alternative if given."""
    email = EmailMessage()
    email["From"] = sender
    email["To"] = message.to
    email["Subject"] = message.subject
    email["Date"] = format_datetime(at.astimezone(UTC))
    domain = parseaddr(sender)[1].rpartition("@")[2] or "localhost"
    recipient = hashlib.sha256(message.to.lower().encode()).hexdigest()[:16]
    email["Message-ID"] = f"<{message.event_id}.{recipient}@{domain}>"
    email[EVENT_ID_HEADER] = message.event_id
    email["Auto-Submitted"] = "auto-generated"
    if message.template:
        email["Alliance-Template"] = message.template
    email.set_content(message.text)
    if message.html is not None:
        email.add_alternative(message.html, subtype="html")
    return email


class SmtpMailer:
    """Sends each e-mail in its own SMTP session (stdlib :mod:`smtplib`)."""

    def __init__(self, url: str) -> None:
        parts = urlsplit(url)
        if parts.scheme not in ("smtp", "smtps") or not parts.hostname:
            raise ValueError(f"an SMTP URL is smtp://host[:port] or smtps://…, got {url!r}")
        query = {key: values[-1] for key, values in parse_qs(parts.query).items()}
        self.tls = parts.scheme == "smtps"
        self.starttls = query.get("starttls", "").lower() in _TRUE
        if self.tls and self.starttls:
            raise ValueError("smtps:// is TLS already; starttls=1 is for smtp://")
        self.host = parts.hostname
        self.port = parts.port or (465 if self.tls else 25)
        self.username = unquote(parts.username) if parts.username else None
        self.password = unquote(parts.password) if parts.password else ""
        self.sender = query.get("from", DEFAULT_SENDER)
        self.timeout = float(query.get("timeout", DEFAULT_TIMEOUT))

    def _connect(self) -> smtplib.SMTP:
        if self.tls:
            context = ssl.create_default_context()
            return smtplib.SMTP_SSL(self.host, self.port, timeout=self.timeout, context=context)
        return smtplib.SMTP(self.host, self.port, timeout=self.timeout)

    def send(self, message: Message, *, at: datetime) -> None:
        email = build_email(message, self.sender, at)
        try:
            with self._connect() as smtp:
                if self.starttls:
                    smtp.starttls(context=ssl.create_default_context())
                if self.username:
                    smtp.login(self.username, self.password)
                smtp.send_message(email, from_addr=parseaddr(self.sender)[1], to_addrs=[message.to])
        except smtplib.SMTPRecipientsRefused as refused:
            codes = [code for code, _ in refused.recipients.values()]
            permanent = bool(codes) and all(code >= 500 for code in codes)
            reason = f"recipient refused: {refused.recipients}"
            raise DeliveryFailed(reason, permanent=permanent) from refused
        except (smtplib.SMTPException, OSError) as error:
            raise DeliveryFailed(f"SMTP {self.host}:{self.port}: {error!r}") from error


class MailboxMailer:
    """Appends each e-mail to an mbox file (locked while writing): mail without a server."""

    def __init__(self, path: Path, sender: str = DEFAULT_SENDER) -> None:
        self.path = path
        self.sender = sender

    def send(self, message: Message, *, at: datetime) -> None:
        entry = mailbox.mboxMessage(build_email(message, self.sender, at))
        entry.set_from(parseaddr(self.sender)[1] or "alliance", at.astimezone(UTC).timetuple())
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            box = mailbox.mbox(self.path)
            box.lock()
            try:
                box.add(entry)
                box.flush()
            finally:
                box.unlock()
                box.close()
        except (OSError, mailbox.Error) as error:
            raise DeliveryFailed(f"mailbox {self.path}: {error!r}") from error


def mailer_for(smtp_url: str, data_dir: Path) -> Mailer:
    """SMTP when ``smtp_url`` is set, else the mailbox file under ``data_dir``."""
    if smtp_url.strip():
        return SmtpMailer(smtp_url.strip())
    return MailboxMailer(data_dir / MAILBOX_FILE)
