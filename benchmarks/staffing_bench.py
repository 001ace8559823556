"""Time the staffing stage: a week of requirements for one branch, and a week's day simulation.

Instance: the sample branch's 5 channels and 8 posts, opened 09:00-19:00 every day
(70 open hours), with a smooth daily traffic curve (cash 30/h, non-cash 12/h, lobby 40/h,
wealth 4/h, corporate 3/h at the mean, peaking at midday). Target: requirements in < 0.5 s.

Baseline, measured in the same run: the textbook Erlang C staffing search (explicit sums of
a^k/k! through lgamma, restarted at n = 1 for every slot and channel), sizing the same slots
with Erlang C only. The ratio shows what the recursive, incremental search buys.

Usage: .venv/bin/python benchmarks/staffing_bench.py [--runs 7]
"""

from __future__ import annotations

import argparse
import datetime as dt
import math
import statistics
import time

import pandas as pd

from scheduler.calendar import BranchCalendar, Horizon
from scheduler.domain import DayHours, Weekday
from scheduler.frames import FORECAST_COLUMNS
from scheduler.sample.branch import sample_config
from scheduler.staffing import requirements, simulate

WEEK = Horizon(dt.date(2026, 12, 7), 7)  # no holiday in this week
BASE = {"cash": 30.0, "noncash": 12.0, "lobby": 40.0, "wealth": 4.0, "corporate": 3.0}


def instance():
    cfg = sample_config(WEEK.start)
    hours = DayHours(start="09:00", end="19:00")
    branch = cfg.branch.model_copy(update={"opening_hours": dict.fromkeys(Weekday, hours)})
    cfg = cfg.model_copy(update={"branch": branch})
    rows = []
    for day in WEEK.dates:
        for start in BranchCalendar(cfg.branch).slots(day):
            shape = 1 + 0.5 * math.sin((start.hour - 9) / 10 * math.pi)
            for channel, rate in BASE.items():
                mean = rate * shape
                rows.append({"unique_id": f"{cfg.branch.id}/{channel}", "branch": cfg.branch.id,
                             "channel": channel, "ds": pd.Timestamp(start), "model": "bench",
                             "mean": mean, "lo-80": 0.8 * mean, "hi-80": 1.2 * mean,
                             "lo-95": 0.7 * mean, "hi-95": 1.3 * mean})  # fmt: skip
    return cfg, pd.DataFrame(rows, columns=list(FORECAST_COLUMNS))


def textbook_servers(rate: float, aht: float, level: float, within: float) -> int:
    load = rate * aht
    if load == 0:
        return 0
    n = 1
    while True:
        if n > load:
            terms = [math.exp(k * math.log(load) - math.lgamma(k + 1)) for k in range(n)]
            top = math.exp(n * math.log(load) - math.lgamma(n + 1)) * n / (n - load)
            c = top / (sum(terms) + top)
            if 1 - c * math.exp(-(n - load) * within / aht) >= level:
                return n
        n += 1


def baseline(cfg, fc) -> None:
    for channel, hourly in zip(fc["channel"], fc["mean"], strict=True):
        ch = cfg.channel(channel)
        textbook_servers(hourly / 60, ch.aht_minutes, ch.target.service_level,
                         ch.target.within_minutes)  # fmt: skip


def roster_for(req: pd.DataFrame) -> pd.DataFrame:
    """A roster holding each slot's required people on post (one block per person-slot)."""
    rows = []
    for r in req[req["required"] > 0].itertuples():
        start = pd.Timestamp(r.ds)
        for i in range(int(r.required)):
            rows.append({"staff_id": f"{r.post}-{i}", "name": "", "date": r.date,
                         "start": f"{start:%H:%M}", "end": f"{start + pd.Timedelta(hours=1):%H:%M}",
                         "activity": "post", "post": r.post})  # fmt: skip
    return pd.DataFrame(rows)


def median_time(fn, runs: int) -> float:
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    cfg, fc = instance()
    req = requirements(fc, cfg)
    open_hours = req["ds"].nunique()
    print(
        f"instance: {len(cfg.channels)} channels, {len(cfg.posts)} posts, {open_hours} open hours"
    )
    t_req = median_time(lambda: requirements(fc, cfg), args.runs)
    t_base = median_time(lambda: baseline(cfg, fc), args.runs)
    t_hi = median_time(lambda: requirements(fc, cfg, level="hi-95"), args.runs)
    print(f"requirements (mean), median of {args.runs}: {t_req * 1000:.1f} ms "
          f"(target < 500 ms: {'met' if t_req < 0.5 else 'MISSED'})")  # fmt: skip
    print(f"requirements (hi-95), median of {args.runs}: {t_hi * 1000:.1f} ms")
    print(f"baseline textbook Erlang C search, same slots: {t_base * 1000:.1f} ms "
          f"(ratio requirements/baseline {t_req / t_base:.2f})")  # fmt: skip
    roster = roster_for(req)
    sim_runs = max(3, args.runs // 2)
    t_sim = median_time(lambda: simulate(fc, roster, cfg, seed=0, replications=20), sim_runs)
    print(f"day simulation, 7 days x 20 replications, median of {sim_runs}: {t_sim:.2f} s")
    from scheduler.staffing.erlang import servers_needed

    for load in (300.0, 600.0):
        t_new = median_time(lambda load=load: servers_needed(load, 1.0, 0.8, 0.33), args.runs)
        t_old = median_time(lambda load=load: textbook_servers(load, 1.0, 0.8, 0.33), 3)
        n = servers_needed(load, 1.0, 0.8, 0.33).servers
        print(f"{load:g} Erlangs -> {n} servers: {t_new * 1000:.2f} ms "
              f"(textbook search {t_old * 1000:.1f} ms, ratio {t_new / t_old:.3f})")  # fmt: skip


if __name__ == "__main__":
    main()
