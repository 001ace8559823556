"""First start: the sample branch, its traffic and availability, and a manager and staff."""

from __future__ import annotations

import os
import secrets
from pathlib import Path

import sqlalchemy as sa

from scheduler.service.core import RosterService
from scheduler.service.db import ACCOUNTS
from scheduler.service.security import Principal

PASSWORD_ENV = "BRANCH_ROSTER_PASSWORD"
"""Environment variable with the password of every seeded account (else generated)."""


def seed_sample(svc: RosterService, week: str, staff_accounts: int = 3) -> dict[str, str]:
    """Load the sample branch and create its manager and staff accounts, once.

    Args:
        svc: The service.
        week: The week the sample availability files are for.
        staff_accounts: How many staff members (in configuration order) get an account.

    Returns:
        Username -> password of the accounts created now (empty when already seeded);
        passwords come from ``$BRANCH_ROSTER_PASSWORD`` or are generated and shown once.
    """
    from scheduler.io.config_file import decode_text, parse_config_text
    from scheduler.pipeline import sample_dir

    with svc.engine.connect() as conn:
        if conn.execute(sa.select(sa.func.count()).select_from(ACCOUNTS)).scalar_one():
            return {}
    folder = sample_dir()
    if not (folder / "branch.yaml").exists():  # installed without data/: generate it
        from scheduler.sample.generator import generate_sample

        folder = svc.settings.data_dir / "sample_branch"
        generate_sample(folder, week=week)
    raw = (folder / "branch.yaml").read_bytes()
    config = parse_config_text(decode_text(raw, "branch.yaml"), "branch.yaml", ".yaml")
    branch = config.branch.id
    seeder = Principal(kind="hr", name="seed", branches=frozenset({branch}))
    svc.put_config(seeder, branch, raw, "branch.yaml")
    traffic = next(p for p in (folder / "traffic.csv", folder / "traffic.csv.gz") if p.exists())
    svc.put_traffic(seeder, branch, traffic.read_bytes(), traffic.name)
    for path in sorted(Path(folder / "availability").glob("*")):
        if path.suffix in (".csv", ".xlsx"):
            svc.put_availability(seeder, branch, week, path.read_bytes(), path.name)
    fixed = os.environ.get(PASSWORD_ENV)
    created: dict[str, str] = {}
    manager = "manager"
    created[manager] = fixed or secrets.token_urlsafe(9)
    svc.auth.create_account(manager, created[manager], "manager", branch)
    for person in config.staff[:staff_accounts]:
        username = person.id.lower()
        created[username] = fixed or secrets.token_urlsafe(9)
        svc.auth.create_account(username, created[username], "staff", branch, person.id)
    return created
