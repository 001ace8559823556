"""The versioned HTTP API (``/v1/...``) for HR systems, managers and staff.

The frequent reads (``/me``, job status, result JSON, availability list, history) are
``async`` endpoints answered on the event loop from cached answers or one short query;
uploads, solves and other slow work stay in the thread pool. In front of the framework,
:class:`~scheduler.service.fastpath.FastReads` sends a caller the answer these routes gave
them for the same read again while the database is unchanged. The result JSON and the history
carry an ``ETag``: a poller that sends ``If-None-Match`` gets 304 without the body while
nothing changed.

Authentication: ``X-API-Key: brk_...`` (HR systems), or ``Authorization: Bearer <token>``
from ``POST /v1/auth/login``, or the web app's session cookie (then unsafe methods also need
the ``X-CSRF-Token`` header). Errors: 401 without valid credentials, 403 outside the
caller's branch or person, 404 for what does not exist, 413 for a too-large upload and 422
for bad input, with one ``issues`` entry per problem (file, location, column, value, message,
allowed, severity). A request the framework refuses before the service sees it (a malformed
body, an unknown field, a value of the wrong type) is answered in the same form: ``file``
names the part of the request (``body``, ``query``, ``path``) and ``location`` the field path.
"""

from __future__ import annotations

import datetime as dt
import functools
import gzip
import hashlib
import hmac
import json
import math
from collections.abc import Iterable
from types import UnionType
from typing import Annotated, Any, Union, get_args, get_origin

from fastapi import APIRouter, Depends, File, HTTPException, Request, UploadFile
from fastapi import Path as FastPath
from fastapi.responses import FileResponse, Response
from pydantic import BaseModel, ConfigDict, Field

from scheduler.errors import InputError, Issue
from scheduler.roster.files import summary_dict
from scheduler.roster.request import Pin
from scheduler.service.core import RosterService, check_week, frame_records, load_result
from scheduler.service.fastpath import volatile
from scheduler.service.security import Principal
from scheduler.service.worker import issue_dicts

SESSION_COOKIE = "roster_session"
CSRF_HEADER = "X-CSRF-Token"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})

router = APIRouter(prefix="/v1")


async def service(request: Request) -> RosterService:
    """The service object of the running app (async: no thread-pool hop per request)."""
    return request.app.state.service  # type: ignore[no-any-return]


async def current_principal(request: Request) -> Principal:
    """The authenticated caller, or 401.

    Cookie sessions must send the CSRF token on unsafe methods (403 otherwise). Runs on
    the event loop: a remembered session is a dictionary lookup, a new one one short query.
    """
    svc: RosterService = request.app.state.service
    key = request.headers.get("x-api-key")
    if key:
        who = svc.auth.from_api_key(key)
        if who is None:
            raise HTTPException(401, "unknown or revoked API key")
        return who
    auth = request.headers.get("authorization", "")
    if auth.lower().startswith("bearer "):
        who = svc.auth.from_session(auth[7:].strip())
        if who is None:
            raise HTTPException(401, "invalid or expired session token")
        return who
    cookie = request.cookies.get(SESSION_COOKIE)
    if cookie:
        who = svc.auth.from_session(cookie)
        if who is None:
            raise HTTPException(401, "invalid or expired session")
        if request.method not in SAFE_METHODS:
            sent = request.headers.get(CSRF_HEADER, "")
            if not hmac.compare_digest(sent, who.csrf):
                raise HTTPException(403, "missing or wrong CSRF token")
        return who
    raise HTTPException(401, "log in or send an API key", headers={"WWW-Authenticate": "Bearer"})


Caller = Annotated[Principal, Depends(current_principal)]
SwapId = Annotated[int, FastPath(ge=1, le=2**63 - 1, description="The swap request's number.")]
"""A swap number the database can hold (a larger one is a 422, not a database error)."""
Service = Annotated[RosterService, Depends(service)]


async def one_file(request: Request) -> None:
    """Refuse (422) an upload that sends more than one ``file`` part: which one was meant?"""
    form = await request.form()
    sent = [f.filename for f in form.getlist("file") if not isinstance(f, str)]
    if len(sent) > 1:
        raise InputError(
            [
                Issue(
                    "file",
                    f"{len(sent)} files were sent in one upload",
                    column="file",
                    value=", ".join(str(n) for n in sent)[:200],
                    allowed="one file per upload",
                )
            ]
        )


OneFile = [Depends(one_file)]
"""The dependencies of an upload route."""


async def read_upload(upload: UploadFile, limit: int) -> bytes:
    """The upload's bytes, refusing (413) anything larger than ``limit``."""
    raw = await upload.read(limit + 1)
    if len(raw) > limit:
        raise HTTPException(413, f"{upload.filename}: the file is larger than {limit} bytes")
    return raw


class Strict(BaseModel):
    """A request body that refuses unknown fields with a 422 naming the field.

    A misspelt option such as ``time_limit`` is then never silently left at its default, and
    values are taken as their JSON type says (strict): ``"yes"`` is no ``true`` and ``true``
    no number of seconds.
    """

    model_config = ConfigDict(extra="forbid", allow_inf_nan=False, strict=True)


class Login(Strict):
    """Credentials of an account (an unknown field is a 422, as for every JSON body)."""

    username: str = Field(min_length=1, max_length=64)
    password: str = Field(min_length=1, max_length=256)


class JobRequest(Strict):
    """A roster job: the ISO week, the manager's pins and the solver's time limit."""

    week: str = Field(pattern=r"^[0-9]{4}-W[0-9]{2}$", examples=["2026-W49"])
    pins: list[Pin] = Field(default_factory=list)
    time_limit_s: float | None = Field(None, gt=0)


class PublishRequest(Strict):
    """Publishing a job's roster."""

    new_version: bool = False
    note: str = Field("", max_length=500)


class SwapRequest(Strict):
    """A staff member's proposal to exchange a day with a colleague."""

    date: dt.date = Field(strict=False)  # JSON gives the date as text
    partner_id: str = Field(min_length=1, max_length=64)


def client_address(request: Request) -> str:
    """The caller's IP address (behind a trusted proxy, the one it forwarded)."""
    return request.client.host if request.client else "unknown"


@router.post(
    "/auth/login",
    tags=["auth"],
    responses={
        401: {"description": "Wrong username or password (the same for unknown users)."},
        429: {"description": "Too many failed logins; retry after `Retry-After` seconds."},
    },
)
def login(body: Login, request: Request, svc: Service) -> dict[str, Any]:
    """Exchange a username and password for a session token.

    After too many failed logins for the username or from the address within the window,
    logins are refused with 429 and ``Retry-After`` until the window has passed.
    """
    token = svc.login(body.username, body.password, client_address(request))
    if token is None:
        raise HTTPException(401, "wrong username or password")
    return {"token": token, "expires_in_s": int(svc.settings.session_hours * 3600)}


@router.post("/auth/logout", tags=["auth"])
def logout(request: Request, who: Caller, svc: Service) -> dict[str, str]:
    """Revoke the current session."""
    auth = request.headers.get("authorization", "")
    token = auth[7:].strip() if auth.lower().startswith("bearer ") else ""
    svc.auth.logout(token or request.cookies.get(SESSION_COOKIE, ""))
    return {"status": "logged out"}


@router.get("/me", tags=["auth"])
async def me(who: Caller) -> dict[str, Any]:
    """Who the caller is and which branches they may use."""
    return {
        "kind": who.kind,
        "name": who.name,
        "branches": sorted(who.branches),
        "staff_id": who.staff_id,
    }


@router.get("/branches", tags=["branches"])
def branches(who: Caller, svc: Service) -> list[dict[str, Any]]:
    """The branches the caller belongs to."""
    return [{"id": b["id"], "name": b["name"]} for b in svc.branches(who)]


@router.put("/branches/{branch_id}/config", tags=["branches"], dependencies=OneFile)
async def put_config(
    branch_id: str, who: Caller, svc: Service, file: UploadFile = File(...)
) -> dict[str, Any]:
    """Store the branch configuration (YAML, JSON or TOML), validated field by field."""
    raw = await read_upload(file, svc.settings.max_upload_bytes)
    config = svc.put_config(who, branch_id, raw, file.filename or "branch.yaml")
    return {"branch": config.branch.id, "staff": len(config.staff), "posts": len(config.posts)}


@router.get("/branches/{branch_id}/config", tags=["branches"])
def get_config(branch_id: str, who: Caller, svc: Service) -> dict[str, Any]:
    """The branch configuration.

    Staff see it too, with their colleagues' names, posts and qualifications but not their
    pay, contract, employment dates or personal limits (their own record is whole).
    """
    svc.require_member(who, branch_id)
    data = svc.config(branch_id).model_dump(mode="json")
    if who.kind == "staff":
        data["staff"] = [
            person
            if person.get("id") == who.staff_id
            else {k: v for k, v in person.items() if k in COLLEAGUE_FIELDS}
            for person in data.get("staff", [])
        ]
    return data


COLLEAGUE_FIELDS = frozenset({"id", "name", "qualifications", "home_post", "trainee_of"})
"""The fields of a colleague's staff record a staff account reads in the configuration."""


@router.put("/branches/{branch_id}/traffic", tags=["inputs"], dependencies=OneFile)
async def put_traffic(
    branch_id: str, who: Caller, svc: Service, file: UploadFile = File(...)
) -> dict[str, Any]:
    """Store the branch's hourly traffic history (CSV, CSV.GZ or XLSX)."""
    raw = await read_upload(file, svc.settings.max_upload_bytes)
    rows, warnings = svc.put_traffic(who, branch_id, raw, file.filename or "traffic.csv")
    return {"rows": rows, "warnings": warnings}


@router.put(
    "/branches/{branch_id}/weeks/{week}/availability", tags=["inputs"], dependencies=OneFile
)
async def put_availability(
    branch_id: str, week: str, who: Caller, svc: Service, file: UploadFile = File(...)
) -> dict[str, Any]:
    """Store an availability/leave file (CSV or XLSX) for a week; staff send only their own."""
    raw = await read_upload(file, svc.settings.max_upload_bytes)
    return svc.put_availability(who, branch_id, week, raw, file.filename or "availability.csv")


@router.get("/branches/{branch_id}/weeks/{week}/availability", tags=["inputs"])
async def list_availability(branch_id: str, week: str, who: Caller, svc: Service) -> list[dict]:
    """The availability files stored for the week (422 for a week that does not exist)."""
    svc.require_manager(who, branch_id)
    check_week(week)
    return [
        {**f, "uploaded_at": f["uploaded_at"].isoformat()}
        for f in svc.availability_files(branch_id, week)
    ]


@router.get("/branches/{branch_id}/weeks/{week}/declarations", tags=["inputs"])
def declarations(branch_id: str, week: str, who: Caller, svc: Service) -> list[dict[str, Any]]:
    """Every declaration and leave day of the week's files, one row per person and day."""
    return svc.availability(who, branch_id, week)


@router.post("/branches/{branch_id}/jobs", status_code=202, tags=["jobs"])
def create_job(branch_id: str, body: JobRequest, who: Caller, svc: Service) -> dict[str, Any]:
    """Queue the weekly job (forecast, staffing, roster); poll ``/v1/jobs/{id}``."""
    job_id = svc.create_job(who, branch_id, body.week, body.pins, body.time_limit_s)
    return svc.job(who, job_id)


@router.get("/branches/{branch_id}/jobs", tags=["jobs"])
def list_jobs(branch_id: str, who: Caller, svc: Service) -> list[dict[str, Any]]:
    """The branch's newest jobs."""
    return svc.jobs(who, branch_id)


@router.get("/jobs/{job_id}", tags=["jobs"])
async def get_job(job_id: str, request: Request, who: Caller, svc: Service) -> dict[str, Any]:
    """Status, stage, progress (0..1) and message of a job."""
    record = svc.job(who, job_id)
    if record["started_at"] is not None and record["finished_at"] is None:
        volatile(request)  # the elapsed time grows without a write
    return record


@router.post("/jobs/{job_id}/cancel", tags=["jobs"])
def cancel_job(job_id: str, who: Caller, svc: Service) -> dict[str, Any]:
    """Cancel a queued or running job (409 if it has finished)."""
    if not svc.cancel_job(who, job_id):
        raise HTTPException(409, "the job has already finished")
    return {"id": job_id, "cancel_requested": True}


@router.post("/jobs/{job_id}/retry", tags=["jobs"])
def retry_job(job_id: str, who: Caller, svc: Service) -> dict[str, Any]:
    """Queue an interrupted, failed or cancelled job again on the inputs it kept."""
    return svc.retry_job(who, job_id)


@router.get("/jobs/{job_id}/result", tags=["results"])
async def get_result(job_id: str, request: Request, who: Caller, svc: Service) -> Response:
    """The roster as JSON: summary, assignments, shifts, coverage, penalties, conflicts, warnings.

    Penalty and conflict sentences are given in English (``message``, ``relaxation``) and in
    Chinese (``message_zh``, ``relaxation_zh``); the warnings too (``warnings``,
    ``warnings_zh``, also in ``summary``).
    """
    path = svc.result_path(who, job_id)  # access and status checks
    mtime_ns = path.stat().st_mtime_ns
    return json_with_etag(request, result_json(str(path), mtime_ns), f"r{mtime_ns:x}")


@functools.lru_cache(maxsize=16)
def result_json(path: str, mtime_ns: int) -> bytes:
    """The JSON body of a result file (encoded once per file version; results never change)."""
    result = load_result(path, mtime_ns)
    roster = result.roster
    body = {
        "summary": summary_dict(roster),
        "assignments": frame_records(roster.assignments),
        "shifts": frame_records(roster.shifts),
        "coverage": frame_records(roster.coverage),
        "people": frame_records(roster.people),
        "penalties": [
            {
                "rule": p.rule,
                "amount": p.amount,
                "cost": p.cost,
                "message": p.message,
                "message_zh": p.message_in("zh"),
            }
            for p in roster.penalties
        ],
        "conflicts": [
            {
                "rules": list(c.rules),
                "message": c.message,
                "relaxation": c.relaxation,
                "message_zh": c.message_in("zh"),
                "relaxation_zh": c.relaxation_in("zh"),
            }
            for c in roster.conflicts
        ],
        "warnings": list(roster.warnings),
        "warnings_zh": list(roster.warnings_in("zh")),
    }
    return json.dumps(body, ensure_ascii=False, default=str).encode()


RESULT_FILES = {
    "roster.csv": "text/csv",
    "shifts.csv": "text/csv",
    "coverage.csv": "text/csv",
    "people.csv": "text/csv",
    "penalties.csv": "text/csv",
    "forecast.csv": "text/csv",
    "requirements.csv": "text/csv",
    "summary.json": "application/json",
    "roster.xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


@router.get("/jobs/{job_id}/files/{name}", tags=["results"])
def get_file(job_id: str, name: str, who: Caller, svc: Service) -> FileResponse:
    """A file of the job's result: ``roster.csv``, ``roster.xlsx``, ``coverage.csv`` ..."""
    if name not in RESULT_FILES:
        raise HTTPException(404, f"no file {name}; allowed: {', '.join(RESULT_FILES)}")
    path = svc.result_file(who, job_id, name)
    return FileResponse(path, media_type=RESULT_FILES[name], filename=name)


@router.post("/jobs/{job_id}/publish", tags=["results"])
def publish(job_id: str, body: PublishRequest, who: Caller, svc: Service) -> dict[str, Any]:
    """Publish the job's roster (a week already published needs ``new_version``)."""
    return {"publication_id": svc.publish(who, job_id, body.new_version, body.note)}


@router.get("/branches/{branch_id}/weeks/{week}/history", tags=["history"])
async def history(
    branch_id: str, week: str, request: Request, who: Caller, svc: Service
) -> Response:
    """The week's publications and the roster in force (staff: their own rows)."""
    body = svc.history_json(who, branch_id, week)
    return json_with_etag(request, body, hashlib.blake2b(body, digest_size=12).hexdigest())


def json_with_etag(request: Request, body: bytes, tag: str) -> Response:
    """A JSON answer with its ``ETag``; 304 without the body if the caller has that version.

    A caller accepting gzip gets the body compressed once per version (a result is ~250 KB
    of JSON, ~25 KB compressed; writing the large bodies took a third of the server's time
    under load). Access is checked before this is called, so a 304 tells nothing to a
    stranger.
    """
    gz = "gzip" in request.headers.get("accept-encoding", "")
    etag = f'"{tag}-gz"' if gz else f'"{tag}"'
    headers = {"ETag": etag, "Vary": "Accept-Encoding"}
    if etag in request.headers.get("if-none-match", "").replace(" ", "").split(","):
        return Response(status_code=304, headers=headers)
    if gz:
        headers["Content-Encoding"] = "gzip"
        body = gzipped(body)
    return Response(body, media_type="application/json", headers=headers)


@functools.lru_cache(maxsize=32)
def gzipped(body: bytes) -> bytes:
    """``body`` gzip-compressed (cached: the same answer object is compressed once)."""
    return gzip.compress(body, compresslevel=6, mtime=0)


@router.get("/branches/{branch_id}/leave-plan", tags=["history"])
def leave_plan(branch_id: str, year: int, who: Caller, svc: Service) -> dict[str, Any]:
    """The year's mandatory-leave plan: blocks, conflicts with their fixes, and warnings.

    Each is given in English (``conflicts``, ``relaxations``, ``warnings``) and in Chinese
    (``conflicts_zh``, ``relaxations_zh``, ``warnings_zh``), in the same order; the plan's
    costs in ``penalties`` (each with ``message`` and ``message_zh``) with the solver's
    ``objective``, ``best_bound`` and ``gap``.
    """
    return svc.leave_plan(who, branch_id, year)


@router.post("/branches/{branch_id}/weeks/{week}/swaps", tags=["swaps"])
def propose_swap(
    branch_id: str, week: str, body: SwapRequest, who: Caller, svc: Service
) -> dict[str, Any]:
    """A staff member proposes to exchange a day with a colleague (checked on every hard rule)."""
    return svc.propose_swap(who, branch_id, week, body.date, body.partner_id)


@router.get("/branches/{branch_id}/swaps", tags=["swaps"])
def list_swaps(branch_id: str, who: Caller, svc: Service) -> list[dict[str, Any]]:
    """Swap requests (staff: their own)."""
    return svc.swaps(who, branch_id)


@router.post("/swaps/{swap_id}/approve", tags=["swaps"])
def approve_swap(swap_id: SwapId, who: Caller, svc: Service) -> dict[str, Any]:
    """The manager approves a swap: the week is published again with the days exchanged."""
    return svc.decide_swap(who, swap_id, approve=True)


@router.post("/swaps/{swap_id}/reject", tags=["swaps"])
def reject_swap(swap_id: SwapId, who: Caller, svc: Service) -> dict[str, Any]:
    """The manager rejects a swap."""
    return svc.decide_swap(who, swap_id, approve=False)


SECRET_FIELDS = frozenset({"password", "new_password", "token", "api_key", "secret"})
"""Fields whose refused value a 422 never echoes."""

ECHO_MAX_CHARS = 200
"""Longest refused text a 422 echoes; longer input is cut with its length said."""

REQUEST_PARTS = frozenset({"body", "query", "path", "header", "cookie"})
"""Where in a request a refused value was sent (the first part of a validation location)."""

_PLAIN_WORDS = {
    "missing": ("this field is required", "add this field"),
    "extra_forbidden": ("unknown field", "remove it, or check its spelling"),
    "finite_number": ("not a finite number", "a number (not NaN or Infinity)"),
    "string_type": ("not text", "text in quotes"),
    "bool_type": ("not true or false", "true or false (without quotes)"),
    "int_type": ("not a whole number", "a whole number"),
    "int_parsing": ("not a whole number", "a whole number"),
    "int_from_float": ("not a whole number", "a whole number"),
    "float_type": ("not a number", "a number (without quotes)"),
    "float_parsing": ("not a number", "a number"),
    "list_type": ("not a list", "a list, e.g. []"),
    "date_parsing": ("not a date", "a date such as 2026-12-01"),
    "date_from_datetime_parsing": ("not a date", "a date such as 2026-12-01"),
    "model_attributes_type": ("not a JSON object", "a JSON object, e.g. {}"),
    "model_type": ("not a JSON object", "a JSON object, e.g. {}"),
    "dict_type": ("not a JSON object", "a JSON object, e.g. {}"),
}
"""Pydantic's error types a request commonly fails with: the message and what is allowed."""


def as_text(value: Any) -> str | None:
    """A refused value as text: text as sent, anything else as JSON (``5``, ``[1, 2]``).

    ``NaN``, infinite numbers and lone surrogates are written as :func:`json_safe` does.
    """
    if value is None:
        return None
    value = json_safe(value)
    return value if isinstance(value, str) else json.dumps(value, ensure_ascii=False, default=str)


def echo(text: str) -> str:
    """``text`` as a 422 shows it: cut after :data:`ECHO_MAX_CHARS`, its length given."""
    if len(text) > ECHO_MAX_CHARS:
        return f"{text[:ECHO_MAX_CHARS]}... ({len(text)} characters)"
    return text


def without_secrets(value: Any) -> Any:
    """``value`` with the values of :data:`SECRET_FIELDS` in it replaced by ``"(hidden)"``."""
    if isinstance(value, dict):
        return {
            k: "(hidden)" if str(k).lower() in SECRET_FIELDS else without_secrets(v)
            for k, v in value.items()
        }
    if isinstance(value, list | tuple):
        return [without_secrets(v) for v in value]
    return value


def field_path(parts: Iterable[Any]) -> str:
    """A location as a field path, e.g. ``pins[0].staff_id``."""
    out = ""
    for part in parts:
        out += f"[{part}]" if isinstance(part, int) else ("." if out else "") + str(part)
    return out


def validation_issues(errors: Iterable[dict[str, Any]], body: Any = None) -> list[Issue]:
    """Pydantic's errors about a request as the service's issues, one per problem.

    Each issue names where the value was sent (``file``: ``body``, ``query``, ``path``,
    ``header`` or ``cookie``), the field path (``location``, e.g. ``pins[0].date``), the
    field (``column``), the value refused (as text), what is wrong and what is allowed. The
    value of a secret field (a password) is never echoed, neither is it inside an echoed
    object; :func:`input_error_body` cuts a long value.

    Args:
        errors: ``RequestValidationError.errors()``.
        body: The route's body model, to list its fields for an unknown one.
    """
    return [_validation_issue(error, body) for error in errors]


def _validation_issue(error: dict[str, Any], body: Any) -> Issue:
    """One of pydantic's errors about a request as an issue (see :func:`validation_issues`)."""
    loc = tuple(error.get("loc", ()))
    part, path = (loc[0], loc[1:]) if loc and loc[0] in REQUEST_PARTS else ("request", loc)
    kind = str(error.get("type", ""))
    ctx = error.get("ctx") or {}
    allowed: str | None
    if kind in _PLAIN_WORDS:
        message, allowed = _PLAIN_WORDS[kind]
    else:
        message, allowed = _sentence(str(error.get("msg", ""))), _allowed(kind, ctx)
        example = _example(body, path) if part == "body" else None
        if allowed and example is not None:
            allowed += f", e.g. {example}"
    value = None if kind == "missing" else error.get("input")
    location: str | None = field_path(path) or None
    if kind == "json_invalid":  # the location holds the character where decoding stopped
        at = path[0] if path and isinstance(path[0], int) else None
        message = f"the body is not valid JSON ({ctx.get('error', 'decode error')})"
        allowed, path, value = "a JSON object, e.g. {}", (), None
        location = f"character {at}" if at is not None else None
    elif kind == "missing" and not path:
        message, allowed = f"the request has no {part}", "a JSON object, e.g. {}"
    elif kind == "extra_forbidden":
        known = model_at(body, path[:-1])
        if known is not None:
            allowed = f"the fields {', '.join(known.model_fields)}"
    if {str(p).lower() for p in loc} & SECRET_FIELDS and value is not None:
        value = "(hidden)"
    return Issue(
        part,
        message,
        location=location,
        column=next((str(p) for p in reversed(path) if isinstance(p, str)), None),
        value=as_text(without_secrets(value)),
        allowed=allowed,
    )


def _sentence(msg: str) -> str:
    """Pydantic's message as the service writes its messages (lower case first).

    A model's own check (``Value error, a pin needs off, a shift or a post``) loses the
    prefix pydantic puts before it.
    """
    msg = msg.removeprefix("Value error, ")
    return msg[:1].lower() + msg[1:]


def _allowed(kind: str, ctx: dict[str, Any]) -> str | None:
    """What a field allows, from the limits pydantic names in an error's context."""
    if "expected" in ctx:
        return str(ctx["expected"])
    if "pattern" in ctx:
        return f"text matching {ctx['pattern']}"
    for key, word in (("gt", ">"), ("ge", ">="), ("lt", "<"), ("le", "<=")):
        if key in ctx:
            return f"a number {word} {ctx[key]}"
    unit = "characters" if kind.startswith("string_") else "entries"
    for key, word in (("max_length", "at most"), ("min_length", "at least")):
        if key in ctx:
            return f"{word} {ctx[key]} {unit}"
    return None


def _example(body: Any, path: tuple[Any, ...]) -> Any:
    """The first example the body model gives for the field at ``path``, if any."""
    owner = model_at(body, path[:-1]) if path else None
    info = owner.model_fields.get(path[-1]) if owner is not None else None
    return info.examples[0] if info is not None and info.examples else None


def model_at(model: Any, path: tuple[Any, ...]) -> type[BaseModel] | None:
    """The model of the object at ``path`` inside a body model (``None`` if there is none)."""
    kind = model
    for part in path:
        kind = _optional_of(kind)
        if isinstance(part, int):
            args = get_args(kind)
            kind = args[-1] if args else None  # list[X] and dict[str, X]: X
        elif isinstance(kind, type) and issubclass(kind, BaseModel) and part in kind.model_fields:
            kind = kind.model_fields[part].annotation
        else:
            return None
    kind = _optional_of(kind)
    return kind if isinstance(kind, type) and issubclass(kind, BaseModel) else None


def _optional_of(kind: Any) -> Any:
    """``X`` for ``X | None``; any other type unchanged."""
    args = [a for a in get_args(kind) if a is not type(None)]
    return args[0] if get_origin(kind) in (Union, UnionType) and len(args) == 1 else kind


def body_model(request: Request) -> Any:
    """The body model of the route a request was matched to (``None`` if it has none)."""
    field = getattr(request.scope.get("route"), "body_field", None)
    return getattr(getattr(field, "field_info", None), "annotation", None)


def json_safe(value: Any) -> Any:
    r"""``value`` with what JSON cannot carry written as text.

    ``NaN`` and infinite numbers become ``"nan"`` / ``"inf"``, lone surrogates ``\udxxx``
    escapes. A 422 answer echoes the input it refuses; a body holding ``NaN`` or a broken
    UTF-16 escape must still get its answer, not a server error.
    """
    if isinstance(value, float) and not math.isfinite(value):
        return repr(value)
    if isinstance(value, str):
        return value.encode("utf-8", "backslashreplace").decode("utf-8")
    if isinstance(value, dict):
        return {json_safe(k): json_safe(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [json_safe(v) for v in value]
    return value


def input_error_body(exc: InputError) -> dict[str, Any]:
    """The JSON body of a 422 answer: a headline and one entry per problem.

    A refused value longer than :data:`ECHO_MAX_CHARS` is cut, with its length given (a
    100,000-character name in a configuration is not sent back whole).
    """
    issues = issue_dicts(exc)
    for issue in issues:
        if isinstance(issue["value"], str):
            issue["value"] = echo(issue["value"])
    return json_safe({"detail": str(exc).splitlines()[0], "issues": issues})
