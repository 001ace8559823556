"""The roster model on the published Shift Scheduling Benchmark instances (Curtois and Qu).

Each instance file is read with :mod:`scheduler.io.shift_benchmark`, stated with the
product's own rules, solved by the same ``solve`` a branch uses (same phases, hints and
defaults) and scored again by the benchmark's own definition from the roster alone. The
table gives our status, objective, proven bound and gap, the recomputed objective, broken
hard limits (must be 0), the time, and the best objective published for the instance with
our ratio to it.

The instance files are not shipped with the project: download them from
schedulingbenchmarks.org ("Shift Scheduling Benchmark Data Sets", Instance1.txt ...
Instance24.txt) into a folder and pass it with ``--instances``. A roster covers at most 53
weeks, so every instance (14 to 364 days) can be run; beyond 8 weeks the models are large.

Run: ``.venv/bin/python benchmarks/shift_benchmark_bench.py --instances DIR [--names
Instance1 Instance2] [--limit 60] [--repeats 1] [--out benchmarks/results]``.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from scheduler.io.shift_benchmark import (  # noqa: E402
    benchmark_score,
    read_shift_benchmark,
    to_request,
)
from scheduler.roster import SolveOptions, solve  # noqa: E402
from scheduler.roster.prepare import MAX_HORIZON_DAYS  # noqa: E402

BEST_KNOWN: dict[str, int] = {
    "Instance1": 607,
    "Instance2": 828,
    "Instance3": 1001,
    "Instance4": 1716,
    "Instance5": 1143,
    "Instance6": 1950,
    "Instance7": 1056,
    "Instance8": 1308,
    "Instance9": 439,
    "Instance10": 4631,
    "Instance11": 3443,
    "Instance12": 4040,
    "Instance13": 1905,
    "Instance14": 1279,
    "Instance15": 3928,
    "Instance16": 3225,
    "Instance17": 5750,
    "Instance18": 4650,
    "Instance19": 3218,
}
"""Best published objective per instance (see :data:`SOURCE`)."""

SOURCE = (
    "the least objective per instance in the comparison tables of the ORProjects/NRP "
    "repository (ComputationalResults/README.md: IP&VNS hybrid, ejection chain, Gurobi, "
    "branch and price and that study, 10- and 60-minute runs)"
)
"""Where :data:`BEST_KNOWN` was read."""


def run_one(path: Path, limit: float, workers: int, seed: int) -> dict[str, Any]:
    """Read, solve and score one instance."""
    instance = read_shift_benchmark(path)
    started = time.perf_counter()
    request = to_request(instance)
    result = solve(request, SolveOptions(time_limit_s=limit, workers=workers, seed=seed))
    seconds = time.perf_counter() - started
    stats = result.stats
    row: dict[str, Any] = {
        "instance": instance.name,
        "days": instance.days,
        "staff": len(instance.staff),
        "shift_types": len(instance.shift_minutes),
        "status": stats.status,
        "objective": stats.objective,
        "bound": stats.best_bound,
        "gap": stats.gap,
        "seconds": round(seconds, 2),
        "variables": stats.variables,
        "unmeetable_weight": instance.unmeetable_weight,
    }
    if result.feasible:
        score = benchmark_score(instance, result.shifts)
        row["benchmark_objective"] = score.objective
        row["broken"] = len(score.violations)
        row["parts"] = score.parts
    best = BEST_KNOWN.get(instance.name)
    if best is not None and row.get("benchmark_objective") is not None:
        row["best_known"] = best
        row["ratio"] = row["benchmark_objective"] / max(1, best)
    return row


def _fmt(value: Any, pct: bool = False) -> str:
    if value is None:
        return "-"
    if pct:
        return f"{100 * value:.2f}%"
    if isinstance(value, float):
        return f"{value:g}"
    return str(value)


def markdown(report: dict[str, Any]) -> str:
    """The results as a Markdown table with the run's conditions."""
    lines = [
        "# Shift Scheduling Benchmark",
        "",
        f"Run {report['when']} on {report['machine']}, CP-SAT {report['workers']} workers, "
        f"{report['limit']:g} s per instance, seed {report['seed']}, repeats "
        f"{report['repeats']} (median objective), load average {report['load_before']} before "
        f"and {report['load_after']} after.",
        "",
        "`objective` is the roster model's, `scored` the benchmark's own objective recomputed "
        "from the roster, `broken` the hard limits it breaks; `best` the best published "
        "objective and `ratio` scored / best (below 1: better than published).",
        "",
        "| instance | days | staff | shifts | status | objective | bound | gap | scored | broken "
        "| time s | best | ratio |",
        "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    for r in report["rows"]:
        best = r.get("best_known")
        ratio = r.get("ratio")
        lines.append(
            f"| {r['instance']} | {r['days']} | {r['staff']} | {r['shift_types']} | "
            f"{r['status']} | {_fmt(r['objective'])} | {_fmt(r['bound'])} | "
            f"{_fmt(r['gap'], True)} | {_fmt(r.get('benchmark_objective'))} | "
            f"{_fmt(r.get('broken'))} | {_fmt(r['seconds'])} | "
            f"{_fmt(best)} | "
            f"{'-' if ratio is None else f'{ratio:.3f}'} |"
        )
    if report.get("source"):
        lines += ["", f"Best published values: {report['source']}."]
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--instances", type=Path, required=True, help="folder of InstanceN.txt")
    parser.add_argument("--names", nargs="*", help="instance names (default: all that fit)")
    parser.add_argument("--limit", type=float, default=60.0, help="seconds per instance")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--repeats", type=int, default=1, help="runs per instance (median)")
    parser.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "results")
    args = parser.parse_args(argv)

    if args.names:
        paths = [args.instances / f"{n}.txt" for n in args.names]
    else:
        paths = sorted(args.instances.glob("Instance*.txt"), key=lambda p: int(p.stem[8:] or 0))
        paths = [p for p in paths if read_shift_benchmark(p).days <= MAX_HORIZON_DAYS]
    load_before = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    rows = []
    for path in paths:
        runs = [run_one(path, args.limit, args.workers, args.seed + i) for i in range(args.repeats)]
        runs.sort(
            key=lambda r: (r.get("benchmark_objective") is None, r.get("benchmark_objective"))
        )
        row = runs[len(runs) // 2]
        if args.repeats > 1:
            row["objectives"] = [r.get("benchmark_objective") for r in runs]
            row["seconds"] = statistics.median(r["seconds"] for r in runs)
        rows.append(row)
        print(
            f"{row['instance']}: {row['status']} objective {row['objective']} bound "
            f"{row['bound']} scored {row.get('benchmark_objective')} broken "
            f"{row.get('broken')} best {row.get('best_known')} {row['seconds']} s",
            flush=True,
        )
    report = {
        "when": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
        "machine": f"{platform.system()} {platform.machine()}, Python "
        f"{platform.python_version()} ({os.cpu_count()} CPUs)",
        "workers": args.workers,
        "limit": args.limit,
        "seed": args.seed,
        "repeats": args.repeats,
        "load_before": load_before,
        "load_after": ", ".join(f"{x:.1f}" for x in os.getloadavg()),
        "source": SOURCE,
        "rows": rows,
    }
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "shift_benchmark.json").write_text(json.dumps(report, indent=2, default=str))
    (args.out / "shift_benchmark.md").write_text(markdown(report), encoding="utf-8")
    print(markdown(report))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
