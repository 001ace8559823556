"""Result files: every frame as CSV, conflicts in words, the solver's figures as JSON."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd

from scheduler.domain import Availability, LeaveRequest
from scheduler.roster.files import PENALTY_COLUMNS, write_result_files

from .instances import MON, config, person, post, request, run


def test_feasible_result_writes_frames_and_summary(tmp_path: Path) -> None:
    """A roster gives roster/shifts/coverage/people/penalties CSVs and a summary, no conflicts."""
    cfg = config([post("cash")], [person("A", "cash")], rules={"coverage_under": "soft"})
    result = run(request(cfg, need={"cash": 2}))
    (tmp_path / "conflicts.txt").write_text("stale", encoding="utf-8")
    written = write_result_files(result, tmp_path)
    assert sorted(written) == ["coverage", "penalties", "people", "roster", "shifts", "summary"]
    assert not (tmp_path / "conflicts.txt").exists()
    penalties = pd.read_csv(tmp_path / "penalties.csv")
    assert tuple(penalties.columns) == PENALTY_COLUMNS
    assert list(penalties["cost"]) == [100.0] * 4
    summary = json.loads((tmp_path / "summary.json").read_text("utf-8"))
    assert summary["status"] == "OPTIMAL" and summary["objective"] == 400.0
    assert summary["cost_by_rule"] == {"coverage_under": {"count": 4, "amount": 4.0, "cost": 400.0}}


def test_infeasible_result_writes_conflicts(tmp_path: Path) -> None:
    """No roster: conflicts.txt says which rule, person and day conflict, and the fix."""
    cfg = config([post("lobby", min_staff=1)], [person("A", "lobby")], rules={"post_floor": "hard"})
    leave = Availability(leave=[LeaveRequest(staff_id="A", start_date=MON, end_date=MON)])
    result = run(request(cfg, availability=leave))
    written = write_result_files(result, tmp_path, lang="en")
    assert "conflicts" in written
    text = (tmp_path / "conflicts.txt").read_text("utf-8")
    assert text.startswith("No roster satisfies every hard rule for TINY")
    assert "1. [post_floor]" in text and "To make a roster possible:" in text
    assert pd.read_csv(tmp_path / "roster.csv").empty


def test_conflicts_are_written_in_chinese_by_default(tmp_path: Path) -> None:
    """A Chinese manager reads conflicts.txt in Chinese: the conflict, its days and the fix."""
    cfg = config([post("lobby", min_staff=1)], [person("A", "lobby")], rules={"post_floor": "hard"})
    leave = Availability(leave=[LeaveRequest(staff_id="A", start_date=MON, end_date=MON)])
    result = run(request(cfg, availability=leave))
    write_result_files(result, tmp_path)
    text = (tmp_path / "conflicts.txt").read_text("utf-8")
    assert text.startswith("TINY, 2026-11-30..2026-11-30: 没有满足全部硬规则的排班。")
    assert "1. [post_floor] 以下要求无法同时满足: 11月30日(周一) 每个营业时段lobby至少 1 人" in text
    assert "。11月30日(周一) 具备lobby资格的人员都不在岗: A (年假)\n" in text
    assert (
        "   解决办法: 11月30日(周一) 再安排一名具备lobby资格的人员上班, 或降低最低人数, "
        "或把规则 post_floor 改为软规则。\n"
    ) in text
    assert "Mon" not in text and "Nov" not in text


def test_penalties_file_holds_both_sentences(tmp_path: Path) -> None:
    """penalties.csv keeps the English sentence as ``message`` and the Chinese beside it."""
    cfg = config([post("cash")], [person("A", "cash")], rules={"coverage_under": "soft"})
    result = run(request(cfg, need={"cash": 2}))
    write_result_files(result, tmp_path)
    penalties = pd.read_csv(tmp_path / "penalties.csv")
    first = penalties.iloc[0]
    assert first["message"] == "Mon 30 Nov 09:00 cash: 1 of 2 staff, 1 short"
    assert first["message_zh"] == "11月30日(周一) 09:00 cash: 需要 2 人, 已排 1 人, 缺 1 人"


def test_summary_counts_staff_hours_short_on_half_hour_slots() -> None:
    """On 30-minute slots, one person short for the whole 4-hour opening is 4 staff-hours."""
    cfg = config(
        [post("cash")], [person("A", "cash")], slot_minutes=30, rules={"coverage_under": "soft"}
    )
    result = run(request(cfg, need={"cash": 2}))
    assert result.slot_minutes() == 30
    assert "staff-hours short: 4" in result.summary()


def test_the_gap_is_told_in_words_a_manager_can_act_on():
    """Proven, a bounded gap, and no bound at all read differently; no roster, no sentence."""
    from scheduler.roster.result import SolverStats

    proven = SolverStats("OPTIMAL", objective=500.0, best_bound=500.0, gap=0.0)
    assert proven.gap_meaning() == "proven the cheapest roster under these rules"
    assert proven.gap_meaning("zh") == "已证明是这些规则下成本最低的排班"
    bounded = SolverStats("FEASIBLE", objective=1000.0, best_bound=960.0, gap=0.04)
    assert bounded.gap_meaning() == (
        "no roster can cost less than 4.0% below this one; more time may narrow that"
    )
    close = SolverStats("FEASIBLE", objective=77596.0, best_bound=77562.7, gap=0.00043)
    assert (close.gap_meaning() or "").startswith("no roster can cost less than 0.043% below")
    assert (close.gap_meaning("zh") or "").startswith("任何排班的成本都不会比本排班低 0.043% 以上")
    unbounded = SolverStats("FEASIBLE", objective=3440.0, best_bound=0.0, gap=1.0)
    assert (unbounded.gap_meaning() or "").startswith("no lower bound was proven")
    assert (unbounded.gap_meaning("zh") or "").startswith("在给定时间内未能证明下界")
    assert SolverStats("INFEASIBLE").gap_meaning() is None


def test_the_summary_says_what_the_gap_means():
    """The terminal summary puts the gap's meaning under the solver figures."""
    cfg = config([post("cash")], [person("A", "cash")], rules={"coverage_under": "soft"})
    result = run(request(cfg, need={"cash": 1}))
    assert result.status == "OPTIMAL"
    assert "  (proven the cheapest roster under these rules)" in result.summary().splitlines()
    chinese = result.summary("zh").splitlines()
    assert chinese[0] == "网点 TINY, 2026-11-30..2026-11-30: OPTIMAL"
    assert "  (已证明是这些规则下成本最低的排班)" in chinese
