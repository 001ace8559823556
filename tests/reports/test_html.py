"""The HTML report: self-contained, complete, and rendered without errors by a real browser."""

from __future__ import annotations

import datetime as dt
import os
import re
import shutil
import subprocess
import tempfile
from html.parser import HTMLParser
from pathlib import Path

import pytest

from scheduler.reports.html import render_html, write_html_report
from scheduler.reports.labels import Labels
from scheduler.reports.view import build_view

from . import fixtures as fx

GENERATED = dt.datetime(2026, 11, 24, 16, 0)


class _Cells(HTMLParser):
    """Collects ids, the text of roster day cells and of the people table's footer."""

    def __init__(self) -> None:
        super().__init__()
        self.ids: set[str] = set()
        self.cells: dict[tuple[str, str], str] = {}
        self.foot: dict[str, list[str]] = {}
        self._table = ""
        self._cell: tuple[str, str] | None = None
        self._in_foot = False
        self._foot_cell = False
        self.external: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if a.get("id"):
            self.ids.add(str(a["id"]))
        if tag in ("img", "script", "iframe") and a.get("src"):
            self.external.append(str(a["src"]))
        if tag == "link":
            self.external.append(str(a.get("href")))
        if tag == "td" and "day" in (a.get("class") or "").split():
            self._cell = (str(a["data-staff"]), str(a["data-date"]))
            self.cells[self._cell] = ""
        if tag == "table":
            self._table = str(a.get("id") or a.get("class") or "")
        if tag == "tfoot":
            self._in_foot = True
        if tag == "td" and self._in_foot:
            self._foot_cell = True
            self.foot.setdefault(self._table, []).append("")

    def handle_endtag(self, tag: str) -> None:
        if tag == "td":
            self._cell = None
            self._foot_cell = False
        if tag == "tfoot":
            self._in_foot = False

    def handle_data(self, data: str) -> None:
        if self._cell is not None:
            self.cells[self._cell] += data
        if self._foot_cell:
            self.foot[self._table][-1] += data


def _parse(text: str) -> _Cells:
    parser = _Cells()
    parser.feed(text)
    return parser


@pytest.fixture(scope="module")
def page() -> str:
    return render_html(
        fx.result(),
        fx.config(),
        availability=fx.availability(),
        forecast=fx.forecast(),
        requirements=fx.requirements(),
        simulation=fx.simulation(),
        generated=GENERATED,
    )


def test_page_is_self_contained(page: str) -> None:
    """The report opens offline: no linked stylesheet, script, image or font."""
    parsed = _parse(page)
    assert parsed.external == []
    assert not re.search(r"url\((?!#)", page)  # only in-page references (SVG clip paths)
    assert not re.search(r"""(src|href)=["']https?:""", page)


def test_every_assignment_appears_in_the_roster(page: str) -> None:
    """Each person's day cell is the roster's own text for that day, for every person and day."""
    cells = _parse(page).cells
    view = build_view(fx.result(), fx.config(), fx.availability())
    labels = Labels("zh", fx.config())
    assert len(cells) == len(fx.config().staff) * len(fx.HORIZON.dates)
    for staff_id, _ in view.staff:
        for day in view.dates:
            assert cells[(staff_id, day.isoformat())] == view.cell_text(staff_id, day, labels)
    assert cells[("S04", "2026-11-30")] == (
        "08:30-17:30\n08:30-12:00 高柜柜员 12-13 休 13:00-17:30 低柜柜员"
    )


def test_sections_and_charts_present(page: str) -> None:
    """With every input given, the page has each section and all four charts."""
    ids = _parse(page).ids
    for wanted in (
        "report-title",
        "summary",
        "charts",
        "chart-demand",
        "chart-wait",
        "chart-gantt",
        "chart-penalties",
        "roster",
        "legend",
        "coverage",
        "shortfall-table",
        "people",
        "people-table",
        "rules",
        "penalty-table",
        "warnings",
        "js-errors",
        "capacity-note",
    ):
        assert wanted in ids, wanted
    assert "note-demand" not in ids


def test_people_totals_agree_with_people_frame(page: str) -> None:
    """The footer of the people table adds up the people frame (hours, days, cost)."""
    foot = _parse(page).foot["people-table"]
    people = fx.people(fx.config())
    assert foot[0] == "合计"
    assert foot[2] == "54"  # paid hours
    assert foot[4] == str(people["days_worked"].sum())
    assert foot[8] == f"{people['labour_cost'].sum():g}"


def test_roster_footer_counts_staff_working(page: str) -> None:
    """Under the roster grid, each day shows how many work and the week's hours add up."""
    assert _parse(page).foot["roster"] == ["", "上班人数", "4", "2", "2", "54"]


def test_shortfalls_carry_the_requirement_reason(page: str) -> None:
    """Each understaffed hour is listed with why it was required (traffic or a floor)."""
    rows = re.findall(r"<tr><td>2026-12-01 周二</td><td>09:00</td>(.*?)</tr>", page)
    assert rows == [
        "<td>运营主管</td><td class='num'>1</td><td class='num short'>0</td>"
        "<td class='num'>-1</td><td>traffic</td>",
        "<td>大堂经理</td><td class='num'>1</td><td class='num short'>0</td>"
        "<td class='num'>-1</td><td>floor: lobby manager</td>",
    ]


def test_missing_inputs_give_notes_not_errors() -> None:
    """Without forecast, requirements or simulation the page still renders, with notes."""
    page = render_html(fx.result(), fx.config(), lang="en", generated=GENERATED)
    ids = _parse(page).ids
    assert {"note-demand", "note-wait", "note-requirements", "chart-gantt"} <= ids
    assert "chart-demand" not in ids and "chart-wait" not in ids
    assert "capacity-note" not in ids  # explains a chart that is not there
    assert "No forecast was given, so the demand-vs-capacity chart is left out." in page


def test_penalty_sentences_and_solver_figures(page: str) -> None:
    """Every penalty is shown as its sentence, with the solver status and gap."""
    for p in fx.PENALTIES:
        assert p.message in page
    assert '<td id="solver-status">FEASIBLE</td>' in page
    assert '<td id="solver-gap_pct">9.09%</td>' in page


# Browser ---------------------------------------------------------------------------------------

CHROMIUM_FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
    "--enable-logging=stderr",
    "--v=0",
)


def _chromium() -> str:
    path = shutil.which("chromium") or shutil.which("chromium-browser")
    if path is None:
        if os.environ.get("CI") == "true":
            pytest.fail("chromium is required in CI (apt-get install chromium)")
        pytest.skip("chromium is not installed (apt-get install chromium) to run browser tests")
    return path


def _run_chromium(page: Path, *extra: str) -> tuple[str, list[str]]:
    """Load ``page``; return stdout and the console messages the page produced."""
    with tempfile.TemporaryDirectory(prefix="chromium-") as profile:
        proc = subprocess.run(
            [_chromium(), *CHROMIUM_FLAGS, f"--user-data-dir={profile}", *extra, page.as_uri()],
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
    assert proc.returncode == 0, proc.stderr[-2000:]
    console = [
        line for line in proc.stderr.splitlines() if ":CONSOLE" in line and page.name in line
    ]
    return proc.stdout, console


@pytest.mark.browser
def test_browser_detects_console_errors(tmp_path: Path) -> None:
    """The console check catches a failing script, so a clean report means a clean page."""
    bad = tmp_path / "bad.html"
    bad.write_text("<!DOCTYPE html><p>x</p><script>throw new Error('boom')</script>", "utf-8")
    _, console = _run_chromium(bad, "--dump-dom")
    assert len(console) == 1 and "Uncaught Error: boom" in console[0]


@pytest.mark.browser
def test_browser_renders_report_without_errors(tmp_path: Path) -> None:
    """Chromium loads the report with no console error and sees every roster cell and chart."""
    path = write_html_report(
        fx.result(),
        fx.config(),
        tmp_path / "report.html",
        availability=fx.availability(),
        forecast=fx.forecast(),
        requirements=fx.requirements(),
        simulation=fx.simulation(),
        generated=GENERATED,
    )
    dom, console = _run_chromium(path, "--dump-dom")
    assert console == []
    cells = len(fx.config().staff) * len(fx.HORIZON.dates)
    assert f'data-rendered="{cells}"' in dom  # the page's script ran to the end
    assert re.search(r'<pre id="js-errors"></pre>', dom)
    for wanted in ("chart-demand", "chart-wait", "chart-gantt", "chart-penalties", "people-table"):
        assert f'id="{wanted}"' in dom
    assert dom.count("<svg") == 4


@pytest.mark.browser
def test_browser_screenshot_is_not_blank(tmp_path: Path) -> None:
    """A screenshot of the report has drawn content (roster colours), not an empty page."""
    from PIL import Image

    path = write_html_report(fx.result(), fx.config(), tmp_path / "report.html")
    shot = tmp_path / "shot.png"
    _, console = _run_chromium(path, f"--screenshot={shot}", "--window-size=1280,2400")
    assert console == []
    image = Image.open(shot).convert("RGB")
    assert image.size == (1280, 2400)
    colours = {tuple(c) for _, c in image.getcolors(maxcolors=1 << 20) or []}
    lobby_green = (0x2E, 0x7D, 0x32)
    assert lobby_green in colours


def test_summary_cards_and_rule_table(page: str) -> None:
    """The key figures add up the roster; each penalised rule is explained in a table row."""
    cards = dict(re.findall(r'id="card-(\w+)"><div class="value">([^<]*)</div>', page))
    required = len(fx.coverage()) * 1  # one person per open hour and post in the fixture
    assert cards == {
        "people": "4",
        "shifts": "8",
        "hours": "54",
        "short": "54",
        "covered": f"{100 * (1 - 54 / required):.1f}%",
        "penalty": "110",
    }
    assert cards["covered"] == "43.8%"
    assert "<td>coverage_under</td><td>各岗位每小时需要的人数到岗(按多等候时间加权)</td>" in page
