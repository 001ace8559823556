"""Refused requests answer in one format: a headline and one issue per problem."""

from __future__ import annotations

import pytest
from service_helpers import BRANCH, WEEK, Harness

ISSUE_KEYS = {"file", "location", "column", "value", "message", "allowed", "severity"}
"""The keys of every issue of a 422 answer, whoever found the problem."""

JSON = {"content-type": "application/json"}


def _issues(resp: object) -> list[dict]:
    assert resp.status_code == 422, resp.text
    body = resp.json()
    assert set(body) == {"detail", "issues"}
    assert body["detail"] == f"{len(body['issues'])} problem(s) in the input:"
    assert all(set(i) == ISSUE_KEYS and i["severity"] == "error" for i in body["issues"])
    return list(body["issues"])


def test_body_errors_name_the_field_path_value_and_what_is_allowed(harness: Harness) -> None:
    """Every field error of a job body is listed at once, each at its own path."""
    body = {
        "week": "49",
        "time_limit": 1,
        "pins": [{"staff_id": "S01", "date": "Monday", "colour": "red"}],
    }
    resp = harness.client.post(f"/v1/branches/{BRANCH}/jobs", json=body, headers=harness.hr)
    found = {i["location"]: i for i in _issues(resp)}
    assert set(found) == {"week", "time_limit", "pins[0].date", "pins[0].colour"}
    week = found["week"]
    assert (week["file"], week["column"], week["value"]) == ("body", "week", "49")
    assert week["allowed"] == "text matching ^[0-9]{4}-W[0-9]{2}$, e.g. 2026-W49"
    date = found["pins[0].date"]
    assert (date["column"], date["value"], date["message"]) == ("date", "Monday", "not a date")
    assert date["allowed"] == "a date such as 2026-12-01"
    unknown = found["time_limit"]
    assert (unknown["message"], unknown["value"]) == ("unknown field", "1")
    assert unknown["allowed"] == "the fields week, pins, time_limit_s"
    assert found["pins[0].colour"]["allowed"] == (
        "the fields staff_id, date, off, shift, post, start, end"
    )


@pytest.mark.parametrize(
    ("content", "message", "location"),
    [
        (b'{"week": "2026-W49",', "the body is not valid JSON", "character 20"),
        (b"[1, 2]", "not a JSON object", None),
        (b"", "the request has no body", None),
    ],
)
def test_a_body_that_is_no_json_object_is_named_as_such(
    harness: Harness, content: bytes, message: str, location: str | None
) -> None:
    """Broken JSON, a list and no body at all are 422 issues, not framework messages."""
    resp = harness.client.post(
        f"/v1/branches/{BRANCH}/jobs", content=content, headers={**harness.hr, **JSON}
    )
    (issue,) = _issues(resp)
    assert issue["message"].startswith(message)
    assert (issue["file"], issue["location"], issue["allowed"]) == (
        "body",
        location,
        "a JSON object, e.g. {}",
    )


def test_query_and_path_errors_name_where_they_were_sent(harness: Harness) -> None:
    """A year that is no number is a query issue; a missing one says it is required."""
    path = f"/v1/branches/{BRANCH}/leave-plan"
    (bad,) = _issues(harness.client.get(f"{path}?year=next", headers=harness.hr))
    assert (bad["file"], bad["location"], bad["value"]) == ("query", "year", "next")
    assert (bad["message"], bad["allowed"]) == ("not a whole number", "a whole number")
    (missing,) = _issues(harness.client.get(path, headers=harness.hr))
    assert (missing["file"], missing["location"], missing["value"]) == ("query", "year", None)
    assert missing["message"] == "this field is required"


def test_a_missing_upload_is_an_issue_of_the_form(harness: Harness) -> None:
    """An upload without its ``file`` part says which part is missing."""
    (issue,) = _issues(harness.client.put(f"/v1/branches/{BRANCH}/config", headers=harness.hr))
    assert (issue["file"], issue["location"], issue["message"]) == (
        "body",
        "file",
        "this field is required",
    )


def test_a_password_is_never_echoed_even_inside_another_value(harness: Harness) -> None:
    """A missing username with a password sent, or a password nested in a field, stays hidden."""
    missing = harness.client.post("/v1/auth/login", json={"password": "hunter2-secret"})
    (issue,) = _issues(missing)
    assert (issue["location"], issue["value"]) == ("username", None)
    nested = harness.client.post(
        "/v1/auth/login", json={"username": {"password": "hunter2-secret"}, "password": "x"}
    )
    (issue,) = _issues(nested)
    assert issue["value"] == '{"password": "(hidden)"}'
    assert "hunter2" not in missing.text + nested.text


def test_a_long_value_is_echoed_cut_with_its_length(harness: Harness) -> None:
    """A note over its limit is named with its first 200 characters and its length."""
    resp = harness.client.post(
        "/v1/jobs/no-such-job/publish", json={"note": "n" * 5_000}, headers=harness.hr
    )
    (issue,) = _issues(resp)
    assert issue["value"] == "n" * 200 + "... (5000 characters)"
    assert (issue["location"], issue["allowed"]) == ("note", "at most 500 characters")


def test_body_and_service_problems_share_the_format(harness: Harness) -> None:
    """A body refused by the framework and a pin refused by the service read alike."""
    framework = _issues(
        harness.client.post(
            f"/v1/branches/{BRANCH}/jobs", json={"week": WEEK, "pins": 3}, headers=harness.hr
        )
    )
    model = _issues(
        harness.client.post(
            f"/v1/branches/{BRANCH}/jobs",
            json={"week": WEEK, "pins": [{"staff_id": "S01", "date": "2026-12-01"}]},
            headers=harness.hr,
        )
    )
    service = _issues(
        harness.client.post(
            f"/v1/branches/{BRANCH}/jobs",
            json={"week": WEEK, "pins": [{"staff_id": "S99", "date": "2026-12-01", "off": True}]},
            headers=harness.hr,
        )
    )
    assert [(i["location"], i["message"]) for i in framework] == [("pins", "not a list")]
    assert [(i["location"], i["message"]) for i in model] == [
        ("pins[0]", "a pin needs off, a shift or a post")
    ]
    assert [(i["column"], i["message"]) for i in service] == [("staff_id", "unknown staff number")]
