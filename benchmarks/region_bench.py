"""Region benchmark: many branches forecast, staffed and rostered in parallel, and the pool.

Three measurements on one seeded region of branches of one family (M by default):

1. **Scaling curve.** The same subset of branches (``--subset``) is run with 1, 2, ...
   ``--max-workers`` workers, ``--repeats`` times each, on the local process pool and on Ray
   (when installed), at a fixed solver limit (``--scaling-time-limit``). Reported: median
   wall time, throughput in branches per core-minute, and that throughput as a share of the
   1-worker rate measured in the same run (the single-branch baseline). Also the workers'
   busy share: the branches' own wall times over workers x the run's wall time. It shows
   what the engine itself costs (start-up, hand-over, idle slots) and, unlike throughput,
   is not lowered when other work on the machine slows every branch alike.
2. **Full run.** Every branch of the region with ``--max-workers`` workers and the float
   pool, with the region command's defaults: a 10-minute budget (``--budget``) from which
   each branch's solver limit is derived, or a fixed ``--time-limit``. Reported: per-stage
   times (median per branch, sum), wall time against the budget, the solver limits the
   budget gave, throughput, solve statuses, the distribution of gaps, shortfall
   before/after the pool and peak memory (the largest branch process, and this process).
3. **Paper estimate** for ``--estimate-branches`` branches (500): per-branch cost x branches
   / cores, and the cores needed to finish within an hour.

Each branch runs CP-SAT with one search worker (so workers x 1 <= cores). Usage::

    .venv/bin/python benchmarks/region_bench.py                      # 50 M branches
    .venv/bin/python benchmarks/region_bench.py --branches 6 --subset 2 --budget 1m

Prints a Markdown report (``--json PATH`` also writes the figures, atomically). The machine
is shared, so the load average is printed with the numbers.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from scheduler.io.atomic import atomic_write_text  # noqa: E402
from scheduler.region.budget import parse_duration  # noqa: E402
from scheduler.region.engines import ray_available  # noqa: E402
from scheduler.region.generate import generate_region  # noqa: E402
from scheduler.region.run import RegionResult, run_region  # noqa: E402
from scheduler.region.spec import RegionSpec, dump_region, load_region  # noqa: E402

WEEK = "2026-W49"


def _quantiles(values: list[float]) -> str:
    """Min, median, p90 and max of ``values`` in words."""
    if not values:
        return "n/a"
    values = sorted(values)
    n = len(values)

    def q(p: float) -> float:
        return values[min(n - 1, round(p * (n - 1)))]

    return f"min {q(0):.3g}, median {q(0.5):.3g}, p90 {q(0.9):.3g}, max {q(1):.3g}"


def _subset_region(source: Path, spec: RegionSpec, n: int, folder: Path) -> Path:
    """A region file listing the first ``n`` branches of ``spec`` (folders shared)."""
    branches = [
        b.model_copy(update={"path": str((source / b.path).resolve())}) for b in spec.branches[:n]
    ]
    sub = spec.model_copy(update={"branches": branches, "floaters": []})
    folder.mkdir(parents=True, exist_ok=True)
    dump_region(sub, folder)
    return folder


def _run(
    region: Path,
    out: Path,
    workers: int,
    engine: str,
    limit: float | None,
    pool: bool,
    budget_s: float | None = None,
) -> Any:
    """One region run (a fixed solver limit, or a budget); returns the result and wall time."""
    t0 = time.perf_counter()
    result = run_region(
        region,
        WEEK,
        out,
        workers=workers,
        time_limit_per_branch=limit,
        budget_s=budget_s,
        engine=engine,
        use_pool=pool,
        solver_workers=1,
        on_note=lambda line: print(f"  {line}", flush=True),
    )
    return result, time.perf_counter() - t0


def scaling(
    region: Path, n: int, max_workers: int, repeats: int, limit: float, engines: list[str]
) -> list[dict[str, Any]]:
    """Median wall time and per-core throughput for 1..max_workers workers per engine."""
    rows: list[dict[str, Any]] = []
    with tempfile.TemporaryDirectory(prefix="region-bench-") as tmp:
        for engine in engines:
            base_rate = None
            for w in range(1, max_workers + 1):
                walls, busy = [], []
                ok = 0
                for r in range(repeats):
                    out = Path(tmp) / f"{engine}-{w}-{r}"
                    result, wall = _run(region, out, w, engine, limit, pool=False)
                    walls.append(wall)
                    busy.append(sum(o.wall_s for o in result.outcomes.values()) / (w * wall))
                    ok = sum(1 for o in result.outcomes.values() if o.status == "ok")
                wall = statistics.median(walls)
                rate = n / (wall / 60) / w  # branches per core-minute
                base_rate = base_rate or rate
                rows.append(
                    {
                        "engine": engine,
                        "workers": w,
                        "branches": n,
                        "ok": ok,
                        "median_wall_s": round(wall, 1),
                        "walls_s": [round(x, 1) for x in walls],
                        "branches_per_core_min": round(rate, 2),
                        "vs_1_worker": round(rate / base_rate, 2),
                        "busy_share": round(statistics.median(busy), 3),
                    }
                )
                print(f"  {engine} x{w}: {wall:.1f} s, {rate:.2f} branches/core-min", flush=True)
    return rows


def full_run(
    region: Path, workers: int, limit: float | None, budget_s: float | None
) -> dict[str, Any]:
    """Every branch with the float pool; stage times, statuses, gaps, shortfall, memory."""
    with tempfile.TemporaryDirectory(prefix="region-bench-full-") as tmp:
        result, wall = _run(
            region, Path(tmp) / "out", workers, "local", limit, pool=True, budget_s=budget_s
        )
    assert isinstance(result, RegionResult)
    outcomes = list(result.outcomes.values())
    firsts = [result.first_pass.get(o.branch_id, o) for o in outcomes]
    stages: dict[str, list[float]] = {}
    for o in firsts:
        for k, v in o.timings.items():
            stages.setdefault(k, []).append(v)
    statuses: dict[str, int] = {}
    for o in outcomes:
        key = o.roster_status or o.status
        statuses[key] = statuses.get(key, 0) + 1
    gaps = [o.gap for o in outcomes if o.gap is not None]
    n = len(outcomes)
    first_pass_wall = sum(o.wall_s for o in firsts)
    second = [o for o in outcomes if o.branch_id in result.first_pass]
    first_limits = [o.time_limit_s for o in firsts if o.time_limit_s is not None]
    second_limits = [o.time_limit_s for o in second if o.time_limit_s is not None]
    return {
        "branches": n,
        "workers": workers,
        "budget_s": result.budget_s,
        "wall_s": round(wall, 1),
        "limit_first_pass": _quantiles(first_limits),
        "limit_second_pass": _quantiles(second_limits),
        "throughput_branches_per_core_min": round(n / (wall / 60) / workers, 2),
        "first_pass_branch_s_median": round(statistics.median(o.wall_s for o in firsts), 2),
        "first_pass_branch_s_sum": round(first_pass_wall, 1),
        "second_pass_branches": len(second),
        "second_pass_branch_s_sum": round(sum(o.wall_s for o in second), 1),
        "stage_median_s": {k: round(statistics.median(v), 2) for k, v in stages.items()},
        "stage_sum_s": {k: round(sum(v), 1) for k, v in stages.items()},
        "statuses": statuses,
        "gap": _quantiles(gaps),
        "pool": None
        if result.pool is None
        else {
            "floater_days": len(result.pool.plan.assignments),
            "applied": sum(1 for a in result.pool.plan.assignments if a.applied),
            "shortfall_before_after_h": list(result.pool.before[:1] + result.pool.after[:1]),
            "weighted_before_after": [result.pool.before[1], result.pool.after[1]],
        },
        "peak_rss_branch_mb": max((o.peak_rss_mb or 0.0) for o in outcomes),
        "peak_rss_driver_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
    }


def main() -> None:
    """Run the benchmark and print the report."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--branches", type=int, default=50)
    parser.add_argument("--family", default="M", choices=["S", "M", "L"])
    parser.add_argument("--subset", type=int, default=4, help="Branches in the scaling curve.")
    parser.add_argument("--max-workers", type=int, default=2)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument(
        "--budget", default="10m", help="Full run's wall-time budget (the command's default)."
    )
    parser.add_argument(
        "--time-limit", type=float, default=None, help="Full run: a fixed solver limit instead."
    )
    parser.add_argument(
        "--scaling-time-limit", type=float, default=6.0, help="Scaling curve's solver limit."
    )
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--estimate-branches", type=int, default=500)
    parser.add_argument("--no-ray", action="store_true", help="Skip Ray even if installed.")
    parser.add_argument("--skip-full", action="store_true", help="Only the scaling curve.")
    parser.add_argument("--skip-scaling", action="store_true", help="Only the full run.")
    parser.add_argument("--json", type=Path, default=None, help="Also write the figures here.")
    args = parser.parse_args()
    if args.skip_full and args.skip_scaling:
        parser.error("--skip-full and --skip-scaling leave nothing to measure")

    report: dict[str, Any] = {
        "machine": f"{platform.machine()}, {os.cpu_count()} CPUs, "
        f"Python {platform.python_version()}",
        "load_average_start": [round(x, 2) for x in os.getloadavg()],
        "settings": vars(args) | {"json": str(args.json) if args.json else None},
    }
    with tempfile.TemporaryDirectory(prefix="region-bench-data-") as data:
        folder = Path(data) / "region"
        t0 = time.perf_counter()
        generate_region(folder, args.branches, WEEK, args.seed, mix={args.family: 1.0})
        report["generate_s"] = round(time.perf_counter() - t0, 1)
        print(f"generated {args.branches} {args.family} branches in {report['generate_s']} s")
        spec = load_region(folder)
        sub = _subset_region(folder, spec, args.subset, Path(data) / "subset")
        engines = ["local"] + (["ray"] if ray_available() and not args.no_ray else [])
        report["scaling"] = []
        if not args.skip_scaling:
            print("scaling curve:", flush=True)
            report["scaling"] = scaling(
                sub, args.subset, args.max_workers, args.repeats, args.scaling_time_limit, engines
            )
        if not args.skip_full:
            print(f"full run of {args.branches} branches with the pool:", flush=True)
            budget_s = None if args.time_limit else parse_duration(args.budget)
            report["full"] = full_run(folder, args.max_workers, args.time_limit, budget_s)
    report["load_average_end"] = [round(x, 2) for x in os.getloadavg()]

    local1 = [r for r in report["scaling"] if r["engine"] == "local" and r["workers"] == 1]
    if "full" in report:  # each branch ran on one core: its own wall time is its cost
        per_branch_s = report["full"]["first_pass_branch_s_median"]
    else:  # one worker: wall time per branch is its cost in core-seconds
        per_branch_s = local1[0]["median_wall_s"] / local1[0]["branches"]
    n = args.estimate_branches
    report["estimate"] = {
        "branches": n,
        "per_branch_core_s": round(per_branch_s, 1),
        "core_hours": round(per_branch_s * n / 3600, 2),
        "wall_min_on_2_cores": round(per_branch_s * n / 2 / 60, 1),
        "cores_for_1_hour": int(-(-per_branch_s * n // 3600)),
    }
    print(_markdown(report))
    if args.json:
        atomic_write_text(args.json, json.dumps(report, indent=2, ensure_ascii=False) + "\n")


def _markdown(r: dict[str, Any]) -> str:
    """The report as Markdown tables."""
    s = r["settings"]
    limit = f"fixed {s['time_limit']:g} s" if s["time_limit"] else f"budget {s['budget']}"
    lines = [
        f"## Region benchmark ({s['family']} branches, full run: {limit}; scaling curve: "
        f"{s['scaling_time_limit']:g} s; 1 CP-SAT worker per branch)",
        "",
        f"Machine: {r['machine']}; load average {r['load_average_start']} -> "
        f"{r['load_average_end']}. Generating {s['branches']} branches: {r['generate_s']} s.",
        "",
        "| engine | workers | branches | ok | median wall (s) | branches / core-min "
        "| vs 1 worker | workers busy |",
        "| --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    if not r["scaling"]:
        lines = lines[:-3]
    for x in r["scaling"]:
        lines.append(
            f"| {x['engine']} | {x['workers']} | {x['branches']} | {x['ok']} | "
            f"{x['median_wall_s']} | {x['branches_per_core_min']} | {x['vs_1_worker']:.0%} | "
            f"{x['busy_share']:.0%} |"
        )
    f = r.get("full")
    if f:
        lines += [
            "",
            f"Full run: {f['branches']} branches on {f['workers']} workers in {f['wall_s']} s "
            f"(budget {f['budget_s'] or 'none'} s; "
            f"{f['throughput_branches_per_core_min']} branches / core-min), float pool included.",
            f"Solver limits given: first pass {f['limit_first_pass']} s; second pass "
            f"{f['limit_second_pass']} s.",
            "",
            "| stage | median per branch (s) | sum (s) |",
            "| --- | --- | --- |",
        ]
        for k, v in f["stage_median_s"].items():
            lines.append(f"| {k} | {v} | {f['stage_sum_s'][k]} |")
        lines += [
            f"| whole branch (first pass) | {f['first_pass_branch_s_median']} | "
            f"{f['first_pass_branch_s_sum']} |",
            f"| second pass ({f['second_pass_branches']} branches with floaters) | | "
            f"{f['second_pass_branch_s_sum']} |",
            "",
            f"Statuses: {f['statuses']}. Gap: {f['gap']}.",
            f"Peak memory: {f['peak_rss_branch_mb']} MiB per branch process, "
            f"{f['peak_rss_driver_mb']} MiB driver.",
        ]
        if f["pool"]:
            p = f["pool"]
            lines.append(
                f"Float pool: {p['floater_days']} floater-days sent, {p['applied']} kept; "
                f"shortfall {p['shortfall_before_after_h'][0]:g} -> "
                f"{p['shortfall_before_after_h'][1]:g} staff-hours, weighted "
                f"{p['weighted_before_after'][0]:g} -> {p['weighted_before_after'][1]:g}."
            )
    e = r["estimate"]
    lines += [
        "",
        f"Paper estimate for {e['branches']} branches: {e['per_branch_core_s']} core-s per "
        f"branch -> {e['core_hours']} core-hours; {e['wall_min_on_2_cores']} min on 2 cores; "
        f"{e['cores_for_1_hour']} core(s) to finish within an hour.",
    ]
    return "\n".join(lines)


if __name__ == "__main__":
    main()
