"""The operational schema as SQLAlchemy Core tables on one :data:`metadata`.

Domain dataclasses know nothing of these tables; repositories translate rows to domain
objects and back. Constraint names follow :data:`NAMING_CONVENTION`, so migrations
and error translation (:mod:`alliance.store.integrity`) can refer to them.
Enumerations are stored as their string values without CHECK constraints, so that a
program may add a value without a table rebuild; the domain validates them.
"""

from __future__ import annotations

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    CheckConstraint,
    Column,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    PrimaryKeyConstraint,
    String,
    Table,
    func,
)
from sqlalchemy.dialects.postgresql import JSONB

from alliance.store.types import ExactDecimal, UtcDateTime

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_N_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_N_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

metadata = MetaData(naming_convention=NAMING_CONVENTION)

ID_LENGTH = 64
#: JSON on SQLite, JSONB on PostgreSQL; Python None is stored as SQL NULL.
Json = JSON(none_as_null=True).with_variant(JSONB(none_as_null=True), "postgresql")
#: 64-bit on PostgreSQL; plain INTEGER on SQLite, where only that aliases the rowid.
BigId = BigInteger().with_variant(Integer(), "sqlite")


def _key() -> Column[str]:
    return Column("id", String(ID_LENGTH), primary_key=True)


def _reference(name: str, target: str, *, nullable: bool, unique: bool = False) -> Column[str]:
    return Column(name, String(ID_LENGTH), ForeignKey(target), nullable=nullable, unique=unique)


organizations = Table(
    "organizations",
    metadata,
    _key(),
    Column("name", String(200), nullable=False),
    Column("country", String(2), nullable=False),
    Column("kind", String(20), nullable=False),
    Column("partner_type", String(40), nullable=True),
    _reference("parent_id", "organizations.id", nullable=True),
    Column("ownership_percent", ExactDecimal(5, 2), nullable=True),
    Column("sector", String(20), nullable=False),
    Column("created_at", UtcDateTime(), nullable=False),
    Column("updated_at", UtcDateTime(), nullable=False),
    CheckConstraint(
        "parent_id IS NULL OR parent_id <> id", name="not_own_parent", info={"field": "parent_id"}
    ),
    CheckConstraint(
        "parent_id IS NULL OR ownership_percent IS NOT NULL",
        name="associate_has_ownership",
        info={"field": "ownership_percent"},
    ),
)
Index("ix_organizations_parent_id", organizations.c.parent_id)
Index("ix_organizations_name_lower", func.lower(organizations.c.name))

people = Table(
    "people",
    metadata,
    _key(),
    Column("name", String(200), nullable=False),
    Column("email", String(320), nullable=False, unique=True),
    _reference("organization_id", "organizations.id", nullable=True),
)
Index("ix_people_organization_id", people.c.organization_id)

#: One row per role a person holds; ``role_kind`` is ``partner`` (OPN-18) or ``vendor``.
person_roles = Table(
    "person_roles",
    metadata,
    _reference("person_id", "people.id", nullable=False),
    Column("role_kind", String(10), nullable=False),
    Column("role", String(40), nullable=False),
    PrimaryKeyConstraint("person_id", "role_kind", "role"),
    CheckConstraint(
        "role_kind IN ('partner', 'vendor')", name="role_kind", info={"field": "role_kind"}
    ),
)
Index("ix_person_roles_role", person_roles.c.role_kind, person_roles.c.role)

users = Table(
    "users",
    metadata,
    _key(),
    _reference("person_id", "people.id", nullable=False, unique=True),
    Column("email", String(320), nullable=False, unique=True),
    Column("password_hash", String(255), nullable=False),
    Column("active", Boolean(create_constraint=False), nullable=False),
    Column("created_at", UtcDateTime(), nullable=False),
)

api_tokens = Table(
    "api_tokens",
    metadata,
    _key(),
    _reference("user_id", "users.id", nullable=False),
    Column("name", String(200), nullable=False),
    Column("token_hash", String(128), nullable=False, unique=True),
    Column("created_at", UtcDateTime(), nullable=False),
    Column("revoked_at", UtcDateTime(), nullable=True),
)
Index("ix_api_tokens_user_id", api_tokens.c.user_id)

#: The audit journal (X-4): append-only; triggers made by the migration refuse
#: UPDATE and DELETE (and TRUNCATE on PostgreSQL).
audit_log = Table(
    "audit_log",
    metadata,
    Column("id", BigId, primary_key=True, autoincrement=True),
    Column("at", UtcDateTime(), nullable=False),
    Column("actor", String(320), nullable=False),
    Column("action", String(100), nullable=False),
    Column("entity_type", String(50), nullable=False),
    Column("entity_id", String(ID_LENGTH), nullable=False),
    Column("organization_id", String(ID_LENGTH), nullable=True),
    Column("old", Json, nullable=True),
    Column("new", Json, nullable=True),
    Column("context", Json, nullable=False),
)
Index("ix_audit_log_entity", audit_log.c.entity_type, audit_log.c.entity_id)
Index("ix_audit_log_organization_id", audit_log.c.organization_id)
