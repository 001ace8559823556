"""The planted problems in tests/data/broken: each reported with its message and location."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from scheduler.calendar import Horizon
from scheduler.domain import AvailabilityKind, LeaveKind
from scheduler.errors import InputError
from scheduler.io.availability_file import load_availability, read_availability
from scheduler.io.config_file import load_config
from scheduler.io.traffic_file import read_traffic

BROKEN = Path(__file__).resolve().parents[1] / "data" / "broken"
WEEK = Horizon.iso_week("2026-W49")


def _only_error(call, *args, **kwargs):
    with pytest.raises(InputError) as caught:
        call(*args, **kwargs)
    (issue,) = caught.value.errors
    return issue


def test_config_unknown_post_is_located_by_path_and_line():
    """An A/B pair on a post the branch does not have names the post and the valid ones."""
    path = BROKEN / "config_unknown_post.yaml"
    issue = _only_error(load_config, path)
    assert (issue.file, issue.location) == (str(path), "backup_pairs[1].post (line 287)")
    assert (issue.message, issue.value) == ("unknown post", "teller")
    assert issue.allowed.startswith("cash_teller, corporate_manager")


def test_config_same_person_twice_in_an_ab_pair():
    """A and B of a backup pair must be two people (AB角 are never absent together)."""
    issue = _only_error(load_config, BROKEN / "config_same_person_in_pair.yaml")
    assert issue.location == "backup_pairs[0] (line 284)"
    assert issue.message == "A and B of the ops_supervisor pair must be different people (S02)"


def test_config_qualification_for_a_missing_post():
    """A qualification (任职资格) for a post that does not exist is refused with its place."""
    issue = _only_error(load_config, BROKEN / "config_qualification_missing_post.yaml")
    assert issue.location == "staff[11].qualifications[1].post (line 227)"
    assert (issue.message, issue.value) == ("unknown post", "private_banker")


@pytest.mark.parametrize(
    ("name", "row", "column", "message", "value", "allowed"),
    [
        (
            "availability_unknown_staff.csv",
            3,
            "工号",
            "unknown staff number",
            "S15",
            "S01, S02, S03, S04, S05, S06, S07, S08, S09, S10, S11, S12, S13, S14",
        ),
        (
            "availability_outside_week.csv",
            3,
            "日期",
            "date outside the planned week",
            "2026-12-08",
            "2026-11-30 to 2026-12-06",
        ),
        (
            "availability_end_before_start.csv",
            2,
            "结束",
            "end is not after start",
            "14:00",
            "a time after 17:30; split a window that passes midnight into two rows",
        ),
        (
            "availability_overlap.csv",
            3,
            None,
            "overlaps the window of row 2 for S10 on 2026-11-30",
            "11:00-15:00",
            "a window that does not overlap 08:30-13:00; one declaration per time",
        ),
    ],
)
def test_availability_planted_problem(sample_cfg, name, row, column, message, value, allowed):
    """Each planted availability problem is reported with file, row, column, value, allowed."""
    issue = _only_error(read_availability, BROKEN / name, sample_cfg, WEEK)
    assert (issue.file, issue.location, issue.column) == (str(BROKEN / name), row, column)
    assert (issue.message, issue.value, issue.allowed) == (message, value, allowed)


def test_availability_duplicate_row_is_a_warning_and_dropped(sample_cfg):
    """A row sent twice is kept once; the run goes on with a warning naming both rows."""
    path = BROKEN / "availability_duplicate.csv"
    got, warnings = load_availability(path, sample_cfg, WEEK)
    assert len(got.entries) == 1
    (warning,) = warnings
    assert (warning.location, warning.severity) == (3, "warning")
    assert warning.message == "duplicate row (same as row 2); it was dropped"


def test_availability_in_gbk_with_full_width_times_works(sample_cfg):
    """GBK from Chinese Excel and full-width ９：００ are read, not rejected."""
    got = read_availability(BROKEN / "availability_gbk.csv", sample_cfg, WEEK)
    (entry,) = got.entries
    assert (entry.staff_id, entry.kind, entry.minutes) == (
        "S14",
        AvailabilityKind.AVAILABLE,
        (540, 780),
    )
    (leave,) = got.leave
    assert (leave.staff_id, leave.kind, leave.start_date, leave.note) == (
        "S06",
        LeaveKind.TRAINING,
        dt.date(2026, 12, 3),
        "分行柜员业务培训",
    )


def test_availability_empty_file():
    """An empty upload is an error naming the file and the columns expected."""
    issue = _only_error(read_availability, BROKEN / "availability_empty.csv")
    assert issue.message == "the file is empty"
    assert issue.allowed.startswith("availability file: columns staff_id, name, date")


@pytest.mark.parametrize(
    ("name", "row", "column", "message", "value"),
    [
        ("traffic_negative_count.csv", 3, "count", "count is negative", "-4"),
        (
            "traffic_duplicate_timestamp.csv",
            4,
            "timestamp",
            "duplicate row for the same branch, channel and hour",
            "SH-PD-001/cash 2026-11-23 09:00 (first given in row 2)",
        ),
        (
            "traffic_not_on_the_hour.csv",
            3,
            "timestamp",
            "timestamp is not on the hour",
            "2026-11-23 09:30",
        ),
    ],
)
def test_traffic_planted_problem(name, row, column, message, value):
    """Each planted traffic problem is reported with its row, column and value."""
    issue = _only_error(read_traffic, BROKEN / name, branch="SH-PD-001")
    assert (issue.file, issue.location, issue.column) == (str(BROKEN / name), row, column)
    assert (issue.message, issue.value) == (message, value)
