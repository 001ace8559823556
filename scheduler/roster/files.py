"""Write a roster result to a folder: CSV frames, conflicts and the solver's figures.

Files (UTF-8):

* ``roster.csv``: the assignments (:data:`scheduler.frames.ASSIGNMENT_COLUMNS`);
* ``shifts.csv``: shifts worked (:data:`scheduler.frames.SHIFT_COLUMNS`);
* ``coverage.csv``: required against assigned per slot and post
  (:data:`scheduler.frames.COVERAGE_COLUMNS`);
* ``people.csv``: the per-person summary (:data:`scheduler.roster.result.PERSON_COLUMNS`);
* ``penalties.csv``: every soft-rule violation as a sentence, in English (``message``) and
  Chinese (``message_zh``) (:data:`PENALTY_COLUMNS`);
* ``conflicts.txt``: why no roster exists, in the language asked for (only when infeasible);
* ``summary.json``: status, objective, bound, gap, time, model size, cost per rule, warnings
  in English (``warnings``) and Chinese (``warnings_zh``).

Each file is written atomically, so a reader never sees half a file.
"""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd

from scheduler.io.atomic import atomic_write_text
from scheduler.roster.result import RosterResult

PENALTY_COLUMNS = (
    "rule",
    "amount",
    "cost",
    "message",
    "message_zh",
    "staff_id",
    "date",
    "ds",
    "post",
)
"""Columns of ``penalties.csv``: both sentences, so the file reads back in either language."""


def penalty_frame(result: RosterResult) -> pd.DataFrame:
    """The penalties as a frame (:data:`PENALTY_COLUMNS`)."""
    rows = [{c: getattr(p, c) for c in PENALTY_COLUMNS} for p in result.penalties]
    return pd.DataFrame(rows, columns=list(PENALTY_COLUMNS))


def conflicts_text(result: RosterResult, lang: str = "zh") -> str:
    """The conflicts as numbered paragraphs, in Chinese (``zh``) or English (``en``)."""
    zh = lang == "zh"
    where = f"{result.branch_id}, {result.horizon.label()}"
    lines = [
        f"{where}: 没有满足全部硬规则的排班。"
        if zh
        else f"No roster satisfies every hard rule for {where}."
    ]
    for i, c in enumerate(result.conflicts, start=1):
        rules = f"[{', '.join(c.rules)}] " if c.rules else ""
        lines += ["", f"{i}. {rules}{c.message_in(lang)}"]
        if c.relaxation:
            fix = c.relaxation_in(lang)
            lines.append(f"   解决办法: {fix}。" if zh else f"   To make a roster possible: {fix}.")
    return "\n".join(lines) + "\n"


def summary_dict(result: RosterResult) -> dict[str, object]:
    """The solver's figures, the cost per rule and the warnings (English and Chinese), for JSON."""
    s = result.stats
    by_rule = result.penalties_by_rule()
    return {
        "branch": result.branch_id,
        "horizon": {
            "start": result.horizon.start.isoformat(),
            "days": result.horizon.days,
            "label": result.horizon.label(),
        },
        "status": s.status,
        "objective": s.objective,
        "best_bound": s.best_bound,
        "gap": s.gap,
        "wall_time_s": round(s.wall_time_s, 3),
        "variables": s.variables,
        "constraints": s.constraints,
        "workers": s.workers,
        "seed": s.seed,
        "cost_by_rule": {
            str(r.rule): {"count": int(r.count), "amount": float(r.amount), "cost": float(r.cost)}
            for r in by_rule.itertuples()
        },
        "conflicts": len(result.conflicts),
        "warnings": list(result.warnings),
        "warnings_zh": list(result.warnings_in("zh")),
    }


def write_result_files(
    result: RosterResult, folder: str | Path, lang: str = "zh"
) -> dict[str, Path]:
    """Write every file of a roster result into ``folder`` (created if needed).

    A ``conflicts.txt`` left by an earlier infeasible run is removed when this result has a
    roster, so the folder never mixes two runs' answers. ``lang`` (``zh``, the default of
    every report file, or ``en``) is the language of ``conflicts.txt``; ``penalties.csv``
    holds both languages whatever it is.

    Returns:
        The files written, by kind (``roster``, ``shifts``, ``coverage``, ``people``,
        ``penalties``, ``summary`` and, when infeasible, ``conflicts``).
    """
    out = Path(folder)
    out.mkdir(parents=True, exist_ok=True)
    frames = {
        "roster": result.assignments,
        "shifts": result.shifts,
        "coverage": result.coverage,
        "people": result.people,
        "penalties": penalty_frame(result),
    }
    written: dict[str, Path] = {}
    for kind, frame in frames.items():
        written[kind] = atomic_write_text(out / f"{kind}.csv", frame.to_csv(index=False))
    conflicts = out / "conflicts.txt"
    if result.conflicts:
        written["conflicts"] = atomic_write_text(conflicts, conflicts_text(result, lang))
    elif conflicts.exists():
        conflicts.unlink()
    text = json.dumps(summary_dict(result), ensure_ascii=False, indent=2) + "\n"
    written["summary"] = atomic_write_text(out / "summary.json", text)
    return written
