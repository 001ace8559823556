"""Symmetry breaking between interchangeable people.

Two people are interchangeable when swapping them maps every constraint and every cost of the
model onto itself: the same qualifications, contract, rate and every other attribute of the
staff record but their id, name and employment start (which no roster rule reads), the same
declarations, leave, earlier shifts and quota targets, and no rule, pin or published roster
that names either of them. A branch with five tellers of the same grade has 120 rosters that
differ only in who is called what; the solver's search and its bound both suffer from
exploring them all.

For each class of interchangeable people (in staff-list order) the model gets the redundant
constraint that a person works at least as many paid minutes over the horizon as the next
one. It removes no roster up to renaming: any roster can be relabelled within a class so that
it holds, and the relabelled roster has the same cost. The starting roster (hint) is relabelled
the same way (:func:`relabel_roster`) so the search still starts from it.
"""

from __future__ import annotations

import itertools
import json
from collections.abc import Iterable

import pandas as pd

from scheduler.roster.model import RosterModel

STAFF_FIELDS_IGNORED = frozenset({"id", "name", "employment_start"})
"""Staff attributes no roster rule reads; people may differ in them and stay interchangeable."""


def _mentions(value: object, out: dict[str, int]) -> None:
    """Count every string in a dumped configuration."""
    if isinstance(value, str):
        out[value] = out.get(value, 0) + 1
    elif isinstance(value, dict):
        for key, item in value.items():
            _mentions(key, out)
            _mentions(item, out)
    elif isinstance(value, list | tuple):
        for item in value:
            _mentions(item, out)


def _named_elsewhere(model: RosterModel) -> set[str]:
    """People whose id appears anywhere in the configuration other than their own record.

    A pair, a mentor, an incompatible duty, a quota for one person, a mandatory-leave block:
    whatever the rule, naming a person makes them unlike the others.
    """
    dump = model.config.model_dump(mode="json")
    dump["staff"] = [
        {k: v for k, v in record.items() if k not in ("id", "name")} for record in dump["staff"]
    ]
    counts: dict[str, int] = {}
    _mentions(dump, counts)
    return {s.id for s in model.staff if s.id in counts}


def _frame_rows(frame: pd.DataFrame | None, staff_id: str) -> tuple[str, ...]:
    if frame is None or frame.empty or "staff_id" not in frame.columns:
        return ()
    rows = frame[frame["staff_id"].astype(str) == staff_id].drop(
        columns=[c for c in ("staff_id", "name") if c in frame.columns]
    )
    return tuple(
        sorted(json.dumps(r, sort_keys=True, default=str) for r in rows.to_dict("records"))
    )


def _records(items: Iterable[object], staff_id: str) -> tuple[str, ...]:
    return tuple(
        sorted(
            json.dumps(item.model_dump(mode="json", exclude={"staff_id"}), sort_keys=True)  # type: ignore[attr-defined]
            for item in items
            if getattr(item, "staff_id", None) == staff_id
        )
    )


def _options(model: RosterModel, staff_id: str) -> tuple[object, ...]:
    """What the built model lets the person do: shifts, break starts and posts, day by day."""
    out: list[object] = []
    for day in model.prep.open_days:
        for option in model.options.get((staff_id, day), ()):
            out.append((day, option.template.id, tuple(b for b, _ in option.breaks)))
        out.append((day, tuple(p for p in model.posts if model.qualified(staff_id, day, p))))
    return tuple(out)


def interchangeable_groups(model: RosterModel) -> list[tuple[str, ...]]:
    """Classes of two or more interchangeable people, each in staff-list order.

    Nobody is interchangeable when the request re-solves a published roster (every person's
    published days differ) or pins anyone.
    """
    request = model.request
    if request.published is not None and not request.published.empty:
        return []
    excluded = _named_elsewhere(model) | {pin.staff_id for pin in request.pins}
    classes: dict[str, list[str]] = {}
    for person in model.staff:
        if person.id in excluded:
            continue
        record = person.model_dump(mode="json", exclude=set(STAFF_FIELDS_IGNORED))
        key = json.dumps(
            [
                record,
                _records(request.availability.entries, person.id),
                _records(request.availability.leave, person.id),
                _records(request.quota_targets, person.id),
                _frame_rows(request.history_shifts, person.id),
                repr(_options(model, person.id)),
            ],
            sort_keys=True,
            default=str,
        )
        classes.setdefault(key, []).append(person.id)
    return [tuple(ids) for ids in classes.values() if len(ids) > 1]


def order_interchangeable_staff(model: RosterModel) -> list[tuple[str, ...]]:
    """Within each class of interchangeable people, paid minutes never increase down the list.

    Returns:
        The classes ordered (empty when there is none).
    """
    groups = interchangeable_groups(model)
    days = model.prep.open_days
    for group in groups:
        for first, second in itertools.pairwise(group):
            model.cp.add(model.paid_minutes_in(first, days) >= model.paid_minutes_in(second, days))
    return groups


def _paid_minutes(frame: pd.DataFrame, staff_id: str) -> int:
    rows = frame[(frame["staff_id"].astype(str) == staff_id) & (frame["activity"] != "break")]
    total = 0
    for start, end in zip(rows["start"], rows["end"], strict=True):
        h0, m0 = str(start).split(":")[:2]
        h1, m1 = str(end).split(":")[:2]
        total += int(h1) * 60 + int(m1) - int(h0) * 60 - int(m0)
    return total


def relabel_roster(frame: pd.DataFrame, groups: list[tuple[str, ...]]) -> pd.DataFrame:
    """Rename people within each class so paid minutes fall down the class order.

    Interchangeable people can swap whole rosters at no cost; this picks the naming that the
    ordering constraints of :func:`order_interchangeable_staff` accept, so a starting roster
    stays usable. Returns a new frame; ``frame`` is not modified.
    """
    if frame is None or frame.empty or not groups:
        return frame
    out = frame.copy()
    ids = out["staff_id"].astype(str)
    for group in groups:
        by_hours = sorted(group, key=lambda s: -_paid_minutes(frame, s))
        rename = dict(zip(by_hours, group, strict=True))
        mask = ids.isin(group)
        out.loc[mask, "staff_id"] = ids[mask].map(rename)
    return out
