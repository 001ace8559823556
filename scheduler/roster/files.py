"""Write a roster result to a folder: CSV frames, conflicts and the solver's figures.

Files (UTF-8):

* ``roster.csv``: the assignments (:data:`scheduler.frames.ASSIGNMENT_COLUMNS`);
* ``shifts.csv``: shifts worked (:data:`scheduler.frames.SHIFT_COLUMNS`);
* ``coverage.csv``: required against assigned per slot and post
  (:data:`scheduler.frames.COVERAGE_COLUMNS`);
* ``people.csv``: the per-person summary (:data:`scheduler.roster.result.PERSON_COLUMNS`);
* ``penalties.csv``: every soft-rule violation as a sentence (:data:`PENALTY_COLUMNS`);
* ``conflicts.txt``: why no roster exists (only when infeasible);
* ``summary.json``: status, objective, bound, gap, time, model size, cost per rule, warnings.

Each file is written atomically, so a reader never sees half a file.
"""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd

from scheduler.io.atomic import atomic_write_text
from scheduler.roster.result import RosterResult

PENALTY_COLUMNS = ("rule", "amount", "cost", "message", "staff_id", "date", "ds", "post")
"""Columns of ``penalties.csv``."""


def penalty_frame(result: RosterResult) -> pd.DataFrame:
    """The penalties as a frame (:data:`PENALTY_COLUMNS`)."""
    rows = [{c: getattr(p, c) for c in PENALTY_COLUMNS} for p in result.penalties]
    return pd.DataFrame(rows, columns=list(PENALTY_COLUMNS))


def conflicts_text(result: RosterResult) -> str:
    """The conflicts as numbered paragraphs."""
    lines = [
        f"No roster satisfies every hard rule for {result.branch_id}, {result.horizon.label()}."
    ]
    for i, c in enumerate(result.conflicts, start=1):
        lines += ["", f"{i}. [{', '.join(c.rules)}] {c.message}"]
        if c.relaxation:
            lines.append(f"   To make a roster possible: {c.relaxation}.")
    return "\n".join(lines) + "\n"


def summary_dict(result: RosterResult) -> dict[str, object]:
    """The solver's figures and the cost per rule, ready for JSON."""
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
    }


def write_result_files(result: RosterResult, folder: str | Path) -> dict[str, Path]:
    """Write every file of a roster result into ``folder`` (created if needed).

    A ``conflicts.txt`` left by an earlier infeasible run is removed when this result has a
    roster, so the folder never mixes two runs' answers.

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
        written["conflicts"] = atomic_write_text(conflicts, conflicts_text(result))
    elif conflicts.exists():
        conflicts.unlink()
    text = json.dumps(summary_dict(result), ensure_ascii=False, indent=2) + "\n"
    written["summary"] = atomic_write_text(out / "summary.json", text)
    return written
