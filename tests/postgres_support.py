"""Where the PostgreSQL tests find their server, shared by the integration and e2e layers.

``scripts/test-postgres`` starts a server on loopback and prints the variable to export.
Without it the PostgreSQL half of a test is skipped locally — and fails when ``CI`` is
set, so that CI can never pass by silently skipping PostgreSQL.
"""

from __future__ import annotations

import os

import pytest

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
