"""The web app: server-rendered pages for managers and staff, Chinese by default.

Managers see the week's availability files, run the roster, read the week grid, coverage and
rule explanations, pin an assignment and re-solve, publish, download the workbook and decide
swap requests. Staff see their published shifts, declare availability for coming weeks and
propose swaps (checked on every hard rule before the manager sees them). Every form carries
the session's CSRF token; the login form uses a double-submit cookie.
"""

from __future__ import annotations

import datetime as dt
import hmac
import secrets
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pandas as pd
from fastapi import FastAPI, Form, HTTPException, Request
from fastapi.responses import RedirectResponse, Response
from fastapi.templating import Jinja2Templates

from scheduler.errors import InputError
from scheduler.pipeline import week_of
from scheduler.reports.labels import Labels
from scheduler.roster.request import Pin
from scheduler.service.api import SESSION_COOKIE, client_address
from scheduler.service.core import Forbidden, NotFound, RosterService, TooManyLogins
from scheduler.service.security import Principal

LANG_COOKIE = "roster_lang"
LOGIN_CSRF_COOKIE = "roster_login_csrf"
TEMPLATES = Jinja2Templates(directory=str(Path(__file__).parent / "templates"))

TEXT: dict[str, tuple[str, str]] = {
    "title": ("网点排班", "Branch roster"),
    "login": ("登录", "Log in"),
    "logout": ("退出", "Log out"),
    "username": ("用户名", "Username"),
    "password": ("密码", "Password"),
    "bad_login": ("用户名或密码错误", "Wrong username or password"),
    "too_many_logins": (
        "登录失败次数过多,请 {seconds} 秒后再试",
        "Too many failed logins; try again in {seconds} s",
    ),
    "week": ("周", "Week"),
    "availability": ("可用时段申报", "Availability"),
    "no_files": ("本周尚无申报文件", "No availability file for this week yet"),
    "run": ("生成排班", "Run the roster"),
    "time_limit": ("求解时间(秒)", "Solver time (s)"),
    "jobs": ("排班任务", "Roster jobs"),
    "status": ("状态", "Status"),
    "stage": ("阶段", "Stage"),
    "open": ("查看", "Open"),
    "cancel": ("取消", "Cancel"),
    "grid": ("周排班表", "Week grid"),
    "coverage": ("覆盖情况", "Coverage"),
    "required": ("需求人时", "Staff-hours needed"),
    "assigned": ("安排人时", "Staff-hours assigned"),
    "short": ("缺口人时", "Staff-hours short"),
    "rules": ("规则说明", "Rule explanations"),
    "rule": ("规则", "Rule"),
    "what_rule_asks": ("规则说明", "What the rule asks"),
    "file": ("文件", "File"),
    "by": ("提交人", "Sent by"),
    "count": ("次数", "Count"),
    "cost": ("罚分", "Cost"),
    "conflicts": ("冲突", "Conflicts"),
    "warnings": ("提示", "Warnings"),
    "pin": ("固定安排并重新求解", "Pin an assignment and re-solve"),
    "staff": ("员工", "Staff"),
    "date": ("日期", "Date"),
    "off": ("休息", "Day off"),
    "shift": ("班次", "Shift"),
    "post": ("岗位", "Post"),
    "any": ("任意", "any"),
    "publish": ("发布", "Publish"),
    "new_version": ("作为新版本发布", "Publish as a new version"),
    "published": ("已发布,版本号", "Published, publication"),
    "download": ("下载排班工作簿", "Download the workbook"),
    "swaps": ("换班申请", "Shift swaps"),
    "approve": ("批准", "Approve"),
    "reject": ("拒绝", "Reject"),
    "my_shifts": ("我的班次", "My shifts"),
    "no_shifts": ("本周尚未发布排班", "No roster published for this week"),
    "declare": ("申报可用时段", "Declare availability"),
    "type": ("类型", "Type"),
    "start": ("开始", "Start"),
    "end": ("结束", "End"),
    "note": ("备注", "Note"),
    "send": ("提交", "Send"),
    "saved": ("已保存", "Saved"),
    "propose_swap": ("申请换班", "Propose a swap"),
    "colleague": ("同事", "Colleague"),
    "swap_refused": ("换班违反硬性规则,未提交:", "The swap breaks hard rules and was not sent:"),
    "swap_sent": ("换班申请已提交,等待网点主管批准", "Swap sent to the manager for approval"),
    "errors": ("输入有误", "Problems in the input"),
    "pins": ("已固定的安排", "Pinned assignments"),
    "back": ("返回", "Back"),
    "retry": ("重新运行", "Run again"),
}
TYPES = {
    "不可用": ("不可用", "Unavailable"),
    "可用": ("仅此时段可上班", "Available only then"),
    "希望上班": ("希望上班", "Prefer to work"),
    "不希望": ("不希望上班", "Prefer not to work"),
    "年假": ("年假", "Annual leave"),
}

KIND_NAMES = {
    "unavailable": ("不可用", "Unavailable"),
    "available": ("仅此时段可上班", "Available only then"),
    "preferred": ("希望上班", "Prefers to work"),
    "undesired": ("不希望上班", "Prefers not to work"),
    "annual": ("年假", "Annual leave"),
    "sick": ("病假", "Sick leave"),
    "training": ("培训", "Training"),
    "mandatory": ("强制休假", "Mandatory leave"),
    "other": ("其他假", "Other leave"),
}
"""Display names of availability and leave kinds (the domain enums' values)."""


def _lang(request: Request) -> str:
    lang = request.query_params.get("lang") or request.cookies.get(LANG_COOKIE, "zh")
    return lang if lang in ("zh", "en") else "zh"


def _t(lang: str) -> dict[str, str]:
    index = 0 if lang == "zh" else 1
    return {k: v[index] for k, v in TEXT.items()}


def _svc(request: Request) -> RosterService:
    return request.app.state.service  # type: ignore[no-any-return]


def _who(request: Request) -> Principal | None:
    token = request.cookies.get(SESSION_COOKIE)
    return _svc(request).auth.from_session(token) if token else None


def _check_csrf(who: Principal, sent: str) -> None:
    if not hmac.compare_digest(sent, who.csrf):
        raise HTTPException(403, "missing or wrong CSRF token")


def _page(request: Request, name: str, who: Principal | None, **context: Any) -> Response:
    lang = _lang(request)
    response = TEMPLATES.TemplateResponse(
        request,
        name,
        {"t": _t(lang), "lang": lang, "who": who, "path": request.url.path, **context},
    )
    if request.query_params.get("lang") in ("zh", "en"):
        response.set_cookie(LANG_COOKIE, lang, samesite="lax")
    return response


def _redirect(url: str) -> RedirectResponse:
    return RedirectResponse(url, status_code=303)


def _upcoming_week() -> str:
    return week_of(dt.date.today() + dt.timedelta(days=7))


def week_grid(result: Any, labels: Labels) -> dict[str, Any]:
    """The week as rows of people and columns of days: shift times and posts per cell."""
    roster = result.roster
    days = list(roster.horizon.dates)
    cells: dict[tuple[str, str], str] = {}
    for s in roster.shifts.itertuples():
        cells[(str(s.staff_id), str(s.date))] = f"{s.start}-{s.end}"
    work = roster.assignments[roster.assignments["activity"] == "post"]
    posts: dict[tuple[str, str], list[str]] = {}
    for a in work.itertuples():
        key = (str(a.staff_id), str(a.date))
        name = labels.post(str(a.post))
        if name not in posts.setdefault(key, []):
            posts[key].append(name)
    rows = []
    for person in labels.config.staff:
        row = [
            {
                "time": cells.get((person.id, str(d)), ""),
                "posts": "、".join(posts.get((person.id, str(d)), [])),
            }
            for d in days
        ]
        rows.append({"id": person.id, "name": person.name, "cells": row})
    return {"days": [{"date": str(d), "label": labels.day(d)} for d in days], "rows": rows}


def coverage_by_day(result: Any) -> list[dict[str, Any]]:
    """Staff-hours needed, assigned and short per day (slots weighted by their length)."""
    cov = result.roster.coverage
    if cov.empty:
        return []
    frame = cov.assign(short=(-cov["gap"]).clip(lower=0))
    slot_h = 1.0
    ds = pd.to_datetime(frame["ds"]).drop_duplicates().sort_values()
    if len(ds) > 1:
        slot_h = float(ds.diff().dropna().min().total_seconds() / 3600) or 1.0
    by_day = frame.groupby("date")[["required", "assigned", "short"]].sum() * slot_h
    return [
        {
            "date": str(d),
            "required": round(r.required, 1),
            "assigned": round(r.assigned, 1),
            "short": round(r.short, 1),
        }
        for d, r in by_day.iterrows()
    ]


def register_web(app: FastAPI) -> None:
    """Add the web pages to ``app``."""

    @app.get("/", include_in_schema=False)
    def home(request: Request) -> Response:
        who = _who(request)
        if who is None:
            return _redirect("/login")
        return _redirect("/staff" if who.kind == "staff" else "/manager")

    def _login_form(request: Request, error: str = "", wait: int | None = None) -> Response:
        """The login page with a fresh double-submit token (429 while logins are refused)."""
        token = secrets.token_hex(16)
        blocked = _t(_lang(request))["too_many_logins"].format(seconds=wait) if wait else ""
        response = _page(request, "login.html", None, csrf=token, error=error, blocked=blocked)
        response.set_cookie(LOGIN_CSRF_COOKIE, token, httponly=True, samesite="strict")
        if wait:
            response.status_code = 429
            response.headers["Retry-After"] = str(wait)
        return response

    @app.get("/login", include_in_schema=False)
    def login_page(request: Request, error: str = "") -> Response:
        return _login_form(request, error)

    @app.post("/login", include_in_schema=False)
    def login(
        request: Request,
        username: str = Form(..., max_length=64),
        password: str = Form(..., max_length=256),
        csrf: str = Form(""),
    ) -> Response:
        expected = request.cookies.get(LOGIN_CSRF_COOKIE, "")
        if not expected or not hmac.compare_digest(csrf, expected):
            raise HTTPException(403, "missing or wrong CSRF token")
        svc = _svc(request)
        try:
            token = svc.login(username, password, client_address(request))
        except TooManyLogins as exc:
            return _login_form(request, wait=exc.retry_after)
        if token is None:
            return _redirect("/login?error=1")
        response = _redirect("/")
        response.set_cookie(
            SESSION_COOKIE,
            token,
            httponly=True,
            samesite="lax",
            secure=svc.settings.secure_cookies,
            max_age=int(svc.settings.session_hours * 3600),
        )
        response.delete_cookie(LOGIN_CSRF_COOKIE)
        return response

    @app.post("/logout", include_in_schema=False)
    def logout(request: Request, csrf: str = Form("")) -> Response:
        who = _who(request)
        if who is not None:
            _check_csrf(who, csrf)
            _svc(request).auth.logout(request.cookies.get(SESSION_COOKIE, ""))
        response = _redirect("/login")
        response.delete_cookie(SESSION_COOKIE)
        return response

    def _manager(request: Request) -> Principal:
        who = _who(request)
        if who is None:
            raise HTTPException(401, "log in first")
        if who.kind != "manager":
            raise HTTPException(403, "managers only")
        return who

    def _staff(request: Request) -> Principal:
        who = _who(request)
        if who is None:
            raise HTTPException(401, "log in first")
        if who.kind != "staff":
            raise HTTPException(403, "staff only")
        return who

    @app.get("/manager", include_in_schema=False)
    def manager_home(request: Request, week: str = "", error: str = "") -> Response:
        who = _who(request)
        if who is None:
            return _redirect("/login")
        who = _manager(request)
        svc = _svc(request)
        branch = next(iter(who.branches))
        week = week or _upcoming_week()
        try:
            declared = svc.availability(who, branch, week)
        except InputError as exc:
            declared, error = [], error or "; ".join(str(i) for i in exc.errors)
        return _page(
            request,
            "manager.html",
            who,
            branch=branch,
            config=svc.config(branch),
            week=week,
            files=svc.availability_files(branch, week),
            declared=declared,
            kinds={k: v[0 if _lang(request) == "zh" else 1] for k, v in KIND_NAMES.items()},
            jobs=svc.jobs(who, branch),
            swaps=svc.swaps(who, branch),
            limit=svc.settings.solve_time_limit_s,
            error=error,
        )

    @app.post("/manager/run", include_in_schema=False)
    def run(
        request: Request,
        week: str = Form(...),
        time_limit_s: float = Form(...),
        csrf: str = Form(""),
    ) -> Response:
        who = _manager(request)
        _check_csrf(who, csrf)
        branch = next(iter(who.branches))
        try:
            job_id = _svc(request).create_job(who, branch, week, [], time_limit_s)
        except InputError as exc:
            return _redirect(f"/manager?week={quote(week)}&error={quote(str(exc.errors[0]))}")
        return _redirect(f"/manager/jobs/{job_id}")

    @app.get("/manager/jobs/{job_id}", include_in_schema=False)
    def job_page(request: Request, job_id: str, message: str = "") -> Response:
        who = _manager(request)
        svc = _svc(request)
        job = svc.job(who, job_id)
        context: dict[str, Any] = {"job": job, "message": message}
        if job["status"] == "succeeded":
            result = svc.result(who, job_id)
            config = result.inputs.config
            lang = _lang(request)
            labels = Labels(lang, config)
            roster = result.roster
            context.update(
                config=config,
                grid=week_grid(result, labels) if roster.feasible else None,
                days=[{"date": str(d), "label": labels.day(d)} for d in roster.horizon.dates],
                coverage=coverage_by_day(result),
                rules=[
                    {
                        "rule": r.rule,
                        "text": labels.rule(str(r.rule)),
                        "count": int(r.count),
                        "cost": round(float(r.cost), 1),
                    }
                    for r in roster.penalties_by_rule().itertuples()
                ],
                penalties=[p.message_in(lang) for p in roster.penalties[:40]],
                conflicts=[
                    {"message": c.message_in(lang), "relaxation": c.relaxation_in(lang)}
                    for c in roster.conflicts
                ],
                warnings=list(roster.warnings_in(lang)),
                feasible=roster.feasible,
                summary=roster.summary(lang),
                post_names={p.id: labels.post(p.id) for p in config.posts},
            )
        return _page(request, "job.html", who, **context)

    @app.post("/manager/jobs/{job_id}/pin", include_in_schema=False)
    def pin(
        request: Request,
        job_id: str,
        staff_id: str = Form(...),
        date: dt.date = Form(...),
        what: str = Form(...),
        post: str = Form(""),
        csrf: str = Form(""),
    ) -> Response:
        who = _manager(request)
        _check_csrf(who, csrf)
        svc = _svc(request)
        job = svc.job(who, job_id)
        pins = [Pin.model_validate(p) for p in job["pins"]]
        pins = [p for p in pins if not (p.staff_id == staff_id and p.date == date)]
        try:
            if what == "off":
                new = Pin(staff_id=staff_id, date=date, off=True)
            else:
                new = Pin(staff_id=staff_id, date=date, shift=what, post=post or None)
        except ValueError as exc:
            return _redirect(f"/manager/jobs/{job_id}?message={quote(str(exc)[:300])}")
        try:
            new_id = svc.create_job(who, job["branch_id"], job["week"], [*pins, new],
                                    job["time_limit_s"])  # fmt: skip
        except InputError as exc:
            return _redirect(f"/manager/jobs/{job_id}?message={quote(str(exc.errors[0]))}")
        return _redirect(f"/manager/jobs/{new_id}")

    @app.post("/manager/jobs/{job_id}/publish", include_in_schema=False)
    def publish(
        request: Request, job_id: str, new_version: bool = Form(False), csrf: str = Form("")
    ) -> Response:
        who = _manager(request)
        _check_csrf(who, csrf)
        try:
            pub = _svc(request).publish(who, job_id, new_version=new_version)
            message = f"{_t(_lang(request))['published']} {pub}"
        except InputError as exc:
            message = exc.errors[0].message
        return _redirect(f"/manager/jobs/{job_id}?message={quote(message)}")

    @app.post("/manager/jobs/{job_id}/cancel", include_in_schema=False)
    def cancel(request: Request, job_id: str, csrf: str = Form("")) -> Response:
        who = _manager(request)
        _check_csrf(who, csrf)
        _svc(request).cancel_job(who, job_id)
        return _redirect(f"/manager/jobs/{job_id}")

    @app.post("/manager/jobs/{job_id}/retry", include_in_schema=False)
    def retry(request: Request, job_id: str, csrf: str = Form("")) -> Response:
        who = _manager(request)
        _check_csrf(who, csrf)
        try:
            _svc(request).retry_job(who, job_id)
        except InputError as exc:
            return _redirect(f"/manager/jobs/{job_id}?message={quote(exc.errors[0].message)}")
        return _redirect(f"/manager/jobs/{job_id}")

    @app.post("/manager/swaps/{swap_id}", include_in_schema=False)
    def decide(
        request: Request, swap_id: int, decision: str = Form(...), csrf: str = Form("")
    ) -> Response:
        who = _manager(request)
        _check_csrf(who, csrf)
        try:
            _svc(request).decide_swap(who, swap_id, approve=decision == "approve")
        except InputError as exc:
            return _redirect(f"/manager?error={quote(exc.errors[0].message)}")
        return _redirect("/manager")

    @app.get("/staff", include_in_schema=False)
    def staff_home(request: Request, week: str = "", message: str = "") -> Response:
        who = _who(request)
        if who is None:
            return _redirect("/login")
        who = _staff(request)
        svc = _svc(request)
        branch = next(iter(who.branches))
        week = week or _upcoming_week()
        config = svc.config(branch)
        labels = Labels(_lang(request), config)
        try:
            rows = svc.history(who, branch, week)["assignments"]
        except InputError:
            rows = []
        shifts: dict[str, dict[str, Any]] = {}
        for r in rows:
            day = shifts.setdefault(r["date"], {"date": r["date"], "start": r["start"],
                                                "end": r["end"], "posts": []})  # fmt: skip
            day["start"], day["end"] = min(day["start"], r["start"]), max(day["end"], r["end"])
            if r["activity"] == "post" and labels.post(r["post"]) not in day["posts"]:
                day["posts"].append(labels.post(r["post"]))
        return _page(
            request,
            "staff.html",
            who,
            week=week,
            shifts=sorted(shifts.values(), key=lambda d: d["date"]),
            colleagues=[s for s in config.staff if s.id != who.staff_id],
            types=TYPES,
            swaps=svc.swaps(who, branch),
            message=message,
        )

    @app.post("/staff/availability", include_in_schema=False)
    def declare(
        request: Request,
        week: str = Form(...),
        date: dt.date = Form(...),
        kind: str = Form(...),
        start: str = Form(""),
        end: str = Form(""),
        note: str = Form("", max_length=200),
        csrf: str = Form(""),
    ) -> Response:
        who = _staff(request)
        _check_csrf(who, csrf)
        svc = _svc(request)
        branch = next(iter(who.branches))
        if kind not in TYPES:
            raise HTTPException(422, f"unknown type {kind!r}; allowed: {', '.join(TYPES)}")
        previous = svc.staff_file(branch, week, who.staff_id or "")
        header = "工号,日期,开始,结束,类型,备注\n"
        text = previous.decode("utf-8") if previous else header
        clean = note.replace(",", ";").replace("\n", " ")
        text += f"{who.staff_id},{date.isoformat()},{start},{end},{kind},{clean}\n"
        try:
            svc.put_availability(who, branch, week, text.encode("utf-8"), "form.csv")
            message = _t(_lang(request))["saved"]
        except InputError as exc:
            message = "; ".join(str(i) for i in exc.errors)
        return _redirect(f"/staff?week={quote(week)}&message={quote(message)}")

    @app.post("/staff/swap", include_in_schema=False)
    def swap(
        request: Request,
        week: str = Form(...),
        date: dt.date = Form(...),
        partner_id: str = Form(...),
        csrf: str = Form(""),
    ) -> Response:
        who = _staff(request)
        _check_csrf(who, csrf)
        svc = _svc(request)
        t = _t(_lang(request))
        branch = next(iter(who.branches))
        try:
            answer = svc.propose_swap(who, branch, week, date, partner_id)
            if answer["status"] == "refused":
                message = t["swap_refused"] + " " + "; ".join(answer["violations"])
            else:
                message = t["swap_sent"]
        except (InputError, NotFound, Forbidden) as exc:
            message = str(exc.errors[0]) if isinstance(exc, InputError) else str(exc)
        return _redirect(f"/staff?week={quote(week)}&message={quote(message[:1500])}")
