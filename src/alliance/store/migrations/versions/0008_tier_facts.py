"""Facts of earned tiers: certifications, customers, usage, deals, revenue… (issue 5).

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-07

A slot reserved for this change; it creates nothing until filled.
"""

from collections.abc import Sequence

revision: str = "0008"
down_revision: str | Sequence[str] | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
