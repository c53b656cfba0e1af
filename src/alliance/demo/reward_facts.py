"""The demo's customer-reward facts (OSR): subscriptions, reward profiles, support invoices.

Generated vectorised from the demo's organisations, deterministic for a spec, with their
own random stream (so adding them changed none of the other tables):

* **subscriptions** — one per customer entity, ``sub_{customer}`` (the id its usage lines
  carry): mostly committed-credit orders whose service period covers the 24 months, some
  starting late (OSR-13), a few pay-as-you-go, trial, free-tier or promotion orders
  (OSR-2); ~10 % sold through a reseller partner (OSR-9), half of the subsidiaries'
  bought by their parent, ~30 % with a support-renewal partner, half of them authorised
  to redeem (OSR-10); a few opt-outs (OSR-4) and PaaS conversion rights (OSR-6); the US
  federal public sector for some public-sector US customers (OSR-3).
* **customer_profiles** — every customer entity: ~90 % with on-premises support (OSR-2),
  ~15 % with a ULA (OSR-11).
* **invoices** — two support invoices per customer principal, one row per line (mostly
  database support, some Java or Linux support that rewards never pay, OSR-20), due 30
  days after issue (OSR-23), with tax (OSR-19).
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from alliance.domain.calendar import Month

AMOUNT = pa.decimal128(18, 2)
ORDER_TYPES = np.array(["committed_credits", "pay_as_you_go", "trial", "free_tier", "promotion"])
ORDER_WEIGHTS = np.array([86, 7, 3, 2, 2], dtype=float)
SUPPORT_LINES = np.array(
    [
        # (product, support program)
        ("Database Enterprise Edition", "database_support"),
        ("WebLogic Server", "middleware_support"),
        ("Database Standard Edition", "database_support"),
        ("Java SE Universal Subscription", "java_support"),
        ("Linux Premier Support", "linux_support"),
    ]
)
SUPPORT_WEIGHTS = np.array([50, 20, 15, 10, 5], dtype=float)


def _customers(orgs: pa.Table) -> pa.Table:
    return orgs.filter(pc.equal(orgs["kind"], "customer"))


def _dates(start: date, days: np.ndarray) -> pa.Array:
    return pa.array(np.datetime64(start) + days.astype("timedelta64[D]"), type=pa.date32())


def subscriptions(rng: np.random.Generator, months: list[Month], orgs: pa.Table) -> pa.Table:
    """One subscription per customer entity (see the module doc)."""
    customers = _customers(orgs)
    n = customers.num_rows
    ids = customers["id"].to_numpy(zero_copy_only=False)
    parents = customers["parent_id"].to_numpy(zero_copy_only=False)
    partners = orgs.filter(
        pc.and_(pc.equal(orgs["kind"], "partner"), pc.is_null(orgs["parent_id"]))
    )["id"].to_numpy(zero_copy_only=False)
    first, last = months[0].start, months[-1].end
    late = rng.random(n) < 0.1  # OSR-13: the service period starts within the window
    span = (last - first).days
    start_days = np.where(late, rng.integers(0, span, n), -rng.integers(0, 90, n))
    starts = [first + timedelta(days=int(d)) for d in start_days]
    ends = [s + timedelta(days=3 * 365) for s in starts]
    by_parent = np.array([p is not None for p in parents]) & (rng.random(n) < 0.5)
    buyers = np.where(by_parent, parents, ids)
    resold = rng.random(n) < 0.1
    renewal = rng.random(n) < 0.3
    authorised = renewal & (rng.random(n) < 0.5)
    opted_out = rng.random(n) < 0.03
    opt_days = rng.integers(0, span, n)
    country = customers["country"].to_numpy(zero_copy_only=False)
    public = customers["sector"].to_numpy(zero_copy_only=False) == "public"
    federal = public & (country == "US") & (rng.random(n) < 0.5)
    sector = np.where(federal, "us_federal_public_sector", np.where(public, "public", "commercial"))
    return pa.table(
        {
            "subscription_id": np.char.add("sub_", ids.astype(str)),
            "customer_id": ids,
            "buyer_id": buyers,
            "order_type": ORDER_TYPES[rng.choice(5, size=n, p=ORDER_WEIGHTS / ORDER_WEIGHTS.sum())],
            "service_start": pa.array(starts, type=pa.date32()),
            "service_end": pa.array(ends, type=pa.date32()),
            "country": country,
            "sector": sector,
            "enrolled": rng.random(n) >= 0.02,
            "opted_out_on": pc.if_else(
                pa.array(opted_out), _dates(first, opt_days), pa.scalar(None, pa.date32())
            ),
            "reseller_id": _some(rng, partners, resold),
            "has_paas_conversion_right": rng.random(n) < 0.02,
            "support_renewal_partner_id": _some(rng, partners, renewal),
            "support_renewal_partner_authorised": authorised,
        }
    )


def _some(rng: np.random.Generator, partners: np.ndarray, chosen: np.ndarray) -> pa.Array:
    """A random partner where ``chosen``, else null."""
    if not len(partners):
        return pa.nulls(len(chosen), pa.string())
    picks = partners[rng.integers(0, len(partners), len(chosen))]
    return pc.if_else(pa.array(chosen), pa.array(picks, pa.string()), pa.scalar(None, pa.string()))


def customer_profiles(rng: np.random.Generator, orgs: pa.Table) -> pa.Table:
    """Every customer entity's on-premises support and ULA (OSR-2, OSR-11)."""
    customers = _customers(orgs)
    n = customers.num_rows
    return pa.table(
        {
            "customer_id": customers["id"],
            "has_on_premises_support": rng.random(n) < 0.9,
            "has_ula": rng.random(n) < 0.15,
            "ula_covers": pa.array([[] for _ in range(n)], type=pa.list_(pa.string())),
        }
    )


def invoices(rng: np.random.Generator, months: list[Month], orgs: pa.Table) -> pa.Table:
    """Two support invoices per customer principal, one row per line (OSR-19, OSR-20)."""
    customers = _customers(orgs)
    principals = customers.filter(pc.is_null(customers["parent_id"]))["id"].to_numpy(
        zero_copy_only=False
    )
    invoice_customer = np.repeat(principals, 2)
    count = len(invoice_customer)
    issue_month = np.tile([len(months) // 2 - 3, len(months) - 3], len(principals))
    issued = [months[max(0, int(m))].start + timedelta(days=14) for m in issue_month]
    lines_per = rng.integers(1, 4, count)
    n = int(lines_per.sum())
    which = rng.choice(len(SUPPORT_LINES), size=n, p=SUPPORT_WEIGHTS / SUPPORT_WEIGHTS.sum())
    cents = np.round(rng.lognormal(8.0, 1.0, n) * 100).astype(np.int64)
    tax_cents = (cents * rng.choice([0, 10, 20], size=n)) // 100
    invoice_ids = np.char.add("inv_", np.char.zfill(np.arange(count).astype(str), 8))
    issued_arr = np.array(issued, dtype="datetime64[D]")
    return pa.table(
        {
            "invoice_id": np.repeat(invoice_ids, lines_per),
            "customer_id": np.repeat(invoice_customer, lines_per),
            "issued_on": pa.array(np.repeat(issued_arr, lines_per), type=pa.date32()),
            "due_on": pa.array(
                np.repeat(issued_arr + np.timedelta64(30, "D"), lines_per), type=pa.date32()
            ),
            "currency": np.full(n, "USD"),
            "product": SUPPORT_LINES[which, 0],
            "support_program": SUPPORT_LINES[which, 1],
            "pre_tax_amount": _cents(cents),
            "tax": _cents(tax_cents),
        }
    )


def _cents(values: np.ndarray) -> pa.Array:
    return pa.array([Decimal(int(v)).scaleb(-2) for v in values], type=AMOUNT)
