"""Penalty and conflict sentences in the files: Chinese files show Chinese, English files English.

The solver writes every sentence in both languages; a branch manager opening the Chinese rule
report, HTML page, ``penalties.csv`` or ``conflicts.txt`` reads Chinese, and a result folder
written in either language reads back with both sentences.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from pathlib import Path

import pandas as pd
import pytest

from scheduler.calendar import Horizon
from scheduler.reports.html import esc, render_html
from scheduler.reports.result_files import read_result_folder
from scheduler.reports.workbook import build_workbook
from scheduler.roster.files import write_result_files
from scheduler.roster.result import Conflict, Penalty, RosterResult, SolverStats

from . import fixtures as fx

GENERATED = dt.datetime(2026, 11, 24, 16, 0)

PENALTIES = (
    Penalty(
        rule="coverage_under",
        amount=1.0,
        cost=100.0,
        message="Wed 2 Dec 13:00 Cash teller: 0 of 1 staff, 1 short",
        date=fx.WED,
        ds=dt.datetime.combine(fx.WED, dt.time(13)),
        post="cash_teller",
        message_zh="12月2日(周三) 13:00 高柜柜员: 需要 1 人, 已排 0 人, 缺 1 人",
    ),
    Penalty(
        rule="contract_hours",
        amount=2.0,
        cost=20.0,
        message="刘洋 works 2 h less than the 24 contract hours of the horizon",
        staff_id="S04",
        message_zh="刘洋 排班期工时比合同工时 24 小时少 2 小时",
    ),
)
"""Penalties as the solver writes them: English ``message``, Chinese ``message_zh``."""

CONFLICT = Conflict(
    rules=("ab_backup_pair",),
    message="李敏 and 黄丽 are the A/B pair for the Cash teller post and both are away on "
    "Mon 30 Nov to Tue 1 Dec (李敏: annual leave; 黄丽: annual leave); the pair rule needs "
    "one of them at work",
    relaxation="let 李敏 or 黄丽 work on Mon 30 Nov to Tue 1 Dec (move a leave or pin) or name "
    "another B or make ab_backup_pair soft",
    staff_ids=("S02", "S08"),
    dates=(fx.MON, fx.TUE),
    posts=("cash_teller",),
    message_zh="李敏、黄丽 是高柜柜员的A/B角, 11月30日(周一)至12月1日(周二) 两人都不在岗 "
    "(李敏: 年假; 黄丽: 年假); A/B角规则要求至少一人上班",
    relaxation_zh="安排李敏或黄丽 11月30日(周一)至12月1日(周二) 上班 (调整休假或固定安排), "
    "或另设B角, 或把规则 ab_backup_pair 改为软规则",
)
"""A conflict told in both languages."""


WARNINGS = (
    "nobody is qualified for Wealth manager on Wed 2 Dec (马超's expired on 2026-12-01): "
    "8 staff-hours will be short",
    "the availability rule is off: leave and declared windows are ignored",
)
WARNINGS_ZH = (
    "12月2日(周三) 没有人具备理财经理资格 (马超: 资格已于 2026-12-01 到期): 将缺 8 人时",
    "可用时段规则 (availability) 已关闭: 请假和申报的可用时段都不予考虑",
)
"""Warnings as the solver writes them: English ``warnings``, Chinese ``warnings_zh``."""


def _result() -> RosterResult:
    """The fixture roster with two-language penalties, a conflict and warnings to show."""
    return dataclasses.replace(
        fx.result(),
        penalties=PENALTIES,
        conflicts=(CONFLICT,),
        warnings=WARNINGS,
        warnings_zh=WARNINGS_ZH,
    )


def _rule_report(lang: str) -> list[str]:
    """Every text cell of the workbook's rule report sheet."""
    book = build_workbook(_result(), fx.config(), lang=lang)
    sheet = book["规则报告" if lang == "zh" else "Rule report"]
    return [str(c) for row in sheet.iter_rows(values_only=True) for c in row if c is not None]


def test_chinese_rule_report_shows_the_chinese_sentences() -> None:
    """The 规则报告 sheet: each penalty, the conflict and its fix in Chinese, no English."""
    cells = _rule_report("zh")
    for p in PENALTIES:
        assert p.message_zh in cells and p.message not in cells
    assert CONFLICT.message_zh in cells and CONFLICT.message not in cells
    assert f"解决办法: {CONFLICT.relaxation_zh}" in cells


def test_english_rule_report_shows_the_english_sentences() -> None:
    """The English rule report keeps the English sentences."""
    cells = _rule_report("en")
    for p in PENALTIES:
        assert p.message in cells and p.message_zh not in cells
    assert CONFLICT.message in cells and f"To fix: {CONFLICT.relaxation}" in cells


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_html_report_shows_the_sentences_of_its_language(lang: str) -> None:
    """report.html shows the sentences in the page's language, never the other one."""
    page = render_html(_result(), fx.config(), lang=lang, generated=GENERATED)
    other = "en" if lang == "zh" else "zh"
    for p in PENALTIES:
        assert p.message_in(lang) in page and p.message_in(other) not in page
    assert CONFLICT.message_in(lang) in page and CONFLICT.message_in(other) not in page
    assert CONFLICT.relaxation_in(lang) in page


def test_penalties_file_holds_the_english_and_the_chinese_sentence(tmp_path: Path) -> None:
    """penalties.csv: ``message`` in English (as before), ``message_zh`` in Chinese."""
    write_result_files(_result(), tmp_path)
    frame = pd.read_csv(tmp_path / "penalties.csv")
    assert list(frame["message"]) == [p.message for p in PENALTIES]
    assert list(frame["message_zh"]) == [p.message_zh for p in PENALTIES]


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_result_folder_reads_back_with_both_sentences(tmp_path: Path, lang: str) -> None:
    """Written in either language, a folder reads back with both sentences of each penalty.

    So a report can be exported from it in the other language.
    """
    write_result_files(dataclasses.replace(fx.result(), penalties=PENALTIES), tmp_path, lang)
    back = read_result_folder(tmp_path, fx.config()).result
    assert back.penalties == PENALTIES
    other = "en" if lang == "zh" else "zh"
    book = build_workbook(back, fx.config(), lang=other)
    cells = [str(c) for s in book for row in s.iter_rows(values_only=True) for c in row if c]
    assert all(p.message_in(other) in cells for p in PENALTIES)


def test_a_penalties_file_with_one_sentence_reads_it_for_both_languages(tmp_path: Path) -> None:
    """A penalties file without ``message_zh`` still reads: its sentence stands for both.

    As in a folder written before the Chinese sentence existed, or one saved with Chinese
    headers; the person and post it leaves out read as none.
    """
    folder = fx.write_result_csvs(fx.result(), tmp_path)
    (folder / "penalties.csv").write_text(
        "规则,罚分,说明\ncoverage_under,100,12月2日(周三) 13:00 高柜柜员: 缺 1 人\n",
        encoding="utf-8",
    )
    (penalty,) = read_result_folder(folder, fx.config()).result.penalties
    assert penalty.message == penalty.message_zh == "12月2日(周三) 13:00 高柜柜员: 缺 1 人"
    assert (penalty.staff_id, penalty.post) == (None, None)


@pytest.mark.parametrize(
    ("lang", "heading", "fix"),
    [
        ("zh", "没有满足全部硬规则的排班。", "   解决办法: "),
        ("en", "No roster satisfies every hard rule for", "   To make a roster possible: "),
    ],
)
def test_conflicts_file_is_written_and_read_back_in_its_language(
    tmp_path: Path, lang: str, heading: str, fix: str
) -> None:
    """conflicts.txt tells the conflict and its fix in the language asked for, and reads back."""
    cfg = fx.config()
    infeasible = RosterResult(
        cfg.branch.id, Horizon(fx.START, 3), SolverStats("INFEASIBLE"), conflicts=(CONFLICT,)
    )
    write_result_files(infeasible, tmp_path, lang)
    text = (tmp_path / "conflicts.txt").read_text("utf-8")
    assert heading in text.splitlines()[0]
    assert f"1. [ab_backup_pair] {CONFLICT.message_in(lang)}" in text
    assert f"{fix}{CONFLICT.relaxation_in(lang)}" in text
    (back,) = read_result_folder(tmp_path, cfg).result.conflicts
    assert CONFLICT.message_in(lang) in back.message_in(lang)
    assert back.message_in("zh") == back.message_in("en")


def test_a_penalty_built_without_chinese_shows_its_one_sentence() -> None:
    """Callers that give one sentence keep working: it stands for both languages."""
    penalty = Penalty(rule="preferences", amount=1.0, cost=1.0, message="one sentence")
    conflict = Conflict(("post_floor",), "what conflicts", "the fix")
    assert penalty.message_in("zh") == penalty.message_zh == "one sentence"
    assert (conflict.message_zh, conflict.relaxation_zh) == ("what conflicts", "the fix")


# Warnings ------------------------------------------------------------------------------------


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_rule_report_shows_the_warnings_of_its_language(lang: str) -> None:
    """The rule report's 提示/Warnings section: each warning in the workbook's language only."""
    cells = _rule_report(lang)
    shown, other = (WARNINGS_ZH, WARNINGS) if lang == "zh" else (WARNINGS, WARNINGS_ZH)
    assert all(w in cells for w in shown)
    assert not any(w in cells for w in other)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_html_report_shows_the_warnings_of_its_language(lang: str) -> None:
    """report.html lists the warnings in the page's language, never the other one."""
    page = render_html(_result(), fx.config(), lang=lang, generated=GENERATED)
    shown, other = (WARNINGS_ZH, WARNINGS) if lang == "zh" else (WARNINGS, WARNINGS_ZH)
    assert all(f"<li>{esc(w)}</li>" in page for w in shown)
    assert not any(esc(w) in page for w in other)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_summary_json_holds_both_warnings_and_reads_back(tmp_path: Path, lang: str) -> None:
    """summary.json: ``warnings`` in English (as before), ``warnings_zh`` in Chinese beside it.

    Written in either language, the folder reads back with both.
    """
    write_result_files(_result(), tmp_path, lang)
    summary = json.loads((tmp_path / "summary.json").read_text("utf-8"))
    assert (summary["warnings"], summary["warnings_zh"]) == (list(WARNINGS), list(WARNINGS_ZH))
    back = read_result_folder(tmp_path, fx.config()).result
    assert (back.warnings, back.warnings_zh) == (WARNINGS, WARNINGS_ZH)


def test_summary_json_without_chinese_warnings_reads_the_english_for_both(tmp_path: Path) -> None:
    """A summary.json written before ``warnings_zh`` existed: its warnings stand for both."""
    write_result_files(_result(), tmp_path)
    path = tmp_path / "summary.json"
    summary = json.loads(path.read_text("utf-8"))
    del summary["warnings_zh"]
    path.write_text(json.dumps(summary, ensure_ascii=False), encoding="utf-8")
    back = read_result_folder(tmp_path, fx.config()).result
    assert back.warnings_in("zh") == back.warnings_in("en") == WARNINGS


def test_an_infeasible_result_keeps_both_warnings_through_its_folder(tmp_path: Path) -> None:
    """No roster: summary.json alone carries the warnings, in both languages."""
    infeasible = RosterResult(
        fx.config().branch.id,
        Horizon(fx.START, 3),
        SolverStats("INFEASIBLE"),
        conflicts=(CONFLICT,),
        warnings=WARNINGS,
        warnings_zh=WARNINGS_ZH,
    )
    write_result_files(infeasible, tmp_path)
    back = read_result_folder(tmp_path, fx.config()).result
    assert (back.warnings, back.warnings_zh) == (WARNINGS, WARNINGS_ZH)
