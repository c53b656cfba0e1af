"""Refusals of the partner-credit rules, one class per reason, each naming its rule.

Too few credits for a request is the ledger's own refusal,
:class:`alliance.domain.ledger.InsufficientBalance`, raised with ``rule="CRD-3"``.
"""

from __future__ import annotations

from alliance.domain.errors import BusinessRuleViolation, Problem


class CreditRefusal(BusinessRuleViolation):
    """Base of the credit refusals: ``rule_id`` and ``default_field`` per class."""

    rule_id: str = "CRD-3"
    default_field: str | None = None

    def __init__(
        self,
        message: str,
        *,
        field: str | None = None,
        problems: list[Problem] | None = None,
    ) -> None:
        super().__init__(
            message,
            field=field if field is not None else self.default_field,
            rule=self.rule_id,
            problems=problems,
        )


class NotCreditOrderer(CreditRefusal):
    """CRD-3: only partner administrators and partner credit managers request options."""

    code = "not_credit_orderer"
    rule_id = "CRD-3"
    default_field = "requester"
    status = 403


class AssociateMayNotOrder(CreditRefusal):
    """CRD-2: under *principal orders only*, associates cannot order with credits."""

    code = "associate_may_not_order"
    rule_id = "CRD-2"
    default_field = "organization_id"


class AssociateLimitExceeded(CreditRefusal):
    """CRD-2: the request is above what the principal's policy lets the associate use."""

    code = "associate_limit_exceeded"
    rule_id = "CRD-2"
    default_field = "amount"


class NotPrincipalApprover(CreditRefusal):
    """CRD-2: only the principal's administrators or credit managers approve requests."""

    code = "not_principal_approver"
    rule_id = "CRD-2"
    default_field = "approver"
    status = 403


class PublicSectorCreditsRefused(CreditRefusal):
    """CRD-6: this catalogue option cannot be bought with public-sector reward credits,
    and the other credits do not cover it."""

    code = "public_sector_credits_refused"
    rule_id = "CRD-6"
    default_field = "amount"


class IllegalRequestTransition(CreditRefusal):
    """CRD-3: the request's lifecycle table has no such move."""

    code = "illegal_request_transition"
    rule_id = "CRD-3"
    default_field = "status"


class CreditStatementNotVisible(CreditRefusal):
    """CRD-5: who may see the principal's statement, or an associate's usable share."""

    code = "credit_statement_not_visible"
    rule_id = "CRD-5"
    default_field = "viewer"
    status = 403
