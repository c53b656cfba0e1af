"""Refusals of the engagement-reward rules, one class per reason, each naming its rule."""

from __future__ import annotations

from dataclasses import dataclass

from alliance.domain.errors import BusinessRuleViolation, Problem


@dataclass(frozen=True)
class InviteSupplierRegistration:
    """RWD-4: the vendor e-mails the partner an invitation to register as a supplier."""

    partner_id: str
    rule: str = "RWD-4"


class MonetaryPayoutBlocked(BusinessRuleViolation):
    """RWD-4: a monetary payout needs an *Invoice* attachment on the engagement and an
    active supplier account; ``missing`` names what is not there yet."""

    code = "monetary_payout_blocked"

    def __init__(
        self,
        message: str,
        *,
        missing: tuple[str, ...],
        effects: tuple[InviteSupplierRegistration, ...] = (),
        problems: list[Problem] | None = None,
    ) -> None:
        super().__init__(message, field=missing[0], rule="RWD-4", problems=problems)
        self.missing = missing
        self.effects = effects


class WrongPayoutMethod(BusinessRuleViolation):
    """RWD-3: the payout goes by the method the partner chose at subscription."""

    code = "wrong_payout_method"

    def __init__(self, message: str, *, field: str = "method", rule: str = "RWD-3") -> None:
        super().__init__(message, field=field, rule=rule)


class NoRewardDue(BusinessRuleViolation):
    """RWD-1: nothing to pay — the deal is not eligible, or its pool is below thresholds."""

    code = "no_reward_due"

    def __init__(self, message: str, *, field: str = "amount", rule: str = "RWD-1") -> None:
        super().__init__(message, field=field, rule=rule)
