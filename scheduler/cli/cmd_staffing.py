"""``branch-roster staffing``: staff needed per post and hour from a forecast file."""

from __future__ import annotations

import io
from pathlib import Path

import pandas as pd
import typer

from scheduler.calendar import Horizon, week_horizon
from scheduler.cli.common import console, err_console, require_out_folder
from scheduler.domain import BranchConfig
from scheduler.errors import InputError, Issue
from scheduler.io.atomic import atomic_write_bytes, atomic_write_text

REQUIREMENTS_FILE = "requirements.csv"
CHART_FILE = "requirements.png"
FLOOR_CHECKS_FILE = "floor_checks.csv"


def read_forecast_csv(path: Path) -> pd.DataFrame:
    """Read a forecast CSV (:data:`scheduler.frames.FORECAST_COLUMNS`) as text columns.

    Values are checked later, row by row, by :func:`scheduler.staffing.read_rates`.

    Raises:
        InputError: If the file is missing, empty or not CSV.
    """
    name = str(path)
    if not path.is_file():
        raise InputError([Issue(name, "file not found", allowed="a forecast CSV file")])
    try:
        frame = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    except pd.errors.EmptyDataError:
        raise InputError([Issue(name, "the file is empty", allowed="a forecast CSV")]) from None
    except (pd.errors.ParserError, UnicodeDecodeError) as exc:
        raise InputError([Issue(name, f"not a readable CSV file ({exc})")]) from None
    frame.columns = [str(c).strip() for c in frame.columns]
    return frame.replace("", float("nan"))


def requirement_chart(requirements: pd.DataFrame, config: BranchConfig) -> bytes:
    """A PNG of required staff per post in each open slot, stacked, one colour per post.

    Slots with an unmeetable target are marked with a red triangle above the bar.
    """
    from matplotlib.figure import Figure

    slots = sorted(set(requirements["ds"]))
    index = {ds: i for i, ds in enumerate(slots)}
    fig = Figure(figsize=(max(8.0, len(slots) * 0.12), 4.8), dpi=110)
    ax = fig.add_subplot()
    bottom = [0] * len(slots)
    for post in config.posts:
        rows = requirements[requirements["post"] == post.id]
        heights = [0] * len(slots)
        for ds, required in zip(rows["ds"], rows["required"], strict=True):
            heights[index[ds]] = int(required)
        if any(heights):
            ax.bar(range(len(slots)), heights, bottom=bottom, width=0.9, color=post.colour,
                   label=post.name_en)  # fmt: skip
            bottom = [b + h for b, h in zip(bottom, heights, strict=True)]
    bad = sorted({index[ds] for ds in requirements.loc[requirements["unmeetable"], "ds"]})
    if bad:
        ax.scatter(bad, [bottom[i] + 0.5 for i in bad], marker="v", color="#d50000",
                   label="target unmeetable", zorder=3)  # fmt: skip
    days: dict[object, int] = {}
    for ds in slots:
        days.setdefault(ds.date(), index[ds])
    ax.set_xticks(list(days.values()))
    ax.set_xticklabels([f"{d:%a %m-%d}" for d in days], rotation=0, fontsize=8)  # type: ignore[str-format]
    for start in list(days.values())[1:]:
        ax.axvline(start - 0.5, color="#bdbdbd", linewidth=0.8)
    ax.set_ylabel("staff required")
    ax.set_title(f"{config.branch.id}: staff required per post and open slot")
    ax.legend(fontsize=7, ncol=4, loc="upper left", frameon=False)
    ax.set_ylim(0, max(bottom, default=0) * 1.3 + 1)
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", bbox_inches="tight")
    return buffer.getvalue()


def unmeetable_lines(bad: pd.DataFrame) -> list[str]:
    """One line per post and day listing the unmeetable slot times and the first reason."""
    lines = []
    for (day, post), rows in bad.groupby(["date", "post"], sort=True):
        times = " ".join(f"{ds:%H:%M}" for ds in rows["ds"])
        lines.append(f"{day:%Y-%m-%d %a} {post} at {times}: {rows['reason'].iloc[0]}")
    return lines


def _check_covered(frame: pd.DataFrame, horizon: Horizon, forecast: Path) -> None:
    """Refuse a ``--week`` the forecast has no row in (it would be sized as no traffic)."""
    if frame.empty or "ds" not in frame:
        return
    days = pd.to_datetime(frame["ds"], errors="coerce").dropna().dt.date  # bad rows: later
    if days.empty or days.between(horizon.start, horizon.end).any():
        return
    first, last = days.min(), days.max()
    raise InputError(
        [
            Issue(
                "--week",
                f"the forecast {forecast} has no row in this week; it covers {first:%a %d %b} "
                f"to {last:%a %d %b %Y}",
                value=f"{horizon.start:%Y-%m-%d} to {horizon.end:%Y-%m-%d}",
                allowed=f"a week between {first:%Y-%m-%d} and {last:%Y-%m-%d}, or no --week",
            )
        ]
    )


def register(app: typer.Typer) -> None:
    """Add the ``staffing`` command."""

    @app.command("staffing")
    def staffing(
        forecast: Path = typer.Option(..., "--forecast", help="Forecast CSV (hourly)."),
        branch_config: Path = typer.Option(
            ..., "--config", "--branch-config", help="Branch configuration (YAML/TOML)."
        ),
        out: Path = typer.Option(..., "--out", help="Folder for the requirement files."),
        level: str = typer.Option("mean", help="Forecast column to staff for (mean, hi-80)."),
        week: str | None = typer.Option(
            None, help="ISO week to size, e.g. 2026-W49 (default: the forecast's dates)."
        ),
        max_staff: int | None = typer.Option(
            None, "--max-staff", min=1, help="Most people per post (default: qualified that day)."
        ),
    ) -> None:
        """Size every post for each open slot with Erlang C/A and the branch's floors.

        Writes requirements.csv (one row per slot and post), floor_checks.csv (manager on
        duty, dual control) and requirements.png; prints the slots whose target cannot be met.
        """
        require_out_folder(out)
        from scheduler.io.config_file import load_config
        from scheduler.staffing import floor_checks, requirements, unmeetable_slots

        horizon = None
        if week is not None:
            horizon = week_horizon(week)
        issues: list[Issue] = []
        config = frame = None
        try:
            config = load_config(branch_config)
        except InputError as exc:
            issues += exc.issues
        try:
            frame = read_forecast_csv(forecast)
        except InputError as exc:
            issues += exc.issues
        if config is None or frame is None:
            raise InputError(issues)
        if horizon is not None:
            _check_covered(frame, horizon, forecast)
        req = requirements(
            frame, config, level=level, horizon=horizon, max_staff=max_staff, source=str(forecast)
        )
        days = sorted(set(req["date"]))
        if horizon is None and days:
            horizon = Horizon(days[0], (days[-1] - days[0]).days + 1)
        if horizon is None:
            raise InputError(
                [Issue(str(forecast), "the forecast covers no open slot of the branch")]
            )
        checks = floor_checks(config, horizon)
        chart = requirement_chart(req, config)
        # Everything is computed before anything is written; each file is replaced atomically.
        atomic_write_text(out / REQUIREMENTS_FILE, req.to_csv(index=False))
        atomic_write_text(out / FLOOR_CHECKS_FILE, checks.to_csv(index=False))
        atomic_write_bytes(out / CHART_FILE, chart)
        for warning in req.attrs.get("warnings", []):
            err_console.print(f"[yellow]warning[/yellow] {warning}", markup=True)
        bad = unmeetable_slots(req)
        if len(bad):
            console.print(f"{len(bad)} slot(s) where no staff number meets the target:")
            for line in unmeetable_lines(bad):
                console.print(f"  {line}")
        else:
            console.print("every slot's target can be met")
        hours = req.groupby("post")["required"].sum() * config.branch.slot_minutes / 60
        summary = ", ".join(f"{post} {hours[post]:g}" for post in hours.index if hours[post] > 0)
        console.print(f"staff-hours required: {summary}")
        console.print(f"wrote {REQUIREMENTS_FILE}, {FLOOR_CHECKS_FILE}, {CHART_FILE} to {out}/")
