"""The result JSON gives each penalty and conflict sentence in English and in Chinese."""

from __future__ import annotations

import datetime as dt
import json
import pickle
from pathlib import Path
from types import SimpleNamespace

from scheduler.calendar import Horizon
from scheduler.roster.result import Conflict, Penalty, RosterResult, SolverStats
from scheduler.service.api import result_json

MON = dt.date(2026, 11, 30)

PENALTY = Penalty(
    rule="coverage_under",
    amount=1.0,
    cost=100.0,
    message="Mon 30 Nov 10:00 Cash teller: 0 of 1 staff, 1 short",
    message_zh="11月30日(周一) 10:00 高柜柜员: 需要 1 人, 已排 0 人, 缺 1 人",
)
CONFLICT = Conflict(
    ("post_floor",),
    "These cannot all hold: at least 1 on Lobby manager in every open slot of Mon 30 Nov",
    "make post_floor soft",
    message_zh="以下要求无法同时满足: 11月30日(周一) 每个营业时段大堂经理至少 1 人",
    relaxation_zh="把规则 post_floor 改为软规则",
)


def _body(tmp_path: Path, roster: RosterResult) -> dict:
    """The JSON the API returns for a job whose pickled result holds ``roster``."""
    path = tmp_path / "result.pkl"
    path.write_bytes(pickle.dumps(SimpleNamespace(roster=roster)))
    return json.loads(result_json(str(path), path.stat().st_mtime_ns))


def test_result_json_keeps_english_and_adds_chinese(tmp_path: Path) -> None:
    """``message``/``relaxation`` stay English for API callers; ``*_zh`` carry the Chinese."""
    roster = RosterResult(
        "B01",
        Horizon(MON, 7),
        SolverStats("FEASIBLE"),
        penalties=(PENALTY,),
        conflicts=(CONFLICT,),
    )
    body = _body(tmp_path, roster)
    (penalty,) = body["penalties"]
    assert penalty["message"] == PENALTY.message
    assert penalty["message_zh"] == PENALTY.message_zh
    (conflict,) = body["conflicts"]
    assert (conflict["message"], conflict["relaxation"]) == (
        CONFLICT.message,
        CONFLICT.relaxation,
    )
    assert (conflict["message_zh"], conflict["relaxation_zh"]) == (
        CONFLICT.message_zh,
        CONFLICT.relaxation_zh,
    )


def test_a_result_pickled_before_the_chinese_sentences_still_answers(tmp_path: Path) -> None:
    """A job finished by an older version has no Chinese: its English stands for both."""
    old = Penalty(rule="coverage_under", amount=1.0, cost=1.0, message="1 short")
    object.__delattr__(old, "message_zh")  # as unpickled from before the field existed
    roster = RosterResult("B01", Horizon(MON, 7), SolverStats("FEASIBLE"), penalties=(old,))
    (penalty,) = _body(tmp_path, roster)["penalties"]
    assert penalty["message"] == penalty["message_zh"] == "1 short"


def test_result_json_gives_the_warnings_in_english_and_in_chinese(tmp_path: Path) -> None:
    """``warnings`` stays English for API callers; ``warnings_zh`` (and the summary's) Chinese."""
    roster = RosterResult(
        "B01",
        Horizon(MON, 7),
        SolverStats("FEASIBLE"),
        warnings=("the availability rule is off: leave and declared windows are ignored",),
        warnings_zh=("可用时段规则 (availability) 已关闭: 请假和申报的可用时段都不予考虑",),
    )
    body = _body(tmp_path, roster)
    assert body["warnings"] == list(roster.warnings)
    assert body["warnings_zh"] == list(roster.warnings_zh)
    assert (body["summary"]["warnings"], body["summary"]["warnings_zh"]) == (
        body["warnings"],
        body["warnings_zh"],
    )


def test_a_result_pickled_before_the_chinese_warnings_gives_the_english_for_both(
    tmp_path: Path,
) -> None:
    """A job finished by an older version has no ``warnings_zh``: its English stands for both."""
    roster = RosterResult("B01", Horizon(MON, 7), SolverStats("FEASIBLE"), warnings=("a note",))
    object.__delattr__(roster, "warnings_zh")  # as unpickled from before the field existed
    body = _body(tmp_path, roster)
    assert body["warnings"] == body["warnings_zh"] == ["a note"]
