"""The demo's earned tiers (issue 5): once the tier facts are stored, MCPP, OIP and PEX are
evaluated through the same use case as ``alliance evaluate``, as of the last day of the
demo's end month — the last month with facts, so MCPP's six-month window (MCPP-2) covers
six months of usage — and the demo's own partner
(:func:`~alliance.demo.partner.demo_partner_id`) is enrolled on that day in the MCPP areas
it qualified in (MCPP-8) and MCPP is evaluated again, so its outcomes say they are held —
and, beforehand, in PEX as a solution provider with two
modules (PEX evaluates enrolled partners only) — so that its standing page, the standing
API and the public directory show data at once. A rerun saves nothing new (X-5: same
fingerprint) and neither enrolment is recorded twice.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

from alliance.bootstrap import Application
from alliance.demo.partner import login_company
from alliance.domain.access import Actor
from alliance.domain.calendar import Month
from alliance.domain.errors import AllianceError
from alliance.domain.ids import OrganizationId
from alliance.services.evaluation.enrolment import enrol_designations
from alliance.services.evaluation.runs import EvaluationSummary, evaluate
from alliance.services.modular_tier_terms import modular_tier_program
from alliance.services.modular_tiers.enrolment import enrol

#: The programs evaluated, in order.
PROGRAMS = ("mcpp", "oip", "pex")
SYSTEM = Actor.system("demo")
#: The login's company in PEX (PEX-7: an admitted partner type; PEX-2: combinable modules).
PEX_TYPE = "solution_provider"
PEX_MODULES = ("resell", "sell_with")


@dataclass
class EvaluationsLoaded:
    """What :func:`load_evaluations` did: one run per program and the enrolment."""

    as_of: date
    runs: dict[str, EvaluationSummary] = field(default_factory=dict)
    enrolled: str = ""
    skipped: list[str] = field(default_factory=list)

    @property
    def lines(self) -> list[str]:
        """One summary line per program (and the enrolment), like the other demo steps."""
        lines = []
        for code, summary in self.runs.items():
            results = ", ".join(f"{n:,} {r}" for r, n in sorted(summary.results.items()))
            lines.append(
                f"Earned tiers {code.upper()} on {self.as_of}: {results or 'no outcomes'} "
                f"for {summary.run.partners:,} partner{'' if summary.run.partners == 1 else 's'} "
                f"(alliance evaluate --program {code})"
            )
        if self.enrolled:
            lines.append(self.enrolled)
        lines += [f"  skipped: {reason}" for reason in self.skipped]
        return lines


def _pex_enrolment(
    application: Application, partner: OrganizationId, day: date, loaded: EvaluationsLoaded
) -> None:
    """PEX evaluates enrolled partners only (PEX-2, PEX-7): the login's company enrols as a
    solution provider with Resell and Sell With, unless it is enrolled already."""
    with application.uow_factory() as uow:
        if any(e.partner_id == partner for e in uow.pex.enrolments()):
            return
    try:
        enrol(
            application.uow_factory(),
            SYSTEM,
            partner,
            PEX_TYPE,
            PEX_MODULES,
            on=day,
            program=modular_tier_program(application.programs, "pex"),
            clock=application.clock,
        )
    except AllianceError as refusal:
        loaded.skipped.append(f"pex enrolment of {partner}: {refusal} [{refusal.rule}]")


def _evaluate(application: Application, code: str, day: date) -> EvaluationSummary:
    """``alliance evaluate --program CODE --as-of DAY``, through the same use case."""
    return evaluate(
        application.uow_factory(), SYSTEM, application.programs, code, day, clock=application.clock
    )


def demo_day(end_month: Month) -> date:
    """The day the demo evaluates: the last day of its last month of facts."""
    return end_month.end


def load_evaluations(
    application: Application,
    end_month: Month,
    progress: Callable[[str], None] = lambda _step: None,
) -> EvaluationsLoaded:
    """Evaluate :data:`PROGRAMS` on :func:`demo_day`, then enrol the login's company."""
    day = demo_day(end_month)
    loaded = EvaluationsLoaded(day)
    with application.uow_factory() as uow:
        partner = login_company(uow)
    if partner is not None:
        progress("enrolling in PEX")
        _pex_enrolment(application, partner, day, loaded)
    for code in PROGRAMS:
        progress(f"evaluating {code}")
        try:
            loaded.runs[code] = _evaluate(application, code, day)
        except AllianceError as refusal:
            loaded.skipped.append(f"{code}: {refusal} [{refusal.rule}]")
    if partner is None or "mcpp" not in loaded.runs:
        return loaded
    progress("enrolling in designations")
    try:
        result = enrol_designations(
            application.uow_factory(), SYSTEM, application.programs, "mcpp", partner, day
        )
    except AllianceError as refusal:
        loaded.skipped.append(f"{partner} designations: {refusal} [{refusal.rule}]")
        return loaded
    if result.added:  # the outcomes now say the designations are held (MCPP-8)
        loaded.runs["mcpp"] = _evaluate(application, "mcpp", day)
    areas = ", ".join(sorted(result.enrolment.areas))
    loaded.enrolled = (
        f"Designations: {partner} enrolled on {result.enrolment.enrolled_on} in {areas} "
        "(the public directory, /directory)"
    )
    return loaded
