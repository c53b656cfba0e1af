"""Alembic's environment for the Alliance schema, configured by :mod:`alliance.store.migrate`.

The caller passes an open connection in ``config.attributes["connection"]`` (already
inside a transaction, so that the whole upgrade commits or rolls back as one); without
one, the URL in the ``sqlalchemy.url`` option is used. SQLite tables are altered in
batch mode (copy and rename), the only way SQLite can change most of a table.
"""

from __future__ import annotations

from alembic import context
from sqlalchemy import Connection

from alliance.store import (
    credit_tables,  # noqa: F401 - puts the partner-credit tables on metadata
    engagement_tables,  # noqa: F401 - puts the engagement tables on metadata
    ledger_tables,  # noqa: F401 - puts the ledger's tables on metadata
    membership_tables,  # noqa: F401 - puts the membership tables on metadata
    notification_tables,  # noqa: F401 - puts the outbox and webhook tables on metadata
    oip_duty_tables,  # noqa: F401 - puts the OIP duty tables on metadata
    pex_tables,  # noqa: F401 - puts the PEX enrolment and budget tables on metadata
    portal_tables,  # noqa: F401 - puts the password-reset table on metadata
    rewards_tables,  # noqa: F401 - puts the reward tables on metadata
    tier_fact_tables,  # noqa: F401 - puts the tier-fact tables on metadata
    tier_outcome_tables,  # noqa: F401 - puts the earned-tier outcome tables on metadata
)
from alliance.store.database import create_engine_for, is_sqlite
from alliance.store.tables import metadata


def _configure(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )


def run_online() -> None:
    given = context.config.attributes.get("connection")
    if isinstance(given, Connection):
        _configure(given)
        with context.begin_transaction():
            context.run_migrations()
        return
    url = context.config.get_main_option("sqlalchemy.url")
    if not url:
        raise RuntimeError("no connection and no sqlalchemy.url to migrate")
    engine = create_engine_for(url, foreign_keys=False)
    try:
        with engine.connect() as connection:
            _configure(connection)
            with context.begin_transaction():
                context.run_migrations()
    finally:
        engine.dispose()


def run_offline() -> None:
    url = context.config.get_main_option("sqlalchemy.url")
    if not url:
        raise RuntimeError("offline migrations need sqlalchemy.url")
    context.configure(
        url=url,
        target_metadata=metadata,
        literal_binds=True,
        render_as_batch=is_sqlite(url),
    )
    with context.begin_transaction():
        context.run_migrations()


if context.is_offline_mode():
    run_offline()
else:
    run_online()
