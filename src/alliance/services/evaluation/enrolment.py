"""Enrolling in a designation program: the areas a partner qualified in become its
designations until the anniversary (MCPP-8).

A partner enrols on a day (paying the fee — one fee covers every area) while its latest
evaluation shows areas *qualified* with an "enrol by" day not past. The enrolment designates
those areas until the anniversary (one year on; ``fee_period``) and the next evaluations
keep them whatever the score (:mod:`.mcpp`). A partner already enrolled adds a newly
qualified area without paying again: the new enrolment keeps the anniversary. Enrolling
twice the same day is one enrolment (X-5).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from alliance.domain.access import Actor
from alliance.domain.calendar import add_years
from alliance.domain.errors import BusinessRuleViolation, InvalidInput
from alliance.domain.outcomes import Subject
from alliance.domain.scoring import DesignationStatus, Enrolment
from alliance.programs.registry import ProgramRegistry
from alliance.services.evaluation.evaluators import tier_kind
from alliance.services.evaluation.mcpp import active_enrolment
from alliance.services.evaluation.ports import EnrolmentRecord
from alliance.services.partner_scope import require_partner
from alliance.services.ports import UnitOfWork


@dataclass(frozen=True)
class EnrolmentResult:
    enrolment: Enrolment
    added: bool  # False: the same enrolment was recorded already
    new_areas: frozenset[str]

    @property
    def summary(self) -> str:
        areas = ", ".join(sorted(self.enrolment.areas))
        done = "enrolled" if self.added else "already enrolled"
        return f"{done} on {self.enrolment.enrolled_on}: {areas} until {self.enrolment.anniversary}"


def enrol_designations(
    uow: UnitOfWork,
    actor: Actor,
    programs: ProgramRegistry,
    program_code: str,
    partner_id: str,
    on: date,
) -> EnrolmentResult:
    """Enrol ``partner_id`` on ``on`` in the areas its latest evaluation qualified (MCPP-8)."""
    require_partner(actor, partner_id)
    definition = programs.get(program_code)
    if tier_kind(definition) != "scorecard":
        raise InvalidInput(
            f"program {program_code} has no designations to enrol in",
            field="program",
            rule="MCPP-8",
        )
    with uow:
        latest = uow.tier_outcomes.latest(program_code, [partner_id], on_or_before=on)
        qualified = frozenset(
            o.subject_id
            for o in latest
            if o.subject is Subject.AREA
            and o.result == DesignationStatus.QUALIFIED.value
            and o.until is not None
            and on <= o.until
        )
        current = active_enrolment(
            uow.tier_outcomes.enrolments(program_code, [partner_id]).get(partner_id, []), on
        )
        held = current.areas if current is not None else frozenset()
        if current is not None and current.enrolled_on == on and qualified <= held:
            return EnrolmentResult(current, False, frozenset())  # the same again
        if not qualified - held:
            when = f" (latest evaluation: {latest[0].as_of})" if latest else ""
            raise BusinessRuleViolation(
                f"{partner_id} has no qualified area to enrol in on {on}{when}; an area "
                "qualifies for 30 days after its last qualifying day",
                field="partner_id",
                rule="MCPP-8",
            )
        anniversary = current.anniversary if current is not None else add_years(on, 1)
        enrolment = Enrolment(on, anniversary, qualified | held)
        added = uow.tier_outcomes.add_enrolment(
            EnrolmentRecord(program_code, partner_id, enrolment)
        )
        uow.commit()
    return EnrolmentResult(enrolment, added, qualified - held)
