"""The facts of earned tiers in SQL: :class:`SqlTierFactsStore` (issue 5, "Facts").

**Writing.** :meth:`SqlTierFactsStore.import_batch` takes an Arrow table in the kind's
layout (:mod:`alliance.batch.tier_facts`, plus the optional identifiers of
:data:`EXTRAS`) as one batch:

1. a batch key already stored for the kind adds nothing (X-5: rerunning an import);
2. every row gets a **fact key**, a SHA-256 digest of its natural key (:data:`KEYS`):

   =============== =====================================================
   partners        partner
   certifications  partner, person, certification, earned on
   customers       partner, customer, area, associated on
   usage           partner, area, month, customer, product — or, with neither
                   customer nor product, every column and the row's rank
                   among identical rows of its batch
   deployments     partner, deployment
   deals           deal
   members         partner, member type
   revenue         partner, line id — or, without a line id, every column
                   and the row's rank among identical rows of its batch
   orders          partner, order
   =============== =====================================================

3. a row whose fact is already stored — by this batch's earlier rows or any earlier
   batch — is **skipped** if it says the same thing (``known``: re-importing a file
   under another batch key adds nothing), and **refused** if it says something else
   (X-5: a fact is never silently replaced), except that a retirement date of a
   certification or an end date of a customer association may be **recorded** on a
   fact stored without one (``closed``);
4. every refused row is reported (its position in the table and its key, rule X-5 or
   X-7) and nothing is written; otherwise the new rows go in with ``executemany``,
   a few thousand at a time.

**Reading.** :meth:`SqlTierFactsStore.table` returns every stored fact of a kind, in
insertion order, exactly in its Arrow layout: exact ``decimal128(18, 4)`` amounts from
the database's exact decimals, never floats (X-1).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from itertools import islice
from typing import TYPE_CHECKING, Any

from sqlalchemy import Table, bindparam, func, insert, select, update
from sqlalchemy.orm import Session

from alliance.domain.clock import Clock
from alliance.domain.errors import InvalidInput, Problem
from alliance.services.tier_facts.ports import FactBatch, FactKind
from alliance.store.integrity import guarded
from alliance.store.tier_fact_tables import (
    KEY_LENGTH,
    tier_fact_batches,
    tier_fact_certifications,
    tier_fact_customers,
    tier_fact_deals,
    tier_fact_deployments,
    tier_fact_members,
    tier_fact_orders,
    tier_fact_partners,
    tier_fact_revenue,
    tier_fact_usage,
)

if TYPE_CHECKING:
    import pyarrow as pa

#: How many rows one ``executemany`` (or one key look-up) carries.
CHUNK = 5_000
#: How many refused rows an error lists (its message says how many there were).
MAX_PROBLEMS = 100
#: The decimals every amount of the layouts has (X-1).
PLACES = Decimal("0.0001")

TABLES: dict[FactKind, Table] = {
    FactKind.PARTNERS: tier_fact_partners,
    FactKind.CERTIFICATIONS: tier_fact_certifications,
    FactKind.CUSTOMERS: tier_fact_customers,
    FactKind.USAGE: tier_fact_usage,
    FactKind.DEPLOYMENTS: tier_fact_deployments,
    FactKind.DEALS: tier_fact_deals,
    FactKind.MEMBERS: tier_fact_members,
    FactKind.REVENUE: tier_fact_revenue,
    FactKind.ORDERS: tier_fact_orders,
}

KEYS: dict[FactKind, tuple[str, ...]] = {
    FactKind.PARTNERS: ("partner_id",),
    FactKind.CERTIFICATIONS: ("partner_id", "person_id", "certification_id", "earned_on"),
    FactKind.CUSTOMERS: ("partner_id", "customer_id", "area", "associated_on"),
    FactKind.USAGE: ("partner_id", "area", "month", "customer_id", "product"),
    FactKind.DEPLOYMENTS: ("partner_id", "deployment_id"),
    FactKind.DEALS: ("deal_id",),
    FactKind.MEMBERS: ("partner_id", "member_type"),
    FactKind.REVENUE: ("partner_id", "line_id"),
    FactKind.ORDERS: ("partner_id", "order_id"),
}
"""The natural key of each kind: two rows with the same key are the same fact."""

EXTRAS: dict[FactKind, tuple[str, ...]] = {
    FactKind.USAGE: ("customer_id", "product"),
    FactKind.DEPLOYMENTS: ("customer_id",),
    FactKind.REVENUE: ("line_id", "customer_id"),
}
"""Optional string columns a kind's rows may carry beyond its layout (``""`` if absent)."""

#: Identifiers without which a measure is known by its content and rank (see the doc).
IDENTIFIERS: dict[FactKind, tuple[str, ...]] = {
    FactKind.USAGE: ("customer_id", "product"),
    FactKind.REVENUE: ("line_id",),
}
#: The end date that may be recorded later on a fact stored without one.
CLOSES: dict[FactKind, str] = {
    FactKind.CERTIFICATIONS: "retired_on",
    FactKind.CUSTOMERS: "ended_on",
}
#: Amount columns (exact decimals with 4 places).
AMOUNTS = frozenset({"amount"})


def layout(kind: FactKind) -> pa.Schema:
    """The Arrow layout of ``kind`` (partners: with ``customer_segment``)."""
    from alliance.batch import tier_facts

    schemas = {
        FactKind.PARTNERS: tier_facts.PARTNERS_SCHEMA,
        FactKind.CERTIFICATIONS: tier_facts.CERTIFICATIONS_SCHEMA,
        FactKind.CUSTOMERS: tier_facts.CUSTOMERS_SCHEMA,
        FactKind.USAGE: tier_facts.MCPP_USAGE_SCHEMA,
        FactKind.DEPLOYMENTS: tier_facts.DEPLOYMENTS_SCHEMA,
        FactKind.DEALS: tier_facts.DEALS_SCHEMA,
        FactKind.MEMBERS: tier_facts.MEMBERS_SCHEMA,
        FactKind.REVENUE: tier_facts.REVENUE_SCHEMA,
        FactKind.ORDERS: tier_facts.ORDERS_SCHEMA,
    }
    return schemas[kind]


def batch_id(kind: FactKind, batch_key: str) -> str:
    digest = hashlib.sha256(f"{kind.value}\0{batch_key}".encode()).hexdigest()
    return f"tfb_{digest[:40]}"


@dataclass
class _Plan:
    """A batch sorted out: the rows to insert, to close, and what was refused."""

    new: list[dict[str, Any]] = field(default_factory=list)
    closes: list[dict[str, Any]] = field(default_factory=list)
    known: int = 0
    problems: list[Problem] = field(default_factory=list)


class SqlTierFactsStore:
    """Implements :class:`alliance.services.tier_facts.ports.TierFactsStore`."""

    def __init__(self, session: Session, clock: Clock) -> None:
        self._session = session
        self._clock = clock

    # -- writing ---------------------------------------------------------------------

    def add(self, kind: FactKind, rows: pa.Table, *, batch_key: str) -> int:
        """Add ``rows`` as one batch; the rows added (or closed). A stored batch key: 0."""
        outcome = self.import_batch(kind, rows, batch_key=batch_key)
        return outcome.added + outcome.closed

    def import_batch(
        self,
        kind: FactKind,
        rows: pa.Table,
        *,
        batch_key: str,
        source: str = "",
        imported_by: str = "",
    ) -> FactBatch:
        kind = FactKind(kind)
        _check_batch_key(batch_key)
        stored = self.batch(kind, batch_key)
        if stored is not None:
            return FactBatch(kind, batch_key, added=0, replayed=True)
        records = _records(kind, rows)
        plan = self._plan(kind, records)
        if plan.problems:
            raise InvalidInput(
                f"{len(plan.problems)} {kind.value} row(s) refused; nothing was stored",
                problems=plan.problems[:MAX_PROBLEMS],
            )
        identifier = batch_id(kind, batch_key)
        table = TABLES[kind]
        with guarded(self._session, tier_fact_batches, "fact batch"):
            self._session.execute(
                insert(tier_fact_batches),
                [
                    {
                        "id": identifier,
                        "kind": kind.value,
                        "batch_key": batch_key,
                        "source": source[:KEY_LENGTH],
                        "imported_by": imported_by[:KEY_LENGTH],
                        "imported_at": self._clock.now(),
                        "rows_added": len(plan.new),
                        "rows_known": plan.known,
                        "rows_closed": len(plan.closes),
                    }
                ],
            )
        with guarded(self._session, table, f"{kind.value} fact"):
            for chunk in _chunks(plan.new, CHUNK):
                for row in chunk:
                    row["batch_id"] = identifier
                self._session.execute(insert(table), chunk)
            if plan.closes:
                end = CLOSES[kind]
                statement = (
                    update(table)
                    .where(table.c.fact_key == bindparam("key"), table.c[end].is_(None))
                    .values({end: bindparam("end")})
                )
                for chunk in _chunks(plan.closes, CHUNK):
                    self._session.execute(statement, chunk)
        return FactBatch(kind, batch_key, len(plan.new), plan.known, len(plan.closes))

    def _plan(self, kind: FactKind, records: list[dict[str, Any]]) -> _Plan:
        plan = _Plan()
        columns = [name for name in records[0] if name != "fact_key"] if records else []
        stored = self._stored(kind, [record["fact_key"] for record in records], columns)
        end = CLOSES.get(kind)
        for position, record in enumerate(records):
            key = record["fact_key"]
            before = stored.get(key)
            if before is None:
                plan.new.append(record)
                stored[key] = {name: record[name] for name in columns}
                continue
            differ = [name for name in columns if before[name] != record[name]]
            if not differ:
                plan.known += 1
            elif end is not None and differ == [end] and before[end] is None:
                plan.closes.append({"key": key, "end": record[end]})
                before[end] = record[end]
            else:
                plan.problems.append(_conflict(kind, position, record, before, differ))
        return plan

    def _stored(
        self, kind: FactKind, keys: Sequence[str], columns: Sequence[str]
    ) -> dict[str, dict[str, Any]]:
        """The stored facts among ``keys``, by key, their ``columns`` normalised."""
        if not keys:
            return {}
        table = TABLES[kind]
        found: dict[str, dict[str, Any]] = {}
        wanted = sorted(set(keys))
        for chunk in _chunks(wanted, CHUNK):
            result = self._session.execute(
                select(table.c.fact_key, *(table.c[name] for name in columns)).where(
                    table.c.fact_key.in_(chunk)
                )
            )
            for row in result.mappings():
                found[row["fact_key"]] = {name: _normal(row[name]) for name in columns}
        return found

    # -- reading ---------------------------------------------------------------------

    def table(self, kind: FactKind) -> pa.Table:
        """Every stored fact of ``kind``, in insertion order, in its Arrow layout."""
        kind = FactKind(kind)
        if kind is FactKind.PARTNERS:
            return self.partners_table()
        import pyarrow as pa

        schema = layout(kind)
        table = TABLES[kind]
        result = self._session.execute(
            select(*(table.c[name] for name in schema.names)).order_by(table.c.id)
        )
        values: dict[str, list[Any]] = {name: [] for name in schema.names}
        for row in result:
            for name, value in zip(schema.names, row, strict=True):
                values[name].append(value)
        return pa.table(values, schema=schema)

    def partners_table(self, attributes: Sequence[str] | None = None) -> pa.Table:
        import pyarrow as pa

        from alliance.batch.tier_facts import partners_schema

        table = tier_fact_partners
        rows = self._session.execute(
            select(table.c.partner_id, table.c.attributes).order_by(table.c.id)
        ).all()
        names = (
            sorted({name for _, stored in rows for name in stored})
            if attributes is None
            else list(attributes)
        )
        columns: dict[str, list[str | None]] = {"partner_id": [row[0] for row in rows]}
        for name in names:
            columns[name] = [row[1].get(name) for row in rows]
        return pa.table(columns, schema=partners_schema(names))

    def count(self, kind: FactKind) -> int:
        table = TABLES[FactKind(kind)]
        return int(self._session.execute(select(func.count()).select_from(table)).scalar_one())

    def counts(self) -> dict[FactKind, int]:
        """How many facts of every kind are stored."""
        return {kind: self.count(kind) for kind in FactKind}

    def batch(self, kind: FactKind, batch_key: str) -> FactBatch | None:
        kind = FactKind(kind)
        row = (
            self._session.execute(
                select(tier_fact_batches).where(tier_fact_batches.c.id == batch_id(kind, batch_key))
            )
            .mappings()
            .first()
        )
        if row is None:
            return None
        return FactBatch(
            kind, row["batch_key"], row["rows_added"], row["rows_known"], row["rows_closed"]
        )


# -- rows of an Arrow table ------------------------------------------------------------


def _check_batch_key(batch_key: str) -> None:
    if not batch_key or len(batch_key) > KEY_LENGTH:
        raise InvalidInput(
            f"a batch key has 1 to {KEY_LENGTH} characters", field="batch_key", rule="X-5"
        )


def _records(kind: FactKind, rows: pa.Table) -> list[dict[str, Any]]:
    """``rows`` as dicts of the table's columns, each with its fact key. Arrow's values
    are already normal: amounts with 4 places, dates, lists."""
    conformed = _conform(kind, rows)
    keys = _fact_keys(kind, conformed)
    records: list[dict[str, Any]] = conformed.to_pylist()
    if kind is FactKind.PARTNERS:
        names = [name for name in conformed.schema.names if name != "partner_id"]
        records = [
            {
                "partner_id": record["partner_id"],
                "attributes": {name: record[name] for name in names if record[name] is not None},
            }
            for record in records
        ]
    for record, key in zip(records, keys, strict=True):
        record["fact_key"] = key
    return records


def _conform(kind: FactKind, rows: pa.Table) -> pa.Table:
    """``rows`` with the kind's layout columns (cast to their type) and its extras."""
    import pyarrow as pa

    if kind is FactKind.PARTNERS:
        from alliance.batch.tier_facts import partners_schema

        schema = partners_schema([name for name in rows.schema.names if name != "partner_id"])
    else:
        schema = layout(kind)
    extras = EXTRAS.get(kind, ())
    problems: list[Problem] = []
    columns: dict[str, pa.ChunkedArray] = {}
    wanted = list(schema) + [pa.field(name, pa.string()) for name in extras]
    for target in wanted:
        if target.name not in rows.schema.names:
            if target.name in extras:
                columns[target.name] = pa.chunked_array([pa.array([""] * rows.num_rows)])
            else:
                problems.append(Problem("column is missing", field=target.name, rule="X-7"))
            continue
        column = rows.column(target.name)
        if pa.types.is_floating(column.type):
            problems.append(
                Problem("is a float; amounts are exact decimals", field=target.name, rule="X-1")
            )
            continue
        if not target.nullable and column.null_count:
            problems.append(Problem("holds empty values", field=target.name, rule="X-7"))
            continue
        try:
            columns[target.name] = column.cast(target.type)
        except (pa.ArrowInvalid, pa.ArrowNotImplementedError) as error:
            rule = "X-1" if target.name in AMOUNTS else "X-7"
            problems.append(Problem(f"is not {target.type}: {error}", field=target.name, rule=rule))
    problems.extend(
        Problem("unknown column", field=name, rule="X-7")
        for name in rows.schema.names
        if name not in {target.name for target in wanted}
    )
    if problems:
        raise InvalidInput(f"the {kind.value} rows do not have the layout", problems=problems)
    return pa.table(columns)


def _normal(value: Any) -> Any:
    """A value as compared and stored: amounts with 4 places, lists as lists."""
    if isinstance(value, Decimal):
        return value.quantize(PLACES)
    if isinstance(value, tuple):
        return list(value)
    return value


def _fact_keys(kind: FactKind, table: pa.Table) -> list[str]:
    """The fact key of every row: the digest of its natural key, computed column-wise."""
    keyed = _joined(table, KEYS[kind], kind.value)
    if kind not in IDENTIFIERS:
        return [_sha(text) for text in keyed]
    # A measure (a revenue line, a month of usage) without its identifiers is known by
    # everything it says and its rank among identical rows of its batch: the same file
    # imported again matches, and two identical rows of one file stay two facts.
    content = _joined(table, table.column_names, f"{kind.value}-content")
    identified = _joined(table, IDENTIFIERS[kind], "")
    blank = "\x1f".join([""] * (len(IDENTIFIERS[kind]) + 1))
    ranks: dict[str, int] = {}
    keys = []
    for ids, by_id, said in zip(identified, keyed, content, strict=True):
        if ids != blank:
            keys.append(_sha(by_id))
            continue
        digest = _sha(said)
        rank = ranks.get(digest, 0)
        ranks[digest] = rank + 1
        keys.append(_digest((digest, str(rank))))
    return keys


def _joined(table: pa.Table, names: Sequence[str], prefix: str) -> list[str]:
    """Per row: ``prefix`` and the ``names`` columns as text, joined by ``\x1f`` (an
    empty value is ``\0``; amounts have their 4 places, dates are ``YYYY-MM-DD``)."""
    import pyarrow as pa
    import pyarrow.compute as pc

    parts = [pc.fill_null(table.column(name).cast(pa.string()), "\0") for name in names]
    if not parts or table.num_rows == 0:
        return [prefix] * table.num_rows
    joined = pc.binary_join_element_wise(pa.scalar(prefix), *parts, "\x1f")
    texts: list[str] = joined.to_pylist()
    return texts


def _text(value: Any) -> str:
    if value is None:
        return "\0"
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, list | dict):
        return json.dumps(value, sort_keys=True, default=str)
    return str(value)


def _sha(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def _digest(parts: Sequence[str]) -> str:
    return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()


def _conflict(
    kind: FactKind,
    position: int,
    record: Mapping[str, Any],
    before: Mapping[str, Any],
    differ: Sequence[str],
) -> Problem:
    key = ", ".join(f"{name}={_shown(record[name])}" for name in KEYS[kind])
    changes = "; ".join(
        f"{name} {_shown(before[name])} stored, {_shown(record[name])} given" for name in differ
    )
    return Problem(
        f"{kind.value} fact ({key}) is already stored or given earlier, saying otherwise: "
        f"{changes}; a stored fact is never replaced",
        field=differ[0],
        rule="X-5",
        location=f"#{position}",
    )


def _shown(value: Any) -> str:
    return "(empty)" if value is None else _text(value)


def _chunks(items: Sequence[Any], size: int) -> Iterator[list[Any]]:
    iterator = iter(items)
    while chunk := list(islice(iterator, size)):
        yield chunk
