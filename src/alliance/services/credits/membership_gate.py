"""Credits are a benefit of an active membership (OPN-11, OPN-15): an organisation orders
with credits only from its activation until its membership ends. The question is the
membership feature's (:func:`alliance.services.memberships.access.active_membership`).
"""

from __future__ import annotations

from datetime import date

from alliance.domain.ids import OrganizationId
from alliance.services.memberships.access import active_membership
from alliance.services.ports import UnitOfWork


def require_active_member(uow: UnitOfWork, organization_id: OrganizationId, today: date) -> None:
    """Refuse (OPN-11 never activated, OPN-15 expired) unless ``organization_id``'s
    membership is active on ``today``; inside an open unit of work."""
    active_membership(uow, organization_id, today)
