"""PEX points and proof-of-concept budgets; OIP duties compliance (issue 5).

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-07

A slot reserved for this change; it creates nothing until filled.
"""

from collections.abc import Sequence

revision: str = "0010"
down_revision: str | Sequence[str] | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
