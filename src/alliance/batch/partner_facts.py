"""Facts tables back to the domain's objects, for the few partners the domain evaluates.

The batch computes scores and statuses for everyone; the rules that stay per partner in
Python (the anniversary-anchored renewal window of an enrolled partner, MCPP-8; the
monthly breakdown of an OIP status, OIP-2) read a partner's facts as the domain's
dataclasses — :func:`partner_facts` and :func:`revenue_lines` build them from the
layouts of :mod:`alliance.batch.tier_facts`, for the partners asked only.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc

from alliance.domain.calendar import Month
from alliance.domain.facts import (
    Certification,
    CustomerAssociation,
    Deployment,
    RevenueKind,
    RevenueLine,
    UsageRecord,
)
from alliance.domain.money import Money
from alliance.domain.scoring import PartnerFacts


def _rows(table: pa.Table, partner_ids: pa.Array) -> list[dict[str, Any]]:
    chosen = table.filter(pc.is_in(table.column("partner_id"), value_set=partner_ids))
    rows: list[dict[str, Any]] = chosen.to_pylist()
    return rows


def partner_facts(
    partner_ids: Iterable[str],
    partners: pa.Table,
    certifications: pa.Table,
    customers: pa.Table,
    deployments: pa.Table,
    usage: pa.Table,
    attributes: Sequence[str] = (),
) -> dict[str, PartnerFacts]:
    """The :class:`PartnerFacts` of each of ``partner_ids`` (MCPP-9, MCPP-10)."""
    ids = pa.array(sorted(set(partner_ids)), pa.string())
    certs: dict[str, list[Certification]] = {}
    for row in _rows(certifications, ids):
        certs.setdefault(str(row["partner_id"]), []).append(
            Certification(
                str(row["partner_id"]),
                str(row["person_id"]),
                str(row["certification_id"]),
                row["earned_on"],
                row["retired_on"],
            )
        )
    custs: dict[str, list[CustomerAssociation]] = {}
    for row in _rows(customers, ids):
        custs.setdefault(str(row["partner_id"]), []).append(
            CustomerAssociation(
                str(row["partner_id"]),
                str(row["customer_id"]),
                str(row["area"]),
                row["associated_on"],
                row["ended_on"],
            )
        )
    deps: dict[str, list[Deployment]] = {}
    for row in _rows(deployments, ids):
        deps.setdefault(str(row["partner_id"]), []).append(
            Deployment(
                str(row["partner_id"]),
                str(row["deployment_id"]),
                str(row["area"]),
                row["deployed_on"],
                str(row["service_id"]),
            )
        )
    uses: dict[str, list[UsageRecord]] = {}
    for row in _rows(usage, ids):
        uses.setdefault(str(row["partner_id"]), []).append(
            UsageRecord(
                str(row["partner_id"]),
                str(row["area"]),
                Month.parse(str(row["month"])),
                row["amount"],
                int(row["active_users"]),
            )
        )
    attrs: dict[str, dict[str, str]] = {}
    for row in _rows(partners, ids):
        attrs[str(row["partner_id"])] = {
            name: str(row[name]) for name in attributes if row.get(name) is not None
        }
    return {
        pid: PartnerFacts(
            pid,
            tuple(certs.get(pid, ())),
            tuple(custs.get(pid, ())),
            tuple(deps.get(pid, ())),
            tuple(uses.get(pid, ())),
            attrs.get(pid, {}),
        )
        for pid in ids.to_pylist()
    }


def revenue_lines(partner_ids: Iterable[str], revenue: pa.Table) -> dict[str, list[RevenueLine]]:
    """The :class:`RevenueLine` s of each of ``partner_ids`` (OIP-2)."""
    ids = pa.array(sorted(set(partner_ids)), pa.string())
    out: dict[str, list[RevenueLine]] = {}
    for row in _rows(revenue, ids):
        out.setdefault(str(row["partner_id"]), []).append(
            RevenueLine(
                str(row["partner_id"]),
                Month.parse(str(row["month"])),
                Money(row["amount"], str(row["currency"])),
                RevenueKind(str(row["kind"])),
                str(row["product_line"]),
            )
        )
    return out
