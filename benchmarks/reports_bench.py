"""Time the report files: workbook, calendars, HTML page, PNG/PDF charts, for growing branches.

Instances: the seeded S/M/L/XL one-week instances (``scheduler.instances.make_instance``,
8 to 60 staff), rostered by the greedy baseline (no solver needed), with the shift, coverage
and people frames derived from that roster, and a flat forecast and simulation frame so every
chart is drawn.

Baseline, measured in the same run: writing the same roster's frames as CSV (what the
solver's ``write_result_files`` does). The ratio says how many CSV exports one report costs,
which stays comparable across machines.

Usage: .venv/bin/python benchmarks/reports_bench.py [--runs 3] [--families S M L XL]
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import pandas as pd

from scheduler.baseline import greedy_roster
from scheduler.frames import COVERAGE_COLUMNS, SHIFT_COLUMNS
from scheduler.instances import make_instance
from scheduler.reports import write_all
from scheduler.reports.charts import held_hours, report_charts, write_chart_images
from scheduler.reports.html import write_html_report
from scheduler.reports.ics import write_calendars
from scheduler.reports.labels import Labels
from scheduler.reports.view import build_view, to_date, to_minutes
from scheduler.reports.workbook import write_workbook
from scheduler.roster.request import RosterRequest
from scheduler.roster.result import PERSON_COLUMNS, RosterResult, SolverStats


def shifts_of(roster: pd.DataFrame) -> pd.DataFrame:
    rows = []
    frame = roster.assign(
        day=[to_date(v) for v in roster["date"]],
        m0=[to_minutes(v) for v in roster["start"]],
        m1=[to_minutes(v) for v in roster["end"]],
    )
    for (sid, day), g in frame.groupby(["staff_id", "day"], sort=True):
        paid = int(((g["m1"] - g["m0"]) * (g["activity"] != "break")).sum())
        start, end = int(g["m0"].min()), int(g["m1"].max())
        rows.append(
            {
                "staff_id": sid,
                "name": g["name"].iloc[0],
                "date": day,
                "shift": "",
                "start": f"{start // 60:02d}:{start % 60:02d}",
                "end": f"{end // 60:02d}:{end % 60:02d}",
                "paid_minutes": paid,
            }
        )
    return pd.DataFrame(rows, columns=list(SHIFT_COLUMNS))


def result_of(request: RosterRequest) -> RosterResult:
    cfg = request.config
    roster = greedy_roster(request)
    shifts = shifts_of(roster)
    draft = RosterResult(cfg.branch.id, request.horizon, SolverStats("FEASIBLE"), roster, shifts)
    held = held_hours(build_view(draft, cfg))
    req = request.requirements
    coverage = pd.DataFrame(
        {
            "date": [to_date(v) for v in req["date"]],
            "ds": pd.to_datetime(req["ds"]),
            "post": req["post"],
            "required": req["required"].astype(int),
        }
    )
    coverage["assigned"] = [
        round(held.get((ts.floor("h"), p), 0.0))
        for ts, p in zip(coverage["ds"], coverage["post"], strict=True)
    ]
    coverage["gap"] = coverage["assigned"] - coverage["required"]
    people = []
    for s in cfg.staff:
        mine = shifts[shifts["staff_id"] == s.id]
        hours = mine["paid_minutes"].sum() / 60
        people.append(
            {
                "staff_id": s.id,
                "name": s.name,
                "paid_hours": hours,
                "contract_hours": s.contract_hours_per_week,
                "days_worked": len(mine),
                "weekend_days": sum(d.weekday() >= 5 for d in mine["date"]),
                "late_shifts": 0,
                "overtime_hours": 0.0,
                "labour_cost": hours * s.hourly_rate,
                "preferences_met": 0,
                "preferences_total": 0,
            }
        )
    return RosterResult(
        cfg.branch.id,
        request.horizon,
        SolverStats("FEASIBLE", objective=0.0, best_bound=0.0, gap=0.0),
        roster,
        shifts,
        coverage[list(COVERAGE_COLUMNS)],
        pd.DataFrame(people, columns=list(PERSON_COLUMNS)),
    )


def side_frames(request: RosterRequest) -> tuple[pd.DataFrame, pd.DataFrame]:
    stamps = sorted(pd.to_datetime(request.requirements["ds"]).dt.floor("h").unique())
    channels = [c.id for c in request.config.channels] or ["counter"]
    forecast = pd.DataFrame(
        [
            {"channel": c, "ds": ts, "mean": 20.0, "lo-80": 15.0, "hi-80": 25.0}
            for ts in stamps
            for c in channels
        ]
    )
    simulation = pd.DataFrame(
        [{"channel": c, "ds": ts, "mean_wait_min": 3.0} for ts in stamps for c in channels]
    )
    return forecast, simulation


def median_time(task: Callable[[Path], object], runs: int) -> float:
    times = []
    for _ in range(runs):
        with tempfile.TemporaryDirectory() as tmp:
            t0 = time.perf_counter()
            task(Path(tmp))
            times.append(time.perf_counter() - t0)
    return statistics.median(times)


def bench_family(family: str, runs: int) -> str:
    request = make_instance(family, seed=0)
    res = result_of(request)
    cfg = request.config
    forecast, simulation = side_frames(request)
    frames = (res.assignments, res.shifts, res.coverage, res.people)

    def base(d: Path) -> None:
        for i, f in enumerate(frames):
            f.to_csv(d / f"{i}.csv", index=False)

    def charts(d: Path) -> None:
        view = build_view(res, cfg)
        drawn = report_charts(view, Labels("zh", cfg), forecast=forecast, simulation=simulation)
        write_chart_images(drawn, png=d / "r.png", pdf=d / "r.pdf")

    def html(d: Path) -> None:
        write_html_report(res, cfg, d / "r.html", forecast=forecast, simulation=simulation)

    def everything(d: Path) -> None:
        write_all(res, cfg, d, forecast=forecast, simulation=simulation)

    t_base = median_time(base, runs)
    t_xlsx = median_time(lambda d: write_workbook(res, cfg, d / "r.xlsx"), runs)
    t_ics = median_time(lambda d: write_calendars(res, cfg, d), runs)
    t_html, t_png, t_all = (median_time(f, runs) for f in (html, charts, everything))
    return (
        f"{family:6} {len(cfg.staff):5d} {len(res.assignments):6d} {t_base:9.3f} "
        f"{t_xlsx:6.2f} {t_ics:6.2f} {t_html:6.2f} {t_png:7.2f} {t_all:6.2f} "
        f"{t_all / t_base:8.0f}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--families", nargs="+", default=["S", "M", "L", "XL"])
    args = parser.parse_args()
    print(
        f"{'family':6} {'staff':>5} {'blocks':>6} {'csv(base)':>9} {'xlsx':>6} {'ics':>6} "
        f"{'html':>6} {'png+pdf':>7} {'all':>6} {'all/base':>8}"
    )
    for family in args.families:
        print(bench_family(family, args.runs), flush=True)


if __name__ == "__main__":
    main()
