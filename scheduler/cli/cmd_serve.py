"""``branch-roster serve``: the HTTP API and web app, with the sample branch on first start."""

from __future__ import annotations

import os
from pathlib import Path

import typer

from scheduler.cli.common import console


def default_data_dir() -> Path:
    """``$BRANCH_ROSTER_DATA``, else ``$XDG_DATA_HOME/branch-roster/service``."""
    env = os.environ.get("BRANCH_ROSTER_DATA")
    if env:
        return Path(env)
    base = Path(os.environ.get("XDG_DATA_HOME", Path.home() / ".local" / "share"))
    return base / "branch-roster" / "service"


def register(app: typer.Typer) -> None:
    """Add the ``serve`` command."""

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
        solver_workers: int = typer.Option(1, min=1, max=16, help="CP-SAT workers per job."),
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
        )
        svc = RosterService(settings)
        if not no_sample:
            created = seed_sample(svc, week)
            if created:
                console.print("Accounts created (passwords are shown only now):")
                for user, password in created.items():
                    console.print(f"  {user:<10} {password}")
        console.print(f"data folder {folder}; {workers} job slot(s); http://{host}:{port}/")
        uvicorn.run(create_app(settings, svc), host=host, port=port, log_level="info")
