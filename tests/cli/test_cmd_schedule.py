"""``branch-roster schedule``: roster files from a configuration and a requirement frame."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pandas as pd
import pytest
from roster.instances import MON, config, person, post, request
from typer.testing import CliRunner

from scheduler.cli import app
from scheduler.cli.cmd_schedule import read_published, read_requirements
from scheduler.domain import BackupPair
from scheduler.errors import InputError
from scheduler.history.files import STAMP_ALLOWED
from scheduler.io.config_file import dump_config

runner = CliRunner()

ZH_ROSTER_HEADERS = {
    "staff_id": "工号",
    "name": "姓名",
    "date": "日期",
    "start": "开始",
    "end": "结束",
    "activity": "活动",
    "post": "岗位",
}


def _save_roster(frame: pd.DataFrame, folder: Path, saved_as: str) -> Path:
    """A roster frame written as UTF-8 CSV, as GBK CSV with Chinese headers, or as XLSX."""
    if saved_as == "xlsx":
        path = folder / "published.xlsx"
        frame.to_excel(path, index=False)
    elif saved_as == "gbk-chinese-headers":
        path = folder / "published.csv"
        text = frame.rename(columns=ZH_ROSTER_HEADERS).to_csv(index=False)
        path.write_bytes(text.encode("gbk"))
    else:
        path = folder / "published.csv"
        frame.to_csv(path, index=False)
    return path


def _files(tmp_path: Path, **extra: object) -> list[str]:
    cfg = config(
        [post("cash")],
        [person("A", "cash"), person("B", "cash")],
        rules={"coverage_under": "soft", "coverage_over": "soft", "roster_stability": "soft"},
        **extra,
    )
    cfg_path = dump_config(cfg, tmp_path / "branch.yaml")
    frame = request(cfg, days=7, need={"cash": 1}).requirements
    frame.to_csv(tmp_path / "requirements.csv", index=False)
    return [
        "schedule",
        "--config",
        str(cfg_path),
        "--requirements",
        str(tmp_path / "requirements.csv"),
        "--week",
        "2026-W49",
        "--out",
        str(tmp_path / "out"),
        "--time-limit",
        "5",
        "--workers",
        "1",
    ]


def test_schedule_writes_the_roster_files(tmp_path: Path) -> None:
    """The command writes every roster file and a summary table with the status."""
    res = runner.invoke(app, _files(tmp_path))
    assert res.exit_code == 0, res.output
    assert "OPTIMAL" in res.output
    out = tmp_path / "out"
    assert sorted(p.name for p in out.iterdir()) == [
        "coverage.csv",
        "penalties.csv",
        "people.csv",
        "roster.csv",
        "shifts.csv",
        "summary.json",
    ]
    roster = pd.read_csv(out / "roster.csv")
    assert len(roster) == 7 and set(roster["post"]) == {"cash"}
    assert json.loads((out / "summary.json").read_text("utf-8"))["status"] == "OPTIMAL"


def test_schedule_exits_3_with_conflicts_when_infeasible(tmp_path: Path) -> None:
    """No roster: exit code 3, the conflict printed and written to conflicts.txt (in Chinese)."""
    args = _files(tmp_path, backup_pairs=[BackupPair(post="cash", a="A", b="B")])
    leave = tmp_path / "leave.csv"
    leave.write_text(
        "staff_id,date,type\nA,2026-12-01,annual\nB,2026-12-01,annual\n", encoding="utf-8"
    )
    config_text = (tmp_path / "branch.yaml").read_text("utf-8")
    (tmp_path / "branch.yaml").write_text(
        config_text.replace("ab_backup_pair:\n    mode: 'off'", "ab_backup_pair:\n    mode: hard"),
        encoding="utf-8",
    )
    res = runner.invoke(app, [*args, "-a", str(leave)])
    assert res.exit_code == 3, res.output
    text = (tmp_path / "out" / "conflicts.txt").read_text("utf-8")
    assert "A、B 是cash的A/B角, 12月1日(周二) 两人都不在岗" in text
    res = runner.invoke(app, [*args, "-a", str(leave), "--lang", "en"])
    assert res.exit_code == 3, res.output
    text = (tmp_path / "out" / "conflicts.txt").read_text("utf-8")
    assert "A and B are the A/B pair for the cash post and both are away on Tue 1 Dec" in text
    res = runner.invoke(app, [*args, "--lang", "fr"])
    assert res.exit_code == 2 and "use zh or en" in res.output


def test_schedule_names_the_requirement_file_in_input_errors(tmp_path: Path) -> None:
    """A bad row of the requirement file is reported with the file's own name and row."""
    args = _files(tmp_path)
    frame = pd.read_csv(tmp_path / "requirements.csv")
    frame.loc[0, "post"] = "vault"
    frame.to_csv(tmp_path / "requirements.csv", index=False)
    res = runner.invoke(app, args)
    assert isinstance(res.exception, InputError)
    (issue,) = res.exception.errors
    assert issue.file == str(tmp_path / "requirements.csv")
    assert (issue.location, issue.column, issue.value) == (2, "post", "vault")
    assert not (tmp_path / "out").exists()


def test_schedule_tells_a_requirement_problem_at_the_row_the_user_sees(tmp_path: Path) -> None:
    """With a title line above the header, an unknown post is told at its own file row.

    The roster stage used to count rows by position, one row too early here.
    """
    args = _files(tmp_path)
    path = tmp_path / "requirements.csv"
    frame = pd.read_csv(path)
    frame.loc[0, "post"] = "vault"
    path.write_text("网点需求表 2026-W49\n" + frame.to_csv(index=False), encoding="utf-8")
    res = runner.invoke(app, args)
    assert isinstance(res.exception, InputError)
    (issue,) = res.exception.errors
    assert (issue.location, issue.column, issue.value) == (3, "post", "vault")


@pytest.mark.parametrize("week", ["2026-49", "2026-W60"])
def test_schedule_refuses_a_bad_week(tmp_path: Path, week: str) -> None:
    """A week that is not an ISO week is an input error naming --week."""
    args = _files(tmp_path)
    args[args.index("2026-W49")] = week
    res = runner.invoke(app, args)
    assert isinstance(res.exception, InputError)
    assert res.exception.errors[0].file == "--week"
    assert MON.isoformat() == "2026-11-30"


def test_schedule_locates_an_unknown_pinned_person_at_the_pins_file_row(tmp_path: Path) -> None:
    """A pin naming a staff number the branch does not have is reported at its file row."""
    pins = tmp_path / "pins.csv"
    pins.write_text("staff_id,date,off\nA,2026-12-01,yes\nZ9,2026-12-02,yes\n", encoding="utf-8")
    res = runner.invoke(app, [*_files(tmp_path), "--pins", str(pins)])
    assert isinstance(res.exception, InputError)
    (issue,) = res.exception.errors
    assert (issue.location, issue.column, issue.value) == (3, "staff_id", "Z9")
    assert issue.file.endswith("pins.csv")


def test_schedule_names_a_pins_problem_found_when_solving_by_the_files_own_header(
    tmp_path: Path,
) -> None:
    """A pin window outside the opening hours is located at the file's 开始, not 'start'."""
    pins = tmp_path / "pins.csv"
    pins.write_text("工号,日期,岗位,开始,结束\nA,2026-12-01,cash,18:00,19:00\n", encoding="utf-8")
    res = runner.invoke(app, [*_files(tmp_path), "--pins", str(pins)])
    assert isinstance(res.exception, InputError)
    (issue,) = res.exception.errors
    assert issue.file.endswith("pins.csv")
    assert (issue.location, issue.column) == (2, "开始")
    assert "holds no whole 60-minute open slot" in issue.message


def test_schedule_rerun_with_a_roster_removes_the_old_conflicts(tmp_path: Path) -> None:
    """After an infeasible run, a feasible one into the same folder leaves no conflicts.txt."""
    out = tmp_path / "out"
    out.mkdir()
    (out / "conflicts.txt").write_text("from an earlier run", encoding="utf-8")
    res = runner.invoke(app, _files(tmp_path))
    assert res.exit_code == 0, res.output
    assert not (out / "conflicts.txt").exists()
    assert not [p for p in out.iterdir() if p.name.startswith(".staging-")]


@pytest.mark.parametrize("saved_as", ["utf-8", "gbk-chinese-headers", "xlsx"])
def test_schedule_repairs_a_published_roster_only_on_the_sick_day(
    tmp_path: Path, saved_as: str
) -> None:
    """--published with a sick call: every other day's rows stay exactly as published.

    The published roster may come back re-saved by Excel: GBK with Chinese headers, or XLSX.
    """
    args = _files(tmp_path)
    assert runner.invoke(app, args).exit_code == 0
    first = pd.read_csv(tmp_path / "out" / "roster.csv")
    published = _save_roster(first, tmp_path, saved_as)
    wednesday = first[first["date"] == "2026-12-02"]
    sick = str(wednesday["staff_id"].iloc[0])
    leave = tmp_path / "sick.csv"
    leave.write_text(f"staff_id,date,type\n{sick},2026-12-02,sick\n", encoding="utf-8")
    res = runner.invoke(app, [*args, "-a", str(leave), "--published", str(published)])
    assert res.exit_code == 0, res.output
    again = pd.read_csv(tmp_path / "out" / "roster.csv")
    other = first["date"] != "2026-12-02"
    assert (
        again[again["date"] != "2026-12-02"]
        .reset_index(drop=True)
        .equals(first[other].reset_index(drop=True))
    )
    assert sick not in set(again[again["date"] == "2026-12-02"]["staff_id"])


def test_schedule_refuses_an_unknown_repair_scope(tmp_path: Path) -> None:
    """--repair-scope takes days or week; anything else is a usage error naming the option."""
    res = runner.invoke(app, [*_files(tmp_path), "--repair-scope", "month"])
    assert res.exit_code == 2
    assert "--repair-scope" in res.output


def test_published_roster_in_gbk_with_chinese_headers_reads_as_publish_reads_it(
    tmp_path: Path,
) -> None:
    """A roster.csv re-saved by Excel (GBK, Chinese headers, no BOM) reads to the same rows."""
    path = tmp_path / "roster_gbk.csv"
    text = "工号,姓名,日期,开始,结束,活动,岗位\nS01,王建国,2026/11/30,8:30,12:00,在岗,cash\n"
    path.write_bytes(text.encode("gbk"))
    frame = read_published(path)
    assert frame.to_dict("records") == [
        {
            "staff_id": "S01",
            "name": "王建国",
            "date": dt.date(2026, 11, 30),
            "start": "08:30",
            "end": "12:00",
            "activity": "post",
            "post": "cash",
        }
    ]


@pytest.mark.parametrize(
    ("content", "message", "allowed"),
    [
        (b"", "the file is empty (0 bytes)", "an .xlsx or .csv"),
        (b"PK\x03\x04 not a workbook", "the workbook is damaged", "an .xlsx saved by Excel"),
    ],
)
def test_unreadable_published_xlsx_is_named_without_codec_text(
    tmp_path: Path, content: bytes, message: str, allowed: str
) -> None:
    """An empty or damaged XLSX is refused in words, never with a codec or pandas message."""
    path = tmp_path / "roster.xlsx"
    path.write_bytes(content)
    with pytest.raises(InputError) as caught:
        read_published(path)
    (issue,) = caught.value.errors
    assert issue.file == str(path)
    assert issue.message.startswith(message) and issue.allowed.startswith(allowed)
    assert "codec" not in str(issue)


def test_published_roster_bad_cell_is_located(tmp_path: Path) -> None:
    """A bad activity in the published roster names the file, row, header, value and words."""
    path = tmp_path / "roster.csv"
    path.write_text(
        "工号,姓名,日期,开始,结束,活动,岗位\nA,甲,2026-11-30,09:00,12:00,post,cash\n"
        "A,甲,2026-11-30,12:00,13:00,nap,\n",
        encoding="utf-8-sig",
    )
    with pytest.raises(InputError) as caught:
        read_published(path)
    (issue,) = caught.value.errors
    assert (issue.file, issue.location, issue.column, issue.value) == (str(path), 3, "活动", "nap")
    assert (issue.message, issue.allowed) == ("unknown activity", "post, break, free")


def _requirement_frame() -> pd.DataFrame:
    cfg = config([post("cash")], [person("A", "cash")])
    return request(cfg, days=2, need={"cash": 1}).requirements


def test_requirements_read_from_gbk_chinese_headers_and_xlsx(tmp_path: Path) -> None:
    """The requirement frame reads the same from UTF-8, GBK with 日期/时段/岗位/需求, and XLSX."""
    frame = _requirement_frame()
    plain = tmp_path / "requirements.csv"
    frame.to_csv(plain, index=False)
    chinese = tmp_path / "requirements_gbk.csv"
    zh = pd.DataFrame(
        {
            "日期": [f"{d.year}/{d.month}/{d.day}" for d in pd.to_datetime(frame["ds"])],
            "时段": [f"{d:%H:%M}" for d in pd.to_datetime(frame["ds"])],
            "岗位": frame["post"],
            "需求": frame["required"],
        }
    )
    chinese.write_bytes(zh.to_csv(index=False).encode("gbk"))
    workbook = tmp_path / "requirements.xlsx"
    frame.to_excel(workbook, index=False)
    expected = frame[["ds", "post", "required"]].astype({"ds": "datetime64[us]", "post": object})
    for path in (plain, chinese, workbook):
        got = read_requirements(path)[["ds", "post", "required"]].astype({"post": object})
        pd.testing.assert_frame_equal(got.astype({"ds": "datetime64[us]"}), expected)


def test_requirement_file_problems_are_located(tmp_path: Path) -> None:
    """A bad count, a time without a date and a repeated slot each name file, row and cell."""
    path = tmp_path / "rq.csv"
    path.write_text(
        "需求表\n日期,时段,岗位,需求\n2026-11-30,09:00,cash,two\n,10:00,cash,1\n"
        "2026-11-30,11:00,cash,1\n2026-11-30,11:00,cash,2\n",
        encoding="gbk",
    )
    with pytest.raises(InputError) as caught:
        read_requirements(path)
    found = [(i.location, i.column, i.value, i.message, i.allowed) for i in caught.value.errors]
    assert found == [
        (3, "需求", "two", "staff must be a whole number of people", "0, 1, 2, ..."),
        (4, "时段", "10:00", "not a date and time", STAMP_ALLOWED),
        (
            6,
            "时段",
            "2026-11-30 11:00 cash",
            "a second row for the same slot and post",
            "one row per slot and post (the first is row 5)",
        ),
    ]
    assert {i.file for i in caught.value.errors} == {str(path)}


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("rq.csv", b"", "the file is empty"),
        ("rq.csv", b"ds,post,required\n", "the file has a header but no rows"),
        ("rq.xlsx", b"", "the file is empty (0 bytes)"),
        ("rq.csv", b"ds,post,required\n\xff\xfe\x80\x81,cash,1\n\xff", "unknown text encoding"),
    ],
)
def test_unreadable_requirement_file_is_named_in_words(
    tmp_path: Path, name: str, content: bytes, message: str
) -> None:
    """An empty, header-only or undecodable requirement file: one issue, no pandas/codec text."""
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(InputError) as caught:
        read_requirements(path)
    (issue,) = caught.value.errors
    assert (issue.file, issue.message) == (str(path), message)
    assert issue.allowed


def test_schedule_reads_pins_as_people_write_them(tmp_path: Path) -> None:
    """A pins file with 工号/日期/岗位 headers and 12月1日 is read through --pins.

    The configuration names the posts; the week gives the year.
    """
    pins = tmp_path / "pins.csv"
    pins.write_text("工号,日期,岗位\nA,12月1日,cash\n", encoding="utf-8")
    res = runner.invoke(app, [*_files(tmp_path), "--pins", str(pins)])
    assert res.exit_code == 0, res.output
    roster = pd.read_csv(tmp_path / "out" / "roster.csv")
    tuesday = roster[(roster["staff_id"] == "A") & (roster["date"] == "2026-12-01")]
    assert set(tuesday["post"]) == {"cash"}


@pytest.mark.parametrize(
    ("flag", "started"), [([], 1), (["--no-mip-bound"], 0), (["--deterministic"], 0)]
)
def test_schedule_runs_the_mip_bound_unless_switched_off(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, flag: list[str], started: int
) -> None:
    """HiGHS's bound is on by default in the command; --no-mip-bound keeps it out.

    So does --deterministic: HiGHS's bound would race the search it stops.
    """
    import sys

    from scheduler.roster.mip_bound import MipBound

    starts: list[int] = []

    class Counting(MipBound):
        def start(self) -> MipBound:
            starts.append(1)
            return super().start()

    monkeypatch.setattr(sys.modules["scheduler.roster.solve"], "MipBound", Counting)
    res = runner.invoke(app, [*_files(tmp_path), *flag])

    assert res.exit_code == 0, res.output
    assert len(starts) == started


def test_a_requirement_file_sorted_or_filtered_by_the_caller_keeps_its_row_numbers(
    tmp_path: Path,
) -> None:
    """Read, then sorted the other way round and filtered: the unknown post is at file row 2."""
    from scheduler.history.files import read_requirement_file
    from scheduler.roster import RosterRequest
    from scheduler.roster.prepare import prepare

    cfg = config([post("cash")], [person("A", "cash")], rules={"coverage_under": "soft"})
    request(cfg, days=7, need={"cash": 1}).requirements.to_csv(
        tmp_path / "requirements.csv", index=False
    )
    path = tmp_path / "requirements.csv"
    frame = pd.read_csv(path)
    frame.loc[0, "post"] = "vault"
    frame.to_csv(path, index=False)
    read = read_requirement_file(path)
    reordered = read.sort_values("ds", ascending=False, kind="stable").iloc[1:]
    assert 0 in reordered.index and reordered.index[0] != 0  # the vault row moved to the end
    base = request(cfg, days=7, need={"cash": 1})
    _, issues = prepare(RosterRequest(cfg, base.horizon, reordered))
    assert [(i.location, i.column, i.value) for i in issues] == [(2, "post", "vault")]
