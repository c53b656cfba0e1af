"""The audit journal's records (X-4): who did what to which entity, when, old and new values.

Records come from named constructors so that every change of state is described the
same way; the journal is append-only (the store refuses updates and deletes).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from alliance.domain.access import Actor

JsonValue = Any  # a JSON-serialisable value: str, int, bool, None, list, dict


@dataclass(frozen=True)
class AuditRecord:
    actor: str
    action: str  # past tense, dotted: "organization.created"
    entity_type: str
    entity_id: str
    at: datetime
    old: Mapping[str, JsonValue] | None = None
    new: Mapping[str, JsonValue] | None = None
    organization_id: str | None = None  # whose data this is, for tenancy-scoped audit views
    context: Mapping[str, JsonValue] = field(default_factory=dict)


def created(
    actor: Actor,
    entity_type: str,
    entity_id: str,
    new: Mapping[str, JsonValue],
    at: datetime,
    *,
    organization_id: str | None = None,
) -> AuditRecord:
    return AuditRecord(
        actor=actor.name,
        action=f"{entity_type}.created",
        entity_type=entity_type,
        entity_id=entity_id,
        at=at,
        new=dict(new),
        organization_id=organization_id,
    )


def changed(
    actor: Actor,
    entity_type: str,
    entity_id: str,
    old: Mapping[str, JsonValue],
    new: Mapping[str, JsonValue],
    at: datetime,
    *,
    action: str | None = None,
    organization_id: str | None = None,
) -> AuditRecord:
    """A change of state; only the fields that differ are kept."""
    keys = [k for k in new if old.get(k) != new.get(k)]
    return AuditRecord(
        actor=actor.name,
        action=action or f"{entity_type}.changed",
        entity_type=entity_type,
        entity_id=entity_id,
        at=at,
        old={k: old.get(k) for k in keys},
        new={k: new[k] for k in keys},
        organization_id=organization_id,
    )
