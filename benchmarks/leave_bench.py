"""Mandatory-leave planner benchmark: a 30-person branch with 12 sensitive-post holders.

The instance is built here from a seed: three sensitive posts (operations supervisor, cash
teller, accounting) held by 12 people in six A/B pairs, 18 other staff of whom some are also
qualified for the sensitive posts, the branch open seven days a week, the default blackouts
(month-end, quarter-end, two working days around each long holiday) plus two manager-marked
weeks, and wishes from half the sensitive staff.

Measured, as medians over ``--runs`` runs in the same process:

* the full plan (``plan_leave``): status, objective, proven bound, wall time;
* the baseline: the same model stopped at its first feasible plan (what a solver without
  optimisation returns), with its objective and time;
* a mid-year re-plan (today = 1 July, two manager blackouts added over planned blocks):
  how many blocks moved, against the number the new blackouts forced to move.

Usage::

    .venv/bin/python benchmarks/leave_bench.py            # 3 runs, 2 workers
    .venv/bin/python benchmarks/leave_bench.py --runs 1 --workers 1
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from ortools.sat.python import cp_model  # noqa: E402

from scheduler.domain import (  # noqa: E402
    BackupPair,
    Branch,
    BranchConfig,
    DayHours,
    HolidayCalendar,
    LabourRules,
    MandatoryLeaveRule,
    Post,
    PostKind,
    Qualification,
    ShiftTemplate,
    Staff,
    Weekday,
)
from scheduler.leave import LeavePlanSettings, LeavePreference, PlannedBlock, plan_leave  # noqa: E402
from scheduler.leave.plan import _build, _instance  # noqa: E402

YEAR = 2027
SENSITIVE = {"ops_supervisor": 3, "cash_teller": 6, "accounting": 3}


def build_config(seed: int = 7) -> BranchConfig:
    """The 30-person benchmark branch."""
    rng = random.Random(seed)
    hours = DayHours(start="09:00", end="17:00")
    branch = Branch(
        id="BENCH-30",
        name="benchmark branch",
        opening_hours={w: hours for w in Weekday},
        calendar=HolidayCalendar(country="CN", holiday_hours=DayHours(start="10:00", end="15:00")),
    )
    posts = [
        Post(id="ops_supervisor", name_zh="运营主管", name_en="Ops supervisor",
             kind=PostKind.SUPERVISOR, sensitive=True, min_staff=1, customer_facing=False),
        Post(id="cash_teller", name_zh="高柜柜员", name_en="Cash teller", kind=PostKind.TELLER,
             sensitive=True, min_staff=2),
        Post(id="accounting", name_zh="会计主管", name_en="Accounting", sensitive=True,
             min_staff=1, customer_facing=False),
        Post(id="noncash_teller", name_zh="低柜柜员", name_en="Non-cash teller",
             kind=PostKind.TELLER),
        Post(id="lobby", name_zh="大堂经理", name_en="Lobby", kind=PostKind.LOBBY, min_staff=1),
        Post(id="customer_manager", name_zh="客户经理", name_en="Customer manager",
             kind=PostKind.ADVISOR),
    ]  # fmt: skip
    staff: list[Staff] = []
    pairs: list[BackupPair] = []
    n = 0
    for post, count in SENSITIVE.items():
        ids = []
        for _ in range(count):
            n += 1
            sid = f"P{n:02d}"
            ids.append(sid)
            extra = ["noncash_teller"] if post == "cash_teller" else []
            staff.append(
                Staff(
                    id=sid,
                    name=f"person {sid}",
                    home_post=post,
                    employment_start=dt.date(2000 + rng.randrange(25), 1 + rng.randrange(12), 1),
                    qualifications=[Qualification(post=p) for p in [post, *extra]],
                )
            )
        pairs += [BackupPair(post=post, a=ids[i], b=ids[i + 1]) for i in range(0, count - 1, 2)]
    others = ["noncash_teller", "lobby", "customer_manager"]
    for k in range(30 - n):
        sid = f"P{n + k + 1:02d}"
        home = others[k % 3]
        quals = [home]
        if k % 4 == 0:
            quals.append("cash_teller")
        if k % 9 == 0:
            quals.append("ops_supervisor")
        if k % 7 == 3:
            quals.append("accounting")
        staff.append(
            Staff(
                id=sid,
                name=f"person {sid}",
                home_post=home,
                employment_start=dt.date(2005 + rng.randrange(20), 1 + rng.randrange(12), 1),
                qualifications=[Qualification(post=p) for p in quals],
            )
        )
    return BranchConfig(
        branch=branch,
        posts=posts,
        staff=staff,
        shifts=[ShiftTemplate(id="day", name="day", start="08:30", end="17:30")],
        labour=LabourRules(min_days_off_per_week=2),
        backup_pairs=pairs,
        mandatory_leave=MandatoryLeaveRule(
            posts=list(SENSITIVE),
            working_days=5,
            blackout=[
                (dt.date(YEAR, 6, 14), dt.date(YEAR, 6, 20)),
                (dt.date(YEAR, 11, 8), dt.date(YEAR, 11, 14)),
            ],
        ),
    )


def wishes(config: BranchConfig, seed: int = 7) -> list[LeavePreference]:
    """Half the sensitive staff wish for a two-week window somewhere in the year."""
    rng = random.Random(seed)
    subjects = [s.id for s in config.staff if s.home_post in SENSITIVE]
    out = []
    for sid in subjects[::2]:
        start = dt.date(YEAR, 1, 4) + dt.timedelta(days=rng.randrange(340))
        out.append(LeavePreference(sid, start, start + dt.timedelta(days=13), 1 + rng.randrange(5)))
    return out


def first_feasible(config: BranchConfig, prefs: list[LeavePreference], workers: int) -> tuple:
    """The baseline: the same model stopped at its first feasible plan."""
    settings = LeavePlanSettings(workers=workers)
    t0 = time.perf_counter()
    inst = _instance(config, YEAR, None, settings)
    m = _build(inst, prefs, (), settings, explain=False)
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = workers
    solver.parameters.random_seed = 0
    solver.parameters.stop_after_first_solution = True
    status = solver.solve(m.model)
    return solver.status_name(status), solver.objective_value, time.perf_counter() - t0


def main() -> None:
    """Run the benchmark and print the table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    config = build_config()
    prefs = wishes(config)
    settings = LeavePlanSettings(workers=args.workers, seed=0, time_limit_s=60)
    full, base = [], []
    plan = None
    for _ in range(args.runs):
        plan = plan_leave(config, YEAR, preferences=prefs, settings=settings)
        full.append(plan)
        base.append(first_feasible(config, prefs, args.workers))
    assert plan is not None
    t_full = statistics.median(p.wall_time_s for p in full)
    t_base = statistics.median(b[2] for b in base)
    print(f"instance: 30 staff, {len(plan.blocks)} sensitive-post holders, year {YEAR}, "
          f"{args.workers} workers, {args.runs} runs (medians)")  # fmt: skip
    print(f"{'':24}{'status':>10}{'objective':>12}{'bound':>10}{'time s':>10}")
    print(f"{'CP-SAT plan':24}{plan.status:>10}{plan.objective:>12g}{plan.best_bound:>10g}"
          f"{t_full:>10.2f}")  # fmt: skip
    b_status, b_obj, _ = base[-1]
    print(f"{'first feasible (base)':24}{b_status:>10}{b_obj:>12g}{'':>10}{t_base:>10.2f}")
    print(f"time ratio plan/base: {t_full / t_base:.2f}; "
          f"objective ratio base/plan: {b_obj / max(plan.objective or 0, 1):.2f}")  # fmt: skip
    met = sum(b.preference == "met" for b in plan.blocks)
    print(f"wishes met: {met} of {len(prefs)}; penalties: "
          + ", ".join(f"{p.rule} {p.cost}" for p in plan.penalties))  # fmt: skip

    # Mid-year re-plan: two new blackouts land on planned blocks after 1 July.
    previous = [PlannedBlock(b.staff_id, b.start) for b in plan.blocks]
    later = sorted(
        (b for b in plan.blocks if b.start >= dt.date(YEAR, 7, 1)), key=lambda b: b.start
    )
    hit = later[:2]
    marks = tuple((b.start, b.end) for b in hit)
    replan_settings = LeavePlanSettings(
        workers=args.workers, seed=0, today=dt.date(YEAR, 7, 1), blackout=marks
    )
    times, moved = [], 0
    for _ in range(args.runs):
        again = plan_leave(config, YEAR, preferences=prefs, previous=previous,
                           settings=replan_settings)  # fmt: skip
        times.append(again.wall_time_s)
        moved = sum(b.status == "moved" for b in again.blocks)
        fixed = sum(b.status == "fixed" for b in again.blocks)
    print(f"re-plan from {YEAR}-07-01 with {len(hit)} new blackouts on planned blocks: "
          f"{again.status}, {moved} moved (forced: {len(hit)}), {fixed} fixed, "
          f"median {statistics.median(times):.2f} s")  # fmt: skip


if __name__ == "__main__":
    main()
