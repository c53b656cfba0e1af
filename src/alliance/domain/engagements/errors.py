"""Refusals of the engagement rules, one class per reason, each naming its rule (X-7).

Every class carries a stable ``code``, the rule it applies and, by default, the field
it is about; a refusal that concerns several fields lists them all in ``problems``.
"""

from __future__ import annotations

from alliance.domain.errors import BusinessRuleViolation, Problem


class EngagementRefusal(BusinessRuleViolation):
    """Base of the engagement refusals: ``rule_id`` and ``default_field`` per class."""

    rule_id: str = "CCE-3"
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


class IncompleteEngagement(EngagementRefusal):
    """CCE-3: the form misses required fields (all of them are listed in ``problems``)."""

    code = "engagement_incomplete"
    rule_id = "CCE-3"


class UnknownAttachmentCategory(EngagementRefusal):
    """CCE-5: an attachment names a category the program does not declare."""

    code = "unknown_attachment_category"
    rule_id = "CCE-5"
    default_field = "attachments"


class CustomerNotEditable(EngagementRefusal):
    """CCE-5: the customer (legal name and address) is never editable."""

    code = "customer_not_editable"
    rule_id = "CCE-5"
    default_field = "customer"


class EngagementClosed(EngagementRefusal):
    """CCE-5: the deal is closed (won or lost); only notes and attachments can be added."""

    code = "engagement_closed"
    rule_id = "CCE-5"


class FieldNotEditable(EngagementRefusal):
    """CCE-5: the category does not allow this field to change after submission."""

    code = "field_not_editable"
    rule_id = "CCE-5"


class IllegalTransition(EngagementRefusal):
    """CCE-6: the move is not in the category's lifecycle table."""

    code = "illegal_transition"
    rule_id = "CCE-6"
    default_field = "status"


class EngagementToolUnavailable(EngagementRefusal):
    """CCE-1 / CCE-2: the tool needs an active membership at level 1 or above."""

    code = "engagement_tool_unavailable"
    rule_id = "CCE-1"
    default_field = "membership"


class NoPartnerRole(EngagementRefusal):
    """CCE-2: a user must belong to the partner and hold a partner role."""

    code = "no_partner_role"
    rule_id = "CCE-2"
    default_field = "partner_roles"


class NotEngagementUserManager(EngagementRefusal):
    """CCE-1: only the partner's administrators manage the tool's users."""

    code = "not_engagement_user_manager"
    rule_id = "CCE-1"
    default_field = "actor"
    status = 403


class TooManyEngagementUsers(EngagementRefusal):
    """CCE-1: at most N active users per partner (10 by default); deactivate one first."""

    code = "too_many_engagement_users"
    rule_id = "CCE-1"
    default_field = "active"


class NoEngagementAccess(EngagementRefusal):
    """CCE-2: the person has no active access to the engagement tool."""

    code = "no_engagement_access"
    rule_id = "CCE-2"
    default_field = "person_id"
    status = 403
