"""Earned-tier outcome tables (issue 5), on :data:`~alliance.store.tables.metadata`.

- ``tier_outcome_runs`` — one row per run: a program evaluated with one definition
  version on one date (unique ``(program_code, definition_version, as_of)``), the
  definition's content hash, when it was computed, its counts and the fingerprint of its
  outcomes (a rerun with the same fingerprint writes nothing; X-5).
- ``tier_outcomes`` — one row per partner and subject of a run: the result, whether it is
  held (a designation, status or tier; what the public may see, MCPP-6), the score as
  exact decimal text (X-1), the date it holds until, the explanation (X-3) and details as
  JSON text. ``program_code`` and ``as_of`` are copied from the run, so that a partner's
  latest outcomes and its history read one index.
- ``tier_enrolments`` — MCPP-8: a partner paid on ``enrolled_on``; ``areas`` are
  designated until ``anniversary``. One per partner, program and day (X-5).
"""

from __future__ import annotations

from sqlalchemy import (
    Boolean,
    Column,
    Date,
    ForeignKey,
    Index,
    Integer,
    String,
    Table,
    Text,
    UniqueConstraint,
)

from alliance.store.tables import ID_LENGTH, Json, metadata
from alliance.store.types import UtcDateTime

RUN_ID_LENGTH = 160
CODE_LENGTH = 64
VERSION_LENGTH = 32
SUBJECT_LENGTH = 16
RESULT_LENGTH = 64
SCORE_LENGTH = 64

tier_outcome_runs = Table(
    "tier_outcome_runs",
    metadata,
    Column("id", String(RUN_ID_LENGTH), primary_key=True),
    Column("program_code", String(CODE_LENGTH), nullable=False),
    Column("definition_version", String(VERSION_LENGTH), nullable=False),
    Column("as_of", Date(), nullable=False),
    Column("definition_hash", String(80), nullable=False),
    Column("evaluated_at", UtcDateTime(), nullable=False),
    Column("outcomes", Integer(), nullable=False),
    Column("partners", Integer(), nullable=False),
    Column("results", Json, nullable=False),
    Column("fingerprint", String(80), nullable=False),
    UniqueConstraint("program_code", "definition_version", "as_of"),
)

tier_outcomes = Table(
    "tier_outcomes",
    metadata,
    Column(
        "run_id",
        String(RUN_ID_LENGTH),
        ForeignKey("tier_outcome_runs.id", ondelete="CASCADE"),
        primary_key=True,
    ),
    Column("partner_id", String(ID_LENGTH), primary_key=True),
    Column("subject", String(SUBJECT_LENGTH), primary_key=True),
    Column("subject_id", String(CODE_LENGTH), primary_key=True),
    Column("program_code", String(CODE_LENGTH), nullable=False),
    Column("as_of", Date(), nullable=False),
    Column("result", String(RESULT_LENGTH), nullable=False),
    Column("held", Boolean(create_constraint=False), nullable=False),
    Column("score", String(SCORE_LENGTH), nullable=True),
    Column("until", Date(), nullable=True),
    Column("explanation", Text(), nullable=False),
    Column("details", Text(), nullable=False),
    Index("ix_tier_outcomes_program_code_partner_id_as_of", "program_code", "partner_id", "as_of"),
)

tier_enrolments = Table(
    "tier_enrolments",
    metadata,
    Column("program_code", String(CODE_LENGTH), primary_key=True),
    Column("partner_id", String(ID_LENGTH), primary_key=True),
    Column("enrolled_on", Date(), primary_key=True),
    Column("anniversary", Date(), nullable=False),
    Column("areas", Json, nullable=False),
    Column("recorded_at", UtcDateTime(), nullable=False),
)
