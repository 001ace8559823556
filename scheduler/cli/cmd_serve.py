"""``branch-roster serve``: the HTTP API and web app, with the sample branch on first start."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import typer

from scheduler.cli.common import console


def default_data_dir() -> Path:
    """``$BRANCH_ROSTER_DATA``, else ``$XDG_DATA_HOME/branch-roster/service``."""
    env = os.environ.get("BRANCH_ROSTER_DATA")
    if env:
        return Path(env)
    base = Path(os.environ.get("XDG_DATA_HOME", Path.home() / ".local" / "share"))
    return base / "branch-roster" / "service"


def _open(db: str | None, data: Path | None) -> Any:
    """The service on the same database and data folder ``serve`` would use."""
    from scheduler.history import resolve_db_url
    from scheduler.service import RosterService, ServiceSettings

    folder = data or default_data_dir()
    return RosterService(
        ServiceSettings(data_dir=folder, db_url=resolve_db_url(db) if db else None)
    )


def register(app: typer.Typer) -> None:
    """Add the ``serve``, ``serve-user`` and ``serve-key`` commands."""

    @app.command("serve-user")
    def serve_user(
        username: str = typer.Argument(..., help="Login name."),
        role: str = typer.Option(..., help="manager or staff."),
        branch: str = typer.Option(..., help="The branch id."),
        staff_id: str | None = typer.Option(None, "--staff-id", help="Staff number (staff)."),
        password: str = typer.Option(
            ...,
            prompt=True,
            hide_input=True,
            confirmation_prompt=True,
            envvar="BRANCH_ROSTER_NEW_PASSWORD",
            help="At least 8 characters.",
        ),
        db: str | None = typer.Option(None, "--db", help="Database, as for serve."),
        data: Path | None = typer.Option(None, "--data", help="Data folder, as for serve."),
    ) -> None:
        """Create a manager or staff account of the service."""
        import sqlalchemy as sa

        from scheduler.errors import InputError, Issue

        svc = _open(db, data)
        try:
            if (
                role == "staff"
                and staff_id
                and staff_id not in {s.id for s in svc.config(branch).staff}
            ):
                raise InputError([Issue("--staff-id", "unknown staff number", value=staff_id)])
            try:
                svc.auth.create_account(username, password, role, branch, staff_id)
            except ValueError as exc:
                raise InputError([Issue("serve-user", str(exc))]) from None
            except sa.exc.IntegrityError:
                raise InputError(
                    [Issue("serve-user", "this username is taken", value=username)]
                ) from None
        finally:
            svc.store.close()
        console.print(f"account {username} ({role} of {branch}) created")

    @app.command("serve-key")
    def serve_key(
        name: str = typer.Argument(..., help="Name of the HR system."),
        branch: list[str] = typer.Option([], "--branch", help="Branch it may use (repeat)."),
        revoke: bool = typer.Option(False, "--revoke", help="Revoke the named key instead."),
        db: str | None = typer.Option(None, "--db", help="Database, as for serve."),
        data: Path | None = typer.Option(None, "--data", help="Data folder, as for serve."),
    ) -> None:
        """Issue an HR-system API key for some branches (printed once), or revoke one."""
        from scheduler.errors import InputError, Issue

        if not revoke and not branch:
            raise InputError([Issue("--branch", "name at least one branch", allowed="--branch ID")])
        svc = _open(db, data)
        try:
            if revoke:
                if not svc.auth.revoke_api_key(name):
                    raise InputError([Issue("serve-key", "no API key of that name", value=name)])
                console.print(f"key {name} revoked")
                return
            key = svc.auth.create_api_key(name, branch)
        finally:
            svc.store.close()
        console.print(key)

    @app.command("serve")
    def serve(
        host: str = typer.Option("127.0.0.1", help="Address to listen on."),
        port: int = typer.Option(8000, min=1, max=65535, help="Port to listen on."),
        db: str | None = typer.Option(
            None,
            "--db",
            help="Database (SQLAlchemy URL or SQLite path); default <data>/roster.db. "
            "E.g. postgresql+psycopg://roster@db:5432/roster.",
        ),
        data: Path | None = typer.Option(
            None, "--data", help="Folder for job files and the secret; $BRANCH_ROSTER_DATA."
        ),
        workers: int = typer.Option(1, min=1, max=32, help="Roster jobs solved at once."),
        solver_workers: int = typer.Option(
            2, min=1, max=16, help="CP-SAT workers per job (keep --workers x this <= cores)."
        ),
        time_limit: float = typer.Option(
            60.0, "--time-limit", min=1, help="Most solver seconds a job may ask for."
        ),
        job_time_limit: float = typer.Option(
            600.0, "--job-time-limit", min=5, help="A job still running after this is stopped."
        ),
        week: str = typer.Option("2026-W49", help="Week of the sample availability on seeding."),
        no_sample: bool = typer.Option(
            False, "--no-sample", help="Do not load the sample branch and its accounts."
        ),
        secure_cookies: bool = typer.Option(
            False, "--secure-cookies", help="Session cookie over HTTPS only (behind TLS)."
        ),
        log_level: str = typer.Option(
            "info", "--log-level", help="Server log level; warning leaves out the access log."
        ),
        job_nice: int = typer.Option(
            19,
            "--job-nice",
            min=0,
            max=19,
            help="CPU niceness of job processes (higher: reads first, solves slower).",
        ),
        http_workers: int = typer.Option(
            1,
            "--http-workers",
            min=1,
            max=16,
            help="Server processes answering requests (one of them runs the jobs).",
        ),
        deterministic: bool = typer.Option(
            False,
            "--deterministic",
            help="Count each job's time limit in the solver's deterministic time: the same "
            "inputs give the same roster whatever the server's load.",
        ),
        fast_reads: bool = typer.Option(
            True,
            "--fast-reads/--no-fast-reads",
            help="Answer repeated frequent reads from the answer recorded while the "
            "database is unchanged (SQLite).",
        ),
    ) -> None:
        """Serve the /v1 API (OpenAPI at /docs) and the web app at /.

        On the first start with an empty database it loads the sample branch and creates a
        manager and three staff accounts; their passwords are printed once (or all set from
        $BRANCH_ROSTER_PASSWORD). The signing secret comes from $BRANCH_ROSTER_SECRET or is
        generated into the data folder.
        """
        import uvicorn

        from scheduler.history import resolve_db_url
        from scheduler.service import RosterService, ServiceSettings, create_app
        from scheduler.service.app import SETTINGS_ENV
        from scheduler.service.seed import seed_sample

        folder = data or default_data_dir()
        settings = ServiceSettings(
            data_dir=folder,
            db_url=resolve_db_url(db) if db else None,
            workers=workers,
            solver_workers=solver_workers,
            solve_time_limit_s=time_limit,
            job_time_limit_s=max(job_time_limit, time_limit + 5),
            secure_cookies=secure_cookies,
            job_nice=job_nice,
            fast_reads=fast_reads,
            deterministic=deterministic,
        )
        svc = RosterService(settings)
        if not no_sample:
            created = seed_sample(svc, week)
            if created:
                console.print("Accounts created (passwords are shown only now):")
                for user, password in created.items():
                    console.print(f"  {user:<10} {password}")
        console.print(
            f"data folder {folder}; {workers} job slot(s); {http_workers} server process(es); "
            f"http://{host}:{port}/"
        )
        # The standard asyncio loop: under 200 busy connections uvloop served some of them
        # for seconds while others waited (p99 3-11 s), asyncio kept every wait under 0.5 s.
        # HTTP parsing uses httptools when it is installed.
        if http_workers == 1:
            uvicorn.run(
                create_app(settings, svc),
                host=host,
                port=port,
                log_level=log_level,
                loop="asyncio",
            )
            return
        svc.store.close()  # each server process opens its own
        os.environ[SETTINGS_ENV] = settings.to_json()
        uvicorn.run(
            "scheduler.service.app:app_from_environment",
            factory=True,
            workers=http_workers,
            host=host,
            port=port,
            log_level=log_level,
            loop="asyncio",
        )
