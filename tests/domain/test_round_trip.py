"""Round trips (hypothesis): what is written to a file is exactly what is read back."""

from __future__ import annotations

import datetime as dt
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from scheduler.calendar import Horizon
from scheduler.domain import (
    RULES,
    Availability,
    AvailabilityEntry,
    AvailabilityKind,
    BranchConfig,
    LeaveKind,
    LeaveRequest,
    RuleMode,
    RuleSetting,
)
from scheduler.io.availability_file import read_availability, write_availability
from scheduler.io.config_file import dump_config, load_config
from scheduler.sample.branch import sample_config

WEEK = Horizon.iso_week("2026-W49")
BASE = sample_config(WEEK.start)
STAFF_IDS = [s.id for s in BASE.staff]
FAST = settings(
    max_examples=30,
    deadline=None,
    derandomize=True,  # the same examples on every run: the suite stays deterministic
    database=None,
    suppress_health_check=[HealthCheck.too_slow],
)


def restrict_staff(config: BranchConfig, keep: set[str]) -> BranchConfig:
    """The configuration with only ``keep`` staff and the rules that still make sense."""
    staff = [
        s.model_copy(update={"trainee_of": s.trainee_of if s.trainee_of in keep else None})
        for s in config.staff
        if s.id in keep
    ]
    quotas = [
        q.model_copy(update={"staff": [s for s in q.staff if s in keep]})
        for q in config.rotation_quotas
        if any(s in keep for s in q.staff)
    ]
    return config.model_copy(
        update={
            "staff": staff,
            "backup_pairs": [p for p in config.backup_pairs if {p.a, p.b} <= keep],
            "rotation_quotas": quotas,
            "mentors": [m for m in config.mentors if {m.trainee, m.mentor} <= keep],
            "not_alone_together": [n for n in config.not_alone_together if set(n.staff) <= keep],
        }
    )


dates = st.dates(dt.date(2020, 1, 1), dt.date(2030, 12, 31))


@st.composite
def configs(draw: st.DrawFn) -> BranchConfig:
    """The sample branch with a staff subset, shifted qualification dates and rule settings."""
    keep = set(draw(st.lists(st.sampled_from(STAFF_IDS), min_size=1, unique=True)))
    config = restrict_staff(BASE, keep)
    staff = []
    for person in config.staff:
        quals = []
        for q in person.qualifications:
            start = draw(st.none() | dates)
            end = draw(st.none() | dates)
            if start and end and end < start:
                start, end = end, start
            quals.append(q.model_copy(update={"valid_from": start, "valid_to": end}))
        staff.append(person.model_copy(update={"qualifications": quals}))
    rules = {}
    for info in draw(st.lists(st.sampled_from(RULES), unique_by=lambda r: r.name, max_size=6)):
        modes = list(RuleMode) if info.can_be_soft else [RuleMode.HARD]
        mode = draw(st.sampled_from(modes))
        weight = draw(st.integers(0, 10_000))
        rules[info.name] = RuleSetting(mode=mode, weight=weight)
    labour = config.labour.model_copy(
        update={
            "max_hours_per_day": draw(st.sampled_from([8.0, 9.0, 10.5])),
            "min_rest_hours": draw(st.floats(0, 16, allow_nan=False).map(lambda x: round(x, 2))),
            "max_consecutive_days": draw(st.integers(1, 7)),
        }
    )
    return BranchConfig.model_validate(
        config.model_copy(update={"staff": staff, "rules": rules, "labour": labour}).model_dump()
    )


@FAST
@given(config=configs(), suffix=st.sampled_from([".yaml", ".json"]))
def test_config_file_round_trip_is_lossless(config: BranchConfig, suffix: str):
    """Any valid configuration written as YAML or JSON reads back equal."""
    with tempfile.TemporaryDirectory() as tmp:
        path = dump_config(config, Path(tmp) / f"branch{suffix}")
        assert load_config(path) == config


notes = st.text(
    alphabet=st.characters(
        categories=["L", "N", "Zs", "Po", "Pd"], max_codepoint=0x9FFF, include_characters="=+"
    ),
    max_size=12,
).map(str.strip)
minutes = st.integers(0, 24 * 60 // 5).map(lambda m: m * 5)


def _clock(minute: int) -> dt.time:
    return dt.time.max if minute == 1440 else dt.time(minute // 60, minute % 60)


@st.composite
def entries(draw: st.DrawFn) -> AvailabilityEntry:
    """One declared window or whole day inside the week."""
    kind = draw(st.sampled_from(list(AvailabilityKind)))
    whole_day = kind != AvailabilityKind.AVAILABLE and draw(st.booleans())
    start = end = None
    if not whole_day:
        a, b = sorted(draw(st.lists(minutes, min_size=2, max_size=2, unique=True)))
        start, end = _clock(a), _clock(b)
    return AvailabilityEntry(
        staff_id=draw(st.sampled_from(STAFF_IDS)),
        date=draw(st.sampled_from(WEEK.dates)),
        kind=kind,
        start=start,
        end=end,
        weight=draw(st.integers(1, 10)),
        note=draw(notes),
    )


@st.composite
def leave_requests(draw: st.DrawFn) -> LeaveRequest:
    """Leave starting in the week, up to ten days long."""
    first = draw(st.sampled_from(WEEK.dates))
    return LeaveRequest(
        staff_id=draw(st.sampled_from(STAFF_IDS)),
        start_date=first,
        end_date=first + dt.timedelta(days=draw(st.integers(0, 9))),
        kind=draw(st.sampled_from(list(LeaveKind))),
        approved=draw(st.booleans()),
        note=draw(notes),
    )


def _no_overlaps(items: list[AvailabilityEntry]) -> list[AvailabilityEntry]:
    kept: list[AvailabilityEntry] = []
    for e in items:
        a0, a1 = e.minutes
        clash = any(
            k.staff_id == e.staff_id
            and k.date == e.date
            and a0 < k.minutes[1]
            and k.minutes[0] < a1
            for k in kept
        )
        if not clash:
            kept.append(e)
    return kept


def _no_duplicates(items: list[LeaveRequest]) -> list[LeaveRequest]:
    seen, kept = set(), []
    for lv in items:
        key = (lv.staff_id, lv.start_date, lv.end_date, lv.kind, lv.approved)
        if key not in seen:
            seen.add(key)
            kept.append(lv)
    return kept


def _consistent(entries: list[AvailabilityEntry], leave: list[LeaveRequest]) -> Availability:
    """Drop overlapping windows, repeated leave, and offers to work on approved leave days."""
    leave = _no_duplicates(leave)
    off = {(lv.staff_id, d) for lv in leave if lv.approved for d in lv.dates()}
    work = (AvailabilityKind.AVAILABLE, AvailabilityKind.PREFERRED)
    entries = [e for e in entries if not (e.kind in work and (e.staff_id, e.date) in off)]
    return Availability(entries=_no_overlaps(entries), leave=leave)


availabilities = st.builds(
    _consistent,
    st.lists(entries(), max_size=12),
    st.lists(leave_requests(), max_size=5),
).filter(lambda a: a.entries or a.leave)


@FAST
@given(
    availability=availabilities,
    name=st.sampled_from(["a.csv", "a.xlsx"]),
    lang=st.sampled_from(["zh", "en"]),
)
def test_availability_file_round_trip_is_lossless(availability: Availability, name, lang):
    """Availability written as CSV or XLSX, Chinese or English, reads back equal."""
    with tempfile.TemporaryDirectory() as tmp:
        path = write_availability(availability, Path(tmp) / name, config=BASE, lang=lang)
        assert read_availability(path, BASE, WEEK) == availability
