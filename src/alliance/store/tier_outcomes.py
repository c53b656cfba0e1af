"""Outcomes of earned-tier evaluations in SQL: :class:`SqlOutcomeStore` (issue 5).

Saving a run is set-based: the outcomes become plain rows (the explanation and details
as JSON text, the score as exact decimal text; X-1, X-3), a fingerprint of those rows is
compared with the stored run's — equal, nothing is written (X-5) — else the run's old
outcomes are deleted and the new ones inserted with ``executemany`` in chunks.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Sequence
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import Select, and_, delete, func, insert, select, update
from sqlalchemy.engine import Connection, Row
from sqlalchemy.orm import Session

from alliance.domain.clock import Clock
from alliance.domain.explanations import Explanation, Reason, Step
from alliance.domain.outcomes import Outcome, Run, RunKey, Subject, count_results
from alliance.domain.scoring import Enrolment
from alliance.services.evaluation.ports import EnrolmentRecord, SavedRun
from alliance.store.integrity import guarded
from alliance.store.tier_outcome_tables import tier_enrolments, tier_outcome_runs, tier_outcomes

#: Rows per ``executemany``.
CHUNK = 5_000


def run_id(key: RunKey) -> str:
    return f"{key.program_code}:{key.definition_version}:{key.as_of.isoformat()}"


_ENCODE = json.JSONEncoder(separators=(",", ":"), ensure_ascii=False).encode
_ENCODE_SORTED = json.JSONEncoder(separators=(",", ":"), ensure_ascii=False, sort_keys=True).encode


def explanation_json(explanation: Explanation) -> str:
    """The explanation as JSON text; decimals as strings, never floats (X-1, X-3)."""
    data: dict[str, Any] = {"summary": explanation.summary}
    if explanation.reasons:
        data["reasons"] = [[r.rule, r.message] for r in explanation.reasons]
    if explanation.gap is not None:
        data["gap"] = str(explanation.gap)
    if explanation.next_threshold is not None:
        data["next_threshold"] = explanation.next_threshold
    if explanation.steps:
        data["steps"] = [
            [s.what, str(s.units), str(s.gain), s.message, s.rule] for s in explanation.steps
        ]
    return _ENCODE(data)


def explanation_of(text: str) -> Explanation:
    data = json.loads(text)
    gap = data.get("gap")
    return Explanation(
        data["summary"],
        tuple(Reason(rule, message) for rule, message in data.get("reasons", ())),
        Decimal(gap) if gap is not None else None,
        data.get("next_threshold"),
        tuple(
            Step(what, Decimal(units), Decimal(gain), message, rule)
            for what, units, gain, message, rule in data.get("steps", ())
        ),
    )


#: The columns of ``tier_outcomes`` in the order :func:`_row` gives them.
COLUMNS = tuple(c.name for c in tier_outcomes.c)
_FINGERPRINTED = tuple(
    COLUMNS.index(c)
    for c in (
        "partner_id",
        "subject",
        "subject_id",
        "result",
        "held",
        "score",
        "until",
        "explanation",
        "details",
    )
)

Values = tuple[Any, ...]


def _row(run: str, outcome: Outcome, encoded: dict[int, str] | None = None) -> Values:
    """The row of ``outcome`` in :data:`COLUMNS` order. ``encoded`` memoises the JSON of
    explanations by object: an evaluator that shares one explanation among the outcomes
    of the same shape (MCPP) has it encoded once — the outcomes hold the objects alive
    for the call, so an id is not reused meanwhile."""
    explanation = outcome.explanation
    if encoded is None:
        text = explanation_json(explanation)
    else:
        found = encoded.get(id(explanation))
        text = encoded[id(explanation)] = (
            found if found is not None else explanation_json(explanation)
        )
    return (
        run,
        outcome.partner_id,
        outcome.subject.value,
        outcome.subject_id,
        outcome.program_code,
        outcome.as_of,
        outcome.result,
        outcome.held,
        None if outcome.score is None else str(outcome.score),
        outcome.until,
        text,
        _ENCODE_SORTED(dict(outcome.details)),
    )


def fingerprint(rows: Sequence[Values]) -> str:
    """``sha256:`` of the rows' content in key order: the same outcomes, the same print."""
    digest = hashlib.sha256()
    for row in sorted(rows, key=lambda r: (r[1], r[2], r[3])):
        digest.update("\x1f".join([str(row[c]) for c in _FINGERPRINTED]).encode())
        digest.update(b"\x1e")
    return "sha256:" + digest.hexdigest()


def insert_rows(connection: Connection, rows: Sequence[Values]) -> None:
    """Insert ``rows`` fast, on the connection's transaction: ``COPY`` on PostgreSQL, the
    driver's ``executemany`` on SQLite (dates as ISO text and flags as 0/1, as the
    SQLAlchemy types store them there)."""
    driver: Any = connection.connection.driver_connection
    assert driver is not None, "a checked-out connection has its driver connection"
    names = ", ".join(COLUMNS)
    if connection.dialect.name == "postgresql":
        with (
            driver.cursor() as cursor,
            cursor.copy(f"COPY tier_outcomes ({names}) FROM STDIN") as copy,
        ):
            for row in rows:
                copy.write_row(row)
        return
    dates = (COLUMNS.index("as_of"), COLUMNS.index("until"))
    flag = COLUMNS.index("held")
    marks = ", ".join("?" for _ in COLUMNS)
    statement = f"INSERT INTO tier_outcomes ({names}) VALUES ({marks})"
    cursor = driver.cursor()
    try:
        for start in range(0, len(rows), CHUNK):
            chunk = []
            for row in rows[start : start + CHUNK]:
                values = list(row)
                for d in dates:
                    if values[d] is not None:
                        values[d] = values[d].isoformat()
                values[flag] = 1 if values[flag] else 0
                chunk.append(values)
            cursor.executemany(statement, chunk)
    finally:
        cursor.close()


def _outcome(row: Row[Any], version: str) -> Outcome:
    return Outcome(
        program_code=row.program_code,
        definition_version=version,
        as_of=row.as_of,
        partner_id=row.partner_id,
        subject=Subject(row.subject),
        subject_id=row.subject_id,
        result=row.result,
        score=None if row.score is None else Decimal(row.score),
        explanation=explanation_of(row.explanation),
        held=bool(row.held),
        until=row.until,
        details=json.loads(row.details),
    )


def _run(row: Row[Any]) -> Run:
    return Run(
        key=RunKey(row.program_code, row.definition_version, row.as_of),
        definition_hash=row.definition_hash,
        evaluated_at=row.evaluated_at,
        outcomes=row.outcomes,
        partners=row.partners,
        results=dict(row.results),
        fingerprint=row.fingerprint,
    )


_OUTCOME_COLUMNS = (*tier_outcomes.c, tier_outcome_runs.c.definition_version)


class SqlOutcomeStore:
    """Implements :class:`alliance.services.evaluation.ports.OutcomeStore`."""

    def __init__(self, session: Session, clock: Clock) -> None:
        self._session = session
        self._clock = clock

    # -- runs -----------------------------------------------------------------------------

    def save_run(self, run: Run, outcomes: Iterable[Outcome]) -> SavedRun:
        rid = run_id(run.key)
        items = list(outcomes)
        for outcome in items:
            if outcome.run != run.key:
                raise ValueError(f"an outcome of run {outcome.run} saved with run {run.key}")
        encoded: dict[int, str] = {}
        rows = [_row(rid, o, encoded) for o in items]
        print_ = fingerprint(rows)
        stored = self.run(run.key)
        if stored is not None and stored.fingerprint == print_:
            return SavedRun(stored, written=False, replaced=0)
        saved = Run(
            run.key,
            run.definition_hash,
            run.evaluated_at,
            len(rows),
            len({o.partner_id for o in items}),
            count_results(items),
            print_,
        )
        values = {
            "definition_hash": saved.definition_hash,
            "evaluated_at": saved.evaluated_at,
            "outcomes": saved.outcomes,
            "partners": saved.partners,
            "results": dict(saved.results),
            "fingerprint": saved.fingerprint,
        }
        connection = self._session.connection()
        replaced = 0
        with guarded(self._session, tier_outcomes, "outcome"):
            if stored is None:
                connection.execute(
                    insert(tier_outcome_runs).values(
                        id=rid,
                        program_code=run.key.program_code,
                        definition_version=run.key.definition_version,
                        as_of=run.key.as_of,
                        **values,
                    )
                )
            else:
                replaced = connection.execute(
                    delete(tier_outcomes).where(tier_outcomes.c.run_id == rid)
                ).rowcount
                connection.execute(
                    update(tier_outcome_runs).where(tier_outcome_runs.c.id == rid).values(**values)
                )
            insert_rows(connection, rows)
        return SavedRun(saved, written=True, replaced=replaced)

    def run(self, key: RunKey) -> Run | None:
        row = self._session.execute(
            select(tier_outcome_runs).where(tier_outcome_runs.c.id == run_id(key))
        ).first()
        return None if row is None else _run(row)

    def runs(self, program_code: str) -> list[Run]:
        rows = self._session.execute(
            select(tier_outcome_runs)
            .where(tier_outcome_runs.c.program_code == program_code)
            .order_by(tier_outcome_runs.c.as_of.desc(), tier_outcome_runs.c.evaluated_at.desc())
        )
        return [_run(row) for row in rows]

    def latest_run(self, program_code: str, *, on_or_before: date | None = None) -> Run | None:
        query = select(tier_outcome_runs).where(tier_outcome_runs.c.program_code == program_code)
        if on_or_before is not None:
            query = query.where(tier_outcome_runs.c.as_of <= on_or_before)
        row = self._session.execute(
            query.order_by(
                tier_outcome_runs.c.as_of.desc(), tier_outcome_runs.c.evaluated_at.desc()
            ).limit(1)
        ).first()
        return None if row is None else _run(row)

    # -- outcomes -------------------------------------------------------------------------

    def _joined(self) -> Select[Any]:
        return select(*_OUTCOME_COLUMNS).join(
            tier_outcome_runs, tier_outcome_runs.c.id == tier_outcomes.c.run_id
        )

    def _read(self, query: Select[Any]) -> list[Outcome]:
        return [_outcome(row, row.definition_version) for row in self._session.execute(query)]

    def outcomes(
        self,
        key: RunKey,
        *,
        partner_ids: Sequence[str] | None = None,
        subject: Subject | None = None,
    ) -> list[Outcome]:
        query = self._joined().where(tier_outcomes.c.run_id == run_id(key))
        if partner_ids is not None:
            query = query.where(tier_outcomes.c.partner_id.in_(list(partner_ids)))
        if subject is not None:
            query = query.where(tier_outcomes.c.subject == subject.value)
        return self._read(
            query.order_by(
                tier_outcomes.c.partner_id, tier_outcomes.c.subject, tier_outcomes.c.subject_id
            )
        )

    def latest(
        self,
        program_code: str,
        partner_ids: Sequence[str] | None = None,
        *,
        on_or_before: date | None = None,
        held_only: bool = False,
    ) -> list[Outcome]:
        conditions = [tier_outcomes.c.program_code == program_code]
        if partner_ids is not None:
            conditions.append(tier_outcomes.c.partner_id.in_(list(partner_ids)))
        if on_or_before is not None:
            conditions.append(tier_outcomes.c.as_of <= on_or_before)
        rank = (
            func.dense_rank()
            .over(
                partition_by=tier_outcomes.c.partner_id,
                order_by=(
                    tier_outcome_runs.c.as_of.desc(),
                    tier_outcome_runs.c.evaluated_at.desc(),
                ),
            )
            .label("rank")
        )
        ranked = (
            select(*_OUTCOME_COLUMNS, rank)
            .join(tier_outcome_runs, tier_outcome_runs.c.id == tier_outcomes.c.run_id)
            .where(and_(*conditions))
            .subquery()
        )
        query = select(ranked).where(ranked.c.rank == 1)
        if held_only:
            query = query.where(ranked.c.held.is_(True))
        query = query.order_by(ranked.c.partner_id, ranked.c.subject, ranked.c.subject_id)
        return [_outcome(row, row.definition_version) for row in self._session.execute(query)]

    def history(
        self,
        program_code: str,
        partner_id: str,
        *,
        subject: Subject | None = None,
        before: date | None = None,
    ) -> list[Outcome]:
        query = self._joined().where(
            tier_outcomes.c.program_code == program_code,
            tier_outcomes.c.partner_id == partner_id,
        )
        if subject is not None:
            query = query.where(tier_outcomes.c.subject == subject.value)
        if before is not None:
            query = query.where(tier_outcomes.c.as_of < before)
        return self._read(
            query.order_by(
                tier_outcomes.c.as_of,
                tier_outcome_runs.c.evaluated_at,
                tier_outcomes.c.subject,
                tier_outcomes.c.subject_id,
            )
        )

    # -- enrolments (MCPP-8) --------------------------------------------------------------

    def add_enrolment(self, record: EnrolmentRecord) -> bool:
        key = and_(
            tier_enrolments.c.program_code == record.program_code,
            tier_enrolments.c.partner_id == record.partner_id,
            tier_enrolments.c.enrolled_on == record.enrolment.enrolled_on,
        )
        if self._session.execute(select(tier_enrolments.c.partner_id).where(key)).first():
            return False
        with guarded(self._session, tier_enrolments, "enrolment"):
            self._session.execute(
                insert(tier_enrolments).values(
                    program_code=record.program_code,
                    partner_id=record.partner_id,
                    enrolled_on=record.enrolment.enrolled_on,
                    anniversary=record.enrolment.anniversary,
                    areas=sorted(record.enrolment.areas),
                    recorded_at=self._clock.now(),
                )
            )
        return True

    def enrolments(
        self, program_code: str, partner_ids: Sequence[str] | None = None
    ) -> dict[str, list[Enrolment]]:
        query = select(tier_enrolments).where(tier_enrolments.c.program_code == program_code)
        if partner_ids is not None:
            query = query.where(tier_enrolments.c.partner_id.in_(list(partner_ids)))
        out: dict[str, list[Enrolment]] = {}
        for row in self._session.execute(
            query.order_by(tier_enrolments.c.partner_id, tier_enrolments.c.enrolled_on)
        ):
            out.setdefault(row.partner_id, []).append(
                Enrolment(row.enrolled_on, row.anniversary, frozenset(row.areas))
            )
        return out
