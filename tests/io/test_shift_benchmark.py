"""The published Shift Scheduling Benchmark format: read, solved to the benchmark's optimum."""

from __future__ import annotations

import datetime as dt
import itertools
from pathlib import Path

import pandas as pd
import pytest

from scheduler.errors import InputError
from scheduler.io.shift_benchmark import (
    DEFAULT_START,
    BenchmarkInstance,
    benchmark_score,
    read_shift_benchmark,
    score_work,
    to_request,
)
from scheduler.roster import SolveOptions, solve

DATA = Path(__file__).resolve().parents[1] / "data" / "shift_benchmark"
OPTIONS = SolveOptions(time_limit_s=20, workers=1, seed=0)


def _roster(instance: BenchmarkInstance, plan: tuple[str | None, ...]) -> pd.DataFrame:
    """A shifts frame from one shift (or None) per (person, day), people first."""
    rows = []
    for i, choice in enumerate(plan):
        person, day = divmod(i, instance.days)
        if choice is not None:
            rows.append(
                {
                    "staff_id": instance.staff[person].id,
                    "date": DEFAULT_START + dt.timedelta(days=day),
                    "shift": choice,
                }
            )
    return pd.DataFrame(rows, columns=["staff_id", "date", "shift"])


def _brute_force_optimum(instance: BenchmarkInstance) -> int:
    """The least benchmark objective over every roster that breaks no hard limit."""
    options = (None, *instance.shift_minutes)
    cells = len(instance.staff) * instance.days
    best = None
    keys = [(s.id, d) for s in instance.staff for d in range(instance.days)]
    for plan in itertools.product(options, repeat=cells):
        work = {k: x for k, x in zip(keys, plan, strict=True) if x is not None}
        score = score_work(instance, work)
        if not score.violations and (best is None or score.objective < best):
            best = score.objective
    assert best is not None
    return best


@pytest.mark.parametrize("name", ["week_one_shift", "four_days_two_shifts"])
def test_solve_reaches_the_brute_force_optimum_of_a_tiny_instance(name: str) -> None:
    """CP-SAT on the imported instance proves the optimum that enumerating every roster finds."""
    instance = read_shift_benchmark(DATA / f"{name}.txt")
    result = solve(to_request(instance), OPTIONS)
    assert result.stats.status == "OPTIMAL"
    score = benchmark_score(instance, result.shifts)
    assert score.violations == ()
    assert score.objective == round(result.stats.objective) == _brute_force_optimum(instance)


def test_requests_to_work_on_a_day_off_are_the_gap_between_model_and_benchmark(
    tmp_path: Path,
) -> None:
    """A request to work on one's day off costs its weight in every roster, outside the model.

    B is off on day 2 and asks for L that day (weight 5); B may never work E and asks for it
    on day 1 (weight 7), which the model does count. The optimum is the tiny instance's 103
    plus both.
    """
    text = (DATA / "four_days_two_shifts.txt").read_text(encoding="utf-8")
    path = tmp_path / "day_off_request.txt"
    path.write_text(text.replace("B,0,L,1\n", "B,0,L,1\nB,1,E,7\nB,2,L,5\n"), encoding="utf-8")
    instance = read_shift_benchmark(path)
    assert instance.unmeetable_weight == 5
    result = solve(to_request(instance), OPTIONS)
    assert result.stats.status == "OPTIMAL"
    score = benchmark_score(instance, result.shifts)
    assert score.objective == _brute_force_optimum(instance) == 103 + 7 + 5
    assert round(result.stats.objective) + instance.unmeetable_weight == score.objective


def test_the_reader_keeps_every_field() -> None:
    """Shift lengths, successions, personal limits, days off, requests and cover are all read."""
    instance = read_shift_benchmark(DATA / "four_days_two_shifts.txt")
    assert instance.days == 4
    assert instance.shift_minutes == {"E": 480, "L": 600}
    assert instance.forbidden_after == {"E": (), "L": ("E",)}
    b = instance.staff[1]
    assert (b.id, b.max_shifts, b.max_total_minutes, b.min_total_minutes) == (
        "B",
        {"E": 0, "L": 4},
        2400,
        600,
    )
    assert instance.days_off == {"B": (2,)}
    assert [(r.staff_id, r.day, r.shift, r.weight) for r in instance.off_requests] == [
        ("A", 3, "E", 2)
    ]
    assert instance.cover[3].under_weight == 50 and instance.cover[3].over_weight == 2


def test_the_request_states_the_limits_with_the_products_rules() -> None:
    """Each limit becomes a personal limit, a demand per date or a wish for a shift."""
    request = to_request(read_shift_benchmark(DATA / "four_days_two_shifts.txt"))
    b = request.config.person("B")
    assert b.limits is not None
    assert (b.limits.max_shifts, b.limits.max_total_hours) == ({"E": 0}, 40)
    assert request.config.labour.forbidden_sequences == [("L", "E")]
    demand = request.config.shift_demands[7]
    assert (demand.shift, demand.min_staff, demand.max_staff, demand.over_weight) == ("L", 1, 1, 1)
    assert demand.dates == [DEFAULT_START + dt.timedelta(days=3)]
    assert [lv.start_date.weekday() for lv in request.availability.leave] == [2]


def test_a_roster_breaking_the_limits_is_caught_by_the_score() -> None:
    """The score names a day off worked, a forbidden succession and a too-long stretch."""
    instance = read_shift_benchmark(DATA / "four_days_two_shifts.txt")
    plan = ("L", "E", "E", "E", "L", "L", "L", None)
    score = benchmark_score(instance, _roster(instance, plan))
    assert "B works on day off 2" in score.violations
    assert "A works L on day 0 then E" in score.violations
    assert any(v.startswith("A has 4 working days in a row") for v in score.violations)


def test_a_broken_file_names_each_line_field_and_value() -> None:
    """Every problem of a broken file is reported at once, located."""
    with pytest.raises(InputError) as caught:
        read_shift_benchmark(DATA / "broken.txt")
    found = {(i.location, i.column, i.value, i.message) for i in caught.value.errors}
    assert (5, "minutes", "eight hours", "not a whole number") in found
    assert any(loc == 8 and msg == "7 fields" for loc, _, _, msg in found)
    assert (9, "MaxShifts", "N=3", "unknown shift") in found
    assert (12, "EmployeeID", "Z", "unknown employee") in found
    assert (15, "Day", "9", "day outside the horizon") in found
    assert (20, "ShiftID", "N", "unknown shift") in found
    assert all(i.file.endswith("broken.txt") for i in caught.value.errors)


def test_a_file_without_its_sections_is_refused(tmp_path: Path) -> None:
    """A file that is not in the format says which sections are missing."""
    path = tmp_path / "notes.txt"
    path.write_text("hello\n", encoding="utf-8")
    with pytest.raises(InputError) as caught:
        read_shift_benchmark(path)
    messages = [i.message for i in caught.value.errors]
    assert "data before the first section" in messages
    assert "section SECTION_COVER missing (is the file cut short?)" in messages


def test_a_file_cut_short_names_the_sections_it_lacks(tmp_path: Path) -> None:
    """A download that stopped part-way says which sections are missing, at its last row."""
    whole = (DATA / "week_one_shift.txt").read_text(encoding="utf-8")
    cut = whole[: whole.index("SECTION_STAFF")]
    path = tmp_path / "cut.txt"
    path.write_text(cut, encoding="utf-8")
    with pytest.raises(InputError) as caught:
        read_shift_benchmark(path)
    errors = caught.value.errors
    missing = [i.message for i in errors]
    assert all(
        m.startswith("section ") and m.endswith("missing (is the file cut short?)") for m in missing
    )
    assert len(missing) >= 2
    assert any("SECTION_STAFF" in m for m in missing) and any("SECTION_COVER" in m for m in missing)
    assert {i.location for i in errors} == {len(cut.splitlines())}
    assert all(i.value is None for i in errors)


def _mutated(tmp_path: Path, old: str, new: str) -> Path:
    text = (DATA / "four_days_two_shifts.txt").read_text(encoding="utf-8")
    assert old in text
    path = tmp_path / "mutated.txt"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("old", "new", "column", "message"),
    [
        ("SECTION_HORIZON\n4", "SECTION_HORIZON\n1000000000", "days", "out of range"),
        ("A,E=4|L=2,2160", "A,E=4|L=2,99999999999999999999", "MaxTotalMinutes",
         "out of range"),
        ("B,E=0", "A,E=0", "ID", "given twice (first on line 11)"),
        ("B,E=0", "B 1,E=0", "ID", "not a usable id"),
        ("L,600,E", "L/2,600,E", "ShiftID", "not a usable id"),
        ("0,E,1,", "0,E,99999999999999999999,", "Requirement", "out of range"),
        ("A,E=4|L=2", "A,E=4|E=2", "MaxShifts", "the shift is given twice"),
        ("1,E,1,100,1", "0,E,1,100,1", "ShiftID",
         "a second cover row for day 0 and shift E (first on line 25)"),
        ("SECTION_HORIZON\n4", "SECTION_HORIZON\n\u0664", "days", "not a whole number"),
        ("L,600,E", "L,1380,E", "minutes",
         "the shift would end after 23:00: shift type 2 is drawn from 00:30 (each type 30 "
         "minutes after the one before)"),
    ],
)  # fmt: skip
def test_numbers_and_ids_the_model_cannot_take_are_located_errors(
    tmp_path: Path, old: str, new: str, column: str, message: str
) -> None:
    """Overflowing numbers, a horizon beyond 53 weeks, a repeated or unusable id: no crash.

    Digits other than ASCII ones (Arabic-Indic four) are not read as a number, and a shift
    that would end after closing is refused at its own line, with the length allowed.
    """
    with pytest.raises(InputError) as caught:
        read_shift_benchmark(_mutated(tmp_path, old, new))
    assert (column, message) in {(i.column, i.message) for i in caught.value.errors}


def test_a_limit_beyond_the_horizon_means_no_limit(tmp_path: Path) -> None:
    """MaxConsecutiveShifts 3000 in four days is stated as four days (it once overflowed)."""
    path = _mutated(tmp_path, "A,E=4|L=2,2160,960,3,1,1,1", "A,E=400|L=2,2160,960,3000,1,1,9")
    request = to_request(read_shift_benchmark(path))
    limits = request.config.staff[0].limits
    assert (limits.max_consecutive_days, limits.max_weekends_worked) == (4, 1)
