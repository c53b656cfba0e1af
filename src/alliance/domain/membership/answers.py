"""What each step of the enrolment application asks, how its answers are read, and the
rules each answer must meet (OPN-9). :data:`FORMS` is the table, keyed by step.

Every form reads a JSON object into a typed value (``parse``), checks it against the
program's terms and the application so far (``check``), and writes it back as JSON
(``dump``) — the form in which a draft is saved and resumed.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from types import MappingProxyType
from typing import Generic, Protocol, TypeVar

from alliance.domain.errors import InvalidInput
from alliance.domain.membership.contacts import CompanyDetails
from alliance.domain.membership.errors import (
    AssociateCannotJoinTrack,
    PrincipalNotActive,
    TrackNotOpenAtLevel,
)
from alliance.domain.membership.membership import Membership, SubscriptionId
from alliance.domain.membership.payments import payment_option
from alliance.domain.membership.reading import Reader
from alliance.domain.membership.steps import Step
from alliance.domain.membership.terms import (
    AgreementMethod,
    AssociateOrdering,
    MembershipTerms,
    PaymentChoice,
    PaymentMethod,
    PaymentPlan,
    RewardPayout,
)
from alliance.domain.organizations import EntityRole

V = TypeVar("V")
JsonObject = dict[str, object]


@dataclass(frozen=True)
class StepContext:
    """What a step's rules look at besides its own answers."""

    terms: MembershipTerms
    today: date
    member_type: EntityRole | None
    level: str | None
    country: str
    principal: Membership | None = None


# -- partnership type and level (OPN-1, OPN-2, OPN-4, OPN-8) ----------------------------


@dataclass(frozen=True)
class PartnershipChoice:
    """A principal picks its level; an associate picks its principal and gets the
    principal's level and end date (OPN-8)."""

    member_type: EntityRole
    level: str | None = None
    principal_subscription: SubscriptionId | None = None
    principal_end: date | None = None

    @classmethod
    def parse(cls, data: object) -> PartnershipChoice:
        reader = Reader(data, "OPN-1")
        principal = reader.optional_text("principal_subscription")
        return cls(
            member_type=reader.choice("member_type", EntityRole),
            level=reader.optional_text("level"),
            principal_subscription=SubscriptionId(principal) if principal else None,
            principal_end=reader.optional_day("principal_end"),
        )

    def to_json(self) -> JsonObject:
        return {
            "member_type": self.member_type.value,
            "level": self.level,
            "principal_subscription": self.principal_subscription,
            "principal_end": self.principal_end.isoformat() if self.principal_end else None,
        }

    def checked(self, ctx: StepContext) -> PartnershipChoice:
        if self.member_type is EntityRole.PRINCIPAL:
            if self.principal_subscription is not None:
                raise InvalidInput(
                    "a principal entity has no principal; choose associate to attach to one",
                    field="principal_subscription",
                    rule="OPN-1",
                )
            if self.level is None:
                raise InvalidInput("choose a level", field="level", rule="OPN-4")
            ctx.terms.level(self.level)
            return PartnershipChoice(EntityRole.PRINCIPAL, self.level)
        return self._associate(ctx)

    def _associate(self, ctx: StepContext) -> PartnershipChoice:
        principal = ctx.principal
        if self.principal_subscription is None:
            raise InvalidInput(
                "an associate picks its principal", field="principal_subscription", rule="OPN-1"
            )
        if principal is None or principal.subscription_id != self.principal_subscription:
            raise InvalidInput(
                f"no principal membership {self.principal_subscription}",
                field="principal_subscription",
                rule="OPN-1",
            )
        if principal.is_associate:
            raise InvalidInput(
                f"{principal.subscription_id} is itself an associate; attach to a principal",
                field="principal_subscription",
                rule="OPN-1",
            )
        if ctx.terms.parent_must_be_active and not principal.is_active_on(ctx.today):
            raise PrincipalNotActive(
                f"the principal's membership {principal.subscription_id} is "
                f"{principal.status.value} on {ctx.today}; an associate can apply only while "
                "its principal's membership is active"
            )
        if self.level is not None and self.level != principal.level:
            raise InvalidInput(
                f"an associate's level is its principal's ({principal.level}), not {self.level}",
                field="level",
                rule="OPN-8",
            )
        return PartnershipChoice(
            EntityRole.ASSOCIATE, principal.level, principal.subscription_id, principal.end
        )


# -- confirmations (OPN-9, OPN-10) ------------------------------------------------------


@dataclass(frozen=True)
class Confirmation:
    """A box ticked: the administrator role (OPN-10), the contacts, the final review."""

    confirmed: bool = True


# -- reward questionnaire (RWD-3, CRD-2) ------------------------------------------------


@dataclass(frozen=True)
class RewardPreferences:
    payout: RewardPayout
    associate_ordering: AssociateOrdering | None = None
    preapproved_percentage: Decimal | None = None

    @classmethod
    def parse(cls, data: object) -> RewardPreferences:
        reader = Reader(data, "RWD-3")
        ordering = reader.optional_choice("associate_ordering", AssociateOrdering)
        percentage = (
            reader.fraction("preapproved_percentage")
            if reader.has("preapproved_percentage")
            else None
        )
        return cls(reader.choice("payout", RewardPayout), ordering, percentage)

    def to_json(self) -> JsonObject:
        return {
            "payout": self.payout.value,
            "associate_ordering": self.associate_ordering.value
            if self.associate_ordering
            else None,
            "preapproved_percentage": (
                str(self.preapproved_percentage)
                if self.preapproved_percentage is not None
                else None
            ),
        }

    def checked(self, ctx: StepContext) -> RewardPreferences:
        terms = ctx.terms
        if self.payout not in terms.reward_payouts:
            offered = ", ".join(p.value for p in terms.reward_payouts)
            raise InvalidInput(f"payout is one of {offered}", field="payout", rule="RWD-3")
        ordering = self.associate_ordering or terms.default_associate_policy
        if ordering not in terms.associate_policies:
            offered = ", ".join(p.value for p in terms.associate_policies)
            raise InvalidInput(
                f"associate_ordering is one of {offered}", field="associate_ordering", rule="CRD-2"
            )
        percentage = None
        if ordering is AssociateOrdering.PREAPPROVED_PERCENTAGE:
            percentage = self.preapproved_percentage or terms.default_preapproved_percentage
        return RewardPreferences(self.payout, ordering, percentage)


# -- program questionnaire: optional tracks (OPN-12, OPN-13) ----------------------------


@dataclass(frozen=True)
class ProgramChoices:
    tracks: tuple[str, ...] = ()

    @classmethod
    def parse(cls, data: object) -> ProgramChoices:
        return cls(Reader(data, "OPN-12").texts("tracks"))

    def to_json(self) -> JsonObject:
        return {"tracks": list(self.tracks)}

    def checked(self, ctx: StepContext) -> ProgramChoices:
        for track_id in self.tracks:
            track = ctx.terms.track(track_id)
            if ctx.member_type is EntityRole.ASSOCIATE:
                raise AssociateCannotJoinTrack(
                    f"an associate has its principal's tracks and cannot join {track.name} on "
                    "its own; its principal must join it",
                    field="tracks",
                )
            rank = ctx.terms.rank_of(ctx.level) if ctx.level else -1
            if rank < track.min_rank:
                raise TrackNotOpenAtLevel(
                    f"{track.name} is open from level rank {track.min_rank}; {ctx.level} is {rank}",
                    field="tracks",
                )
        return self


# -- agreement (OPN-2, OPN-9) -----------------------------------------------------------


@dataclass(frozen=True)
class AgreementAcceptance:
    method: AgreementMethod
    signed_agreement: str | None = None  # the upload's reference, offline acceptance

    @classmethod
    def parse(cls, data: object) -> AgreementAcceptance:
        reader = Reader(data, "OPN-9")
        return cls(
            reader.choice("method", AgreementMethod), reader.optional_text("signed_agreement")
        )

    def to_json(self) -> JsonObject:
        return {"method": self.method.value, "signed_agreement": self.signed_agreement}

    def checked(self, ctx: StepContext) -> AgreementAcceptance:
        if ctx.member_type is EntityRole.ASSOCIATE:
            if self.method is not AgreementMethod.PRINCIPAL_TERMS:
                raise InvalidInput(
                    "an associate accepts the terms of its principal's agreement",
                    field="method",
                    rule="OPN-2",
                )
            return AgreementAcceptance(self.method)
        if self.method not in ctx.terms.agreement_methods:
            offered = ", ".join(sorted(m.value for m in ctx.terms.agreement_methods))
            raise InvalidInput(f"method is one of {offered}", field="method", rule="OPN-9")
        if self.method is AgreementMethod.OFFLINE_UPLOAD and not self.signed_agreement:
            raise InvalidInput(
                "offline acceptance needs the signed agreement uploaded",
                field="signed_agreement",
                rule="OPN-9",
            )
        return self


# -- payment plan and method (OPN-5, OPN-6) ---------------------------------------------


def parse_payment(data: object) -> PaymentChoice:
    reader = Reader(data, "OPN-5")
    return PaymentChoice(reader.choice("plan", PaymentPlan), reader.choice("method", PaymentMethod))


def payment_json(choice: PaymentChoice) -> JsonObject:
    return {"plan": choice.plan.value, "method": choice.method.value}


def check_payment(choice: PaymentChoice, ctx: StepContext) -> PaymentChoice:
    if ctx.level is None:
        raise InvalidInput("choose a level first", field="level", rule="OPN-5")
    payment_option(ctx.terms.level(ctx.level), ctx.country, choice)
    return choice


# -- the table --------------------------------------------------------------------------


class Form(Protocol):
    def accept(self, data: object, ctx: StepContext) -> JsonObject: ...

    def read(self, data: object) -> object: ...


@dataclass(frozen=True)
class StepForm(Generic[V]):
    parse: Callable[[object], V]
    check: Callable[[V, StepContext], V]
    dump: Callable[[V], JsonObject]

    def accept(self, data: object, ctx: StepContext) -> JsonObject:
        """Read, check and write back one step's answers (refusals name field and rule)."""
        return self.dump(self.check(self.parse(data), ctx))

    def read(self, data: object) -> V:
        return self.parse(data)


def _no_check(value: V, ctx: StepContext) -> V:
    return value


def _confirmation(name: str, what: str, rule: str) -> StepForm[Confirmation]:
    """A form with one box to tick, ``name``, refused unless ``true`` (naming ``rule``)."""

    def parse(data: object) -> Confirmation:
        return Confirmation(Reader(data, rule).accepted(name, what))

    def dump(value: Confirmation) -> JsonObject:
        return {name: value.confirmed}

    return StepForm(parse, _no_check, dump)


def _form(
    parse: Callable[[object], V],
    check: Callable[[V, StepContext], V],
    dump: Callable[[V], JsonObject],
) -> Form:
    return StepForm(parse, check, dump)


def _check_company(value: CompanyDetails, ctx: StepContext) -> CompanyDetails:
    return value.checked(ctx.terms, ctx.member_type or EntityRole.PRINCIPAL)


FORMS: Mapping[Step, Form] = MappingProxyType(
    {
        Step.PARTNERSHIP_TYPE_AND_LEVEL: _form(
            PartnershipChoice.parse, PartnershipChoice.checked, PartnershipChoice.to_json
        ),
        Step.ADMINISTRATOR_CONFIRMATION: _confirmation(
            "accepts_administrator_role", "the partner-administrator role", "OPN-10"
        ),
        Step.COMPANY_AND_CONTACTS: _form(
            CompanyDetails.parse, _check_company, CompanyDetails.to_json
        ),
        Step.REVIEW_CONTACTS: _confirmation(
            "confirmed", "the review of address and contacts", "OPN-9"
        ),
        Step.REWARD_QUESTIONNAIRE: _form(
            RewardPreferences.parse, RewardPreferences.checked, RewardPreferences.to_json
        ),
        Step.PROGRAM_QUESTIONNAIRE: _form(
            ProgramChoices.parse, ProgramChoices.checked, ProgramChoices.to_json
        ),
        Step.AGREEMENT: _form(
            AgreementAcceptance.parse, AgreementAcceptance.checked, AgreementAcceptance.to_json
        ),
        Step.PAYMENT: _form(parse_payment, check_payment, payment_json),
        Step.FINAL_REVIEW: _confirmation("confirmed", "the final review", "OPN-9"),
    }
)
"""OPN-9: each step's form — what it reads, the rules it checks, what a draft saves."""
