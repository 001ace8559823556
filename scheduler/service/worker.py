"""One roster job, run in its own process so that it can be cancelled and time-limited.

The job folder holds ``input/`` (the branch configuration, traffic history and availability
files as submitted, kept after the job) and receives ``out/``: the roster files
(:func:`scheduler.roster.files.write_result_files`), the forecast and requirement frames,
the workbook and ``result.pkl`` (the whole :class:`scheduler.pipeline.PipelineResult`, read
back by the service for pins, swaps and publishing).
"""

from __future__ import annotations

import dataclasses
import importlib
import json
import os
import pickle
import shutil
import tempfile
import warnings
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

from scheduler.errors import InputError
from scheduler.io.atomic import atomic_write_bytes
from scheduler.pipeline import PipelineResult, load_inputs, run_pipeline
from scheduler.roster.request import Pin, SolveOptions

PRELOAD = (
    "forecasting",
    "scheduler.staffing",
    "scheduler.staffing.simulation",
    "scheduler.roster",
    "scheduler.reports.workbook",
    "scheduler.roster.files",
)
"""Modules the fork server imports once, so that each job starts without importing them."""
for _module in PRELOAD:
    importlib.import_module(_module)

RESULT_FILE = "result.pkl"
WORKBOOK_FILE = "roster.xlsx"


def input_paths(job_dir: Path) -> tuple[Path, Path, list[Path]]:
    """The configuration, traffic and availability files of a job folder."""
    folder = job_dir / "input"
    config = next(p for p in sorted(folder.iterdir()) if p.stem == "branch")
    traffic = next(p for p in sorted(folder.iterdir()) if p.stem.startswith("traffic"))
    avail_dir = folder / "availability"
    availability = sorted(avail_dir.iterdir()) if avail_dir.exists() else []
    return config, traffic, availability


def without_folder(text: Any, folder: Path | None) -> Any:
    """``text`` with the job folder's paths cut to the file names a caller sent.

    Readers name a file by its path (``/srv/jobs/17/input/traffic.csv``); a caller knows it
    as ``traffic.csv``, and the server's folders are no business of theirs.
    """
    if folder is None or not isinstance(text, str):
        return text
    for prefix in (f"{folder / 'input'}/", f"{folder}/", str(folder)):
        text = text.replace(prefix, "")
    return text


def issue_dicts(exc: InputError, folder: Path | None = None) -> list[dict[str, Any]]:
    """The issues of an input error as JSON-ready dicts, paths under ``folder`` cut."""
    return [
        {
            "file": without_folder(i.file, folder),
            "location": i.location,
            "column": i.column,
            "value": None if i.value is None else without_folder(str(i.value), folder),
            "message": without_folder(i.message, folder),
            "allowed": i.allowed,
            "severity": i.severity,
        }
        for i in exc.issues
    ]


def write_outputs(result: PipelineResult, out: Path, lang: str = "zh") -> None:
    """Write every file of a finished job into ``out`` (staged, then moved in one rename)."""
    from scheduler.reports.workbook import write_workbook
    from scheduler.roster.files import write_result_files

    out.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".out-", dir=out.parent))
    result.forecast.to_csv(staging / "forecast.csv", index=False)
    result.requirements.to_csv(staging / "requirements.csv", index=False)
    write_result_files(result.roster, staging, lang=lang)
    if result.roster.feasible:
        write_workbook(
            result.roster,
            result.inputs.config,
            staging / WORKBOOK_FILE,
            availability=result.inputs.availability,
            lang=lang,
        )
    atomic_write_bytes(staging / RESULT_FILE, pickle.dumps(result))
    if out.exists():
        shutil.rmtree(out)
    staging.rename(out)


def run_job(
    job_dir: str,
    week: str,
    pins_json: str,
    options: SolveOptions,
    history_db: str | None,
    conn: Connection,
    nice: int = 0,
) -> None:
    """Run the weekly job of a job folder, reporting progress and the outcome on ``conn``.

    Messages: ``("progress", stage, fraction)``, then one of ``("done", roster_status,
    summary)``, ``("input_error", issues)`` or ``("error", message)``. ``nice`` lowers the
    process's CPU priority first, so the web process keeps answering while the job solves.
    """
    folder = Path(job_dir)
    if nice > 0:
        os.nice(nice)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            config, traffic, availability = input_paths(folder)
            inputs = load_inputs(config, traffic, availability, week)
            pins = tuple(Pin.model_validate(p) for p in json.loads(pins_json))
            inputs = dataclasses.replace(inputs, pins=pins, history_db=history_db)
            result = run_pipeline(
                inputs,
                options=options,
                on_progress=lambda stage, frac: conn.send(("progress", stage, frac)),
                on_solution=lambda p: conn.send(
                    ("progress", "roster", 0.4 + 0.5 * min(1.0, p.seconds / options.time_limit_s))
                ),  # each improving roster moves the bar through the roster stage (0.4..0.9)
            )
            write_outputs(result, folder / "out")
        conn.send(("done", result.roster.status, result.roster.summary()))
    except InputError as exc:
        conn.send(("input_error", issue_dicts(exc, folder)))
    except Exception as exc:  # the job fails with the reason; the service keeps running
        conn.send(("error", without_folder(f"{type(exc).__name__}: {exc}", folder)))
    finally:
        conn.close()
