"""End-to-end solves: the sample branch, the verifier's judgement and the solver figures."""

from __future__ import annotations

import datetime as dt
import itertools
import time
from dataclasses import replace

import pytest
from ortools.sat.python import cp_model

from scheduler.calendar import Horizon
from scheduler.domain import Availability, LabourRules, LeaveRequest
from scheduler.frames import ASSIGNMENT_COLUMNS, COVERAGE_COLUMNS, SHIFT_COLUMNS
from scheduler.roster import RosterRequest, RosterResult, SolveOptions, build_model, solve
from scheduler.roster.clock import DETERMINISTIC_WALL_FACTOR, SolveClock
from scheduler.roster.model import OBJECTIVE_SCALE, RosterModel
from scheduler.roster.result import PERSON_COLUMNS
from scheduler.roster.rules import RULE_FUNCTIONS
from scheduler.roster.solve import (
    ONE_WORKER_INTERLEAVE_MIN_S,
    Progress,
    _first_roster,
    _fix_hard_literals,
    _service_first,
    _set_params,
    _starting_roster,
)
from scheduler.sample.branch import sample_config
from scheduler.verify import verify_roster

from .instances import MON, OPTIONS, config, person, post, request, requirements, shift
from .instances_extra import branch

WEEK = dt.date(2026, 11, 30)
TUE = WEEK + dt.timedelta(days=1)

VERIFIER_NAMES = {
    "min_rest": "min_rest_between_shifts",
    "min_days_off": "min_days_off_per_week",
    "max_weekends": "max_weekends_worked",
    "duty_cover": "manager_on_duty",
    "ab_pair": "ab_backup_pair",
}
"""Verifier violation names that differ from the catalogue's rule names."""


def sample_need(ds: dt.datetime, post: str) -> int:
    """A plausible week: peaks at 10-12 and 14-16, advisers on weekdays."""
    peak = ds.hour in (10, 11, 14, 15)
    weekday = ds.weekday() < 5
    return {
        "lobby": 1,
        "ops_supervisor": 1,
        "cash_teller": 2 if peak else 1,
        "noncash_teller": 2 if peak and weekday else 1,
        "wealth_manager": 1 if 10 <= ds.hour < 16 else 0,
        "customer_manager": 1 if weekday else 0,
        "corporate_manager": 1 if weekday and ds.hour < 12 else 0,
    }.get(post, 0)


def sample_request(availability: Availability | None = None) -> RosterRequest:
    """The sample branch for 2026-W49 with the hand-made requirement frame."""
    config = sample_config(WEEK)
    horizon = Horizon.iso_week("2026-W49")
    frame = requirements(
        config, horizon, sample_need, wait=2.0, floor=lambda ds, p: int(p == "lobby")
    )
    return RosterRequest(
        config=config,
        horizon=horizon,
        requirements=frame,
        availability=availability or Availability(),
    )


@pytest.fixture(scope="module")
def sample_result() -> tuple[RosterRequest, RosterResult]:
    """The sample week solved once for the module."""
    request = sample_request()
    return request, solve(request, SolveOptions(time_limit_s=10, workers=2, seed=0))


@pytest.mark.slow
def test_sample_branch_solves(sample_result) -> None:
    """The sample branch's week has a roster, with every frame in its contract's columns."""
    _, result = sample_result
    assert result.status in ("OPTIMAL", "FEASIBLE")
    assert tuple(result.assignments.columns) == ASSIGNMENT_COLUMNS
    assert tuple(result.shifts.columns) == SHIFT_COLUMNS
    assert tuple(result.coverage.columns) == COVERAGE_COLUMNS
    assert tuple(result.people.columns) == PERSON_COLUMNS
    assert len(result.people) == 14
    assert result.stats.variables > 0 and result.stats.workers == 2


@pytest.mark.slow
def test_sample_roster_passes_the_independent_verifier(sample_result) -> None:
    """The verifier, written from the rules alone, finds no broken hard rule the model covers."""
    request, result = sample_result
    report = verify_roster(request, result.assignments)
    broken = {VERIFIER_NAMES.get(v.rule, v.rule) for v in report.violations}
    # Rules whose functions are not registered yet (labour, mentors) are not judged here.
    assert broken & set(RULE_FUNCTIONS) == set()


@pytest.mark.slow
def test_sample_roster_covers_every_floor(sample_result) -> None:
    """The lobby is never empty: its floor of one holds in every open slot."""
    _, result = sample_result
    lobby = result.coverage[result.coverage["post"] == "lobby"]
    assert len(lobby) == 7 * 8 - 2  # 8 hours Monday-Friday, 7 on the weekend
    assert (lobby["assigned"] >= 1).all()


@pytest.mark.slow
def test_assignments_use_dates_and_clock_strings(sample_result) -> None:
    """Roster rows carry a date and "HH:MM" times, blocks merged and never overlapping."""
    _, result = sample_result
    rows = result.assignments
    assert all(isinstance(d, dt.date) for d in rows["date"])
    assert rows["start"].str.fullmatch(r"\d\d:\d\d").all()
    for _, mine in rows.groupby(["staff_id", "date"]):
        ends, starts = list(mine["end"])[:-1], list(mine["start"])[1:]
        assert ends == starts  # contiguous blocks of one shift
        kinds = list(zip(mine["activity"], mine["post"].fillna(""), strict=True))
        assert all(a != b for a, b in itertools.pairwise(kinds))


def test_both_ab_pair_on_leave_is_infeasible_with_a_conflict_naming_pair_and_day() -> None:
    """Leave for both halves of an A/B pair on the same day is reported in words, not a crash."""
    leave = Availability(
        leave=[
            LeaveRequest(staff_id="S02", start_date=TUE, end_date=TUE),
            LeaveRequest(staff_id="S03", start_date=TUE, end_date=TUE),
        ]
    )
    result = solve(sample_request(leave), SolveOptions(time_limit_s=10, workers=1, seed=0))
    assert result.status == "INFEASIBLE"
    assert result.assignments.empty
    first = result.conflicts[0]
    assert first.rules == ("ab_backup_pair",)
    assert set(first.staff_ids) == {"S02", "S03"} and first.dates == (TUE,)
    assert "李敏" in first.message and "张伟" in first.message and "Tue 1 Dec" in first.message
    assert "annual leave" in first.message
    assert "ab_backup_pair soft" in first.relaxation


def test_progress_reports_improving_rosters() -> None:
    """Progress callbacks see each improving roster with its cost, bound and time."""
    seen = []
    cfg = config(
        [post("cash"), post("lobby")],
        [person("A", "cash", "lobby"), person("B", "cash"), person("C", "lobby")],
        rules={"coverage_under": "soft", "contract_hours": "soft", "post_switches": "soft"},
    )
    tiny = request(cfg, days=3, need={"cash": 1, "lobby": 1})
    solve(tiny, SolveOptions(time_limit_s=10, workers=1, seed=0), on_progress=seen.append)
    assert seen and seen[-1].solutions == len(seen)
    assert all(a.objective >= b.objective for a, b in itertools.pairwise(seen))


def test_progress_printing_is_at_most_one_line_per_second(capsys) -> None:
    """Printed progress stays readable: improvements within the same second are not printed."""
    from scheduler.roster.solve import Progress, _Printer

    printer = _Printer()
    for i, seconds in enumerate((0.1, 0.5, 0.9, 1.2, 1.3, 2.5), start=1):
        printer(Progress(i, 100.0 - i, 10.0, seconds))
    lines = capsys.readouterr().err.splitlines()
    assert lines == [
        "roster 1: cost 99, bound 10, 0.1 s",
        "roster 4: cost 96, bound 10, 1.2 s",
        "roster 6: cost 94, bound 10, 2.5 s",
    ]


def _six_days_or_five() -> RosterRequest:
    """One teller for a 7-day week: a sixth day is rest-day work at 200% (960 > 800 short)."""
    cfg = branch(
        [post("cash")],
        [person("A", "cash")],
        shifts=[shift("day", "09:00", "17:00")],
        hours=("09:00", "17:00"),
        labour=LabourRules(min_days_off_per_week=1, max_hours_per_week=60),
        rules={"coverage_under": "soft", "labour_cost": ("soft", 1)},
    )
    return request(cfg, days=7, need={"cash": 1})


def test_service_first_phase_bounds_the_service_terms_without_forcing_them() -> None:
    """Phase one proves 8 staff-hours short at least (800); the optimum still trades service."""
    model = build_model(_six_days_or_five())
    model.set_objective()
    _fix_hard_literals(model, 1)
    first = _service_first(model, OPTIONS, SolveClock(OPTIONS.time_limit_s))
    assert first == (cp_model.OPTIMAL, 800 * OBJECTIVE_SCALE)
    result = solve(_six_days_or_five(), OPTIONS)
    assert (result.status, result.stats.objective, result.stats.best_bound) == (
        "OPTIMAL",
        4000.0,
        4000.0,
    )


def test_service_first_phase_is_skipped_without_secondary_rules() -> None:
    """With only service terms in the objective there is nothing to split: one phase."""
    cfg = branch([post("cash")], [person("A", "cash")], rules={"coverage_under": "soft"})
    model = build_model(request(cfg, need={"cash": 1}))
    model.set_objective()
    assert _service_first(model, OPTIONS, SolveClock(OPTIONS.time_limit_s)) is None


def test_progress_reports_the_service_first_rosters_then_the_improvements() -> None:
    """Rosters are numbered 1, 2, ... and only get cheaper; the service bound comes first."""
    seen: list[Progress] = []
    solve(_six_days_or_five(), OPTIONS, on_progress=seen.append)
    assert [p.solutions for p in seen] == list(range(1, len(seen) + 1))
    assert seen[-1].objective == 4000.0
    assert all(a.objective > b.objective for a, b in itertools.pairwise(seen))
    assert all(a.best_bound <= b.best_bound for a, b in itertools.pairwise(seen))
    assert max(p.best_bound for p in seen) >= 800.0


def test_phase_one_rosters_are_offered_at_their_full_cost() -> None:
    """Phase one minimises 800 short alone, yet its rosters are told at their full cost."""
    offers: list[tuple[float, float, float]] = []
    model = build_model(_six_days_or_five())
    model.set_objective()
    _fix_hard_literals(model, 1)
    _service_first(model, OPTIONS, SolveClock(OPTIONS.time_limit_s), lambda *a: offers.append(a))
    assert offers, "phase one offers at least its last roster"
    assert all(objective >= 4000.0 for objective, _, _ in offers)  # 800 short + labour cost
    assert offers[-1][1] == 800.0


def _hinted_six_days() -> RosterModel:
    """The six-days-or-five model with the completed greedy roster as its hint."""
    from scheduler.roster.hint import complete_hint, greedy_hint

    model = build_model(_six_days_or_five())
    model.set_objective()
    greedy_hint(model)
    _fix_hard_literals(model, 1)
    assert complete_hint(model, 5.0, 0)
    return model


def test_first_phase_with_its_own_start_searches_without_the_hint(monkeypatch) -> None:
    """With ``own_start`` phase one sees no hint; its roster becomes the whole hint after."""
    import sys

    from scheduler.roster.hint import hinted_values

    solve_module = sys.modules["scheduler.roster.solve"]
    real = solve_module.solve_interruptibly
    seen: list[int] = []

    def watched(solver, cp, *args, **kwargs):
        seen.append(len(cp.proto.solution_hint.vars))
        return real(solver, cp, *args, **kwargs)

    monkeypatch.setattr(solve_module, "solve_interruptibly", watched)
    model = _hinted_six_days()
    clock = SolveClock(OPTIONS.time_limit_s)
    assert _service_first(model, OPTIONS, clock, own_start=True) == (
        cp_model.OPTIMAL,
        800 * OBJECTIVE_SCALE,
    )
    assert seen == [0]
    assert len(hinted_values(model.cp)) == len(model.cp.proto.variables)

    hinted = _hinted_six_days()
    _service_first(hinted, OPTIONS, SolveClock(OPTIONS.time_limit_s))
    assert seen[1] == len(hinted.cp.proto.variables)  # without own_start: from the hint


def test_first_phase_without_a_roster_gives_the_hint_back(monkeypatch) -> None:
    """When the phase finds nothing in its time, the second phase starts from the old hint."""
    import sys

    from scheduler.roster.hint import hinted_values

    solve_module = sys.modules["scheduler.roster.solve"]
    monkeypatch.setattr(solve_module, "solve_interruptibly", lambda *a, **k: cp_model.UNKNOWN)
    model = _hinted_six_days()
    before = hinted_values(model.cp)
    clock = SolveClock(OPTIONS.time_limit_s)
    assert _service_first(model, OPTIONS, clock, own_start=True) == (cp_model.UNKNOWN, 0)
    assert hinted_values(model.cp) == before


def test_only_the_greedy_start_is_left_out_of_the_first_phase(monkeypatch) -> None:
    """A repair's published roster still hints phase one; the greedy roster does not."""
    import sys

    solve_module = sys.modules["scheduler.roster.solve"]
    real = solve_module._service_first
    own: list[bool] = []

    def recorded(model, options, clock, offer=None, own_start=False):
        own.append(own_start)
        return real(model, options, clock, offer, own_start)

    monkeypatch.setattr(solve_module, "_service_first", recorded)
    first = solve(_six_days_or_five(), OPTIONS)
    published = replace(_six_days_or_five(), published=first.assignments)
    again = solve(published, OPTIONS)
    assert own == [True, False]
    assert first.stats.objective == again.stats.objective == 4000.0


def test_improving_numbers_rosters_and_drops_dearer_ones() -> None:
    """A dearer roster is not told; the bound it brought is kept for the next one."""
    from scheduler.roster.solve import _Improving

    seen: list[Progress] = []
    offer = _Improving(seen.append)
    offer(100.0, 5.0, 0.1)
    offer(120.0, 7.0, 0.2)
    offer(90.0, 6.0, 0.3)
    assert seen == [Progress(1, 100.0, 5.0, 0.1), Progress(2, 90.0, 7.0, 0.3)]


def _tiny_model():
    cfg = config(
        [post("cash")],
        [person("A", "cash"), person("B", "cash")],
        rules={"coverage_under": "soft", "post_floor": "hard"},
    )
    model = build_model(request(cfg, need={"cash": 1}))
    model.set_objective()
    return model


def test_starting_roster_is_the_hint_when_it_is_whole_and_keeps_the_hard_rules() -> None:
    """A whole hint (A works, B does not) is returned as the roster it describes."""
    model = _tiny_model()
    for index, var in enumerate(model.cp.proto.variables):
        value = int(var.name == "shift[A,2026-11-30,am]" or var.name.startswith("hard["))
        model.cp.add_hint(model.cp.get_int_var_from_proto_index(index), value)
    _fix_hard_literals(model, 1)
    solver = _starting_roster(model, seed=0)
    assert solver is not None
    assert solver.value(model.shift_var("A", MON, "am")) == 1
    assert solver.value(model.shift_var("B", MON, "am")) == 0


def test_starting_roster_refuses_a_partial_hint_or_one_breaking_a_hard_rule() -> None:
    """Nobody on the counter breaks the hard floor; a hint naming one variable is not whole."""
    model = _tiny_model()
    for index in range(len(model.cp.proto.variables)):
        model.cp.add_hint(model.cp.get_int_var_from_proto_index(index), 0)
    _fix_hard_literals(model, 1)
    assert _starting_roster(model, seed=0) is None
    partial = _tiny_model()
    partial.cp.add_hint(partial.shift_var("A", MON, "am"), 1)
    assert _starting_roster(partial, seed=0) is None


def test_first_roster_hints_a_whole_roster_that_keeps_the_hard_rules() -> None:
    """Without any hint, the costless search leaves a whole roster the fallback accepts."""
    model = _tiny_model()
    _fix_hard_literals(model, 1)
    assert _first_roster(model, OPTIONS, SolveClock(OPTIONS.time_limit_s)) == cp_model.OPTIMAL
    solver = _starting_roster(model, seed=0)
    assert solver is not None  # every variable hinted, every hard rule kept
    works = [solver.value(model.shift_var(s, MON, "am")) for s in ("A", "B")]
    assert sum(works) >= 1  # the hard floor: somebody holds the counter


def test_first_roster_says_infeasible_when_no_roster_keeps_the_hard_rules() -> None:
    """A hard floor of three on a counter two people can hold has no roster at all."""
    cfg = config(
        [post("cash", min_staff=3)],
        [person("A", "cash"), person("B", "cash")],
        rules={"coverage_under": "soft", "post_floor": "hard"},
    )
    model = build_model(request(cfg, need={"cash": 1}))
    model.set_objective()
    _fix_hard_literals(model, 1)
    assert _first_roster(model, OPTIONS, SolveClock(OPTIONS.time_limit_s)) == cp_model.INFEASIBLE


def test_solve_starts_from_a_costless_roster_when_the_hint_cannot_be_completed(
    monkeypatch,
) -> None:
    """When completing the greedy roster fails, the search still starts from a whole roster."""
    import sys

    solve_module = sys.modules["scheduler.roster.solve"]
    calls = []

    def first(model, options, clock):
        calls.append(model)
        return _first_roster(model, options, clock)

    monkeypatch.setattr(solve_module, "complete_hint", lambda *a, **k: False)
    monkeypatch.setattr(solve_module, "_first_roster", first)
    result = solve(_six_days_or_five(), OPTIONS)
    assert len(calls) == 1
    assert (result.status, result.stats.objective) == ("OPTIMAL", 4000.0)


@pytest.mark.parametrize(
    ("workers", "limit", "interleave", "subsolvers"),
    [
        (1, ONE_WORKER_INTERLEAVE_MIN_S, True, []),
        (1, ONE_WORKER_INTERLEAVE_MIN_S - 1, False, []),
        (2, 60.0, False, ["max_lp"]),
        (4, 60.0, False, []),
    ],
)
def test_one_worker_takes_turns_between_searches_given_time(
    workers, limit, interleave, subsolvers
) -> None:
    """One worker interleaves CP-SAT's searches from a 30-s limit.

    Two workers name the full-problem search; more keep CP-SAT's own portfolio.
    """
    solver = cp_model.CpSolver()
    options = SolveOptions(time_limit_s=limit, workers=workers, seed=3)
    _set_params(solver, options, 5.0, ("max_lp",))
    params = solver.parameters
    assert params.interleave_search is interleave
    assert list(params.subsolvers) == subsolvers
    assert (params.num_workers, params.random_seed, params.max_time_in_seconds) == (workers, 3, 5)


def test_deterministic_searches_count_deterministic_time_and_take_turns() -> None:
    """The limit is deterministic time, the wall clock only a safety cap; workers interleave."""
    solver = cp_model.CpSolver()
    options = SolveOptions(time_limit_s=8.0, workers=2, seed=3, deterministic=True)
    _set_params(solver, options, 5.0, ("max_lp",))
    params = solver.parameters
    assert params.max_deterministic_time == 5.0
    assert params.max_time_in_seconds == 5.0 * DETERMINISTIC_WALL_FACTOR
    assert params.interleave_search is True
    clock = SolveClock(options.time_limit_s, options.deterministic)
    assert clock.left() == 8.0
    time.sleep(0.05)
    assert clock.left() == 8.0  # the wall clock does not count
    clock.charge_units(3.0)
    assert clock.left() == 5.0
    wall = SolveClock(8.0)
    wall.charge_units(3.0)
    assert 7.0 < wall.left() <= 8.0  # seconds since the start; charges are not counted


def test_a_deterministic_solve_stopped_by_its_limit_is_repeatable() -> None:
    """Two workers, a limit that stops the search: the same roster twice, on a busy machine."""
    from scheduler.instances import make_instance

    req = make_instance("S", 0)
    options = SolveOptions(time_limit_s=1.0, workers=2, seed=0, deterministic=True)
    first, second = solve(req, options), solve(req, options)
    assert first.stats.status == second.stats.status == "FEASIBLE"
    assert first.stats.objective == second.stats.objective
    assert first.stats.best_bound == second.stats.best_bound
    assert first.assignments.reset_index(drop=True).equals(
        second.assignments.reset_index(drop=True)
    )


def test_one_worker_solve_is_repeatable() -> None:
    """Interleaved with one worker, the same request and seed give the same roster."""
    cfg = config(
        [post("cash")],
        [person("A", "cash"), person("B", "cash"), person("C", "cash")],
        shifts=[shift("early", "08:00", "12:00"), shift("late", "12:00", "16:00")],
        hours=("08:00", "16:00"),
    )
    req = request(cfg, days=3, need={"cash": 1})
    options = SolveOptions(time_limit_s=ONE_WORKER_INTERLEAVE_MIN_S, workers=1, seed=0)
    first, second = solve(req, options), solve(req, options)
    assert first.stats.status == second.stats.status == "OPTIMAL"
    assert first.assignments.reset_index(drop=True).equals(
        second.assignments.reset_index(drop=True)
    )
    assert len(first.assignments) > 0
