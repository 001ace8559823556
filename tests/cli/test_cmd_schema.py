"""The ``schema`` command."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from scheduler.cli import app
from scheduler.io.config_file import config_json_schema

runner = CliRunner()


def test_schema_command_writes_the_json_schema(tmp_path):
    """`branch-roster schema --out F` writes the configuration's JSON Schema."""
    result = runner.invoke(app, ["schema", "--out", str(tmp_path / "s.json")])
    assert result.exit_code == 0, result.output
    assert json.loads((tmp_path / "s.json").read_text(encoding="utf-8")) == config_json_schema()


def test_schema_command_prints_without_out():
    """Without --out the schema goes to standard output, for piping into other tools."""
    result = runner.invoke(app, ["schema"])
    assert result.exit_code == 0
    assert json.loads(result.output)["title"] == "branch-roster branch configuration"
