"""Forecast benchmark: accuracy and calibration on the sample branch, and speed.

Measures, on this machine:

1. Backtest of the sample branch over 8 weekly origins (choice and calibration from earlier
   weeks only): MASE of the chosen model (target <= 0.80) and the share of actual hours inside
   the 80% interval (target 75-85%) and the 95% interval.
2. Fit + forecast of one branch (5 channels, 2 years hourly), median of several runs, against
   the seasonal naive model alone measured in the same run (the ratio is what to compare
   across machines). Target < 10 s.
3. 100 branches (the sample's effects with different seeds and volume scales) forecast in a
   pool of 2 processes, one branch per task. Target < 5 min on 2 cores.

Run: ``.venv/bin/python benchmarks/forecast_bench.py [--branches 100] [--runs 3]``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import statistics
import sys
import time
import warnings
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from forecasting import ForecastSettings, ForecastWarning, forecast  # noqa: E402
from forecasting.backtest import CHOSEN, OVERALL, backtest  # noqa: E402
from scheduler.calendar import Horizon  # noqa: E402
from scheduler.io.config_file import load_config  # noqa: E402
from scheduler.io.traffic_file import read_traffic  # noqa: E402

WEEK = "2026-W49"
PENSION_DAY = (10,)  # the sample branch's pension-payment day, as its manager would set it


def sample_inputs():
    folder = ROOT / "data" / "sample_branch"
    if not (folder / "branch.yaml").exists():
        import tempfile

        from scheduler.sample.generator import generate_sample

        folder = Path(tempfile.mkdtemp(prefix="forecast-bench-"))
        generate_sample(folder, week=WEEK)
    config = load_config(folder / "branch.yaml")
    history = read_traffic(folder / "traffic.csv.gz", branch=config.branch.id)
    return config, history


def accuracy(config, history) -> None:
    for label, settings in (
        ("pension day 10 configured", ForecastSettings(pension_days=PENSION_DAY)),
        ("no pension day configured", ForecastSettings()),
    ):
        t0 = time.perf_counter()
        report = backtest(history, config, origins=8, settings=settings, n_jobs=2)
        seconds = time.perf_counter() - t0
        table = report.table.set_index(["unique_id", "model"])
        print(f"\n[accuracy] sample branch, 8 weekly origins, {label} ({seconds:.0f} s)")
        cols = ["mase", "mae", "rmse", "coverage-80", "coverage-95", "raw-coverage-80"]
        print(table.loc[OVERALL, cols].round(3).to_string())
        chosen = table.loc[(OVERALL, CHOSEN)]
        print(f"  picked: {chosen['picked']}")
        print(
            f"  chosen MASE {chosen['mase']:.3f} (target <= 0.80: "
            f"{'met' if chosen['mase'] <= 0.80 else 'NOT met'}); "
            f"80% coverage {chosen['coverage-80']:.1%} (target 75-85%: "
            f"{'met' if 0.75 <= chosen['coverage-80'] <= 0.85 else 'NOT met'}); "
            f"95% coverage {chosen['coverage-95']:.1%}"
        )
        per_series = report.table[report.table["model"] == CHOSEN]
        print(
            per_series[["unique_id", "mase", "coverage-80", "coverage-95", "picked"]]
            .round(3)
            .to_string(index=False)
        )


def timed(fn, runs: int) -> list[float]:
    out = []
    for _ in range(runs):
        t0 = time.perf_counter()
        fn()
        out.append(time.perf_counter() - t0)
    return out


def cpu_timed(fn, runs: int) -> list[float]:
    """CPU seconds of this process (the 1-process run does all its work here)."""
    out = []
    for _ in range(runs):
        t0 = time.process_time()
        fn()
        out.append(time.process_time() - t0)
    return out


def load() -> str:
    one, five, _ = os.getloadavg()
    return f"load average {one:.1f} (1 min), {five:.1f} (5 min) on {os.cpu_count()} CPUs"


def one_branch(config, history, runs: int) -> None:
    horizon = Horizon.iso_week(WEEK)
    settings = ForecastSettings(pension_days=PENSION_DAY)
    warnings.simplefilter("ignore", ForecastWarning)
    base = timed(lambda: forecast(history, config, horizon, model="seasonal_naive"), runs)
    auto1 = timed(lambda: forecast(history, config, horizon, settings=settings), runs)
    cpu1 = cpu_timed(lambda: forecast(history, config, horizon, settings=settings), runs)
    auto2 = timed(lambda: forecast(history, config, horizon, settings=settings, n_jobs=2), runs)
    med = statistics.median
    print(
        f"\n[speed] one branch, {history['channel'].nunique()} channels, "
        f"{len(history):,} hourly rows, median of {runs} runs"
    )
    print(f"  seasonal naive only (baseline): {med(base):.2f} s")
    print(
        f"  auto, 1 process : {med(auto1):.2f} s  ({med(auto1) / med(base):.1f}x baseline); "
        f"CPU {med(cpu1):.2f} s"
    )
    print(
        f"  auto, 2 processes: {med(auto2):.2f} s  ({med(auto2) / med(base):.1f}x baseline)"
        f"  target < 10 s: {'met' if med(auto2) < 10 else 'NOT met'}"
    )


def make_branch(i: int):
    from scheduler.sample.branch import sample_config
    from scheduler.sample.traffic import TrafficEffects, sample_traffic

    base = sample_config(dt.date(2026, 11, 30))
    branch = base.branch.model_copy(update={"id": f"BR-{i:03d}"})
    config = base.model_copy(update={"branch": branch})
    scale = 0.4 + 1.2 * ((i * 37) % 100) / 100
    defaults = TrafficEffects()
    effects = TrafficEffects(
        base_per_hour={k: v * scale for k, v in defaults.base_per_hour.items()}
    )
    raw = sample_traffic(
        config, dt.date(2024, 12, 2), dt.date(2026, 11, 29), seed=1000 + i, effects=effects
    )
    history = raw.rename(columns={"timestamp": "ds", "count": "y"})
    history["unique_id"] = history["branch"] + "/" + history["channel"]
    return config, history


def _forecast_task(args):
    config, history = args
    warnings.simplefilter("ignore", ForecastWarning)
    t0, c0 = time.perf_counter(), time.process_time()
    out = forecast(
        history, config, Horizon.iso_week(WEEK), settings=ForecastSettings(pension_days=PENSION_DAY)
    )
    return time.perf_counter() - t0, len(out), time.process_time() - c0


def many_branches(n: int) -> None:
    t0 = time.perf_counter()
    branches = [make_branch(i) for i in range(n)]
    made = time.perf_counter() - t0
    t0 = time.perf_counter()
    with ProcessPoolExecutor(max_workers=2) as pool:
        results = list(pool.map(_forecast_task, branches))
    wall = time.perf_counter() - t0
    per = [r[0] for r in results]
    rows = sum(r[1] for r in results)
    cpu = sum(r[2] for r in results)
    print(
        f"\n[speed] {n} branches x 5 channels x 2 years, pool of 2 processes "
        f"(data generated beforehand in {made:.0f} s)"
    )
    print(
        f"  wall {wall:.0f} s; per branch median {statistics.median(per):.2f} s, "
        f"max {max(per):.2f} s; {rows:,} forecast rows; target < 300 s: "
        f"{'met' if wall < 300 else 'NOT met'}"
    )
    print(
        f"  CPU {cpu:.0f} s in all ({cpu / n:.2f} s per branch): {cpu / 2:.0f} s of wall time "
        "on 2 otherwise idle cores"
    )
    print(f"  {load()}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--branches", type=int, default=100)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--skip-accuracy", action="store_true")
    parser.add_argument("--skip-one", action="store_true", help="skip the one-branch timing")
    args = parser.parse_args()
    config, history = sample_inputs()
    print(f"start: {load()}")
    if not args.skip_accuracy:
        accuracy(config, history)
    if not args.skip_one:
        one_branch(config, history, args.runs)
        print(f"  {load()}")
    if args.branches:
        many_branches(args.branches)


if __name__ == "__main__":
    main()
