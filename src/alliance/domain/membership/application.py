"""The enrolment application (OPN-9): an explicit state machine, saved after every step.

An :class:`EnrolmentApplication` is an immutable value: :func:`complete_step` returns a
new one or refuses, naming the field and the rule. Steps come in the program's order
(:mod:`.steps`); those that do not apply are skipped — level 0 has no reward
questionnaire and no tracks, an associate gets its principal's level and end date and
accepts its principal's terms (OPN-8, OPN-2), a renewal skips the company details. An
earlier step may be answered again: later answers are checked anew and the ones that no
longer hold are reopened (the final review always is). :meth:`~EnrolmentApplication.to_json`
and :meth:`~EnrolmentApplication.from_json` let the service save a draft after every step
and the same applicant resume it later, where it was left.

Statuses and the allowed moves (:data:`APPLICATION_MOVES`):
``draft → submitted`` (a principal), ``draft → pending_approval`` (an associate, OPN-2),
``pending_approval → approved | rejected`` (by the principal's administrator),
``draft | pending_approval → withdrawn``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import date
from enum import StrEnum
from types import MappingProxyType
from typing import NewType

from alliance.domain.errors import AllianceError, InvalidInput
from alliance.domain.ids import OrganizationId, PersonId, new_id
from alliance.domain.membership.answers import (
    FORMS,
    PartnershipChoice,
    ProgramChoices,
    StepContext,
    parse_payment,
)
from alliance.domain.membership.contacts import CompanyDetails
from alliance.domain.membership.errors import (
    ApplicationNotEditable,
    NotTheApplicant,
    StepNotApplicable,
    StepOutOfOrder,
)
from alliance.domain.membership.membership import Membership, SubscriptionId
from alliance.domain.membership.reading import Reader
from alliance.domain.membership.steps import Step, steps_for
from alliance.domain.membership.terms import MembershipTerms, PaymentChoice
from alliance.domain.organizations import EntityRole

ApplicationId = NewType("ApplicationId", str)
SCHEMA_VERSION = 1


class ApplicationKind(StrEnum):
    ENROLMENT = "enrolment"
    RENEWAL = "renewal"  # OPN-14: the same steps, without the company details


class ApplicationStatus(StrEnum):
    DRAFT = "draft"  # OPN-9: saved and resumable
    SUBMITTED = "submitted"
    PENDING_APPROVAL = "pending_approval"  # OPN-2: waits for the principal's administrator
    APPROVED = "approved"
    REJECTED = "rejected"
    WITHDRAWN = "withdrawn"


_A = ApplicationStatus
APPLICATION_MOVES: frozenset[tuple[ApplicationStatus, ApplicationStatus]] = frozenset(
    {
        (_A.DRAFT, _A.SUBMITTED),
        (_A.DRAFT, _A.PENDING_APPROVAL),  # OPN-2
        (_A.PENDING_APPROVAL, _A.APPROVED),  # OPN-2
        (_A.PENDING_APPROVAL, _A.REJECTED),  # OPN-2
        (_A.DRAFT, _A.WITHDRAWN),
        (_A.PENDING_APPROVAL, _A.WITHDRAWN),
    }
)
"""The application lifecycle: every allowed (from, to) move; nothing else is legal."""


@dataclass(frozen=True)
class EnrolmentApplication:
    """An application to join (or renew), with the answers given so far, per step."""

    id: ApplicationId
    organization_id: OrganizationId
    applicant: PersonId
    country: str
    started_on: date
    kind: ApplicationKind = ApplicationKind.ENROLMENT
    renewing: SubscriptionId | None = None
    status: ApplicationStatus = ApplicationStatus.DRAFT
    answers: Mapping[Step, Mapping[str, object]] = field(
        default_factory=lambda: MappingProxyType({}), hash=False
    )
    updated_on: date | None = None
    submitted_on: date | None = None
    decided_on: date | None = None
    decided_by: PersonId | None = None
    decision_note: str = ""

    def __post_init__(self) -> None:
        frozen = {Step(step): _freeze(answer) for step, answer in self.answers.items()}
        object.__setattr__(self, "answers", MappingProxyType(frozen))

    # -- what has been answered ---------------------------------------------------------

    @property
    def partnership(self) -> PartnershipChoice | None:
        answer = self.answers.get(Step.PARTNERSHIP_TYPE_AND_LEVEL)
        return PartnershipChoice.parse(answer) if answer is not None else None

    @property
    def member_type(self) -> EntityRole | None:
        return self.partnership.member_type if self.partnership else None

    @property
    def level(self) -> str | None:
        return self.partnership.level if self.partnership else None

    @property
    def principal_subscription(self) -> SubscriptionId | None:
        return self.partnership.principal_subscription if self.partnership else None

    @property
    def company(self) -> CompanyDetails | None:
        answer = self.answers.get(Step.COMPANY_AND_CONTACTS)
        return CompanyDetails.parse(answer) if answer is not None else None

    @property
    def billing_country(self) -> str:
        """The country payment methods depend on (OPN-5): the company address's, once given."""
        company = self.company
        return company.address.country if company else self.country

    @property
    def payment(self) -> PaymentChoice | None:
        answer = self.answers.get(Step.PAYMENT)
        return parse_payment(answer) if answer is not None else None

    @property
    def tracks(self) -> tuple[str, ...]:
        answer = self.answers.get(Step.PROGRAM_QUESTIONNAIRE)
        return ProgramChoices.parse(answer).tracks if answer is not None else ()

    # -- saving and resuming (OPN-9) ----------------------------------------------------

    def to_json(self) -> dict[str, object]:
        """A JSON object the service saves after every step."""
        return {
            "schema": SCHEMA_VERSION,
            "id": self.id,
            "organization_id": self.organization_id,
            "applicant": self.applicant,
            "country": self.country,
            "started_on": self.started_on.isoformat(),
            "kind": self.kind.value,
            "renewing": self.renewing,
            "status": self.status.value,
            "answers": {step.value: _thaw(answer) for step, answer in self.answers.items()},
            "updated_on": _iso(self.updated_on),
            "submitted_on": _iso(self.submitted_on),
            "decided_on": _iso(self.decided_on),
            "decided_by": self.decided_by,
            "decision_note": self.decision_note,
        }

    @classmethod
    def from_json(cls, data: object) -> EnrolmentApplication:
        """Read a saved application; a corrupt draft is refused naming the field."""
        reader = Reader(data, "OPN-9")
        if reader.data.get("schema") != SCHEMA_VERSION:
            raise InvalidInput(
                f"unknown draft schema {reader.data.get('schema')!r}", field="schema", rule="OPN-9"
            )
        answers = reader.nested("answers")
        by_step: dict[Step, Mapping[str, object]] = {}
        for name, answer in answers.data.items():
            step = Reader({"step": name}, "OPN-9", "answers.").choice("step", Step)
            try:
                FORMS[step].read(answer)
            except InvalidInput as bad:
                raise InvalidInput(
                    bad.message, field=f"answers.{name}.{bad.field}", rule=bad.rule
                ) from None
            by_step[step] = answer  # type: ignore[assignment]
        renewing = reader.optional_text("renewing")
        decided_by = reader.optional_text("decided_by")
        return cls(
            id=ApplicationId(reader.text("id")),
            organization_id=OrganizationId(reader.text("organization_id")),
            applicant=PersonId(reader.text("applicant")),
            country=reader.text("country"),
            started_on=reader.day("started_on"),
            kind=reader.choice("kind", ApplicationKind),
            renewing=SubscriptionId(renewing) if renewing else None,
            status=reader.choice("status", ApplicationStatus),
            answers=by_step,
            updated_on=reader.optional_day("updated_on"),
            submitted_on=reader.optional_day("submitted_on"),
            decided_on=reader.optional_day("decided_on"),
            decided_by=PersonId(decided_by) if decided_by else None,
            decision_note=str(reader.data.get("decision_note") or ""),
        )


def start_application(
    organization_id: OrganizationId,
    applicant: PersonId,
    country: str,
    today: date,
    *,
    kind: ApplicationKind = ApplicationKind.ENROLMENT,
    renewing: SubscriptionId | None = None,
    application_id: ApplicationId | None = None,
) -> EnrolmentApplication:
    """A new draft; whoever starts it completes it and becomes administrator (OPN-10)."""
    if (kind is ApplicationKind.RENEWAL) != (renewing is not None):
        raise InvalidInput(
            "a renewal names the subscription it renews, and only a renewal does",
            field="renewing",
            rule="OPN-14",
        )
    return EnrolmentApplication(
        id=application_id or ApplicationId(new_id("app")),
        organization_id=organization_id,
        applicant=applicant,
        country=country,
        started_on=today,
        kind=kind,
        renewing=renewing,
        updated_on=today,
    )


# -- steps ------------------------------------------------------------------------------


def steps(application: EnrolmentApplication, terms: MembershipTerms) -> tuple[Step, ...]:
    """The steps this applicant sees, in order, given the answers so far (OPN-9)."""
    level = application.level
    return steps_for(
        terms.steps,
        rank=terms.rank_of(level) if level else None,
        member_type=application.member_type,
        renewal=application.kind is ApplicationKind.RENEWAL,
        skipped_on_renewal=terms.skipped_on_renewal,
    )


def missing_steps(application: EnrolmentApplication, terms: MembershipTerms) -> tuple[Step, ...]:
    """The applicable steps not answered yet, in order — what stands before submission."""
    if application.partnership is None:
        return tuple(rule.step for rule in terms.steps)
    return tuple(s for s in steps(application, terms) if s not in application.answers)


def next_step(application: EnrolmentApplication, terms: MembershipTerms) -> Step | None:
    """Where the applicant resumes (OPN-9); ``None`` once every step is answered."""
    missing = missing_steps(application, terms)
    return missing[0] if missing else None


def can_submit(application: EnrolmentApplication, terms: MembershipTerms) -> bool:
    return application.status is _A.DRAFT and not missing_steps(application, terms)


def resume(application: EnrolmentApplication, by: PersonId, terms: MembershipTerms) -> Step | None:
    """OPN-9: the applicant who saved the draft picks it up at the step it left."""
    require_applicant(application, by)
    return next_step(application, terms)


def complete_step(
    application: EnrolmentApplication,
    step: Step,
    data: Mapping[str, object],
    terms: MembershipTerms,
    today: date,
    *,
    by: PersonId,
    principal: Membership | None = None,
) -> EnrolmentApplication:
    """Answer ``step`` (OPN-9); ``principal`` is the membership an associate picks."""
    require_applicant(application, by)
    if application.status is not _A.DRAFT:
        raise ApplicationNotEditable(
            f"the application is {application.status.value}; only a draft can change"
        )
    shown = _shown_steps(application, step, terms)
    earlier = [s for s in shown[: shown.index(step)] if s not in application.answers]
    if earlier:
        raise StepOutOfOrder(f"complete {earlier[0].value} before {step.value}")
    answer = FORMS[step].accept(data, _context(application, terms, today, principal))
    if application.answers.get(step) == _freeze(answer):
        return replace(application, updated_on=today)
    answers = {**application.answers, step: answer}
    updated = replace(application, answers=answers, updated_on=today)
    return _recheck_after(updated, step, terms, today, principal)


def _shown_steps(
    application: EnrolmentApplication, step: Step, terms: MembershipTerms
) -> tuple[Step, ...]:
    if step is not Step.PARTNERSHIP_TYPE_AND_LEVEL and application.partnership is None:
        raise StepOutOfOrder(
            f"complete {Step.PARTNERSHIP_TYPE_AND_LEVEL.value} before {step.value}"
        )
    shown = steps(application, terms)
    if step not in shown:
        rule = next((r for r in terms.steps if r.step is step), None)
        if rule is None:
            why = f"the {terms.program} application has no {step.value} step"
        elif application.kind is ApplicationKind.RENEWAL and step in terms.skipped_on_renewal:
            why = f"{step.value} is skipped on renewal"
        else:
            who = []
            if rule.min_rank is not None:
                who.append(f"levels of rank {rule.min_rank} and above")
            if rule.member_types:
                who.append(" or ".join(sorted(t.value for t in rule.member_types)) + " entities")
            why = (
                f"{step.value} is for {' and '.join(who)}; this application is for "
                f"a {application.member_type} entity at {application.level}"
            )
        raise StepNotApplicable(why)
    return shown


def _context(
    application: EnrolmentApplication,
    terms: MembershipTerms,
    today: date,
    principal: Membership | None,
) -> StepContext:
    return StepContext(
        terms=terms,
        today=today,
        member_type=application.member_type,
        level=application.level,
        country=application.billing_country,
        principal=principal,
    )


def _recheck_after(
    application: EnrolmentApplication,
    changed: Step,
    terms: MembershipTerms,
    today: date,
    principal: Membership | None,
) -> EnrolmentApplication:
    """Later answers are checked against the change; those that no longer hold reopen."""
    shown = steps(application, terms)
    order = list(Step)
    kept: dict[Step, Mapping[str, object]] = {}
    for step, answer in application.answers.items():
        if order.index(step) <= order.index(changed):
            kept[step] = answer
    ctx = _context(replace(application, answers=kept), terms, today, principal)
    for step in order[order.index(changed) + 1 :]:
        later = application.answers.get(step)
        if later is None or step not in shown or step is Step.FINAL_REVIEW:
            continue
        try:
            kept[step] = FORMS[step].accept(later, ctx)
        except AllianceError:
            continue
        ctx = _context(replace(application, answers=kept), terms, today, principal)
    return replace(application, answers=kept)


def require_applicant(application: EnrolmentApplication, by: PersonId) -> None:
    if by != application.applicant:
        raise NotTheApplicant(
            f"application {application.id} is completed by the person who started it"
        )


# -- JSON helpers -----------------------------------------------------------------------


def _iso(day: date | None) -> str | None:
    return day.isoformat() if day else None


def _freeze(value: object) -> object:
    """Nested answers made immutable: objects become read-only mappings, lists tuples."""
    if isinstance(value, Mapping):
        return MappingProxyType({str(k): _freeze(v) for k, v in value.items()})
    if isinstance(value, list | tuple):
        return tuple(_freeze(v) for v in value)
    return value


def _thaw(value: object) -> object:
    if isinstance(value, Mapping):
        return {k: _thaw(v) for k, v in value.items()}
    if isinstance(value, tuple):
        return [_thaw(v) for v in value]
    return value
