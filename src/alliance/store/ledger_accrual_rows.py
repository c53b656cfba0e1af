"""The rows of an accrual, for bulk runs: a fast equivalent of ``plan_accrual``.

Planning a lot through :func:`~alliance.domain.ledger.plan_accrual` builds a validated
lot, two validated legs and a posting, and fingerprints the command by reflection: it
costs more than inserting the rows. For an *ordinary* command — an
:class:`~alliance.domain.ledger.OpenLot` of plain values, with a well-formed unit, a
positive amount in the unit's places and its dates in order — :func:`fast_rows` writes
the very rows that ``plan_accrual``'s lot and posting give (same ids, same fingerprint,
same legs), without the objects. Any other command goes through ``plan_accrual``
itself (:func:`planned_rows`), which refuses bad input with the domain's own error.

As the batch engine is to the pure rules, the domain stays the reference: a property
test compares the two over random commands, and each batch checks the fingerprint of
its first ordinary command against the domain's (:func:`fast_path_agrees`) — on any
difference the run falls back to ``plan_accrual`` for every command.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from functools import lru_cache
from typing import Any

from alliance.domain.errors import InvalidInput
from alliance.domain.ledger import (
    AccountKind,
    Lot,
    OpenLot,
    Origin,
    Posting,
    PostingKind,
    Unit,
    fingerprint,
    id_for,
)
from alliance.domain.ledger.postings import OPENING_KINDS
from alliance.store.ledger_rows import (
    account_id_of,
    account_row,
    leg_rows,
    lot_row,
    posting_row,
    tag_rows,
)

Row = dict[str, Any]
_SOURCE, _WALLET = AccountKind.SOURCE.value, AccountKind.WALLET.value


@dataclass
class AccrualRows:
    """The rows a batch of accruals inserts, table by table, in command order."""

    accounts: dict[str, Row] = field(default_factory=dict)
    postings: list[Row] = field(default_factory=list)
    lots: list[Row] = field(default_factory=list)
    tags: list[Row] = field(default_factory=list)
    legs: list[Row] = field(default_factory=list)


def planned_rows(lot: Lot, posting: Posting, into: AccrualRows) -> str:
    """Add the rows of ``plan_accrual``'s lot and posting; the request fingerprint."""
    for leg in posting.legs:
        row = account_row(leg.account)
        into.accounts[row["id"]] = row
    into.postings.append(posting_row(posting))
    into.lots.append(lot_row(lot, posting.id))
    into.tags += tag_rows(lot)
    into.legs += leg_rows(posting)
    return posting.request


def fast_rows(command: OpenLot, recorded_at: datetime, into: AccrualRows) -> str | None:
    """Add the rows ``plan_accrual(command)`` would give and return the fingerprint;
    ``None`` (nothing added) when ``command`` is not ordinary."""
    if not is_ordinary(command):
        return None
    key, origin, amount = command.idempotency_key, command.origin, command.amount
    owner, wallet, unit = command.owner, command.wallet, command.unit
    posting_id, lot_id = id_for("pst", key), id_for("lot", key)
    source = account_id_of(None, wallet, unit, _SOURCE)
    target = account_id_of(owner, wallet, unit, _WALLET)
    request = fast_fingerprint(command)
    into.accounts[source] = _account(source, None, wallet, unit, _SOURCE)
    into.accounts[target] = _account(target, owner, wallet, unit, _WALLET)
    into.postings.append(
        {
            "id": posting_id,
            "idempotency_key": key,
            "request": request,
            "kind": command.kind.value,
            "effective_on": command.accrued_on,
            "recorded_at": recorded_at,
            "memo": command.memo,
            "reverses": None,
            "hold_id": None,
            "lot_id": lot_id,
        }
    )
    into.lots.append(
        {
            "id": lot_id,
            "posting_id": posting_id,
            "account_id": target,
            "owner": owner,
            "wallet": wallet,
            "unit": unit,
            "amount": amount,
            "accrued_on": command.accrued_on,
            "expires_on": command.expires_on,
            "program": origin.program,
            "source_event": origin.source_event,
        }
    )
    into.tags += [{"lot_id": lot_id, "tag": tag} for tag in sorted(origin.tags)]
    into.legs += [
        {
            "posting_id": posting_id,
            "seq": 0,
            "account_id": source,
            "lot_id": lot_id,
            "amount": -amount,
        },
        {
            "posting_id": posting_id,
            "seq": 1,
            "account_id": target,
            "lot_id": lot_id,
            "amount": amount,
        },
    ]
    return request


def is_ordinary(command: OpenLot) -> bool:
    """Plain values that ``plan_accrual`` accepts: see the module docstring."""
    origin, amount = command.origin, command.amount
    if not (
        type(command) is OpenLot
        and type(origin) is Origin
        and type(command.kind) is PostingKind
        and command.kind in OPENING_KINDS
        and all(type(text) is str for text in _texts(command))
        and all(type(tag) is str for tag in origin.tags)
        and command.owner.strip()
        and command.wallet.strip()
        and type(amount) is Decimal
        and type(command.accrued_on) is date
    ):
        return False
    unit = _unit(command.unit)
    expires_on = command.expires_on
    return (
        unit is not None
        and unit.allows(amount)
        and amount > 0
        and (expires_on is None or (type(expires_on) is date and expires_on >= command.accrued_on))
    )


def fast_fingerprint(command: OpenLot) -> str:
    """:func:`~alliance.domain.ledger.fingerprint` of an ordinary ``OpenLot``, written out."""
    origin = command.origin
    tags = ",".join(sorted(repr(tag) for tag in origin.tags))
    expires_on = "None" if command.expires_on is None else repr(command.expires_on.isoformat())
    amount = format(command.amount.normalize(), "f") if command.amount else "0"
    text = (
        f"OpenLot(owner={command.owner!r},wallet={command.wallet!r},unit={command.unit!r},"
        f"amount={amount},accrued_on={command.accrued_on.isoformat()!r},"
        f"expires_on={expires_on},origin=Origin(program={origin.program!r},"
        f"source_event={origin.source_event!r},tags={{{tags}}}),kind={command.kind.value!r})"
    )
    return hashlib.sha256(text.encode()).hexdigest()


def fast_path_agrees(command: OpenLot) -> bool:
    """True when the fast fingerprint of ``command`` is the domain's (see module doc)."""
    return fast_fingerprint(command) == fingerprint(command)


def _texts(command: OpenLot) -> tuple[object, ...]:
    origin = command.origin
    return (
        command.idempotency_key,
        command.owner,
        command.wallet,
        command.unit,
        command.memo,
        origin.program,
        origin.source_event,
    )


@lru_cache(maxsize=256)
def _unit(code: str) -> Unit | None:
    try:
        return Unit.of(code)
    except InvalidInput:
        return None


def _account(account_id: str, owner: str | None, wallet: str, unit: str, kind: str) -> Row:
    return {"id": account_id, "owner": owner, "wallet": wallet, "unit": unit, "kind": kind}
