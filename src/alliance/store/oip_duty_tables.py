"""OIP duty tables (OIP-5), on the same :data:`~alliance.store.tables.metadata`.

- ``oip_duty_profiles`` — the product lines a member sells and its flags.
- ``oip_duty_progress`` — how many of each duty item a member has done, by item key.
"""

from __future__ import annotations

from sqlalchemy import CheckConstraint, Column, Integer, String, Table

from alliance.store.tables import ID_LENGTH, Json, metadata
from alliance.store.types import UtcDateTime

oip_duty_profiles = Table(
    "oip_duty_profiles",
    metadata,
    Column("partner_id", String(ID_LENGTH), primary_key=True),
    Column("product_lines", Json, nullable=False),
    Column("flags", Json, nullable=False),
    Column("updated_at", UtcDateTime(), nullable=False),
    Column("updated_by", String(200), nullable=False),
)

oip_duty_progress = Table(
    "oip_duty_progress",
    metadata,
    Column("partner_id", String(ID_LENGTH), primary_key=True),
    Column("item_key", String(200), primary_key=True),
    Column("done", Integer(), nullable=False),
    Column("updated_at", UtcDateTime(), nullable=False),
    Column("updated_by", String(200), nullable=False),
    CheckConstraint("done >= 0", name="done_not_negative", info={"field": "done"}),
)
