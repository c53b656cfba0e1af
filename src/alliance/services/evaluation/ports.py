"""What evaluation, simulation, the dashboard and the public directory need from the
outcome store (``uow.tier_outcomes``; issue 5).

A **run** is one program evaluated with one definition version on one date. Saving a
run replaces the outcomes stored for the same ``(program, version, as_of)`` — so
rerunning an evaluation leaves exactly one copy of each outcome (X-5); a rerun whose
outcomes are identical writes nothing at all. Outcomes keep the definition version that
produced them, so runs under different versions coexist.

MCPP keeps designations until the anniversary (MCPP-8): the store also holds each
partner's **enrolments** (paid on a day, areas designated until the anniversary), which
the next runs read back.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Protocol

from alliance.domain.outcomes import Outcome, Run, RunKey, Subject
from alliance.domain.scoring import Enrolment


@dataclass(frozen=True)
class SavedRun:
    """What saving a run did: the run as stored, and whether anything was written."""

    run: Run
    written: bool  # False: the same outcomes were already stored (an idempotent rerun)
    replaced: int  # outcomes of an earlier copy of the run that were removed


@dataclass(frozen=True)
class EnrolmentRecord:
    """A partner's enrolment in a designation program (MCPP-8): one fee, every area."""

    program_code: str
    partner_id: str
    enrolment: Enrolment


class OutcomeStore(Protocol):
    """Outcomes of earned-tier evaluations, in the unit of work's transaction."""

    def save_run(self, run: Run, outcomes: Iterable[Outcome]) -> SavedRun:
        """Store ``outcomes`` as the run ``run.key``, replacing a stored copy of the same
        run; nothing is written when the stored copy has the same fingerprint (X-5)."""
        ...

    def run(self, key: RunKey) -> Run | None: ...

    def runs(self, program_code: str) -> list[Run]:
        """Every stored run of ``program_code``, newest ``as_of`` first."""
        ...

    def latest_run(self, program_code: str, *, on_or_before: date | None = None) -> Run | None:
        """The run with the latest ``as_of`` (not after ``on_or_before``); of two runs on
        one day, the one evaluated last."""
        ...

    def outcomes(
        self,
        key: RunKey,
        *,
        partner_ids: Sequence[str] | None = None,
        subject: Subject | None = None,
    ) -> list[Outcome]:
        """The outcomes of one run, by partner then subject."""
        ...

    def latest(
        self,
        program_code: str,
        partner_ids: Sequence[str] | None = None,
        *,
        on_or_before: date | None = None,
        held_only: bool = False,
    ) -> list[Outcome]:
        """Each partner's outcomes from the latest run that has outcomes for it (not after
        ``on_or_before``); ``held_only`` keeps the designations, statuses and tiers held —
        what the public directory shows (MCPP-6)."""
        ...

    def history(
        self,
        program_code: str,
        partner_id: str,
        *,
        subject: Subject | None = None,
        before: date | None = None,
    ) -> list[Outcome]:
        """Every stored outcome of a partner across runs, oldest ``as_of`` first."""
        ...

    def add_enrolment(self, record: EnrolmentRecord) -> bool:
        """Record an enrolment; False, writing nothing, when the partner already has one
        starting that day in that program (X-5)."""
        ...

    def enrolments(
        self, program_code: str, partner_ids: Sequence[str] | None = None
    ) -> dict[str, list[Enrolment]]:
        """Each partner's enrolments, oldest first."""
        ...
