"""Builders for the batch capability-score tests: facts in, the batch's and the
reference's rows out, comparable as sets (MCPP-9, X-1)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from decimal import Decimal

from ibis.backends import BaseBackend

from alliance.batch.mcpp_scores import McppScores, classifying_attributes, score_day
from alliance.batch.tier_facts import (
    certifications_table,
    customers_table,
    deployments_table,
    partners_table,
    usage_table,
)
from alliance.domain.scoring import PartnerFacts, ScorecardTerms, area_scores

AreaRow = tuple[str, str, str, Decimal, bool, bool]
MetricRow = tuple[str, str, str, int, str, Decimal, Decimal]


def batch_scores(
    terms: ScorecardTerms, partners: Sequence[PartnerFacts], day: date, backend: BaseBackend
) -> McppScores:
    return score_day(
        day,
        terms,
        partners_table(partners, classifying_attributes(terms)),
        certifications_table(c for p in partners for c in p.certifications),
        customers_table(c for p in partners for c in p.customers),
        deployments_table(d for p in partners for d in p.deployments),
        usage_table(u for p in partners for u in p.usage),
        backend=backend,
    )


def batch_rows(scores: McppScores) -> tuple[set[AreaRow], set[MetricRow]]:
    areas = {
        (r["partner_id"], r["area"], r["track"], r["total"], r["all_positive"], r["qualifies"])
        for r in scores.areas.to_pylist()
    }
    metrics = {
        (
            r["partner_id"],
            r["area"],
            r["track"],
            r["position"],
            r["metric"],
            r["units"],
            r["points"],
        )
        for r in scores.metrics.to_pylist()
    }
    return areas, metrics


def reference_rows(
    terms: ScorecardTerms, partners: Sequence[PartnerFacts], day: date
) -> tuple[set[AreaRow], set[MetricRow]]:
    areas: set[AreaRow] = set()
    metrics: set[MetricRow] = set()
    for partner in partners:
        for area_id, score in area_scores(terms, partner, day).items():
            who = partner.partner_id
            areas.add((who, area_id, score.track, score.total, score.all_positive, score.qualifies))
            for j, m in enumerate(score.metrics):
                metrics.add((who, area_id, score.track, j, m.metric, m.units, m.points))
    return areas, metrics


def both(
    terms: ScorecardTerms, partners: Sequence[PartnerFacts], day: date, backend: BaseBackend
) -> dict[str, dict[str, AreaRow]]:
    """The batch's rows, asserted equal to the reference's; per partner and area."""
    actual = batch_rows(batch_scores(terms, partners, day, backend))
    expected = reference_rows(terms, partners, day)
    assert actual[0] == expected[0]
    assert actual[1] == expected[1]
    out: dict[str, dict[str, AreaRow]] = {}
    for row in actual[0]:
        out.setdefault(row[0], {})[row[1]] = row
    return out
