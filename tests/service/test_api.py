"""The /v1 API: uploads checked with the readers, jobs, results, publishing and history."""

from __future__ import annotations

import io
from typing import Any

import openpyxl
import pandas as pd
import pytest
from service_helpers import (
    BRANCH,
    OTHER,
    PINS,
    WEEK,
    Harness,
    sample_config_bytes,
    small_traffic,
)

NEXT_WEEK = "2026-W50"
LEAVE_PLANNED = ["S02", "S03", "S04", "S05"]
"""Holders of sensitive posts in the sample branch (cash tellers and supervisors)."""


def _upload(h: Harness, path: str, name: str, content: bytes, headers: dict) -> object:
    return h.client.put(path, files={"file": (name, content)}, headers=headers)


def test_openapi_document_lists_the_versioned_paths(harness: Harness) -> None:
    """Integrators read the OpenAPI document; every API path is under /v1."""
    doc = harness.client.get("/openapi.json").json()
    api = [p for p in doc["paths"] if not p.startswith("/web") and p != "/"]
    assert "/v1/branches/{branch_id}/jobs" in api
    assert "/v1/jobs/{job_id}/files/{name}" in api
    assert all(p.startswith("/v1/") for p in api)


def test_config_with_a_bad_field_is_refused_with_its_path(harness: Harness) -> None:
    """A configuration error names the YAML path and value, as a 422 (never a 500)."""
    text = sample_config_bytes().decode().replace("min_rest_hours: 12.0", "min_rest_hours: -3")
    resp = _upload(
        harness, f"/v1/branches/{BRANCH}/config", "branch.yaml", text.encode(), harness.hr
    )
    assert resp.status_code == 422
    issues = resp.json()["issues"]
    line = 1 + text.splitlines().index("  min_rest_hours: -3")
    assert [i["location"] for i in issues if i["severity"] == "error"] == [
        f"labour.min_rest_hours (line {line})"
    ]
    assert issues[0]["value"] == "-3"


def test_config_of_another_branch_id_is_refused(harness: Harness) -> None:
    """A configuration sent to branch A that describes branch B is not stored under A."""
    resp = _upload(
        harness,
        f"/v1/branches/{BRANCH}/config",
        "branch.yaml",
        sample_config_bytes(OTHER),
        harness.hr,
    )
    assert resp.status_code == 422
    assert resp.json()["issues"][0]["value"] == OTHER
    assert resp.json()["issues"][0]["allowed"] == BRANCH


def test_config_as_json_is_accepted(harness: Harness) -> None:
    """HR systems may send the configuration as JSON; it replaces the stored one."""
    config = harness.svc.config(BRANCH).model_dump_json().encode()
    resp = _upload(harness, f"/v1/branches/{BRANCH}/config", "branch.json", config, harness.hr)
    assert resp.status_code == 200
    assert resp.json() == {"branch": BRANCH, "staff": 14, "posts": 8}


def test_traffic_with_a_negative_count_names_row_and_column(harness: Harness) -> None:
    """Traffic rows are checked by the traffic reader; the issue names row 3, column count."""
    text = (
        "timestamp,branch,channel,count\n"
        "2026-11-23 09:00,SH-PD-001,cash,23\n"
        "2026-11-23 10:00,SH-PD-001,cash,-4\n"
    )
    resp = _upload(
        harness, f"/v1/branches/{BRANCH}/traffic", "traffic.csv", text.encode(), harness.hr
    )
    assert resp.status_code == 422
    errors = [i for i in resp.json()["issues"] if i["severity"] == "error"]
    assert (errors[0]["location"], errors[0]["column"], errors[0]["value"]) == (3, "count", "-4")


def test_traffic_as_a_queue_ticket_log_is_stored_as_hourly_counts(harness: Harness) -> None:
    """A queue machine's ticket export is accepted as the history: hours of the open day."""
    text = (
        "网点,业务类型,取号时间\nSH-PD-001,cash,2026-11-23 09:05\nSH-PD-001,cash,2026-11-23 09:40\n"
    )
    resp = _upload(
        harness, f"/v1/branches/{BRANCH}/traffic", "tickets.csv", text.encode(), harness.hr
    )
    try:
        assert resp.status_code == 200, resp.json()
        assert resp.json()["rows"] == 8  # Monday 09:00-17:00 of the sample branch, one channel
    finally:  # the other tests plan weeks from the stored history
        path = f"/v1/branches/{BRANCH}/traffic"
        assert _upload(harness, path, "traffic.csv", small_traffic(), harness.hr).status_code == 200


def test_traffic_of_channels_the_branch_lacks_is_refused_and_the_history_kept(
    harness: Harness,
) -> None:
    """Unknown channels are a 422 naming the channel; the stored history stays.

    Such a file (or one without a channel column) would replace the history with one no job
    can use.
    """
    path = f"/v1/branches/{BRANCH}/traffic"
    before = harness.svc._week_files(BRANCH, WEEK, "traffic")
    text = b"timestamp,branch,channel,count\n2026-11-23 09:00,SH-PD-001,crypto,5\n"
    resp = _upload(harness, path, "traffic.csv", text, harness.hr)
    assert resp.status_code == 422, resp.json()
    (issue,) = resp.json()["issues"]
    assert (issue["file"], issue["column"], issue["value"]) == ("traffic.csv", "channel", "crypto")
    assert "cash" in issue["allowed"]
    assert harness.svc._week_files(BRANCH, WEEK, "traffic") == before  # kept as it was
    ok = _upload(harness, path, "traffic.csv", small_traffic(), harness.hr)
    assert ok.status_code == 200 and isinstance(ok.json()["warnings"], list)


def test_availability_with_an_unknown_person_is_refused(harness: Harness) -> None:
    """An availability row for a staff number the branch does not have is a 422 on its cell."""
    text = "工号,姓名,日期,开始,结束,类型\nS99,无名,2026-12-08,,,不可用\n"
    resp = _upload(
        harness,
        f"/v1/branches/{BRANCH}/weeks/{NEXT_WEEK}/availability",
        "team.csv",
        text.encode(),
        harness.hr,
    )
    assert resp.status_code == 422
    first = resp.json()["issues"][0]
    assert (first["location"], first["column"], first["value"]) == (2, "工号", "S99")


def test_availability_is_stored_and_listed(harness: Harness) -> None:
    """A good availability file is accepted with its counts and listed for the week."""
    text = (
        "工号,姓名,日期,开始,结束,类型\nS07,赵磊,2026-12-08,,,不可用\nS07,赵磊,2026-12-09,,,年假\n"
    )
    resp = _upload(
        harness,
        f"/v1/branches/{BRANCH}/weeks/{NEXT_WEEK}/availability",
        "team s07.csv",
        text.encode(),
        harness.hr,
    )
    assert resp.status_code == 200
    assert resp.json() == {"file": "team_s07.csv", "entries": 1, "leave": 1, "warnings": []}
    listed = harness.client.get(
        f"/v1/branches/{BRANCH}/weeks/{NEXT_WEEK}/availability", headers=harness.hr
    ).json()
    mine = [f["name"] for f in listed if f["uploaded_by"] == "api-key:hr-system"]
    assert mine == ["team_s07.csv"]


def test_upload_larger_than_the_limit_is_413(harness: Harness) -> None:
    """Uploads are size-limited so one request cannot fill the disk or memory."""
    big = b"x" * (harness.svc.settings.max_upload_bytes + 1)
    resp = _upload(harness, f"/v1/branches/{BRANCH}/traffic", "traffic.csv", big, harness.hr)
    assert resp.status_code == 413


def test_unsupported_file_type_is_422(harness: Harness) -> None:
    """Only CSV and XLSX availability files are read; anything else is named and refused."""
    resp = _upload(
        harness,
        f"/v1/branches/{BRANCH}/weeks/{NEXT_WEEK}/availability",
        "team.pdf",
        b"%PDF",
        harness.hr,
    )
    assert resp.status_code == 422
    assert resp.json()["issues"][0]["allowed"] == ".csv, .xlsx"


def test_job_with_a_malformed_week_is_422(harness: Harness) -> None:
    """The week must be an ISO week label."""
    resp = harness.client.post(
        f"/v1/branches/{BRANCH}/jobs", json={"week": "49"}, headers=harness.hr
    )
    assert resp.status_code == 422


def test_job_with_a_pin_on_an_unknown_person_is_422(harness: Harness) -> None:
    """A pin is checked before a job is queued: unknown staff number, day outside the week."""
    pins = [{"staff_id": "S99", "date": "2026-12-20", "off": True}]
    resp = harness.client.post(
        f"/v1/branches/{BRANCH}/jobs", json={"week": WEEK, "pins": pins}, headers=harness.hr
    )
    assert resp.status_code == 422
    assert [(i["column"], i["value"]) for i in resp.json()["issues"]] == [
        ("staff_id", "S99"),
        ("date", "2026-12-20"),
    ]


def test_job_time_limit_above_the_service_limit_is_422(harness: Harness) -> None:
    """A caller cannot ask for more solver time than the service allows."""
    resp = harness.client.post(
        f"/v1/branches/{BRANCH}/jobs", json={"week": WEEK, "time_limit_s": 999}, headers=harness.hr
    )
    assert resp.status_code == 422
    assert resp.json()["issues"][0]["allowed"] == "1 to 8 seconds"


@pytest.mark.slow
def test_finished_job_keeps_the_pins_in_the_roster(harness: Harness, published_job: dict) -> None:
    """A pinned day off is honoured in the roster the API returns as JSON."""
    result = harness.client.get(f"/v1/jobs/{published_job['id']}/result", headers=harness.hr)
    body = result.json()
    assert body["summary"]["status"] in ("OPTIMAL", "FEASIBLE")
    s02 = [a for a in body["assignments"] if a["staff_id"] == "S02" and a["date"] == "2026-12-02"]
    assert s02 == []
    assert published_job["pins"] == PINS


@pytest.mark.slow
def test_unchanged_result_and_history_answer_304_to_their_etag(
    harness: Harness, published_job: dict
) -> None:
    """A poller sending the ETag it has gets 304 without a body while nothing changed."""
    for path in (
        f"/v1/jobs/{published_job['id']}/result",
        f"/v1/branches/{BRANCH}/weeks/{WEEK}/history",
    ):
        first = harness.client.get(path, headers=harness.hr)
        etag = first.headers["etag"]
        again = harness.client.get(path, headers={**harness.hr, "If-None-Match": etag})
        assert (first.status_code, again.status_code, again.content) == (200, 304, b"")
        assert again.headers["etag"] == etag
        other = harness.client.get(path, headers={**harness.hr, "If-None-Match": '"old"'})
        assert (other.status_code, other.content) == (200, first.content)


@pytest.mark.slow
def test_result_is_sent_gzip_compressed_to_a_caller_that_accepts_it(
    harness: Harness, published_job: dict
) -> None:
    """A caller accepting gzip gets the same JSON compressed; one that does not gets it plain."""
    path = f"/v1/jobs/{published_job['id']}/result"
    plain = harness.client.get(path, headers={**harness.hr, "Accept-Encoding": "identity"})
    packed = harness.client.get(path, headers={**harness.hr, "Accept-Encoding": "gzip"})
    assert "content-encoding" not in plain.headers
    assert packed.headers["content-encoding"] == "gzip"
    assert packed.content == plain.content  # as decompressed by the client
    assert packed.headers["etag"] == plain.headers["etag"][:-1] + '-gz"'


@pytest.mark.slow
def test_results_download_as_csv_and_xlsx(harness: Harness, published_job: dict) -> None:
    """The roster downloads as CSV (same rows as the JSON) and as an Excel workbook."""
    job = published_job["id"]
    csv = harness.client.get(f"/v1/jobs/{job}/files/roster.csv", headers=harness.hr)
    frame = pd.read_csv(io.BytesIO(csv.content))
    rows = harness.client.get(f"/v1/jobs/{job}/result", headers=harness.hr).json()["assignments"]
    assert len(frame) == len(rows)
    assert list(frame.columns) == ["staff_id", "name", "date", "start", "end", "activity", "post"]
    xlsx = harness.client.get(f"/v1/jobs/{job}/files/roster.xlsx", headers=harness.hr)
    assert xlsx.headers["content-type"].startswith("application/vnd.openxmlformats")
    book = openpyxl.load_workbook(io.BytesIO(xlsx.content))
    assert len(book.sheetnames) >= 3
    missing = harness.client.get(f"/v1/jobs/{job}/files/secret.txt", headers=harness.hr)
    assert missing.status_code == 404


@pytest.mark.slow
def test_publishing_a_week_twice_needs_a_new_version(harness: Harness, published_job: dict) -> None:
    """A published week is immutable: a second publication must ask for a new version."""
    job = published_job["id"]
    again = harness.client.post(f"/v1/jobs/{job}/publish", json={}, headers=harness.hr)
    assert again.status_code == 422
    (issue,) = again.json()["issues"]
    assert issue["file"] == "new_version: true"  # the API's field, not the command's flag
    assert issue["allowed"] == "new_version: true (earlier versions are kept)"
    history = harness.client.get(
        f"/v1/branches/{BRANCH}/weeks/{WEEK}/history", headers=harness.hr
    ).json()
    assert [p["version"] for p in history["publications"]] == [1]
    assert {a["date"] for a in history["assignments"]} >= {"2026-11-30", "2026-12-01"}


@pytest.mark.slow
def test_cancelling_a_finished_job_is_409(harness: Harness, published_job: dict) -> None:
    """A finished job cannot be cancelled; its result stays."""
    resp = harness.client.post(f"/v1/jobs/{published_job['id']}/cancel", headers=harness.hr)
    assert resp.status_code == 409


def test_unknown_job_is_404(harness: Harness) -> None:
    """Asking for a job that does not exist is a 404, not a 500."""
    assert harness.client.get("/v1/jobs/nope", headers=harness.hr).status_code == 404


def test_swap_number_beyond_the_database_range_is_422(harness: Harness) -> None:
    """A swap number too large for the database is a field error, not a 500 (found by fuzzing)."""
    resp = harness.client.post(f"/v1/swaps/{2**64}/approve", headers=harness.token("manager"))
    assert resp.status_code == 422
    (issue,) = resp.json()["issues"]
    assert (issue["file"], issue["location"], issue["value"]) == ("path", "swap_id", str(2**64))
    assert issue["allowed"] == f"a number <= {2**63 - 1}"


def test_leave_plan_places_one_block_per_sensitive_post_holder(harness: Harness) -> None:
    """The year's mandatory leave plan is served for the branch: one block per person."""
    resp = harness.client.get(f"/v1/branches/{BRANCH}/leave-plan?year=2027", headers=harness.hr)
    assert resp.status_code == 200
    plan = resp.json()
    assert (plan["year"], plan["status"]) == (2027, "OPTIMAL")
    assert sorted(b["staff_id"] for b in plan["blocks"]) == LEAVE_PLANNED
    assert all(b["start"].startswith("2027-") for b in plan["blocks"])
    assert plan["conflicts"] == plan["conflicts_zh"] == []
    assert len(plan["warnings_zh"]) == len(plan["warnings"])
    assert plan["gap"] == 0.0 and plan["objective"] == plan["best_bound"]
    assert sum(p["cost"] for p in plan["penalties"]) == plan["objective"]
    for cost in plan["penalties"]:
        assert cost["message"] and cost["message_zh"]
        assert cost["rule"] in ("staff_preference", "keep_planned_block", "spread_through_year")


def _leave_plan_with_blackout(make_harness: Any, start: str, end: str) -> dict[str, Any]:
    """The 2027 leave plan served after a configuration upload blacking out start..end."""
    h = make_harness()
    text = sample_config_bytes().decode()
    blackout = f"mandatory_leave:\n  blackout:\n  - [{start}, {end}]\n"
    text = text.replace("mandatory_leave:\n", blackout)
    resp = _upload(h, f"/v1/branches/{BRANCH}/config", "branch.yaml", text.encode(), h.hr)
    assert resp.status_code == 200, resp.text
    resp = h.client.get(f"/v1/branches/{BRANCH}/leave-plan?year=2027", headers=h.hr)
    assert resp.status_code == 200
    return resp.json()


def test_leave_plan_costs_come_with_the_solver_figures(make_harness: Any) -> None:
    """Two months left open crowd the blocks: the overlap is a cost, told in both languages."""
    plan = _leave_plan_with_blackout(make_harness, "2027-03-01", "2027-12-31")
    assert (plan["status"], plan["objective"], plan["best_bound"], plan["gap"]) == (
        "OPTIMAL",
        30.0,
        30.0,
        0.0,
    )
    (cost,) = plan["penalties"]
    assert (cost["rule"], cost["staff_id"], cost["cost"]) == ("spread_through_year", None, 30)
    assert cost["message"] == "blocks overlapping in the week of 2027-02-15"
    assert cost["message_zh"] == "2月15日起的一周有多段强制休假重叠"


def test_leave_plan_conflicts_come_in_english_and_chinese(make_harness: Any) -> None:
    """A year blacked out leaves no room: each conflict is served in English and in Chinese."""
    plan = _leave_plan_with_blackout(make_harness, "2027-01-01", "2027-12-31")
    assert (plan["status"], plan["blocks"]) == ("INFEASIBLE", [])
    assert len(plan["conflicts"]) == len(plan["conflicts_zh"]) == len(LEAVE_PLANNED)
    assert plan["conflicts"][0] == (
        "李敏 (S02) has no 5 consecutive working days left in 2027 from 2027-01-04 outside "
        "blackouts and recorded leave"
    )
    assert plan["conflicts_zh"][0] == (
        "李敏 (S02) 在2027年1月4日起除去禁休日和已登记的休假, 已没有连续 5 个工作日"
    )
    assert plan["relaxations"][0] == "shorten the blackouts or the block, or plan in another year"
    assert plan["relaxations_zh"][0] == "缩短禁休日或强制休假的天数, 或改在其他年份安排"
    assert len(plan["relaxations"]) == len(plan["relaxations_zh"]) == len(plan["conflicts"])
    assert plan["warnings_zh"] == plan["warnings"] == []


def test_leave_plan_for_a_year_out_of_range_is_422(harness: Harness) -> None:
    """The year is checked before planning."""
    resp = harness.client.get(f"/v1/branches/{BRANCH}/leave-plan?year=1900", headers=harness.hr)
    assert resp.status_code == 422
    assert resp.json()["issues"][0]["allowed"] == "2000-2100"


def test_declarations_of_the_week_are_listed_per_person_and_day(harness: Harness) -> None:
    """Managers read what the week's files declare: a two-day leave row becomes two days."""
    text = "工号,姓名,日期,结束日期,开始,结束,类型\nS09,周杰,2026-12-10,2026-12-11,,,病假\n"
    week = "2026-W50"
    put = _upload(
        harness,
        f"/v1/branches/{BRANCH}/weeks/{week}/availability",
        "s09.csv",
        text.encode(),
        harness.hr,
    )
    assert put.status_code == 200, put.text
    rows = harness.client.get(
        f"/v1/branches/{BRANCH}/weeks/{week}/declarations", headers=harness.hr
    ).json()
    s09 = [(r["date"], r["kind"]) for r in rows if r["staff_id"] == "S09"]
    assert s09 == [("2026-12-10", "sick"), ("2026-12-11", "sick")]


def test_pin_with_an_unknown_shift_or_post_is_422(harness: Harness) -> None:
    """Pins name shifts and posts of the configuration; others are refused before queueing."""
    pins = [{"staff_id": "S01", "date": "2026-12-01", "shift": "night", "post": "vault"}]
    resp = harness.client.post(
        f"/v1/branches/{BRANCH}/jobs", json={"week": WEEK, "pins": pins}, headers=harness.hr
    )
    assert resp.status_code == 422
    assert [(i["column"], i["value"]) for i in resp.json()["issues"]] == [
        ("shift", "night"),
        ("post", "vault"),
    ]


def test_request_announced_larger_than_the_limit_is_413_before_reading(harness: Harness) -> None:
    """A body whose Content-Length exceeds the limit is refused without being read."""
    limit = harness.svc.settings.max_upload_bytes + 64 * 1024
    resp = harness.client.put(
        f"/v1/branches/{BRANCH}/traffic",
        content=b"x" * (limit + 1),
        headers={**harness.hr, "content-type": "application/octet-stream"},
    )
    assert resp.status_code == 413
    assert resp.json() == {"detail": f"the request is larger than {limit} bytes"}


QUIET_WEEK = "2026-W52"
"""A week no other test sends availability for (22-27 Dec 2026)."""


@pytest.mark.parametrize(
    ("name", "content", "message", "allowed"),
    [
        ("c_binary.csv", b"\x80\x81\xff" * 50, "unknown text encoding", "UTF-8, GBK or Big5"),
        (
            "team.xlsx",
            b"PK\x03\x04 cut short",
            "the workbook is damaged or was cut short in copying (File is not a zip file)",
            "an .xlsx saved by Excel or WPS, or a CSV; send the file again",
        ),
    ],
)
def test_unreadable_upload_is_named_as_sent_never_by_a_server_path(
    harness: Harness, name: str, content: bytes, message: str, allowed: str
) -> None:
    """A refused upload names the file as the caller sent it; no server folder is shown."""
    resp = _upload(
        harness,
        f"/v1/branches/{BRANCH}/weeks/{QUIET_WEEK}/availability",
        name,
        content,
        harness.hr,
    )
    assert resp.status_code == 422
    assert resp.json()["issues"] == [
        {
            "file": name,
            "location": None,
            "column": None,
            "value": None,
            "message": message,
            "allowed": allowed,
            "severity": "error",
        }
    ]
    assert "/tmp" not in resp.text and harness.svc.settings.data_dir.name not in resp.text


def test_bad_traffic_upload_is_named_as_sent(harness: Harness) -> None:
    """A traffic file that cannot be read is reported under its own name, not a temp path."""
    resp = _upload(
        harness, f"/v1/branches/{BRANCH}/traffic", "counts.csv", b"\x80\x81\xff" * 50, harness.hr
    )
    assert resp.status_code == 422
    (issue,) = resp.json()["issues"]
    assert (issue["file"], issue["message"]) == ("counts.csv", "unknown text encoding")


def test_upload_answer_holds_only_its_own_problems(harness: Harness) -> None:
    """Warnings of the week's earlier files stay out of a later upload's answer.

    The error of the later file comes alone, naming the earlier file by its own name.
    """
    path = f"/v1/branches/{BRANCH}/weeks/{QUIET_WEEK}/availability"
    twice = "工号,姓名,日期,类型\nS08,黄丽,2026-12-22,年假\nS08,黄丽,2026-12-22,年假\n"
    first = _upload(harness, path, "leave.csv", twice.encode(), harness.hr)
    assert first.status_code == 200, first.text
    (warning,) = first.json()["warnings"]
    assert warning.startswith("leave.csv, row 3: ")
    good = "工号,姓名,日期,类型\nS07,赵磊,2026-12-23,不可用\n"
    second = _upload(harness, path, "s07.csv", good.encode(), harness.hr)
    assert (second.status_code, second.json()["warnings"]) == (200, [])
    clash = "工号,日期,开始,结束,类型\nS08,2026-12-22,09:00,12:00,可用\n"
    third = _upload(harness, path, "offer.csv", clash.encode(), harness.hr)
    assert third.status_code == 422
    body = third.json()
    assert body["detail"] == "1 problem(s) in the input:"
    (issue,) = body["issues"]
    assert (issue["file"], issue["location"], issue["severity"]) == ("offer.csv", 2, "error")
    assert "(row 2 of leave.csv)" in issue["message"]
    assert "/tmp" not in third.text


def test_config_value_of_the_wrong_kind_says_what_is_allowed(harness: Harness) -> None:
    """A date that cannot be read, and `id: off` read as a boolean, say what to write."""
    text = sample_config_bytes().decode()
    text = text.replace("employment_start: '2010-03-15'", "employment_start: 2010/13/45", 1)
    text = text.replace("- id: S03", "- id: off", 1)
    resp = _upload(
        harness, f"/v1/branches/{BRANCH}/config", "branch.yaml", text.encode(), harness.hr
    )
    assert resp.status_code == 422
    found = [(i["location"].split(" ")[0], i["value"], i["allowed"]) for i in resp.json()["issues"]]
    assert found == [
        (
            "staff[1].employment_start",
            "2010/13/45",
            "a date such as 2010-03-15 (also 2010/3/15 or 2010年3月15日)",
        ),
        ("staff[2].id", "off", "text in quotes, e.g. 'off'"),
    ]


@pytest.mark.parametrize(
    "path",
    [f"/v1/branches/{BRANCH}/weeks/{NEXT_WEEK}/availability", f"/v1/branches/{BRANCH}/traffic"],
)
def test_upload_with_a_too_long_file_name_is_422_naming_the_limit(
    harness: Harness, path: str
) -> None:
    """A file name longer than the file system allows is refused as input, never a 500."""
    name = "中文" + "x" * 300 + ".csv"
    resp = _upload(harness, path, name, b"staff_id,date\n", harness.hr)
    assert resp.status_code == 422, resp.text
    (issue,) = resp.json()["issues"]
    assert (issue["column"], issue["message"]) == ("filename", "the file name is too long")
    assert issue["allowed"] == "a file name of at most 80 characters"


@pytest.mark.parametrize(
    ("path", "body"),
    [
        (f"/v1/branches/{BRANCH}/jobs", {"week": NEXT_WEEK, "time_limit": 1}),
        ("/v1/jobs/no-such-job/publish", {"new_versoin": True}),
        (f"/v1/branches/{BRANCH}/weeks/{WEEK}/swaps", {"date": "2026-12-01", "partner": "S02"}),
    ],
)
def test_unknown_field_in_a_request_body_is_422_naming_it(
    harness: Harness, path: str, body: dict
) -> None:
    """A misspelt option is refused by name instead of being silently left at its default."""
    resp = harness.client.post(path, json=body, headers=harness.hr)
    assert resp.status_code == 422, resp.text
    unknown = [
        (i["file"], i["location"]) for i in resp.json()["issues"] if i["message"] == "unknown field"
    ]
    assert unknown == [("body", next(k for k in body if k not in ("week", "date")))]


@pytest.mark.parametrize("week", ["2026-W54", "2026-13-01"])
def test_availability_list_of_a_week_that_does_not_exist_is_422(
    harness: Harness, week: str
) -> None:
    """Listing files of a non-existent week says the week is wrong, as the upload does."""
    resp = harness.client.get(
        f"/v1/branches/{BRANCH}/weeks/{week}/availability", headers=harness.hr
    )
    assert resp.status_code == 422, resp.text
    (issue,) = resp.json()["issues"]
    assert (issue["file"], issue["value"], issue["allowed"]) == ("week", week, "e.g. 2026-W49")


def test_head_answers_like_get_without_a_body(harness: Harness) -> None:
    """Monitors probe with HEAD: same status and headers as GET, no body, never 405."""
    for path in ("/openapi.json", "/v1/branches"):
        got = harness.client.get(path, headers=harness.hr)
        head = harness.client.head(path, headers=harness.hr)

        assert head.status_code == got.status_code != 405
        assert head.content == b""
        assert head.headers["content-type"] == got.headers["content-type"]
        assert head.headers["content-length"] == got.headers["content-length"]


def test_head_of_a_missing_resource_is_404(harness: Harness) -> None:
    assert harness.client.head("/v1/no-such-path").status_code == 404


def test_bodies_json_cannot_echo_get_a_422_not_a_server_error(harness: Harness) -> None:
    """NaN, Infinity and a lone surrogate in a body are refused (the answer echoes them)."""
    json_type = {"content-type": "application/json"}
    login = harness.client.post(
        "/v1/auth/login", content=b'{"username":NaN,"password":"x"}', headers=json_type
    )
    assert login.status_code == 422
    assert login.json()["issues"][0]["value"] == "nan"
    hidden = harness.client.post(
        "/v1/auth/login", content=b'{"username":"manager","password":NaN}', headers=json_type
    )
    assert hidden.status_code == 422
    assert hidden.json()["issues"][0]["value"] == "(hidden)"  # never a password's value
    odd = harness.client.post(
        "/v1/auth/login", content=b'{"username":"\\ud800","password":"x"}', headers=json_type
    )
    assert odd.status_code == 422
    job = harness.client.post(
        f"/v1/branches/{BRANCH}/jobs",
        content=b'{"week":"2026-W49","time_limit_s":Infinity}',
        headers={**harness.token("manager"), **json_type},
    )
    assert job.status_code == 422
    (issue,) = job.json()["issues"]
    assert (issue["location"], issue["value"]) == ("time_limit_s", "inf")
    assert issue["message"] == "not a finite number"


def test_a_week_past_the_calendar_and_a_config_nested_too_deep_are_422(harness: Harness) -> None:
    """9999-W52 in a path and a YAML of 5,000 nested lists were server errors."""
    resp = harness.client.get(
        f"/v1/branches/{BRANCH}/weeks/9999-W52/history", headers=harness.token("manager")
    )
    assert resp.status_code == 422
    assert resp.json()["issues"][0]["message"] == "the year 9999 is out of range (2000-2100)"
    deep = b"a: " + b"[" * 5000 + b"]" * 5000
    resp = _upload(harness, f"/v1/branches/{BRANCH}/config", "branch.yaml", deep, harness.hr)
    assert resp.status_code == 422
    assert resp.json()["issues"][0]["message"].startswith("the document is nested too deeply")


def test_body_values_are_taken_as_their_json_type(harness: Harness) -> None:
    """``"time_limit_s": true`` is no number of seconds: a 422, not a one-second job."""
    resp = harness.client.post(
        f"/v1/branches/{BRANCH}/jobs",
        json={"week": "2026-W49", "time_limit_s": True},
        headers=harness.token("manager"),
    )
    assert resp.status_code == 422
    (issue,) = resp.json()["issues"]
    assert (issue["file"], issue["location"], issue["value"]) == ("body", "time_limit_s", "true")


def test_an_upload_with_two_files_is_refused_naming_both(harness: Harness) -> None:
    """Two ``file`` parts in one upload: which was meant is unknown, so neither is stored."""
    text = sample_config_bytes()
    resp = harness.client.put(
        f"/v1/branches/{BRANCH}/config",
        files=[("file", ("a.yaml", text, "text/yaml")), ("file", ("b.yaml", text, "text/yaml"))],
        headers=harness.hr,
    )
    assert resp.status_code == 422
    (issue,) = resp.json()["issues"]
    assert (issue["message"], issue["value"]) == (
        "2 files were sent in one upload",
        "a.yaml, b.yaml",
    )


@pytest.mark.parametrize(
    ("spelling", "canonical"),
    [("2026-w50", "2026-W50"), ("2026W50", "2026-W50"), ("2026-W5", "2026-W05")],
)
def test_a_week_spelt_otherwise_is_refused_not_stored_where_no_job_looks(
    harness: Harness, spelling: str, canonical: str
) -> None:
    """Weeks key what is stored: only 2026-W50 is accepted, with the spelling to use."""
    text = "工号,姓名,日期,开始,结束,类型\nS01,王建国,2026-12-08,,,不可用\n".encode()
    path = f"/v1/branches/{BRANCH}/weeks/{spelling}/availability"
    resp = _upload(harness, path, "availability.csv", text, harness.hr)
    assert resp.status_code == 422
    (issue,) = resp.json()["issues"]
    assert (issue["file"], issue["value"]) == ("week", spelling)
    assert issue["allowed"].startswith(canonical)
    listed = harness.client.get(path, headers=harness.hr)
    assert listed.status_code == 422


def test_login_refuses_unknown_fields_and_never_echoes_a_password(harness: Harness) -> None:
    """An unknown field is a 422 naming it; a refused password is hidden, long text cut."""
    extra = harness.client.post(
        "/v1/auth/login", json={"username": "manager", "password": "x", "remember": True}
    )
    assert extra.status_code == 422
    assert [i["location"] for i in extra.json()["issues"]] == ["remember"]
    secret = "correct horse battery staple " * 20  # over the 256-character limit
    long = harness.client.post("/v1/auth/login", json={"username": "manager", "password": secret})
    assert long.status_code == 422
    assert "correct horse" not in long.text
    assert long.json()["issues"][0]["value"] == "(hidden)"
    name = harness.client.post("/v1/auth/login", json={"username": "u" * 100_000, "password": "x"})
    assert name.status_code == 422 and len(name.content) < 2_000
    assert name.json()["issues"][0]["value"].endswith("... (100000 characters)")
