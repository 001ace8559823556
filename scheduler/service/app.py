"""The FastAPI application: the ``/v1`` API, the web app and the error answers."""

from __future__ import annotations

import functools
import gc
import os
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.types import ASGIApp, Receive, Scope, Send

from scheduler.errors import InputError
from scheduler.service.api import (
    body_model,
    current_principal,
    input_error_body,
    router,
    validation_issues,
)
from scheduler.service.core import Forbidden, NotFound, NotReady, RosterService, TooManyLogins
from scheduler.service.fastpath import FastReads, SqliteVersion
from scheduler.service.settings import ServiceSettings


class BodyLimit:
    """Refuse (413) a request whose announced body is larger than ``limit`` bytes, unread.

    A plain ASGI middleware: unlike ``@app.middleware("http")`` it adds no task and no
    stream per request, which matters for the read latency under load.

    Args:
        app: The wrapped application.
        limit: Largest accepted ``Content-Length`` (the upload limit plus form headers).
    """

    def __init__(self, app: ASGIApp, limit: int):
        self.app = app
        self.limit = limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Answer 413 for a too-large announced body, else pass the request on."""
        if scope["type"] == "http":
            for name, value in scope["headers"]:
                if name == b"content-length" and value.isdigit() and int(value) > self.limit:
                    response = JSONResponse(
                        {"detail": f"the request is larger than {self.limit} bytes"},
                        status_code=413,
                    )
                    await response(scope, receive, send)
                    return
        await self.app(scope, receive, send)


class HeadAsGet:
    """Answer ``HEAD`` as the ``GET`` of the same path would, without its body.

    HTTP requires every resource that answers ``GET`` to answer ``HEAD`` with the same
    status and headers (monitors and proxies probe with it); FastAPI's routes answer 405.
    A plain ASGI middleware, like :class:`BodyLimit`.
    """

    def __init__(self, app: ASGIApp):
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Run a ``HEAD`` request as ``GET`` and send the answer's start, never its body."""
        if scope["type"] != "http" or scope["method"] != "HEAD":
            await self.app(scope, receive, send)
            return

        async def headers_only(message: dict) -> None:
            if message["type"] == "http.response.body":
                if not message.get("more_body", False):
                    await send({"type": "http.response.body", "body": b""})
                return
            await send(message)

        await self.app({**scope, "method": "GET"}, receive, headers_only)


class RosterApp(FastAPI):
    """The FastAPI application with :class:`~scheduler.service.fastpath.FastReads` in front.

    The replayed reads skip the whole framework stack (its per-request telemetry check,
    error and body-limit middleware, routing and dependencies); every other request, and
    every read that is not replayed, goes through it unchanged.

    Attributes:
        fast_reads: The replaying layer, ``None`` to answer everything through FastAPI.
    """

    fast_reads: FastReads | None = None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Hand the request to the fast reads, or straight to FastAPI."""
        if self.fast_reads is None:
            await super().__call__(scope, receive, send)
            return
        scope["app"] = self  # as Starlette sets it: the routes' dependencies read it
        await self.fast_reads(scope, receive, send)


SETTINGS_ENV = "BRANCH_ROSTER_SERVE_SETTINGS"
"""Environment variable with the JSON settings of :func:`app_from_environment`."""


def app_from_environment() -> FastAPI:
    """The application of the settings in ``$BRANCH_ROSTER_SERVE_SETTINGS``.

    ``branch-roster serve --http-workers N`` starts N server processes with this factory;
    each opens the same database and data folder, and the one holding the data folder's
    job lock runs the jobs (see :class:`~scheduler.service.jobs.JobRunner`).
    """
    return create_app(ServiceSettings.from_json(os.environ[SETTINGS_ENV]))


def create_app(settings: ServiceSettings, service: RosterService | None = None) -> FastAPI:
    """The application for ``settings`` (or around an already opened ``service``).

    The job runner starts with the application and stops with it. With
    ``settings.fast_reads`` on a SQLite file, :class:`~scheduler.service.fastpath.FastReads`
    answers the frequent reads again while the database is unchanged.
    """
    svc = service or RosterService(settings)
    version = SqliteVersion.of(svc.engine.url) if svc.settings.fast_reads else None

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        svc.start()
        # Everything imported and loaded so far lives as long as the process: keep it out of
        # the collector, whose full passes over the scheduler's modules (pandas, OR-Tools)
        # otherwise stop every request for up to a second under load.
        gc.collect()
        gc.freeze()
        try:
            yield
        finally:
            svc.close()
            if version is not None:
                version.close()

    app = RosterApp(
        title="branch-roster",
        version="1",
        summary="Bank-branch rosters: traffic forecast, staffing and CP-SAT roster as a service.",
        lifespan=lifespan,
    )
    app.state.service = svc

    app.add_middleware(BodyLimit, limit=svc.settings.max_upload_bytes + 64 * 1024)
    app.add_middleware(HeadAsGet)
    if version is not None:
        app.fast_reads = FastReads(
            functools.partial(FastAPI.__call__, app), current_principal, version
        )

    @app.exception_handler(RequestValidationError)
    async def _invalid_request(request: Request, exc: RequestValidationError) -> JSONResponse:
        issues = validation_issues(exc.errors(), body_model(request))
        return JSONResponse(input_error_body(InputError(issues)), status_code=422)

    @app.exception_handler(InputError)
    async def _input_error(request: Request, exc: InputError) -> JSONResponse:
        return JSONResponse(input_error_body(exc), status_code=422)

    @app.exception_handler(Forbidden)
    async def _forbidden(request: Request, exc: Forbidden) -> JSONResponse:
        return JSONResponse({"detail": str(exc)}, status_code=403)

    @app.exception_handler(TooManyLogins)
    async def _too_many(request: Request, exc: TooManyLogins) -> JSONResponse:
        return JSONResponse(
            {"detail": str(exc)},
            status_code=429,
            headers={"Retry-After": str(exc.retry_after)},
        )

    @app.exception_handler(NotReady)
    async def _not_ready(request: Request, exc: NotReady) -> JSONResponse:
        return JSONResponse({"detail": str(exc)}, status_code=409)

    @app.exception_handler(NotFound)
    async def _not_found(request: Request, exc: NotFound) -> JSONResponse:
        return JSONResponse({"detail": str(exc)}, status_code=404)

    app.include_router(router)
    from scheduler.service.web import register_web

    register_web(app)
    return app
