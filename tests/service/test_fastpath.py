"""Fast reads: a replayed answer is the route's own, for its own caller, while nothing changed."""

from __future__ import annotations

import asyncio
import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pandas as pd
import pytest
import sqlalchemy as sa
from fastapi import HTTPException
from service_helpers import BRANCH, OTHER, PASSWORD, WEEK, Harness

from scheduler.frames import ASSIGNMENT_COLUMNS, SHIFT_COLUMNS
from scheduler.service.db import SESSIONS
from scheduler.service.fastpath import VOLATILE, FastReads, SqliteVersion
from scheduler.service.security import Principal

NEXT_WEEK = "2026-W50"
CALLERS = ("manager", "s01", "hr", "manager2", "other_s01", "nobody", "forged")


@contextmanager
def framework_only(harness: Harness) -> Iterator[None]:
    """Answer every request through FastAPI (the fast reads switched off) for a while."""
    app: Any = harness.client.app
    fast, app.fast_reads = app.fast_reads, None
    try:
        yield
    finally:
        app.fast_reads = fast


def answer(harness: Harness, path: str, headers: dict[str, str]) -> tuple[Any, ...]:
    """Status, headers (without the server's date) and decoded body of a GET."""
    resp = harness.client.get(path, headers=headers)
    kept = sorted((k, v) for k, v in resp.headers.items() if k not in ("date", "server"))
    return resp.status_code, kept, resp.content


def caller_headers(harness: Harness, who: str) -> dict[str, str]:
    """Credentials of ``who``: an account, the HR key, none, or a forged session token."""
    if who == "hr":
        return harness.hr
    if who == "nobody":
        return {}
    if who == "forged":
        return {"Authorization": "Bearer 0123456789abcdef.not-the-signature"}
    return harness.token(who)


def login(harness: Harness, username: str) -> str:
    """A fresh session token."""
    resp = harness.client.post("/v1/auth/login", json={"username": username, "password": PASSWORD})
    return str(resp.json()["token"])


@pytest.mark.slow
def test_replayed_reads_equal_the_routes_answers_for_every_caller(
    harness: Harness, published_job: dict
) -> None:
    """Every caller gets, twice, what the route answers: 200, 304, 401, 403 or 404, gzip or not."""
    job = published_job["id"]
    paths = (
        f"/v1/jobs/{job}",
        f"/v1/jobs/{job}/result",
        f"/v1/branches/{BRANCH}/weeks/{WEEK}/availability",
        f"/v1/branches/{BRANCH}/weeks/{WEEK}/history",
        f"/v1/branches/{OTHER}/weeks/{WEEK}/history",
        "/v1/jobs/no-such-job",
    )
    creds = {who: caller_headers(harness, who) for who in CALLERS}  # logins write: first
    statuses = set()
    for path in paths:
        for encoding in ("gzip", "identity"):
            for who in CALLERS:  # each caller right after the others' answers were recorded
                headers = {**creds[who], "Accept-Encoding": encoding}
                with framework_only(harness):
                    expected = answer(harness, path, headers)
                    etag = dict(expected[1]).get("etag", '"none"')
                    conditional = {**headers, "If-None-Match": etag}
                    expected_304 = answer(harness, path, conditional)
                for _ in range(2):  # recorded, then replayed
                    assert answer(harness, path, headers) == expected, (who, path, encoding)
                    assert answer(harness, path, conditional) == expected_304, (who, path)
                statuses |= {expected[0], expected_304[0]}
    assert statuses == {200, 304, 401, 403, 404}
    assert len(harness.client.app.fast_reads) > 0  # type: ignore[attr-defined]


@pytest.mark.slow
def test_a_branch_read_by_its_manager_stays_refused_to_other_branches(
    harness: Harness, published_job: dict
) -> None:
    """After the manager's reads were recorded, branch B and staff still get exactly 403."""
    job = published_job["id"]
    heads = {who: harness.token(who) for who in ("manager", "manager2", "other_s01", "s01")}
    own = [f"/v1/jobs/{job}", f"/v1/jobs/{job}/result"]
    branch = [
        f"/v1/branches/{BRANCH}/weeks/{WEEK}/availability",
        f"/v1/branches/{BRANCH}/weeks/{WEEK}/history",
    ]
    for path in own + branch:
        for _ in range(2):
            assert harness.client.get(path, headers=heads["manager"]).status_code == 200
    for who in ("manager2", "other_s01", "s01"):
        for path in own:
            resp = harness.client.get(path, headers=heads[who])
            assert resp.status_code == 403, (who, path)
            assert "summary" not in resp.text and "assignments" not in resp.text
    for path in branch:
        assert harness.client.get(path, headers=heads["manager2"]).status_code == 403
    staff = harness.client.get(branch[1], headers=heads["s01"]).json()
    assert {r["staff_id"] for r in staff["assignments"]} == {"S01"}  # not the manager's view


def test_logged_out_expired_or_forged_sessions_are_refused_at_once(harness: Harness) -> None:
    """A recorded read is not replayed to a session that was logged out, expired or forged."""
    path = f"/v1/branches/{BRANCH}/weeks/{NEXT_WEEK}/availability"
    token = login(harness, "manager")
    bearer = {"Authorization": f"Bearer {token}"}
    for _ in range(2):
        assert harness.client.get(path, headers=bearer).status_code == 200
    forged = {"Authorization": f"Bearer {token[:-1]}{'0' if token[-1] != '0' else '1'}"}
    assert harness.client.get(path, headers=forged).status_code == 401
    assert harness.client.post("/v1/auth/logout", headers=bearer).status_code == 200
    assert harness.client.get(path, headers=bearer).status_code == 401

    token = login(harness, "manager")
    bearer = {"Authorization": f"Bearer {token}"}
    for _ in range(2):
        assert harness.client.get(path, headers=bearer).status_code == 200
    past = dt.datetime.now(dt.UTC) - dt.timedelta(minutes=1)
    with harness.svc.engine.begin() as conn:
        conn.execute(
            sa.update(SESSIONS)
            .where(SESSIONS.c.id == token.partition(".")[0])
            .values(expires_at=past)
        )
    harness.svc.auth.forget()  # as after auth_cache_s, or in another server process
    resp = harness.client.get(path, headers=bearer)
    with framework_only(harness):
        expected = harness.client.get(path, headers=bearer)
    assert (resp.status_code, resp.json()) == (401, expected.json())


def test_a_new_availability_file_is_listed_at_once(make_harness: Any) -> None:
    """The recorded list of the week's files is dropped when a file is stored."""
    h = make_harness()
    path = f"/v1/branches/{BRANCH}/weeks/{NEXT_WEEK}/availability"
    for _ in range(2):
        assert h.client.get(path, headers=h.hr).json() == []
    text = "工号,姓名,日期,开始,结束,类型\nS07,赵磊,2026-12-08,,,不可用\n"
    put = h.client.put(path, headers=h.hr, files={"file": ("s07.csv", text.encode())})
    assert put.status_code == 200, put.text
    listed = h.client.get(path, headers=h.hr).json()
    assert [f["name"] for f in listed] == ["s07.csv"]


def test_a_new_publication_is_read_at_once(make_harness: Any) -> None:
    """The recorded history of a week is dropped when a roster is published for it."""
    h = make_harness()
    path = f"/v1/branches/{BRANCH}/weeks/{WEEK}/history"
    manager = h.token("manager")
    first = h.client.get(path, headers=manager)
    etag = first.headers["etag"]
    assert first.json()["publications"] == []
    assert h.client.get(path, headers={**manager, "If-None-Match": etag}).status_code == 304
    day = dt.date(2026, 11, 30)
    assignments = pd.DataFrame(
        [["S01", "x", day, "09:00", "17:00", "post", "teller"]], columns=list(ASSIGNMENT_COLUMNS)
    )
    shifts = pd.DataFrame(
        [["S01", "x", day, "D", "09:00", "17:00", 420]], columns=list(SHIFT_COLUMNS)
    )
    from scheduler.history import RosterRecord

    h.svc.store.publish(
        RosterRecord(BRANCH, day, day + dt.timedelta(days=6), assignments, shifts, "FEASIBLE")
    )
    again = h.client.get(path, headers={**manager, "If-None-Match": etag})
    assert again.status_code == 200
    assert [p["version"] for p in again.json()["publications"]] == [1]


def test_job_status_follows_the_job(make_harness: Any) -> None:
    """A recorded job status is dropped when the job's row changes (here: cancelled)."""
    h = make_harness()
    manager = h.token("manager")
    job = h.client.post(
        f"/v1/branches/{BRANCH}/jobs", json={"week": WEEK, "time_limit_s": 5}, headers=manager
    ).json()["id"]
    h.client.get(f"/v1/jobs/{job}", headers=manager)
    assert h.client.post(f"/v1/jobs/{job}/cancel", headers=manager).status_code == 200
    assert h.wait(job, manager)["status"] == "cancelled"
    assert h.client.get(f"/v1/jobs/{job}", headers=manager).json()["status"] == "cancelled"


# The replaying layer alone, around a stand-in route ---------------------------------------

ALICE = Principal(kind="manager", name="alice", branches=frozenset({BRANCH}))
BOB = Principal(kind="manager", name="bob", branches=frozenset({BRANCH}))


class StandIn:
    """A route answering ``n`` (its call count), optionally marking the answer volatile."""

    def __init__(self, mark_volatile: bool = False, status: int = 200):
        self.calls = 0
        self.mark_volatile = mark_volatile
        self.status = status

    async def __call__(self, scope: dict, receive: Any, send: Any) -> None:
        self.calls += 1
        if self.mark_volatile:
            scope[VOLATILE] = True
        await send({"type": "http.response.start", "status": self.status, "headers": []})
        await send({"type": "http.response.body", "body": str(self.calls).encode()})


def read(
    layer: FastReads,
    who: str,
    path: str = "/v1/jobs/j1",
    method: str = "GET",
    query: bytes = b"",
) -> bytes:
    """The body the layer sends for one request of ``who`` (``alice``, ``bob`` or ``nobody``)."""
    scope = {
        "type": "http",
        "method": method,
        "path": path,
        "query_string": query,
        "headers": [(b"x-caller", who.encode())],
    }
    sent: list[dict] = []

    async def send(message: dict) -> None:
        sent.append(message)

    asyncio.run(layer(scope, None, send))  # type: ignore[arg-type]
    return bytes(sent[-1]["body"])


async def authenticate(request: Any) -> Principal:
    """Stand-in for the routes' authentication: the caller named in ``x-caller``."""
    name = request.headers.get("x-caller")
    if name == "nobody":
        raise HTTPException(401, "log in")
    return ALICE if name == "alice" else BOB


def test_an_answer_is_replayed_only_to_its_caller_while_the_version_holds() -> None:
    """Same caller and version: replayed; another caller or a new version: the route answers."""
    route, version = StandIn(), [1]
    layer = FastReads(route, authenticate, lambda: version[0])
    assert [read(layer, "alice"), read(layer, "alice")] == [b"1", b"1"]
    assert read(layer, "bob") == b"2"
    version[0] = 2
    assert [read(layer, "alice"), read(layer, "alice")] == [b"3", b"3"]


def test_refusals_errors_and_volatile_answers_are_never_replayed() -> None:
    """A refused caller, an error answer and a marked answer reach the route every time."""
    route = StandIn()
    layer = FastReads(route, authenticate, lambda: 1)
    assert [read(layer, "nobody"), read(layer, "nobody")] == [b"1", b"2"]
    for stand_in in (StandIn(status=403), StandIn(mark_volatile=True)):
        layer = FastReads(stand_in, authenticate, lambda: 1)
        assert [read(layer, "alice"), read(layer, "alice")] == [b"1", b"2"]
        assert len(layer) == 0


def test_only_plain_gets_of_the_hot_paths_are_replayed() -> None:
    """Other paths, other methods and reads with a query string always reach the route."""
    route = StandIn()
    layer = FastReads(route, authenticate, lambda: 1)
    for kwargs in (
        {"path": "/v1/jobs/j1/files/roster.csv"},
        {"path": "/v1/branches"},
        {"method": "POST"},
        {"query": b"x=1"},
    ):
        first, second = read(layer, "alice", **kwargs), read(layer, "alice", **kwargs)
        assert first != second, kwargs
    assert len(layer) == 0


def test_sqlite_version_changes_with_every_commit_of_another_connection(tmp_path: Any) -> None:
    """The data version moves on a commit from any other connection; memory DBs get none."""
    url = sa.make_url(f"sqlite:///{tmp_path / 'v.db'}")
    engine = sa.create_engine(url)
    with engine.begin() as conn:
        conn.exec_driver_sql("CREATE TABLE t (x INTEGER)")
    version = SqliteVersion.of(url)
    assert version is not None
    before = version()
    assert version() == before
    with engine.begin() as conn:
        conn.exec_driver_sql("INSERT INTO t VALUES (1)")
    assert version() != before
    version.close()
    engine.dispose()
    assert SqliteVersion.of(sa.make_url("sqlite://")) is None
    assert SqliteVersion.of(sa.make_url("postgresql+psycopg://u@h/db")) is None
