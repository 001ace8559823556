"""Tests of the greedy baseline roster on tiny hand-made branches."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from scheduler.baseline import greedy_roster
from scheduler.calendar import BranchCalendar, Horizon
from scheduler.domain import (
    Authoriser,
    Availability,
    BackupPair,
    Branch,
    BranchConfig,
    BreakRule,
    DayHours,
    DutyCover,
    IncompatibleDuties,
    LabourRules,
    LeaveRequest,
    MentorPairing,
    PersonalLimits,
    Post,
    Qualification,
    ShiftDemand,
    ShiftTemplate,
    Staff,
    Weekday,
)
from scheduler.errors import InputError
from scheduler.frames import REQUIREMENT_COLUMNS
from scheduler.instances import make_instance
from scheduler.roster.request import RosterRequest
from scheduler.verify import verify_roster

WEEK = Horizon.iso_week("2026-W49")
MON, TUE = dt.date(2026, 11, 30), dt.date(2026, 12, 1)


def _config(
    staff: dict[str, list[str]],
    *,
    days: tuple[Weekday, ...] = (Weekday.MON,),
    close: str = "12:00",
    shifts: list[ShiftTemplate] | None = None,
    posts: tuple[str, ...] = ("teller", "lobby"),
    labour: LabourRules | None = None,
    **rules: object,
) -> BranchConfig:
    hours = DayHours(start="09:00", end=close)  # type: ignore[arg-type]
    branch = Branch(
        id="TINY",
        name="tiny",
        opening_hours={d: (hours if d in days else None) for d in Weekday},
    )
    return BranchConfig(
        branch=branch,
        posts=[Post(id=p, name_zh=p, name_en=p) for p in posts],
        staff=[
            Staff(id=sid, name=sid, qualifications=[Qualification(post=q) for q in quals])
            for sid, quals in staff.items()
        ],
        shifts=shifts or [ShiftTemplate(id="morning", name="morning", start="09:00", end=close)],  # type: ignore[arg-type]
        labour=labour or LabourRules(),
        **rules,  # type: ignore[arg-type]
    )


def _request(
    config: BranchConfig,
    needs: dict[tuple[dt.date, str], list[int]],
    availability: Availability | None = None,
) -> RosterRequest:
    """A request asking ``needs[(day, post)][i]`` people in the i-th open hour of the day."""
    calendar = BranchCalendar(config.branch)
    rows = []
    for day in calendar.open_days(WEEK):
        for i, ds in enumerate(calendar.slots(day)):
            for post in config.posts:
                n = needs.get((day, post.id), [0] * 24)[i]
                rows.append(
                    {
                        "branch": "TINY",
                        "date": day,
                        "ds": pd.Timestamp(ds),
                        "post": post.id,
                        "required": n,
                        "traffic_required": n,
                        "floor_required": 0,
                        "arrivals": 0.0,
                        "workload_erlangs": 0.0,
                        "expected_wait_min": 0.0,
                        "wait_one_short_min": 0.0,
                        "service_level": 1.0,
                        "unmeetable": False,
                        "reason": "traffic",
                    }
                )
    return RosterRequest(
        config=config,
        horizon=WEEK,
        requirements=pd.DataFrame(rows, columns=list(REQUIREMENT_COLUMNS)),
        availability=availability or Availability(),
    )


def _rows(frame: pd.DataFrame) -> list[tuple]:
    out = []
    for r in frame.itertuples():
        post = r.post if isinstance(r.post, str) else None
        out.append((r.staff_id, r.date, r.start, r.end, r.activity, post))
    return out


def test_each_post_goes_to_the_first_free_qualified_person() -> None:
    """The teller need calls in the first qualified person; the lobby need the next one."""
    config = _config({"A": ["teller"], "B": ["teller", "lobby"], "C": ["lobby"]})
    req = _request(config, {(MON, "teller"): [1, 1, 1], (MON, "lobby"): [1, 1, 1]})
    assert _rows(greedy_roster(req)) == [
        ("A", MON, "09:00", "12:00", "post", "teller"),
        ("B", MON, "09:00", "12:00", "post", "lobby"),
    ]


def test_fewest_paid_hours_is_called_in_first() -> None:
    """Work is spread: on Tuesday the person who did not work Monday is called in."""
    config = _config({"A": ["teller"], "B": ["teller"]}, days=(Weekday.MON, Weekday.TUE))
    req = _request(config, {(MON, "teller"): [1, 1, 1], (TUE, "teller"): [1, 1, 1]})
    assert _rows(greedy_roster(req)) == [
        ("A", MON, "09:00", "12:00", "post", "teller"),
        ("B", TUE, "09:00", "12:00", "post", "teller"),
    ]


def test_approved_leave_is_respected() -> None:
    """Someone on approved leave is never called in; the next qualified person is."""
    config = _config({"A": ["teller"], "B": ["teller"]})
    leave = Availability(leave=[LeaveRequest(staff_id="A", start_date=MON, end_date=MON)])
    req = _request(config, {(MON, "teller"): [1, 1, 1]}, leave)
    assert _rows(greedy_roster(req)) == [("B", MON, "09:00", "12:00", "post", "teller")]


def test_lunch_breaks_are_staggered_and_nobody_looks_ahead() -> None:
    """Breaks are staggered; the teller called in for A's 11:00 break idles from 09:00."""
    lunch = BreakRule(minutes=60, earliest="11:00", latest_end="14:00")  # type: ignore[arg-type]
    day = ShiftTemplate(id="day", name="day", start="09:00", end="14:00", break_rule=lunch)  # type: ignore[arg-type]
    config = _config(
        {"A": ["teller"], "B": ["teller"], "C": ["teller"]}, close="14:00", shifts=[day]
    )
    req = _request(config, {(MON, "teller"): [2, 2, 2, 2, 2]})
    assert _rows(greedy_roster(req)) == [
        ("A", MON, "09:00", "11:00", "post", "teller"),
        ("A", MON, "11:00", "12:00", "break", None),
        ("A", MON, "12:00", "14:00", "post", "teller"),
        ("B", MON, "09:00", "12:00", "post", "teller"),
        ("B", MON, "12:00", "13:00", "break", None),
        ("B", MON, "13:00", "14:00", "post", "teller"),
        ("C", MON, "09:00", "11:00", "free", None),
        ("C", MON, "11:00", "13:00", "post", "teller"),
        ("C", MON, "13:00", "14:00", "break", None),
    ]


def test_days_off_per_week_are_kept() -> None:
    """With two days off a week, the only teller works Monday to Friday and not the weekend."""
    config = _config(
        {"A": ["teller"]},
        days=tuple(Weekday),
        labour=LabourRules(min_days_off_per_week=2, max_hours_per_week=40),
    )
    req = _request(config, {(d, "teller"): [1, 1, 1] for d in WEEK.dates})
    roster = greedy_roster(req)
    assert sorted(set(roster["date"])) == WEEK.dates[:5]


def test_personal_limits_replace_the_branch_limits() -> None:
    """A's own limits (2 days in a row, 6 hours in all) stop A after Tuesday's shift."""
    config = _config({"A": ["teller"]}, days=tuple(Weekday))
    own = PersonalLimits(max_consecutive_days=2, max_total_hours=6)
    config = config.model_copy(
        update={"staff": [config.staff[0].model_copy(update={"limits": own})]}
    )
    req = _request(config, {(d, "teller"): [1, 1, 1] for d in WEEK.dates})
    roster = greedy_roster(req)
    assert sorted(set(roster["date"])) == WEEK.dates[:2]


def test_shift_demands_are_filled_before_the_hourly_posts() -> None:
    """Two wanted on the early shift, no hourly need: the two with fewest hours are called in."""
    early = ShiftTemplate(id="early", name="early", start="09:00", end="11:00")  # type: ignore[arg-type]
    late = ShiftTemplate(id="late", name="late", start="10:00", end="12:00")  # type: ignore[arg-type]
    config = _config(
        {"A": ["teller"], "B": ["teller"], "C": ["lobby"]},
        shifts=[early, late],
        shift_demands=[ShiftDemand(shift="early", min_staff=2, post="teller")],
    )
    roster = greedy_roster(_request(config, {}))
    assert sorted(set(roster["staff_id"])) == ["A", "B"]
    assert set(roster["start"]) == {"09:00"} and set(roster["end"]) == {"11:00"}


def test_incompatible_duties_send_for_someone_else() -> None:
    """A holds ops in the first hour, so the cash need of the second hour goes to B."""
    config = _config(
        {"A": ["ops", "cash"], "B": ["cash"]},
        posts=("ops", "cash"),
        incompatible_duties=[IncompatibleDuties(posts=("ops", "cash"))],
    )
    req = _request(config, {(MON, "ops"): [1, 0, 0], (MON, "cash"): [0, 1, 0]})
    assert _rows(greedy_roster(req)) == [
        ("A", MON, "09:00", "10:00", "post", "ops"),
        ("A", MON, "10:00", "12:00", "free", None),
        ("B", MON, "09:00", "10:00", "free", None),
        ("B", MON, "10:00", "11:00", "post", "cash"),
        ("B", MON, "11:00", "12:00", "free", None),
    ]


def test_trainee_works_only_the_mentors_shift() -> None:
    """Without the mentor on duty the trainee is not called; once the mentor is, they are."""
    config = _config(
        {"M": ["teller"], "T": ["lobby"]},
        mentors=[MentorPairing(trainee="T", mentor="M")],
    )
    req = _request(config, {(MON, "lobby"): [1, 1, 1], (MON, "teller"): [0, 1, 0]})
    assert _rows(greedy_roster(req)) == [
        ("M", MON, "09:00", "10:00", "free", None),
        ("M", MON, "10:00", "11:00", "post", "teller"),
        ("M", MON, "11:00", "12:00", "free", None),
        ("T", MON, "09:00", "10:00", "free", None),
        ("T", MON, "10:00", "12:00", "post", "lobby"),
    ]


def test_tellers_work_only_with_an_authoriser() -> None:
    """The authoriser is called in before the teller; without one, no teller is staffed."""
    config = _config(
        {"A": ["teller"], "B": ["ops"]},
        posts=("teller", "ops"),
        authorisers=[Authoriser(post="ops", supervises=["teller"])],
    )
    req = _request(config, {(MON, "teller"): [1, 1, 1]})
    assert _rows(greedy_roster(req)) == [
        ("A", MON, "09:00", "12:00", "post", "teller"),
        ("B", MON, "09:00", "12:00", "post", "ops"),
    ]
    leave = Availability(leave=[LeaveRequest(staff_id="B", start_date=MON, end_date=MON)])
    assert greedy_roster(_request(config, {(MON, "teller"): [1, 1, 1]}, leave)).empty


def test_manager_on_duty_is_called_in() -> None:
    """Someone qualified for the manager post is on duty in every open slot, even unposted."""
    config = _config(
        {"A": ["teller"], "H": ["head"]},
        posts=("teller", "head"),
        duty_cover=[DutyCover(name="manager on duty", qualified_posts=["head"])],
    )
    req = _request(config, {(MON, "teller"): [1, 1, 1]})
    assert _rows(greedy_roster(req)) == [
        ("A", MON, "09:00", "12:00", "post", "teller"),
        ("H", MON, "09:00", "12:00", "free", None),
    ]


def test_one_of_an_ab_pair_works_every_open_day() -> None:
    """On a day nobody is needed, the A/B partner with fewer hours still comes in."""
    config = _config(
        {"A": ["teller"], "B": ["teller"]},
        days=(Weekday.MON, Weekday.TUE),
        backup_pairs=[BackupPair(post="teller", a="A", b="B")],
    )
    req = _request(config, {(MON, "teller"): [1, 1, 1]})
    assert _rows(greedy_roster(req)) == [
        ("A", MON, "09:00", "12:00", "post", "teller"),
        ("B", TUE, "09:00", "12:00", "free", None),
    ]


def test_manager_days_are_kept_for_the_weekend() -> None:
    """Managers who also count cash keep enough days to have one on duty at the weekend."""
    config = _config(
        {"H1": ["head", "cash"], "H2": ["head", "cash"]},
        days=tuple(Weekday),
        posts=("cash", "head"),
        labour=LabourRules(min_days_off_per_week=2, max_hours_per_week=40),
        duty_cover=[DutyCover(name="manager on duty", qualified_posts=["head"])],
    )
    req = _request(config, {(d, "cash"): [2, 2, 2] for d in WEEK.dates[:5]})
    roster = greedy_roster(req)
    assert verify_roster(req, roster).by_rule("duty_cover") == []
    days = roster.groupby("staff_id")["date"].agg(lambda d: sorted({x.weekday() for x in d}))
    assert days.to_dict() == {"H1": [0, 1, 2, 3, 5], "H2": [0, 1, 2, 4, 6]}


def test_unknown_post_in_requirements_is_named() -> None:
    """A requirement row for a post the branch lacks is reported with its row and value."""
    config = _config({"A": ["teller"]})
    req = _request(config, {(MON, "teller"): [1, 1, 1]})
    bad = req.requirements.copy()
    bad.loc[0, "post"] = "vault"
    with pytest.raises(InputError) as err:
        greedy_roster(RosterRequest(config=config, horizon=WEEK, requirements=bad))
    (issue,) = err.value.errors
    assert (issue.location, issue.column, issue.value) == (2, "post", "vault")
    assert issue.allowed == "lobby, teller"


def test_missing_requirement_column_is_named() -> None:
    """A requirement frame without ``required`` is rejected naming the column."""
    config = _config({"A": ["teller"]})
    req = _request(config, {(MON, "teller"): [1, 1, 1]})
    bad = req.requirements.drop(columns=["required"])
    with pytest.raises(InputError) as err:
        greedy_roster(RosterRequest(config=config, horizon=WEEK, requirements=bad))
    assert [i.column for i in err.value.errors] == ["required"]


@pytest.mark.parametrize(
    ("family", "seed"), [("S", 0), ("S", 1), ("M", 0), ("M", 2), ("L", 1), ("XL", 0)]
)
def test_greedy_breaks_only_the_rules_it_ignores(family: str, seed: int) -> None:
    """On generated branches the greedy breaks only the rules it cannot always keep."""
    req = make_instance(family, seed)
    report = verify_roster(req, greedy_roster(req))
    ignored = {"duty_cover", "ab_pair"}
    assert [v.message for v in report.violations if v.rule not in ignored] == []
