"""The FastAPI application: the ``/v1`` API, the web app and the error answers."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse

from scheduler.errors import InputError
from scheduler.service.api import input_error_body, router
from scheduler.service.core import Forbidden, NotFound, RosterService
from scheduler.service.settings import ServiceSettings


def create_app(settings: ServiceSettings, service: RosterService | None = None) -> FastAPI:
    """The application for ``settings`` (or around an already opened ``service``).

    The job runner starts with the application and stops with it.
    """
    svc = service or RosterService(settings)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        svc.start()
        try:
            yield
        finally:
            svc.close()

    app = FastAPI(
        title="branch-roster",
        version="1",
        summary="Bank-branch rosters: traffic forecast, staffing and CP-SAT roster as a service.",
        lifespan=lifespan,
    )
    app.state.service = svc

    @app.middleware("http")
    async def _limit_body(request: Request, call_next: Any) -> Any:
        """Refuse a request body announced larger than the upload limit before reading it."""
        length = request.headers.get("content-length", "")
        limit = svc.settings.max_upload_bytes + 64 * 1024  # the file plus its form headers
        if length.isdigit() and int(length) > limit:
            return JSONResponse(
                {"detail": f"the request is larger than {limit} bytes"}, status_code=413
            )
        return await call_next(request)

    @app.exception_handler(InputError)
    async def _input_error(request: Request, exc: InputError) -> JSONResponse:
        return JSONResponse(input_error_body(exc), status_code=422)

    @app.exception_handler(Forbidden)
    async def _forbidden(request: Request, exc: Forbidden) -> JSONResponse:
        return JSONResponse({"detail": str(exc)}, status_code=403)

    @app.exception_handler(NotFound)
    async def _not_found(request: Request, exc: NotFound) -> JSONResponse:
        return JSONResponse({"detail": str(exc)}, status_code=404)

    app.include_router(router)
    from scheduler.service.web import register_web

    register_web(app)
    return app
