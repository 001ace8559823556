"""Fast reads: the frequent GETs answered again from their recorded answer while nothing changed.

Managers' pages and HR systems poll four reads: a job's status, its roster JSON, the week's
availability list and the published week's history. Under load most of a read's cost was the
framework (routing, dependencies, response objects) and one database query, not the answer,
which is the same until something is written. :class:`FastReads` sits in front of the
FastAPI application and, for those four paths only:

1. authenticates the caller with the routes' own dependency
   (:func:`~scheduler.service.api.current_principal`, passed in); a refused caller goes on
   to the route, which refuses them with the same answer as always;
2. looks up the answer the route gave to *the same caller* for the same path and the same
   ``Accept-Encoding`` and ``If-None-Match`` headers, recorded while the database was at the
   same version, and sends it again (status, headers and body as the route sent them);
3. otherwise lets the route answer, and records a 200 or 304 answer for next time.

No access rule is repeated here: an answer is only ever replayed to the caller the route
gave it to (the :class:`~scheduler.service.security.Principal`, which holds every fact the
access rules read about the caller), and only while the database is unchanged, so the
route would decide and answer the same again. A session's expiry, logout or revocation is
checked on every read by the same authentication as the route's.

"Unchanged" is SQLite's ``PRAGMA data_version`` on a read-only connection of this process:
it changes with every commit by any other connection, from this process or another one
(the job runner's progress, an upload, a publication, a login), so any write forgets every
recorded answer. Job results are files written before their job's row says ``succeeded``.
A running job's status, whose elapsed time changes without a write, is never recorded (the
route marks it with :func:`volatile`). Other databases have no such cheap version number:
there every read goes to the route.
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Awaitable, Callable
from typing import Any

from fastapi import HTTPException
from starlette.requests import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from scheduler.service.security import Principal

Authenticate = Callable[[Request], Awaitable[Principal]]
"""The routes' authentication dependency: the caller of a request, or HTTPException."""

HOT_PATHS = re.compile(
    r"^/v1/(?:jobs/[^/]+(?:/result)?|branches/[^/]+/weeks/[^/]+/(?:availability|history))$"
)
"""Job status, job result, the week's availability list and the week's history."""
MAX_ANSWERS = 4096
"""Recorded answers kept at most (the record starts over beyond)."""
VOLATILE = "branch_roster.volatile"
"""Scope key a route sets when its answer changes without a database write."""


def volatile(request: Request) -> None:
    """Mark the current answer as one that must not be replayed (e.g. a running job)."""
    request.scope[VOLATILE] = True


class SqliteVersion:
    """The data version of a SQLite database file, read on a connection of its own.

    ``PRAGMA data_version`` changes whenever another connection (of any process) commits;
    this connection never writes, so every commit counts.

    Args:
        path: The database file.
    """

    def __init__(self, path: str):
        self._conn = sqlite3.connect(path, check_same_thread=False, isolation_level=None)
        self._cursor = self._conn.cursor()

    @classmethod
    def of(cls, url: Any) -> SqliteVersion | None:
        """The reader for a SQLAlchemy URL, ``None`` unless it is a SQLite file."""
        path = url.database
        if url.get_backend_name() != "sqlite" or not path or path == ":memory:":
            return None
        if "mode=memory" in str(url):
            return None
        return cls(path)

    def __call__(self) -> int:
        """The current data version."""
        return int(self._cursor.execute("PRAGMA data_version").fetchone()[0])

    def close(self) -> None:
        """Close the connection."""
        self._conn.close()


class FastReads:
    """ASGI middleware replaying the hot reads' recorded answers while nothing changed.

    Args:
        app: The FastAPI application (with the routes that answer everything else).
        authenticate: The routes' authentication dependency (the same function, so the
            same callers are refused).
        version: Returns the database's current data version; ``None`` turns replay off.
    """

    def __init__(self, app: ASGIApp, authenticate: Authenticate, version: Callable[[], int] | None):
        self.app = app
        self.authenticate = authenticate
        self.version = version
        self._answers: dict[tuple[Any, ...], tuple[int, Message, Message]] = {}

    def __len__(self) -> int:
        """The number of recorded answers."""
        return len(self._answers)

    def forget(self) -> None:
        """Drop every recorded answer."""
        self._answers.clear()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Replay a recorded answer, or let the application answer (and record it)."""
        if (
            self.version is None
            or scope["type"] != "http"
            or scope["method"] != "GET"
            or scope["query_string"]
            or not HOT_PATHS.match(scope["path"])
        ):
            await self.app(scope, receive, send)
            return
        request = Request(scope)
        try:
            who = await self.authenticate(request)
        except HTTPException:  # the route refuses the caller, with its own answer
            await self.app(scope, receive, send)
            return
        headers = request.headers
        key = (
            who,
            scope["path"],
            headers.get("accept-encoding", ""),
            headers.get("if-none-match", ""),
        )
        try:
            version = self.version()
        except sqlite3.Error:  # the version cannot be read: answer without the record
            await self.app(scope, receive, send)
            return
        answer = self._answers.get(key)
        if answer is not None and answer[0] == version:
            await send(dict(answer[1]))
            await send(dict(answer[2]))
            return
        await self._record(key, version, scope, receive, send)

    async def _record(
        self, key: tuple[Any, ...], version: int, scope: Scope, receive: Receive, send: Send
    ) -> None:
        """Let the route answer; keep a single-part 200 or 304 answer for ``key``."""
        sent: list[Message] = []

        async def keep(message: Message) -> None:
            sent.append(dict(message))
            await send(message)

        await self.app(scope, receive, keep)
        if (
            len(sent) == 2
            and sent[0]["type"] == "http.response.start"
            and sent[0]["status"] in (200, 304)
            and sent[1]["type"] == "http.response.body"
            and not sent[1].get("more_body", False)
            and not scope.get(VOLATILE)
        ):
            if len(self._answers) >= MAX_ANSWERS:
                self._answers.clear()
            self._answers[key] = (version, sent[0], sent[1])
