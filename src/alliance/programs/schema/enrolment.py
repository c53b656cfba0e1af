"""The enrolment application: its steps, save-and-resume, agreement acceptance (OPN-9, OPN-10)."""

from __future__ import annotations

from enum import StrEnum

from pydantic import Field, model_validator

from alliance.programs.schema.common import DefinitionModel, Identifier, RuleIds


class EnrolmentStep(StrEnum):
    """The steps an enrolment wizard may show, in the order a definition lists them."""

    PARTNERSHIP_TYPE_AND_LEVEL = "partnership_type_and_level"
    ADMINISTRATOR_CONFIRMATION = "administrator_confirmation"
    COMPANY_AND_CONTACTS = "company_and_contacts"
    REVIEW_CONTACTS = "review_contacts"
    REWARD_QUESTIONNAIRE = "reward_questionnaire"
    PROGRAM_QUESTIONNAIRE = "program_questionnaire"
    AGREEMENT = "agreement"
    PAYMENT = "payment"
    FINAL_REVIEW = "final_review"
    SUBMIT = "submit"


class AgreementAcceptance(StrEnum):
    ONLINE_CLICK = "online_click"
    OFFLINE_UPLOAD = "offline_upload"


class StepSpec(DefinitionModel):
    """One step; ``min_level`` and ``member_types`` restrict who sees it."""

    step: EnrolmentStep
    min_level: Identifier | None = None
    member_types: tuple[Identifier, ...] = ()
    description: str = ""
    rules: RuleIds = ()


class EnrolmentPolicy(DefinitionModel):
    """How a company applies to the program."""

    steps: tuple[StepSpec, ...] = Field(min_length=1)
    save_and_resume: bool = True
    agreement_acceptance: tuple[AgreementAcceptance, ...] = (AgreementAcceptance.ONLINE_CLICK,)
    completer_role: Identifier | None = Field(
        default=None, description="The role given to whoever completes the application."
    )
    confirmation_email: bool = True
    rules: RuleIds = ()

    @model_validator(mode="after")
    def _steps_once(self) -> EnrolmentPolicy:
        seen: set[EnrolmentStep] = set()
        for spec in self.steps:
            if spec.step in seen:
                raise ValueError(f"expected each step once, got {spec.step} twice")
            seen.add(spec.step)
        return self
