"""The composition root: settings, storage, program definitions, clock, password hasher,
and the notification sinks (a mailer and a webhook poster).

Nothing is created at import time. ``bootstrap()`` builds an :class:`Application` that
every entry point (CLI, API, portal) hands to the use cases; tests call it with their
own settings and a :class:`~alliance.domain.clock.FixedClock`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from sqlalchemy import Engine, text
from sqlalchemy.exc import SQLAlchemyError

from alliance.domain.clock import Clock, SystemClock
from alliance.notify.smtp import mailer_for
from alliance.notify.webhooks import HttpPoster
from alliance.programs.registry import ProgramRegistry
from alliance.services.notifications import Mailer, Poster
from alliance.services.passwords import Passwords
from alliance.services.ports import UnitOfWork
from alliance.settings import Settings
from alliance.store import migrate as migrations
from alliance.store.database import create_engine_for, session_factory
from alliance.store.unit_of_work import SqlUnitOfWork


@dataclass
class Application:
    """Everything a running Alliance needs, built once by :func:`bootstrap`."""

    settings: Settings
    engine: Engine
    uow_factory: Callable[[], UnitOfWork]
    programs: ProgramRegistry
    clock: Clock
    mailer: Mailer
    poster: Poster
    passwords: Passwords = field(default_factory=Passwords)

    def database_ok(self) -> bool:
        """True when the database answers a trivial query."""
        try:
            with self.engine.connect() as connection:
                connection.execute(text("SELECT 1"))
        except SQLAlchemyError:
            return False
        return True

    def close(self) -> None:
        """Give back every pooled database connection."""
        self.engine.dispose()


def bootstrap(
    settings: Settings | None = None,
    *,
    clock: Clock | None = None,
    migrate: bool = False,
    passwords: Passwords | None = None,
    mailer: Mailer | None = None,
    poster: Poster | None = None,
) -> Application:
    """Build the application from ``settings`` (read from ``ALLIANCE_*`` when None).

    ``migrate=True`` brings the database schema up to date first. ``passwords`` lets
    tests use a cheaper argon2 configuration. E-mail goes over SMTP when
    ``ALLIANCE_SMTP_URL`` is set, else to a mailbox file under ``data_dir``; ``mailer``
    and ``poster`` replace those sinks (tests).
    """
    settings = settings if settings is not None else Settings()
    clock = clock if clock is not None else SystemClock(settings.time_zone)
    programs = ProgramRegistry.load(settings.programs)
    if migrate:
        migrations.upgrade(settings.database_url)
    engine = create_engine_for(settings.database_url)
    sessions = session_factory(engine)

    def uow_factory() -> UnitOfWork:
        return SqlUnitOfWork(sessions, clock=clock)

    return Application(
        settings=settings,
        engine=engine,
        uow_factory=uow_factory,
        programs=programs,
        clock=clock,
        mailer=mailer if mailer is not None else mailer_for(settings.smtp_url, settings.data_dir),
        poster=poster if poster is not None else HttpPoster(),
        passwords=passwords if passwords is not None else Passwords(),
    )
