"""The demo's facts of earned tiers (issue 5): what the MCPP scores and the OIP statuses
are computed from, so that an evaluation of the demo has something to show.

From the generated data set (:mod:`alliance.demo.dataset`):

* **partners** — every partner company, classified ``enterprise`` or ``smb``
  (``customer_segment``, MCPP-9);
* **certifications** — the data set's certifications, named by the MCPP catalogue's ids
  where the catalogue knows the name (``Azure Administrator Associate`` → ``az_104``),
  retiring on the data set's date; plus, for the profiles below, the certified people a
  score needs;
* **deals** — the data set's bookings: the transacting partner, the influencer (PEX-3),
  the amount in USD, the product family, ``license`` for software licences (PEX-5).

And, for the first :data:`PROFILED` partner companies, a **profile** per solution area:
a strength ``s`` (deterministic for the data set's seed) from which customers gained in
the trailing 12 months, certified people, a usage series over the data set's 24 months
and deployments are made so that each metric of the area scores about ``s`` × its cap
(MCPP-9, MCPP-10). Strengths of 0.72 and more reach the threshold of 70 (MCPP-2); 0.55 and
less do not — so some partners qualify in some areas and others do not. The demo's own
partner (:func:`~alliance.demo.partner.demo_partner_id`, the login's company) qualifies
in Data & AI and Security, not in Modern Work.

Finally :data:`OIP_MEMBERS` partner companies are earned-status members — ambassadors and
operators (OIP-1) with 12 months of revenue lines by kind (recurring, access fees,
minutes, one-off: OIP-2) at levels that land them in different statuses (OIP-4), and
ambassadors' orders (OIP-8). Money is exact (X-1).
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import ROUND_CEILING, Decimal

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from alliance.batch.tier_facts import (
    AMOUNT,
    CERTIFICATIONS_SCHEMA,
    CUSTOMERS_SCHEMA,
    DEALS_SCHEMA,
    DEPLOYMENTS_SCHEMA,
    MCPP_USAGE_SCHEMA,
    MEMBERS_SCHEMA,
    ORDERS_SCHEMA,
    REVENUE_SCHEMA,
    partners_schema,
)
from alliance.bootstrap import Application
from alliance.demo.dataset import DemoDataset
from alliance.demo.partner import demo_partner_id
from alliance.domain.calendar import Month
from alliance.domain.scoring import (
    Aggregation,
    AreaTerms,
    FactSource,
    MetricTerms,
    ScorecardTerms,
    TrackMode,
)
from alliance.services.ports import UnitOfWork
from alliance.services.scorecard_terms import scorecard_program
from alliance.services.tier_facts.ports import FactBatch, FactKind

#: How many partner companies get an MCPP profile (the others have the data set's facts).
PROFILED = 2_000
#: A profile's strengths and how often each is drawn: about s × 100 points per area.
STRENGTHS = (Decimal("1.1"), Decimal("0.85"), Decimal("0.72"), Decimal("0.55"), Decimal("0.35"))
#: From this strength on, a profile is meant to reach the threshold of 70 (MCPP-2).
QUALIFYING = Decimal("0.7")
STRENGTH_WEIGHTS = (0.2, 0.2, 0.15, 0.25, 0.2)
#: The chance that a profiled partner works in an area at all.
AREA_SHARE = 0.4
#: The demo partner's profile: qualifies in two areas, not in a third.
FIRST_PROFILE = {
    "data_ai": Decimal("1.1"),
    "security": Decimal("0.85"),
    "modern_work": Decimal("0.5"),
}
#: OIP members: (member type, monthly recurring revenue in EUR) — statuses OIP-4.
OIP_MEMBERS = (
    ("ambassador", Decimal("300")),
    ("ambassador", Decimal("800")),
    ("ambassador", Decimal("2000")),
    ("ambassador", Decimal("4200")),
    ("operator", Decimal("600")),
    ("operator", Decimal("1500")),
    ("operator", Decimal("4000")),
    ("operator", Decimal("7500")),
)
OIP_CURRENCY = "EUR"
PLACES = Decimal("0.0001")
USAGE_BASE = Decimal("10000")
USERS_BASE = 200
#: Software licences among the data set's product families (PEX-5 Resell margin).
LICENCE_FAMILIES = {"License": "license", "Database": "license", "Middleware": "license"}
OTHER_FAMILIES = {"OCI": "cloud", "SaaS": "cloud", "Hardware": "hardware"}


@dataclass
class _Facts:
    """Rows of every kind, as columns, filled by the profile builders."""

    certifications: list[tuple[str, str, str, date, date | None]] = field(default_factory=list)
    customers: list[tuple[str, str, str, date, date | None]] = field(default_factory=list)
    deployments: list[tuple[str, str, str, date, str]] = field(default_factory=list)
    usage: list[tuple[str, str, str, Decimal, int]] = field(default_factory=list)


@dataclass(frozen=True)
class TierFactsLoaded:
    """What :func:`load_tier_facts` stored, by kind."""

    batches: dict[FactKind, FactBatch]

    @property
    def summary(self) -> str:
        added = ", ".join(f"{b.added:,} {k.value}" for k, b in self.batches.items())
        return f"Tier facts: {added} (alliance facts count)."


def demo_tier_facts(dataset: DemoDataset, terms: ScorecardTerms) -> dict[FactKind, pa.Table]:
    """Every kind's facts for ``dataset`` (see the module doc), in the store's layouts."""
    spec = dataset.spec
    rng = np.random.default_rng(spec.seed + 5)
    orgs = dataset.organizations
    companies = pc.and_(
        pc.equal(orgs.column("kind"), "partner"), pc.is_null(orgs.column("parent_id"))
    )
    partner_ids: list[str] = orgs.filter(companies).column("id").to_pylist()
    demo_partner = demo_partner_id(orgs)
    customer_ids: list[str] = (
        orgs.filter(pc.equal(orgs.column("kind"), "customer")).column("id").to_pylist()
    )
    segments = np.where(rng.random(len(partner_ids)) < 0.3, "smb", "enterprise")
    facts = _Facts()
    customers = _cycle(customer_ids or ["cus_demo"])
    for index, partner in enumerate(partner_ids[:PROFILED]):
        profile = FIRST_PROFILE if partner == demo_partner else _draw_profile(rng, terms)
        for area_id, strength in profile.items():
            area = terms.area(area_id)
            _profile(
                facts,
                terms,
                area,
                partner,
                str(segments[index]),
                strength,
                spec.end_month,
                customers,
            )
    tables = {
        FactKind.PARTNERS: pa.table(
            {"partner_id": partner_ids, "customer_segment": segments.tolist()},
            schema=partners_schema(["customer_segment"]),
        ),
        FactKind.CERTIFICATIONS: _certifications(dataset, terms, facts),
        FactKind.CUSTOMERS: _rows(facts.customers, CUSTOMERS_SCHEMA),
        FactKind.DEPLOYMENTS: _rows(facts.deployments, DEPLOYMENTS_SCHEMA),
        FactKind.USAGE: _usage(facts),
        FactKind.DEALS: _deals(dataset),
    }
    tables.update(_oip(partner_ids, spec.end_month))
    return tables


def load_tier_facts(
    application: Application,
    dataset: DemoDataset,
    progress: Callable[[str], None] = lambda _step: None,
) -> TierFactsLoaded:
    """Store the demo's tier facts, one batch per kind; loading twice adds nothing (X-5)."""
    terms = scorecard_program(application.programs).terms
    spec = dataset.spec
    key = f"demo:{spec.seed}:{spec.partners}:{spec.end_month}"
    return store_tier_facts(application.uow_factory, demo_tier_facts(dataset, terms), key, progress)


def store_tier_facts(
    uow_factory: Callable[[], UnitOfWork],
    tables: dict[FactKind, pa.Table],
    key: str,
    progress: Callable[[str], None] = lambda _step: None,
) -> TierFactsLoaded:
    """Each table as one batch of its kind with the batch key ``key``."""
    batches: dict[FactKind, FactBatch] = {}
    for kind, table in tables.items():
        progress(f"tier facts: {kind.value}")
        with uow_factory() as uow:
            batches[kind] = uow.tier_facts.import_batch(
                kind, table, batch_key=key, source="demo data set", imported_by="demo"
            )
            uow.commit()
    return TierFactsLoaded(batches)


# -- MCPP profiles ------------------------------------------------------------------------


def _draw_profile(rng: np.random.Generator, terms: ScorecardTerms) -> dict[str, Decimal]:
    profile: dict[str, Decimal] = {}
    for area in terms.areas:
        if rng.random() < AREA_SHARE:
            profile[area.id] = STRENGTHS[int(rng.choice(len(STRENGTHS), p=STRENGTH_WEIGHTS))]
    return profile


def _profile(
    facts: _Facts,
    terms: ScorecardTerms,
    area: AreaTerms,
    partner: str,
    segment: str,
    strength: Decimal,
    end: Month,
    customers: Iterator[str],
) -> None:
    """Facts of ``partner`` in ``area`` scoring about ``strength`` × each metric's cap.

    With several tracks (MCPP-9 best of), a strength that qualifies gets the units every
    track needs, and one that does not gets the units the most generous track needs, so
    that no track scores more than about ``strength`` × 100."""
    tracks = area.tracks
    if area.mode is TrackMode.CLASSIFICATION and area.classification is not None:
        attribute = area.classification.attribute
        tracks = (area.track(area.classification.track_for({attribute: segment})),)
    pick = max if strength >= QUALIFYING else min
    needs: dict[str, list[int]] = {}
    for track in tracks:
        for rule in track.rules:
            units = max(1, math.ceil(strength * rule.max_points * rule.per / rule.points))
            needs.setdefault(rule.metric, []).append(units)
    for metric_id, units_by_track in needs.items():
        metric = terms.metric(metric_id)
        _metric_facts(facts, metric, partner, area.id, pick(units_by_track), end, customers)


def _metric_facts(
    facts: _Facts,
    metric: MetricTerms,
    partner: str,
    area: str,
    units: int,
    end: Month,
    customers: Iterator[str],
) -> None:
    recent = [end.shift(-back).start + timedelta(days=9) for back in range(5)]
    if metric.source is FactSource.CUSTOMER:
        for n in range(units):
            facts.customers.append((partner, next(customers), area, recent[n % 5], None))
    elif metric.source is FactSource.CERTIFICATION:
        held = [c for c in metric.certifications if c.retires_on is None]
        certification = (held or list(metric.certifications))[0].id
        earned = end.start - timedelta(days=200)
        for n in range(units):
            person = f"per_{partner}_{metric.id}_{n}"
            facts.certifications.append((partner, person, certification, earned, None))
    elif metric.source is FactSource.DEPLOYMENT:
        for n in range(units):
            service = f"svc_{area}_{n}" if metric.distinct_by == "service_id" else f"svc_{area}"
            facts.deployments.append(
                (partner, f"dep_{partner}_{metric.id}_{n}", area, recent[n % 5], service)
            )
    else:
        facts.usage.extend(_usage_series(metric, partner, area, units, end))


def _usage_series(
    metric: MetricTerms, partner: str, area: str, units: int, end: Month
) -> Iterator[tuple[str, str, str, Decimal, int]]:
    """24 months of usage whose growth over any 12 months is at least ``units``: percent
    growth compounds monthly, amount growth adds a fixed step (MCPP-10)."""
    months = [end.shift(k - 23) for k in range(24)]
    if metric.aggregation is Aggregation.GROWTH_PERCENT:
        rate = 1 + (Decimal(units) + Decimal("0.5")) / 100
        for k, month in enumerate(months):
            amount = (USAGE_BASE * rate ** (Decimal(k) / 12)).quantize(PLACES)
            yield partner, area, month.label, amount, USERS_BASE
    elif metric.measure == "active_users":
        users = math.ceil(units / 12)
        for k, month in enumerate(months):
            yield partner, area, month.label, USAGE_BASE, USERS_BASE + users * k
    else:
        amount = (Decimal(units) / 12).quantize(PLACES, rounding=ROUND_CEILING)
        for k, month in enumerate(months):
            yield partner, area, month.label, USAGE_BASE + amount * k, USERS_BASE


# -- the data set's facts -----------------------------------------------------------------


def _certifications(dataset: DemoDataset, terms: ScorecardTerms, facts: _Facts) -> pa.Table:
    """The data set's certifications by catalogue id (a slug when the catalogue lacks the
    name), then the profiles' certified people."""
    catalogue = {c.name.casefold(): c.id for m in terms.metrics.values() for c in m.certifications}
    table = dataset.certifications
    names = table.column("certification").to_pylist()
    ids = [catalogue.get(name.casefold(), _slug(name)) for name in names]
    rows = list(
        zip(
            table.column("organization_id").to_pylist(),
            table.column("person_id").to_pylist(),
            ids,
            table.column("earned_on").to_pylist(),
            table.column("retires_on").to_pylist(),
            strict=True,
        )
    )
    unique = list(dict.fromkeys(rows + facts.certifications))  # one fact per natural key
    return _rows(unique, CERTIFICATIONS_SCHEMA)


def _deals(dataset: DemoDataset) -> pa.Table:
    table = dataset.bookings
    families = table.column("product_family").to_pylist()
    influencers = table.column("influencer_partner_id").to_pylist()
    return pa.table(
        {
            "deal_id": table.column("deal_id"),
            "transacting_partner_id": table.column("transacting_partner_id"),
            "influencing_partner_ids": pa.array(
                [[i] if i else [] for i in influencers], pa.list_(pa.string())
            ),
            "amount": table.column("amount").cast(AMOUNT),
            "currency": table.column("currency"),
            "products": pa.array([[f] for f in families], pa.list_(pa.string())),
            "product_kind": [
                LICENCE_FAMILIES.get(f) or OTHER_FAMILIES.get(f, "other") for f in families
            ],
            "booked_on": table.column("booked_on"),
        },
        schema=DEALS_SCHEMA,
    )


def _usage(facts: _Facts) -> pa.Table:
    return _rows(facts.usage, MCPP_USAGE_SCHEMA)


# -- OIP ----------------------------------------------------------------------------------


def _oip(partner_ids: list[str], end: Month) -> dict[FactKind, pa.Table]:
    """Members taken from the end of the partner list (not the MCPP demo partner)."""
    chosen = list(reversed(partner_ids))[: len(OIP_MEMBERS)]
    since = end.shift(-24).start
    members, revenue, orders = [], [], []
    for partner, (member_type, recurring) in zip(chosen, OIP_MEMBERS, strict=False):
        members.append((partner, member_type, since))
        for back in range(12):
            month = end.shift(-back)
            lines = [
                ("recurring", recurring, "voip"),
                ("service_access_fee", Decimal("49.90"), "voip"),
                ("minutes", (recurring / 7).quantize(PLACES), "voip"),
                ("recurring", (recurring / 10).quantize(PLACES), "data"),
            ]
            if back % 4 == 0:
                lines.append(("one_off", Decimal("350"), "hardware"))
            for n, (kind, amount, line) in enumerate(lines):
                line_id = f"rev_{partner}_{month.label}_{n}"
                revenue.append((partner, month.label, amount, OIP_CURRENCY, kind, line, line_id))
            if member_type == "ambassador":
                ordered = month.start + timedelta(days=14)
                order_id = f"ord_{partner}_{month.label}"
                orders.append((partner, order_id, ordered, recurring * 3, OIP_CURRENCY))
    revenue_schema = REVENUE_SCHEMA.append(pa.field("line_id", pa.string()))
    return {
        FactKind.MEMBERS: _rows(members, MEMBERS_SCHEMA),
        FactKind.REVENUE: _rows(revenue, revenue_schema),
        FactKind.ORDERS: _rows(orders, ORDERS_SCHEMA),
    }


# -- helpers ------------------------------------------------------------------------------


def _rows(rows: Sequence[tuple[object, ...]], schema: pa.Schema) -> pa.Table:
    columns = list(zip(*rows, strict=True)) if rows else [()] * len(schema)
    return pa.table(
        {name: list(values) for name, values in zip(schema.names, columns, strict=True)},
        schema=schema,
    )


def _cycle(items: list[str]) -> Iterator[str]:
    while True:
        yield from items


def _slug(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "_", name.casefold()).strip("_")
