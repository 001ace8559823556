"""A picture of the sample traffic that shows its effects: the week and the calendar."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from scheduler.calendar import BranchCalendar
from scheduler.domain import BranchConfig
from scheduler.io.atomic import atomic_path

WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")


def weekday_hour_profile(traffic: pd.DataFrame) -> pd.DataFrame:
    """Mean customers (all channels) per weekday (rows 0-6) and clock hour (columns)."""
    ts = pd.to_datetime(traffic["timestamp"])
    total = traffic.groupby(ts)["count"].sum()
    frame = pd.DataFrame(
        {"weekday": total.index.day_of_week, "hour": total.index.hour, "count": total.to_numpy()}
    )
    return frame.pivot_table(index="weekday", columns="hour", values="count", aggfunc="mean")


def plot_traffic(traffic: pd.DataFrame, config: BranchConfig, path: str | Path) -> Path:
    """Draw the weekday x hour profile and the daily totals with holidays marked, as PNG.

    Args:
        traffic: Columns ``timestamp``, ``channel``, ``count`` (as the sample generator writes).
        config: The branch (its calendar marks days of holiday breaks and adjusted working
            days).
        path: PNG file to write (atomically).

    Returns:
        The path written.
    """
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib import pyplot as plt

    profile = weekday_hour_profile(traffic)
    ts = pd.to_datetime(traffic["timestamp"])
    daily = traffic.groupby(ts.dt.normalize())["count"].sum()
    calendar = BranchCalendar(config.branch)
    days = [d.date() for d in daily.index]
    holiday = np.array([calendar.in_holiday_break(d) for d in days])
    adjusted = np.array([calendar.is_adjusted_workday(d) for d in days])

    fig, (top, bottom) = plt.subplots(
        2, 1, figsize=(12, 8), gridspec_kw={"height_ratios": [1, 1.2]}, constrained_layout=True
    )
    image = top.imshow(profile.to_numpy(), aspect="auto", cmap="viridis")
    top.set_yticks(range(len(profile.index)), [WEEKDAYS[i] for i in profile.index])
    top.set_xticks(range(len(profile.columns)), [f"{h:02d}:00" for h in profile.columns])
    top.set_title("Mean customers per hour, all channels (weekday x hour)")
    fig.colorbar(image, ax=top, label="customers / hour")

    bottom.plot(daily.index, daily.to_numpy(), lw=0.7, color="#455a64", label="daily total")
    bottom.scatter(
        daily.index[holiday],
        daily.to_numpy()[holiday],
        s=14,
        color="#c62828",
        label="holiday break (open)",
        zorder=3,
    )
    bottom.scatter(
        daily.index[adjusted],
        daily.to_numpy()[adjusted],
        s=14,
        color="#ef6c00",
        label="adjusted working day",
        zorder=3,
    )
    bottom.set_title(f"Daily customers at {config.branch.id}")
    bottom.set_ylabel("customers / day")
    bottom.legend(loc="upper left")
    with atomic_path(path) as tmp:
        fig.savefig(tmp, format="png", dpi=90)
    plt.close(fig)
    return Path(path)
