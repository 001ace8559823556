"""Staff needed per post and slot from forecast traffic (Erlang C/A), and predicted waits.

* :mod:`scheduler.staffing.erlang`: exact Erlang B/C/A formulas and the staffing search.
* :mod:`scheduler.staffing.requirements`: the requirement frame, per-slot rule checks and
  trough hours.
* :mod:`scheduler.staffing.simulation`: a day simulation of a roster against the forecast.
"""

from scheduler.staffing.erlang import (
    QueueStats,
    StaffingAnswer,
    erlang_a_stats,
    erlang_b,
    erlang_c,
    erlang_c_stats,
    queue_stats,
    servers_needed,
)
from scheduler.staffing.inputs import primary_post, read_rates
from scheduler.staffing.requirements import (
    floor_checks,
    requirements,
    troughs,
    unmeetable_slots,
)
from scheduler.staffing.simulation import simulate

__all__ = [
    "QueueStats",
    "StaffingAnswer",
    "erlang_a_stats",
    "erlang_b",
    "erlang_c",
    "erlang_c_stats",
    "floor_checks",
    "primary_post",
    "queue_stats",
    "read_rates",
    "requirements",
    "servers_needed",
    "simulate",
    "troughs",
    "unmeetable_slots",
]
