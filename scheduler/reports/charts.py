"""The report's charts (matplotlib, no display needed): demand vs capacity, waits, Gantt, penalties.

Each chart is a ``draw_*`` function that draws into a matplotlib ``Axes`` and returns whether
it had data, so the same drawing serves the inline SVG of the HTML page, the one-page PNG and
the PDF (a page per chart).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import io
import re
import warnings
from collections import defaultdict
from collections.abc import Callable, Iterator
from contextvars import ContextVar
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import pandas as pd
from matplotlib import rc_context
from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.backends.backend_pdf import PdfPages
from matplotlib.collections import PolyCollection
from matplotlib.figure import Figure
from matplotlib.patches import Patch

from scheduler.io.atomic import atomic_path
from scheduler.reports.labels import Labels
from scheduler.reports.view import RosterView

CJK_FONTS = (
    "Noto Sans CJK SC",
    "Noto Serif CJK SC",
    "Source Han Sans SC",
    "WenQuanYi Zen Hei",
    "WenQuanYi Micro Hei",
    "Microsoft YaHei",
    "SimHei",
    "PingFang SC",
    "Hiragino Sans GB",
    "AR PL UMing CN",
)
"""Fonts with Chinese glyphs, in order of preference, for PNG and PDF output."""

BREAK_COLOUR = "#bdbdbd"
FREE_COLOUR = "#e0e0e0"


@lru_cache(maxsize=1)
def cjk_font() -> str | None:
    """The first installed font of :data:`CJK_FONTS`, or ``None`` when none is installed."""
    from matplotlib import font_manager

    installed = {f.name for f in font_manager.fontManager.ttflist}
    return next((name for name in CJK_FONTS if name in installed), None)


@contextlib.contextmanager
def chart_style(svg_salt: str = "") -> Iterator[None]:
    """Matplotlib settings for the report: CJK font if any, SVG text kept as text."""
    font = cjk_font()
    families = [font, "DejaVu Sans"] if font else ["DejaVu Sans"]
    settings = {
        "font.family": "sans-serif",
        "font.sans-serif": families,
        "axes.unicode_minus": False,
        "svg.fonttype": "none",
        "svg.hashsalt": svg_salt or "branch-roster",
        "pdf.fonttype": 42,
        "axes.spines.top": False,
        "axes.spines.right": False,
    }
    with rc_context(settings), warnings.catch_warnings():  # type: ignore[arg-type]
        warnings.filterwarnings("ignore", message="Glyph .* missing from")
        warnings.filterwarnings("ignore", message="Matplotlib currently does not support")
        yield


def _hour_axis(ax: Axes, stamps: list[pd.Timestamp], labels: Labels) -> None:
    """Ticks at the first open hour of each day, labelled with the date and weekday."""
    ticks, names, last = [], [], None
    for i, ts in enumerate(stamps):
        if ts.date() != last:
            ticks.append(i)
            names.append(labels.day(ts.date()))
            if i:
                ax.axvline(i - 0.5, color="#cccccc", linewidth=0.8)
            last = ts.date()
    ax.set_xticks(ticks, names, fontsize=8)
    ax.set_xlim(-0.5, max(len(stamps) - 0.5, 0.5))


def held_hours(view: RosterView) -> dict[tuple[pd.Timestamp, str], float]:
    """Staff holding each post in each clock hour (fractions for part hours)."""
    held: dict[tuple[pd.Timestamp, str], float] = defaultdict(float)
    for b in view.blocks:
        if b.activity != "post" or not b.post:
            continue
        m = b.start - b.start % 60
        while m < b.end:
            overlap = min(b.end, m + 60) - max(b.start, m)
            if overlap > 0:
                stamp = pd.Timestamp(dt.datetime.combine(b.day, dt.time())) + pd.Timedelta(
                    minutes=m
                )
                held[(stamp, b.post)] += overlap / 60
            m += 60
    return held


def capacity_per_hour(view: RosterView, stamps: list[pd.Timestamp]) -> list[float]:
    """Customers per hour the staff on post can serve, summed over channels.

    A channel's capacity is the staff on the posts serving it times ``60 / aht`` times
    ``1 - shrinkage``; a post serving several channels counts for each in equal shares.
    """
    cfg = view.config
    held = held_hours(view)
    rate = {c.id: 60 / c.aht_minutes * (1 - c.shrinkage) for c in cfg.channels}
    out = []
    for stamp in stamps:
        total = 0.0
        for post in cfg.posts:
            channels = [c for c in post.channels if c in rate]
            staff = held.get((stamp, post.id), 0.0)
            for c in channels:
                total += staff / len(channels) * rate[c]
        out.append(total)
    return out


def draw_demand(ax: Axes, forecast: pd.DataFrame | None, view: RosterView, labels: Labels) -> bool:
    """Forecast customers per hour (with the 80% band) against the staffed capacity."""
    if forecast is None or not len(forecast):
        return False
    fc = forecast.copy()
    fc["ds"] = pd.to_datetime(fc["ds"])
    dates = set(view.dates)
    fc = fc[[d in dates for d in fc["ds"].dt.date]]
    if not len(fc):
        return False
    cols = ["mean"] + [c for c in ("lo-80", "hi-80") if c in fc.columns]
    per_hour = fc.groupby("ds")[cols].sum().astype(float).sort_index()
    stamps = list(per_hour.index)
    x = list(range(len(stamps)))
    if "lo-80" in per_hour and "hi-80" in per_hour:
        ax.fill_between(
            x,
            per_hour["lo-80"],
            per_hour["hi-80"],
            color="#90caf9",
            alpha=0.5,
            label=labels("forecast_band"),
            step="mid",
        )
    ax.step(x, per_hour["mean"], where="mid", color="#1565c0", label=labels("forecast_mean"))
    ax.step(
        x,
        capacity_per_hour(view, stamps),
        where="mid",
        color="#c62828",
        label=labels("capacity"),
    )
    ax.set_ylabel(labels("customers_per_hour"))
    ax.set_ylim(bottom=0)
    _hour_axis(ax, stamps, labels)
    ax.legend(loc="upper right", fontsize=8)
    ax.set_title(labels("chart_demand"))
    return True


def draw_wait(ax: Axes, simulation: pd.DataFrame | None, view: RosterView, labels: Labels) -> bool:
    """Predicted mean wait per hour and channel from the day simulation."""
    if simulation is None or not len(simulation):
        return False
    sim = simulation.copy()
    sim["ds"] = pd.to_datetime(sim["ds"])
    dates = set(view.dates)
    sim = sim[[d in dates for d in sim["ds"].dt.date]]
    if not len(sim):
        return False
    stamps = sorted(sim["ds"].unique())
    index = {ts: i for i, ts in enumerate(stamps)}
    order = [c.id for c in view.config.channels]
    channels = sorted(sim["channel"].astype(str).unique(), key=lambda c: (c not in order, c))
    for channel in channels:
        rows = sim[sim["channel"].astype(str) == channel].sort_values("ds")
        x = [index[ts] for ts in rows["ds"]]
        ax.plot(
            x,
            rows["mean_wait_min"].astype(float),
            marker=".",
            linewidth=1.2,
            label=labels.channel(channel),
        )
    ax.set_ylabel(labels("wait_minutes"))
    ax.set_ylim(bottom=0)
    _hour_axis(ax, [pd.Timestamp(s) for s in stamps], labels)
    ax.legend(loc="upper right", fontsize=8, ncol=min(len(channels), 5))
    ax.set_title(labels("chart_wait"))
    return True


_TEXT_AS_TEXT: ContextVar[bool] = ContextVar("text_as_text", default=False)
"""True while drawing an SVG whose text the browser renders with its own fonts."""


def person_label(staff_id: str, name: str) -> str:
    """How a person is named on a chart: id and name, or the id alone for an image.

    An image (PNG/PDF) shows only the id when the name needs a CJK font and none is
    installed; an SVG keeps the name, since the browser supplies its own fonts.
    """
    if not _TEXT_AS_TEXT.get() and cjk_font() is None and any(ord(ch) > 0x2E80 for ch in name):
        return staff_id
    return f"{staff_id} {name}"


def gantt_rows(view: RosterView) -> list[tuple[str, str]]:
    """People shown on the Gantt chart: those who work at least once, in roster order."""
    working = {b.staff_id for b in view.blocks} | {s.staff_id for s in view.shifts}
    return [(sid, name) for sid, name in view.staff if sid in working]


def draw_gantt(ax: Axes, view: RosterView, labels: Labels) -> bool:
    """The roster as bars per person across the days, coloured by post."""
    rows = gantt_rows(view)
    if not rows:
        return False
    lo = min(b.start for b in view.blocks) if view.blocks else 8 * 60
    hi = max(b.end for b in view.blocks) if view.blocks else 18 * 60
    lo, hi = lo - lo % 60, hi + (-hi) % 60
    width = (hi - lo) / 60 + 1  # hours per day panel, with an hour's gap
    colour = {p.id: p.colour for p in view.config.posts}
    y_of = {sid: i for i, (sid, _) in enumerate(rows)}
    day_index = {d: i for i, d in enumerate(view.dates)}
    bars: dict[tuple[str, str | None], list[list[tuple[float, float]]]] = defaultdict(list)
    for b in view.blocks:
        if b.staff_id not in y_of or b.day not in day_index:
            continue
        style: tuple[str, str | None]
        if b.activity == "post":
            style = (colour.get(b.post, "#9e9e9e"), None)
        elif b.activity == "break":
            style = (BREAK_COLOUR, "//")
        else:
            style = (FREE_COLOUR, "..")
        x0 = day_index[b.day] * width + (b.start - lo) / 60
        x1, y = x0 + b.minutes / 60, y_of[b.staff_id]
        bars[style].append([(x0, y - 0.4), (x1, y - 0.4), (x1, y + 0.4), (x0, y + 0.4)])
    for (face, hatch), verts in bars.items():  # one collection per style: fast with many bars
        ax.add_collection(
            PolyCollection(verts, facecolors=face, edgecolors="white", linewidths=0.5, hatch=hatch)
        )
    ax.set_yticks(range(len(rows)), [person_label(s, n) for s, n in rows], fontsize=8)
    ax.set_ylim(len(rows) - 0.5, -0.5)
    ticks, names = [], []
    for i in range(len(view.dates)):
        for m in range(lo, hi + 1, 120 if hi - lo > 6 * 60 else 60):
            ticks.append(i * width + (m - lo) / 60)
            names.append(f"{m // 60:02d}")
    ax.set_xticks(ticks, names, fontsize=7)
    ax.set_xlim(-0.2, len(view.dates) * width - 0.8)
    for i, day in enumerate(view.dates):
        if i:
            ax.axvline(i * width - 0.5, color="#cccccc", linewidth=0.8)
        centre = i * width + (hi - lo) / 120
        ax.text(centre, -0.7, labels.day(day), ha="center", va="bottom", fontsize=9)
    used = [p for p in view.config.posts if any(b.post == p.id for b in view.blocks)]
    handles = [Patch(facecolor=p.colour, label=labels.post(p.id)) for p in used]
    handles.append(Patch(facecolor=BREAK_COLOUR, hatch="//", label=labels("break_short")))
    handles.append(Patch(facecolor=FREE_COLOUR, hatch="..", label=labels("free_short")))
    ax.legend(
        handles=handles, loc="center left", bbox_to_anchor=(1.0, 0.5), fontsize=8, frameon=False
    )
    ax.set_title(labels("chart_gantt"), pad=24)
    return True


def draw_penalties(ax: Axes, view: RosterView, labels: Labels) -> bool:
    """Total penalty per rule, largest first (a note when there is none)."""
    by_rule = view.result.penalties_by_rule()
    ax.set_title(labels("chart_penalties"))
    if not len(by_rule):
        ax.text(0.5, 0.5, labels("no_penalties"), ha="center", va="center")
        ax.set_axis_off()
        return True
    rules = [str(r) for r in by_rule["rule"]][::-1]
    costs = [float(c) for c in by_rule["cost"]][::-1]
    bars = ax.barh(rules, costs, color="#ef6c00")
    ax.bar_label(bars, labels=[f"{c:g}" for c in costs], fontsize=8, padding=2)
    ax.set_xlabel(labels("cost"))
    ax.tick_params(axis="y", labelsize=8)
    return True


@dataclass(frozen=True)
class Chart:
    """One chart of the report.

    Attributes:
        key: Identifier (``demand``, ``wait``, ``gantt``, ``penalties``), used as HTML id.
        height: Height in inches at a width of 12 inches.
        draw: Draws the chart into an ``Axes``; returns False when it has no data.
        note: Why the chart is left out when it has no data.
        available: Whether its input was given at all.
    """

    key: str
    height: float
    draw: Callable[[Axes], bool]
    note: str = ""
    available: bool = True


def report_charts(
    view: RosterView,
    labels: Labels,
    *,
    forecast: pd.DataFrame | None = None,
    simulation: pd.DataFrame | None = None,
) -> list[Chart]:
    """The report's charts in display order."""
    people = len(gantt_rows(view))
    return [
        Chart(
            "demand",
            3.6,
            lambda ax: draw_demand(ax, forecast, view, labels),
            labels("note_no_forecast"),
            forecast is not None,
        ),
        Chart(
            "wait",
            3.2,
            lambda ax: draw_wait(ax, simulation, view, labels),
            labels("note_no_simulation"),
            simulation is not None,
        ),
        Chart("gantt", 1.6 + 0.32 * max(people, 1), lambda ax: draw_gantt(ax, view, labels)),
        Chart(
            "penalties",
            1.2 + 0.35 * max(len(view.result.penalties_by_rule()), 2),
            lambda ax: draw_penalties(ax, view, labels),
        ),
    ]


def chart_svg(chart: Chart) -> str | None:
    """The chart as an SVG element (text kept as text), or ``None`` without data."""
    token = _TEXT_AS_TEXT.set(True)
    try:
        return _chart_svg(chart)
    finally:
        _TEXT_AS_TEXT.reset(token)


def _chart_svg(chart: Chart) -> str | None:
    with chart_style(svg_salt=chart.key):
        fig = Figure(figsize=(12, chart.height))
        FigureCanvasAgg(fig)
        ax = fig.add_subplot()
        if not chart.draw(ax):
            return None
        fig.tight_layout()
        buffer = io.StringIO()
        fig.savefig(buffer, format="svg")
    svg = buffer.getvalue()
    svg = svg[svg.index("<svg") :]
    svg = re.sub(r'\swidth="[^"]*pt"\s+height="[^"]*pt"', "", svg, count=1)
    return svg


def write_chart_images(
    charts: list[Chart], *, png: str | Path | None = None, pdf: str | Path | None = None
) -> dict[str, Path]:
    """Write the charts with data as one tall PNG and as a PDF with a page per chart.

    Returns:
        The files written: ``png`` and/or ``pdf``.
    """
    out: dict[str, Path] = {}
    with chart_style():
        if png is not None:
            shown = [c for c in charts if c.available]
            notes = [c.note for c in charts if not c.available]
            top = 0.3 * len(notes)
            heights = [c.height for c in shown]
            fig = Figure(figsize=(12, sum(heights) + top), dpi=110)
            FigureCanvasAgg(fig)
            axes = fig.subplots(
                len(shown), 1, gridspec_kw={"height_ratios": heights}, squeeze=False
            )
            for chart, ax in zip(shown, axes[:, 0], strict=True):
                if not chart.draw(ax):
                    ax.set_axis_off()
                    ax.text(0.5, 0.5, chart.note, ha="center", va="center", color="#666666")
            for i, note in enumerate(notes):
                fig.text(0.01, 1 - (i + 0.7) * 0.3 / fig.get_figheight(), note, color="#666666")
            fig.tight_layout(rect=(0, 0, 1, 1 - top / fig.get_figheight()))
            with atomic_path(png) as tmp:
                fig.savefig(tmp, format="png")
            out["png"] = Path(png)
        if pdf is not None:
            with atomic_path(pdf) as tmp, PdfPages(tmp) as pages:
                for chart in charts:
                    fig = Figure(figsize=(11.69, max(chart.height, 4.0)))
                    FigureCanvasAgg(fig)
                    if chart.draw(fig.add_subplot()):
                        fig.tight_layout()
                        pages.savefig(fig)
            out["pdf"] = Path(pdf)
    return out
