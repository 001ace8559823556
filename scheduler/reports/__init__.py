"""Files people use: the roster workbook, per-person calendars, the HTML report and charts.

Example:
    >>> from scheduler.reports import write_all
    >>> files = write_all(result, config, "out", lang="en")  # doctest: +SKIP
    >>> sorted(files)[:3]  # doctest: +SKIP
    ['calendar:S01', 'calendar:S02', 'calendar:S03']
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd

from scheduler.domain import Availability, BranchConfig
from scheduler.reports.charts import cjk_font, report_charts, write_chart_images
from scheduler.reports.html import render_html, write_html_report
from scheduler.reports.ics import write_calendars
from scheduler.reports.labels import Labels, check_lang
from scheduler.reports.view import build_view
from scheduler.reports.workbook import build_workbook, write_workbook
from scheduler.roster.result import RosterResult

FILE_NAMES = {
    "workbook": "roster.xlsx",
    "report": "report.html",
    "png": "report.png",
    "pdf": "report.pdf",
}
"""Names of the files :func:`write_all` writes in its folder (calendars go to ``calendars/``)."""

CALENDAR_FOLDER = "calendars"
"""Sub-folder holding one ``<staff_id>.ics`` per person."""


def remove_reports(folder: str | Path) -> list[Path]:
    """Delete the files :func:`write_all` writes from ``folder``; returns what was removed.

    A run that ends without a roster writes no reports: an earlier run's workbook, report
    and calendars must not stay beside its answer, where a manager would open them.
    """
    folder = Path(folder)
    gone = [folder / name for name in FILE_NAMES.values() if (folder / name).is_file()]
    calendars = folder / CALENDAR_FOLDER
    if calendars.is_dir():
        gone += sorted(calendars.glob("*.ics"))
    for path in gone:
        path.unlink()
    if calendars.is_dir() and not any(calendars.iterdir()):
        calendars.rmdir()
    return gone


def write_all(
    result: RosterResult,
    config: BranchConfig,
    folder: str | Path,
    *,
    availability: Availability | None = None,
    forecast: pd.DataFrame | None = None,
    requirements: pd.DataFrame | None = None,
    simulation: pd.DataFrame | None = None,
    lang: str = "zh",
    generated: dt.datetime | None = None,
) -> dict[str, Path]:
    """Write every file people use for a roster into ``folder``.

    Writes ``roster.xlsx`` (workbook), ``calendars/<staff_id>.ics`` (one per person),
    ``report.html`` (self-contained page) and ``report.png``/``report.pdf`` (the charts).
    Charts whose input is ``None`` are left out with a note. Each file is written atomically.
    When no font with Chinese glyphs is installed, the PNG and PDF are drawn in English.

    Args:
        result: The roster.
        config: The branch configuration.
        folder: Output folder (created if needed).
        availability: Leave shown in the grid and the calendars.
        forecast: Forecast frame for the demand-vs-capacity chart.
        requirements: Requirement frame: the reason for each shortfall in the report.
        simulation: Day-simulation frame for the predicted-wait chart.
        lang: ``zh`` (default) or ``en``.
        generated: Generation time (calendar ``DTSTAMP``, report footer); now by default.

    Returns:
        Paths by kind: ``workbook``, ``report``, ``png``, ``pdf`` and ``calendar:<staff_id>``.

    Raises:
        ValueError: For a language other than ``zh`` or ``en``.
    """
    check_lang(lang)
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    generated = generated or dt.datetime.now(dt.UTC)
    out: dict[str, Path] = {}
    out["workbook"] = write_workbook(
        result, config, folder / FILE_NAMES["workbook"], availability=availability, lang=lang
    )
    calendars = write_calendars(
        result,
        config,
        folder / CALENDAR_FOLDER,
        availability=availability,
        lang=lang,
        stamp=generated if generated.tzinfo else generated.replace(tzinfo=dt.UTC),
    )
    out.update({f"calendar:{staff_id}": path for staff_id, path in calendars.items()})
    local = (
        generated.astimezone(_zone(config)).replace(tzinfo=None) if generated.tzinfo else generated
    )
    out["report"] = write_html_report(
        result,
        config,
        folder / FILE_NAMES["report"],
        availability=availability,
        forecast=forecast,
        requirements=requirements,
        simulation=simulation,
        lang=lang,
        generated=local,
    )
    # Without a CJK font, Chinese chart text would print as empty boxes in PNG/PDF: draw the
    # images in English then (the HTML page keeps its language; the browser has the fonts).
    labels = Labels(lang if lang == "en" or cjk_font() else "en", config)
    charts = report_charts(
        build_view(result, config, availability), labels, forecast=forecast, simulation=simulation
    )
    out.update(
        write_chart_images(charts, png=folder / FILE_NAMES["png"], pdf=folder / FILE_NAMES["pdf"])
    )
    return out


def _zone(config: BranchConfig) -> dt.tzinfo:
    from zoneinfo import ZoneInfo

    return ZoneInfo(config.branch.timezone)


__all__ = [
    "CALENDAR_FOLDER",
    "FILE_NAMES",
    "build_workbook",
    "render_html",
    "write_all",
    "write_calendars",
    "write_chart_images",
    "write_html_report",
    "write_workbook",
]
