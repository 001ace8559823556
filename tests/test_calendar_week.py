"""Weeks typed by people on the command line and in files; statutory holidays (法定节假日)."""

from __future__ import annotations

import datetime as dt
import re

import holidays
import pytest

from scheduler.calendar import BranchCalendar, week_horizon
from scheduler.domain import Branch, DayHours, HolidayCalendar, SpecialDay, Weekday
from scheduler.errors import InputError

STATUTORY_2026 = {
    dt.date(2026, 1, 1),  # New Year's Day
    *(dt.date(2026, 2, d) for d in (16, 17, 18, 19)),  # 除夕 to 初三 (2024 revision)
    dt.date(2026, 4, 5),  # Qingming (a Sunday)
    dt.date(2026, 5, 1),  # Labour Day, two days
    dt.date(2026, 5, 2),
    dt.date(2026, 6, 19),  # Dragon Boat
    dt.date(2026, 9, 25),  # Mid-Autumn
    *(dt.date(2026, 10, d) for d in (1, 2, 3)),  # National Day
}
"""The statutory days of 2026 (State Council notice for 2026)."""


def _calendar(**spec: object) -> BranchCalendar:
    """A CN branch open 09:00-17:00 every day, with the given ``HolidayCalendar`` fields."""
    day = DayHours(start="09:00", end="17:00")  # type: ignore[arg-type]
    return BranchCalendar(
        Branch(
            id="CAL",
            name="calendar",
            opening_hours=dict.fromkeys(Weekday, day),
            calendar=HolidayCalendar(country="CN", **spec),  # type: ignore[arg-type]
        )
    )


def _days(start: dt.date, end: dt.date) -> list[dt.date]:
    return [start + dt.timedelta(days=i) for i in range((end - start).days + 1)]


def test_an_iso_week_is_monday_to_sunday():
    """2026-W49 runs from Monday 30 November to Sunday 6 December."""
    horizon = week_horizon("2026-W49")
    assert (horizon.start, horizon.end) == (dt.date(2026, 11, 30), dt.date(2026, 12, 6))
    assert week_horizon("2026-W49", 2).days == 14


def test_a_bad_week_names_the_option_and_the_form():
    """A typo in --week is an input error saying what is allowed, not a traceback."""
    with pytest.raises(InputError) as caught:
        week_horizon("2026-49", source="--week")
    issue = caught.value.issues[0]
    assert (issue.file, issue.value, issue.allowed) == ("--week", "2026-49", "e.g. 2026-W49")


@pytest.mark.parametrize(
    ("week", "message"),
    [
        ("9999-W52", "the year 9999 is out of range (2000-2100)"),
        ("0001-W01", "the year 1 is out of range (2000-2100)"),
        ("２０２６-W49", "not an ISO week (write e.g. 2026-W49): '２０２６-W49'"),
    ],
)
def test_a_week_out_of_range_or_in_other_digits_is_refused(week: str, message: str) -> None:
    """9999-W52 overflowed the calendar; full-width digits are not read as a week label."""
    with pytest.raises(InputError) as caught:
        week_horizon(week)
    assert caught.value.issues[0].message == message


def test_national_day_2026_is_statutory_on_1_to_3_october_only():
    """Of the 1-7 Oct break, 1-3 Oct are statutory; 5 Oct (observed), 6-7 Oct (调休) are not."""
    calendar = _calendar()
    days = _days(dt.date(2026, 9, 28), dt.date(2026, 10, 11))
    assert {d for d in days if calendar.is_statutory_holiday(d)} == {
        dt.date(2026, 10, 1),
        dt.date(2026, 10, 2),
        dt.date(2026, 10, 3),
    }
    assert {d for d in days if calendar.is_public_holiday(d)} == {
        *(dt.date(2026, 10, d) for d in (1, 2, 3, 5, 6, 7))
    }


def test_spring_festival_2026_is_statutory_from_new_years_eve_to_the_third_day():
    """除夕 16 Feb to 初三 19 Feb are statutory; 20 and 23 Feb (调休) are days off of the break."""
    calendar = _calendar()
    days = _days(dt.date(2026, 2, 14), dt.date(2026, 2, 28))
    statutory = {d for d in days if calendar.is_statutory_holiday(d)}
    assert statutory == {dt.date(2026, 2, d) for d in (16, 17, 18, 19)}
    moved = {d for d in days if calendar.is_public_holiday(d)} - statutory
    assert moved == {dt.date(2026, 2, 20), dt.date(2026, 2, 23)}


def test_observed_days_are_not_statutory():
    """China has no observed holiday: 6 Apr and 4 May 2026 are days off, not statutory."""
    calendar = _calendar()
    for day in (dt.date(2026, 4, 6), dt.date(2026, 5, 4), dt.date(2026, 5, 5)):
        assert calendar.is_public_holiday(day)
        assert not calendar.is_statutory_holiday(day)
    assert calendar.is_statutory_holiday(dt.date(2026, 4, 5))
    assert calendar.is_statutory_holiday(dt.date(2026, 5, 2))


def _label(template: str) -> re.Pattern[str]:
    """A package label template such as ``%s (observed)`` as a pattern on a holiday name."""
    return re.compile(re.escape(template).replace(re.escape("%s"), ".+"))


@pytest.mark.parametrize(
    ("language", "national_day"),
    [("en_US", "National Day"), ("zh_CN", "国庆节"), ("zh_TW", "國慶節"), ("th", "วันชาติจีน")],
)
def test_statutory_days_do_not_depend_on_the_language_of_holiday_names(
    language, national_day, monkeypatch
):
    """Whatever language the package names holidays in, the statutory days of 2026 are the same.

    They also agree with the package's own labels in that language: every other public
    holiday is named by its observed or substituted (调休) template, and no statutory day is.
    """
    monkeypatch.setenv("LANGUAGE", language)
    calendar = _calendar()
    assert calendar.holiday_name(dt.date(2026, 10, 1)) == national_day
    year = _days(dt.date(2026, 1, 1), dt.date(2026, 12, 31))
    assert {d for d in year if calendar.is_statutory_holiday(d)} == STATUTORY_2026

    package = holidays.country_holidays("CN", years=2026)
    labels = [
        _label(package.tr(package.substituted_label)),
        _label(package.tr(package.observed_label)),
        _label(package.tr(package.observed_estimated_label)),
    ]
    for day in (d for d in year if calendar.is_public_holiday(d)):
        name = calendar.holiday_name(day) or ""
        labelled = any(label.fullmatch(n) for label in labels for n in name.split("; "))
        assert labelled != calendar.is_statutory_holiday(day), (day, name)


def test_extra_holidays_are_days_off_of_a_break_unless_the_rules_make_them_statutory():
    """A 2027 break typed into extra_holidays: 1-3 Oct statutory (by rule), 4-7 Oct days off."""
    calendar = _calendar(extra_holidays=_days(dt.date(2027, 10, 1), dt.date(2027, 10, 7)))
    days = _days(dt.date(2027, 10, 1), dt.date(2027, 10, 7))
    assert all(calendar.is_public_holiday(d) for d in days)
    assert [d for d in days if calendar.is_statutory_holiday(d)] == days[:3]


def test_an_extra_working_day_is_never_a_statutory_holiday():
    """A date the configuration makes a working day is no holiday of either kind."""
    calendar = _calendar(extra_workdays=[dt.date(2026, 10, 3)])
    assert not calendar.is_public_holiday(dt.date(2026, 10, 3))
    assert not calendar.is_statutory_holiday(dt.date(2026, 10, 3))


WEEKDAY = DayHours(start="09:00", end="17:00")  # type: ignore[arg-type]
WEEKEND = DayHours(start="09:00", end="16:00")  # type: ignore[arg-type]
HOLIDAY = DayHours(start="10:00", end="15:00")  # type: ignore[arg-type]
NOON = DayHours(start="09:00", end="12:00")  # type: ignore[arg-type]

BREAK_WEEKENDS_2026 = (
    dt.date(2026, 10, 4),  # Sunday inside National Day 1-7 Oct
    dt.date(2026, 6, 20),  # Saturday and Sunday after Dragon Boat, Friday 19 Jun
    dt.date(2026, 6, 21),
)
"""Weekend days of 2026 breaks that the ``holidays`` package does not list."""


def _branch_calendar(
    holiday_hours: DayHours | None = HOLIDAY,
    special: dict[dt.date, DayHours | None] | None = None,
    **spec: object,
) -> BranchCalendar:
    """A CN branch open 09-17 on weekdays, 09-16 at weekends and 10-15 on holidays."""
    hours = {d: WEEKDAY for d in Weekday} | {Weekday.SAT: WEEKEND, Weekday.SUN: WEEKEND}
    return BranchCalendar(
        Branch(
            id="CAL",
            name="calendar",
            opening_hours=hours,
            special_days=[SpecialDay(date=d, hours=h) for d, h in (special or {}).items()],
            calendar=HolidayCalendar(  # type: ignore[arg-type]
                **({"country": "CN"} | spec), holiday_hours=holiday_hours
            ),
        )
    )


def test_weekend_days_of_a_holiday_break_open_on_holiday_hours():
    """Sun 4 Oct and Sat/Sun 20-21 Jun 2026 are days of their breaks: 10-15, not 09-16."""
    calendar = _branch_calendar()
    for day in BREAK_WEEKENDS_2026:
        assert calendar.in_holiday_break(day), day
        assert calendar.hours(day) == HOLIDAY, day
    assert calendar.hours(dt.date(2026, 10, 3)) == HOLIDAY  # a listed holiday, as before
    assert calendar.hours(dt.date(2026, 6, 19)) == HOLIDAY


def test_elsewhere_the_weekend_before_a_monday_holiday_keeps_its_weekend_hours():
    """The weekend rule is the mainland's: Memorial Day (Mon 25 May 2026) in a US calendar."""
    calendar = _branch_calendar(country="US")
    assert calendar.hours(dt.date(2026, 5, 25)) == HOLIDAY
    for day in (dt.date(2026, 5, 23), dt.date(2026, 5, 24)):
        assert not calendar.in_holiday_break(day)
        assert calendar.hours(day) == WEEKEND


def test_weekend_days_of_a_break_stay_rest_days_not_public_holidays():
    """Only the hours change: Sun 4 Oct is neither a public nor a statutory holiday (pay)."""
    calendar = _branch_calendar()
    for day in BREAK_WEEKENDS_2026:
        assert not calendar.is_public_holiday(day), day
        assert not calendar.is_statutory_holiday(day), day
        assert calendar.holiday_name(day) is None, day
        assert not calendar.is_working_day(day), day


def test_eight_hours_on_a_weekend_of_a_break_are_paid_by_the_weekly_rest_day_rule(sample_cfg):
    """Sun 4 Oct alone: 8 plain hours (no premium); 5 Oct, a listed day off, is 200%."""
    from scheduler.roster.rules.cost import PersonCost, person_cost

    calendar = BranchCalendar(sample_cfg.branch)
    person = sample_cfg.staff[0]
    rate = person.hourly_rate
    sunday = person_cost(sample_cfg, calendar, person, {dt.date(2026, 10, 4): 480})
    assert sunday == PersonCost(480, 0, 8 * rate)
    monday = person_cost(sample_cfg, calendar, person, {dt.date(2026, 10, 5): 480})
    assert monday == PersonCost(480, 480, 8 * rate * 2)


def test_an_ordinary_weekend_far_from_holidays_keeps_its_weekly_hours():
    """Sat/Sun 14-15 Nov 2026 belong to no break: 09-16."""
    calendar = _branch_calendar()
    for day in (dt.date(2026, 11, 14), dt.date(2026, 11, 15)):
        assert not calendar.in_holiday_break(day)
        assert calendar.hours(day) == WEEKEND


def test_an_adjusted_working_day_next_to_a_break_keeps_working_day_hours():
    """Sun 20 Sep and Sat 10 Oct 2026 are worked (调休上班): Monday's hours, no break."""
    calendar = _branch_calendar()
    for day in (dt.date(2026, 9, 20), dt.date(2026, 10, 10), dt.date(2026, 1, 4)):
        assert not calendar.in_holiday_break(day), day
        assert calendar.hours(day) == WEEKDAY, day
    assert calendar.in_holiday_break(dt.date(2026, 1, 3))  # Sat before the 调休 Sunday


def test_an_extra_working_day_ends_the_break_there():
    """Sun 4 Oct made a working day is worked; Sun 21 Jun alone after a worked Sat is no break."""
    calendar = _branch_calendar(extra_workdays=[dt.date(2026, 10, 4), dt.date(2026, 6, 20)])
    assert calendar.hours(dt.date(2026, 10, 4)) == WEEKDAY
    assert calendar.hours(dt.date(2026, 6, 20)) == WEEKDAY
    assert not calendar.in_holiday_break(dt.date(2026, 6, 21))
    assert calendar.hours(dt.date(2026, 6, 21)) == WEEKEND


def test_a_weekend_after_an_extra_holiday_joins_its_break():
    """A configured holiday on Friday 13 Nov 2026 brings Sat/Sun 14-15 Nov into its break."""
    calendar = _branch_calendar(extra_holidays=[dt.date(2026, 11, 13)])
    for day in (dt.date(2026, 11, 13), dt.date(2026, 11, 14), dt.date(2026, 11, 15)):
        assert calendar.hours(day) == HOLIDAY, day
    assert calendar.hours(dt.date(2026, 11, 21)) == WEEKEND


def test_a_special_day_wins_over_a_holiday_break():
    """A special day on Sun 4 Oct (09-12, or closed) overrides the break's holiday hours."""
    sunday = dt.date(2026, 10, 4)
    assert _branch_calendar(special={sunday: NOON}).hours(sunday) == NOON
    assert _branch_calendar(special={sunday: None}).hours(sunday) is None


def test_a_branch_closed_on_holidays_is_closed_on_the_weekends_of_a_break():
    """holiday_hours None: closed on 3-4 Oct and 19-21 Jun 2026, open on 14-15 Nov."""
    calendar = _branch_calendar(holiday_hours=None)
    for day in (dt.date(2026, 10, 3), dt.date(2026, 6, 19), *BREAK_WEEKENDS_2026):
        assert not calendar.is_open(day), day
        assert calendar.slots(day) == [], day
    assert calendar.hours(dt.date(2026, 11, 14)) == WEEKEND
