"""Where the PostgreSQL tests find their server, shared by the integration and e2e layers.

``scripts/test-postgres`` starts a server on loopback and prints the variable to export.
Without it the PostgreSQL half of a test is skipped locally — and fails when ``CI`` is
set, so that CI can never pass by silently skipping PostgreSQL.
"""

from __future__ import annotations

import os

import pytest
from sqlalchemy import Engine, text

from alliance.store.tables import metadata

POSTGRES_URL_VARIABLE = "ALLIANCE_TEST_POSTGRES_URL"
BACKENDS = ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)]


def postgres_base_url() -> str:
    url = os.environ.get(POSTGRES_URL_VARIABLE)
    if url:
        return url
    reason = (
        f"{POSTGRES_URL_VARIABLE} is not set; "
        'run `eval "$(scripts/test-postgres)"` to test on PostgreSQL too'
    )
    if os.environ.get("CI"):
        pytest.fail(f"{reason} (CI is set: PostgreSQL tests must run there)", pytrace=False)
    pytest.skip(reason)


def empty_postgres_tables(cleaner: Engine) -> None:
    """Empty every table of a test database between tests (faster than re-creating it)."""
    tables = ", ".join(f'"{table.name}"' for table in metadata.sorted_tables)
    with cleaner.begin() as connection:
        # Fail fast, rather than hang, if a test left a transaction open.
        connection.execute(text("SET LOCAL lock_timeout = '10s'"))
        # The journal refuses TRUNCATE; the table owner may lift that for a moment.
        connection.execute(text("ALTER TABLE audit_log DISABLE TRIGGER audit_log_no_truncate"))
        connection.execute(text(f"TRUNCATE {tables} RESTART IDENTITY"))
        connection.execute(text("ALTER TABLE audit_log ENABLE TRIGGER audit_log_no_truncate"))
