"""The roster workbook, read back with openpyxl, shows the roster exactly."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import openpyxl
import pytest
from openpyxl.worksheet.worksheet import Worksheet

from scheduler.calendar import Horizon
from scheduler.domain import Availability
from scheduler.reports.labels import Labels
from scheduler.reports.view import build_view
from scheduler.reports.workbook import display_width, wrapped_lines, write_workbook

from . import fixtures as fx


@pytest.fixture(scope="module")
def book_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("wb") / "roster.xlsx"
    return write_workbook(fx.result(), fx.config(), path, availability=fx.availability())


@pytest.fixture(scope="module")
def book(book_path: Path) -> openpyxl.Workbook:
    return openpyxl.load_workbook(book_path)


def _grid(sheet: Worksheet) -> dict[tuple[str, str], str]:
    """(staff_id, day heading) -> cell text of a week sheet."""
    heads = [c.value for c in sheet[2]]
    out = {}
    for row in sheet.iter_rows(min_row=3, values_only=True):
        if row[0] is None or not str(row[0]).startswith("S"):
            continue
        for col, head in enumerate(heads[2:-1], start=2):
            out[(row[0], head)] = row[col]
    return out


def test_sheets_in_order_with_chinese_names(book: openpyxl.Workbook) -> None:
    """The workbook holds the week grid, coverage, people and rule report, in Chinese."""
    assert book.sheetnames == ["第49周", "岗位覆盖", "人员汇总", "规则报告"]


def test_week_cell_shows_shift_and_posts_hour_by_hour(book: openpyxl.Workbook) -> None:
    """A day cell gives the shift times, then each post, break and free block with its times."""
    grid = _grid(book["第49周"])
    assert grid[("S04", "11-30 周一")] == (
        "08:30-17:30\n08:30-12:00 高柜柜员 12-13 休 13:00-17:30 低柜柜员"
    )
    assert grid[("S04", "12-01 周二")] == (
        "08:30-17:30\n08:30-09:00 机动 09-11 高柜柜员 11-12 休 12:00-17:30 高柜柜员"
    )
    assert grid[("S02", "12-02 周三")] == "08:30-13:00\n08:30-13:00 运营主管"
    assert grid[("S03", "11-30 周一")] == "休息"
    assert grid[("S08", "12-01 周二")] == "年假"


def test_every_assignment_appears_in_the_grid(book: openpyxl.Workbook) -> None:
    """Every post block of the roster is written in its person's cell for its day."""
    grid = _grid(book["第49周"])
    labels = Labels("zh", fx.config())
    for staff_id, day, _, blocks in fx.PLAN:
        text = grid[(staff_id, labels.day(day))]
        for _, _, activity, post in blocks:
            if activity == "post":
                assert labels.post(post) in text


def test_cells_coloured_by_main_post(book: openpyxl.Workbook) -> None:
    """A cell takes the colour of the post held longest that day (4.5 h non-cash > 3.5 h cash)."""
    sheet = book["第49周"]
    rows = {sheet.cell(r, 1).value: r for r in range(3, sheet.max_row + 1)}
    monday = sheet.cell(rows["S04"], 3)
    tuesday = sheet.cell(rows["S04"], 4)
    assert monday.fill.fgColor.rgb == "00EF6C00"  # non-cash teller
    assert tuesday.fill.fgColor.rgb == "00C62828"  # cash teller
    assert sheet.cell(rows["S08"], 3).fill.fgColor.rgb == "002E7D32"  # lobby


def test_legend_lists_every_post_with_its_colour(book: openpyxl.Workbook) -> None:
    """The legend names each post on its own colour, so managers can read the grid."""
    sheet = book["第49周"]
    cells = {sheet.cell(r, 2).value: sheet.cell(r, 2) for r in range(3, sheet.max_row + 1)}
    for post in fx.config().posts:
        assert cells[post.name_zh].fill.fgColor.rgb == "00" + post.colour[1:].upper()


def test_week_hours_match_the_shifts(book: openpyxl.Workbook) -> None:
    """The week-hours column is the sum of paid shift hours (S01: two 8 h days)."""
    sheet = book["第49周"]
    hours = {
        row[0]: row[5]
        for row in sheet.iter_rows(min_row=3, values_only=True)
        if row[0] in fx.PEOPLE
    }
    assert hours == {"S01": 16, "S02": 12.5, "S04": 16, "S08": 9.5}


def test_people_sheet_matches_people_frame_and_totals(book: openpyxl.Workbook) -> None:
    """Per-person figures are those of the people frame and the total row adds them up."""
    sheet = book["人员汇总"]
    rows = list(sheet.iter_rows(min_row=3, values_only=True))
    people = fx.people(fx.config())
    assert [r[0] for r in rows[:-1]] == list(people["staff_id"])
    assert [r[2] for r in rows[:-1]] == list(people["paid_hours"])
    assert [r[8] for r in rows[:-1]] == list(people["labour_cost"])
    total = rows[-1]
    assert total[0] == "合计"
    assert total[2] == people["paid_hours"].sum() == 54
    assert total[4] == people["days_worked"].sum() == 8
    assert total[8] == round(people["labour_cost"].sum(), 2)


def test_coverage_sheet_marks_every_shortfall(book: openpyxl.Workbook) -> None:
    """Each hour and post with fewer staff than required is red, and only those."""
    sheet = book["岗位覆盖"]
    posts = [sheet.cell(2, c).value for c in range(3, sheet.max_column, 2)]
    assert posts == ["网点负责人", "运营主管", "大堂经理", "高柜柜员"]
    red = set()
    for r in range(4, sheet.max_row + 1):
        for c in range(4, sheet.max_column, 2):
            if sheet.cell(r, c).fill.fgColor.rgb == "00FFC7CE":
                red.add(
                    (sheet.cell(r, 1).value.date(), sheet.cell(r, 2).value, posts[(c - 4) // 2])
                )
    cov = fx.coverage()
    short = cov[cov["assigned"] < cov["required"]]
    expected = {
        (d, f"{ds:%H:%M}", fx.config().post(p).name_zh)
        for d, ds, p in zip(short["date"], short["ds"], short["post"], strict=True)
    }
    assert red == expected
    assert len(red) == 54
    note = sheet.cell(sheet.max_row, 1).value
    assert note == "红色: 已排人数少于需求 (共缺 54 人时)"


def test_rule_report_lists_solver_figures_penalties_and_warnings(
    book: openpyxl.Workbook,
) -> None:
    """The rule report states status, objective, bound and gap, and every penalty sentence."""
    sheet = book["规则报告"]
    values = [c for row in sheet.iter_rows(values_only=True) for c in row if c is not None]
    figures = {row[0]: row[1] for row in sheet.iter_rows(min_row=3, max_row=11, values_only=True)}
    assert figures["状态"] == "FEASIBLE"
    assert figures["目标值"] == 110
    assert figures["最优下界"] == 100
    assert figures["相对差距"] == "9.09%"
    for p in fx.PENALTIES:
        assert p.message in values
    assert fx.result().warnings[0] in values


def test_print_layout_one_a4_landscape_page_with_frozen_headers(
    book: openpyxl.Workbook,
) -> None:
    """Every sheet prints on one A4 landscape page and keeps its headers in view."""
    for sheet in book.worksheets:
        assert sheet.page_setup.orientation == "landscape"
        assert int(sheet.page_setup.paperSize) == 9  # A4
        assert sheet.sheet_properties.pageSetUpPr.fitToPage is True
        assert (sheet.page_setup.fitToWidth, sheet.page_setup.fitToHeight) == (1, 1)
    assert book["第49周"].freeze_panes == "C3"
    assert book["岗位覆盖"].freeze_panes == "C4"


def test_english_labels(tmp_path: Path) -> None:
    """With lang="en" every heading, post name and sheet name is English."""
    path = write_workbook(fx.result(), fx.config(), tmp_path / "r.xlsx", lang="en")
    book = openpyxl.load_workbook(path)
    assert book.sheetnames == ["Week 49", "Coverage", "People", "Rule report"]
    grid = _grid(book["Week 49"])
    assert grid[("S04", "11-30 Mon")] == (
        "08:30-17:30\n08:30-12:00 Cash teller 12-13 break 13:00-17:30 Non-cash teller"
    )
    assert grid[("S05", "11-30 Mon")] == "Off"


def test_one_week_sheet_per_iso_week(tmp_path: Path) -> None:
    """A two-week horizon gives two week sheets, each with its own seven days."""
    res = dataclasses.replace(fx.result(), horizon=Horizon(fx.START, 14))
    book = openpyxl.load_workbook(write_workbook(res, fx.config(), tmp_path / "r.xlsx"))
    assert book.sheetnames[:2] == ["第49周", "第50周"]
    assert [c.value for c in book["第50周"][2]][2:9] == [
        "12-07 周一",
        "12-08 周二",
        "12-09 周三",
        "12-10 周四",
        "12-11 周五",
        "12-12 周六",
        "12-13 周日",
    ]


def test_failed_write_leaves_no_file(tmp_path: Path) -> None:
    """An unknown language fails before anything is written."""
    with pytest.raises(ValueError, match="zh or en"):
        write_workbook(fx.result(), fx.config(), tmp_path / "r.xlsx", lang="fr")
    assert list(tmp_path.iterdir()) == []


def test_view_reads_csv_style_frames() -> None:
    """Frames read back from CSV (text dates and times) give the same roster as the solver's."""
    res = fx.result()
    text = dataclasses.replace(
        res,
        assignments=res.assignments.astype(str),
        shifts=res.shifts.astype(str),
    )
    a = build_view(res, fx.config())
    b = build_view(text, fx.config())
    assert a.days == b.days


def test_wrapped_lines_count_wide_characters_twice() -> None:
    """Row heights fit the text: Chinese characters take two columns of a wrapping cell."""
    assert display_width("08:30 高柜柜员") == 14
    assert wrapped_lines("08:30-17:30\n" + "高" * 13, 26) == 3  # 26 wide on a 25-wide line
    assert wrapped_lines("休息", 26) == 1


def test_unapproved_leave_is_marked(tmp_path: Path) -> None:
    """Leave not yet approved shows as such, so the manager does not take it as granted."""
    pending = fx.LEAVE.model_copy(update={"approved": False})
    path = write_workbook(
        fx.result(), fx.config(), tmp_path / "r.xlsx", availability=Availability(leave=[pending])
    )
    grid = _grid(openpyxl.load_workbook(path)["第49周"])
    assert grid[("S08", "12-01 周二")] == "年假 (未批准)"


def test_rule_descriptions_follow_the_language(tmp_path: Path) -> None:
    """Each rule in the report is explained in the workbook's language."""
    found = {}
    for lang in ("zh", "en"):
        path = write_workbook(fx.result(), fx.config(), tmp_path / f"{lang}.xlsx", lang=lang)
        sheet = openpyxl.load_workbook(path).worksheets[-1]
        rows = [r for r in sheet.iter_rows(values_only=True) if r[0] == "coverage_under"]
        found[lang] = rows[0][1]  # the by-rule table comes before the detail
    assert found == {
        "zh": "各岗位每小时需要的人数到岗(按多等候时间加权)",
        "en": "staff needed per post per hour are present (weighted by extra wait)",
    }


def test_staff_working_per_day_and_total_hours(book: openpyxl.Workbook) -> None:
    """Below the people, each day shows how many work, and the week's paid hours add up."""
    sheet = book["第49周"]
    row = next(r for r in sheet.iter_rows(min_row=3, values_only=True) if r[1] == "上班人数")
    assert row[2:6] == (4, 2, 2, 54)
