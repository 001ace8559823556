"""Tests of the seeded instance generator used by tests and benchmarks."""

from __future__ import annotations

import pandas as pd
import pytest

from scheduler.calendar import BranchCalendar
from scheduler.domain import AvailabilityKind, BranchConfig
from scheduler.errors import InputError
from scheduler.frames import REQUIREMENT_COLUMNS
from scheduler.instances import FAMILIES, make_instance
from scheduler.roster.request import RosterRequest

CASES = [("S", 0), ("S", 3), ("M", 1), ("M", 3), ("L", 0), ("XL", 0)]


@pytest.fixture(scope="module", params=CASES, ids=[f"{f}-{s}" for f, s in CASES])
def instance(request: pytest.FixtureRequest) -> RosterRequest:
    """One generated instance per (family, seed) case."""
    family, seed = request.param
    return make_instance(family, seed)


def _absent(req: RosterRequest, staff_id: str, day) -> bool:
    avail = req.availability
    if any(lv.staff_id == staff_id and lv.covers(day) for lv in avail.leave):
        return True
    return any(
        e.staff_id == staff_id and e.date == day and e.kind == AvailabilityKind.UNAVAILABLE
        for e in avail.entries
    )


def test_same_seed_same_instance() -> None:
    """Benchmarks compare runs: a (family, seed) pair always gives the identical instance."""
    a, b = make_instance("M", 4), make_instance("M", 4)
    assert a.config == b.config
    assert a.availability == b.availability
    pd.testing.assert_frame_equal(a.requirements, b.requirements)


def test_other_seed_other_instance() -> None:
    """Different seeds give different branches (staff names and requirements differ)."""
    a, b = make_instance("M", 0), make_instance("M", 1)
    assert [s.name for s in a.config.staff] != [s.name for s in b.config.staff]
    assert a.requirements["required"].tolist() != b.requirements["required"].tolist()


@pytest.mark.parametrize(
    ("family", "staff", "posts", "slot"),
    [("S", 8, 6, 60), ("M", 16, 8, 60), ("L", 30, 10, 60), ("XL", 60, 12, 30)],
)
def test_family_sizes(family: str, staff: int, posts: int, slot: int) -> None:
    """Each family has exactly its number of staff and posts and its slot length."""
    req = make_instance(family, 2)
    assert len(req.config.staff) == staff
    assert len(req.config.posts) == posts
    assert req.config.branch.slot_minutes == slot
    assert FAMILIES[family].staff == staff


def test_config_validates(instance: RosterRequest) -> None:
    """The generated configuration passes every check a branch.yaml file goes through."""
    dumped = instance.config.model_dump(mode="json")
    assert BranchConfig.model_validate(dumped) == instance.config


def test_requirements_only_on_open_slots(instance: RosterRequest) -> None:
    """There is exactly one requirement row per open slot and post, and none when closed."""
    req = instance.requirements
    assert tuple(req.columns) == REQUIREMENT_COLUMNS
    calendar = BranchCalendar(instance.config.branch)
    slots = {pd.Timestamp(s) for d in instance.horizon.dates for s in calendar.slots(d)}
    assert set(req["ds"]) == slots
    assert len(req) == len(slots) * len(instance.config.posts)
    assert not req.duplicated(["ds", "post"]).any()


def test_every_required_post_has_someone_qualified(instance: RosterRequest) -> None:
    """Staff are asked only for posts somebody holds a valid qualification for that day."""
    cfg = instance.config
    needed = instance.requirements[instance.requirements["required"] > 0]
    for (day, post), _ in needed.groupby(["date", "post"]):
        assert any(s.qualified_for(post, day) for s in cfg.staff), (day, post)
    assert not instance.requirements["unmeetable"].any()


def test_requirements_are_tight_but_within_capacity(instance: RosterRequest) -> None:
    """Staff-hours asked for lie between 50% and 100% of the staff's weekly paid capacity."""
    cfg = instance.config
    hours = instance.requirements["required"].sum() * cfg.branch.slot_minutes / 60
    capacity = sum(min(s.contract_hours_per_week, cfg.labour.max_hours_per_week) for s in cfg.staff)
    assert 0.5 * capacity <= hours <= capacity


def test_ab_partners_never_absent_together(instance: RosterRequest) -> None:
    """A/B partners are never both on leave or unavailable (even part of a day) on one day."""
    for pair in instance.config.backup_pairs:
        for day in instance.horizon.dates:
            assert not (_absent(instance, pair.a, day) and _absent(instance, pair.b, day))


def test_rules_of_a_real_branch_are_present(instance: RosterRequest) -> None:
    """Every instance has pairs, duties, dual control, duty cover, authoriser, a mentor, leave."""
    cfg = instance.config
    assert len(cfg.backup_pairs) >= 3
    assert cfg.incompatible_duties and cfg.dual_control and cfg.duty_cover and cfg.authorisers
    assert len(cfg.mentors) == 1
    assert any(s.break_rule is not None for s in cfg.shifts)
    assert instance.availability.leave
    expiring = [q for s in cfg.staff for q in s.qualifications if q.valid_to or q.valid_from]
    assert expiring
    mentor = cfg.mentors[0].mentor
    assert not [lv for lv in instance.availability.leave if lv.staff_id == mentor]


def test_enough_people_can_authorise() -> None:
    """At least four people in every family can hold the authoriser post (two per day)."""
    for family in FAMILIES:
        cfg = make_instance(family, 5).config
        post = cfg.authorisers[0].post
        holders = [s for s in cfg.staff if any(q.post == post for q in s.qualifications)]
        assert len(holders) >= 4, family


def test_bad_arguments_are_named() -> None:
    """An unknown family, a negative seed and a bad week are all reported at once."""
    with pytest.raises(InputError) as err:
        make_instance("XXL", -1, "2026-49")
    issues = {i.column: i for i in err.value.errors}
    assert sorted(issues) == ["family", "seed", "week"]
    assert issues["family"].value == "XXL"
    assert issues["family"].allowed == "S, M, L, XL"
    assert issues["seed"].value == -1


@pytest.mark.parametrize("family", ["S", "M"])
def test_always_held_posts_have_enough_people_for_any_seed(family: str) -> None:
    """Lobby floor and authoriser need two full-time holders a day: at least four in all."""
    for seed in range(10):
        cfg = make_instance(family, seed).config
        for post in ("lobby", "ops_supervisor"):
            holders = [
                s
                for s in cfg.staff
                if not s.part_time
                and any(q.post == post and q.valid_to is None for q in s.qualifications)
            ]
            assert len(holders) >= 4, (family, seed, post)


def test_holiday_week_follows_the_branch_calendar() -> None:
    """In the National Day week requirements use holiday hours (10-15) on every day of the break.

    Family M closes on ordinary Sundays, but Sunday 4 Oct is a day of the 1-7 Oct break, so it
    opens on holiday hours like 1-3 Oct.
    """
    req = make_instance("M", 0, "2026-W40").requirements
    days = sorted({d.isoformat() for d in req["date"]})
    assert days == [
        "2026-09-28",
        "2026-09-29",
        "2026-09-30",
        "2026-10-01",
        "2026-10-02",
        "2026-10-03",
        "2026-10-04",
    ]
    for day in ("2026-10-01", "2026-10-04"):
        hours = req[req["date"].astype(str) == day]["ds"]
        assert sorted({ts.hour for ts in hours}) == [10, 11, 12, 13, 14], day


@pytest.mark.parametrize("family", ["S", "M", "L", "XL"])
def test_availability_passes_the_file_reader(tmp_path, family):
    """Generated declarations are ones a member of staff could submit: the reader accepts them."""
    from scheduler.io.availability_file import read_availability, write_availability

    for seed in range(5):
        request = make_instance(family, seed)
        path = tmp_path / f"{family}-{seed}.csv"
        write_availability(request.availability, path, config=request.config)
        read_availability([path], config=request.config, horizon=request.horizon)
