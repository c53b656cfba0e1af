"""A paid-level program's definition as the domain's :class:`MembershipTerms` (OPN).

The YAML definition (``programs/builtin/opn.yaml``) is data validated at load time; this
module reads the parts the membership rules take their numbers from — levels, fees and
payment plans per country (OPN-4 … OPN-6), the invoice delay and recipient (OPN-7), the
application's steps (OPN-9), tracks (OPN-12), renewal (OPN-14, OPN-15), expertise and
engagement levels (OPN-17, CCE-1), the associate rules (OPN-2, OPN-8, OPN-13), the
reward and credit choices asked at enrolment (RWD-3, CRD-2), and the roles (OPN-18) —
and refuses, naming the field, what those rules cannot honour rather than ignoring it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from typing import TypeVar

from alliance.domain.errors import InvalidInput, Problem
from alliance.domain.membership import (
    AgreementMethod,
    AssociateOrdering,
    LevelTerms,
    MembershipTerms,
    PartnerPermission,
    PaymentMethod,
    PaymentOption,
    PaymentPlan,
    PaymentTiming,
    RewardPayout,
    RoleTerms,
    Step,
    StepRule,
    TrackTerms,
)
from alliance.domain.organizations import EntityRole
from alliance.domain.people import PartnerRole
from alliance.programs.registry import ProgramRegistry
from alliance.programs.schema import Duration, ProgramDefinition
from alliance.programs.schema.enrolment import EnrolmentStep
from alliance.programs.schema.incentives import PayoutMethod
from alliance.programs.schema.membership import MembershipSection, MemberType
from alliance.programs.schema.payments import PaymentPlan as PlanSpec
from alliance.programs.schema.renewal import LapseAction, RenewalActivation
from alliance.programs.schema.wallets import WalletOwner

DEFAULT_PROGRAM = "opn"
E = TypeVar("E", bound=StrEnum)
_SUBMIT = EnrolmentStep.SUBMIT


@dataclass(frozen=True)
class MembershipProgram:
    """A paid-level program as the use cases need it: its terms and its currency."""

    code: str
    name: str
    currency: str
    terms: MembershipTerms


def membership_program(programs: ProgramRegistry, code: str = DEFAULT_PROGRAM) -> MembershipProgram:
    """The paid-level program ``code`` of the registry (NotFound lists the known codes)."""
    definition = programs.get(code)
    return MembershipProgram(
        code, definition.name, definition.currency, terms_from_program(definition)
    )


def terms_from_program(definition: ProgramDefinition) -> MembershipTerms:
    """The :class:`MembershipTerms` of ``definition``; InvalidInput lists every misfit."""
    section = definition.membership
    if section is None or not section.levels:
        raise InvalidInput(
            f"program {definition.code} has no paid levels", field="membership.levels", rule="OPN-4"
        )
    reader = _Reader(definition, section)
    terms_kwargs = {
        **reader.levels(),
        **reader.renewal(),
        **reader.invoice(),
        **reader.enrolment(),
        **reader.associates(),
        **reader.questionnaire(),
        **reader.entitlements(),
    }
    tracks = reader.tracks()
    roles = reader.roles()
    if reader.problems:
        raise InvalidInput(
            f"program {definition.code} does not fit the membership rules",
            rule="X-7",
            problems=reader.problems,
        )
    try:
        return MembershipTerms(tracks=tracks, roles=roles, **terms_kwargs)  # type: ignore[arg-type]
    except InvalidInput as bad:
        raise InvalidInput(
            f"program {definition.code}: {bad.message}",
            field=f"membership.{bad.field}" if bad.field else "membership",
            rule=bad.rule,
        ) from None


class _Reader:
    """Reads the membership section, collecting a problem per misfit."""

    def __init__(self, definition: ProgramDefinition, section: MembershipSection) -> None:
        self.definition = definition
        self.section = section
        self.problems: list[Problem] = []

    def _problem(self, where: str, message: str, rule: str) -> None:
        self.problems.append(Problem(message, field=f"membership.{where}", rule=rule))

    def _enum(self, kind: type[E], value: str, where: str, rule: str) -> E | None:
        try:
            return kind(value)
        except ValueError:
            self._problem(where, f"the membership rules do not know {value!r}", rule)
            return None

    def _rank(self, level_id: str) -> int:
        return self.section.level(level_id).rank

    # -- levels and payment (OPN-4, OPN-5, OPN-6) ---------------------------------------

    def levels(self) -> dict[str, object]:
        levels: list[LevelTerms] = []
        for i, level in enumerate(self.section.levels):
            if level.fee is None or level.payment is None:
                self._problem(f"levels[{i}]", "a paid level has a fee and payment plans", "OPN-4")
                continue
            by_country = {
                country: self._options(plans, f"levels[{i}].payment.by_country.{country}")
                for country, plans in level.payment.by_country.items()
            }
            default = self._options(level.payment.default, f"levels[{i}].payment.default")
            levels.append(
                LevelTerms(
                    level.id, level.name, level.rank, level.fee.to_money(), default, by_country
                )
            )
        return {
            "levels": tuple(levels),
            "program": self.definition.code,
            "currency": self.definition.currency,
        }

    def _options(self, plans: tuple[PlanSpec, ...], where: str) -> tuple[PaymentOption, ...]:
        if not plans:
            self._problem(where, "a level offers at least one payment plan", "OPN-5")
        return tuple(
            PaymentOption(
                PaymentPlan(plan.plan.value),
                tuple(PaymentMethod(m.value) for m in plan.methods),
                PaymentTiming(plan.timing.value),
            )
            for plan in plans
        )

    # -- renewal (OPN-14, OPN-15) and invoice (OPN-7) -----------------------------------

    def renewal(self) -> dict[str, object]:
        policy = self.section.renewal
        if policy is None:
            return {}
        fixed: list[tuple[bool, str, str, str]] = [
            (
                policy.activates_on is RenewalActivation.PREVIOUS_END_DATE,
                "renewal.activates_on",
                "a renewal activates on the previous end date",
                "OPN-14",
            ),
            (
                policy.after_late_period is LapseAction.RE_ENROL,
                "renewal.after_late_period",
                "after the late-renewal period the partner enrols anew",
                "OPN-15",
            ),
            (
                policy.declined_renewal is LapseAction.RE_ENROL,
                "renewal.declined_renewal",
                "after a declined renewal the partner enrols anew",
                "OPN-15",
            ),
            (
                not policy.benefits_while_expired,
                "renewal.benefits_while_expired",
                "an expired membership has no benefits",
                "OPN-15",
            ),
        ]
        for ok, where, message, rule in fixed:
            if not ok:
                self._problem(where, f"the membership rules apply: {message}", rule)
        late = policy.late_renewal_within
        return {
            "term_years": self._years(policy.term, "renewal.term", "OPN-14"),
            "renewal_window_days": policy.window_days,
            "late_renewal_years": (
                None if late is None else self._years(late, "renewal.late_renewal_within", "OPN-15")
            ),
        }

    def _years(self, duration: Duration, where: str, rule: str) -> int:
        if duration.days or duration.months % 12:
            self._problem(where, f"expected whole years, got {duration}", rule)
        return duration.years + duration.months // 12

    def invoice(self) -> dict[str, object]:
        policy = self.section.invoice
        if policy is None:
            return {}
        if not policy.issued_within.business_days:
            self._problem("invoice.issued_within", "the delay is counted in business days", "OPN-7")
        recipient = self._enum(
            PartnerRole, policy.recipient_role, "invoice.recipient_role", "OPN-7"
        )
        found: dict[str, object] = {
            "invoice_min_business_days": policy.issued_within.min,
            "invoice_max_business_days": policy.issued_within.max,
        }
        if recipient is not None:
            found["invoice_recipient"] = recipient
        return found

    # -- enrolment (OPN-9) --------------------------------------------------------------

    def enrolment(self) -> dict[str, object]:
        policy = self.section.enrolment
        if policy is None:
            return {}
        rules: list[StepRule] = []
        for i, spec in enumerate(policy.steps):
            if spec.step is _SUBMIT:
                if i != len(policy.steps) - 1:
                    self._problem(f"enrolment.steps[{i}]", "submit is the last step", "OPN-9")
                continue
            types = frozenset(self._member_type(t) for t in spec.member_types)
            min_rank = self._rank(spec.min_level) if spec.min_level else None
            rules.append(StepRule(Step(spec.step.value), min_rank, types))
        methods = frozenset(AgreementMethod(m.value) for m in policy.agreement_acceptance)
        if policy.completer_role not in {None, PartnerRole.PARTNER_ADMINISTRATOR.value}:
            self._problem(
                "enrolment.completer_role", "the applicant becomes partner administrator", "OPN-10"
            )
        return {"steps": tuple(rules), "agreement_methods": methods}

    def _member_type(self, type_id: str) -> EntityRole:
        member_type: MemberType = next(t for t in self.section.member_types if t.id == type_id)
        return EntityRole.ASSOCIATE if member_type.parent is not None else EntityRole.PRINCIPAL

    # -- associates (OPN-2, OPN-8, OPN-13) ----------------------------------------------

    def associates(self) -> dict[str, object]:
        parents = [t.parent for t in self.section.member_types if t.parent is not None]
        if not parents:
            return {}
        parent = parents[0]
        fixed = {
            "inherits_level": (parent.inherits_level, "OPN-8"),
            "inherits_end_date": (parent.inherits_end_date, "OPN-8"),
            "inherits_tracks": (parent.inherits_tracks, "OPN-13"),
            "may_join_tracks": (not parent.may_join_tracks, "OPN-13"),
            "bound_by_parent_agreement": (parent.bound_by_parent_agreement, "OPN-2"),
        }
        for name, (ok, rule) in fixed.items():
            if not ok:
                self._problem(f"member_types.parent.{name}", "the associate rules are fixed", rule)
        return {
            "parent_must_be_active": parent.parent_must_be_active,
            "approval_by_parent": parent.approval_by_parent,
        }

    # -- reward and credit questions (RWD-3, CRD-2) -------------------------------------

    def questionnaire(self) -> dict[str, object]:
        found: dict[str, object] = {}
        payouts = [
            i.payout
            for i in self.definition.incentives
            if i.payout and i.payout.chosen_at_enrolment
        ]
        if payouts:
            methods = [m for m in payouts[0].methods if m is not PayoutMethod.POINTS]
            found["reward_payouts"] = tuple(RewardPayout(m.value) for m in methods)
        wallets = [
            w
            for w in self.definition.wallets
            if w.owner is WalletOwner.PRINCIPAL and w.redemption.associate_policies
        ]
        if wallets:
            redemption = wallets[0].redemption
            found["associate_policies"] = tuple(
                AssociateOrdering(p.value) for p in redemption.associate_policies
            )
            if redemption.default_associate_policy is not None:
                found["default_associate_policy"] = AssociateOrdering(
                    redemption.default_associate_policy.value
                )
            if redemption.default_preapproved_percentage is not None:
                found["default_preapproved_percentage"] = redemption.default_preapproved_percentage
        return found

    # -- tracks, entitlements, roles (OPN-12, OPN-17, CCE-1, OPN-18) --------------------

    def tracks(self) -> tuple[TrackTerms, ...]:
        tracks: list[TrackTerms] = []
        for i, track in enumerate(self.section.tracks):
            if track.fee is not None:
                self._problem(f"tracks[{i}].fee", "optional tracks cost nothing extra", "OPN-12")
            if not track.coterminous or not track.join_any_time:
                self._problem(
                    f"tracks[{i}]",
                    "tracks are joined any time and end with the membership",
                    "OPN-12",
                )
            tracks.append(TrackTerms(track.id, track.name, self._rank(track.min_level)))
        return tuple(tracks)

    def entitlements(self) -> dict[str, object]:
        found: dict[str, object] = {}
        ranks: dict[str, Callable[[int], None]] = {
            "publish_expertise": lambda r: found.__setitem__("expertise_min_rank", r),
            "engagements": lambda r: found.__setitem__("engagements_min_rank", r),
        }
        for entitlement in self.section.entitlements:
            if entitlement.id in ranks and entitlement.min_level is not None:
                ranks[entitlement.id](self._rank(entitlement.min_level))
        engagements = self.definition.engagements
        if "engagements_min_rank" not in found and engagements is not None:
            found["engagements_min_rank"] = self._rank(engagements.min_level)
        return found

    def roles(self) -> tuple[RoleTerms, ...]:
        roles: list[RoleTerms] = []
        for i, role in enumerate(self.section.roles):
            partner_role = self._enum(PartnerRole, role.id, f"roles[{i}].id", "OPN-18")
            if partner_role is None:
                continue
            validator = (
                self._enum(PartnerRole, role.validated_by, f"roles[{i}].validated_by", "OPN-18")
                if role.validated_by
                else None
            )
            roles.append(
                RoleTerms(
                    partner_role,
                    frozenset(PartnerPermission(p.value) for p in role.permissions),
                    role.named_at_enrolment,
                    role.min_holders,
                    role.max_holders,
                    validator,
                )
            )
        return tuple(roles)
