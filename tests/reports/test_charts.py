"""The report's charts: capacity arithmetic, left-out charts and the PNG/PDF export."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd
import pytest

from scheduler.reports.charts import (
    capacity_per_hour,
    chart_svg,
    gantt_rows,
    held_hours,
    report_charts,
    write_chart_images,
)
from scheduler.reports.labels import Labels
from scheduler.reports.view import RosterView, build_view

from . import fixtures as fx


@pytest.fixture(scope="module")
def view() -> RosterView:
    return build_view(fx.result(), fx.config())


def _at(day: dt.date, hour: int, minute: int = 0) -> pd.Timestamp:
    return pd.Timestamp(dt.datetime.combine(day, dt.time(hour, minute)))


def test_held_hours_counts_part_hours(view: RosterView) -> None:
    """Someone starting at 12:30 holds the lobby for half of the 12:00 hour."""
    held = held_hours(view)
    assert held[(_at(fx.MON, 12), "lobby")] == 0.5
    assert held[(_at(fx.MON, 13), "lobby")] == 1.0
    assert held[(_at(fx.MON, 8), "cash_teller")] == 0.5  # 08:30-09:00
    assert (_at(fx.MON, 12), "cash_teller") not in held  # S04's lunch break


def test_capacity_is_staff_times_service_rate(view: RosterView) -> None:
    """Capacity = staff on the channel's posts x 60 / handling minutes x (1 - shrinkage)."""
    cap = capacity_per_hour(view, [_at(fx.MON, 10), _at(fx.MON, 14), _at(fx.MON, 12)])
    # 10:00 one cash teller: 60/6*0.9 = 9; 14:00 non-cash 60/12*0.9 = 4.5 + lobby 60/3*0.85 = 17
    assert cap == pytest.approx([9.0, 21.5, 8.5])


def test_gantt_shows_only_people_who_work(view: RosterView) -> None:
    """The Gantt chart has a row for each person with a shift, in roster order."""
    assert [sid for sid, _ in gantt_rows(view)] == ["S01", "S02", "S04", "S08"]


def test_missing_inputs_leave_charts_out_with_a_note(view: RosterView) -> None:
    """Without forecast or simulation those charts are not drawn and carry a note instead."""
    charts = report_charts(view, Labels("en", fx.config()))
    by_key = {c.key: c for c in charts}
    assert [c.key for c in charts] == ["demand", "wait", "gantt", "penalties"]
    assert chart_svg(by_key["demand"]) is None
    assert chart_svg(by_key["wait"]) is None
    assert (
        by_key["demand"].note
        == "No forecast was given, so the demand-vs-capacity chart is left out."
    )
    assert by_key["gantt"].available and not by_key["demand"].available


def test_svg_keeps_text_as_text(view: RosterView) -> None:
    """SVG charts keep labels as text, so the browser renders Chinese names and post names."""
    charts = report_charts(view, Labels("zh", fx.config()))
    svg = chart_svg(charts[2])
    assert svg is not None and svg.startswith("<svg")
    assert "王建国" in svg and "排班甘特图" in svg


def test_png_and_pdf_written(tmp_path: Path, view: RosterView) -> None:
    """The export writes a PNG and a PDF with one page per chart that has data."""
    charts = report_charts(
        view, Labels("zh", fx.config()), forecast=fx.forecast(), simulation=fx.simulation()
    )
    out = write_chart_images(charts, png=tmp_path / "r.png", pdf=tmp_path / "r.pdf")
    assert out == {"png": tmp_path / "r.png", "pdf": tmp_path / "r.pdf"}
    assert (tmp_path / "r.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    pdf = (tmp_path / "r.pdf").read_bytes()
    assert pdf.startswith(b"%PDF")
    assert pdf.count(b"/Type /Page\n") + pdf.count(b"/Type /Page ") == 4


def test_pdf_leaves_out_charts_without_data(tmp_path: Path, view: RosterView) -> None:
    """Without forecast and simulation the PDF has only the Gantt and penalty pages."""
    charts = report_charts(view, Labels("zh", fx.config()))
    write_chart_images(charts, pdf=tmp_path / "r.pdf")
    pdf = (tmp_path / "r.pdf").read_bytes()
    assert pdf.count(b"/Type /Page\n") + pdf.count(b"/Type /Page ") == 2
    assert sorted(p.name for p in tmp_path.iterdir()) == ["r.pdf"]


def test_without_cjk_font_images_use_ids_but_svg_keeps_names(
    monkeypatch: pytest.MonkeyPatch, view: RosterView
) -> None:
    """With no Chinese font installed, images name people by id; the browser's SVG keeps names."""
    from scheduler.reports import charts as charts_module

    monkeypatch.setattr(charts_module, "cjk_font", lambda: None)
    assert charts_module.person_label("S01", "王建国") == "S01"
    assert charts_module.person_label("S99", "Anna") == "S99 Anna"
    svg = chart_svg(report_charts(view, Labels("zh", fx.config()))[2])
    assert svg is not None and "S01 王建国" in svg
