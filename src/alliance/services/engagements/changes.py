"""Editing a submitted engagement (CCE-5) and adding notes (CCE-5: at any time).

* What may change is the policy's table: account planning — contacts, notes, the
  engagement id; opportunity — products, quantities, durations, estimated close date,
  contact names, name. The customer (legal name and address) never; a closed deal
  (won or lost) nothing — every refused field is named, citing CCE-5.
* Product and close-date changes are routed to the vendor's sales team: the engagement
  is flagged for sales review and the edit says so.
* ``expected_version`` guards against editing a stale copy (409).
* Notes are appended at any time, even after the deal closed; a note quoting the
  vendor's opportunity id makes the next duplicate check use that id (CCE-4).

Each change bumps the engagement's version and is audited with what changed (X-4).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime

from alliance.domain import audit
from alliance.domain.access import Actor
from alliance.domain.clock import Clock
from alliance.domain.engagements import EditOutcome, EngagementChanges, plan_edit
from alliance.domain.errors import Conflict, InvalidInput
from alliance.services.engagements.access import (
    require_own_engagement,
    require_tool_user,
    visible_engagement,
)
from alliance.services.engagements.forms import EngagementEdit
from alliance.services.engagements.ports import EngagementRecord
from alliance.services.engagements.program import EngagementProgram
from alliance.services.engagements.queries import EngagementDetail, detail
from alliance.services.engagements.submissions import ENTITY, engagement_record
from alliance.services.ports import UnitOfWork

MAX_NOTE = 10_000


@dataclass(frozen=True)
class EditResult:
    """The engagement after the edit, and what the edit did (CCE-5), explained."""

    engagement: EngagementDetail
    outcome: EditOutcome


def _apply(
    uow: UnitOfWork,
    actor: Actor,
    record: EngagementRecord,
    outcome: EditOutcome,
    author: str,
    at: datetime,
) -> EngagementRecord:
    after = replace(
        record,
        engagement=outcome.engagement,
        version=record.version + 1,
        updated_at=at,
        sales_review=record.sales_review or outcome.needs_sales_review,
    )
    uow.engagements.update(after, author=author, at=at)
    uow.audit.append(
        audit.changed(
            actor,
            ENTITY,
            record.id,
            engagement_record(record) | {"notes": len(record.engagement.notes)},
            engagement_record(after) | {"notes": len(after.engagement.notes)},
            at,
            organization_id=record.partner_id,
        )
    )
    return after


def edit_engagement(
    uow: UnitOfWork,
    actor: Actor,
    engagement_id: str,
    edit: EngagementEdit,
    *,
    program: EngagementProgram,
    clock: Clock,
) -> EditResult:
    """Apply a partner's edit under CCE-5 (see the module doc)."""
    now = clock.now()
    with uow:
        record = visible_engagement(uow, actor, engagement_id, for_update=True)
        person, _access = require_tool_user(uow, actor, program, clock.today())
        require_own_engagement(person, record)
        if edit.expected_version is not None and edit.expected_version != record.version:
            raise Conflict(
                f"engagement {record.id} is at version {record.version}, not "
                f"{edit.expected_version}: reload it and edit again",
                field="expected_version",
                rule="X-7",
            )
        outcome = plan_edit(
            record.engagement, edit.changes, program.edits, program.attachment_categories
        )
        if outcome.applied:
            record = _apply(uow, actor, record, outcome, person.email, now)
        result = EditResult(detail(uow, actor, record), outcome)
        uow.commit()
    return result


def add_note(
    uow: UnitOfWork,
    actor: Actor,
    engagement_id: str,
    text: str,
    *,
    program: EngagementProgram,
    clock: Clock,
) -> EditResult:
    """CCE-5: a note can be added at any time, even after the deal closed."""
    cleaned = text.strip()
    if not cleaned:
        raise InvalidInput("a note has some text", field="text", rule="CCE-5")
    if len(cleaned) > MAX_NOTE:
        raise InvalidInput(f"a note is at most {MAX_NOTE} characters", field="text")
    return edit_engagement(
        uow,
        actor,
        engagement_id,
        EngagementEdit(EngagementChanges(add_notes=(cleaned,))),
        program=program,
        clock=clock,
    )
