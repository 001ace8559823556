"""A year of weekly rosters on the sample branch, built and published in sequence.

This is the issue's full-year target run as a branch would run the product: plan the
year's mandatory-leave blocks once (``plan_leave``), then for each of ``--weeks``
consecutive ISO weeks

1. forecast the week from the sample traffic and size it (the weekly job's own stages,
   :func:`scheduler.pipeline.run_pipeline`, so the forecast is made **every week**, from the
   bundled two years of traffic that end in November 2026: the same history each week,
   since the benchmark has no new traffic to append);
2. build the roster request the way ``branch-roster run --db`` does
   (:func:`scheduler.pipeline.roster_request`): the quota targets pro rata from the history
   store, the shifts of the two weeks before, and leave recorded there; the week's
   availability holds the plan's mandatory blocks as approved leave;
3. solve, write the solver's files, read them back and publish them into a fresh SQLite
   history store (``branch-roster publish``'s path), recording the leave taken.

The rotation quotas are a hard rule by default (``--quota-mode``, see :data:`QUOTA_WEIGHT`
for why). The branch is the bundled sample with the rotation quotas a branch would add for
the year (see :func:`year_quotas`): the sample's own weekly floor and cash-counter quotas, a "1+1+1"
year for S09, a quarterly cap and "at most 4 weeks in a row at the cash counter", a
quarterly swap between the lobby and customer management for S08 (a rotation cycle), and
a fourth operations supervisor, without whom no supervisor can take a mandatory week
(:func:`year_config`). A week without a roster is reported and not published.

Reported at the end (``benchmarks/results/history_year.{json,md}``, written atomically):
every quota's bound against what was achieved (% deviation; the issue's target is every
quota met within 5%), every mandatory block taken (yes/no per person), time per week
(median, max) and in total, and the solver status and gap distribution.

Usage::

    .venv/bin/python benchmarks/history_year_bench.py          # 52 weeks, 30 s each, hard quotas
    .venv/bin/python benchmarks/history_year_bench.py --weeks 4 --time-limit 5
    .venv/bin/python benchmarks/history_year_bench.py --quota-mode soft --time-limit 20 \
        --out benchmarks/results/history_year.soft
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import statistics
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import pandas as pd  # noqa: E402

from scheduler.calendar import Horizon, week_horizon  # noqa: E402
from scheduler.domain import Availability, BranchConfig, QuotaPeriod, RotationQuota  # noqa: E402
from scheduler.history import HistoryStore  # noqa: E402
from scheduler.history.files import read_result_dir  # noqa: E402
from scheduler.history.quotas import period_bounds  # noqa: E402
from scheduler.io.atomic import atomic_write_text  # noqa: E402
from scheduler.leave import LeavePlanSettings, plan_leave  # noqa: E402
from scheduler.pipeline import run_pipeline, sample_inputs  # noqa: E402
from scheduler.roster.files import write_result_files  # noqa: E402
from scheduler.roster.request import SolveOptions  # noqa: E402

FIRST_WEEK = "2027-W01"
"""The first week rostered: Monday 4 January 2027; 52 weeks end on Sunday 2 January 2028."""

TOLERANCE = 0.05
"""A quota counts as met when within 5% of its bound (the issue's target)."""

MAIN_SHARE = 0.5
"""A week is "mainly" in posts when more than this share of its paid hours is there."""

OUT = ROOT / "benchmarks" / "results" / "history_year"


def year_quotas(config: BranchConfig) -> list[RotationQuota]:
    """The sample's own quotas plus the longer-period ones a branch would set for the year."""
    return [
        *config.rotation_quotas,
        *(
            RotationQuota(
                name=f"1+1+1 {post}",
                staff=["S09"],
                posts=[post],
                period=QuotaPeriod.YEAR,
                min_share=0.25,
            )
            for post in ("lobby", "noncash_teller", "customer_manager")
        ),
        RotationQuota(
            name="non-cash counter at most 70% of the quarter",
            staff=["S07"],
            posts=["noncash_teller"],
            period=QuotaPeriod.QUARTER,
            max_share=0.7,
        ),
        RotationQuota(
            name="cash counter at most 4 weeks in a row",
            staff=["S04", "S05"],
            posts=["cash_teller"],
            max_consecutive_weeks=4,
        ),
    ]


FOURTH_SUPERVISOR = "S06"
"""Trained as operations supervisor for the year (see :func:`year_config`)."""


QUOTA_WEIGHT = 2000
"""Weight per hour of the ``rotation_quota`` rule in the year's configuration (default 30).

The sample is short of staff in every week (60-90 staff-hours under cover at the default
settings), and an hour of under-cover costs the ``coverage_under`` weight (100) times the
extra wait it causes: about 850 per staff-hour on the sample. At the catalogue's 30 per
hour, moving someone to a quota's post never pays, so the pro-rata targets are missed
every week and the debt only grows until the period ends (measured: S09 had 11 of the 197
customer-manager hours due after 21 weeks). A branch that must meet its rotation quotas
ranks them above an hour of queueing: ``rules: {rotation_quota: {weight: 2000}}``. Even
then the search, started from the greedy roster, does not reach the rosters that keep the
targets in 20-30 s, while the same quotas as a hard rule are kept with a gap of a few
percent, so ``--quota-mode`` defaults to ``hard`` (the weight then only matters with
``--quota-mode soft``).
"""


def year_config(
    config: BranchConfig, quota_weight: int = QUOTA_WEIGHT, quota_mode: str = "soft"
) -> BranchConfig:
    """The sample configuration with :func:`year_quotas`, a rotation cycle and a fourth supervisor.

    The sample's three operations supervisors (S01, S02, S03) cannot release one for a
    mandatory week: the supervisor post is held all day, seven days a week, and breaks need
    relief, so a week takes 14 person-days and two people give at most 10. The leave planner
    says so (no plan; "ops_supervisor keeps 3 of its 3 qualified people"), and the branch's
    answer is to qualify a fourth: :data:`FOURTH_SUPERVISOR`. The rotation quotas are
    weighted ``quota_weight`` per hour (see :data:`QUOTA_WEIGHT`), or hard (``quota_mode``).
    """
    data = config.model_dump(mode="python")
    data["rules"] = {
        **data["rules"],
        "rotation_quota": {"mode": quota_mode, "weight": quota_weight},
    }
    data["rotation_quotas"] = [q.model_dump(mode="python") for q in year_quotas(config)]
    data["rotation_cycles"] = [
        {
            "name": "lobby / customer management quarterly swap",
            "staff": ["S08"],
            "posts": ["lobby", "customer_manager"],
            "period": "quarter",
            "anchor": dt.date(2027, 1, 1),
            "min_share": 0.5,
        }
    ]
    for person in data["staff"]:
        posts = {q["post"] for q in person["qualifications"]}
        if person["id"] == FOURTH_SUPERVISOR and "ops_supervisor" not in posts:
            person["qualifications"].append({"post": "ops_supervisor"})
    return BranchConfig.model_validate(data)


@dataclass(frozen=True)
class WeekRun:
    """One week of the sequence."""

    week: str
    status: str
    objective: float | None
    bound: float | None
    gap: float | None
    forecast_s: float
    solve_s: float
    total_s: float
    targets: int
    quota_penalty_h: float
    under_cover_h: float


def _week_row(label: str, result: Any, total: float, targets: int) -> WeekRun:
    stats = result.roster.stats
    quota_h = sum(p.amount for p in result.roster.penalties if p.rule == "rotation_quota")
    return WeekRun(
        week=label,
        status=stats.status,
        objective=stats.objective,
        bound=stats.best_bound,
        gap=stats.gap,
        forecast_s=round(result.timings.get("forecast", 0.0), 2),
        solve_s=round(result.timings.get("roster", 0.0), 2),
        total_s=round(total, 2),
        targets=targets,
        quota_penalty_h=round(float(quota_h), 2),
        under_cover_h=round(
            float(sum(p.amount for p in result.roster.penalties if p.rule == "coverage_under")), 2
        ),
    )


def run_year(
    weeks: int,
    time_limit: float,
    seed: int,
    workers: int,
    db: Path,
    folder: Path,
    quota_weight: int = QUOTA_WEIGHT,
    quota_mode: str = "soft",
) -> tuple[BranchConfig, Any, list[WeekRun], Horizon]:
    """Plan the leave, then solve and publish ``weeks`` weeks in turn.

    Returns:
        The configuration used, the leave plan, one row per week and the whole span.
    """
    base = sample_inputs()
    config = year_config(base.config, quota_weight, quota_mode)
    first = week_horizon(FIRST_WEEK)
    span = Horizon(first.start, 7 * weeks)
    plan = plan_leave(
        config, first.start.year, settings=LeavePlanSettings(workers=workers, seed=seed)
    )
    if not plan.feasible:
        raise SystemExit(f"no leave plan: {plan.summary()}")
    blocks = plan.leave_requests()
    options = SolveOptions(time_limit_s=time_limit, workers=workers, seed=seed)
    url = f"sqlite:///{db}"
    HistoryStore.open(url).close()
    rows: list[WeekRun] = []
    for k in range(weeks):
        t0 = time.perf_counter()
        horizon = Horizon(first.start + dt.timedelta(days=7 * k), 7)
        leave = [b for b in blocks if b.start_date <= horizon.end and horizon.start <= b.end_date]
        # Blocks of the next week are known too: an A/B partner must be left able to cover.
        ahead = horizon.end + dt.timedelta(days=7)
        known = [b for b in blocks if b.start_date <= ahead and horizon.start <= b.end_date]
        inputs = replace(
            base,
            config=config,
            horizon=horizon,
            availability=Availability(leave=known),
            history_db=url,
        )
        result = run_pipeline(inputs, options=options, simulate=False)
        if result.roster.feasible:
            out = folder / horizon.label()
            write_result_files(result.roster, out)
            with HistoryStore.open(url) as store:
                store.publish(read_result_dir(out, config), note="year benchmark")
                store.record_leave(config.branch.id, leave, source="leave plan")
        else:  # nothing to publish: the week is reported and the year goes on
            for conflict in result.roster.conflicts:
                print(f"{horizon.label()}: {conflict.message}", flush=True)
        targets = len(result.request.quota_targets) if result.request else 0
        row = _week_row(horizon.label(), result, time.perf_counter() - t0, targets)
        rows.append(row)
        print(
            f"{row.week}: {row.status} obj {row.objective} gap {row.gap} "
            f"solve {row.solve_s:.1f}s total {row.total_s:.1f}s targets {row.targets} "
            f"quota-short {row.quota_penalty_h} h under-cover {row.under_cover_h} h",
            flush=True,
        )
    return config, plan, rows, span


# Evaluation ------------------------------------------------------------------------------


def _sum(frame: pd.DataFrame, staff: str, lo: dt.date, hi: dt.date, posts: list[str] | None):
    mask = (frame["staff_id"] == staff) & (frame["date"] >= lo) & (frame["date"] <= hi)
    if posts is not None:
        mask &= frame["post"].isin(posts)
    return float(frame.loc[mask, "hours"].sum())


def _verdict(achieved: float, lo: float | None, hi: float | None) -> tuple[float, bool]:
    """Deviation in % from the bound that binds (negative = short of a minimum)."""
    if lo is not None and achieved < lo:
        return (100 * (achieved - lo) / lo if lo else 0.0), achieved >= lo * (1 - TOLERANCE)
    if hi is not None and achieved > hi:
        return (100 * (achieved - hi) / hi if hi else 100.0), achieved <= hi * (1 + TOLERANCE)
    return 0.0, True


def _bound(quota: Any, paid: float) -> tuple[float | None, float | None]:
    lo = [v for v in (quota.min_hours,) if v is not None]
    hi = [v for v in (quota.max_hours,) if v is not None]
    if quota.min_share is not None:
        lo.append(quota.min_share * paid)
    if quota.max_share is not None:
        hi.append(quota.max_share * paid)
    return (max(lo) if lo else None, min(hi) if hi else None)


def _periods(period: QuotaPeriod, span: Horizon) -> list[tuple[dt.date, dt.date]]:
    """The periods of ``period`` lying wholly inside the rostered span (weeks for horizon)."""
    if period in (QuotaPeriod.HORIZON, QuotaPeriod.WEEK):
        return [
            (span.start + dt.timedelta(days=7 * k), span.start + dt.timedelta(days=7 * k + 6))
            for k in range(span.days // 7)
        ]
    out, day = [], span.start
    while day <= span.end:
        lo, hi = period_bounds(period, day)
        if lo >= span.start - dt.timedelta(days=3) and hi <= span.end:  # New Year is closed
            out.append((lo, hi))
        day = hi + dt.timedelta(days=1)
    return out


def _streak(post: pd.DataFrame, paid: pd.DataFrame, staff: str, posts: list[str], span: Horizon):
    best = run = 0
    for k in range(span.days // 7):
        lo = span.start + dt.timedelta(days=7 * k)
        hi = lo + dt.timedelta(days=6)
        p = _sum(paid, staff, lo, hi, None)
        run = run + 1 if p > 0 and _sum(post, staff, lo, hi, posts) > MAIN_SHARE * p else 0
        best = max(best, run)
    return best


def quota_rows(config: BranchConfig, post: pd.DataFrame, paid: pd.DataFrame, span: Horizon):
    """One row per quota, person and period: bound, achieved and deviation."""
    from scheduler.history.quotas import quota_staff

    rows: list[dict[str, Any]] = []
    for quota in config.rotation_quotas:
        people = quota_staff(config, quota, span.start)
        bounded = any(
            v is not None
            for v in (quota.min_hours, quota.max_hours, quota.min_share, quota.max_share)
        )
        for person in people:
            if bounded:
                for lo_d, hi_d in _periods(quota.period, span):
                    done = _sum(post, person.id, lo_d, hi_d, list(quota.posts))
                    worked = _sum(paid, person.id, lo_d, hi_d, None)
                    if worked <= 0:
                        continue  # a week on leave has no share to judge
                    lo, hi = _bound(quota, worked)
                    dev, met = _verdict(done, lo, hi)
                    rows.append(
                        dict(quota=quota.name, staff_id=person.id, period=quota.period.value,
                             start=str(lo_d), end=str(hi_d), bound_min=lo, bound_max=hi,
                             achieved=round(done, 2), paid=round(worked, 2),
                             deviation_pct=round(dev, 2), met=met)
                    )  # fmt: skip
            if quota.max_consecutive_weeks is not None:
                streak = _streak(post, paid, person.id, list(quota.posts), span)
                limit = quota.max_consecutive_weeks
                rows.append(
                    dict(quota=quota.name, staff_id=person.id, period="consecutive weeks",
                         start=str(span.start), end=str(span.end), bound_min=None,
                         bound_max=limit, achieved=streak, paid=None,
                         deviation_pct=round(100 * max(0, streak - limit) / limit, 2),
                         met=streak <= limit)
                )  # fmt: skip
    rows += cycle_rows(config, post, paid, span)
    return rows


def cycle_rows(config: BranchConfig, post: pd.DataFrame, paid: pd.DataFrame, span: Horizon):
    """One row per rotation cycle, person and leg: the leg post's share of paid hours."""
    cycles = getattr(config, "rotation_cycles", [])
    if not cycles:
        return []
    from scheduler.history.cycles import cycle_legs, cycle_staff

    rows: list[dict[str, Any]] = []
    for cycle in cycles:
        for person in cycle_staff(config, cycle):
            for leg in cycle_legs(cycle, span.start, span.end):
                lo_d, hi_d = max(leg.start, span.start), min(leg.end, span.end)
                if (hi_d - lo_d).days < 27:
                    continue  # a leg cut to a few days by the span's edge
                done = _sum(post, person.id, lo_d, hi_d, [leg.post])
                worked = _sum(paid, person.id, lo_d, hi_d, None)
                if worked <= 0:
                    continue
                lo = cycle.min_share * worked
                dev, met = _verdict(done, lo, None)
                rows.append(
                    dict(quota=f"{cycle.name}: {leg.post}", staff_id=person.id,
                         period=cycle.period.value, start=str(lo_d), end=str(hi_d),
                         bound_min=round(lo, 2), bound_max=None, achieved=round(done, 2),
                         paid=round(worked, 2), deviation_pct=round(dev, 2), met=met)
                )  # fmt: skip
    return rows


def leave_rows(config: BranchConfig, plan: Any, store: HistoryStore, span: Horizon):
    """Per mandatory block: recorded as leave, no shift inside it, and the re-plan says taken."""
    branch = config.branch.id
    shifts = store.shifts(branch, span.start, span.end)
    taken = store.leave(branch, span.start, span.end)
    again = plan_leave(
        config, plan.year, leave=store.leave(branch), settings=LeavePlanSettings(workers=1)
    )
    status = {b.staff_id: b.status for b in again.blocks}
    rows = []
    for b in plan.blocks:
        worked = shifts[
            (shifts["staff_id"] == b.staff_id)
            & (shifts["date"] >= b.start)
            & (shifts["date"] <= b.end)
        ]
        recorded = taken[
            (taken["staff_id"] == b.staff_id)
            & (taken["kind"] == "mandatory")
            & (taken["start_date"] <= b.start)
            & (taken["end_date"] >= b.end)
        ]
        ok = worked.empty and not recorded.empty and status.get(b.staff_id) == "taken"
        rows.append(
            dict(staff_id=b.staff_id, post=b.post, start=str(b.start), end=str(b.end),
                 cover=b.cover_id or "", shifts_inside=len(worked), recorded=not recorded.empty,
                 replan_status=status.get(b.staff_id, ""), taken=ok)
        )  # fmt: skip
    return rows


def _quantiles(values: list[float]) -> dict[str, float]:
    if not values:
        return {}
    s = sorted(values)
    pick = lambda q: s[min(len(s) - 1, int(q * (len(s) - 1) + 0.5))]  # noqa: E731
    return {
        "min": round(s[0], 4),
        "median": round(pick(0.5), 4),
        "p90": round(pick(0.9), 4),
        "max": round(s[-1], 4),
    }


def summarise(weeks: list[WeekRun], quotas: list[dict], leave: list[dict]) -> dict[str, Any]:
    """The headline figures."""
    totals = [w.total_s for w in weeks]
    return {
        "weeks": len(weeks),
        "time_per_week_s": {
            "median": round(statistics.median(totals), 2),
            "max": round(max(totals), 2),
        },
        "solve_per_week_s": {"median": round(statistics.median(w.solve_s for w in weeks), 2)},
        "forecast_per_week_s": {"median": round(statistics.median(w.forecast_s for w in weeks), 2)},
        "total_s": round(sum(totals), 1),
        "under_cover_h": {
            "median": round(statistics.median(w.under_cover_h for w in weeks), 1),
            "total": round(sum(w.under_cover_h for w in weeks), 1),
        },
        "status": dict(Counter(w.status for w in weeks)),
        "gap": _quantiles([w.gap for w in weeks if w.gap is not None]),
        "quota_rows": len(quotas),
        "quota_rows_met": sum(bool(r["met"]) for r in quotas),
        "quota_rows_missed": [r for r in quotas if not r["met"]],
        "blocks": len(leave),
        "blocks_taken": sum(bool(r["taken"]) for r in leave),
    }


def _fmt(v: object) -> str:
    if v is None:
        return ""
    if isinstance(v, float):
        return f"{v:g}"
    return str(v)


def markdown(
    meta: dict, summary: dict, weeks: list[WeekRun], quotas: list[dict], leave: list[dict]
) -> str:
    """The results as a Markdown report."""
    lines = [
        "# A year of weekly rosters on the sample branch",
        "",
        f"Run {meta['finished']} UTC: {summary['weeks']} weeks from {meta['first_week']}, "
        f"{meta['time_limit_s']:g} s solver limit per week, {meta['workers']} workers, "
        f"seed {meta['seed']}, rotation_quota {meta['quota_mode']}, weight {meta['quota_weight']}; "
        f"load before: {meta['load_before']}, after: {meta['load_after']}.",
        "",
        f"- time per week (forecast, staffing, solve, write, publish): median "
        f"{summary['time_per_week_s']['median']} s, max {summary['time_per_week_s']['max']} s; "
        f"total {summary['total_s']} s",
        f"- solver status: {summary['status']}; gap {summary['gap']}",
        f"- under-cover staff-hours per week: median {summary['under_cover_h']['median']}, "
        f"year {summary['under_cover_h']['total']}",
        f"- quota rows met within 5%: {summary['quota_rows_met']} of {summary['quota_rows']}",
        f"- mandatory blocks taken: {summary['blocks_taken']} of {summary['blocks']}",
        "",
    ]
    # Quotas: per quota, period rows aggregated.
    lines += ["## Quotas", "", "| quota | person | period | rows met | worst deviation % |",
              "| --- | --- | --- | --- | --- |"]  # fmt: skip
    frame = pd.DataFrame(quotas)
    if not frame.empty:
        for (q, s, p), g in frame.groupby(["quota", "staff_id", "period"], sort=False):
            worst = g.loc[g["deviation_pct"].abs().idxmax()]
            lines.append(
                f"| {q} | {s} | {p} | {int(g['met'].sum())}/{len(g)} | "
                f"{worst['deviation_pct']:g} ({worst['start']}) |"
            )
    lines += ["", "### Longer periods, bound vs achieved (hours; streak in weeks)", "",
              "| quota | person | from | to | min | max | achieved | paid | deviation % | met |",
              "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |"]  # fmt: skip
    for r in quotas:
        if r["period"] in ("horizon", "week"):
            continue
        lines.append(
            f"| {r['quota']} | {r['staff_id']} | {r['start']} | {r['end']} | "
            f"{_fmt(r['bound_min'] and round(r['bound_min'], 1))} | "
            f"{_fmt(r['bound_max'] and round(r['bound_max'], 1))} | {_fmt(r['achieved'])} | "
            f"{_fmt(r['paid'])} | {_fmt(r['deviation_pct'])} | {'yes' if r['met'] else 'NO'} |"
        )
    lines += ["", "## Mandatory leave", "",
              "| person | post | block | cover | shifts inside | recorded | re-plan | taken |",
              "| --- | --- | --- | --- | --- | --- | --- | --- |"]  # fmt: skip
    for r in leave:
        lines.append(
            f"| {r['staff_id']} | {r['post']} | {r['start']}..{r['end']} | {r['cover']} | "
            f"{r['shifts_inside']} | {r['recorded']} | {r['replan_status']} | "
            f"{'yes' if r['taken'] else 'NO'} |"
        )
    lines += ["", "## Weeks", "",
              "| week | status | objective | gap | forecast s | solve s | total s | targets "
              "| quota h short/over | under-cover staff-h |",
              "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |"]  # fmt: skip
    for w in weeks:
        lines.append(
            f"| {w.week} | {w.status} | {_fmt(w.objective)} | "
            f"{_fmt(None if w.gap is None else round(w.gap, 4))} | {w.forecast_s} | "
            f"{w.solve_s} | {w.total_s} | {w.targets} | {w.quota_penalty_h} | {w.under_cover_h} |"
        )
    return "\n".join(lines) + "\n"


def _load() -> str:
    one, five, fifteen = os.getloadavg()
    return f"{one:.2f} {five:.2f} {fifteen:.2f}"


def main(argv: list[str] | None = None) -> int:
    """Run the year and write the results."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--weeks", type=int, default=52)
    parser.add_argument("--time-limit", type=float, default=30.0, help="seconds per week")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument(
        "--quota-weight", type=int, default=QUOTA_WEIGHT, help="rotation_quota weight per hour"
    )
    parser.add_argument("--quota-mode", choices=("soft", "hard"), default="hard")
    parser.add_argument("--out", type=Path, default=OUT, help="results path without suffix")
    args = parser.parse_args(argv)
    load_before = _load()
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="history-year-") as tmp:
        folder = Path(tmp)
        db = folder / "history.db"
        config, plan, weeks, span = run_year(
            args.weeks,
            args.time_limit,
            args.seed,
            args.workers,
            db,
            folder,
            args.quota_weight,
            args.quota_mode,
        )
        with HistoryStore.open(f"sqlite:///{db}") as store:
            post = store.post_hours(config.branch.id, span.start, span.end)
            paid = store.paid_hours(config.branch.id, span.start, span.end)
            quotas = quota_rows(config, post, paid, span)
            leave = leave_rows(config, plan, store, span)
    summary = summarise(weeks, quotas, leave)
    meta = {
        "first_week": FIRST_WEEK,
        "time_limit_s": args.time_limit,
        "workers": args.workers,
        "seed": args.seed,
        "quota_weight": args.quota_weight,
        "quota_mode": args.quota_mode,
        "forecast": "every week, from the sample traffic (history to 2026-11-29)",
        "load_before": load_before,
        "load_after": _load(),
        "wall_s": round(time.perf_counter() - started, 1),
        "finished": dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M"),
        "leave_plan": {"status": plan.status, "objective": plan.objective},
    }
    payload = {
        "meta": meta,
        "summary": summary,
        "weeks": [w.__dict__ for w in weeks],
        "quotas": quotas,
        "leave": leave,
    }
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    atomic_write_text(out.with_suffix(".json"), json.dumps(payload, indent=2, default=str) + "\n")
    atomic_write_text(out.with_suffix(".md"), markdown(meta, summary, weeks, quotas, leave))
    print(markdown(meta, summary, weeks, quotas, leave).split("## Quotas")[0])
    print(f"wrote {out.with_suffix('.json')} and {out.with_suffix('.md')}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
