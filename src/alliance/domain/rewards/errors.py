"""Refusals of the reward rules, one class per reason, each naming its rule (X-7)."""

from __future__ import annotations

from alliance.domain.errors import BusinessRuleViolation


class InvoiceNotEligible(BusinessRuleViolation):
    """OSR-20: rewards pay only support invoices of the eligible technology program —
    never cash, never an excluded support program (Java, some MySQL offers, Linux)."""

    code = "invoice_not_eligible"

    def __init__(self, message: str, *, field: str = "invoice", rule: str = "OSR-20") -> None:
        super().__init__(message, field=field, rule=rule)


class RedemptionExceedsPreTax(BusinessRuleViolation):
    """OSR-19: rewards pay at most the pre-tax amount of the eligible lines, never tax."""

    code = "redemption_exceeds_pre_tax"

    def __init__(self, message: str, *, field: str = "amount", rule: str = "OSR-19") -> None:
        super().__init__(message, field=field, rule=rule)


class PayerNotAuthorised(BusinessRuleViolation):
    """OSR-10 / OSR-18: the payer may not spend these rewards — a support-renewal partner
    the customer did not authorise, or someone outside the customer's corporate hierarchy."""

    code = "payer_not_authorised"
    status = 403

    def __init__(self, message: str, *, field: str = "payer", rule: str = "OSR-10") -> None:
        super().__init__(message, field=field, rule=rule)
