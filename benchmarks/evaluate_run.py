"""Benchmark: the whole MCPP evaluation — ``alliance evaluate --program mcpp`` — from the
facts to the outcomes saved, timed by stage.

    .venv/bin/python benchmarks/evaluate_run.py --partners 4000 --facts 100000
    .venv/bin/python benchmarks/evaluate_run.py --partners 40000 --facts 1000000
    .venv/bin/python benchmarks/evaluate_run.py --partners 4000 --facts 100000 --no-prune

The data set is :mod:`mcpp_data`'s (Parquet in ``benchmarks/data/``, generated once). The
facts are given to the service as Arrow tables read from the Parquet files
(:class:`~alliance.services.evaluation.evaluators.GivenFacts` — what ``evaluate`` reads
from the facts store, without the hours of loading 10 M rows into SQLite); the outcomes
are saved in a temporary SQLite database migrated to head, by the same use case the CLI
calls (:func:`alliance.services.evaluation.runs.evaluate`). Each stage's time is taken
from the service's progress reports (first report to last); "reading facts" is the
Parquet read, before the clock of the service starts.

``--no-prune`` evaluates without the window bounds (every partner-area not qualifying on
the day is replayed), as before :mod:`alliance.batch.mcpp_bounds`.
"""

from __future__ import annotations

import argparse
import functools
import sys
import tempfile
import time
from pathlib import Path

import pyarrow.parquet as pq

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "src"))
sys.path.insert(0, str(HERE))

from mcpp_data import AS_OF, ensure  # noqa: E402

from alliance.domain.access import Actor  # noqa: E402
from alliance.programs.registry import ProgramRegistry  # noqa: E402
from alliance.services.evaluation import evaluators  # noqa: E402
from alliance.services.evaluation.evaluators import GivenFacts  # noqa: E402
from alliance.services.evaluation.mcpp import McppEvaluator  # noqa: E402
from alliance.services.evaluation.runs import evaluate  # noqa: E402
from alliance.services.tier_facts.ports import FactKind  # noqa: E402
from alliance.store import migrate  # noqa: E402
from alliance.store.database import create_engine_for, session_factory  # noqa: E402
from alliance.store.unit_of_work import SqlUnitOfWork  # noqa: E402

KINDS = {
    FactKind.PARTNERS: "partners",
    FactKind.CERTIFICATIONS: "certifications",
    FactKind.CUSTOMERS: "customers",
    FactKind.DEPLOYMENTS: "deployments",
    FactKind.USAGE: "usage",
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--partners", type=int, default=4_000)
    parser.add_argument("--facts", type=int, default=100_000)
    parser.add_argument("--no-prune", action="store_true")
    args = parser.parse_args()

    folder = HERE / "data" / f"mcpp-{args.facts}-{args.partners}"
    data = ensure(folder, args.partners, args.facts)
    started = time.perf_counter()
    facts = GivenFacts({kind: pq.read_table(data.path(name)) for kind, name in KINDS.items()})
    read = time.perf_counter() - started
    evaluators.register("scorecard", functools.partial(McppEvaluator, prune=not args.no_prune))

    stages: dict[str, list[float]] = {}
    counts: dict[str, int] = {}

    def progress(stage: str, done: int, total: int) -> None:
        now = time.perf_counter()
        stages.setdefault(stage, [now, now])[1] = now
        counts[stage] = total

    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{tmp}/bench.db"
        migrate.upgrade(url)
        engine = create_engine_for(url)
        sessions = session_factory(engine)
        started = time.perf_counter()
        summary = evaluate(
            SqlUnitOfWork(sessions),
            Actor.system("benchmark"),
            ProgramRegistry.load(None),
            "mcpp",
            AS_OF,
            facts=facts,
            progress=progress,
        )
        total = time.perf_counter() - started
        engine.dispose()

    prune = "without" if args.no_prune else "with"
    print(f"{args.partners} partners, {args.facts} facts, {prune} pruning, as of {AS_OF}")
    print(f"  reading facts (Parquet)     {read:8.1f} s")
    previous = started
    for stage, (_first, last) in stages.items():
        # a stage runs from the end of the one before it to its last report
        print(f"  {stage:<27} {last - previous:8.1f} s  ({counts[stage]})")
        previous = last
    print(f"  evaluate (total)            {total:8.1f} s")
    print(f"  outcomes {summary.run.outcomes}, results {dict(summary.run.results)}")


if __name__ == "__main__":
    main()
