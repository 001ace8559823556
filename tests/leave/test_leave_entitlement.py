"""Tests of annual-leave entitlements: 5/10/15 days by seniority against working days taken."""

from __future__ import annotations

import datetime as dt

from leave_builders import d, leave_frame, person, tiny_config

from scheduler.leave import entitlements
from scheduler.leave.entitlement import over_entitlement


def _cfg():  # type: ignore[no-untyped-def]
    staff = [
        person("A", "teller", since=dt.date(2026, 1, 1)),  # 1 year on 1 Jan 2027
        person("B", "teller", since=dt.date(2017, 1, 1)),  # 10 years
        person("C", "lobby", "teller", since=dt.date(2007, 1, 2)),  # 19 years: not yet 20
        person("D", "lobby", since=dt.date(2026, 6, 1)),  # under a year
    ]
    return tiny_config(staff=staff, pairs=[])


def test_entitled_days_by_seniority() -> None:
    """Entitlement is 5 days after 1 year, 10 after 10, 15 after 20, none before a year."""
    frame = entitlements(_cfg(), leave_frame(), 2027)
    assert frame[["staff_id", "seniority_years", "entitled_days"]].values.tolist() == [
        ["A", 1, 5],
        ["B", 10, 10],
        ["C", 19, 10],
        ["D", 0, 0],
    ]


def test_taken_counts_working_days_and_mandatory_block() -> None:
    """A Monday-to-Sunday week off counts 5 days; the mandatory block counts toward annual leave."""
    leave = leave_frame(
        ("B", d(3, 1), d(3, 7), "annual"),
        ("B", d(7, 5), d(7, 9), "mandatory"),
        ("B", d(8, 2), d(8, 3), "sick"),
        ("A", dt.date(2026, 12, 28), d(1, 5), "annual"),  # 1 Jan is a holiday: 2 days in 2027
    )
    frame = entitlements(_cfg(), leave, 2027).set_index("staff_id")
    assert frame.loc["B", ["annual_taken", "mandatory_taken", "counted_days"]].tolist() == [
        5,
        5,
        10,
    ]
    assert frame.loc["B", "remaining_days"] == 0
    assert frame.loc["A", ["annual_taken", "remaining_days"]].tolist() == [2, 3]


def test_mandatory_on_top_when_configured() -> None:
    """When mandatory leave does not count as annual leave, the entitlement stays untouched."""
    leave = leave_frame(("B", d(7, 5), d(7, 9), "mandatory"))
    frame = entitlements(_cfg(), leave, 2027, mandatory_counts_as_annual=False)
    row = frame.set_index("staff_id").loc["B"]
    assert (row["mandatory_taken"], row["counted_days"], row["remaining_days"]) == (5, 0, 10)


def test_over_entitlement_warns_with_days_taken_and_entitled() -> None:
    """Two days over the entitlement is one warning naming the days; within it, none."""
    leave = leave_frame(
        ("A", d(3, 1), d(3, 7), "annual"),  # 5 working days: A's whole entitlement
        ("A", d(7, 5), d(7, 6), "mandatory"),  # 2 more, counted as annual
        ("B", d(3, 1), d(3, 7), "annual"),  # 5 of 10
    )
    (issue,) = over_entitlement(_cfg(), leave, [2027])
    assert issue.severity == "warning"
    assert issue.message == (
        "name-A (A) takes 7 working days of annual leave and the mandatory block in 2027, "
        "2 more than entitled"
    )
    assert issue.allowed == "at most 5 days (1 years of service)"
    assert over_entitlement(_cfg(), leave, [2027], staff_ids=["B"]) == []
    assert over_entitlement(_cfg(), leave, [2027], mandatory_counts_as_annual=False) == []
