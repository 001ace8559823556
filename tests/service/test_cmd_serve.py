"""``branch-roster serve``: one command seeds the sample branch and serves the app."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from scheduler.cli import app


def test_serve_seeds_the_sample_once_and_prints_passwords(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """First start loads the sample branch and shows each account's password exactly once."""
    served: list[dict[str, Any]] = []

    def fake_run(application: Any, **kwargs: Any) -> None:
        served.append({"app": application, **kwargs})
        application.state.service.close()

    monkeypatch.setattr("uvicorn.run", fake_run)
    monkeypatch.setenv("BRANCH_ROSTER_PASSWORD", "seeded-pass-1")
    monkeypatch.setenv("BRANCH_ROSTER_SECRET", "k" * 40)
    args = ["serve", "--data", str(tmp_path), "--port", "8123", "--workers", "2"]
    first = CliRunner().invoke(app, args)
    assert first.exit_code == 0, first.output
    assert "manager    seeded-pass-1" in first.output
    assert [line.split()[0] for line in first.output.splitlines() if "seeded-pass-1" in line] == [
        "manager",
        "s01",
        "s02",
        "s03",
    ]
    assert served[0]["port"] == 8123 and served[0]["host"] == "127.0.0.1"
    svc = served[0]["app"].state.service
    assert svc.settings.workers == 2
    assert (tmp_path / "roster.db").exists()
    second = CliRunner().invoke(app, args)
    assert second.exit_code == 0
    assert "seeded-pass-1" not in second.output


def test_serve_generates_a_secret_into_the_data_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Without $BRANCH_ROSTER_SECRET a key is generated once (mode 0600) and reused."""
    monkeypatch.delenv("BRANCH_ROSTER_SECRET", raising=False)
    monkeypatch.setattr("uvicorn.run", lambda application, **kw: application.state.service.close())
    args = ["serve", "--data", str(tmp_path), "--no-sample"]
    assert CliRunner().invoke(app, args).exit_code == 0
    key = (tmp_path / "secret.key").read_bytes()
    assert len(key) == 64
    assert (tmp_path / "secret.key").stat().st_mode & 0o777 == 0o600
    assert CliRunner().invoke(app, args).exit_code == 0
    assert (tmp_path / "secret.key").read_bytes() == key


def test_serve_user_and_serve_key_manage_access(tmp_path: Path) -> None:
    """Accounts and HR keys are created from the command line; mistakes are input errors."""
    from service_helpers import BRANCH, seed, settings_for

    from scheduler.errors import InputError
    from scheduler.service import RosterService

    svc = RosterService(settings_for(tmp_path))
    seed(svc, both=False)
    svc.store.close()
    data = ["--data", str(tmp_path)]
    runner = CliRunner(env={"BRANCH_ROSTER_NEW_PASSWORD": "new-password-1"})
    made = runner.invoke(
        app, ["serve-user", "wu", "--role", "staff", "--branch", BRANCH, "--staff-id", "S10", *data]
    )
    assert made.exit_code == 0, made.output
    assert "account wu (staff of SH-PD-001) created" in made.output
    again = runner.invoke(
        app, ["serve-user", "wu", "--role", "staff", "--branch", BRANCH, "--staff-id", "S10", *data]
    )
    assert isinstance(again.exception, InputError)
    assert again.exception.issues[0].message == "this username is taken"
    unknown = runner.invoke(
        app, ["serve-user", "x", "--role", "staff", "--branch", BRANCH, "--staff-id", "S99", *data]
    )
    assert isinstance(unknown.exception, InputError)
    key = runner.invoke(app, ["serve-key", "hr2", "--branch", BRANCH, *data])
    assert key.exit_code == 0
    svc = RosterService(settings_for(tmp_path, auth_cache_s=0.0))  # no cache: see the revoke
    try:
        assert svc.auth.login("wu", "new-password-1") is not None
        who = svc.auth.from_api_key(key.output.strip())
        assert who is not None and who.branches == frozenset({BRANCH})
        revoked = runner.invoke(app, ["serve-key", "hr2", "--revoke", *data])
        assert revoked.exit_code == 0
        assert svc.auth.from_api_key(key.output.strip()) is None
        missing = runner.invoke(app, ["serve-key", "nope", "--revoke", *data])
        assert isinstance(missing.exception, InputError)
    finally:
        svc.store.close()
