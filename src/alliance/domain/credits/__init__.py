"""Partner credits (CRD-1…CRD-6) — pure rules over the pure ledger, stdlib only.

* :mod:`.wallet` — the wallet's ids, lot tags and expiry rule.
* :mod:`.allocation` — CRD-1: the level's allocation to the principal.
* :mod:`.policies` — CRD-2: associate redemption policies, a strategy per policy.
* :mod:`.balances` — available and earned balances over the principal's lots.
* :mod:`.orders` — CRD-3 / CRD-6: credit option requests, holds, delivery, cancellation.
* :mod:`.visibility` — CRD-5: full statement or usable share, and for whom.
"""

from alliance.domain.credits.allocation import CreditAllocation, allocation_key, plan_allocation
from alliance.domain.credits.balances import (
    available_balance,
    earned_balance,
    tags_excluding_all_but,
)
from alliance.domain.credits.errors import (
    AssociateLimitExceeded,
    AssociateMayNotOrder,
    CreditRefusal,
    CreditStatementNotVisible,
    IllegalRequestTransition,
    NotCreditOrderer,
    NotPrincipalApprover,
    PublicSectorCreditsRefused,
)
from alliance.domain.credits.orders import (
    CREDIT_ROLES,
    MOVES,
    AssociateSettings,
    CatalogOption,
    CreditRequest,
    RequestRecord,
    RequestStatus,
    RequestStep,
    approve_request,
    cancel,
    deliver,
    hold_key,
    reject_request,
    request_credit_option,
)
from alliance.domain.credits.policies import (
    STRATEGIES,
    AssociatePolicy,
    OrderDecision,
    Strategy,
    associate_limit,
    decide_order,
)
from alliance.domain.credits.visibility import (
    CreditView,
    UsableShare,
    credit_view,
    require_statement,
    usable_share,
)
from alliance.domain.credits.wallet import (
    ALLOCATION_TAG,
    CREDITS,
    DEFAULT_WALLET,
    PARTNER_CREDITS,
    PUBLIC_SECTOR_TAG,
    REWARD_TAG,
    CreditWallet,
    ExpiryRule,
    earned_by_tag,
)

__all__ = [
    "ALLOCATION_TAG",
    "CREDITS",
    "CREDIT_ROLES",
    "DEFAULT_WALLET",
    "MOVES",
    "PARTNER_CREDITS",
    "PUBLIC_SECTOR_TAG",
    "REWARD_TAG",
    "STRATEGIES",
    "AssociateLimitExceeded",
    "AssociateMayNotOrder",
    "AssociatePolicy",
    "AssociateSettings",
    "CatalogOption",
    "CreditAllocation",
    "CreditRefusal",
    "CreditRequest",
    "CreditStatementNotVisible",
    "CreditView",
    "CreditWallet",
    "ExpiryRule",
    "IllegalRequestTransition",
    "NotCreditOrderer",
    "NotPrincipalApprover",
    "OrderDecision",
    "PublicSectorCreditsRefused",
    "RequestRecord",
    "RequestStatus",
    "RequestStep",
    "Strategy",
    "UsableShare",
    "allocation_key",
    "approve_request",
    "associate_limit",
    "available_balance",
    "cancel",
    "credit_view",
    "decide_order",
    "deliver",
    "earned_balance",
    "earned_by_tag",
    "hold_key",
    "plan_allocation",
    "reject_request",
    "request_credit_option",
    "require_statement",
    "tags_excluding_all_but",
    "usable_share",
]
