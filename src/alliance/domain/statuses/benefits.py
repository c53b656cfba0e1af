"""Benefits per status (OIP-6): those of the partner's status for its member type."""

from __future__ import annotations

from alliance.domain.explanations import Reason
from alliance.domain.statuses.terms import BenefitTerms, StatusTerms


def benefits_for(status: StatusTerms, member_type: str) -> tuple[BenefitTerms, ...]:
    """The benefits ``status`` gives a partner of ``member_type`` (OIP-6)."""
    return tuple(b for b in status.benefits if not b.member_types or member_type in b.member_types)


def benefit_reasons(status: StatusTerms, member_type: str) -> tuple[Reason, ...]:
    return tuple(
        Reason("OIP-6", f"{b.name}" + (f" ({b.value})" if b.value is not None else ""))
        for b in benefits_for(status, member_type)
    )
