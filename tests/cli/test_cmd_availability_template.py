"""``branch-roster availability-template``: forms for every person, or located errors."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from scheduler.calendar import Horizon
from scheduler.cli import app
from scheduler.errors import InputError
from scheduler.io.config_file import dump_config
from scheduler.sample.branch import sample_config

runner = CliRunner()
WEEK = Horizon.iso_week("2026-W49")


def test_one_form_per_person(tmp_path: Path) -> None:
    """Without --combined every member of staff gets an XLSX form for the week."""
    cfg = sample_config(WEEK.start)
    config = dump_config(cfg, tmp_path / "branch.yaml")
    out = tmp_path / "forms"
    res = runner.invoke(
        app,
        ["availability-template", "--config", str(config), "--week", "2026-W49", "--out", str(out)],
    )
    assert res.exit_code == 0, res.output
    assert "wrote 14 xlsx form(s) for 2026-W49" in res.output
    assert sorted(p.name for p in out.iterdir()) == sorted(
        f"availability_2026-W49_{s.id}.xlsx" for s in cfg.staff
    )


def test_combined_csv_in_english(tmp_path: Path) -> None:
    """--combined --format csv --lang en writes one CSV with everyone's rows."""
    config = dump_config(sample_config(WEEK.start), tmp_path / "branch.yaml")
    out = tmp_path / "forms"
    res = runner.invoke(
        app,
        [
            "availability-template",
            "--config",
            str(config),
            "--week",
            "2026-W49",
            "--out",
            str(out),
            "--combined",
            "--format",
            "csv",
            "--lang",
            "en",
        ],
    )
    assert res.exit_code == 0, res.output
    (path,) = out.iterdir()
    lines = path.read_text("utf-8-sig").splitlines()
    assert path.name == "availability_2026-W49.csv"
    assert lines[0] == "staff_id,name,date,end_date,start,end,type,weight,approved,note,shift"
    assert len(lines) == 1 + 14 * 7


def test_every_bad_option_reported_at_once(tmp_path: Path) -> None:
    """A bad week, format and language are all reported together, and nothing is written."""
    config = dump_config(sample_config(WEEK.start), tmp_path / "branch.yaml")
    res = runner.invoke(
        app,
        [
            "availability-template",
            "--config",
            str(config),
            "--week",
            "2026-W60",
            "--out",
            str(tmp_path / "f"),
            "--format",
            "ods",
            "--lang",
            "fr",
        ],
    )
    assert isinstance(res.exception, InputError)
    assert [(i.file, i.value) for i in res.exception.errors] == [
        ("--format", "ods"),
        ("--lang", "fr"),
        ("--week", "2026-W60"),
    ]
    assert not (tmp_path / "f").exists()


def test_out_must_be_a_folder(tmp_path: Path) -> None:
    """--out naming an existing file is refused instead of failing half-way."""
    config = dump_config(sample_config(WEEK.start), tmp_path / "branch.yaml")
    taken = tmp_path / "forms.txt"
    taken.write_text("keep me", "utf-8")
    res = runner.invoke(
        app,
        [
            "availability-template",
            "--config",
            str(config),
            "--week",
            "2026-W49",
            "--out",
            str(taken),
        ],
    )
    assert isinstance(res.exception, InputError)
    assert [(i.file, i.message) for i in res.exception.errors] == [
        ("--out", "not a folder (a file of that name exists)")
    ]
    assert taken.read_text("utf-8") == "keep me"
