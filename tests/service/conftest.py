"""Fixtures of the service tests: a seeded service on a temporary SQLite database."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from service_helpers import BRANCH, PINS, WEEK, Harness, seed, settings_for

from scheduler.service import RosterService, create_app


def pytest_configure(config: pytest.Config) -> None:
    """Starlette's notice about its test client's HTTP library is not about this product."""
    config.addinivalue_line("filterwarnings", "ignore:Using `httpx` with")


@pytest.fixture(scope="session")
def harness(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Harness]:
    """A seeded service shared by the service tests (uploads there use week 2026-W50)."""
    from fastapi.testclient import TestClient

    folder = tmp_path_factory.mktemp("service")
    svc = RosterService(settings_for(folder))
    creds = seed(svc)
    with TestClient(create_app(svc.settings, svc)) as client:
        yield Harness(client, svc, creds["hr_key"])


@pytest.fixture
def make_harness(tmp_path: Path) -> Iterator[Callable[..., Harness]]:
    """Build a separately configured seeded service (closed after the test)."""
    from fastapi.testclient import TestClient

    clients: list[TestClient] = []

    def build(**overrides: Any) -> Harness:
        svc = RosterService(settings_for(tmp_path / f"svc{len(clients)}", **overrides))
        creds = seed(svc, both=False)
        client = TestClient(create_app(svc.settings, svc))
        client.__enter__()
        clients.append(client)
        return Harness(client, svc, creds["hr_key"])

    yield build
    for client in clients:
        client.__exit__(None, None, None)


@pytest.fixture(scope="session")
def published_job(harness: Harness) -> dict:
    """The shared job for 2026-W49 with :data:`PINS`, finished and published."""
    manager = harness.token("manager")
    resp = harness.client.post(
        f"/v1/branches/{BRANCH}/jobs",
        json={"week": WEEK, "pins": PINS, "time_limit_s": 8},
        headers=manager,
    )
    assert resp.status_code == 202, resp.text
    job = harness.wait(resp.json()["id"], manager)
    assert job["status"] == "succeeded", job
    pub = harness.client.post(f"/v1/jobs/{job['id']}/publish", json={}, headers=manager)
    assert pub.status_code == 200, pub.text
    return {**job, "publication_id": pub.json()["publication_id"]}
