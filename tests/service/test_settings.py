"""Service settings: what the server worker processes of ``--http-workers`` receive."""

from __future__ import annotations

import dataclasses
from pathlib import Path

from scheduler.service import ServiceSettings


def test_settings_reach_server_processes_unchanged_but_without_the_secret(tmp_path: Path) -> None:
    """Every setting survives the JSON hand-over to worker processes; the secret never does."""
    settings = ServiceSettings(
        data_dir=tmp_path,
        db_url="postgresql+psycopg://roster@db/roster",
        workers=2,
        job_nice=5,
        login_max_failures=7,
        auth_cache_s=0.0,
        deterministic=True,
        secret="x" * 40,
    )
    text = settings.to_json()
    assert "x" * 40 not in text
    assert ServiceSettings.from_json(text) == dataclasses.replace(settings, secret=None)


def test_a_job_solves_with_two_workers_unless_told_otherwise(tmp_path: Path) -> None:
    """One CP-SAT worker alone finds far worse rosters; jobs run niced, reads stay fast."""
    settings = ServiceSettings(data_dir=tmp_path)
    assert settings.solver_workers == 2
    assert settings.job_nice == 19


def test_a_deterministic_server_solves_every_job_deterministically(tmp_path: Path) -> None:
    """The setting reaches each job's solve options with the server's workers and seed."""
    from scheduler.service.jobs import JobRunner

    runner = JobRunner(None, ServiceSettings(data_dir=tmp_path, deterministic=True, seed=4), "")
    options = runner.solve_options(45.0)
    assert (options.time_limit_s, options.workers, options.seed) == (45.0, 2, 4)
    assert options.deterministic is True
    plain = JobRunner(None, ServiceSettings(data_dir=tmp_path), "").solve_options(45.0)
    assert plain.deterministic is False
