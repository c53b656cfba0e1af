"""Outcomes of earned-tier evaluations with the definition version that produced them (issue 5).

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-07

A slot reserved for this change; it creates nothing until filled.
"""

from collections.abc import Sequence

revision: str = "0009"
down_revision: str | Sequence[str] | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
