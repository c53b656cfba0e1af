"""CRD-5: who sees what of the principal's credits.

* The principal's administrators and credit managers get the **full statement** at any
  time.
* An associate's administrators and credit managers see only **how much of the
  principal's balance they may use** — and, per the seed, only when the principal set
  a *pre-approved* policy (« si l'entité principale a défini des restrictions avec
  pré-approbation »).
* Anybody else — other roles, other companies — sees nothing (X-6).

Vendor staff are the access policy's business (:mod:`alliance.domain.access`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from enum import StrEnum

from alliance.domain.credits.balances import available_balance, earned_balance
from alliance.domain.credits.errors import CreditStatementNotVisible
from alliance.domain.credits.orders import CREDIT_ROLES, AssociateSettings
from alliance.domain.credits.policies import STRATEGIES, associate_limit
from alliance.domain.credits.wallet import DEFAULT_WALLET, CreditWallet
from alliance.domain.ledger.lots import LotRemaining
from alliance.domain.ledger.units import show
from alliance.domain.organizations import Hierarchy
from alliance.domain.people import Person


class CreditView(StrEnum):
    FULL_STATEMENT = "full_statement"
    USABLE_SHARE = "usable_share"
    NONE = "none"


def credit_view(
    viewer: Person, principal_id: str, hierarchy: Hierarchy, settings: AssociateSettings
) -> CreditView:
    """What ``viewer`` may see of ``principal_id``'s credits (CRD-5, X-6)."""
    org = viewer.organization_id
    if org is None or org not in hierarchy.parents or not viewer.partner_roles & CREDIT_ROLES:
        return CreditView.NONE
    if hierarchy.principal_of(org) != principal_id:
        return CreditView.NONE
    if org == principal_id:
        return CreditView.FULL_STATEMENT
    if STRATEGIES[settings.policy].preapproved:
        return CreditView.USABLE_SHARE
    return CreditView.NONE


def require_statement(viewer: Person, principal_id: str, hierarchy: Hierarchy) -> None:
    """Refuse ``principal_id``'s full statement to anybody but its administrators and
    credit managers (CRD-5)."""
    # The associate policy only matters for associates, who never get the statement.
    view = credit_view(viewer, principal_id, hierarchy, AssociateSettings())
    if view is not CreditView.FULL_STATEMENT:
        raise CreditStatementNotVisible(
            f"{viewer.name} may not get {principal_id}'s credit statement: only the "
            "principal's administrators and credit managers may"
        )


@dataclass(frozen=True)
class UsableShare:
    """How much of the principal's balance an associate may use now, and why."""

    organization_id: str
    principal_id: str
    amount: Decimal
    unit: str
    explanation: str


def usable_share(
    viewer: Person,
    hierarchy: Hierarchy,
    settings: AssociateSettings,
    lots: Sequence[LotRemaining],
    as_of: date,
    wallet: CreditWallet = DEFAULT_WALLET,
) -> UsableShare:
    """CRD-5: an associate's usable share of the principal's balance on ``as_of``;
    refused unless the policy is pre-approved and the viewer may see credits."""
    org = viewer.organization_id
    known = org is not None and org in hierarchy.parents
    principal = hierarchy.principal_of(org) if org is not None and known else ""
    if org is None or credit_view(viewer, principal, hierarchy, settings) is not (
        CreditView.USABLE_SHARE
    ):
        raise CreditStatementNotVisible(
            f"{viewer.name} may not see a usable share: it is shown to an associate's "
            "administrators and credit managers under a pre-approved policy only"
        )
    limit = associate_limit(
        settings.policy,
        available_balance(lots, as_of),
        earned_balance(lots, org, as_of),
        settings.percentage,
    )
    amount = limit if limit is not None else Decimal(0)
    return UsableShare(
        org,
        principal,
        amount,
        wallet.unit,
        f"{show(amount, wallet.unit)} of {principal}'s credits usable on {as_of.isoformat()}: "
        f"{STRATEGIES[settings.policy].describe} [CRD-5]",
    )
