"""The ``sample`` command."""

from __future__ import annotations

from typer.testing import CliRunner

from scheduler.cli import app

runner = CliRunner()


def test_sample_command_writes_the_folder_and_the_plot(tmp_path):
    """`branch-roster sample --out DIR --plot F.png` writes every sample file and the picture."""
    result = runner.invoke(
        app,
        ["sample", "--out", str(tmp_path / "s"), "--seed", "3", "--plot", str(tmp_path / "p.png")],
    )
    assert result.exit_code == 0, result.output
    assert (tmp_path / "s" / "branch.yaml").exists()
    assert (tmp_path / "s" / "traffic.csv.gz").exists()
    assert (tmp_path / "s" / "availability" / "team.xlsx").exists()
    assert (tmp_path / "p.png").read_bytes()[:4] == b"\x89PNG"
    assert f"wrote {tmp_path / 'p.png'}" in result.output


def test_sample_command_rejects_a_bad_week(tmp_path):
    """A malformed --week is a located input error, not a traceback."""
    result = runner.invoke(app, ["sample", "--out", str(tmp_path), "--week", "2026-49"])
    assert result.exit_code != 0
    assert result.exception.issues[0].file == "--week"
