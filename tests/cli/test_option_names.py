"""The same input is asked for by the same option name in every command."""

from __future__ import annotations

import typer.main

from scheduler.cli import app


def _options() -> dict[str, dict[str, set[str]]]:
    """Command -> parameter name -> every option string it answers to."""
    group = typer.main.get_command(app)
    out: dict[str, dict[str, set[str]]] = {}
    for name, command in group.commands.items():  # type: ignore[attr-defined]
        out[name] = {p.name: set(p.opts) | set(p.secondary_opts) for p in command.params}
    return out


def _takers(names: set[str]) -> dict[str, set[str]]:
    """Command -> option strings of its parameter answering to any of ``names``."""
    return {
        cmd: opts for cmd, params in _options().items() for opts in params.values() if opts & names
    }


def test_every_command_reading_the_branch_configuration_takes_config():
    """`--config` works wherever a branch configuration is read (older names stay aliases)."""
    takers = _takers({"--config", "--branch-config"})
    assert {"run", "schedule", "staffing", "forecast", "check"} <= set(takers)
    assert all("--config" in opts for opts in takers.values()), takers


def test_every_command_reading_traffic_takes_both_traffic_and_history():
    """Traffic history is `--traffic` or `--history` alike, in run, forecast and backtest."""
    takers = _takers({"--traffic", "--history"})
    assert {"run", "forecast", "backtest"} <= set(takers)
    assert all({"--traffic", "--history"} <= opts for opts in takers.values()), takers
