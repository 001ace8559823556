"""Publishing a job's roster: a repeated request adds no copy of the version in force."""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

import pytest
from service_helpers import BRANCH, WEEK, Harness


def _finished_job(h: Harness, headers: dict[str, str]) -> str:
    resp = h.client.post(
        f"/v1/branches/{BRANCH}/jobs", json={"week": WEEK, "time_limit_s": 8}, headers=headers
    )
    assert resp.status_code == 202, resp.text
    return str(resp.json()["id"])


def _publish(h: Harness, job_id: str, headers: dict[str, str], **body: object) -> object:
    return h.client.post(f"/v1/jobs/{job_id}/publish", json=body, headers=headers)


def _versions(h: Harness, headers: dict[str, str]) -> list[tuple[int, int]]:
    history = h.client.get(f"/v1/branches/{BRANCH}/weeks/{WEEK}/history", headers=headers)
    return [(p["id"], p["version"]) for p in history.json()["publications"]]


@pytest.mark.slow
def test_publishing_the_version_in_force_again_returns_it(
    make_harness: Callable[..., Harness],
) -> None:
    """``new_version: true`` twice on one job gives one publication; another job's is new.

    Publishing a job whose roster was replaced since by another version makes it the
    version in force again (a new version), once, even for requests sent at the same time.
    """
    h = make_harness(workers=2)
    manager = h.token("manager")
    first, second = _finished_job(h, manager), _finished_job(h, manager)
    for job in (first, second):
        assert h.wait(job, manager)["status"] == "succeeded"

    one = _publish(h, first, manager, new_version=True)
    again = _publish(h, first, manager, new_version=True, note="clicked twice")
    assert (one.status_code, again.status_code) == (200, 200), again.text
    pub1 = one.json()["publication_id"]
    assert again.json() == {"publication_id": pub1}
    assert _versions(h, manager) == [(pub1, 1)]

    refused = _publish(h, first, manager)  # without new_version: the week is published
    assert refused.status_code == 422
    assert refused.json()["issues"][0]["allowed"] == "new_version: true (earlier versions are kept)"

    other = _publish(h, second, manager, new_version=True)
    pub2 = other.json()["publication_id"]
    assert pub2 != pub1
    assert _publish(h, second, manager, new_version=True).json() == {"publication_id": pub2}
    assert _versions(h, manager) == [(pub1, 1), (pub2, 2)]

    back = _publish(h, first, manager, new_version=True).json()["publication_id"]
    assert back not in (pub1, pub2)
    assert _publish(h, first, manager, new_version=True).json() == {"publication_id": back}
    assert _versions(h, manager) == [(pub1, 1), (pub2, 2), (back, 3)]
    job = h.client.get(f"/v1/jobs/{first}", headers=manager).json()
    assert job["publication_id"] == back

    with ThreadPoolExecutor(4) as pool:
        answers = list(pool.map(lambda _: _publish(h, second, manager, new_version=True), range(4)))
    assert {a.status_code for a in answers} == {200}
    (latest,) = {a.json()["publication_id"] for a in answers}
    assert _versions(h, manager) == [(pub1, 1), (pub2, 2), (back, 3), (latest, 4)]
