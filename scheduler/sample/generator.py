"""Write the whole sample branch: configuration, two years of traffic, a week's availability.

``generate_sample(folder)`` produces exactly what ``data/sample_branch/`` holds; the same seed
gives the same bytes, so the committed sample can be regenerated and checked.
"""

from __future__ import annotations

import datetime as dt
import gzip
import json
from dataclasses import dataclass
from pathlib import Path

from scheduler.calendar import Horizon
from scheduler.domain import BranchConfig
from scheduler.io.atomic import atomic_write_bytes, atomic_write_text
from scheduler.io.availability_file import write_availability
from scheduler.io.config_file import config_json_schema, dump_config
from scheduler.sample.availability import sample_availability_files
from scheduler.sample.branch import sample_config
from scheduler.sample.traffic import TrafficEffects, sample_traffic

DEFAULT_SEED = 20261130
"""Seed of the committed sample."""

HISTORY_WEEKS = 104
"""Weeks of traffic history before the planned week (two years)."""


@dataclass(frozen=True)
class SampleFiles:
    """What :func:`generate_sample` wrote.

    Attributes:
        config: The configuration file.
        traffic: The gzipped traffic history.
        availability: The availability files.
        schema: The configuration's JSON Schema.
        rows: Traffic rows written.
    """

    config: Path
    traffic: Path
    availability: tuple[Path, ...]
    schema: Path
    rows: int


def traffic_csv_gz(frame_csv: str) -> bytes:
    """Gzip text reproducibly (no time stamp or file name in the header)."""
    return gzip.compress(frame_csv.encode("utf-8"), compresslevel=9, mtime=0)


def generate_sample(
    folder: str | Path,
    week: str = "2026-W49",
    seed: int = DEFAULT_SEED,
    *,
    effects: TrafficEffects | None = None,
    config: BranchConfig | None = None,
    schema_path: str | Path | None = None,
) -> SampleFiles:
    """Write the sample branch into ``folder``.

    Args:
        folder: Target folder (created); gets ``branch.yaml``, ``traffic.csv.gz`` and
            ``availability/``.
        week: The ISO week the availability is for; the history ends the Sunday before.
        seed: Seed of the traffic noise and missing hours.
        effects: Traffic effect sizes (the documented defaults when omitted).
        config: Configuration to write (the sample branch for ``week`` when omitted).
        schema_path: Where the JSON Schema goes (``folder/branch.schema.json`` by default).

    Returns:
        The files written.

    Raises:
        ValueError: If ``week`` is not an ISO week.
    """
    folder = Path(folder)
    horizon = Horizon.iso_week(week)
    config = config or sample_config(horizon.start)
    config_path = dump_config(config, folder / "branch.yaml")

    end = horizon.start - dt.timedelta(days=1)
    start = horizon.start - dt.timedelta(weeks=HISTORY_WEEKS)
    traffic = sample_traffic(config, start, end, seed, effects)
    traffic = traffic.sort_values(["timestamp", "channel"], kind="stable")
    text = traffic.to_csv(index=False, date_format="%Y-%m-%d %H:%M", lineterminator="\n")
    traffic_path = atomic_write_bytes(folder / "traffic.csv.gz", traffic_csv_gz(text))

    written = []
    for f in sample_availability_files(config, horizon):
        written.append(
            write_availability(
                f.availability,
                folder / "availability" / f.name,
                config=config,
                encoding=f.encoding,
                title=f.title,
                stamp=dt.datetime.combine(end, dt.time(18)),
            )
        )
    schema = Path(schema_path) if schema_path else folder / "branch.schema.json"
    atomic_write_text(schema, json.dumps(config_json_schema(), ensure_ascii=False, indent=2) + "\n")
    return SampleFiles(config_path, traffic_path, tuple(written), schema, len(traffic))
