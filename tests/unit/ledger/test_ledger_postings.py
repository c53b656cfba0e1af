"""Postings are balanced, exact and immutable; units keep their decimals (X-1, X-5)."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest

from alliance.domain.errors import BusinessRuleViolation, InvalidInput
from alliance.domain.ledger import (
    AccountKey,
    AccountKind,
    Leg,
    Origin,
    Posting,
    PostingKind,
    Redeem,
    UnbalancedPosting,
    Unit,
    fingerprint,
    id_for,
)

NOW = datetime(2024, 1, 10, 9, 30, tzinfo=UTC)
WALLET = AccountKey("acme", "credits", "USD", AccountKind.WALLET)
SPENT = AccountKey("acme", "credits", "USD", AccountKind.SPENT)
POINTS_WALLET = AccountKey("acme", "pex", "POINTS", AccountKind.WALLET)
POINTS_SPENT = AccountKey("acme", "pex", "POINTS", AccountKind.SPENT)


def posting(*legs: Leg, key: str = "k-1") -> Posting:
    return Posting(
        id=id_for("pst", key),
        idempotency_key=key,
        request="r",
        kind=PostingKind.REDEEM,
        effective_on=date(2024, 1, 10),
        recorded_at=NOW,
        legs=legs,
    )


def test_unbalanced_posting_is_refused() -> None:
    with pytest.raises(UnbalancedPosting, match=r"sum to -10\.00 USD") as refused:
        posting(Leg(WALLET, Decimal("-100"), "lot_a"), Leg(SPENT, Decimal("90"), "lot_a"))
    assert isinstance(refused.value, BusinessRuleViolation)
    assert refused.value.code == "unbalanced_posting"


def test_legs_balance_per_unit_not_across_units() -> None:
    """100 USD out and 100 POINTS in is not a balanced posting: units never mix (X-1)."""
    with pytest.raises(UnbalancedPosting):
        posting(Leg(WALLET, Decimal("-100"), "lot_a"), Leg(POINTS_SPENT, Decimal("100"), "lot_a"))


def test_a_posting_may_move_several_units_if_each_balances() -> None:
    both = posting(
        Leg(WALLET, Decimal("-5"), "lot_a"),
        Leg(SPENT, Decimal("5"), "lot_a"),
        Leg(POINTS_WALLET, Decimal("-3"), "lot_p"),
        Leg(POINTS_SPENT, Decimal("3"), "lot_p"),
    )
    assert both.units == ("POINTS", "USD")
    assert both.lot_ids == ("lot_a", "lot_p")


def test_a_zero_leg_is_refused() -> None:
    with pytest.raises(InvalidInput, match="non-zero"):
        Leg(SPENT, Decimal("0.00"), "lot_a")


def test_an_amount_finer_than_the_unit_is_refused() -> None:
    """X-1: cents for USD, whole points for POINTS."""
    with pytest.raises(InvalidInput, match="more than 2 decimal"):
        Leg(SPENT, Decimal("1.005"), "lot_a")
    with pytest.raises(InvalidInput, match="more than 0 decimal"):
        Leg(POINTS_SPENT, Decimal("1.5"), "lot_p")
    assert Leg(SPENT, Decimal("1.500"), "lot_a").amount == Decimal("1.5")  # trailing zeros


def test_a_float_is_never_an_amount() -> None:
    with pytest.raises(InvalidInput, match="never a float"):
        Leg(SPENT, 1.5, "lot_a")  # type: ignore[arg-type]


def test_wallet_and_held_legs_must_name_their_lot() -> None:
    with pytest.raises(InvalidInput, match="must name the lot"):
        Leg(WALLET, Decimal("-1"))
    assert Leg(SPENT, Decimal("1")).lot_id is None


def test_only_a_source_account_has_no_owner() -> None:
    assert AccountKey.source("credits", "USD").owner is None
    with pytest.raises(InvalidInput, match="needs owner"):
        AccountKey(None, "credits", "USD", AccountKind.WALLET)
    with pytest.raises(InvalidInput, match="has no owner"):
        AccountKey("acme", "credits", "USD", AccountKind.SOURCE)


def test_units_know_their_decimals() -> None:
    assert Unit.of("USD").places == 2 and Unit.of("USD").is_money
    assert Unit.of("JPY").places == 0
    assert Unit.of("POINTS").places == 0 and not Unit.of("POINTS").is_money
    assert Unit.of("CREDITS").places == 2
    with pytest.raises(InvalidInput, match="unit"):
        Unit.of("usd")


def test_reversal_mirrors_every_leg() -> None:
    original = posting(Leg(WALLET, Decimal("-40"), "lot_a"), Leg(SPENT, Decimal("40"), "lot_a"))
    mirror = original.reversal(
        idempotency_key="undo", request="r2", effective_on=date(2024, 2, 1), recorded_at=NOW
    )
    assert mirror.kind is PostingKind.REVERSE
    assert mirror.reverses == original.id
    assert [(leg.account, leg.amount, leg.lot_id) for leg in mirror.legs] == [
        (WALLET, Decimal("40"), "lot_a"),
        (SPENT, Decimal("-40"), "lot_a"),
    ]


def test_only_a_reversal_names_what_it_reverses() -> None:
    with pytest.raises(InvalidInput, match="reversal"):
        Posting(
            id="p",
            idempotency_key="k",
            request="r",
            kind=PostingKind.REVERSE,
            effective_on=date(2024, 1, 1),
            recorded_at=NOW,
            legs=(Leg(WALLET, Decimal("-1"), "lot_a"), Leg(SPENT, Decimal("1"), "lot_a")),
        )


def test_ids_are_derived_from_the_key_so_a_replay_names_the_same_posting() -> None:
    assert id_for("pst", "osr:2024-01:acme") == id_for("pst", "osr:2024-01:acme")
    assert id_for("pst", "a") != id_for("pst", "b")
    assert id_for("lot", "a").startswith("lot_")


def test_a_fingerprint_ignores_the_key_and_the_memo_but_not_the_amount() -> None:
    def redeem(key: str, amount: str, memo: str = "") -> Redeem:
        return Redeem(key, "acme", "credits", "USD", Decimal(amount), memo=memo)

    assert fingerprint(redeem("a", "10")) == fingerprint(redeem("b", "10.00", memo="invoice 7"))
    assert fingerprint(redeem("a", "10")) != fingerprint(redeem("a", "10.01"))


def test_an_origin_keeps_its_tags_as_a_frozen_set() -> None:
    origin = Origin("opn", "engagement-42", frozenset({"public_sector"}))
    assert "public_sector" in origin.tags
