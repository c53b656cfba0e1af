"""The demo data set is deterministic, sized by the partner count, and well-formed."""

from __future__ import annotations

from decimal import Decimal

import pyarrow as pa
import pyarrow.compute as pc
import pytest

from alliance.demo.dataset import DemoSpec, generate
from alliance.domain.calendar import Month


@pytest.fixture(scope="module")
def dataset():  # type: ignore[no-untyped-def]
    return generate(DemoSpec(partners=300, seed=11, end_month=Month(2026, 10)))


def test_same_seed_gives_the_same_rows() -> None:
    spec = DemoSpec(partners=50, seed=3, end_month=Month(2026, 10))
    first, second = generate(spec), generate(spec)
    for (name, a), (_, b) in zip(first.tables(), second.tables(), strict=True):
        assert a.equals(b), name


def test_another_seed_gives_other_rows() -> None:
    a = generate(DemoSpec(partners=50, seed=3))
    b = generate(DemoSpec(partners=50, seed=4))
    assert not a.usage.equals(b.usage)


def test_partner_count_is_the_number_of_principal_partners(dataset) -> None:  # type: ignore[no-untyped-def]
    orgs = dataset.organizations
    principals = orgs.filter(
        pc.and_(pc.equal(orgs["kind"], "partner"), pc.is_null(orgs["parent_id"]))
    )
    assert principals.num_rows == 300


def test_every_associate_is_majority_owned_by_an_existing_principal(dataset) -> None:  # type: ignore[no-untyped-def]
    """OPN-1: associates are wholly- or majority-owned subsidiaries of a principal."""
    rows = dataset.organizations.to_pylist()
    by_id = {r["id"]: r for r in rows}
    associates = [r for r in rows if r["parent_id"] is not None]
    assert associates, "the demo must show hierarchies"
    for row in associates:
        parent = by_id[row["parent_id"]]
        assert parent["parent_id"] is None
        assert parent["kind"] == row["kind"]
        assert Decimal("50") < row["ownership_percent"] <= Decimal("100")


def test_usage_spans_24_months_ending_at_the_end_month(dataset) -> None:  # type: ignore[no-untyped-def]
    months = sorted(set(dataset.usage.column("month").to_pylist()))
    assert months[0] == "2024-11"
    assert months[-1] == "2026-10"
    assert len(months) == 24


def test_money_columns_are_exact_decimals_never_floats(dataset) -> None:  # type: ignore[no-untyped-def]
    """X-1: money is exact."""
    assert pa.types.is_decimal(dataset.usage.schema.field("unit_net_price").type)
    assert pa.types.is_decimal(dataset.usage.schema.field("quantity").type)
    assert pa.types.is_decimal(dataset.bookings.schema.field("amount").type)
    price = dataset.usage.column("unit_net_price")[0].as_py()
    assert isinstance(price, Decimal)


def test_every_partner_has_one_administrator(dataset) -> None:  # type: ignore[no-untyped-def]
    """OPN-10: the person who enrols a partner is its administrator."""
    people = dataset.people.to_pylist()
    admins = {p["organization_id"] for p in people if p["role"] == "partner_administrator"}
    partners = {r["id"] for r in dataset.organizations.to_pylist() if r["kind"] == "partner"}
    assert admins == partners


def test_deals_may_credit_an_influencer_other_than_the_transacting_partner(dataset) -> None:  # type: ignore[no-untyped-def]
    """PEX-3: one deal can credit a reseller and an influencer."""
    rows = dataset.bookings.to_pylist()
    influenced = [r for r in rows if r["influencer_partner_id"] is not None]
    assert influenced
    assert all(r["influencer_partner_id"] != r["transacting_partner_id"] for r in influenced)
