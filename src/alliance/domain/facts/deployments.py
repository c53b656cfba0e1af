"""A successful deployment a partner completed for a customer (MCPP-10)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True, slots=True)
class Deployment:
    """``partner_id`` deployed ``service_id`` for ``customer_id`` in ``area`` on
    ``deployed_on``. Some areas count deployments, others distinct services (MCPP-10)."""

    partner_id: str
    deployment_id: str
    area: str
    deployed_on: date
    service_id: str = ""
    customer_id: str = ""
