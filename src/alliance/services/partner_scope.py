"""Whose earned-tier data an actor may read or act on (X-6), for quotes (OIP-7), PEX
points and budgets (PEX-4) and OIP duties and commissions (OIP-1, OIP-5).

A partner's people act for their **own organisation** only: a quote, a points balance or
a duties checklist is the organisation's own, and asking about any other partner is
refused alike whether it exists or not. Vendor staff who see every organisation (and the
system: CLI, batch) act for anyone. Moving value (posting points, deciding budgets) is
the vendor's: :func:`require_operator`.
"""

from __future__ import annotations

from alliance.domain.access import (
    Actor,
    ActorKind,
    Permission,
    require_authenticated,
    require_everywhere,
    sees_everything,
)
from alliance.domain.errors import Forbidden


def require_partner(actor: Actor, partner_id: str) -> None:
    """Refuse unless ``actor`` is vendor staff who see everyone, the system, or one of
    ``partner_id``'s own people (X-6)."""
    require_authenticated(actor)
    if sees_everything(actor):
        return
    if actor.kind is ActorKind.MEMBER and actor.organization_id == partner_id:
        return
    raise Forbidden(
        f"{actor.name} may act only for its own organisation", field="partner_id", rule="X-6"
    )


def require_operator(actor: Actor) -> None:
    """Posting points, deciding budgets: program admins, finance staff, the system."""
    require_everywhere(actor, Permission.MANAGE_FINANCE)
