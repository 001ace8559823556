"""Shortfall of a roster against its requirements, plain and weighted by customers' wait.

A slot-post is short by ``required - assigned`` people (the roster's coverage frame). Each
missing person-hour is weighted by ``wait_one_short_min`` of the requirement frame: the
expected wait (minutes) customers see with one person fewer on the post, clamped to the
roster's own weighting range, so a shortfall at a peak counts more than in a trough.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass

import pandas as pd

from scheduler.roster.prepare import MAX_WAIT_WEIGHT_MIN, MIN_WAIT_WEIGHT_MIN


@dataclass(frozen=True)
class ShortSlot:
    """One slot and post where the roster leaves people missing.

    Attributes:
        date: The day.
        ds: Start of the slot.
        post: The post.
        short: People missing.
        weight: Minutes of wait one missing person costs per hour (clamped).
        hours: Length of the slot in hours.
    """

    date: dt.date
    ds: dt.datetime
    post: str
    short: int
    weight: float
    hours: float


def wait_weight(value: object) -> float:
    """``wait_one_short_min`` clamped to the range the roster objective uses."""
    try:
        wait = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return MIN_WAIT_WEIGHT_MIN
    if math.isnan(wait):
        return MIN_WAIT_WEIGHT_MIN
    return min(MAX_WAIT_WEIGHT_MIN, max(MIN_WAIT_WEIGHT_MIN, wait))


def short_slots(
    coverage: pd.DataFrame, requirements: pd.DataFrame, slot_minutes: int
) -> list[ShortSlot]:
    """Every slot-post the roster leaves short, with its wait weight.

    Args:
        coverage: The roster's coverage frame (``date, ds, post, required, assigned, gap``).
        requirements: The requirement frame the roster was built for.
        slot_minutes: The branch's planning slot length.

    Returns:
        Short slots in coverage order (empty when nothing is short or there is no roster).
    """
    if coverage.empty:
        return []
    weights: dict[tuple[pd.Timestamp, str], float] = {}
    if not requirements.empty:
        for ds, post, wait in zip(
            pd.to_datetime(requirements["ds"]),
            requirements["post"],
            requirements["wait_one_short_min"],
            strict=True,
        ):
            weights[(ds, str(post))] = wait_weight(wait)
    short = coverage[coverage["gap"] < 0]
    out = []
    hours = slot_minutes / 60
    for date, ds, post, gap in zip(
        short["date"], pd.to_datetime(short["ds"]), short["post"], short["gap"], strict=True
    ):
        weight = weights.get((ds, str(post)))
        if weight is None:  # a half-hour slot under an hourly requirement row
            weight = weights.get((ds.floor("h"), str(post)), MIN_WAIT_WEIGHT_MIN)
        out.append(
            ShortSlot(
                date=pd.Timestamp(date).date(),
                ds=ds.to_pydatetime(),
                post=str(post),
                short=int(-gap),
                weight=weight,
                hours=hours,
            )
        )
    return out


def shortfall(slots: list[ShortSlot]) -> tuple[float, float]:
    """Staff-hours short, and the same weighted by wait (person-hour x minutes)."""
    hours = sum(s.short * s.hours for s in slots)
    weighted = sum(s.short * s.hours * s.weight for s in slots)
    return round(hours, 3), round(weighted, 3)
