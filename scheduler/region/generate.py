"""A seeded synthetic region: many branches of mixed sizes plus a shared float pool.

Each branch starts from a seeded roster instance (:func:`scheduler.instances.make_instance`,
families S/M/L: 8/16/30 staff, 6/8/10 posts, drawn opening hours and channel mix, staff,
rules and a week's availability). Its traffic history is then drawn with the sample traffic
model (:mod:`scheduler.sample.traffic`) at the volume the instance's staff were sized for,
times a per-branch volume factor, so the whole pipeline (forecast -> staffing -> roster) sees
branches that are tight (peaks above what their staff can cover), some busier than others.

The same ``(seed, branches, week)`` always gives the same bytes. ``lazy=True`` writes only
``region.yaml`` with each branch's recipe; a branch folder is then written the first time the
region runner needs it (:func:`ensure_branch`), which keeps a 500-branch region cheap to set
up.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from scheduler.calendar import BranchCalendar, Horizon
from scheduler.domain import (
    Availability,
    AvailabilityEntry,
    AvailabilityKind,
    BranchConfig,
)
from scheduler.errors import InputError, Issue
from scheduler.io.atomic import atomic_write_bytes
from scheduler.io.availability_file import write_availability
from scheduler.io.config_file import dump_config
from scheduler.region.spec import (
    REGION_FILE,
    BranchRecipe,
    Floater,
    RegionBranch,
    RegionSpec,
    dump_region,
)
from scheduler.sample.generator import traffic_csv_gz
from scheduler.sample.traffic import TrafficEffects, sample_traffic

FAMILY_MIX: dict[str, float] = {"S": 0.35, "M": 0.45, "L": 0.20}
"""Default share of small, medium and large branches."""

VOLUME_RANGE = (0.85, 1.25)
"""Per-branch traffic volume factor range (1 = what the staff were sized for)."""

FLOAT_POSTS = ("cash_teller", "noncash_teller", "lobby", "customer_manager")
"""Customer-facing posts every generated branch has; floaters are qualified for 2-3 of them."""

MIN_CHANNEL_BASE = 0.3
"""Mean customers per hour given to a channel no post of the instance was sized for."""


@dataclass(frozen=True)
class RegionFiles:
    """What :func:`generate_region` wrote.

    Attributes:
        folder: The region folder.
        region: The ``region.yaml`` file.
        spec: The region it describes.
        written: Branch folders written now (empty when lazy).
    """

    folder: Path
    region: Path
    spec: RegionSpec
    written: tuple[Path, ...]


def _draw_family(rng: np.random.Generator, mix: dict[str, float]) -> str:
    """A family name drawn with the weights of ``mix``."""
    names = sorted(mix)
    weights = np.array([mix[n] for n in names], dtype=float)
    return names[int(rng.choice(len(names), p=weights / weights.sum()))]


def _floaters(rng: np.random.Generator, n: int) -> list[Floater]:
    """``n`` floaters, each qualified for 2-3 of :data:`FLOAT_POSTS`."""
    out = []
    for i in range(n):
        k = int(rng.integers(2, 4))
        picks = sorted(rng.choice(len(FLOAT_POSTS), size=k, replace=False).tolist())
        out.append(
            Floater(
                id=f"F{i + 1:03d}",
                name=f"机动人员{i + 1}",
                posts=[FLOAT_POSTS[j] for j in picks],
                hourly_rate=float(rng.choice([60, 65, 70])),
                max_days=5,
                max_hours_per_day=8.0,
            )
        )
    return out


def region_spec(
    branches: int,
    week: str = "2026-W49",
    seed: int = 0,
    *,
    floaters: int | None = None,
    mix: dict[str, float] | None = None,
    history_weeks: int = 16,
    region_id: str = "R",
) -> RegionSpec:
    """The region's recipe: branch ids, families, seeds and volumes, and the float pool.

    Args:
        branches: Number of branches.
        week: ISO week the availability is written for.
        seed: Region seed; every branch's seed is drawn from it.
        floaters: Size of the float pool (default: one per five branches, at least one).
        mix: Share of each family (default :data:`FAMILY_MIX`).
        history_weeks: Weeks of traffic history per branch.
        region_id: Region id; branch ids are ``<region_id>-B001`` ...

    Raises:
        ValueError: If ``branches`` is not positive or ``week`` is not an ISO week.
    """
    if branches < 1:
        raise ValueError(f"a region needs at least one branch (got {branches})")
    Horizon.iso_week(week)  # validates the label
    rng = np.random.default_rng(seed)
    mix = mix or FAMILY_MIX
    entries = []
    for i in range(branches):
        family = _draw_family(rng, mix)
        recipe = BranchRecipe(
            family=family,
            seed=int(rng.integers(0, 1_000_000)),
            volume=round(float(rng.uniform(*VOLUME_RANGE)), 3),
            history_weeks=history_weeks,
        )
        bid = f"{region_id}-B{i + 1:03d}"
        entries.append(RegionBranch(id=bid, path=bid, recipe=recipe))
    n_float = max(1, branches // 5) if floaters is None else floaters
    return RegionSpec(
        id=region_id,
        name=f"示范片区 {region_id}",
        week=week,
        branches=entries,
        floaters=_floaters(rng, n_float),
    )


def _channel_base(config: BranchConfig, requirements: pd.DataFrame) -> dict[str, float]:
    """Mean customers per ordinary weekday hour per channel, as the instance was sized for.

    A post's arrivals are split evenly over its channels; the weekday mean is divided by the
    mean intraday shape over the weekday's open hours, since the traffic model multiplies its
    base by that shape.
    """
    effects = TrafficEffects()
    post_channels = {p.id: list(p.channels) for p in config.posts}
    rows = []
    for post, chans in post_channels.items():
        if not chans:
            continue
        part = requirements[requirements["post"] == post]
        for ch in chans:
            rows.append(part.assign(channel=ch, share=part["arrivals"] / len(chans)))
    base = {c.id: MIN_CHANNEL_BASE for c in config.channels}
    if not rows:
        return base
    frame = pd.concat(rows)
    ds = pd.to_datetime(frame["ds"])
    weekday = frame[ds.dt.day_of_week < 5]
    wds = pd.to_datetime(weekday["ds"])
    shape = float(np.mean([effects.hour_shape(int(h)) for h in sorted(set(wds.dt.hour))]))
    per_slot = weekday.groupby(["channel", "ds"])["share"].sum().groupby("channel").mean()
    minutes = config.branch.slot_minutes
    for ch, mean in per_slot.items():
        if mean > 0:
            base[str(ch)] = round(float(mean) * 60 / minutes / shape, 3)
    return base


def _window(entry: AvailabilityEntry) -> tuple[int, int]:
    """The entry's window in minutes since midnight (the whole day when it has none)."""
    if entry.start is None or entry.end is None:
        return (0, 24 * 60)
    return (entry.start.hour * 60 + entry.start.minute, entry.end.hour * 60 + entry.end.minute)


def consistent_availability(availability: Availability) -> Availability:
    """Availability a branch manager could submit: the rules the file reader enforces hold.

    Offers to work (available, preferred) on a person's approved leave days are dropped (the
    leave stands), and of two windows of one person that overlap on a date the first listed
    is kept.
    """
    on_leave = {
        (lv.staff_id, day) for lv in availability.leave if lv.approved for day in lv.dates()
    }
    work = (AvailabilityKind.AVAILABLE, AvailabilityKind.PREFERRED)
    kept: dict[tuple[str, dt.date], list[tuple[int, int]]] = {}
    entries = []
    for e in availability.entries:
        if e.kind in work and (e.staff_id, e.date) in on_leave:
            continue
        lo, hi = _window(e)
        windows = kept.setdefault((e.staff_id, e.date), [])
        if any(lo < b1 and b0 < hi for b0, b1 in windows):
            continue
        windows.append((lo, hi))
        entries.append(e)
    return Availability(entries=entries, leave=list(availability.leave))


def write_branch(folder: str | Path, branch_id: str, recipe: BranchRecipe, week: str) -> Path:
    """Write one generated branch folder (``branch.yaml``, ``traffic.csv.gz``, availability).

    The configuration is written last, so a folder with ``branch.yaml`` is complete.

    Returns:
        The branch folder.
    """
    from scheduler.instances import make_instance

    folder = Path(folder)
    request = make_instance(recipe.family, recipe.seed, week)
    config = request.config
    branch = config.branch.model_copy(
        update={"id": branch_id, "name": f"{branch_id} 网点 ({recipe.family})"}
    )
    horizon = Horizon.iso_week(week)
    config = config.model_copy(update={"branch": branch})
    base = _channel_base(config, request.requirements)
    effects = TrafficEffects(
        base_per_hour={k: v * recipe.volume for k, v in base.items()},
        # The instance's hours already stand for a whole year's mix: no trend on top.
        trend_per_year={c.id: 0.0 for c in config.channels},
    )
    end = horizon.start - dt.timedelta(days=1)
    start = horizon.start - dt.timedelta(weeks=recipe.history_weeks)
    traffic = sample_traffic(config, start, end, recipe.seed, effects)
    traffic = traffic.sort_values(["timestamp", "channel"], kind="stable")
    text = traffic.to_csv(index=False, date_format="%Y-%m-%d %H:%M", lineterminator="\n")
    atomic_write_bytes(folder / "traffic.csv.gz", traffic_csv_gz(text))
    (folder / "availability").mkdir(parents=True, exist_ok=True)
    availability = consistent_availability(request.availability)
    if availability.entries or availability.leave:
        write_availability(
            availability,
            folder / "availability" / "availability.csv",
            config=config,
            stamp=dt.datetime.combine(end, dt.time(18)),
        )
    dump_config(config, folder / "branch.yaml")
    return folder


def ensure_branch(region_folder: str | Path, spec: RegionSpec, branch: RegionBranch) -> Path:
    """The branch folder, generated from its recipe first when it is not written yet.

    Returns:
        The branch folder (``region_folder / branch.path``).
    """
    folder = Path(region_folder) / branch.path
    if folder.exists() and not folder.is_dir():
        raise InputError(
            [
                Issue(
                    str(Path(region_folder) / REGION_FILE),
                    f"the folder of branch {branch.id} is a file",
                    column="path",
                    value=branch.path,
                    allowed="a folder holding branch.yaml (or none yet, with a recipe)",
                )
            ]
        )
    if (folder / "branch.yaml").exists() or branch.recipe is None or spec.week is None:
        return folder
    return write_branch(folder, branch.id, branch.recipe, spec.week)


def generate_region(
    folder: str | Path,
    branches: int,
    week: str = "2026-W49",
    seed: int = 0,
    *,
    floaters: int | None = None,
    mix: dict[str, float] | None = None,
    history_weeks: int = 16,
    lazy: bool = False,
    region_id: str = "R",
) -> RegionFiles:
    """Write a synthetic region: ``region.yaml`` and, unless lazy, every branch folder.

    Args:
        folder: Region folder (created).
        branches: Number of branches.
        week: ISO week the availability is written for; histories end the Sunday before.
        seed: Region seed.
        floaters: Size of the float pool (default: one per five branches).
        mix: Share of each family S/M/L.
        history_weeks: Weeks of hourly traffic per branch (16 keeps 500 branches small).
        lazy: Write only ``region.yaml``; branch folders are written on first use.
        region_id: Region id and branch id prefix.

    Returns:
        The files written.
    """
    folder = Path(folder)
    spec = region_spec(
        branches,
        week,
        seed,
        floaters=floaters,
        mix=mix,
        history_weeks=history_weeks,
        region_id=region_id,
    )
    written: list[Path] = []
    if not lazy:
        for b in spec.branches:
            written.append(ensure_branch(folder, spec, b))
    region = dump_region(spec, folder)
    return RegionFiles(folder, region, spec, tuple(written))


def open_days(config: BranchConfig, horizon: Horizon) -> dict[dt.date, tuple[int, int]]:
    """Opening window (minutes since midnight) of every open day of the horizon."""
    calendar = BranchCalendar(config.branch)
    out = {}
    for day in horizon.dates:
        hours = calendar.hours(day)
        if hours is not None:
            out[day] = (
                hours.start.hour * 60 + hours.start.minute,
                hours.end.hour * 60 + hours.end.minute,
            )
    return out
