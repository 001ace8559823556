"""The ``check`` command: kinds detected, OK lines for good files, exit 2 on any problem."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from typer.testing import CliRunner

from scheduler.cli import app
from scheduler.cli.cmd_check import FileKind, check_files, detect_kind

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "data" / "sample_branch"
BROKEN = ROOT / "tests" / "data" / "broken"
runner = CliRunner()


def test_kinds_are_detected_from_suffix_and_header():
    """Config, schema, traffic and availability files are told apart without options."""
    assert detect_kind(SAMPLE / "branch.yaml") is FileKind.CONFIG
    assert detect_kind(ROOT / "data" / "branch.schema.json") is FileKind.SCHEMA
    assert detect_kind(SAMPLE / "traffic.csv.gz") is FileKind.TRAFFIC
    assert detect_kind(SAMPLE / "availability" / "team.xlsx") is FileKind.AVAILABILITY
    assert detect_kind(BROKEN / "availability_gbk.csv") is FileKind.AVAILABILITY


def test_a_report_with_a_column_per_channel_is_checked_as_traffic(tmp_path):
    """日期, 时段 and a column per channel is traffic; a requirement frame (it has posts) is not."""
    wide = tmp_path / "客流报表.csv"
    wide.write_text("日期,时段,现金,大堂,合计\n2026-11-23,09:00-10:00,12,30,42\n", encoding="utf-8")
    assert detect_kind(wide) is FileKind.TRAFFIC
    frame = tmp_path / "requirements.csv"
    frame.write_text("ds,post,required\n2026-11-23 09:00,cash_teller,2\n", encoding="utf-8")
    assert detect_kind(frame) is FileKind.UNKNOWN
    report = check_files([SAMPLE / "branch.yaml", wide])
    assert report.passed
    assert any("traffic history, 2 rows, 2 series" in line for line in report.ok)
    messages = [i.message for i in report.issues]
    assert "read as one column of counts per channel: 现金, 大堂" in messages
    assert "channels written by name read as the configured ones: 大堂 as lobby, 现金 as cash" in (
        messages
    )


def test_the_sample_passes_with_one_ok_line_per_file():
    """`branch-roster check data --week 2026-W49` passes on the committed sample."""
    result = subprocess.run(
        [str(Path(sys.executable).parent / "branch-roster"), "check", "data", "--week", "2026-W49"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert len([line for line in lines if line.startswith("OK")]) == 6
    assert (
        "OK      data/sample_branch/traffic.csv.gz: traffic history, 27,288 rows, 5 series, "
        "2024-12-02 to 2026-11-29" in lines
    )


def test_broken_files_exit_2_and_list_every_problem():
    """Every planted problem is printed; the GBK and duplicate files still pass."""
    result = runner.invoke(
        app,
        ["check", str(BROKEN), "--config", str(SAMPLE / "branch.yaml"), "--week", "2026-W49"],
    )
    assert result.exit_code == 2
    out = result.output
    assert out.count("error   ") == 11
    assert "row 3, column '工号': unknown staff number (found 'S15')" in out
    assert "traffic_not_on_the_hour.csv, row 3, column 'timestamp'" in out
    assert "availability_duplicate.csv, row 3: duplicate row (same as row 2)" in out
    assert f"OK      {BROKEN / 'availability_gbk.csv'}: availability, 1 entries" in out
    assert "11 problems found." in out


def test_unknown_kind_and_bad_week(tmp_path):
    """A file of no known kind, or a malformed week, is reported rather than guessed."""
    odd = tmp_path / "notes.csv"
    odd.write_text("a,b\n1,2\n", encoding="utf-8")
    result = runner.invoke(app, ["check", str(odd)])
    assert result.exit_code == 2
    assert "cannot tell what kind of input this is" in result.output
    result = runner.invoke(app, ["check", str(odd), "--week", "W49"])
    assert result.exception.issues[0].file == "--week"


def test_stale_history_is_a_warning_not_an_error(tmp_path):
    """History that stops weeks before the planned week is flagged, but the check passes."""
    path = tmp_path / "traffic.csv"
    path.write_text(
        "timestamp,branch,channel,count\n2026-10-01 09:00,B1,cash,4\n", encoding="utf-8"
    )
    result = runner.invoke(app, ["check", str(path), "--week", "2026-W49"])
    assert result.exit_code == 0, result.output
    assert (
        "the history ends 59 days before the planned week 2026-W49; the forecast will rest on "
        "old data (found '2026-10-01'); allowed: history up to 2026-11-29"
    ) in result.output


TRAFFIC = ROOT / "tests" / "data" / "traffic"


def test_a_queue_ticket_log_is_checked_as_traffic_with_its_measured_figures(tmp_path):
    """A ticket log (取号时间, no count column) is traffic; check prints its handling times."""
    assert detect_kind(TRAFFIC / "tickets_zh.csv") is FileKind.TRAFFIC
    rows = ["网点,业务类型,取号时间,叫号时间,办结时间"]
    for minute, channel in enumerate(("cash", "noncash", "lobby", "corporate", "wealth")):
        rows.append(
            f"SH-PD-001,{channel},2026-11-23 09:{minute:02d}:00,"
            f"2026-11-23 09:{minute + 10:02d}:00,2026-11-23 09:{minute + 17:02d}:00"
        )
    log = tmp_path / "tickets.csv"
    log.write_text("\n".join(rows) + "\n", encoding="utf-8")
    result = runner.invoke(app, ["check", str(log), "--config", str(SAMPLE / "branch.yaml")])
    assert result.exit_code == 0, result.output
    # 8 open hours x 5 channels: the hours without a ticket are 0-count hours
    assert "tickets.csv: traffic history, 40 rows, 5 series" in result.output
    assert (
        "cash: measured handling time 7.0 min vs configured 6.0 (1 ticket), mean wait 10.0 min"
    ) in result.output


def test_hours_with_missing_quarter_hours_are_warned_of_by_check():
    """A 15-minute file with an interval missing passes check with the reader's warning."""
    result = runner.invoke(app, ["check", str(TRAFFIC / "counts_15min.csv")])
    assert result.exit_code == 0, result.output
    assert "warning" in result.output
    assert "missing 10:30" in result.output


def test_the_availability_forms_it_writes_pass_check(tmp_path):
    """Forms from `availability-template` (instructions above the header) are availability."""
    import datetime as dt

    from scheduler.calendar import Horizon
    from scheduler.io.templates import write_templates
    from scheduler.sample.branch import sample_config

    config = sample_config(dt.date(2026, 12, 7))
    forms = []
    for fmt, lang in (("xlsx", "zh"), ("xlsx", "en"), ("csv", "zh")):
        out = tmp_path / f"{fmt}-{lang}"
        forms += write_templates(config, Horizon.iso_week("2026-W50"), out, fmt=fmt, lang=lang)
    assert forms
    assert {detect_kind(p) for p in forms} == {FileKind.AVAILABILITY}
    (tmp_path / "branch.yaml").write_text(
        (SAMPLE / "branch.yaml").read_text(encoding="utf-8"), encoding="utf-8"
    )
    result = runner.invoke(
        app,
        ["check", str(tmp_path), "--week", "2026-W50"],
        env={"COLUMNS": "250"},
    )
    assert result.exit_code == 0, result.output
    assert result.output.count("OK ") == len(forms) + 1


def test_a_notes_file_inside_a_folder_is_skipped_with_a_warning(tmp_path):
    """A 说明.txt beside the forms in a folder is a warning.

    The same file named directly is still an error.
    """
    folder = tmp_path / "availability"
    folder.mkdir()
    (folder / "S14.csv").write_text(
        "staff_id,date,type\nS14,2026-12-01,unavailable\n", encoding="utf-8"
    )
    notes = folder / "说明.txt"
    notes.write_text("请在周五前交回。\n", encoding="utf-8")
    report = check_files([folder])
    assert report.passed
    (issue,) = [i for i in report.issues if i.file == str(notes)]
    assert issue.severity == "warning"
    assert issue.message.startswith("skipped: not a configuration")
    direct = check_files([notes])
    assert not direct.passed
    assert direct.issues[0].message == "cannot tell what kind of input this is"


def test_an_empty_table_is_of_no_kind_unless_its_name_says(tmp_path):
    """A 0-byte week49.csv names every kind allowed; leave.csv is read as availability."""
    (tmp_path / "week49.csv").write_bytes(b"")
    (tmp_path / "leave.csv").write_bytes(b"")
    assert detect_kind(tmp_path / "week49.csv") is FileKind.UNKNOWN
    assert detect_kind(tmp_path / "leave.csv") is FileKind.AVAILABILITY
    report = check_files([tmp_path / "week49.csv"])
    (issue,) = report.issues
    assert issue.message == (
        "cannot tell what kind of input this is: the file is empty or has no header row"
    )
    assert "an availability file" in issue.allowed and "a traffic history" in issue.allowed
