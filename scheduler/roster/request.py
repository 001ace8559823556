"""What a roster solve is asked, and how long and how to search.

The request holds the branch, the horizon, the people's declarations, the staff needed and
the manager's pins.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Literal

import pandas as pd
from pydantic import Field, model_validator

from scheduler.calendar import Horizon
from scheduler.domain import Availability, BranchConfig
from scheduler.domain.common import Clock, Frozen, minutes_of


class Pin(Frozen):
    """An assignment the manager fixed by hand.

    Attributes:
        staff_id: The person.
        date: The day.
        off: The person must not work that day.
        shift: The person works this shift template that day.
        post: The person holds this post ...
        start: ... from this time (default: the whole shift)
        end: ... until this time.
    """

    staff_id: str
    date: dt.date
    off: bool = False
    shift: str | None = None
    post: str | None = None
    start: Clock | None = None
    end: Clock | None = None

    @model_validator(mode="after")
    def _consistent(self) -> Pin:
        if self.off and (self.shift or self.post):
            raise ValueError("a pin cannot both give a day off and assign a shift or post")
        if not self.off and not (self.shift or self.post):
            raise ValueError("a pin needs off, a shift or a post")
        if (self.start is None) != (self.end is None):
            raise ValueError("give both start and end, or neither")
        if (
            self.start is not None
            and self.end is not None
            and minutes_of(self.end) <= minutes_of(self.start)
        ):
            raise ValueError("pin end must be after its start")
        return self


class QuotaTarget(Frozen):
    """A pro-rata target for this horizon, derived from a longer-period quota and history.

    Attributes:
        quota: Name of the rotation quota it comes from.
        staff_id: The person.
        posts: Posts that count.
        min_hours: Least hours in the posts within this horizon.
        max_hours: Most hours in the posts within this horizon.
        max_share: Most share of the person's paid hours of this horizon in the posts (a
            streak of weeks mainly in them must end: ``max_consecutive_weeks``).
    """

    quota: str
    staff_id: str
    posts: list[str] = Field(min_length=1)
    min_hours: float | None = Field(None, ge=0)
    max_hours: float | None = Field(None, ge=0)
    max_share: float | None = Field(None, ge=0, le=1)


@dataclass(frozen=True)
class RosterRequest:
    """Everything a solve needs.

    Attributes:
        config: The branch configuration.
        horizon: The days to plan.
        requirements: The requirement frame (:data:`scheduler.frames.REQUIREMENT_COLUMNS`).
        availability: Declared windows, preferences and leave.
        pins: Assignments fixed by the manager.
        published: A published roster (assignments frame) to stay close to when re-solving.
        history_shifts: Shifts worked before the horizon (shifts frame), for rules that count
            consecutive days, rest and weekends across the horizon's edge.
        quota_targets: Pro-rata rotation targets for this horizon (from the history store).
        repair_scope: With ``published``: ``"days"`` (default) keeps every day the change does
            not touch exactly as published, so only the days on which the published roster no
            longer fits (someone now absent, a new pin) are re-planned; ``"week"`` lets any day
            change, each changed hour costing the ``roster_stability`` weight.
    """

    config: BranchConfig
    horizon: Horizon
    requirements: pd.DataFrame
    availability: Availability = field(default_factory=Availability)
    pins: tuple[Pin, ...] = ()
    published: pd.DataFrame | None = None
    history_shifts: pd.DataFrame | None = None
    quota_targets: tuple[QuotaTarget, ...] = ()
    repair_scope: Literal["days", "week"] = "days"


@dataclass(frozen=True)
class SolveOptions:
    """How to search.

    Attributes:
        time_limit_s: Wall-clock limit for the solve.
        workers: CP-SAT search workers.
        seed: Random seed. With the seed and workers fixed, a solve that ends proven optimal
            gives the same cost every time; one stopped by its (wall-clock) time limit may not.
        relative_gap: Stop when the proven gap falls below this.
        progress: Report improving solutions while solving (to the ``on_progress`` callback or
            the terminal).
        log_search: Print CP-SAT's own search log.
        hint: Start the search from the published roster when re-solving, else from the
            greedy baseline roster.
        symmetry: Order interchangeable people by paid minutes (see
            :mod:`scheduler.roster.symmetry`); removes no roster up to renaming.
        mip_bound: Prove a second lower bound with a MIP solver (HiGHS) in a thread of its
            own beside CP-SAT (see :mod:`scheduler.roster.mip_bound`); the stronger of the
            two is reported, and the search stops once the roster is proven good enough.
            HiGHS runs at the lowest CPU priority, so it takes only the CPU time CP-SAT
            leaves: with a core to spare it proves much stronger bounds; on cores CP-SAT
            keeps busy it adds little. Off by default here; the command line turns it on.
        deterministic: Count ``time_limit_s`` in CP-SAT's deterministic time (about a
            second of one core each) instead of wall-clock seconds, and let several workers
            take turns instead of racing (``interleave_search``): with the seed and workers
            fixed, the same request then gives the same roster on any machine and at any
            load, at some cost in quality per wall-clock second. The MIP bound is not run
            (it races the search).
    """

    time_limit_s: float = 30.0
    workers: int = 2
    seed: int = 0
    relative_gap: float = 0.0
    progress: bool = False
    log_search: bool = False
    hint: bool = True
    symmetry: bool = True
    mip_bound: bool = False
    deterministic: bool = False
