"""Parsing the files of an OSR scenario: every bad cell located, named and ruled (X-7, X-1)."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pyarrow as pa
import pytest

from alliance.batch.usage_schema import QUANTITY, UNIT_NET_PRICE, USAGE_SCHEMA
from alliance.domain.errors import InvalidInput
from alliance.services.imports.columns import ColumnTypeError, parse_decimal, parse_flag
from alliance.services.imports.csv_rows import CsvFile
from alliance.services.imports.usage_rows import KnownFacts, check_batch, row_problems
from alliance.services.imports.usage_sources import UsageFormat, UsageSource, column_problems


def _csv(tmp_path: Path, text: str, name: str = "rows.csv") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


# -- small files, row by row ------------------------------------------------------------


def test_booleans_are_true_false_1_0_yes_no_in_any_case(tmp_path: Path) -> None:
    path = _csv(tmp_path, "flag\ntrue\nFALSE\n1\n0\nYes\nno\nmaybe\n")
    file = CsvFile(path, "rows.csv", ("flag",))
    values = [row.flag("flag") for row in file.rows()]
    assert values == [True, False, True, False, True, False, None]
    assert [str(p) for p in file.problems] == [
        "rows.csv:8: flag: must be true/false, 1/0 or yes/no, got 'maybe' [X-7]"
    ]


def test_amounts_are_exact_plain_decimals_within_the_minor_unit(tmp_path: Path) -> None:
    """X-1: exact, never rounded; 1e3 is not an amount; negative ones are refused."""
    path = _csv(tmp_path, "amount,note\n1250.00,a\n12.5,b\n7,c\n1.005,d\n-3,e\n1e3,f\n\n,g\n")
    file = CsvFile(path, "rows.csv", ("amount", "note"))
    values = [row.amount("amount", 2) for row in file.rows()]
    assert values[:3] == [Decimal("1250.00"), Decimal("12.5"), Decimal("7")]
    assert values[3:] == [None, None, None, None]
    assert [(p.location, p.rule) for p in file.problems] == [
        ("rows.csv:5", "X-1"),  # 1.005: three places for a two-place currency
        ("rows.csv:6", "X-7"),  # -3
        ("rows.csv:7", "X-1"),  # 1e3
        ("rows.csv:9", "X-7"),  # empty: required (line 8 is blank and skipped)
    ]


def test_dates_are_written_yyyy_mm_dd(tmp_path: Path) -> None:
    path = _csv(tmp_path, "day\n2022-02-15\n15/02/2022\n")
    file = CsvFile(path, "rows.csv", ("day",))
    assert [row.day("day") for row in file.rows()][1] is None
    assert file.problems[0].rule == "X-2" and file.problems[0].location == "rows.csv:3"


def test_the_header_names_every_required_column_and_no_unknown_one(tmp_path: Path) -> None:
    path = _csv(tmp_path, "a,c,c,zz\n1,2,3,4\n")
    file = CsvFile(path, "rows.csv", ("a", "b"), ("c",))
    assert list(file.rows()) == []
    assert {(p.field, p.message) for p in file.problems} == {
        ("b", "column is missing"),
        ("c", "column appears more than once"),
        ("zz", "unknown column"),
    }
    with pytest.raises(InvalidInput) as refused:
        file.raise_if_any("customers")
    assert "nothing imported" in refused.value.message


def test_a_row_with_too_few_cells_is_located(tmp_path: Path) -> None:
    path = _csv(tmp_path, "a,b\n1,2\n3\n")
    file = CsvFile(path, "rows.csv", ("a", "b"))
    assert len(list(file.rows())) == 1
    assert str(file.problems[0]) == "rows.csv:3: line: has 1 cell(s), the header 2 [X-7]"


def test_id_lists_are_separated_by_semicolons(tmp_path: Path) -> None:
    path = _csv(tmp_path, "ids\ncus_a; cus_b;cus_c\n")
    assert next(CsvFile(path, "rows.csv", ("ids",)).rows()).ids("ids") == [
        "cus_a",
        "cus_b",
        "cus_c",
    ]


# -- usage lines, vectorised ------------------------------------------------------------


def test_decimal_text_is_checked_for_sign_places_and_size() -> None:
    """X-1, X-7: each bad value fails exactly the check it breaks; good ones are exact."""
    texts = ["12.5", "-1", "1.23456", "123456789012345", "abc", "", "0.0001"]
    value, checks = parse_decimal(pa.array(texts), "quantity", QUANTITY)
    failing = {c.message: c.mask.to_pylist() for c in checks}
    assert failing["must be ≥ 0"] == [False, True, False, False, False, False, False]
    assert failing["has more than 4 decimal places"][2] is True
    assert failing["has more than 14 digits before the point"][3] is True
    assert failing["is not a decimal number such as 12.50"][4] is True
    assert failing["is required"][5] is True
    assert value.to_pylist()[0] == Decimal("12.5000")
    assert value.to_pylist()[6] == Decimal("0.0001")


def test_a_float_amount_column_is_refused_as_a_whole() -> None:
    """X-1: money is never a float."""
    with pytest.raises(ColumnTypeError) as refused:
        parse_decimal(pa.array([1.5, 2.0]), "unit_net_price", UNIT_NET_PRICE)
    assert (refused.value.field, refused.value.rule) == ("unit_net_price", "X-1")


def test_decimal_columns_of_another_scale_are_read_exactly() -> None:
    column = pa.array([Decimal("1.5"), Decimal("2.25")], pa.decimal128(10, 2))
    value, checks = parse_decimal(column, "quantity", QUANTITY)
    assert value.to_pylist() == [Decimal("1.5000"), Decimal("2.2500")]
    assert not any(c.any() for c in checks)


def test_flags_read_words_and_booleans() -> None:
    value, checks = parse_flag(pa.array(["yes", "0", "TRUE", "perhaps"]), "saas")
    assert value.to_pylist()[:3] == [True, False, True]
    assert [c.mask.to_pylist()[3] for c in checks] == [False, True]


def _line(**change: object) -> dict[str, object]:
    row: dict[str, object] = {
        "customer_id": "cus_a",
        "subscription_id": "sub_a",
        "service": "Compute",
        "service_category": "compute",
        "month": "2021-12",
        "quantity": "10",
        "unit_net_price": "1.5",
        "currency": "USD",
        "line_kind": "regular",
        **dict.fromkeys(
            ("third_party", "marketplace", "saas", "free_tier", "rack_subscription", "byol"),
            "false",
        ),
    }
    row.update(change)
    return row


KNOWN = KnownFacts(
    customers=pa.array(["cus_a", "cus_b"]),
    subscription_ids=pa.array(["sub_a", "sub_b"]),
    subscription_customers=pa.array(["cus_a", "cus_b"]),
)


def test_a_batch_of_usage_lines_is_checked_against_the_store() -> None:
    """OSR-9, X-7: the customer exists, the subscription exists and is the customer's."""
    rows = [
        _line(),
        _line(customer_id="cus_z"),
        _line(subscription_id="sub_z"),
        _line(subscription_id="sub_b"),
        _line(month="2021-13", currency="usd", line_kind="extra"),
    ]
    batch = pa.RecordBatch.from_pylist(rows, schema=pa.schema([(n, pa.string()) for n in rows[0]]))
    canonical, checks = check_batch(batch, KNOWN)
    assert canonical.schema.equals(USAGE_SCHEMA)
    problems = list(row_problems(batch, checks, lambda i: f"usage.csv:{i + 2}", 100))
    assert [str(p) for p in problems] == [
        "usage.csv:3: customer_id: is not a known customer, got 'cus_z' [X-7]",
        "usage.csv:3: subscription_id: is the subscription of customer cus_a, not of this "
        "line's customer [OSR-9]",
        "usage.csv:4: subscription_id: is not a known subscription, got 'sub_z' [X-7]",
        "usage.csv:5: subscription_id: is the subscription of customer cus_b, not of this "
        "line's customer [OSR-9]",
        "usage.csv:6: month: is not a month written YYYY-MM, got '2021-13' [X-2]",
        "usage.csv:6: currency: is not an ISO 4217 currency code such as USD, got 'usd' [X-1]",
        "usage.csv:6: line_kind: must be one of regular, overage, got 'extra' [OSR-15]",
    ]


def test_the_listing_stops_at_its_limit() -> None:
    rows = [_line(quantity="-1") for _ in range(5)]
    batch = pa.RecordBatch.from_pylist(rows, schema=pa.schema([(n, pa.string()) for n in rows[0]]))
    _canonical, checks = check_batch(batch, KNOWN)
    assert len(list(row_problems(batch, checks, str, 3))) == 3


def test_a_usage_file_names_its_missing_and_unknown_columns() -> None:
    names = [n for n in USAGE_SCHEMA.names if n != "byol"] + ["colour"]
    assert {(p.field, p.message) for p in column_problems(names, "u.csv")} == {
        ("byol", "column is missing"),
        ("colour", "unknown column"),
    }


def test_csv_lines_count_the_header_and_the_rows_skipped(tmp_path: Path) -> None:
    header = ",".join(USAGE_SCHEMA.names)
    good = ",".join(str(v) for v in _line().values())
    path = _csv(tmp_path, f"{header}\n{good}\ncus_a,short\n{good}\n", "usage.csv")
    source = UsageSource(path, "usage.csv", UsageFormat.CSV)
    assert sum(b.num_rows for b in source.batches()) == 2
    assert [p.location for p in source.problems] == ["usage.csv:3"]
    assert (source.locate(0), source.locate(1)) == ("usage.csv:2", "usage.csv:4")


def test_the_format_comes_from_the_file_name() -> None:
    assert UsageFormat.of("Usage.CSV") is UsageFormat.CSV
    assert UsageFormat.of("usage.parquet") is UsageFormat.PARQUET
    with pytest.raises(InvalidInput):
        UsageFormat.of("usage.xlsx")
