"""The steps of the enrolment application and who sees each one (OPN-9).

The order and the restrictions are data (:class:`StepRule`, from the program definition):
the reward questionnaire is for principals at levels 1–3, the program questionnaire
(optional tracks) for levels ≥ 1, and a renewal skips the company details (the seed:
« cette étape n'apparaît pas pour le renouvellement des partenaires »).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from enum import StrEnum

from alliance.domain.organizations import EntityRole


class Step(StrEnum):
    """OPN-9: the application's steps, in the order the seed lists them.

    Submitting is not a step with data: it is :func:`~.application.submit`.
    """

    PARTNERSHIP_TYPE_AND_LEVEL = "partnership_type_and_level"  # + the principal (associate)
    ADMINISTRATOR_CONFIRMATION = "administrator_confirmation"  # OPN-10
    COMPANY_AND_CONTACTS = "company_and_contacts"  # + partner-store terms (seed)
    REVIEW_CONTACTS = "review_contacts"
    REWARD_QUESTIONNAIRE = "reward_questionnaire"  # payout method, CRD-2 policy
    PROGRAM_QUESTIONNAIRE = "program_questionnaire"  # optional tracks, OPN-12
    AGREEMENT = "agreement"  # online click, signed upload, or the principal's terms
    PAYMENT = "payment"  # plan and method, OPN-5/OPN-6
    FINAL_REVIEW = "final_review"


@dataclass(frozen=True)
class StepRule:
    """One step of a program's application; ``min_rank`` and ``member_types`` restrict who
    sees it (an empty ``member_types`` means every type)."""

    step: Step
    min_rank: int | None = None
    member_types: frozenset[EntityRole] = field(default_factory=frozenset)

    def applies(
        self, *, rank: int | None, member_type: EntityRole | None, renewal: bool, skipped: bool
    ) -> bool:
        """Whether the step is shown; an unknown rank or type (before the first step is
        answered) hides the restricted steps until it is known."""
        if renewal and skipped:
            return False
        if self.min_rank is not None and (rank is None or rank < self.min_rank):
            return False
        return not self.member_types or member_type in self.member_types


def steps_for(
    rules: Iterable[StepRule],
    *,
    rank: int | None,
    member_type: EntityRole | None,
    renewal: bool,
    skipped_on_renewal: frozenset[Step],
) -> tuple[Step, ...]:
    """The steps an applicant sees, in order (OPN-9)."""
    return tuple(
        rule.step
        for rule in rules
        if rule.applies(
            rank=rank,
            member_type=member_type,
            renewal=renewal,
            skipped=rule.step in skipped_on_renewal,
        )
    )
