"""The MIP bound beside CP-SAT: the same solves with it on and off, in one run.

Four set-ups per instance, every one through ``solve()`` with the same seed and limit:

* ``cp2``: CP-SAT with 2 workers, no MIP bound (the default on a 2-core machine);
* ``cp2+mip``: the same with HiGHS in a third thread (on 2 cores it takes CPU from CP-SAT);
* ``cp1``: CP-SAT with 1 worker, no MIP bound;
* ``cp1+mip``: CP-SAT with 1 worker and HiGHS in the second thread: on 2 cores, the case of
  a machine with a core to spare, compared with ``cp1`` of the same run.

Each solve runs in its own subprocess, so peak memory (``getrusage`` max RSS, the C++
solvers included) is the solve's own. Figures per family are medians over seeds.

Usage::

    .venv/bin/python benchmarks/mip_bound_bench.py [--families M L XL] [--seeds 3]
        [--quick]

Writes ``benchmarks/results/mip_bound.md`` and ``mip_bound.json`` atomically.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from scheduler.io.atomic import atomic_write_text  # noqa: E402

LIMITS = {"S": 10.0, "M": 10.0, "L": 60.0, "XL": 120.0}
QUICK = {"S": 3.0, "M": 5.0, "L": 20.0, "XL": 40.0}
SETUPS = {"cp2": (2, False), "cp2+mip": (2, True), "cp1": (1, False), "cp1+mip": (1, True)}

CHILD = """
import json, resource, sys
from scheduler.instances import make_instance
from scheduler.roster import SolveOptions, solve
family, seed, limit, workers, mip = sys.argv[1:6]
options = SolveOptions(time_limit_s=float(limit), workers=int(workers), seed=0,
                       mip_bound=mip == "1")
s = solve(make_instance(family, seed=int(seed)), options).stats
print(json.dumps({"status": s.status, "objective": s.objective, "bound": s.best_bound,
                  "gap": s.gap, "seconds": s.wall_time_s,
                  "rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""


def run_one(family: str, seed: int, limit: float, workers: int, mip: bool) -> dict:
    """One solve in a fresh interpreter; its figures."""
    out = subprocess.run(
        [sys.executable, "-c", CHILD, family, str(seed), str(limit), str(workers), str(int(mip))],
        capture_output=True,
        text=True,
        check=True,
        cwd=ROOT,
        timeout=limit * 3 + 120,
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def _median(rows: list[dict], key: str) -> float | None:
    values = [r[key] for r in rows if r.get(key) is not None]
    return statistics.median(values) if values else None


def _cell(row: dict) -> str:
    gap = "-" if row["gap"] is None else f"{100 * row['gap']:.1f}%"
    return f"{row['objective']:.0f} / {row['bound']:.0f} / {gap} ({row['status'][:3]})"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--families", nargs="+", default=["M", "L", "XL"])
    parser.add_argument("--seeds", type=int, default=3)
    parser.add_argument("--quick", action="store_true", help="shorter limits (QUICK)")
    args = parser.parse_args()
    sys.stdout.reconfigure(line_buffering=True)  # type: ignore[attr-defined]
    limits = QUICK if args.quick else LIMITS
    seeds = {"XL": min(args.seeds, 1), "L": min(args.seeds, 2)}
    results: list[dict] = []
    began = time.time()
    for family in args.families:
        for seed in range(seeds.get(family, args.seeds)):
            for name, (workers, mip) in SETUPS.items():
                load = os.getloadavg()[0]
                row = run_one(family, seed, limits[family], workers, mip)
                row.update(family=family, seed=seed, setup=name, limit=limits[family], load=load)
                results.append(row)
                rss = row["rss_mb"]
                print(f"{family}-{seed} {name:8} {_cell(row)} {rss:.0f} MB (load {load:.1f})")
    lines = [
        "# MIP bound beside CP-SAT",
        "",
        f"Run {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime(began))}, "
        f"{os.cpu_count()} CPUs; objective / bound / gap (status) per solve, one run each.",
        "",
        "| instance | limit | " + " | ".join(SETUPS) + " |",
        "| --- | --- | " + " | ".join("---" for _ in SETUPS) + " |",
    ]
    keys = sorted({(r["family"], r["seed"]) for r in results}, key=lambda k: (k[0], k[1]))
    for family, seed in keys:
        rows = {r["setup"]: r for r in results if (r["family"], r["seed"]) == (family, seed)}
        cells = " | ".join(_cell(rows[s]) for s in SETUPS)
        lines.append(f"| {family}-{seed} | {rows['cp2']['limit']:g} s | {cells} |")
    lines += ["", "Medians per family (objective / bound / gap; peak RSS):", ""]
    lines += ["| family | " + " | ".join(SETUPS) + " |"]
    lines += ["| --- | " + " | ".join("---" for _ in SETUPS) + " |"]
    for family in args.families:
        cells = []
        for setup in SETUPS:
            rows = [r for r in results if r["family"] == family and r["setup"] == setup]
            obj, bound, gap = (_median(rows, k) for k in ("objective", "bound", "gap"))
            rss = _median(rows, "rss_mb")
            cells.append(f"{obj:.0f} / {bound:.0f} / {100 * (gap or 0):.1f}%; {rss:.0f} MB")
        lines.append(f"| {family} | " + " | ".join(cells) + " |")
    name = "mip_bound-quick" if args.quick else "mip_bound"
    out = ROOT / "benchmarks" / "results"
    atomic_write_text(out / f"{name}.md", "\n".join(lines) + "\n")
    atomic_write_text(out / f"{name}.json", json.dumps(results, indent=1))
    print("\n".join(lines))


if __name__ == "__main__":
    main()
