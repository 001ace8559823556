"""Pairing rules: trainees with their mentor, and people never alone together on a post."""

from __future__ import annotations

from scheduler.domain import (
    Availability,
    AvailabilityEntry,
    AvailabilityKind,
    BranchConfig,
    LeaveRequest,
    MentorPairing,
    NotAloneTogether,
    Qualification,
    Staff,
)

from .instances import MON, costs, person, post, request, run, shift
from .instances_extra import branch, shifts_of

SHIFTS = [shift("am", "09:00", "13:00"), shift("early", "09:00", "11:00")]


def _mentor_available_early() -> Availability:
    entry = AvailabilityEntry(
        staff_id="M", date=MON, kind=AvailabilityKind.AVAILABLE, start="09:00", end="11:00"
    )  # type: ignore[arg-type]
    return Availability(entries=[entry])


def _trainee_branch(mode: str | tuple[str, int], *, by_config: bool) -> BranchConfig:
    trainee = Staff(
        id="T",
        name="T",
        qualifications=[Qualification(post="cash")],
        trainee_of=None if by_config else "M",
    )
    return branch(
        [post("cash")],
        [person("M", "cash"), trainee],
        shifts=SHIFTS,
        rules={"coverage_under": "soft", "mentor_present": mode},
        mentors=[MentorPairing(trainee="T", mentor="M")] if by_config else [],
    )


def test_mentor_present_keeps_the_trainee_inside_the_mentor_hours() -> None:
    """The mentor works only 09:00-11:00, so the trainee gets the 2-hour shift, not the 4-hour."""
    cfg = _trainee_branch("hard", by_config=True)
    result = run(request(cfg, need={"cash": 2}, availability=_mentor_available_early()))
    assert shifts_of(result) == [("M", MON, "early"), ("T", MON, "early")]
    assert costs(result) == {"coverage_under": 400.0}


def test_mentor_present_reads_trainee_of_on_the_staff_record() -> None:
    """``Staff.trainee_of`` pairs a trainee with a mentor just as ``config.mentors`` does."""
    cfg = _trainee_branch("hard", by_config=False)
    result = run(request(cfg, need={"cash": 2}, availability=_mentor_available_early()))
    assert shifts_of(result) == [("M", MON, "early"), ("T", MON, "early")]


def test_mentor_present_soft_charges_the_hours_without_the_mentor() -> None:
    """Soft at 30, the trainee works on alone 11:00-13:00: 2 h x 30 beats 2 staff-hours short."""
    cfg = _trainee_branch(("soft", 30), by_config=True)
    result = run(request(cfg, need={"cash": 2}, availability=_mentor_available_early()))
    assert shifts_of(result) == [("M", MON, "early"), ("T", MON, "am")]
    assert costs(result) == {"coverage_under": 200.0, "mentor_present": 60.0}
    mentor = [p.message for p in result.penalties if p.rule == "mentor_present"]
    assert mentor == ["Mon 30 Nov 11:00-13:00: T (trainee) works without M (mentor) on duty"]


def test_mentor_present_keeps_the_trainee_home_when_the_mentor_is_away() -> None:
    """With the mentor on leave the trainee does not work at all."""
    leave = Availability(leave=[LeaveRequest(staff_id="M", start_date=MON, end_date=MON)])
    cfg = _trainee_branch("hard", by_config=True)
    result = run(request(cfg, need={"cash": 1}, availability=leave))
    assert shifts_of(result) == []


def _relatives(mode: str | tuple[str, int]) -> BranchConfig:
    return branch(
        [post("cash")],
        [person("A", "cash"), person("B", "cash"), person("C", "cash")],
        rules={"coverage_under": "soft", "coverage_over": "soft", "not_alone_together": mode},
        not_alone_together=[NotAloneTogether(staff=("A", "B"), post="cash")],
    )


def test_not_alone_together_brings_in_a_third_person() -> None:
    """Two on the counter may not be A and B alone: C is one of the two."""
    result = run(request(_relatives("hard"), need={"cash": 2}))
    people = sorted(s for s, _, _ in shifts_of(result))
    assert "C" in people and len(people) == 2
    assert costs(result) == {}


def test_not_alone_together_soft_charges_each_hour_alone_together() -> None:
    """With C on leave, A and B hold the counter alone together: 4 h x 7 = 28."""
    leave = Availability(leave=[LeaveRequest(staff_id="C", start_date=MON, end_date=MON)])
    result = run(request(_relatives(("soft", 7)), need={"cash": 2}, availability=leave))
    assert costs(result) == {"not_alone_together": 28.0}
