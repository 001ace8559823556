"""Roster benchmark: CP-SAT against the greedy baseline on the seeded S/M/L/XL instances.

Both rosters of every instance are scored by the independent verifier (``scheduler.verify``),
never by the solver's own figures: coverage shortfall (plain and weighed by the extra wait a
missing person costs), hard-rule violations, and fairness (spread of paid hours against
contract hours, spread of weekend days worked). For CP-SAT it also reports status, objective,
bound, gap, time and the peak resident memory of the process that solved (each solve runs in
its own subprocess, so the C++ solver's memory is counted). A sick-call repair is measured on
M: solve, mark one person working on Wednesday unavailable that day, re-solve with the first
roster as ``published`` and count the person-hours that changed for everybody else, against a
re-solve without ``published`` in the same run.

Usage::

    .venv/bin/python benchmarks/roster_bench.py --quick        # S and M, short limits
    .venv/bin/python benchmarks/roster_bench.py                # S, M, L, XL; issue's limits
    .venv/bin/python benchmarks/roster_bench.py --families M --seeds 5

Writes ``benchmarks/results/roster.md`` and ``roster.json`` (``roster-quick.*`` with ``--quick``),
atomically, and prints the table.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import resource
import statistics
import subprocess
import sys
import time
from dataclasses import replace
from pathlib import Path
from typing import Any

import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from scheduler.baseline import greedy_roster  # noqa: E402
from scheduler.calendar import BranchCalendar  # noqa: E402
from scheduler.domain import Availability, AvailabilityEntry, AvailabilityKind  # noqa: E402
from scheduler.instances import FAMILIES, make_instance  # noqa: E402
from scheduler.io.atomic import atomic_write_text  # noqa: E402
from scheduler.roster.request import RosterRequest, SolveOptions  # noqa: E402
from scheduler.verify import verify_roster  # noqa: E402
from scheduler.verify.metrics import coverage  # noqa: E402

FULL_LIMITS = {"S": 10.0, "M": 10.0, "L": 60.0, "XL": 120.0}
"""CP-SAT time limits (seconds) per family, as the issue sets them."""
QUICK_LIMITS = {"S": 3.0, "M": 5.0}
"""Shorter limits of ``--quick`` (S and M only)."""
TARGETS = {
    "M": ("proven optimal", lambda r: r.get("status") == "OPTIMAL"),
    "L": ("gap <= 1%", lambda r: r.get("gap") is not None and r["gap"] <= 0.01),
    "XL": ("gap <= 3%", lambda r: r.get("gap") is not None and r["gap"] <= 0.03),
}
"""Per-family solver targets from the issue; memory must stay under :data:`MEMORY_LIMIT_MB`."""
MEMORY_LIMIT_MB = 2048
MIP_BOUND = False
"""Whether the solves prove HiGHS's bound beside CP-SAT (``--mip-bound``, as the commands do
by default); off by default, as in :class:`SolveOptions`. A worker process reads it from
its command line."""
WORKERS = 2
RESULTS = ROOT / "benchmarks" / "results"


# Scoring ---------------------------------------------------------------------------------


def _minutes(value: object) -> int:
    if isinstance(value, dt.time):
        return value.hour * 60 + value.minute
    hours, minutes = str(value).split(":")[:2]
    return int(hours) * 60 + int(minutes)


def _day(value: object) -> dt.date:
    return pd.Timestamp(value).date()  # type: ignore[arg-type]


def _spread(values: list[float]) -> dict[str, float]:
    if not values:
        return {"std": 0.0, "range": 0.0}
    return {
        "std": round(statistics.pstdev(values), 3),
        "range": round(max(values) - min(values), 3),
    }


def fairness(request: RosterRequest, assignments: pd.DataFrame) -> dict[str, Any]:
    """Spread over people of paid hours minus contract hours, and of weekend days worked.

    Approved leave on an open day counts as paid at a fifth of the weekly contract, so people
    on leave are not counted as under-worked. Everybody on the staff list counts, worked or not.
    """
    config = request.config
    calendar = BranchCalendar(config.branch)
    open_days = set(calendar.open_days(request.horizon))
    weeks = request.horizon.days / 7
    rows = assignments[assignments["activity"] != "break"]
    paid: dict[str, float] = {s.id: 0.0 for s in config.staff}
    weekend: dict[str, set[dt.date]] = {s.id: set() for s in config.staff}
    for r in rows.itertuples():
        sid = str(r.staff_id)
        paid[sid] = paid.get(sid, 0.0) + (_minutes(r.end) - _minutes(r.start)) / 60
        day = _day(r.date)
        if day.weekday() >= 5:
            weekend.setdefault(sid, set()).add(day)
    deviation = []
    for staff in config.staff:
        leave_days = {
            d
            for lv in request.availability.leave
            if lv.staff_id == staff.id and lv.approved
            for d in lv.dates()
            if d in open_days
        }
        credit = len(leave_days) * staff.contract_hours_per_week / 5
        deviation.append(paid[staff.id] + credit - staff.contract_hours_per_week * weeks)
    return {
        "hours_vs_contract": _spread(deviation),
        "weekend_days": _spread([float(len(v)) for v in weekend.values()]),
        "paid_hours": round(sum(paid.values()), 2),
    }


def score(request: RosterRequest, assignments: pd.DataFrame) -> dict[str, Any]:
    """Verifier figures for one roster: coverage, hard-rule violations by rule, fairness."""
    cov = coverage(request, assignments)
    report = verify_roster(request, assignments)
    by_rule: dict[str, int] = {}
    for v in report.violations:
        by_rule[v.rule] = by_rule.get(v.rule, 0) + 1
    return {
        "short_staff_hours": round(cov.short_staff_hours, 3),
        "short_weighted": round(cov.short_weighted, 3),
        "over_staff_hours": round(cov.over_staff_hours, 3),
        "short_slots": cov.short_slots,
        "violations": len(report.violations),
        "violations_by_rule": dict(sorted(by_rule.items())),
        **fairness(request, assignments),
    }


# Solving in a subprocess -----------------------------------------------------------------


def _peak_rss_mb() -> float:
    """Peak resident memory of this process in MB (Linux reports kilobytes)."""
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return round(peak / (1024 * 1024) if sys.platform == "darwin" else peak / 1024, 1)


def _solve_once(request: RosterRequest, limit: float, seed: int) -> tuple[dict[str, Any], Any]:
    from scheduler.roster import solve

    started = time.perf_counter()
    options = SolveOptions(time_limit_s=limit, workers=WORKERS, seed=seed, mip_bound=MIP_BOUND)
    result = solve(request, options)
    total = time.perf_counter() - started
    s = result.stats
    figures = {
        "status": s.status,
        "objective": s.objective,
        "bound": s.best_bound,
        "gap": s.gap,
        "solver_time_s": round(s.wall_time_s, 3),
        "total_time_s": round(total, 3),
        "variables": s.variables,
        "constraints": s.constraints,
    }
    return figures, result


def worker_solve(family: str, seed: int, limit: float) -> dict[str, Any]:
    """Build one instance, solve it with CP-SAT and score the roster (run in a subprocess)."""
    request = make_instance(family, seed)
    rss_before = _peak_rss_mb()
    figures, result = _solve_once(request, limit, seed=0)
    figures["peak_rss_mb"] = _peak_rss_mb()
    figures["rss_before_solve_mb"] = rss_before
    figures["score"] = score(request, result.assignments) if result.feasible else None
    return figures


def _changed_hours(
    request: RosterRequest, before: pd.DataFrame, after: pd.DataFrame, skip: str
) -> float:
    """Person-hours whose activity or post differs between two rosters, ``skip`` excluded."""
    step = request.config.branch.slot_minutes

    def cells(frame: pd.DataFrame) -> dict[tuple[str, dt.date, int], str]:
        out = {}
        for r in frame.itertuples():
            if str(r.staff_id) == skip:
                continue
            what = f"{r.activity}:{r.post}" if r.activity == "post" else str(r.activity)
            for m in range(_minutes(r.start), _minutes(r.end), step):
                out[(str(r.staff_id), _day(r.date), m)] = what
        return out

    a, b = cells(before), cells(after)
    changed = sum(1 for k in a.keys() | b.keys() if a.get(k) != b.get(k))
    return round(changed * step / 60, 2)


def worker_repair(family: str, seed: int, limit: float) -> dict[str, Any]:
    """Sick-call repair: solve, make one Wednesday worker unavailable, re-solve two ways.

    The sick person is the one with most post hours on Wednesday outside the A/B pairs (whose
    partner may be on leave that day, which no roster could repair).
    """
    request = make_instance(family, seed)
    first, result = _solve_once(request, limit, seed=0)
    if not result.feasible:
        return {"first": first, "error": "no first roster to repair"}
    published = result.assignments
    wednesday = request.horizon.start + dt.timedelta(days=2)
    on_wednesday = pd.Series([_day(d) == wednesday for d in published["date"]], published.index)
    paired = {s for pair in request.config.backup_pairs for s in (pair.a, pair.b)}
    worked = published[
        (published["activity"] == "post") & on_wednesday & ~published["staff_id"].isin(paired)
    ]
    if worked.empty:
        return {"first": first, "error": "nobody outside the A/B pairs works on Wednesday"}
    hours = worked.assign(
        minutes=[
            _minutes(e) - _minutes(s) for s, e in zip(worked["start"], worked["end"], strict=True)
        ]
    )
    sick = str(hours.groupby("staff_id")["minutes"].sum().sort_index().idxmax())
    entry = AvailabilityEntry(
        staff_id=sick, date=wednesday, kind=AvailabilityKind.UNAVAILABLE, note="sick"
    )
    availability = request.availability.merged(Availability(entries=[entry]))
    sick_request = RosterRequest(
        config=request.config,
        horizon=request.horizon,
        requirements=request.requirements,
        availability=availability,
        published=published,
    )
    out: dict[str, Any] = {"first": first, "sick": sick, "day": wednesday.isoformat()}
    for label, req in (
        ("with_published", sick_request),
        ("from_scratch", replace(sick_request, published=None)),
    ):
        figures, again = _solve_once(req, limit, seed=0)
        if again.feasible:
            figures["changed_person_hours"] = _changed_hours(
                request, published, again.assignments, sick
            )
            rows = again.assignments
            same_day = pd.Series([_day(d) == wednesday for d in rows["date"]], rows.index)
            figures["sick_works_wednesday"] = bool(
                ((rows["staff_id"] == sick) & same_day & (rows["activity"] != "break")).any()
            )
        out[label] = figures
    out["peak_rss_mb"] = _peak_rss_mb()
    return out


def run_worker(kind: str, family: str, seed: int, limit: float) -> dict[str, Any]:
    """Run one solve job in a fresh Python process and return its JSON answer."""
    cmd = [
        sys.executable,
        str(Path(__file__).resolve()),
        "--worker",
        kind,
        family,
        str(seed),
        str(limit),
        *(["mip"] if MIP_BOUND else []),
    ]
    runs = 1 if kind == "solve" else 3
    try:
        proc = subprocess.run(
            cmd,
            capture_output=True,
            text=True,
            cwd=ROOT,
            check=False,
            timeout=runs * (2 * limit + 120),
        )
    except subprocess.TimeoutExpired:
        return {"status": "TIMEOUT", "error": f"no answer within {runs * (2 * limit + 120):g} s"}
    if proc.returncode != 0:
        tail = proc.stderr.strip().splitlines()[-3:]
        return {"status": "ERROR", "error": " | ".join(tail)}
    return json.loads(proc.stdout.strip().splitlines()[-1])


# The run ---------------------------------------------------------------------------------


def solver_available() -> bool:
    """Whether the CP-SAT roster solver can be imported."""
    try:
        from scheduler.roster import solve  # noqa: F401
    except ImportError:
        return False
    return True


def run_greedy(request: RosterRequest, repeats: int) -> dict[str, Any]:
    """Time the greedy baseline (median of ``repeats`` runs) and score its roster."""
    times = []
    roster = pd.DataFrame()
    for _ in range(repeats):
        started = time.perf_counter()
        roster = greedy_roster(request)
        times.append(time.perf_counter() - started)
    return {"time_s": round(statistics.median(times), 4), "score": score(request, roster)}


def _median(values: list[float | None]) -> float | None:
    clean = [v for v in values if v is not None]
    return round(statistics.median(clean), 4) if clean else None


def summarise(family: str, rows: list[dict[str, Any]]) -> dict[str, Any]:
    """Medians over seeds of one family, and whether the family's targets were met."""
    greedy = [r["greedy"]["score"] for r in rows]
    cp = [r["cpsat"] for r in rows if r.get("cpsat")]
    cp_scores = [c["score"] for c in cp if c.get("score")]

    def med(items: list[dict[str, Any]], *path: str) -> float | None:
        vals = []
        for item in items:
            for key in path:
                item = item[key]
            vals.append(item)
        return _median(vals)

    out: dict[str, Any] = {
        "family": family,
        "seeds": len(rows),
        "greedy_time_s": _median([r["greedy"]["time_s"] for r in rows]),
        "greedy_short": med(greedy, "short_staff_hours"),
        "greedy_short_weighted": med(greedy, "short_weighted"),
        "greedy_violations": med(greedy, "violations"),
        "greedy_hours_std": med(greedy, "hours_vs_contract", "std"),
        "greedy_weekend_range": med(greedy, "weekend_days", "range"),
    }
    if cp:
        statuses = [c.get("status") for c in cp]
        out.update(
            {
                "cpsat_status": ", ".join(
                    f"{s} x{statuses.count(s)}" for s in sorted(set(statuses))
                ),
                "cpsat_time_s": _median([c.get("total_time_s") for c in cp]),
                "cpsat_gap": _median([c.get("gap") for c in cp]),
                "cpsat_peak_rss_mb": max((c.get("peak_rss_mb") or 0.0) for c in cp),
                "cpsat_short": med(cp_scores, "short_staff_hours") if cp_scores else None,
                "cpsat_short_weighted": med(cp_scores, "short_weighted") if cp_scores else None,
                "cpsat_violations": med(cp_scores, "violations") if cp_scores else None,
                "cpsat_hours_std": med(cp_scores, "hours_vs_contract", "std")
                if cp_scores
                else None,
                "cpsat_weekend_range": med(cp_scores, "weekend_days", "range")
                if cp_scores
                else None,
            }
        )
        short_g, short_c = out["greedy_short_weighted"], out["cpsat_short_weighted"]
        if short_g and short_c is not None:
            out["weighted_short_ratio"] = round(short_c / short_g, 3)
        target = TARGETS.get(family)
        if target:
            name, check = target
            met = all(check(c) for c in cp)
            out["target"] = f"{name}: {'met' if met else 'NOT met'}"
        out["memory_target"] = "met" if out["cpsat_peak_rss_mb"] < MEMORY_LIMIT_MB else "NOT met"
    return out


def _fmt(value: Any) -> str:
    if value is None:
        return "-"
    if isinstance(value, float):
        return f"{value:.3g}" if abs(value) < 1000 else f"{value:.0f}"
    return str(value)


def markdown(report: dict[str, Any]) -> str:
    """The report as Markdown: a summary table per family, the repair, per-seed details."""
    meta = report["meta"]
    lines = [
        "# Roster benchmark",
        "",
        f"Run {meta['started']} on {meta['machine']} ({meta['cpus']} CPUs), "
        f"mode `{meta['mode']}`"
        + ("" if meta["solver"] else " (greedy only: no CP-SAT solve)")
        + f", OR-Tools {meta['versions']['ortools']}, "
        f"CP-SAT {meta['workers']} workers, limits "
        + ", ".join(f"{k} {v:g} s" for k, v in meta["limits"].items())
        + f", seeds {meta['seeds']}, greedy timed as the median of {meta['repeats']} runs"
        + (
            "; CP-SAT starts from a hint (the greedy roster, or the published one)"
            if meta["hint"] and meta["solver"]
            else ""
        )
        + ("; HiGHS proves a second bound beside it." if meta.get("mip_bound") else "."),
        "",
        "Figures are medians over seeds, scored by the independent verifier. `short` is "
        "staff-hours below the requirement; `weighted` weighs each by the extra wait (min) one "
        "person short costs; `viol` counts broken hard rules; `hours sd` is the standard "
        "deviation over people of paid minus contract hours; `wkend rng` the max-min of "
        "weekend days worked.",
        "",
        "| family | roster | status | time s | gap | peak RSS MB | short | weighted | viol "
        "| hours sd | wkend rng |",
        "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    for s in report["summary"]:
        lines.append(
            f"| {s['family']} | greedy | - | {_fmt(s['greedy_time_s'])} | - | - | "
            f"{_fmt(s['greedy_short'])} | {_fmt(s['greedy_short_weighted'])} | "
            f"{_fmt(s['greedy_violations'])} | {_fmt(s['greedy_hours_std'])} | "
            f"{_fmt(s['greedy_weekend_range'])} |"
        )
        if "cpsat_status" in s:
            gap = s["cpsat_gap"]
            lines.append(
                f"| {s['family']} | CP-SAT | {s['cpsat_status']} | {_fmt(s['cpsat_time_s'])} | "
                f"{'-' if gap is None else f'{100 * gap:.2f}%'} | "
                f"{_fmt(s['cpsat_peak_rss_mb'])} | {_fmt(s['cpsat_short'])} | "
                f"{_fmt(s['cpsat_short_weighted'])} | {_fmt(s['cpsat_violations'])} | "
                f"{_fmt(s['cpsat_hours_std'])} | {_fmt(s['cpsat_weekend_range'])} |"
            )
    lines.append("")
    for s in report["summary"]:
        notes = [s[k] for k in ("target",) if k in s]
        if "memory_target" in s:
            notes.append(f"memory < {MEMORY_LIMIT_MB} MB: {s['memory_target']}")
        if "weighted_short_ratio" in s:
            notes.append(f"CP-SAT/greedy weighted shortfall {s['weighted_short_ratio']:g}")
        if notes:
            lines.append(f"- {s['family']}: " + "; ".join(notes))
    repair = report.get("repair")
    if repair:
        lines += ["", "## Sick-call repair", ""]
        if "error" in repair:
            lines.append(f"Not measured: {repair['error']}.")
        else:
            lines.append(
                f"Instance {repair['instance']}: {repair['sick']} unavailable on {repair['day']}; "
                "person-hours changed for everybody else:"
            )
            lines.append("")
            lines.append("| re-solve | status | time s | changed person-hours | sick still works |")
            lines.append("| --- | --- | --- | --- | --- |")
            for label in ("with_published", "from_scratch"):
                r = repair.get(label, {})
                lines.append(
                    f"| {label.replace('_', ' ')} | {r.get('status', '-')} | "
                    f"{_fmt(r.get('total_time_s'))} | {_fmt(r.get('changed_person_hours'))} | "
                    f"{_fmt(r.get('sick_works_wednesday'))} |"
                )
    lines += ["", "## Per instance", ""]
    lines.append(
        "| instance | greedy short | CP-SAT status | objective | bound | time s | RSS MB |"
    )
    lines.append("| --- | --- | --- | --- | --- | --- | --- |")
    for r in report["instances"]:
        cp = r.get("cpsat") or {}
        lines.append(
            f"| {r['instance']} | {_fmt(r['greedy']['score']['short_staff_hours'])} | "
            f"{cp.get('status', '-')} | {_fmt(cp.get('objective'))} | {_fmt(cp.get('bound'))} | "
            f"{_fmt(cp.get('total_time_s'))} | {_fmt(cp.get('peak_rss_mb'))} |"
        )
    return "\n".join(lines) + "\n"


def _versions() -> dict[str, str]:
    from importlib.metadata import PackageNotFoundError, version

    out = {}
    for package in ("ortools", "pandas", "numpy"):
        try:
            out[package] = version(package)
        except PackageNotFoundError:
            out[package] = "not installed"
    return out


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark and write the results; return the exit code."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="S and M only, short limits")
    parser.add_argument("--families", nargs="+", choices=list(FAMILIES), help="families to run")
    parser.add_argument("--seeds", type=int, default=3, help="seeds per family (default 3)")
    parser.add_argument("--repeats", type=int, default=5, help="greedy timing runs (median)")
    parser.add_argument("--no-solver", action="store_true", help="greedy baseline only")
    parser.add_argument("--no-repair", action="store_true", help="skip the sick-call repair")
    parser.add_argument("--out", type=Path, default=RESULTS, help="results folder")
    parser.add_argument(
        "--mip-bound", action="store_true", help="prove HiGHS's bound too, as the commands do"
    )
    args = parser.parse_args(argv)
    global MIP_BOUND
    MIP_BOUND = args.mip_bound
    if args.seeds < 1 or args.repeats < 1:
        parser.error("--seeds and --repeats must be at least 1")
    limits = dict(QUICK_LIMITS if args.quick else FULL_LIMITS)
    families = args.families or list(limits)
    limits = {f: limits.get(f, FULL_LIMITS[f]) for f in families}
    use_solver = not args.no_solver and solver_available()
    if not args.no_solver and not use_solver:
        print("CP-SAT roster solver not importable: measuring the greedy baseline only.")
    meta = {
        "started": dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "machine": f"{platform.system()} {platform.machine()}, Python {platform.python_version()}",
        "cpus": os.cpu_count(),
        "mode": "quick" if args.quick else "full",
        "workers": WORKERS,
        "limits": limits,
        "seeds": args.seeds,
        "repeats": args.repeats,
        "solver": use_solver,
        "versions": _versions(),
        "hint": getattr(SolveOptions(), "hint", None),
        "mip_bound": MIP_BOUND,
    }
    instances = []
    for family in families:
        for seed in range(args.seeds):
            request = make_instance(family, seed)
            row: dict[str, Any] = {
                "instance": f"{family}-{seed}",
                "family": family,
                "seed": seed,
                "greedy": run_greedy(request, args.repeats),
            }
            if use_solver:
                row["cpsat"] = run_worker("solve", family, seed, limits[family])
            instances.append(row)
            cp = row.get("cpsat", {})
            print(
                f"{row['instance']}: greedy short {row['greedy']['score']['short_staff_hours']:g} h"
                + (
                    f"; CP-SAT {cp.get('status')} in {cp.get('total_time_s')} s, short "
                    f"{(cp.get('score') or {}).get('short_staff_hours', '-')} h"
                    if cp
                    else ""
                ),
                flush=True,
            )
    summary = [summarise(f, [r for r in instances if r["family"] == f]) for f in families]
    report: dict[str, Any] = {"meta": meta, "summary": summary, "instances": instances}
    if use_solver and not args.no_repair:
        family = "M"
        limit = limits.get(family, FULL_LIMITS[family])
        repair = run_worker("repair", family, 0, limit)
        repair["instance"] = f"{family}-0"
        report["repair"] = repair
    text = markdown(report)
    print(text)
    stem = "roster-quick" if args.quick else "roster"
    atomic_write_text(args.out / f"{stem}.md", text)
    atomic_write_text(args.out / f"{stem}.json", json.dumps(report, indent=2, default=str) + "\n")
    print(f"wrote {args.out / f'{stem}.md'} and {args.out / f'{stem}.json'}")
    return 0


def _worker_main(argv: list[str]) -> int:
    global MIP_BOUND
    kind, family, seed, limit = argv[0], argv[1], int(argv[2]), float(argv[3])
    MIP_BOUND = argv[4:5] == ["mip"]
    job = worker_solve if kind == "solve" else worker_repair
    answer = job(family, seed, limit)
    print(json.dumps(answer, default=str))
    return 0


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "--worker":
        sys.exit(_worker_main(sys.argv[2:]))
    sys.exit(main())
