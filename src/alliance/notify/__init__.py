"""Adapters that deliver notifications: e-mail over SMTP or to a local mailbox file
(:mod:`alliance.notify.smtp`), and signed webhooks over HTTP (:mod:`alliance.notify.webhooks`).

They implement :class:`alliance.services.notifications.Mailer` and
:class:`~alliance.services.notifications.Poster`; the composition root chooses them
from the settings.
"""
