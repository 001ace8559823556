"""Column contracts of the long-format frames that flow between the pipeline's stages.

traffic history -> forecast frame -> requirement frame -> roster frames. Each stage takes the
previous stage's frame as it is, so a stage can be run, tested and replaced on its own.
Times are naive local wall-clock times of the branch (its ``timezone``); ``ds`` is the start
of an hour or slot.
"""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd

MAX_REQUIRED = 1000
"""Most staff a requirement row may ask for on one post in one slot (a larger number is a
typing or unit mistake, and numbers beyond the solver's integers would break the model)."""


def branch_time(stamp: pd.Timestamp, timezone: str) -> pd.Timestamp:
    """A time as the branch's naive local wall-clock time.

    A time with a zone or offset (another system's UTC, say) is converted to the branch's
    ``timezone`` first; a naive time is taken as local already.
    """
    if stamp.tzinfo is None:
        return stamp
    return stamp.tz_convert(timezone).tz_localize(None)


TRAFFIC_FILE_COLUMNS = ("timestamp", "branch", "channel", "count")
"""Traffic history file (CSV): one row per branch, channel and hour."""

HISTORY_COLUMNS = ("unique_id", "branch", "channel", "ds", "y")
"""Traffic history in memory. ``unique_id`` is ``"<branch>/<channel>"``; ``y`` is a count."""

FORECAST_COLUMNS = (
    "unique_id",
    "branch",
    "channel",
    "ds",
    "model",
    "mean",
    "lo-80",
    "hi-80",
    "lo-95",
    "hi-95",
)
"""Forecast frame: one row per series and open hour of the horizon. ``model`` names the model
that produced the row; interval columns are ``lo-<level>``/``hi-<level>`` for each level
asked for (80 and 95 by default)."""

SOURCE_ROWS = "source_rows"
"""``frame.attrs`` key of a frame read from a file: the file row each frame row came from (by
index label, so sorting or filtering the frame keeps it), so that a problem found later (in
the roster stage, say) is told at the row the user can see."""

REQUIREMENT_COLUMNS = (
    "branch",
    "date",
    "ds",
    "post",
    "required",
    "traffic_required",
    "floor_required",
    "arrivals",
    "workload_erlangs",
    "expected_wait_min",
    "wait_one_short_min",
    "service_level",
    "unmeetable",
    "reason",
)
"""Requirement frame: one row per open slot and post. ``required`` (int) is what the roster
must cover: the larger of the traffic need (queueing) and the floor (rules such as one lobby
manager). ``expected_wait_min``/``service_level`` are those predicted with ``required`` staff;
``wait_one_short_min`` is the expected wait with one person fewer (what a shortfall costs
customers, used to weigh under-staffing).
``unmeetable`` marks slots where no staff number reaches the target; ``reason`` says why the
number is what it is (e.g. "traffic", "floor: lobby manager", "authoriser for tellers")."""

ASSIGNMENT_COLUMNS = ("staff_id", "name", "date", "start", "end", "activity", "post")
"""Roster in long format: one row per person and contiguous block. ``activity`` is ``post``
(holding ``post``), ``break`` (unpaid break) or ``free`` (on shift without a post: training,
outreach, back office)."""

SHIFT_COLUMNS = ("staff_id", "name", "date", "shift", "start", "end", "paid_minutes")
"""Shifts worked: one row per person and working day."""

COVERAGE_COLUMNS = ("date", "ds", "post", "required", "assigned", "gap")
"""Coverage per slot and post: ``gap`` = assigned - required (negative is short)."""


SIMULATION_COLUMNS = (
    "date",
    "ds",
    "channel",
    "arrivals",
    "served",
    "abandoned",
    "staff_serving",
    "mean_wait_min",
    "served_within_target",
    "abandonment_rate",
)
"""Day simulation per hour and channel: mean over replications of the customers arriving in
the hour, served and abandoned, the staff serving the channel, the mean wait (minutes) of
customers arriving in the hour, the share of them served within the channel's target time and
the share who gave up."""


def check_columns(frame: pd.DataFrame, columns: Iterable[str], what: str) -> None:
    """Raise ``ValueError`` naming the missing columns when ``frame`` lacks any of ``columns``."""
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise ValueError(f"{what} frame lacks column(s) {', '.join(missing)}")
