"""Shortfall of a roster against the staff needed, plain and weighted by customers' wait.

A slot-post is short by ``required - assigned`` people (``assigned`` from the roster's
coverage frame, ``required`` from a requirement frame). Each
missing person-hour is weighted by ``wait_one_short_min`` of the requirement frame: the
expected wait (minutes) customers see with one person fewer on the post, clamped to the
roster's own weighting range, so a shortfall at a peak counts more than in a trough.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Mapping
from dataclasses import dataclass

import pandas as pd

from scheduler.domain import BranchConfig
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


def need_with_room(
    forecast: pd.DataFrame, config: BranchConfig, extra: Mapping[str, int], level: str = "mean"
) -> pd.DataFrame:
    """The requirement frame sized with room for ``extra`` more people per post.

    The staffing stage caps a post's need at the people qualified for it, so a post that
    needs more than the branch has shows no shortfall in the roster's coverage. For the float
    pool, the need is sized with the cap raised by the floaters who could join, so that the
    people a branch lacks count too.

    Args:
        forecast: The forecast frame the roster was sized from.
        config: The branch configuration (without floaters).
        extra: Extra people per post id (posts left out keep the branch's own cap).
        level: Forecast column to staff for.
    """
    from scheduler.staffing import requirements

    if not any(extra.values()):
        return requirements(forecast, config, level=level)
    caps = {}
    for post in config.posts:
        qualified = sum(1 for s in config.staff if any(q.post == post.id for q in s.qualifications))
        caps[post.id] = max(1, qualified) + int(extra.get(post.id, 0))
    return requirements(forecast, config, level=level, max_staff=caps)


def short_slots(need: pd.DataFrame, coverage: pd.DataFrame, slot_minutes: int) -> list[ShortSlot]:
    """Every slot-post where fewer people are assigned than needed, with its wait weight.

    Args:
        need: A requirement frame (``date, ds, post, required, wait_one_short_min``).
        coverage: The roster's coverage frame (``ds, post, assigned``); empty without a
            roster (nothing is then reported short).
        slot_minutes: The branch's planning slot length.

    Returns:
        Short slot-posts in the need frame's order.
    """
    if coverage.empty or need.empty:
        return []
    assigned = {
        (ds, str(post)): int(a)
        for ds, post, a in zip(
            pd.to_datetime(coverage["ds"]), coverage["post"], coverage["assigned"], strict=True
        )
    }
    hours = slot_minutes / 60
    out = []
    for date, ds, post, required, wait in zip(
        need["date"],
        pd.to_datetime(need["ds"]),
        need["post"],
        need["required"],
        need["wait_one_short_min"],
        strict=True,
    ):
        short = int(required) - assigned.get((ds, str(post)), 0)
        if short > 0:
            out.append(
                ShortSlot(
                    date=pd.Timestamp(date).date(),
                    ds=ds.to_pydatetime(),
                    post=str(post),
                    short=short,
                    weight=wait_weight(wait),
                    hours=hours,
                )
            )
    return out


def shortfall(slots: list[ShortSlot]) -> tuple[float, float]:
    """Staff-hours short, and the same weighted by wait (person-hour x minutes)."""
    hours = sum(s.short * s.hours for s in slots)
    weighted = sum(s.short * s.hours * s.weight for s in slots)
    return round(hours, 3), round(weighted, 3)
