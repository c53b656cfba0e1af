"""Earned statuses of a telecom operator's program — OIP (SPEC §4) — pure rules, stdlib
only.

* :mod:`.terms` — :class:`EarnedStatusTerms`, built from a definition by
  ``alliance.services.status_terms``.
* :mod:`.cadence` — re-evaluation every 6 months on fixed dates (OIP-3).
* :mod:`.assignment` — status from recurring revenue net of service-access fees and
  minutes, for Ambassadors and Operators (OIP-1, OIP-2, OIP-4).
* :mod:`.duties` — duties per status with their compliance (OIP-5).
* :mod:`.benefits` — benefits per status (OIP-6).
* :mod:`.commissions` — Ambassador commissions and the semiannual back-margin (OIP-1,
  OIP-7, OIP-8).
* :mod:`.evaluation` — a partner's status, duties with compliance and benefits together.

Promotions and quotes (OIP-7, OIP-8) are :mod:`alliance.domain.promotions`.
"""

from alliance.domain.statuses.assignment import (
    MonthRevenue,
    RevenueMeasure,
    StatusOutcome,
    assign_status,
    evaluation_months,
    measure_revenue,
)
from alliance.domain.statuses.benefits import benefit_reasons, benefits_for
from alliance.domain.statuses.cadence import last_evaluation, next_evaluation, valid_until
from alliance.domain.statuses.commissions import Payout, ambassador_commission, back_margin
from alliance.domain.statuses.duties import Compliance, DutyItem, compliance, due_items
from alliance.domain.statuses.evaluation import StatusReport, status_report
from alliance.domain.statuses.terms import (
    BenefitTerms,
    CadenceAnchor,
    DutyTerms,
    EarnedStatusTerms,
    MeasureTerms,
    RateTerms,
    StatusTerms,
)

__all__ = [
    "BenefitTerms",
    "CadenceAnchor",
    "Compliance",
    "DutyItem",
    "DutyTerms",
    "EarnedStatusTerms",
    "MeasureTerms",
    "MonthRevenue",
    "Payout",
    "RateTerms",
    "RevenueMeasure",
    "StatusOutcome",
    "StatusReport",
    "StatusTerms",
    "ambassador_commission",
    "assign_status",
    "back_margin",
    "benefit_reasons",
    "benefits_for",
    "compliance",
    "due_items",
    "evaluation_months",
    "last_evaluation",
    "measure_revenue",
    "next_evaluation",
    "status_report",
    "valid_until",
]
