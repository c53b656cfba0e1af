"""One partner's facts as the capability scores read them (MCPP-2, MCPP-10)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

from alliance.domain.errors import InvalidInput
from alliance.domain.facts import Certification, CustomerAssociation, Deployment, UsageRecord


@dataclass(frozen=True)
class PartnerFacts:
    """Everything a partner did that scores count; ``attributes`` classify it into a
    track (``customer_segment: smb``, MCPP-9)."""

    partner_id: str
    certifications: tuple[Certification, ...] = ()
    customers: tuple[CustomerAssociation, ...] = ()
    deployments: tuple[Deployment, ...] = ()
    usage: tuple[UsageRecord, ...] = ()
    attributes: Mapping[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        for name in ("certifications", "customers", "deployments", "usage"):
            items = tuple(getattr(self, name))
            object.__setattr__(self, name, items)
            for item in items:
                if item.partner_id != self.partner_id:
                    raise InvalidInput(
                        f"a fact of {item.partner_id} is among {self.partner_id}'s {name}",
                        field=name,
                        rule="X-6",
                    )
        object.__setattr__(self, "attributes", MappingProxyType(dict(self.attributes)))
