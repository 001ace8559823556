"""Shift swaps: checked against every hard rule before the manager decides."""

from __future__ import annotations

import datetime as dt
import itertools

import pytest
from service_helpers import BRANCH, PASSWORD, WEEK, Harness


def _exchangeable(h: Harness, rows: list[dict]) -> tuple[str, str, str]:
    """Two people and a day on which exchanging them keeps every hard rule by construction.

    Both have the same time pattern that day (work, breaks and free time at the same times)
    and each is qualified for the other's posts, so hours, rest and presence are unchanged;
    failing that, both are off.
    """
    config = h.svc.config(BRANCH)
    days = sorted({r["date"] for r in rows})
    pattern: dict[tuple[str, str], list[tuple[str, str, str]]] = {}
    posts: dict[tuple[str, str], set[str]] = {}
    for r in rows:
        key = (r["staff_id"], r["date"])
        pattern.setdefault(key, []).append((r["start"], r["end"], r["activity"]))
        if r["activity"] == "post":
            posts.setdefault(key, set()).add(r["post"])
    spans = {k: sorted(v) for k, v in pattern.items()}
    people = [s.id for s in config.staff]
    for day in days:
        date = dt.date.fromisoformat(day)
        for a, b in itertools.combinations(people, 2):
            ka, kb = (a, day), (b, day)
            if ka in spans and spans.get(ka) == spans.get(kb):
                fits = all(config.person(b).qualified_for(p, date) for p in posts.get(ka, ()))
                fits &= all(config.person(a).qualified_for(p, date) for p in posts.get(kb, ()))
                if fits:
                    return a, b, day
    for day in days:
        for a, b in itertools.combinations(people, 2):
            if (a, day) not in spans and (b, day) not in spans:
                return a, b, day
    raise AssertionError("no exchangeable pair in the roster")


def _published(h: Harness) -> list[dict]:
    resp = h.client.get(f"/v1/branches/{BRANCH}/weeks/{WEEK}/history", headers=h.hr)
    return list(resp.json()["assignments"])


@pytest.mark.slow
def test_swap_onto_a_post_without_qualification_is_refused(
    harness: Harness, published_job: dict
) -> None:
    """S04 (tellers only) cannot take a day on which S01 holds a post S04 is not qualified for."""
    rows = _published(harness)
    day = next(
        r["date"]
        for r in rows
        if r["staff_id"] == "S01"
        and r["activity"] == "post"
        and r["post"] not in ("cash_teller", "noncash_teller")
    )
    headers = harness.token("s04")
    resp = harness.client.post(
        f"/v1/branches/{BRANCH}/weeks/{WEEK}/swaps",
        json={"date": day, "partner_id": "S01"},
        headers=headers,
    )
    assert resp.status_code == 200
    body = resp.json()
    assert body["status"] == "refused"
    assert any(
        v.startswith("刘洋 holds ") and v.endswith(f" on {day} without a valid qualification.")
        for v in body["violations"]
    )
    assert len(body["violations"]) == len(set(body["violations"]))
    listed = harness.client.get(f"/v1/branches/{BRANCH}/swaps", headers=headers).json()
    assert [s["status"] for s in listed if s["id"] == body["id"]] == ["refused"]
    manager = harness.token("manager")
    decide = harness.client.post(f"/v1/swaps/{body['id']}/approve", headers=manager)
    assert decide.status_code == 422


@pytest.mark.slow
def test_valid_swap_is_approved_and_published_as_a_new_version(
    harness: Harness, published_job: dict
) -> None:
    """A swap that keeps every hard rule waits for the manager; approval republishes the week."""
    rows = _published(harness)
    first, second, day = _exchangeable(harness, rows)
    harness.svc.auth.create_account(f"swap_{first}", PASSWORD, "staff", BRANCH, first)
    headers = harness.token(f"swap_{first}")
    resp = harness.client.post(
        f"/v1/branches/{BRANCH}/weeks/{WEEK}/swaps",
        json={"date": day, "partner_id": second},
        headers=headers,
    )
    body = resp.json()
    assert (body["status"], body["violations"]) == ("proposed", [])
    other_staff = harness.token("s01")
    assert (
        harness.client.post(f"/v1/swaps/{body['id']}/approve", headers=other_staff).status_code
        == 403
    )
    manager = harness.token("manager")
    approved = harness.client.post(f"/v1/swaps/{body['id']}/approve", headers=manager)
    assert approved.json() == {"id": body["id"], "status": "approved"}
    history = harness.client.get(
        f"/v1/branches/{BRANCH}/weeks/{WEEK}/history", headers=harness.hr
    ).json()
    assert [p["version"] for p in history["publications"]] == [1, 2]
    assert len(history["assignments"]) == len(rows)


@pytest.mark.slow
def test_swap_with_oneself_or_a_stranger_is_422(harness: Harness, published_job: dict) -> None:
    """The colleague must be another person of the branch."""
    headers = harness.token("s04")
    for partner in ("S04", "S99"):
        resp = harness.client.post(
            f"/v1/branches/{BRANCH}/weeks/{WEEK}/swaps",
            json={"date": "2026-12-01", "partner_id": partner},
            headers=headers,
        )
        assert resp.status_code == 422


def test_managers_cannot_propose_swaps(harness: Harness) -> None:
    """Swaps are asked for by the staff member concerned, not on their behalf."""
    resp = harness.client.post(
        f"/v1/branches/{BRANCH}/weeks/{WEEK}/swaps",
        json={"date": "2026-12-01", "partner_id": "S05"},
        headers=harness.hr,
    )
    assert resp.status_code == 403
