"""Names of statuses as people read them, marked for translation (``N_``) and translated
when rendered (``_(labels.engagement[status])`` in a template)."""

from __future__ import annotations

from alliance.domain.engagements import Status
from alliance.domain.membership import MembershipStatus


def N_(message: str) -> str:
    """Marks a message for extraction; translated later, when the locale is known."""
    return message


membership = {
    MembershipStatus.PENDING_PAYMENT: N_("Waiting for payment"),
    MembershipStatus.ACTIVE: N_("Active"),
    MembershipStatus.EXPIRED: N_("Expired"),
    MembershipStatus.LAPSED: N_("Lapsed"),
    MembershipStatus.CANCELLED: N_("Cancelled"),
}

engagement = {
    Status.SUBMITTED: N_("Submitted"),
    Status.ACKNOWLEDGED: N_("Acknowledged"),
    Status.ACCOUNT_PLANNING: N_("Account planning"),
    Status.IN_REVIEW: N_("In review"),
    Status.ACCEPTED: N_("Accepted"),
    Status.NOT_ELIGIBLE: N_("Not eligible"),
    Status.ELIGIBLE: N_("Won (eligible)"),
    Status.INELIGIBLE: N_("Lost (ineligible)"),
    Status.INCENTIVE_RELEASED: N_("Incentive released"),
}
