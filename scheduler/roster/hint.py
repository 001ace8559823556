"""Solution hints: start the search from a roster already at hand.

A published roster (when re-solving) or the greedy baseline's roster (otherwise) is read back
into the model's decisions: each person's shift template per day (the template whose hours
match the day's blocks, else the one overlapping them most), the break start and the post held
in each slot. CP-SAT repairs whatever the hint breaks, so an imperfect hint still helps.
"""

from __future__ import annotations

import pandas as pd

from scheduler.errors import InputError
from scheduler.roster.model import RosterModel


def _minute(text: object) -> int:
    hours, minutes = str(text).split(":")[:2]
    return int(hours) * 60 + int(minutes)


def hint_from_assignments(model: RosterModel, frame: pd.DataFrame) -> int:
    """Hint the model's shift, break and post decisions from a roster frame.

    Args:
        model: The model to hint.
        frame: A roster in :data:`scheduler.frames.ASSIGNMENT_COLUMNS`.

    Returns:
        The number of (person, day) shifts hinted.
    """
    if frame is None or frame.empty:
        return 0
    days: dict[tuple[str, object], list[tuple[int, int, str, str | None]]] = {}
    for r in frame.itertuples():
        day = pd.Timestamp(r.date).date()  # type: ignore[arg-type]
        post = None if pd.isna(r.post) else str(r.post)
        days.setdefault((str(r.staff_id), day), []).append(
            (_minute(r.start), _minute(r.end), str(r.activity), post)
        )
    hinted = 0
    for (staff_id, day), options in model.options.items():
        blocks = days.get((staff_id, day), [])
        chosen = None
        if blocks:
            lo, hi = min(b[0] for b in blocks), max(b[1] for b in blocks)
            chosen = max(
                options,
                key=lambda o: (
                    (o.template.start_minute, o.template.end_minute) == (lo, hi),
                    min(hi, o.template.end_minute) - max(lo, o.template.start_minute),
                ),
                default=None,
            )
        for option in options:
            model.cp.add_hint(option.var, option is chosen)
            if len(option.breaks) > 1:
                start = next((b[0] for b in blocks if b[2] == "break"), None)
                first = next((v for s, v in option.breaks if s == start), option.breaks[0][1])
                for _, var in option.breaks:
                    model.cp.add_hint(var, option is chosen and var is first)
        hinted += chosen is not None
        held = {
            (m, post)
            for b0, b1, activity, post in blocks
            if activity == "post"
            for m in model.slots(day)
            if b0 <= m and m + model.step <= b1
        }
        if chosen is None:
            held = set()
        for m in model.slots(day):
            for post in model.posts:
                var = model.assign.get((staff_id, day, m, post))
                if var is not None:
                    model.cp.add_hint(var, (m, post) in held)
    return hinted


def greedy_hint(model: RosterModel) -> int:
    """Hint the model from the greedy baseline roster of its request.

    Returns:
        The number of (person, day) shifts hinted (0 when the baseline cannot read the request).
    """
    from scheduler.baseline import greedy_roster

    try:
        frame = greedy_roster(model.request)
    except InputError:
        return 0
    return hint_from_assignments(model, frame)
