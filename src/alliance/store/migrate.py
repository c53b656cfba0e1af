"""Schema migrations (Alembic), configured in code: no ``alembic.ini`` needed.

An upgrade runs in one transaction on both databases. On PostgreSQL it first takes an
advisory lock, so that two processes starting together migrate one after the other;
on SQLite ``BEGIN IMMEDIATE`` does the same. SQLite migrations run with foreign-key
checks off (batch mode rebuilds tables) and check every reference before committing.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, text

from alliance.store.database import create_engine_for

MIGRATIONS = Path(__file__).with_name("migrations")
#: Any constant shared by every Alliance process: the key of the migration lock.
ADVISORY_LOCK_KEY = 0x616C6C69616E6365  # "alliance"

_Step = Callable[[Config], None]


class ForeignKeyViolations(RuntimeError):
    """A SQLite migration left rows referring to nothing; it was rolled back."""


def alembic_config(connection: Connection | None = None) -> Config:
    """Alembic's configuration for our scripts, optionally bound to an open connection."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["connection"] = connection
    return config


def head_revision() -> str:
    """The newest revision the code knows."""
    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    if head is None:
        raise RuntimeError(f"no migrations found in {MIGRATIONS}")
    return head


def upgrade(url: str, revision: str = "head") -> str | None:
    """Migrate the database at ``url`` up to ``revision``; returns the revision reached."""
    return _run(url, lambda config: command.upgrade(config, revision))


def downgrade(url: str, revision: str) -> str | None:
    """Migrate down to ``revision`` (``"base"`` empties the schema); returns where it is."""
    return _run(url, lambda config: command.downgrade(config, revision))


def current_revision(url: str) -> str | None:
    """The revision the database at ``url`` is at; None when it was never migrated."""
    engine = create_engine_for(url)
    try:
        with engine.connect() as connection:
            return MigrationContext.configure(connection).get_current_revision()
    finally:
        engine.dispose()


def _run(url: str, step: _Step) -> str | None:
    engine = create_engine_for(url, foreign_keys=False)
    try:
        with engine.begin() as connection:
            if connection.dialect.name == "postgresql":
                connection.execute(
                    text("SELECT pg_advisory_xact_lock(:key)"), {"key": ADVISORY_LOCK_KEY}
                )
            step(alembic_config(connection))
            if connection.dialect.name == "sqlite":
                _check_foreign_keys(connection)
            return MigrationContext.configure(connection).get_current_revision()
    finally:
        engine.dispose()


def _check_foreign_keys(connection: Connection) -> None:
    broken = connection.exec_driver_sql("PRAGMA foreign_key_check").all()
    if broken:
        sample = ", ".join(f"{row[0]} rowid {row[1]} → {row[2]}" for row in broken[:5])
        raise ForeignKeyViolations(f"{len(broken)} broken reference(s), e.g. {sample}")
