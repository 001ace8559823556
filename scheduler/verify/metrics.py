"""Soft measures of a roster's quality, computed the same way for every roster compared."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pandas as pd

from scheduler.frames import REQUIREMENT_COLUMNS, check_columns
from scheduler.roster.request import RosterRequest


@dataclass(frozen=True)
class CoverageMetrics:
    """How well the roster meets the staff needed per slot and post.

    Attributes:
        short_staff_hours: Staff-hours below ``required``, summed over slots and posts.
        short_weighted: Short staff-hours, each weighed by the extra wait one person short
            costs in that slot (``wait_one_short_min``; 1 where it is missing).
        over_staff_hours: Staff-hours above ``required``.
        short_slots: Number of (slot, post) cells with a shortfall.
    """

    short_staff_hours: float
    short_weighted: float
    over_staff_hours: float
    short_slots: int


def _minute(value: object) -> int:
    if isinstance(value, dt.time):
        return value.hour * 60 + value.minute
    hours, minutes = str(value).split(":")[:2]
    return int(hours) * 60 + int(minutes)


def coverage(request: RosterRequest, assignments: pd.DataFrame) -> CoverageMetrics:
    """Compare the people on each post in each slot with the requirement frame.

    A person counts for a slot when one of their ``post`` blocks covers the whole slot.

    Args:
        request: Holds the requirement frame and the slot length.
        assignments: The roster (:data:`scheduler.frames.ASSIGNMENT_COLUMNS`).

    Returns:
        Shortfall and over-staffing totals.
    """
    req = request.requirements
    check_columns(req, REQUIREMENT_COLUMNS, "requirement")
    slot = request.config.branch.slot_minutes
    on_post = assignments[assignments["activity"] == "post"]
    blocks: dict[tuple[dt.date, str], list[tuple[int, int]]] = {}
    for r in on_post.itertuples():
        key = (pd.Timestamp(r.date).date(), str(r.post))  # type: ignore[arg-type]
        blocks.setdefault(key, []).append((_minute(r.start), _minute(r.end)))
    short = weighted = over = 0.0
    short_slots = 0
    for r in req.itertuples():
        ds = pd.Timestamp(r.ds)  # type: ignore[arg-type]
        m0 = ds.hour * 60 + ds.minute
        here = blocks.get((ds.date(), str(r.post)), [])
        assigned = sum(1 for lo, hi in here if lo <= m0 and m0 + slot <= hi)
        need = int(r.required)  # type: ignore[arg-type]
        hours = slot / 60
        if assigned < need:
            wait = r.wait_one_short_min
            factor = float(wait) if pd.notna(wait) and float(wait) > 0 else 1.0  # type: ignore[arg-type]
            short += (need - assigned) * hours
            weighted += (need - assigned) * hours * factor
            short_slots += 1
        elif assigned > need:
            over += (assigned - need) * hours
    return CoverageMetrics(short, weighted, over, short_slots)
