"""The stored evaluation runs of a program, newest first (issue 5): what the vendor's
evaluations page lists. For vendor staff and the operator (``manage_programs``, X-6)."""

from __future__ import annotations

from alliance.domain.access import Actor, Permission, require_everywhere
from alliance.domain.outcomes import Run
from alliance.programs.registry import ProgramRegistry
from alliance.services.ports import UnitOfWork

LISTED = 20


def stored_runs(
    uow: UnitOfWork,
    actor: Actor,
    programs: ProgramRegistry,
    program_code: str,
    *,
    limit: int = LISTED,
) -> list[Run]:
    """``program_code``'s stored runs, the newest ``as_of`` (then computation) first."""
    require_everywhere(actor, Permission.MANAGE_PROGRAMS)
    programs.entry(program_code)  # NotFound lists the known codes
    with uow:
        runs = uow.tier_outcomes.runs(program_code)
    runs.sort(key=lambda r: (r.as_of, r.evaluated_at), reverse=True)
    return runs[:limit]
