"""Per-person iCalendar files parse back (RFC 5545) and hold exactly the roster's shifts."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from icalendar import Calendar

from scheduler.reports.ics import leave_uid, shift_uid, write_calendars

from . import fixtures as fx

STAMP = dt.datetime(2026, 11, 24, 8, 0, tzinfo=dt.UTC)
SHANGHAI = ZoneInfo("Asia/Shanghai")


@pytest.fixture(scope="module")
def files(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("ics")
    return write_calendars(
        fx.result(), fx.config(), folder, availability=fx.availability(), stamp=STAMP
    )


def _events(path: Path) -> list:
    cal = Calendar.from_ical(path.read_bytes())
    return [c for c in cal.walk("VEVENT")]


def test_one_file_per_person(files: dict[str, Path]) -> None:
    """Every member of staff gets a calendar file named after their staff number."""
    assert sorted(files) == [s.id for s in fx.config().staff]
    assert all(p.name == f"{sid}.ics" for sid, p in files.items())


def test_calendar_has_required_properties_and_time_zone(files: dict[str, Path]) -> None:
    """Each file is a valid VCALENDAR with PRODID, VERSION 2.0 and the branch's VTIMEZONE."""
    for path in files.values():
        raw = path.read_bytes()
        assert raw.startswith(b"BEGIN:VCALENDAR\r\n")
        assert raw.endswith(b"END:VCALENDAR\r\n")
        assert all(len(line) <= 75 for line in raw.split(b"\r\n"))  # folded lines
        cal = Calendar.from_ical(raw)
        assert str(cal["VERSION"]) == "2.0"
        assert str(cal["PRODID"]).startswith("-//branch-roster//")
        zones = [str(tz["TZID"]) for tz in cal.walk("VTIMEZONE")]
        assert zones == ["Asia/Shanghai"]


def test_events_match_the_roster_exactly(files: dict[str, Path]) -> None:
    """Every shift is one event with its start and end in branch time, and nothing else."""
    expected = {
        (sid, day, fx.SHIFT_TIMES[shift][0], fx.SHIFT_TIMES[shift][1])
        for sid, day, shift, _ in fx.PLAN
    }
    found = set()
    for sid, path in files.items():
        for event in _events(path):
            start = event.decoded("DTSTART")
            if not isinstance(start, dt.datetime):
                continue  # all-day leave
            end = event.decoded("DTEND")
            assert start.tzinfo is not None and start.utcoffset() == dt.timedelta(hours=8)
            assert event["DTSTART"].params["TZID"] == "Asia/Shanghai"
            found.add((sid, start.date(), f"{start:%H:%M}", f"{end:%H:%M}"))
    assert found == expected


def test_every_event_has_uid_and_dtstamp(files: dict[str, Path]) -> None:
    """UID and DTSTAMP (UTC) are on every event, as RFC 5545 requires."""
    uids = []
    for path in files.values():
        for event in _events(path):
            uids.append(str(event["UID"]))
            assert event.decoded("DTSTAMP") == STAMP
    assert len(uids) == len(set(uids)) == len(fx.PLAN) + 1  # eight shifts and one leave


def test_description_lists_posts_hour_by_hour(files: dict[str, Path]) -> None:
    """The event text gives each block of the day with its post, so staff know where to be."""
    events = {e.decoded("DTSTART"): e for e in _events(files["S04"])}
    monday = events[dt.datetime(2026, 11, 30, 8, 30, tzinfo=SHANGHAI)]
    assert str(monday["SUMMARY"]) == "全天班: 高柜柜员 / 低柜柜员"
    assert str(monday["DESCRIPTION"]) == (
        "08:30-17:30\n08:30-12:00 高柜柜员\n12-13 休息(不计工时)\n13:00-17:30 低柜柜员"
    )


def test_leave_is_an_all_day_event(files: dict[str, Path]) -> None:
    """Approved annual leave appears as an all-day block ending the next day (exclusive)."""
    leave = [e for e in _events(files["S08"]) if not isinstance(e.decoded("DTSTART"), dt.datetime)]
    assert len(leave) == 1
    assert leave[0].decoded("DTSTART") == fx.TUE
    assert leave[0].decoded("DTEND") == fx.TUE + dt.timedelta(days=1)
    assert str(leave[0]["SUMMARY"]) == "年假"
    assert str(leave[0]["UID"]) == leave_uid("SH-PD-001", fx.LEAVE)


def test_uids_are_stable_and_sequence_grows(tmp_path: Path) -> None:
    """A later export of the same week keeps the UIDs (re-import updates) with a higher SEQUENCE."""
    later = STAMP + dt.timedelta(hours=2)
    a = write_calendars(fx.result(), fx.config(), tmp_path / "a", stamp=STAMP)
    b = write_calendars(fx.result(), fx.config(), tmp_path / "b", stamp=later)
    ea, eb = _events(a["S01"]), _events(b["S01"])
    assert [str(e["UID"]) for e in ea] == [str(e["UID"]) for e in eb]
    assert [str(e["UID"]) for e in ea] == [
        shift_uid("SH-PD-001", "S01", fx.MON),
        shift_uid("SH-PD-001", "S01", fx.TUE),
    ]
    assert int(eb[0]["SEQUENCE"]) - int(ea[0]["SEQUENCE"]) == 120


def test_person_without_shifts_gets_a_valid_empty_week(files: dict[str, Path]) -> None:
    """Someone off all week still gets a parseable calendar (with its time zone, no events)."""
    assert _events(files["S03"]) == []
    assert len(Calendar.from_ical(files["S03"].read_bytes()).walk("VTIMEZONE")) == 1


def test_english_summary(tmp_path: Path) -> None:
    """With lang="en" event titles use the English post names."""
    out = write_calendars(fx.result(), fx.config(), tmp_path, lang="en", stamp=STAMP)
    summaries = sorted(str(e["SUMMARY"]) for e in _events(out["S08"]))
    assert summaries == ["early: Lobby manager", "late: Lobby manager"]
