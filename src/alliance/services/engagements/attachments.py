"""Attachments: documents with a category, added at any time (CCE-3, CCE-5; RWD-4).

* The category is one of the program's (``invoice``, ``statement_of_work``,
  ``miscellaneous`` by default); any category but *Miscellaneous* triggers a document
  review by the vendor (CCE-5). An *Invoice* is what a monetary payout needs (RWD-4).
* Limits: at most :attr:`AttachmentLimits.max_bytes` (10 MiB by default), and a type the
  program accepts (PDF, images, text, CSV, Word and Excel by default) — by extension,
  and the declared content type must agree. The name is reduced to a plain file name.
* The bytes are written under the attachments folder
  (``ALLIANCE_ATTACHMENTS_DIR``/``{engagement}/{attachment}{ext}``), then the metadata
  row and the audit record in the unit of work; if that fails, the file is removed.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from pathlib import Path, PurePosixPath, PureWindowsPath
from typing import BinaryIO

from alliance.domain import audit
from alliance.domain.access import Actor
from alliance.domain.clock import Clock
from alliance.domain.engagements import Attachment, EngagementChanges, plan_edit
from alliance.domain.errors import InvalidInput, NotFound
from alliance.domain.ids import new_id
from alliance.services.engagements.access import (
    require_own_engagement,
    require_tool_user,
    visible_engagement,
)
from alliance.services.engagements.changes import EditResult, _apply
from alliance.services.engagements.ports import AttachmentRecord
from alliance.services.engagements.program import EngagementProgram
from alliance.services.engagements.queries import detail
from alliance.services.ports import UnitOfWork

RULE = "CCE-5"
CHUNK = 1 << 16
_UNSAFE = re.compile(r"[^A-Za-z0-9._ -]+")
GENERIC_TYPES = frozenset({"", "application/octet-stream"})


@dataclass(frozen=True)
class Upload:
    """A file as received: its name, declared content type, and a stream of its bytes."""

    name: str
    content_type: str
    stream: BinaryIO
    category: str


def safe_name(name: str) -> str:
    """A plain file name: no folders, no control or odd characters."""
    base = PureWindowsPath(PurePosixPath(name).name).name
    cleaned = _UNSAFE.sub("_", base).strip(" .")
    return cleaned[:200] or "attachment"


def _content_type(name: str, declared: str, program: EngagementProgram) -> str:
    suffix = Path(name).suffix.lower()
    allowed = program.limits.content_types
    if suffix not in allowed:
        raise InvalidInput(
            f"{name!r} is not an accepted type; accepted: {', '.join(sorted(allowed))}",
            field="file",
            rule=RULE,
        )
    expected = allowed[suffix]
    given = declared.split(";")[0].strip().lower()
    if given not in GENERIC_TYPES and given != expected:
        raise InvalidInput(
            f"{name!r} is declared as {given}, but a {suffix} file is {expected}",
            field="content_type",
            rule=RULE,
        )
    return expected


def _store(stream: BinaryIO, target: Path, limit: int) -> tuple[int, str]:
    """Copy ``stream`` to ``target`` up to ``limit`` bytes; its size and SHA-256."""
    target.parent.mkdir(parents=True, exist_ok=True)
    digest = hashlib.sha256()
    size = 0
    try:
        with target.open("xb") as out:
            while chunk := stream.read(CHUNK):
                size += len(chunk)
                if size > limit:
                    raise InvalidInput(
                        f"an attachment is at most {limit:,} bytes",
                        field="file",
                        rule=RULE,
                    )
                digest.update(chunk)
                out.write(chunk)
    except BaseException:
        target.unlink(missing_ok=True)
        raise
    if size == 0:
        target.unlink(missing_ok=True)
        raise InvalidInput("the file is empty", field="file", rule=RULE)
    return size, digest.hexdigest()


def attach(
    uow: UnitOfWork,
    actor: Actor,
    engagement_id: str,
    upload: Upload,
    *,
    program: EngagementProgram,
    clock: Clock,
) -> tuple[EditResult, AttachmentRecord]:
    """Add a document to an engagement (see the module doc)."""
    now = clock.now()
    name = safe_name(upload.name)
    category = upload.category.strip().lower()
    content_type = _content_type(name, upload.content_type, program)
    attachment_id = new_id("att")
    relative = f"{engagement_id}/{attachment_id}{Path(name).suffix.lower()}"
    target = program.attachments_dir / relative
    written = False
    try:
        with uow:
            record = visible_engagement(uow, actor, engagement_id, for_update=True)
            person, _access = require_tool_user(uow, actor, program, clock.today())
            require_own_engagement(person, record)
            outcome = plan_edit(
                record.engagement,
                EngagementChanges(add_attachments=(Attachment(name, category),)),
                program.edits,
                program.attachment_categories,
            )
            size, sha256 = _store(upload.stream, target, program.limits.max_bytes)
            written = True
            stored = AttachmentRecord(
                id=attachment_id,
                engagement_id=record.id,
                name=name,
                category=category,
                content_type=content_type,
                size=size,
                sha256=sha256,
                path=relative,
                needs_review=outcome.needs_document_review,
                uploaded_by=person.email,
                created_at=now,
            )
            uow.engagements.add_attachment(stored)
            uow.audit.append(
                audit.created(
                    actor,
                    "engagement_attachment",
                    attachment_id,
                    {
                        "engagement_id": record.id,
                        "name": name,
                        "category": category,
                        "size": size,
                        "sha256": sha256,
                        "needs_review": stored.needs_review,
                    },
                    now,
                    organization_id=record.partner_id,
                )
            )
            after = _apply(uow, actor, record, outcome, person.email, now)
            result = EditResult(detail(uow, actor, after), outcome)
            uow.commit()
    except BaseException:
        if written:
            target.unlink(missing_ok=True)
        raise
    return result, stored


def open_attachment(
    uow: UnitOfWork, actor: Actor, attachment_id: str, *, program: EngagementProgram
) -> tuple[AttachmentRecord, Path]:
    """An attachment's metadata and file, for whoever may see its engagement (X-6)."""
    with uow:
        found = uow.engagements.attachment(attachment_id)
        if found is None:
            raise NotFound(f"no attachment {attachment_id}", field="attachment_id")
        visible_engagement(uow, actor, found.engagement_id)
    return found, program.attachments_dir / found.path
