"""Settings of the roster service: where it keeps its data, how many jobs run at once."""

from __future__ import annotations

import dataclasses
import json
import os
import secrets
from dataclasses import dataclass, field
from pathlib import Path

from scheduler.io.atomic import atomic_write_bytes

SECRET_ENV = "BRANCH_ROSTER_SECRET"
"""Environment variable holding the signing secret (at least 32 characters)."""


@dataclass(frozen=True)
class ServiceSettings:
    """How the service runs.

    Attributes:
        data_dir: Folder for job inputs and results and the generated secret.
        db_url: SQLAlchemy URL of the database (history store and service tables);
            ``None`` uses ``<data_dir>/roster.db`` (SQLite).
        workers: Roster jobs solved at the same time; further jobs wait in the queue.
        solver_workers: CP-SAT search workers per job. Two by default: one worker alone
            runs without the neighbourhood searches and finds far worse rosters (roster
            benchmark L seed 0, 60 s: 71644 against 27454 with two), while the job runs at
            ``job_nice`` and the reads stay as fast (see the service's load benchmark).
        job_time_limit_s: Wall-clock limit of a whole job (forecast, staffing, roster);
            a job still running then is stopped and marked failed.
        solve_time_limit_s: Default CP-SAT time limit of a job.
        max_upload_bytes: Largest accepted upload.
        session_hours: Lifetime of a login session.
        secret: Key that signs session tokens; ``None`` reads ``$BRANCH_ROSTER_SECRET`` or
            generates one into ``<data_dir>/secret.key`` on first start.
        seed: Solver random seed.
        deterministic: Solve every job with ``SolveOptions.deterministic``: its time limit
            counts the solver's deterministic time, so the same inputs give the same roster
            whatever else the server is doing (the wall-clock time then varies).
        secure_cookies: Send the session cookie over HTTPS only (set behind TLS).
        login_max_failures: Failed logins of one username within ``login_window_s`` after
            which its logins are refused (429) until the window has passed.
        login_max_failures_per_address: The same for one client address.
        login_window_s: The sliding window of the login limits, in seconds.
        auth_cache_s: Seconds a checked session or API key is trusted without reading the
            database again; a logout or key revocation in the same server process applies at
            once, in another process within this time. 0 checks the database every time.
        job_nice: CPU niceness added to each job process, so the web process answers first
            while solves run (0 to 19).
        fast_reads: Answer the frequent reads (job status and result, availability list,
            history) again from the answer the same caller got while the database has not
            changed since (SQLite files only; see :mod:`scheduler.service.fastpath`).
    """

    data_dir: Path
    db_url: str | None = None
    workers: int = 1
    solver_workers: int = 2
    job_time_limit_s: float = 600.0
    solve_time_limit_s: float = 60.0
    max_upload_bytes: int = 5 * 1024 * 1024
    session_hours: float = 12.0
    secret: str | None = field(default=None, repr=False)
    seed: int = 0
    deterministic: bool = False
    secure_cookies: bool = False
    login_max_failures: int = 5
    login_max_failures_per_address: int = 20
    login_window_s: float = 300.0
    auth_cache_s: float = 5.0
    job_nice: int = 19
    fast_reads: bool = True

    @property
    def database_url(self) -> str:
        """The database URL, the default SQLite file when none was given."""
        return self.db_url or f"sqlite:///{self.data_dir / 'roster.db'}"

    def signing_secret(self) -> bytes:
        """The session-signing key: given, from the environment, or generated once.

        A generated key is written to ``<data_dir>/secret.key`` (mode 0600) and reused on
        every later start, so sessions survive a restart; no key is ever kept in the code.
        """
        if self.secret:
            return self.secret.encode()
        env = os.environ.get(SECRET_ENV, "")
        if env:
            return env.encode()
        path = self.data_dir / "secret.key"
        if not path.exists():
            self.data_dir.mkdir(parents=True, exist_ok=True)
            atomic_write_bytes(path, secrets.token_hex(32).encode())
            path.chmod(0o600)
        return path.read_bytes().strip()

    def to_json(self) -> str:
        """The settings as JSON, without the secret (server worker processes read it back)."""
        values = dataclasses.asdict(self)
        values["data_dir"] = str(self.data_dir)
        values.pop("secret")
        return json.dumps(values)

    @classmethod
    def from_json(cls, text: str) -> ServiceSettings:
        """Settings written by :meth:`to_json`."""
        values = json.loads(text)
        values["data_dir"] = Path(values["data_dir"])
        return cls(**values)
