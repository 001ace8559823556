"""Floor rules, each on the smallest instance where it decides the roster."""

from __future__ import annotations

from scheduler.domain import (
    Authoriser,
    Availability,
    AvailabilityEntry,
    AvailabilityKind,
    DualControl,
    DualControlMoment,
    DutyCover,
    LeaveRequest,
)

from ..instances import MON, config, costs, held, person, post, request, run, shift


def _available(staff_id: str, start: str, end: str) -> AvailabilityEntry:
    return AvailabilityEntry(
        staff_id=staff_id, date=MON, kind=AvailabilityKind.AVAILABLE, start=start, end=end
    )  # type: ignore[arg-type]


def test_manager_on_duty_calls_in_the_manager() -> None:
    """A manager must be on duty every open hour, even with no post to hold."""
    cfg = config(
        [post("cash"), post("head")],
        [person("A", "head"), person("B", "cash")],
        duty_cover=[DutyCover(name="manager on duty", qualified_posts=["head"])],
        rules={"manager_on_duty": "hard", "coverage_under": "soft"},
    )
    result = run(request(cfg, need={"cash": 1}))
    assert set(result.shifts["staff_id"]) == {"A", "B"}


def test_manager_on_duty_soft_charges_the_hours_without_a_manager() -> None:
    """A manager available only 09:00-11:00 leaves 2 hours uncovered: 2 h x 2000."""
    cfg = config(
        [post("head")],
        [person("A", "head")],
        shifts=[shift("am", "09:00", "13:00"), shift("early", "09:00", "11:00")],
        duty_cover=[DutyCover(name="manager on duty", qualified_posts=["head"])],
        rules={"manager_on_duty": ("soft", 2000)},
    )
    result = run(
        request(cfg, availability=Availability(entries=[_available("A", "09:00", "11:00")]))
    )
    assert costs(result) == {"manager_on_duty": 4000.0}
    assert [p.message for p in result.penalties] == [
        "Mon 30 Nov 11:00 manager on duty: 0 of 1 qualified people on duty",
        "Mon 30 Nov 12:00 manager on duty: 0 of 1 qualified people on duty",
    ]


def test_authoriser_present_puts_the_supervisor_on_post_while_tellers_work() -> None:
    """While a teller works, someone holds the authoriser post."""
    cfg = config(
        [post("teller"), post("auth")],
        [person("A", "teller"), person("B", "auth")],
        authorisers=[Authoriser(post="auth", supervises=["teller"])],
        rules={"authoriser_present": "hard", "coverage_under": "hard"},
    )
    result = run(request(cfg, need={"teller": 1}))
    assert held(result, "A") == [("09:00", "13:00", "teller")]
    assert held(result, "B") == [("09:00", "13:00", "auth")]


def test_authoriser_present_soft_charges_each_unauthorised_teller_hour() -> None:
    """With the only authoriser on leave, each teller hour is unauthorised: 4 h x 50."""
    leave = Availability(leave=[LeaveRequest(staff_id="B", start_date=MON, end_date=MON)])
    cfg = config(
        [post("teller"), post("auth")],
        [person("A", "teller"), person("B", "auth")],
        authorisers=[Authoriser(post="auth", supervises=["teller"])],
        rules={"authoriser_present": ("soft", 50), "coverage_under": "hard"},
    )
    result = run(request(cfg, need={"teller": 1}, availability=leave))
    assert costs(result) == {"authoriser_present": 200.0}
    assert result.penalties[0].message == (
        "Mon 30 Nov 09:00: tellers work but nobody holds auth to authorise"
    )


def test_dual_control_keeps_two_qualified_people_at_opening_and_closing() -> None:
    """The vault needs two people at opening and closing: both work the full shift."""
    cfg = config(
        [post("cash")],
        [person("A", "cash"), person("B", "cash")],
        shifts=[shift("am", "09:00", "13:00"), shift("mid", "10:00", "12:00")],
        dual_control=[DualControl(name="vault", qualified_posts=["cash"], minutes=30)],
        rules={"dual_control": "hard", "coverage_over": ("soft", 5)},
    )
    result = run(request(cfg, need={"cash": 1}))
    assert list(result.shifts["shift"]) == ["am", "am"]
    assert costs(result) == {"coverage_over": 20.0}


def test_dual_control_soft_counts_the_person_missing_at_opening() -> None:
    """Someone available only from 10:00 misses the opening: one person short, weight 90."""
    cfg = config(
        [post("cash")],
        [person("A", "cash"), person("B", "cash")],
        shifts=[shift("am", "09:00", "13:00"), shift("mid", "10:00", "13:00")],
        dual_control=[
            DualControl(
                name="vault",
                qualified_posts=["cash"],
                minutes=30,
                at=[DualControlMoment.OPENING, DualControlMoment.CLOSING],
            )
        ],
        rules={"dual_control": ("soft", 90)},
    )
    result = run(
        request(cfg, availability=Availability(entries=[_available("B", "10:00", "13:00")]))
    )
    assert costs(result) == {"dual_control": 90.0}
    assert result.penalties[0].message == (
        "Mon 30 Nov vault opening (09:00-09:30): 1 of 2 qualified people on duty"
    )
