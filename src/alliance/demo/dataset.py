"""A deterministic synthetic data set: partners with subsidiaries, customers, people with
roles, certifications, bookings and cloud usage lines over 24 months — and the customer
rewards' subscriptions, profiles and support invoices (:mod:`alliance.demo.reward_facts`).

The same ``(partners, seed, end_month)`` always gives the same rows, so benchmarks and
demos can be reproduced. Generation is vectorised (NumPy → Arrow) so that it scales to
400,000 partners and ~10 M usage lines on one machine; money columns are exact Arrow
decimals, never floats (X-1).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq

from alliance.demo import reward_facts
from alliance.domain.calendar import Month

#: Exact decimal types of the fact files: amounts to the cent, prices and quantities finer.
AMOUNT = pa.decimal128(18, 2)
PRICE = pa.decimal128(18, 6)
QUANTITY = pa.decimal128(18, 4)

COUNTRIES = np.array(
    ["US", "FR", "DE", "GB", "JP", "BR", "IN", "CA", "AU", "ES", "IT", "NL", "MX", "CN", "TW", "CO"]
)
COUNTRY_WEIGHTS = np.array([24, 12, 10, 9, 6, 5, 5, 5, 4, 4, 4, 3, 3, 2, 2, 2], dtype=float)
PARTNER_TYPES = np.array(
    ["reseller", "services", "software", "distributor", "devices", "cloud_service_provider"]
)
PARTNER_TYPE_WEIGHTS = np.array([35, 30, 15, 8, 7, 5], dtype=float)
ADJECTIVES = np.array(
    [
        "Blue",
        "Northern",
        "Bright",
        "Swift",
        "Solid",
        "Clear",
        "Prime",
        "Open",
        "Silver",
        "Urban",
        "Coastal",
        "Alpine",
        "Digital",
        "Quantum",
        "Civic",
        "Nova",
        "Green",
        "Atlas",
        "Vector",
        "Summit",
    ]
)
NOUNS = np.array(
    [
        "Systems",
        "Networks",
        "Cloud",
        "Data",
        "Logic",
        "Works",
        "Partners",
        "Solutions",
        "Labs",
        "Consulting",
        "Telecom",
        "Software",
        "Services",
        "Integration",
        "Analytics",
        "Bridge",
        "Harbor",
        "Forge",
        "Pixel",
        "Orbit",
    ]
)
SUFFIXES = np.array(["SA", "SAS", "GmbH", "Ltd", "Inc", "BV", "KK", "LLC", "SARL", "Pty"])
FIRST_NAMES = np.array(
    [
        "Alice",
        "Bruno",
        "Chloé",
        "David",
        "Emma",
        "Farid",
        "Giulia",
        "Hugo",
        "Inès",
        "Jonas",
        "Keiko",
        "Léa",
        "Marc",
        "Nadia",
        "Omar",
        "Paula",
        "Quentin",
        "Rosa",
        "Sami",
        "Tara",
    ]
)
LAST_NAMES = np.array(
    [
        "Martin",
        "Bernard",
        "Dubois",
        "Müller",
        "Schmidt",
        "Smith",
        "Jones",
        "Tanaka",
        "Silva",
        "Rossi",
        "García",
        "Kim",
        "Nguyen",
        "Lopez",
        "Moreau",
        "Laurent",
        "Weber",
        "Costa",
        "Novak",
        "Haddad",
    ]
)
PARTNER_ROLES = np.array(
    [
        "key_executive",
        "business_development",
        "legal_contact",
        "partner_credit_manager",
        "technical_readiness",
        "marketing_contact",
        "sales_engagement_contact",
        "accounts_payable",
    ]
)
CERTIFICATIONS = np.array(
    [
        # (name, solution area, level)
        ("Azure Data Engineer Associate", "data_ai", "intermediate"),
        ("Azure AI Engineer Associate", "data_ai", "intermediate"),
        ("Azure Administrator Associate", "infrastructure", "intermediate"),
        ("Azure Solutions Architect Expert", "infrastructure", "advanced"),
        ("Azure Developer Associate", "digital_app_innovation", "intermediate"),
        ("DevOps Engineer Expert", "digital_app_innovation", "advanced"),
        ("Dynamics 365 Functional Consultant", "business_applications", "intermediate"),
        ("Dynamics 365 Solution Architect Expert", "business_applications", "advanced"),
        ("Modern Desktop Administrator", "modern_work", "intermediate"),
        ("Enterprise Administrator Expert", "modern_work", "advanced"),
        ("Security Operations Analyst", "security", "intermediate"),
        ("Cybersecurity Architect Expert", "security", "intermediate"),
    ]
)
PRODUCT_FAMILIES = np.array(["OCI", "SaaS", "Database", "Middleware", "Hardware", "License"])
SERVICES = np.array(
    [
        # (service, category, third_party, marketplace, saas, rack_subscription)
        ("Compute E5 OCPU", "compute", 0, 0, 0, 0),
        ("Block Storage", "storage", 0, 0, 0, 0),
        ("Autonomous Database BYOL", "database", 0, 0, 0, 0),
        ("Object Storage", "storage", 0, 0, 0, 0),
        ("Load Balancer", "networking", 0, 0, 0, 0),
        ("VMware Solution", "compute", 1, 0, 0, 0),
        ("Marketplace Image", "marketplace", 0, 1, 0, 0),
        ("Fusion HCM", "saas", 0, 0, 1, 0),
        ("Cloud@Customer base rack", "rack", 0, 0, 0, 1),
        ("Cloud@Customer OCPU", "compute", 0, 0, 0, 0),
    ],
    dtype=object,
)
SERVICE_PRICES = np.array(
    ["0.025500", "0.042500", "0.336000", "0.025500", "0.010000", "2.500000", "0.100000",
     "15.000000", "1200.000000", "0.120000"]
)  # fmt: skip
SERVICE_WEIGHTS = np.array([30, 20, 12, 12, 8, 4, 4, 3, 2, 5], dtype=float)


DEFAULT_END_MONTH = Month(2026, 10)


@dataclass(frozen=True)
class DemoSpec:
    """What to generate. ``customers`` defaults to as many as partners."""

    partners: int = 200
    seed: int = 7
    end_month: Month = DEFAULT_END_MONTH
    months: int = 24
    customers: int | None = None

    @property
    def customer_count(self) -> int:
        return self.partners if self.customers is None else self.customers

    @property
    def month_list(self) -> list[Month]:
        first = self.end_month.shift(-(self.months - 1))
        return [first.shift(i) for i in range(self.months)]


@dataclass(frozen=True)
class DemoDataset:
    """The generated tables, as Arrow tables keyed by name."""

    spec: DemoSpec
    organizations: pa.Table
    people: pa.Table
    certifications: pa.Table
    bookings: pa.Table
    usage: pa.Table
    subscriptions: pa.Table
    customer_profiles: pa.Table
    invoices: pa.Table

    def tables(self) -> Iterator[tuple[str, pa.Table]]:
        yield "organizations", self.organizations
        yield "people", self.people
        yield "certifications", self.certifications
        yield "bookings", self.bookings
        yield "usage", self.usage
        yield "subscriptions", self.subscriptions
        yield "customer_profiles", self.customer_profiles
        yield "invoices", self.invoices

    def write_parquet(self, folder: Path) -> dict[str, Path]:
        """Write one Parquet file per table into ``folder``; returns their paths."""
        folder.mkdir(parents=True, exist_ok=True)
        written = {}
        for name, table in self.tables():
            path = folder / f"{name}.parquet"
            pq.write_table(table, path, compression="zstd")
            written[name] = path
        return written


def _choice(
    rng: np.random.Generator, values: np.ndarray, weights: np.ndarray, n: int
) -> np.ndarray:
    return values[rng.choice(len(values), size=n, p=weights / weights.sum())]


def _ids(prefix: str, n: int, start: int = 0) -> np.ndarray:
    return np.char.add(f"{prefix}_d", np.char.zfill(np.arange(start, start + n).astype(str), 8))


def _company_names(rng: np.random.Generator, n: int, numbered: np.ndarray) -> np.ndarray:
    parts = [
        ADJECTIVES[rng.integers(0, len(ADJECTIVES), n)],
        NOUNS[rng.integers(0, len(NOUNS), n)],
        SUFFIXES[rng.integers(0, len(SUFFIXES), n)],
    ]
    name = np.char.add(np.char.add(parts[0], " "), parts[1])
    # A number keeps names unique at any size: "Blue Cloud 17 SAS".
    name = np.char.add(np.char.add(name, " "), numbered.astype(str))
    return np.char.add(np.char.add(name, " "), parts[2])


def _decimal_array(values: np.ndarray, scale: int, type_: pa.DataType) -> pa.Array:
    """Integers counted in 10**-scale units → an exact Arrow decimal array."""
    as_int = pa.array(values.astype(np.int64))
    return pa.compute.divide(  # type: ignore[attr-defined]
        as_int.cast(pa.decimal128(18 + scale, 0)), pa.scalar(Decimal(10) ** scale)
    ).cast(type_)


def _organizations(rng: np.random.Generator, spec: DemoSpec) -> pa.Table:
    n_p = spec.partners
    n_c = spec.customer_count
    # Partners: principals, and ~20 % of principals have 1–3 associates (OPN-1).
    principal_ids = _ids("org", n_p)
    has_subs = rng.random(n_p) < 0.2
    sub_counts = np.where(has_subs, rng.integers(1, 4, n_p), 0)
    n_a = int(sub_counts.sum())
    associate_ids = _ids("org", n_a, start=n_p)
    associate_parent = np.repeat(principal_ids, sub_counts)
    # Customers: principals, and ~10 % with one subsidiary (OSR-18 corporate hierarchies).
    customer_ids = _ids("cus", n_c)
    cust_subs = rng.random(n_c) < 0.1
    n_cs = int(cust_subs.sum())
    customer_sub_ids = _ids("cus", n_cs, start=n_c)

    p_country = _choice(rng, COUNTRIES, COUNTRY_WEIGHTS, n_p)
    c_country = _choice(rng, COUNTRIES, COUNTRY_WEIGHTS, n_c)
    total = n_p + n_a + n_c + n_cs
    ids = np.concatenate([principal_ids, associate_ids, customer_ids, customer_sub_ids])
    names = _company_names(rng, total, np.arange(1, total + 1))
    country = np.concatenate(
        [p_country, np.repeat(p_country, sub_counts), c_country, c_country[cust_subs]]
    )
    kind = np.concatenate([np.full(n_p + n_a, "partner"), np.full(n_c + n_cs, "customer")])
    p_types = _choice(rng, PARTNER_TYPES, PARTNER_TYPE_WEIGHTS, n_p)
    partner_type = np.concatenate(
        [p_types, np.repeat(p_types, sub_counts), np.full(n_c + n_cs, "customer")]
    )
    parent = np.concatenate(
        [np.full(n_p, None), associate_parent, np.full(n_c, None), customer_ids[cust_subs]]
    )
    ownership_hundredths = np.where(rng.random(n_a + n_cs) < 0.7, 10000, rng.integers(5100, 9999))
    ownership = pa.array(
        [None] * n_p
        + [Decimal(int(v)) / 100 for v in ownership_hundredths[:n_a]]
        + [None] * n_c
        + [Decimal(int(v)) / 100 for v in ownership_hundredths[n_a:]],
        type=pa.decimal128(5, 2),
    )
    public = rng.random(total) < 0.08
    return pa.table(
        {
            "id": ids,
            "name": names,
            "country": country,
            "kind": kind,
            "partner_type": partner_type,
            "parent_id": pa.array(parent, type=pa.string()),
            "ownership_percent": ownership,
            "sector": np.where(public, "public", "commercial"),
        }
    )


def _people(rng: np.random.Generator, orgs: pa.Table) -> pa.Table:
    org_ids = orgs.column("id").to_numpy(zero_copy_only=False)
    kinds = orgs.column("kind").to_numpy(zero_copy_only=False)
    per_org = np.where(kinds == "partner", rng.integers(2, 7, len(org_ids)), 1)
    n = int(per_org.sum())
    person_org = np.repeat(org_ids, per_org)
    first_in_org = np.zeros(n, dtype=bool)
    first_in_org[np.concatenate([[0], np.cumsum(per_org)[:-1]])] = True
    first = FIRST_NAMES[rng.integers(0, len(FIRST_NAMES), n)]
    last = LAST_NAMES[rng.integers(0, len(LAST_NAMES), n)]
    ids = _ids("per", n)
    names = np.char.add(np.char.add(first, " "), last)
    emails = np.char.add(np.char.add(np.char.lower(first), "."), np.char.lower(ids))
    emails = np.char.add(emails, "@example.com")
    org_kind = np.repeat(kinds, per_org)
    role = np.where(
        first_in_org,
        np.where(org_kind == "partner", "partner_administrator", "customer_contact"),
        PARTNER_ROLES[rng.integers(0, len(PARTNER_ROLES), n)],
    )
    return pa.table(
        {"id": ids, "organization_id": person_org, "name": names, "email": emails, "role": role}
    )


def _certifications(rng: np.random.Generator, spec: DemoSpec, people: pa.Table) -> pa.Table:
    roles = people.column("role").to_numpy(zero_copy_only=False)
    partner_people = roles != "customer_contact"
    person_ids = people.column("id").to_numpy(zero_copy_only=False)[partner_people]
    person_org = people.column("organization_id").to_numpy(zero_copy_only=False)[partner_people]
    per_person = rng.poisson(1.5, len(person_ids))
    n = int(per_person.sum())
    which = rng.integers(0, len(CERTIFICATIONS), n)
    start = spec.month_list[0].start
    span = (spec.end_month.end - start).days
    earned = np.datetime64(start) + rng.integers(0, span + 1, n).astype("timedelta64[D]")
    retires = earned + np.timedelta64(730, "D")
    return pa.table(
        {
            "person_id": np.repeat(person_ids, per_person),
            "organization_id": np.repeat(person_org, per_person),
            "certification": CERTIFICATIONS[which, 0],
            "area": CERTIFICATIONS[which, 1],
            "level": CERTIFICATIONS[which, 2],
            "earned_on": pa.array(earned, type=pa.date32()),
            "retires_on": pa.array(retires, type=pa.date32()),
        }
    )


def _bookings(rng: np.random.Generator, spec: DemoSpec, orgs: pa.Table) -> pa.Table:
    partner_ids = orgs.column("id").to_numpy(zero_copy_only=False)[: spec.partners]
    per_partner = rng.poisson(0.5 * spec.months, spec.partners)
    n = int(per_partner.sum())
    transacting = np.repeat(partner_ids, per_partner)
    influenced = rng.random(n) < 0.25  # PEX-3: one deal may credit an influencer too
    candidate = partner_ids[rng.integers(0, spec.partners, n)]
    keep = influenced & (candidate != transacting)
    influencer = np.where(keep, candidate, np.array(None, dtype=object))
    start = spec.month_list[0].start
    span = (spec.end_month.end - start).days
    booked = np.datetime64(start) + rng.integers(0, span + 1, n).astype("timedelta64[D]")
    cents = np.round(rng.lognormal(9.5, 1.2, n) * 100)
    return pa.table(
        {
            "deal_id": _ids("deal", n),
            "transacting_partner_id": transacting,
            "influencer_partner_id": pa.array(influencer, type=pa.string()),
            "product_family": PRODUCT_FAMILIES[rng.integers(0, len(PRODUCT_FAMILIES), n)],
            "amount": _decimal_array(cents, 2, AMOUNT),
            "currency": np.full(n, "USD"),
            "booked_on": pa.array(booked, type=pa.date32()),
        }
    )


def _usage(rng: np.random.Generator, spec: DemoSpec, orgs: pa.Table) -> pa.Table:
    kinds = orgs.column("kind").to_numpy(zero_copy_only=False)
    customer_ids = orgs.column("id").to_numpy(zero_copy_only=False)[kinds == "customer"]
    months = np.array([m.label for m in spec.month_list])
    # ~1 line per customer-month on average: 400 k customers × 24 months ≈ 10 M lines.
    per_customer = rng.poisson(spec.months, len(customer_ids))
    n = int(per_customer.sum())
    customer = np.repeat(customer_ids, per_customer)
    service_index = rng.choice(len(SERVICES), size=n, p=SERVICE_WEIGHTS / SERVICE_WEIGHTS.sum())
    price_micros = np.array([int(Decimal(p) * 1_000_000) for p in SERVICE_PRICES])[service_index]
    quantity_units = np.round(rng.lognormal(5.0, 1.3, n) * 10_000)
    overage = rng.random(n) < 0.05
    flags = SERVICES[service_index]
    return pa.table(
        {
            "customer_id": customer,
            "subscription_id": np.char.add("sub_", customer),
            "service": flags[:, 0].astype(str),
            "service_category": flags[:, 1].astype(str),
            "month": months[rng.integers(0, len(months), n)],
            "quantity": _decimal_array(quantity_units, 4, QUANTITY),
            "unit_net_price": _decimal_array(price_micros, 6, PRICE),
            "currency": np.full(n, "USD"),
            "line_kind": np.where(overage, "overage", "regular"),
            "third_party": flags[:, 2].astype(bool),
            "marketplace": flags[:, 3].astype(bool),
            "saas": flags[:, 4].astype(bool),
            "free_tier": rng.random(n) < 0.02,
            "rack_subscription": flags[:, 5].astype(bool),
            "byol": np.char.find(flags[:, 0].astype(str), "BYOL") >= 0,
        }
    )


def generate(spec: DemoSpec) -> DemoDataset:
    """Build the whole data set for ``spec``; deterministic for a given spec."""
    if spec.partners < 1:
        raise ValueError("partners must be at least 1")
    rng = np.random.default_rng(spec.seed)
    orgs = _organizations(rng, spec)
    people = _people(rng, orgs)
    certifications = _certifications(rng, spec, people)
    bookings = _bookings(rng, spec, orgs)
    usage = _usage(rng, spec, orgs)
    rewards_rng = np.random.default_rng([spec.seed, 4])  # OSR facts: a stream of their own
    return DemoDataset(
        spec=spec,
        organizations=orgs,
        people=people,
        certifications=certifications,
        bookings=bookings,
        usage=usage,
        subscriptions=reward_facts.subscriptions(rewards_rng, spec.month_list, orgs),
        customer_profiles=reward_facts.customer_profiles(rewards_rng, orgs),
        invoices=reward_facts.invoices(rewards_rng, spec.month_list, orgs),
    )


def first_day(month_label: str) -> date:
    return Month.parse(month_label).start
