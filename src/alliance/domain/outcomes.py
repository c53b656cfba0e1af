"""Outcomes of earned-tier evaluations, as persisted (issue 5, X-3).

An evaluation of a program on a date (a **run**: program code, definition version,
``as_of``) gives every partner one :class:`Outcome` per *subject*:

* MCPP — one per solution area; ``result`` is the designation status (``in_progress``,
  ``qualified``, ``enrolled``, ``enrolled_renewal_due``; MCPP-2, MCPP-8), ``score`` the
  area score on the day;
* OIP — one per member (subject ``status``, id the member type); ``result`` the status
  name (OIP-3, OIP-4), ``score`` the monthly average of counted revenue;
* PEX — one per partner (subject ``tier``); ``result`` the tier, ``score`` the points
  over 12 months (PEX-1, PEX-6).

Every outcome carries its :class:`~alliance.domain.explanations.Explanation`: the facts
that counted, the cap that applied, the gap to the next threshold and the cheapest steps
to close it (X-3). ``held`` says whether the result is a designation, status or tier the
partner holds — what the public directory may show (MCPP-6: designations, never scores).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum
from types import MappingProxyType

from alliance.domain.explanations import Explanation


class Subject(StrEnum):
    """What an outcome is about."""

    AREA = "area"  # MCPP: a solution area's designation
    STATUS = "status"  # OIP: the earned status of a member
    TIER = "tier"  # PEX: the tier earned with points
    MODULE = "module"  # PEX: a module at a tier


@dataclass(frozen=True)
class RunKey:
    """A run: ``program_code`` evaluated with ``definition_version`` on ``as_of``."""

    program_code: str
    definition_version: str
    as_of: date

    def __str__(self) -> str:
        return f"{self.program_code} {self.definition_version} on {self.as_of}"


@dataclass(frozen=True)
class Outcome:
    """Where one partner stands on one subject after a run, and why (X-3).

    ``until`` is the date the result is good until when there is one: the anniversary
    of a designation, the "enrol by" day of a qualified area (MCPP-8), the last day of an
    OIP status (OIP-3). ``details`` are further facts as text (``enrol_by``,
    ``counted_total`` …) for the dashboard; they never carry money as floats (X-1).
    """

    program_code: str
    definition_version: str
    as_of: date
    partner_id: str
    subject: Subject
    subject_id: str
    result: str
    score: Decimal | None
    explanation: Explanation
    held: bool = False
    until: date | None = None
    details: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))

    def __post_init__(self) -> None:
        object.__setattr__(self, "details", MappingProxyType(dict(self.details)))

    @property
    def run(self) -> RunKey:
        return RunKey(self.program_code, self.definition_version, self.as_of)

    @property
    def key(self) -> tuple[str, Subject, str]:
        """What a run holds once: ``(partner_id, subject, subject_id)``."""
        return (self.partner_id, self.subject, self.subject_id)


@dataclass(frozen=True)
class Run:
    """A stored run: its key, the definition's content hash, when it was computed, how
    many outcomes it holds, the count per result, and a fingerprint of its outcomes (a
    rerun giving the same fingerprint writes nothing)."""

    key: RunKey
    definition_hash: str
    evaluated_at: datetime
    outcomes: int
    partners: int
    results: Mapping[str, int]
    fingerprint: str

    @property
    def program_code(self) -> str:
        return self.key.program_code

    @property
    def definition_version(self) -> str:
        return self.key.definition_version

    @property
    def as_of(self) -> date:
        return self.key.as_of


def count_results(outcomes: Iterable[Outcome]) -> dict[str, int]:
    """How many outcomes have each result, sorted by result."""
    counts: dict[str, int] = {}
    for outcome in outcomes:
        counts[outcome.result] = counts.get(outcome.result, 0) + 1
    return dict(sorted(counts.items()))


Rank = Callable[[Outcome], int]
"""How high a result stands (``in_progress`` 0 < ``qualified`` 1 < ``enrolled`` 2; an OIP
status's rank), to tell a gain from a loss."""


def held_rank(outcome: Outcome) -> int:
    """The default rank: 1 for a held designation, status or tier, else 0."""
    return 1 if outcome.held else 0


@dataclass(frozen=True)
class Movement:
    """A partner's result on a subject that a changed definition would change (what-if):
    ``direction`` is +1 for a gain (a higher result), -1 for a loss, 0 for a change of
    the same rank."""

    partner_id: str
    subject: Subject
    subject_id: str
    before: str | None
    after: str | None
    direction: int
    score_before: Decimal | None
    score_after: Decimal | None

    @property
    def gains(self) -> bool:
        return self.direction > 0

    @property
    def loses(self) -> bool:
        return self.direction < 0


def movements(
    before: Iterable[Outcome],
    after: Iterable[Outcome],
    rank_before: Rank = held_rank,
    rank_after: Rank = held_rank,
) -> list[Movement]:
    """The subjects whose result differs between two evaluations, by partner and subject;
    a subject only one of them has moves from or to nothing (rank -1)."""
    old = {o.key: o for o in before}
    new = {o.key: o for o in after}
    moved = []
    for key in sorted(old.keys() | new.keys()):
        a, b = old.get(key), new.get(key)
        if a is not None and b is not None and a.result == b.result:
            continue
        ra = rank_before(a) if a is not None else -1
        rb = rank_after(b) if b is not None else -1
        moved.append(
            Movement(
                key[0],
                key[1],
                key[2],
                a.result if a else None,
                b.result if b else None,
                (rb > ra) - (rb < ra),
                a.score if a else None,
                b.score if b else None,
            )
        )
    return moved
