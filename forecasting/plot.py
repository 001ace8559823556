"""PNG of recent history, forecast and intervals, one panel per channel."""

from __future__ import annotations

import io
from collections.abc import Sequence

import pandas as pd

RECENT_DAYS = 14
"""Days of history shown before the forecast."""


def forecast_chart(
    history: pd.DataFrame,
    forecast: pd.DataFrame,
    levels: Sequence[int] = (80, 95),
    recent_days: int = RECENT_DAYS,
    title: str = "",
) -> bytes:
    """Plot each channel's recent open hours, then the forecast mean and its intervals.

    The x axis runs over open hours only (nights and closed days take no space); a grey line
    marks each new day and a dashed line the start of the forecast.

    Args:
        history: History frame (``channel``, ``ds``, ``y``).
        forecast: Forecast frame (``channel``, ``ds``, ``mean``, ``lo-XX``/``hi-XX``).
        levels: Interval levels to shade (widest lightest).
        recent_days: Days of history before the forecast.
        title: Figure title.

    Returns:
        The PNG file's bytes.
    """
    from matplotlib.figure import Figure

    channels = sorted(forecast["channel"].unique())
    fig = Figure(figsize=(12, 2.2 * max(1, len(channels)) + 0.6), dpi=100)
    axes = fig.subplots(max(1, len(channels)), 1, squeeze=False)[:, 0]
    start = forecast["ds"].min() - pd.Timedelta(days=recent_days) if len(forecast) else None
    for ax, channel in zip(axes, channels, strict=False):
        past = history[(history["channel"] == channel) & (history["ds"] >= start)]
        future = forecast[forecast["channel"] == channel].sort_values("ds")
        stamps = sorted(set(past["ds"]) | set(future["ds"]))
        index = {ds: i for i, ds in enumerate(stamps)}
        past = past.dropna(subset=["y"]).sort_values("ds")
        ax.plot(
            [index[d] for d in past["ds"]],
            past["y"],
            color="#424242",
            linewidth=0.9,
            label="history",
        )
        x = [index[d] for d in future["ds"]]
        for level, shade in zip(sorted(levels, reverse=True), ("#bbdefb", "#64b5f6"), strict=False):
            ax.fill_between(
                x,
                future[f"lo-{level}"],
                future[f"hi-{level}"],
                color=shade,
                step="mid",
                label=f"{level}% interval",
            )
        ax.plot(x, future["mean"], color="#0d47a1", linewidth=1.2, label="forecast")
        days: dict[object, int] = {}
        for ds in stamps:
            days.setdefault(ds.date(), index[ds])
        for pos in list(days.values())[1:]:
            ax.axvline(pos - 0.5, color="#e0e0e0", linewidth=0.6)
        if x:
            ax.axvline(x[0] - 0.5, color="#d50000", linestyle="--", linewidth=0.9)
        ticks = list(days.items())[:: max(1, len(days) // 12)]
        ax.set_xticks([p for _, p in ticks])
        ax.set_xticklabels([f"{d:%m-%d}" for d, _ in ticks], fontsize=7)  # type: ignore[str-format]
        model = ", ".join(sorted(future["model"].unique())) if "model" in future else ""
        ax.set_ylabel(str(channel), fontsize=9)
        ax.set_title(f"{channel} ({model})", fontsize=9, loc="left")
        ax.set_ylim(bottom=0)
    axes[0].legend(fontsize=7, ncol=4, loc="upper right", frameon=False)
    if title:
        fig.suptitle(title, fontsize=10)
    fig.tight_layout()
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png")
    return buffer.getvalue()
