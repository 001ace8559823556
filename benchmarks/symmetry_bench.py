"""Symmetry breaking between interchangeable people: the same solves with it on and off.

Instances: a week of a branch with ``n`` tellers alike in everything (cash and non-cash
counters, hourly needs with a midday and an afternoon peak, contract hours, weekend fairness
and post switches soft), open mornings only with one shift, or all day with an early and a
late shift, for several ``n``; and, as a control where nobody is interchangeable,
the seeded M instances (the ordering must then change nothing). Every solve runs in this
process with 2 workers and a wall-clock limit, with ``SolveOptions.symmetry`` on and off in
the same run; medians over solver seeds.

Usage::

    .venv/bin/python benchmarks/symmetry_bench.py [--limit 10] [--seeds 3] [--morning 10]
        [--sizes 8 12 16] [--control 2]

Writes ``benchmarks/results/symmetry.md`` and ``symmetry.json`` atomically.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import statistics
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

from scheduler.instances import make_instance  # noqa: E402
from scheduler.io.atomic import atomic_write_text  # noqa: E402
from scheduler.roster import RosterRequest, SolveOptions, build_model, solve  # noqa: E402
from scheduler.roster.symmetry import interchangeable_groups  # noqa: E402

PEAK = {9: 3, 10: 4, 11: 5, 12: 3, 13: 3, 14: 4, 15: 5, 16: 4}


def morning_tellers(n: int) -> RosterRequest:
    """A week of mornings (09:00-13:00, one shift), ``n`` alike tellers, every rule at weight
    100 that the tests' ``branch`` keeps (coverage, contract hours, weekends, switches soft;
    labour rules hard)."""
    from roster.instances import person, post, request
    from roster.instances_extra import branch

    cfg = branch(
        [post("cash"), post("noncash")],
        [person(f"T{i:02d}", "cash", "noncash") for i in range(n)],
        rules={
            "coverage_under": "soft",
            "coverage_over": "soft",
            "contract_hours": "soft",
            "fair_weekends": "soft",
            "post_switches": "soft",
        },
    )

    def need(ds: dt.datetime, p: str) -> int:
        base = PEAK.get(ds.hour, 2)
        return base if p == "cash" else max(1, base - 2 + ds.weekday() % 2)

    return request(cfg, days=7, need=need)


def tellers(n: int) -> RosterRequest:
    """A week, ``n`` alike tellers, two counters with hourly needs (the tests' builders)."""
    from roster.instances import config, person, post, request, shift

    cfg = config(
        [post("cash"), post("noncash")],
        [person(f"T{i:02d}", "cash", "noncash") for i in range(n)],
        shifts=[shift("early", "09:00", "15:00"), shift("late", "11:00", "17:00")],
        hours=("09:00", "17:00"),
        rules={
            "coverage_under": "soft",
            "coverage_over": ("soft", 10),
            "contract_hours": ("soft", 10),
            "fair_weekends": ("soft", 20),
            "post_switches": ("soft", 5),
            "min_days_off_per_week": "hard",
        },
    )
    scale = n / 10

    def need(ds: dt.datetime, p: str) -> int:
        base = PEAK.get(ds.hour, 2)
        value = base if p == "cash" else max(1, base - 2 + ds.weekday() % 2)
        return max(1, round(value * scale))

    return request(cfg, days=7, need=need, wait=10.0)


def one(request: RosterRequest, symmetry: bool, limit: float, seed: int) -> dict:
    result = solve(
        request, SolveOptions(time_limit_s=limit, workers=2, seed=seed, symmetry=symmetry)
    )
    s = result.stats
    return {"status": s.status, "objective": s.objective, "bound": s.best_bound, "gap": s.gap,
            "time_s": round(s.wall_time_s, 2)}  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--limit", type=float, default=10.0)
    parser.add_argument("--seeds", type=int, default=3)
    parser.add_argument("--sizes", type=int, nargs="+", default=[8, 12, 16])
    parser.add_argument("--morning", type=int, nargs="*", default=[10])
    parser.add_argument("--control", type=int, default=2, help="M instances as control")
    args = parser.parse_args()
    cases = [(f"{n} alike tellers, mornings", morning_tellers(n)) for n in args.morning]
    cases += [(f"{n} alike tellers, two shifts", tellers(n)) for n in args.sizes]
    cases += [(f"M seed {i} (control)", make_instance("M", i)) for i in range(args.control)]
    load = os.getloadavg()[0]
    out = []
    for label, request in cases:
        classes = interchangeable_groups(build_model(request))
        row = {"instance": label, "classes": [len(c) for c in classes]}
        for flag in (False, True):
            runs = [one(request, flag, args.limit, seed) for seed in range(args.seeds)]
            key = "on" if flag else "off"
            row[key] = runs
            gaps = [r["gap"] if r["gap"] is not None else 1.0 for r in runs]
            row[f"{key}_median_gap"] = statistics.median(gaps)
            row[f"{key}_optimal"] = sum(r["status"] == "OPTIMAL" for r in runs)
            row[f"{key}_median_time"] = statistics.median(r["time_s"] for r in runs)
            objs = [r["objective"] for r in runs if r["objective"] is not None]
            row[f"{key}_median_objective"] = statistics.median(objs) if objs else None
        out.append(row)
        print(json.dumps({k: v for k, v in row.items() if k not in ("on", "off")}), flush=True)
    lines = [
        "# Symmetry breaking",
        "",
        f"Run {dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC, limit {args.limit:g} s, 2 workers, "
        f"solver seeds 0-{args.seeds - 1}, load average at start {load:.1f} on "
        f"{os.cpu_count()} CPUs.",
        "",
        "| instance | classes | off: optimal, median gap, objective, time | "
        "on: optimal, median gap, objective, time |",
        "| --- | --- | --- | --- |",
    ]
    for r in out:
        cells = []
        for key in ("off", "on"):
            obj = r[f"{key}_median_objective"]
            cells.append(
                f"{r[f'{key}_optimal']}/{args.seeds}, {r[f'{key}_median_gap']:.1%}, "
                f"{'-' if obj is None else f'{obj:g}'}, {r[f'{key}_median_time']:g} s"
            )
        classes = ", ".join(str(c) for c in r["classes"]) or "none"
        lines.append(f"| {r['instance']} | {classes} | {cells[0]} | {cells[1]} |")
    results = ROOT / "benchmarks" / "results"
    results.mkdir(parents=True, exist_ok=True)
    atomic_write_text(results / "symmetry.md", "\n".join(lines) + "\n")
    atomic_write_text(results / "symmetry.json", json.dumps(out, indent=1, default=str))
    print("\n".join(lines))


if __name__ == "__main__":
    main()
