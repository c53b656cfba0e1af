"""The public partner directory (issue 6, MCPP-6): anyone may search partners by name,
country, designation and status, and sees only those — never a score.

A partner's *designation* here is the level of its membership in the paid-level
program (OPN-4) and its *status* that membership's status; partners without a
membership are listed with neither. Associates are listed under their own name.
"""

from __future__ import annotations

from dataclasses import dataclass

from alliance.domain.errors import InvalidInput
from alliance.domain.ids import OrganizationId
from alliance.domain.membership import Membership, MembershipStatus
from alliance.domain.organizations import OrganizationKind
from alliance.services.membership_terms import MembershipProgram
from alliance.services.ports import UnitOfWork

MAX_RESULTS = 100
#: How many partners are read to filter by country, designation or status.
SCAN = 2_000
#: Statuses the public sees; a pending or cancelled enrolment is the partner's business.
PUBLIC_STATUSES = (MembershipStatus.ACTIVE, MembershipStatus.EXPIRED, MembershipStatus.LAPSED)


@dataclass(frozen=True)
class DirectoryEntry:
    """What the public sees of a partner (MCPP-6): no score, no balance, no people."""

    organization_id: OrganizationId
    name: str
    country: str
    partner_type: str | None
    designation: str | None  # the level's name, e.g. "Level 2"
    status: MembershipStatus | None


@dataclass(frozen=True)
class DirectoryQuery:
    name: str = ""
    country: str = ""
    designation: str = ""  # a level id (l0…l3)
    status: str = ""
    limit: int = 50


def designations(program: MembershipProgram) -> list[tuple[str, str]]:
    """The levels a search may name: ``(id, name)``, lowest first."""
    return [(level.id, level.name) for level in program.terms.levels]


def _check(query: DirectoryQuery, program: MembershipProgram) -> MembershipStatus | None:
    if not 1 <= query.limit <= MAX_RESULTS:
        raise InvalidInput(f"limit is 1 to {MAX_RESULTS}", field="limit", rule="X-7")
    if query.designation and query.designation not in dict(designations(program)):
        raise InvalidInput(f"no designation {query.designation!r}", field="designation")
    if not query.status:
        return None
    try:
        status = MembershipStatus(query.status)
    except ValueError:
        status = None
    if status not in PUBLIC_STATUSES:
        raise InvalidInput(f"no public status {query.status!r}", field="status")
    return status


def search_directory(
    uow: UnitOfWork, program: MembershipProgram, query: DirectoryQuery
) -> list[DirectoryEntry]:
    """Partners matching every criterion given, by name (MCPP-6: designations only)."""
    status = _check(query, program)
    country = query.country.strip().upper()
    names = dict(designations(program))
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
    entries = []
    for organization in sorted(found, key=lambda o: (o.name.casefold(), o.id)):
        membership = latest.get(organization.id)
        if query.designation and (membership is None or membership.level != query.designation):
            continue
        if status is not None and (membership is None or membership.status is not status):
            continue
        entries.append(
            DirectoryEntry(
                organization_id=organization.id,
                name=organization.name,
                country=organization.country,
                partner_type=organization.partner_type.value if organization.partner_type else None,
                designation=names.get(membership.level) if membership else None,
                status=membership.status if membership else None,
            )
        )
        if len(entries) == query.limit:
            break
    return entries
