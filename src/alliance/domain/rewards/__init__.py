"""Customer rewards on cloud consumption (OSR) — pure rules, stdlib only.

* :mod:`.terms` — :class:`RewardTerms`, the program's parameters, SPEC §5 by default.
* :mod:`.subscriptions`, :mod:`.customers`, :mod:`.usage` — the facts the rules read.
* :mod:`.eligibility` — which usage lines earn (OSR-2…OSR-8, OSR-13, OSR-15), with reasons.
* :mod:`.accrual` — the reference monthly accrual (OSR-9, OSR-11, OSR-12, OSR-14, OSR-16).
* :mod:`.invoices`, :mod:`.redemption` — paying support invoices (OSR-10, OSR-18…OSR-23).
"""

from alliance.domain.rewards.accrual import (
    Accrual,
    AccrualRun,
    LineOutcome,
    accrual_key,
    accrue_month,
)
from alliance.domain.rewards.customers import Customer, RateDecision, Rates, hierarchy_of
from alliance.domain.rewards.eligibility import EXCLUSIONS, Eligibility, line_eligibility
from alliance.domain.rewards.errors import (
    InvoiceNotEligible,
    PayerNotAuthorised,
    RedemptionExceedsPreTax,
)
from alliance.domain.rewards.invoices import (
    InvoiceLine,
    SupportInvoice,
    is_redeemable,
    redeemable_amount,
)
from alliance.domain.rewards.reasons import Reason
from alliance.domain.rewards.redemption import (
    InvoicePayment,
    LeftOutLot,
    LotPayment,
    Payer,
    PayerKind,
    plan_invoice_payment,
)
from alliance.domain.rewards.subscriptions import OrderType, Sector, Subscription, SubscriptionId
from alliance.domain.rewards.terms import OveragePolicy, RewardTerms
from alliance.domain.rewards.usage import LineKind, UsageLine

__all__ = [
    "EXCLUSIONS",
    "Accrual",
    "AccrualRun",
    "Customer",
    "Eligibility",
    "InvoiceLine",
    "InvoiceNotEligible",
    "InvoicePayment",
    "LeftOutLot",
    "LineKind",
    "LineOutcome",
    "LotPayment",
    "OrderType",
    "OveragePolicy",
    "Payer",
    "PayerKind",
    "PayerNotAuthorised",
    "RateDecision",
    "Rates",
    "Reason",
    "RedemptionExceedsPreTax",
    "RewardTerms",
    "Sector",
    "Subscription",
    "SubscriptionId",
    "SupportInvoice",
    "UsageLine",
    "accrual_key",
    "accrue_month",
    "hierarchy_of",
    "is_redeemable",
    "line_eligibility",
    "plan_invoice_payment",
    "redeemable_amount",
]
