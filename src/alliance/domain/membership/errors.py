"""Refusals of the membership rules, one class per reason, each naming its rule (X-7).

Every class carries a stable ``code``, the rule it applies (``rule_id``) and, by default,
the field it is about. A caller may name a more precise field or, where one class serves
two rules (:class:`PlanNotAllowed`: OPN-5 or OPN-6), the rule that applies.
"""

from __future__ import annotations

from alliance.domain.errors import BusinessRuleViolation


class MembershipRefusal(BusinessRuleViolation):
    """Base of the membership refusals: ``rule_id`` and ``default_field`` per class."""

    rule_id: str = "OPN-9"
    default_field: str | None = None

    def __init__(self, message: str, *, field: str | None = None, rule: str | None = None) -> None:
        super().__init__(
            message,
            field=field if field is not None else self.default_field,
            rule=rule if rule is not None else self.rule_id,
        )


# -- payment (OPN-5, OPN-6) -------------------------------------------------------------


class PlanNotAllowed(MembershipRefusal):
    """OPN-5 / OPN-6: the level does not offer this payment plan (quarterly: levels 2–3)."""

    code = "payment_plan_not_allowed"
    rule_id = "OPN-5"
    default_field = "plan"


class MethodNotAllowed(MembershipRefusal):
    """OPN-5: the plan does not accept this payment method at this level, in this country."""

    code = "payment_method_not_allowed"
    rule_id = "OPN-5"
    default_field = "method"


class PaymentOutstanding(MembershipRefusal):
    """OPN-6: full payment comes before activation; the fee is not paid in full yet."""

    code = "payment_outstanding"
    rule_id = "OPN-6"
    default_field = "paid"


# -- associates (OPN-2, OPN-8) ----------------------------------------------------------


class PrincipalNotActive(MembershipRefusal):
    """OPN-2: an associate applies only while its principal's membership is active."""

    code = "principal_not_active"
    rule_id = "OPN-2"
    default_field = "principal_subscription"


class AssociateNeedsApproval(MembershipRefusal):
    """OPN-2: the principal's partner administrator approves an associate before activation."""

    code = "associate_needs_approval"
    rule_id = "OPN-2"
    default_field = "status"


class NotPrincipalAdministrator(MembershipRefusal):
    """OPN-2 / OPN-18: only an administrator of the associate's principal approves it."""

    code = "not_principal_administrator"
    rule_id = "OPN-2"
    default_field = "approver"
    status = 403


class AssociateFollowsPrincipal(MembershipRefusal):
    """OPN-8: an associate's level and end date are its principal's; it does not renew or
    change level on its own."""

    code = "associate_follows_principal"
    rule_id = "OPN-8"
    default_field = "member_type"


# -- tracks (OPN-12, OPN-13) ------------------------------------------------------------


class TrackNotOpenAtLevel(MembershipRefusal):
    """OPN-12: optional tracks are open from level 1."""

    code = "track_not_open_at_level"
    rule_id = "OPN-12"
    default_field = "track"


class AssociateCannotJoinTrack(MembershipRefusal):
    """OPN-13: an associate has its principal's tracks and cannot join one on its own."""

    code = "associate_cannot_join_track"
    rule_id = "OPN-13"
    default_field = "track"


# -- standing, expertise (OPN-11, OPN-15, OPN-17) ---------------------------------------


class MembershipNotActive(MembershipRefusal):
    """OPN-11 / OPN-15: this needs an active membership (benefits, tracks, expertise)."""

    code = "membership_not_active"
    rule_id = "OPN-15"
    default_field = "membership"


class LevelTooLowForExpertise(MembershipRefusal):
    """OPN-17: level 0 members can never publish an expertise, so they can never resell."""

    code = "level_too_low_for_expertise"
    rule_id = "OPN-17"
    default_field = "level"


class MissingQualifications(MembershipRefusal):
    """OPN-17: an expertise needs the required qualifications."""

    code = "missing_qualifications"
    rule_id = "OPN-17"
    default_field = "qualifications"


class MissingPrerequisiteContracts(MembershipRefusal):
    """OPN-17: an expertise needs the prerequisite contracts."""

    code = "missing_prerequisite_contracts"
    rule_id = "OPN-17"
    default_field = "contracts"


class ResaleNotAllowed(MembershipRefusal):
    """OPN-17: reselling a product needs a valid published expertise for it."""

    code = "resale_not_allowed"
    rule_id = "OPN-17"
    default_field = "product"


# -- renewal and expiry (OPN-14, OPN-15) ------------------------------------------------


class RenewalWindowNotOpen(MembershipRefusal):
    """OPN-14: the renewal window opens 90 days before the end date."""

    code = "renewal_window_not_open"
    rule_id = "OPN-14"
    default_field = "renewal"


class MustEnrolAnew(MembershipRefusal):
    """OPN-15: expired more than a year ago, or renewal declined: enrol anew."""

    code = "must_enrol_anew"
    rule_id = "OPN-15"
    default_field = "renewal"


class RenewalAlreadyRequested(MembershipRefusal):
    """OPN-14: one renewal per term; this membership already has one in progress."""

    code = "renewal_already_requested"
    rule_id = "OPN-14"
    default_field = "renewal"
    status = 409


# -- lifecycles -------------------------------------------------------------------------


class IllegalTransition(MembershipRefusal):
    """The move is not in the lifecycle table (membership, application or renewal)."""

    code = "illegal_transition"
    rule_id = "OPN-9"
    default_field = "status"
    status = 409


# -- the enrolment application (OPN-9, OPN-10) ------------------------------------------


class StepOutOfOrder(MembershipRefusal):
    """OPN-9: the application's steps are completed in order."""

    code = "step_out_of_order"
    rule_id = "OPN-9"
    default_field = "step"
    status = 409


class StepNotApplicable(MembershipRefusal):
    """OPN-9: this step does not apply to the application (e.g. rewards at level 0)."""

    code = "step_not_applicable"
    rule_id = "OPN-9"
    default_field = "step"


class ApplicationIncomplete(MembershipRefusal):
    """OPN-9: every applicable step is completed before submission."""

    code = "application_incomplete"
    rule_id = "OPN-9"
    default_field = "step"


class ApplicationNotEditable(MembershipRefusal):
    """OPN-9: only a draft application can be changed."""

    code = "application_not_editable"
    rule_id = "OPN-9"
    default_field = "status"
    status = 409


class NotTheApplicant(MembershipRefusal):
    """OPN-9: a saved application is resumed by the person who started it."""

    code = "not_the_applicant"
    rule_id = "OPN-9"
    default_field = "applicant"
    status = 403


# -- roles (OPN-10, OPN-18) -------------------------------------------------------------


class RoleNotPermitted(MembershipRefusal):
    """OPN-18: none of the actor's partner roles allows this."""

    code = "role_not_permitted"
    rule_id = "OPN-18"
    default_field = "partner_roles"
    status = 403


class TooManyRoleHolders(MembershipRefusal):
    """OPN-18: a role has a maximum number of holders (two key executives)."""

    code = "too_many_role_holders"
    rule_id = "OPN-18"
    default_field = "role"


class TooFewRoleHolders(MembershipRefusal):
    """OPN-10 / OPN-18: a role keeps its minimum number of holders (one administrator)."""

    code = "too_few_role_holders"
    rule_id = "OPN-18"
    default_field = "role"
