"""A member's duties checklist with compliance (OIP-5) and its benefits (OIP-6).

The duties are those of the status the member holds on the day (computed from its
revenue facts: OIP-2 … OIP-4), expanded per product line it sells and per profile
(``duty_id[:profile][:product_line]``), each with how many are done — what the vendor
recorded with :func:`record_duty`. The member's product lines and flags (``uses_eshop``)
are its duty profile (:func:`set_profile`). Recording is the vendor's channel staff's
(``MANAGE_ORGANIZATION`` over every organisation); reading is the member's own people's
or staff's (X-6). Every change is audited (X-4).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from alliance.domain import audit
from alliance.domain.access import Actor, Permission, require_everywhere
from alliance.domain.clock import Clock
from alliance.domain.errors import InvalidInput
from alliance.domain.statuses import (
    BenefitTerms,
    Compliance,
    EarnedStatusTerms,
    benefits_for,
    compliance,
    due_items,
)
from alliance.services.partner_scope import require_partner
from alliance.services.ports import UnitOfWork
from alliance.services.status_incentives.ports import DutyProfile, DutyProgress
from alliance.services.status_incentives.standing import Standing, standing
from alliance.services.status_terms import StatusProgram


@dataclass(frozen=True)
class DutiesReport:
    """The member's status, its duties with compliance, and its benefits on a day."""

    standing: Standing
    duties: Compliance
    benefits: tuple[BenefitTerms, ...]
    product_lines: frozenset[str]
    flags: frozenset[str]

    @property
    def summary(self) -> str:
        o = self.standing.outcome
        return f"{o.partner_id}: {o.explanation.summary}; {self.duties.explanation.summary}"


def _profile(uow: UnitOfWork, partner_id: str) -> tuple[frozenset[str], frozenset[str]]:
    found = uow.oip_duties.profile(partner_id)
    if found is None:
        return frozenset(), frozenset()
    return found.product_lines, found.flags


def duties_report(
    uow: UnitOfWork,
    actor: Actor,
    partner_id: str,
    *,
    on: date,
    program: StatusProgram,
) -> DutiesReport:
    """``partner_id``'s duties checklist with compliance and its benefits on ``on``."""
    require_partner(actor, partner_id)
    terms = program.statuses
    with uow:
        found = standing(uow.tier_facts, partner_id, on, terms, uow.tier_outcomes)
        lines, flags = _profile(uow, partner_id)
        done = {key: p.done for key, p in uow.oip_duties.progress(partner_id).items()}
    member_type = found.member.member_type
    status = found.outcome.status
    return DutiesReport(
        found,
        compliance(status, member_type, done, lines, flags),
        benefits_for(status, member_type),
        lines,
        flags,
    )


def record_duty(
    uow: UnitOfWork,
    actor: Actor,
    partner_id: str,
    item_key: str,
    done: int,
    *,
    on: date,
    program: StatusProgram,
    clock: Clock,
) -> DutiesReport:
    """Record how many of one duty item ``partner_id`` has done (OIP-5); the item must be
    due at the status it holds on ``on``."""
    require_everywhere(actor, Permission.MANAGE_ORGANIZATION)
    if isinstance(done, bool) or done < 0:
        raise InvalidInput(f"done is a count ≥ 0, got {done}", field="done", rule="OIP-5")
    terms = program.statuses
    with uow:
        found = standing(uow.tier_facts, partner_id, on, terms, uow.tier_outcomes)
        lines, flags = _profile(uow, partner_id)
        keys = [
            key
            for key, _ in due_items(found.outcome.status, found.member.member_type, lines, flags)
        ]
        if item_key not in keys:
            raise InvalidInput(
                f"{item_key!r} is not a duty of {partner_id} as {found.outcome.status.name}; "
                f"due: {', '.join(keys)}",
                field="item_key",
                rule="OIP-5",
            )
        before = uow.oip_duties.progress(partner_id).get(item_key)
        uow.oip_duties.record(DutyProgress(partner_id, item_key, done, clock.now(), actor.name))
        uow.audit.append(
            audit.changed(
                actor,
                "oip_duty",
                f"{partner_id}:{item_key}",
                {"done": before.done if before is not None else 0},
                {"done": done},
                clock.now(),
            )
        )
        uow.commit()
    return duties_report(uow, actor, partner_id, on=on, program=program)


def set_profile(
    uow: UnitOfWork,
    actor: Actor,
    partner_id: str,
    product_lines: Iterable[str],
    flags: Iterable[str],
    *,
    program: StatusProgram,
    clock: Clock,
) -> DutyProfile:
    """Set the product lines ``partner_id`` sells and its flags (OIP-5)."""
    require_everywhere(actor, Permission.MANAGE_ORGANIZATION)
    terms = program.statuses
    known_lines, known_flags = _known(terms)
    lines, set_flags = frozenset(product_lines), frozenset(flags)
    problems = [
        f"product_lines: unknown {line!r}; known: {', '.join(sorted(known_lines))}"
        for line in sorted(lines - known_lines)
    ] + [
        f"flags: unknown {flag!r}; known: {', '.join(sorted(known_flags))}"
        for flag in sorted(set_flags - known_flags)
    ]
    if problems:
        raise InvalidInput(
            "; ".join(problems),
            field="product_lines" if lines - known_lines else "flags",
            rule="OIP-5",
        )
    profile = DutyProfile(partner_id, lines, set_flags, clock.now(), actor.name)
    with uow:
        before = uow.oip_duties.profile(partner_id)
        uow.oip_duties.save_profile(profile)
        uow.audit.append(
            audit.changed(
                actor,
                "oip_duty_profile",
                partner_id,
                {
                    "product_lines": sorted(before.product_lines) if before else [],
                    "flags": sorted(before.flags) if before else [],
                },
                {"product_lines": sorted(lines), "flags": sorted(set_flags)},
                clock.now(),
            )
        )
        uow.commit()
    return profile


def _known(terms: EarnedStatusTerms) -> tuple[frozenset[str], frozenset[str]]:
    lines = {line for s in terms.statuses for d in s.duties for line in d.product_lines}
    flags = {d.only_if for s in terms.statuses for d in s.duties if d.only_if is not None}
    return frozenset(lines), frozenset(flags)
