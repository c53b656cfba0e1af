"""Facts partners produce, as frozen dataclasses — what earned tiers are computed from.

One module per kind of fact (issue 5, "Facts"):

* :mod:`.certifications` — a person's certification, earned and retired on a date
  (MCPP-10 skilling metrics, PEX-6 points).
* :mod:`.customers` — customer associations gained and lost per area, and monthly
  consumption per area/product (MCPP-10 net customer adds and usage growth).
* :mod:`.deployments` — successful deployments per area (MCPP-10).
* :mod:`.deals` — booked deals with the transacting partner and the influencers (PEX-3,
  PEX-5).
* :mod:`.revenue` — billed revenue lines by kind, and order intake (OIP-2, OIP-8).

Facts are values: they never change; a correction is a new fact set. Money is exact
(X-1) and dates are calendar days (X-2).
"""

from alliance.domain.facts.certifications import Certification
from alliance.domain.facts.customers import CustomerAssociation, UsageRecord
from alliance.domain.facts.deals import Deal
from alliance.domain.facts.deployments import Deployment
from alliance.domain.facts.revenue import Order, RevenueKind, RevenueLine

__all__ = [
    "Certification",
    "CustomerAssociation",
    "Deal",
    "Deployment",
    "Order",
    "RevenueKind",
    "RevenueLine",
    "UsageRecord",
]
