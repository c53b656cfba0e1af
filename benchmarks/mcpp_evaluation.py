"""Benchmark: capability scores (all six MCPP areas) and OIP statuses in the batch engine,
against a hand-written DuckDB SQL query and the pure-Python reference.

    .venv/bin/python benchmarks/mcpp_evaluation.py              # 400,000 partners, 10 M facts
    .venv/bin/python benchmarks/mcpp_evaluation.py --partners 4000 --facts 100000 --runs 1

The data set (:mod:`mcpp_data`, in ``benchmarks/data/``, git-ignored) is generated once.
Three sides, each measurement in its own process (peak memory: that process's
``ru_maxrss`` — interpreter, imports, DuckDB, the Arrow results):

* **batch** — :func:`alliance.batch.mcpp_scores.score_day` on the Parquet files: every
  partner × area row and every partner × area × metric row of the kept track, as Arrow
  tables; then, timed apart, :func:`alliance.batch.oip_statuses.evaluate_statuses`;
* **sql** — :data:`HAND_WRITTEN_SQL`, the same MCPP scores written straight against the
  files for the built-in definition: the metric tables as ``VALUES``, DuckDB's own
  integer division ``//`` for the exact quotients, a cross join of partners and rules, a
  window function for the best track; the same two result tables;
* **reference** — :func:`alliance.domain.scoring.area_scores` (and
  :func:`alliance.domain.statuses.assign_status`) on a 1 % sample of the partners, their
  facts loaded into domain objects before the clock starts.

The batch and SQL results are digested (order-independent) and must agree; the batch's
rows for the sampled partners must equal the reference's. The sides alternate; medians
are reported. Wall time and CPU time (all threads) of the timed part are both reported:
the machine is shared, and CPU time is the steadier of the two.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import platform
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "src"))

DAY = date(2026, 11, 22)
SAMPLE_EVERY = 100  # 1 % of the partners: org_b0000000, org_b0000100, …

HAND_WRITTEN_SQL = """
CREATE OR REPLACE TEMP TABLE rules AS
SELECT row_number() OVER () AS rule_no, dense_rank() OVER (ORDER BY area, track) AS track_no, *
FROM (VALUES
    ('data_ai', 'enterprise', 0, 0, 'data_ai_net_customer_adds', 10, 1, 30),
    ('data_ai', 'enterprise', 0, 1, 'data_ai_intermediate_certs', 4, 1, 40),
    ('data_ai', 'enterprise', 0, 2, 'data_ai_usage_growth', 1, 1, 20),
    ('data_ai', 'enterprise', 0, 3, 'data_ai_deployments', 2, 1, 10),
    ('infrastructure', 'enterprise', 0, 0, 'infrastructure_net_customer_adds', 10, 1, 30),
    ('infrastructure', 'enterprise', 0, 1, 'infrastructure_intermediate_certs', 4, 1, 20),
    ('infrastructure', 'enterprise', 0, 2, 'infrastructure_advanced_certs', 4, 1, 20),
    ('infrastructure', 'enterprise', 0, 3, 'infrastructure_usage_growth', 1, 1, 20),
    ('infrastructure', 'enterprise', 0, 4, 'infrastructure_deployments', 2, 1, 10),
    ('digital_app_innovation', 'enterprise', 0, 0, 'digital_app_net_customer_adds', 10, 1, 30),
    ('digital_app_innovation', 'enterprise', 0, 1, 'digital_app_intermediate_certs', 4, 1, 20),
    ('digital_app_innovation', 'enterprise', 0, 2, 'digital_app_advanced_certs', 4, 1, 20),
    ('digital_app_innovation', 'enterprise', 0, 3, 'digital_app_usage_growth', 1, 1, 20),
    ('digital_app_innovation', 'enterprise', 0, 4, 'digital_app_deployments', 2, 1, 10),
    ('business_applications', 'enterprise', 0, 0, 'business_apps_net_customer_adds', 3, 1, 15),
    ('business_applications', 'enterprise', 0, 1, 'business_apps_intermediate_certs', 1, 1, 20),
    ('business_applications', 'enterprise', 0, 2, 'business_apps_advanced_certs', 2.14, 1, 15),
    ('business_applications', 'enterprise', 0, 3, 'business_apps_usage_growth', 1, 1, 30),
    ('business_applications', 'enterprise', 0, 4, 'business_apps_deployments', 4, 1, 20),
    ('business_applications', 'smb', 1, 0, 'business_apps_net_customer_adds', 3, 1, 15),
    ('business_applications', 'smb', 1, 1, 'business_apps_intermediate_certs', 4, 1, 20),
    ('business_applications', 'smb', 1, 2, 'business_apps_advanced_certs', 7.5, 1, 15),
    ('business_applications', 'smb', 1, 3, 'business_apps_usage_growth', 1, 1, 30),
    ('business_applications', 'smb', 1, 4, 'business_apps_deployments', 4, 1, 20),
    ('modern_work', 'enterprise', 0, 0, 'modern_work_net_customer_adds', 4, 1, 20),
    ('modern_work', 'enterprise', 0, 1, 'modern_work_intermediate_certs', 2.5, 1, 10),
    ('modern_work', 'enterprise', 0, 2, 'modern_work_advanced_certs', 7.5, 1, 15),
    ('modern_work', 'enterprise', 0, 3, 'modern_work_usage_growth', 30, 1000, 30),
    ('modern_work', 'enterprise', 0, 4, 'modern_work_deployments', 5, 1, 25),
    ('modern_work', 'smb', 1, 0, 'modern_work_net_customer_adds', 2, 1, 20),
    ('modern_work', 'smb', 1, 1, 'modern_work_intermediate_certs', 5, 1, 10),
    ('modern_work', 'smb', 1, 2, 'modern_work_advanced_certs', 15, 1, 15),
    ('modern_work', 'smb', 1, 3, 'modern_work_usage_growth', 30, 500, 30),
    ('modern_work', 'smb', 1, 4, 'modern_work_deployments', 5, 1, 25),
    ('security', 'enterprise', 0, 0, 'security_net_customer_adds', 2, 1, 20),
    ('security', 'enterprise', 0, 1, 'security_intermediate_certs', 6.67, 1, 40),
    ('security', 'enterprise', 0, 2, 'security_usage_growth', 1, 1250, 20),
    ('security', 'enterprise', 0, 3, 'security_deployments', 3.3, 1, 20),
    ('security', 'smb', 1, 0, 'security_net_customer_adds', 4, 1, 20),
    ('security', 'smb', 1, 1, 'security_intermediate_certs', 8, 1, 40),
    ('security', 'smb', 1, 2, 'security_usage_growth', 1, 750, 20),
    ('security', 'smb', 1, 3, 'security_deployments', 3.3, 1, 20)
) AS r(area, track, track_index, position, metric, unit_points, per, max_points);

CREATE OR REPLACE TEMP TABLE scored AS
WITH
cert_metric(certification_id, metric) AS (VALUES  -- DP-203 retired on 2025-03-31
    ('ai_102', 'data_ai_intermediate_certs'), ('dp_100', 'data_ai_intermediate_certs'),
    ('dp_600', 'data_ai_intermediate_certs'),
    ('az_104', 'infrastructure_intermediate_certs'), ('az_305', 'infrastructure_advanced_certs'),
    ('az_204', 'digital_app_intermediate_certs'), ('az_400', 'digital_app_advanced_certs'),
    ('pl_200', 'business_apps_intermediate_certs'), ('pl_600', 'business_apps_advanced_certs'),
    ('md_102', 'modern_work_intermediate_certs'), ('ms_102', 'modern_work_advanced_certs'),
    ('sc_200', 'security_intermediate_certs'), ('sc_300', 'security_intermediate_certs'),
    ('az_500', 'security_intermediate_certs')
),
areas(area, prefix, distinct_services, growth) AS (VALUES
    ('data_ai', 'data_ai', true, 'percent'),
    ('infrastructure', 'infrastructure', true, 'percent'),
    ('digital_app_innovation', 'digital_app', true, 'percent'),
    ('business_applications', 'business_apps', false, 'percent'),
    ('modern_work', 'modern_work', false, 'users'),
    ('security', 'security', false, 'amount')
),
usage AS (
    SELECT partner_id, prefix, growth,
           sum(amount) FILTER (month = '2026-10') AS now_amount,
           sum(amount) FILTER (month = '2025-10') AS then_amount,
           sum(active_users) FILTER (month = '2026-10') AS now_users,
           sum(active_users) FILTER (month = '2025-10') AS then_users
    FROM read_parquet('{usage}') JOIN areas USING (area)
    WHERE month IN ('2026-10', '2025-10')
    GROUP BY ALL
),
units AS (
    SELECT partner_id, metric, CAST(count(DISTINCT person_id) AS DECIMAL(38, 10)) AS units
    FROM read_parquet('{certifications}') JOIN cert_metric USING (certification_id)
    WHERE earned_on <= DATE '2026-11-22'
      AND (retired_on IS NULL OR retired_on > DATE '2026-11-22')
    GROUP BY ALL
    UNION ALL
    SELECT partner_id, prefix || '_net_customer_adds',
           CAST(count(*) FILTER (associated_on BETWEEN DATE '2025-12-01' AND DATE '2026-11-22')
                - count(*) FILTER (ended_on BETWEEN DATE '2025-12-01' AND DATE '2026-11-22')
                AS DECIMAL(38, 10))
    FROM read_parquet('{customers}') JOIN areas USING (area)
    WHERE associated_on BETWEEN DATE '2025-12-01' AND DATE '2026-11-22'
       OR ended_on BETWEEN DATE '2025-12-01' AND DATE '2026-11-22'
    GROUP BY ALL
    UNION ALL
    SELECT partner_id, prefix || '_deployments',
           CAST(CASE WHEN distinct_services
                     THEN count(DISTINCT coalesce(nullif(service_id, ''), deployment_id))
                     ELSE count(*) END AS DECIMAL(38, 10))
    FROM read_parquet('{deployments}') JOIN areas USING (area)
    WHERE deployed_on BETWEEN DATE '2025-12-01' AND DATE '2026-11-22'
    GROUP BY partner_id, prefix, distinct_services
    UNION ALL
    SELECT partner_id, prefix || '_usage_growth',
           CASE growth
               WHEN 'users' THEN CAST(coalesce(now_users, 0) - coalesce(then_users, 0)
                                      AS DECIMAL(38, 10))
               WHEN 'amount' THEN CAST(coalesce(now_amount, 0) - coalesce(then_amount, 0)
                                       AS DECIMAL(38, 10))
               WHEN 'percent' THEN CASE WHEN coalesce(then_amount, 0) = 0 THEN 0 ELSE
                   -- (now - then) × 100 / then, to 10 decimals, half-up, in integers
                   CAST(sign(n) * ((2 * abs(n) + 1 * d) // (2 * d)) AS DECIMAL(38, 0))
                   * CAST(0.0000000001 AS DECIMAL(38, 10)) END
           END
    FROM (SELECT *,
                 CAST((coalesce(now_amount, 0) - coalesce(then_amount, 0)) * 10000 AS HUGEINT)
                     * 1000000000000 AS n,
                 CAST(coalesce(then_amount, 0) * 10000 AS HUGEINT) AS d
          FROM usage)
)
-- one row per partner and scored rule whose metric it has facts for (the others: 0)
SELECT u.partner_id, r.rule_no, r.track_no, u.units,
       CASE WHEN u.units <= 0 THEN CAST(0 AS DECIMAL(38, 10))
            -- "per 1": an exact product, rounded once, half-up, to 10 decimals
            WHEN r.per = 1 THEN least(CAST(r.max_points AS DECIMAL(38, 10)),
                                      CAST(round(u.units * r.unit_points, 10)
                                           AS DECIMAL(38, 10)))
            ELSE least(CAST(r.max_points AS DECIMAL(38, 10)),
                 -- units × points / per, to 10 decimals, half-up, in integers
                 CAST((2 * CAST(u.units * 10000000000 AS HUGEINT)
                         * CAST(r.unit_points * 100 AS HUGEINT) + CAST(r.per * 100 AS HUGEINT))
                      // (2 * CAST(r.per * 100 AS HUGEINT)) AS DECIMAL(38, 0))
                 * CAST(0.0000000001 AS DECIMAL(38, 10)))
       END AS points
FROM units u JOIN rules r USING (metric);

CREATE OR REPLACE TEMP TABLE kept AS
WITH
totals AS (
    SELECT partner_id, track_no, sum(points) AS total,
           count(*) FILTER (points > 0) AS positive
    FROM scored GROUP BY ALL
),
tracks AS (SELECT track_no, area, track, track_index, count(*) AS rules FROM rules GROUP BY ALL),
candidates AS (
    SELECT p.partner_id, t.area, t.track, t.track_index,
           CAST(coalesce(s.total, 0) AS DECIMAL(38, 10)) AS total,
           coalesce(s.positive, 0) = t.rules AS all_positive
    FROM read_parquet('{partners}') p CROSS JOIN tracks t
    LEFT JOIN totals s ON s.partner_id = p.partner_id AND s.track_no = t.track_no
    WHERE t.area <> 'security'  -- security: the track of the segment (MCPP-9)
       OR t.track = CASE p.customer_segment WHEN 'smb' THEN 'smb' ELSE 'enterprise' END
)
SELECT partner_id, area, best.track, best.total, best.all_positive,
       best.total >= 70 AND best.all_positive AS qualifies
FROM (SELECT partner_id, area,
             -- the best track: qualifying first, then the higher total, then the first listed
             arg_max({{'track': track, 'total': total, 'all_positive': all_positive}},
                     {{'q': total >= 70 AND all_positive, 't': total, 'i': -track_index}}) AS best
      FROM candidates GROUP BY partner_id, area);
"""
"""The MCPP scores of every partner and area on 2026-11-22 under the built-in terms;
the two result tables are then read from ``kept``, ``rules`` and ``scored``
(:data:`RESULTS_SQL`)."""

RESULTS_SQL = (
    """SELECT partner_id, area, DATE '2026-11-22' AS day, track, total,
              CAST(70 AS DECIMAL(38, 10)) AS threshold, all_positive, qualifies FROM kept""",
    """SELECT k.partner_id, k.area, k.track, CAST(r.position AS INTEGER) AS position, r.metric,
              coalesce(s.units, CAST(0 AS DECIMAL(38, 10))) AS units,
              coalesce(s.points, CAST(0 AS DECIMAL(38, 10))) AS points
       FROM kept k JOIN rules r USING (area, track)
       LEFT JOIN scored s ON s.partner_id = k.partner_id AND s.rule_no = r.rule_no""",
)

DIGEST_SQL = (
    """SELECT count(*), CAST(sum(total) AS VARCHAR),
              CAST(sum(hash(concat_ws('|', partner_id, area, track,
                   CAST(total AS DECIMAL(38, 10)), all_positive, qualifies))) AS VARCHAR)
       FROM areas""",
    """SELECT count(*), CAST(sum(points) AS VARCHAR),
              CAST(sum(hash(concat_ws('|', partner_id, area, track, position, metric,
                   CAST(units AS DECIMAL(38, 10)), CAST(points AS DECIMAL(38, 10))))) AS VARCHAR)
       FROM metrics""",
)


def sample_ids(partners: int) -> list[str]:
    return [f"org_b{i:07d}" for i in range(0, partners, SAMPLE_EVERY)]


def rows_digest(rows: list[tuple[Any, ...]]) -> str:
    """An order-independent digest of area rows, decimals to 10 places."""

    def text(value: Any) -> str:
        if isinstance(value, Decimal):
            return str(value.quantize(Decimal("1E-10")))
        return str(value)

    lines = sorted("|".join(text(v) for v in row) for row in rows)
    return hashlib.sha256("\n".join(lines).encode()).hexdigest()[:16]


def child(
    side: str, folder: Path, threads: int, memory_limit: str, partners: int
) -> dict[str, Any]:
    import duckdb
    from mcpp_data import DataSet

    data = DataSet(folder)
    path = {
        n: str(data.path(n))
        for n in (
            "partners",
            "certifications",
            "customers",
            "deployments",
            "usage",
            "members",
            "revenue",
        )
    }
    sample = set(sample_ids(partners))
    report: dict[str, Any] = {}
    if side == "reference":
        return reference_child(path, sample)
    if side == "batch":
        from alliance.batch.backends import duckdb_backend
        from alliance.batch.mcpp_scores import score_day
        from alliance.batch.oip_statuses import evaluate_statuses
        from alliance.programs.registry import ProgramRegistry
        from alliance.services.scorecard_terms import terms_from_program
        from alliance.services.status_terms import statuses_from_program

        registry = ProgramRegistry.load(None)
        terms = terms_from_program(registry.get("mcpp"))
        statuses = statuses_from_program(registry.get("oip"))
        backend = duckdb_backend(threads=threads, memory_limit=memory_limit)
        warm_up(backend, terms)
        started, cpu_started = time.perf_counter(), time.process_time()
        scores = score_day(
            DAY,
            terms,
            path["partners"],
            path["certifications"],
            path["customers"],
            path["deployments"],
            path["usage"],
            backend=backend,
        )
        report["seconds"] = time.perf_counter() - started
        report["cpu_seconds"] = time.process_time() - cpu_started
        started, cpu_started = time.perf_counter(), time.process_time()
        table = evaluate_statuses(DAY, statuses, path["members"], path["revenue"], backend=backend)
        report["oip_seconds"] = time.perf_counter() - started
        report["oip_cpu_seconds"] = time.process_time() - cpu_started
        report["oip_rows"] = table.num_rows
        status_rows = [
            (r["partner_id"], r["status"], r["counted_total"])
            for r in table.to_pylist()
            if r["partner_id"] in sample
        ]
        report["oip_sample_digest"] = rows_digest(status_rows)
        areas, metrics = scores.areas, scores.metrics
    else:
        config: dict[str, Any] = {
            "threads": threads,
            "memory_limit": memory_limit,
            "preserve_insertion_order": False,
        }
        connection = duckdb.connect(config=config)
        connection.sql("SELECT 1").fetchall()
        started, cpu_started = time.perf_counter(), time.process_time()
        connection.execute(HAND_WRITTEN_SQL.format(**path))
        areas = connection.sql(RESULTS_SQL[0]).to_arrow_table()
        metrics = connection.sql(RESULTS_SQL[1]).to_arrow_table()
        report["seconds"] = time.perf_counter() - started
        report["cpu_seconds"] = time.process_time() - cpu_started
    digest = duckdb.connect()
    digest.register("areas", areas)
    digest.register("metrics", metrics)
    report["digest"] = [list(digest.sql(q).fetchone() or ()) for q in DIGEST_SQL]
    report["qualified"] = digest.sql("SELECT count(*) FROM areas WHERE qualifies").fetchone()[0]
    mine = [
        (r["partner_id"], r["area"], r["track"], r["total"], r["all_positive"], r["qualifies"])
        for r in areas.to_pylist()
        if r["partner_id"] in sample
    ]
    report["sample_digest"] = rows_digest(mine)
    return report


def reference_child(path: dict[str, str], sample: set[str]) -> dict[str, Any]:
    """The reference on the sample: facts loaded into domain objects, then timed."""
    import duckdb

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
    from alliance.domain.scoring import PartnerFacts, area_scores
    from alliance.domain.statuses import assign_status
    from alliance.programs.registry import ProgramRegistry
    from alliance.services.scorecard_terms import terms_from_program
    from alliance.services.status_terms import statuses_from_program

    registry = ProgramRegistry.load(None)
    terms = terms_from_program(registry.get("mcpp"))
    statuses = statuses_from_program(registry.get("oip"))
    connection = duckdb.connect()
    import pyarrow as pa

    connection.register("sample", pa.table({"partner_id": sorted(sample)}))

    def rows(name: str) -> list[tuple[Any, ...]]:
        return connection.sql(
            f"SELECT * FROM read_parquet('{path[name]}') WHERE partner_id IN "
            "(SELECT partner_id FROM sample)"
        ).fetchall()

    by: dict[str, dict[str, list[Any]]] = {p: {} for p in sample}
    for r in rows("certifications"):
        by[r[0]].setdefault("c", []).append(Certification(*r))
    for r in rows("customers"):
        by[r[0]].setdefault("a", []).append(CustomerAssociation(*r))
    for r in rows("deployments"):
        by[r[0]].setdefault("d", []).append(Deployment(r[0], r[1], r[2], r[3], service_id=r[4]))
    for r in rows("usage"):
        by[r[0]].setdefault("u", []).append(
            UsageRecord(r[0], r[1], Month.parse(r[2]), r[3], int(r[4]))
        )
    segments = {r[0]: r[1] for r in rows("partners")}
    facts = [
        PartnerFacts(
            p,
            tuple(by[p].get("c", ())),
            tuple(by[p].get("a", ())),
            tuple(by[p].get("d", ())),
            tuple(by[p].get("u", ())),
            {"customer_segment": segments[p]} if segments.get(p) else {},
        )
        for p in sorted(sample)
    ]
    lines: dict[str, list[RevenueLine]] = {p: [] for p in sample}
    for r in rows("revenue"):
        lines[r[0]].append(
            RevenueLine(r[0], Month.parse(r[1]), Money(r[2], r[3]), RevenueKind(r[4]), r[5])
        )
    members = rows("members")
    started, cpu_started = time.perf_counter(), time.process_time()
    mine = []
    for partner in facts:
        for area_id, score in area_scores(terms, partner, DAY).items():
            mine.append(
                (
                    partner.partner_id,
                    area_id,
                    score.track,
                    score.total,
                    score.all_positive,
                    score.qualifies,
                )
            )
    seconds, cpu_seconds = time.perf_counter() - started, time.process_time() - cpu_started
    started, cpu_started = time.perf_counter(), time.process_time()
    status_rows = []
    for partner_id, member_type, since in members:
        outcome = assign_status(partner_id, member_type, lines[partner_id], DAY, statuses, since)
        status_rows.append((partner_id, outcome.status.id, outcome.measure.total.amount))
    return {
        "seconds": seconds,
        "cpu_seconds": cpu_seconds,
        "oip_seconds": time.perf_counter() - started,
        "oip_cpu_seconds": time.process_time() - cpu_started,
        "partners": len(facts),
        "facts": sum(
            len(p.certifications) + len(p.customers) + len(p.deployments) + len(p.usage)
            for p in facts
        ),
        "sample_digest": rows_digest(mine),
        "oip_sample_digest": rows_digest(status_rows),
    }


def warm_up(backend: Any, terms: Any) -> None:
    """One evaluation of one partner without facts, so that imports made on first use
    happen before the clock starts, as in a long-running service."""
    from alliance.batch.mcpp_scores import classifying_attributes, score_day
    from alliance.batch.tier_facts import (
        certifications_table,
        customers_table,
        deployments_table,
        partners_table,
        usage_table,
    )
    from alliance.domain.scoring import PartnerFacts

    score_day(
        DAY,
        terms,
        partners_table([PartnerFacts("org_warm")], classifying_attributes(terms)),
        certifications_table([]),
        customers_table([]),
        deployments_table([]),
        usage_table([]),
        backend=backend,
    )


@dataclass(frozen=True)
class Measurement:
    side: str
    peak_rss_mib: float
    report: dict[str, Any]


def measure(side: str, args: argparse.Namespace, folder: Path) -> Measurement:
    command = [
        sys.executable,
        str(Path(__file__).resolve()),
        "--child",
        side,
        "--data",
        str(folder),
        "--threads",
        str(args.threads),
        "--memory-limit",
        args.memory_limit,
        "--partners",
        str(args.partners),
    ]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, text=True)
    assert process.stdout is not None
    output = process.stdout.read()
    _, status, usage = os.wait4(process.pid, 0)
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"{side} failed")
    return Measurement(side, usage.ru_maxrss / 1024, json.loads(output.strip().splitlines()[-1]))


def machine() -> str:
    model = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        ),
        "unknown CPU",
    )
    memory_kib = next(
        int(line.split()[1])
        for line in Path("/proc/meminfo").read_text().splitlines()
        if line.startswith("MemTotal")
    )
    return (
        f"{model}, {os.cpu_count()} cores, {memory_kib / 1024**2:.0f} GiB RAM, "
        f"Python {platform.python_version()}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--partners", type=int, default=400_000)
    parser.add_argument("--facts", type=int, default=10_000_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--reference-runs", type=int, default=1)
    parser.add_argument("--threads", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--memory-limit", default="3GB")
    parser.add_argument("--data", type=Path)
    parser.add_argument("--child", choices=["batch", "sql", "reference"], help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(
            json.dumps(
                child(args.child, args.data, args.threads, args.memory_limit, args.partners),
                default=str,
            )
        )
        return
    import duckdb
    import ibis
    from mcpp_data import ensure

    folder = args.data or HERE / "data" / f"mcpp-{args.facts}-{args.partners}"
    started = time.perf_counter()
    ensure(folder, args.partners, args.facts)
    print(f"data: {folder} ({time.perf_counter() - started:.0f} s to ensure)")
    print(f"machine: {machine()}; ibis {ibis.__version__}, duckdb {duckdb.__version__}")
    runs: list[Measurement] = []
    for run in range(args.runs):
        for side in ("batch", "sql") if run % 2 == 0 else ("sql", "batch"):
            m = measure(side, args, folder)
            runs.append(m)
            extra = (
                f", OIP {m.report['oip_seconds']:.2f} s (CPU {m.report['oip_cpu_seconds']:.2f})"
                if side == "batch"
                else ""
            )
            print(
                f"run {run + 1} {side:5}: MCPP {m.report['seconds']:7.2f} s "
                f"(CPU {m.report['cpu_seconds']:6.2f} s){extra}, {m.peak_rss_mib:6.0f} MiB, "
                f"digest {m.report['digest']}",
                flush=True,
            )
    references = [measure("reference", args, folder) for _ in range(args.reference_runs)]
    for m in references:
        print(
            f"reference: {m.report['partners']} partners, {m.report['facts']} facts: MCPP "
            f"{m.report['seconds']:.2f} s (CPU {m.report['cpu_seconds']:.2f} s), OIP "
            f"{m.report['oip_seconds']:.2f} s, {m.peak_rss_mib:.0f} MiB",
            flush=True,
        )
    report(runs, references, args.partners)


def report(runs: list[Measurement], references: list[Measurement], partners: int) -> None:
    digests = {json.dumps(m.report["digest"]) for m in runs}
    if len(digests) != 1:
        raise SystemExit(f"batch and SQL disagree: {sorted(digests)}")
    samples = {m.report["sample_digest"] for m in runs + references}
    if len(samples) != 1:
        raise SystemExit(f"batch/SQL and the reference disagree on the sample: {samples}")
    oip = {
        m.report["oip_sample_digest"] for m in runs + references if "oip_sample_digest" in m.report
    }
    if len(oip) != 1:
        raise SystemExit(f"batch and reference OIP statuses disagree on the sample: {oip}")
    by_side = {s: [m for m in runs if m.side == s] for s in ("batch", "sql")}
    med = {s: statistics.median(m.report["seconds"] for m in ms) for s, ms in by_side.items()}
    cpu = {s: statistics.median(m.report["cpu_seconds"] for m in ms) for s, ms in by_side.items()}
    peak = {s: max(m.peak_rss_mib for m in ms) for s, ms in by_side.items()}
    oip_med = statistics.median(m.report["oip_seconds"] for m in by_side["batch"])
    oip_cpu = statistics.median(m.report["oip_cpu_seconds"] for m in by_side["batch"])
    ref = statistics.median(m.report["seconds"] for m in references)
    ref_cpu = statistics.median(m.report["cpu_seconds"] for m in references)
    ref_oip = statistics.median(m.report["oip_seconds"] for m in references)
    n_ref = references[0].report["partners"]
    print()
    print("| side | partners | median wall time | runs (wall) | median CPU time | peak memory |")
    print("|---|---|---|---|---|---|")
    for s, ms in by_side.items():
        print(
            f"| {s} MCPP | {partners:,} | {med[s]:.2f} s | "
            + ", ".join(f"{m.report['seconds']:.2f}" for m in ms)
            + f" | {cpu[s]:.2f} s | {peak[s]:.0f} MiB |"
        )
    print(
        f"| batch OIP | {partners:,} | {oip_med:.2f} s | "
        + ", ".join(f"{m.report['oip_seconds']:.2f}" for m in by_side["batch"])
        + f" | {oip_cpu:.2f} s | (same process) |"
    )
    print(
        f"| reference MCPP | {n_ref:,} (1 %) | {ref:.2f} s | "
        + ", ".join(f"{m.report['seconds']:.2f}" for m in references)
        + f" | {ref_cpu:.2f} s | {max(m.peak_rss_mib for m in references):.0f} MiB |"
    )
    print(
        f"| reference OIP | {n_ref:,} (1 %) | {ref_oip:.2f} s | | "
        f"{statistics.median(m.report['oip_cpu_seconds'] for m in references):.2f} s | |"
    )
    print()
    print(
        f"batch / hand-written SQL (MCPP): {med['batch'] / med['sql']:.2f} wall, "
        f"{cpu['batch'] / cpu['sql']:.2f} CPU (target ≤ 1.5)"
    )
    per_batch = med["batch"] / partners
    per_ref = ref / n_ref
    print(
        f"per partner, wall: batch {per_batch * 1e6:.1f} µs, reference {per_ref * 1e6:.0f} µs: "
        f"batch {per_ref / per_batch:.0f}× faster (target ≥ 50×); with OIP: "
        f"{(ref + ref_oip) / n_ref / ((med['batch'] + oip_med) / partners):.0f}×"
    )
    ref_oip_cpu = statistics.median(m.report["oip_cpu_seconds"] for m in references)
    cpu_batch, cpu_ref = cpu["batch"] / partners, ref_cpu / n_ref
    print(
        f"per partner, CPU: batch {cpu_batch * 1e6:.1f} µs, reference {cpu_ref * 1e6:.0f} µs: "
        f"batch {cpu_ref / cpu_batch:.0f}× less CPU; with OIP: "
        f"{(ref_cpu + ref_oip_cpu) / n_ref / ((cpu['batch'] + oip_cpu) / partners):.0f}×"
    )
    print(
        f"results identical: batch = SQL {runs[0].report['digest']}; "
        f"sample = reference {runs[0].report['sample_digest']}; "
        f"{runs[0].report['qualified']} qualifying partner-areas"
    )


if __name__ == "__main__":
    main()
