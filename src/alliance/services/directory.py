"""The public partner directory (issue 6, MCPP-6): anyone may search partners by name,
country, designation and status, and sees only those — never a score.

A partner's *designation* here is the level of its membership in the paid-level
program (OPN-4) and its *status* that membership's status; partners without a
membership are listed with neither. Associates are listed under their own name.

**Earned titles** (issue 5). Given the programs with earned tiers
(:func:`earned_programs`), an entry also carries the titles the partner *holds* in them,
as the latest evaluation run saved them (``uow.tier_outcomes.latest(…, held_only=True)``):

* MCPP — a **designation** per solution area ("Solutions Partner for Security") while
  the partner is enrolled (``enrolled``, ``enrolled_renewal_due``: MCPP-8); a
  ``qualified`` area is not designated until the partner enrols, so it is not shown;
* OIP — the earned **status**, from the first status whose benefits include a listing in
  the directory (``directory_listing``: Business, OIP-6; seed 003 « Référencement
  Experts Zen ») upward; a program naming no such benefit shows every status;
* PEX — the **tier** held (PEX-1).

Names only: an :class:`EarnedTitle` has no field that could carry a score, points,
revenue, gap or explanation (MCPP-6). Searches name them as ``program:id``
(``designation=mcpp:security``, ``status=oip:business``).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from types import MappingProxyType

from alliance.domain.errors import InvalidInput
from alliance.domain.ids import OrganizationId
from alliance.domain.membership import Membership, MembershipStatus
from alliance.domain.organizations import OrganizationKind
from alliance.programs.registry import ProgramRegistry
from alliance.programs.schema import ProgramDefinition
from alliance.services.evaluation.evaluators import tier_kind
from alliance.services.membership_terms import MembershipProgram
from alliance.services.ports import UnitOfWork

MAX_RESULTS = 100
#: How many partners are read to filter by country, designation or status.
SCAN = 2_000
#: Statuses the public sees; a pending or cancelled enrolment is the partner's business.
PUBLIC_STATUSES = (MembershipStatus.ACTIVE, MembershipStatus.EXPIRED, MembershipStatus.LAPSED)


class EarnedKind(StrEnum):
    DESIGNATION = "designation"  # MCPP: per solution area
    STATUS = "status"  # OIP: earned status
    TIER = "tier"  # PEX: tier


@dataclass(frozen=True)
class EarnedProgram:
    """A program with earned tiers as the directory names them: ``titles`` are the
    public ids and names of what a partner may hold (areas, statuses, tiers)."""

    code: str
    name: str
    kind: EarnedKind
    titles: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))

    def key(self, title_id: str) -> str:
        return f"{self.code}:{title_id}"


@dataclass(frozen=True)
class EarnedTitle:
    """A designation, status or tier a partner holds — its name, never its score."""

    program_code: str
    kind: EarnedKind
    id: str
    name: str

    @property
    def key(self) -> str:
        return f"{self.program_code}:{self.id}"


@dataclass(frozen=True)
class DirectoryEntry:
    """What the public sees of a partner (MCPP-6): no score, no balance, no people."""

    organization_id: OrganizationId
    name: str
    country: str
    partner_type: str | None
    designation: str | None  # the level's name, e.g. "Level 2"
    status: MembershipStatus | None
    earned: tuple[EarnedTitle, ...] = ()  # designations, statuses and tiers held

    @property
    def earned_designations(self) -> tuple[EarnedTitle, ...]:
        return tuple(t for t in self.earned if t.kind is EarnedKind.DESIGNATION)

    @property
    def earned_statuses(self) -> tuple[EarnedTitle, ...]:
        return tuple(t for t in self.earned if t.kind is not EarnedKind.DESIGNATION)


@dataclass(frozen=True)
class DirectoryQuery:
    name: str = ""
    country: str = ""
    designation: str = ""  # a level id (l0…l3)
    status: str = ""
    limit: int = 50


def _public_statuses(definition: ProgramDefinition) -> dict[str, str]:
    """OIP-6: the statuses from the first whose benefits list the partner in the
    directory upward; every status when none does (see the module doc)."""
    section = definition.statuses
    assert section is not None
    ranked = sorted(section.statuses, key=lambda s: s.rank)
    listed = [s.rank for s in ranked if any(b.kind == "directory_listing" for b in s.benefits)]
    lowest = min(listed, default=ranked[0].rank if ranked else 0)
    return {str(s.id): str(s.name) for s in ranked if s.rank >= lowest}


def earned_program(definition: ProgramDefinition) -> EarnedProgram | None:
    """How the directory names ``definition``'s earned titles; None without earned tiers."""
    kind = tier_kind(definition)
    if kind == "scorecard" and definition.scorecards is not None:
        title = definition.scorecards.designation.name
        areas = {str(a.id): f"{title} for {a.name}" for a in definition.scorecards.areas}
        return EarnedProgram(definition.code, definition.name, EarnedKind.DESIGNATION, areas)
    if kind == "statuses":
        statuses = _public_statuses(definition)
        return EarnedProgram(definition.code, definition.name, EarnedKind.STATUS, statuses)
    if kind == "modular_tiers" and definition.membership is not None:
        tiers = {str(level.id): str(level.name) for level in definition.membership.levels}
        return EarnedProgram(definition.code, definition.name, EarnedKind.TIER, tiers)
    return None


def earned_programs(programs: ProgramRegistry) -> tuple[EarnedProgram, ...]:
    """Every program of the registry with earned tiers, by code."""
    found = (earned_program(loaded.definition) for loaded in programs.list())
    return tuple(sorted((p for p in found if p is not None), key=lambda p: p.code))


def designations(
    program: MembershipProgram, earned: Sequence[EarnedProgram] = ()
) -> list[tuple[str, str]]:
    """The designations a search may name: ``(id, name)`` — the levels, lowest first,
    then the earned designations (``mcpp:security``)."""
    levels = [(level.id, level.name) for level in program.terms.levels]
    return levels + [
        (p.key(title_id), name)
        for p in earned
        if p.kind is EarnedKind.DESIGNATION
        for title_id, name in p.titles.items()
    ]


def earned_statuses(earned: Sequence[EarnedProgram]) -> list[tuple[str, str]]:
    """The earned statuses and tiers a search may name beside :data:`PUBLIC_STATUSES`:
    ``(program:id, name)``."""
    return [
        (p.key(title_id), name)
        for p in earned
        if p.kind is not EarnedKind.DESIGNATION
        for title_id, name in p.titles.items()
    ]


def _check(
    query: DirectoryQuery, program: MembershipProgram, earned: Sequence[EarnedProgram]
) -> MembershipStatus | None:
    if not 1 <= query.limit <= MAX_RESULTS:
        raise InvalidInput(f"limit is 1 to {MAX_RESULTS}", field="limit", rule="X-7")
    if query.designation and query.designation not in dict(designations(program, earned)):
        raise InvalidInput(f"no designation {query.designation!r}", field="designation")
    if not query.status:
        return None
    if query.status in dict(earned_statuses(earned)):
        return None
    try:
        status = MembershipStatus(query.status)
    except ValueError:
        status = None
    if status not in PUBLIC_STATUSES:
        raise InvalidInput(f"no public status {query.status!r}", field="status")
    return status


def _earned_keys(earned: Sequence[EarnedProgram]) -> list[tuple[str, str]]:
    return [(p.key(t), n) for p in earned for t, n in p.titles.items()]


def _held(
    uow: UnitOfWork, earned: Sequence[EarnedProgram], ids: Sequence[OrganizationId]
) -> dict[str, list[EarnedTitle]]:
    """MCPP-6: the titles each partner holds, from the latest runs (names only)."""
    held: dict[str, list[EarnedTitle]] = {}
    for program in earned:
        for start in range(0, len(ids), 500):
            chunk = [str(i) for i in ids[start : start + 500]]
            for outcome in uow.tier_outcomes.latest(program.code, chunk, held_only=True):
                title_id = (
                    outcome.subject_id if program.kind is EarnedKind.DESIGNATION else outcome.result
                )
                name = program.titles.get(title_id)
                if name is None:  # not public (a status below the listing), or unknown
                    continue
                title = EarnedTitle(program.code, program.kind, title_id, name)
                titles = held.setdefault(outcome.partner_id, [])
                if title not in titles:
                    titles.append(title)
    return held


def search_directory(
    uow: UnitOfWork,
    program: MembershipProgram,
    query: DirectoryQuery,
    earned: Sequence[EarnedProgram] = (),
) -> list[DirectoryEntry]:
    """Partners matching every criterion given, by name (MCPP-6: designations only);
    with ``earned``, the designations, statuses and tiers they hold too."""
    status = _check(query, program, earned)
    country = query.country.strip().upper()
    names = dict(designations(program))
    wanted = {query.designation, query.status} & {key for key, _ in _earned_keys(earned)}
    filtering = [p for p in earned if any(key.startswith(f"{p.code}:") for key in wanted)]
    with uow:
        found = uow.organizations.list(
            kind=OrganizationKind.PARTNER, name_contains=query.name.strip() or None, limit=SCAN
        )
        if country:
            found = [o for o in found if o.country == country]
        latest: dict[OrganizationId, Membership] = {}
        ids = [o.id for o in found]
        for start in range(0, len(ids), 500):
            chunk = ids[start : start + 500]
            for held in uow.memberships.find(
                organizations=chunk, statuses=PUBLIC_STATUSES, limit=len(chunk) * 4
            ):
                latest.setdefault(held.organization_id, held)
        # an earned title searched for is read for every partner scanned; the titles shown
        # only for the partners listed (at most ``limit``)
        searched = _held(uow, filtering, ids) if filtering else {}
        chosen = []
        for organization in sorted(found, key=lambda o: (o.name.casefold(), o.id)):
            membership = latest.get(organization.id)
            keys = {t.key for t in searched.get(str(organization.id), ())}
            level = membership.level if membership is not None else None
            if query.designation and query.designation not in keys | {level}:
                continue
            if query.status and status is None and query.status not in keys:
                continue
            if status is not None and (membership is None or membership.status is not status):
                continue
            chosen.append((organization, membership))
            if len(chosen) == query.limit:
                break
        titles = _held(uow, earned, [o.id for o, _ in chosen]) if earned and chosen else {}
    return [
        DirectoryEntry(
            organization_id=organization.id,
            name=organization.name,
            country=organization.country,
            partner_type=organization.partner_type.value if organization.partner_type else None,
            designation=names.get(membership.level) if membership else None,
            status=membership.status if membership else None,
            earned=tuple(titles.get(str(organization.id), ())),
        )
        for organization, membership in chosen
    ]
