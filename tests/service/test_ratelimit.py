"""Login brute-force protection: failures per username and per address, 429 and Retry-After."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from service_helpers import PASSWORD, Harness

from scheduler.service.ratelimit import LoginLimiter

WRONG = "wrong-password"


class FakeClock:
    """A monotonic clock the test moves by hand."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def limited(make_harness: Callable[..., Harness]) -> tuple[Harness, FakeClock]:
    """A service allowing 3 failures per username and 5 per address in 60 s, on a fake clock."""
    h = make_harness(login_max_failures=3, login_max_failures_per_address=5, login_window_s=60.0)
    clock = FakeClock()
    h.svc.login_limiter.clock = clock
    return h, clock


def _api_login(h: Harness, username: str, password: str) -> tuple[int, str | None, dict]:
    resp = h.client.post("/v1/auth/login", json={"username": username, "password": password})
    return resp.status_code, resp.headers.get("retry-after"), resp.json()


def test_limiter_blocks_a_username_for_the_rest_of_the_window() -> None:
    """After max failures the username waits until the oldest failure leaves the window."""
    clock = FakeClock()
    limiter = LoginLimiter(max_failures=2, max_failures_per_address=10, window_s=60, clock=clock)
    limiter.failed("wang", "10.0.0.1")
    clock.now += 10
    limiter.failed("wang", "10.0.0.2")
    assert limiter.retry_after("wang", "10.0.0.3") == 50
    assert limiter.retry_after("WANG ", "10.0.0.3") == 50
    assert limiter.retry_after("li", "10.0.0.3") is None
    clock.now += 50
    assert limiter.retry_after("wang", "10.0.0.3") is None


def test_limiter_success_clears_the_username_but_not_the_address() -> None:
    """A successful login resets its username; the address keeps its failures."""
    clock = FakeClock()
    limiter = LoginLimiter(max_failures=2, max_failures_per_address=3, window_s=60, clock=clock)
    limiter.failed("wang", "10.0.0.1")
    limiter.failed("wang", "10.0.0.1")
    limiter.succeeded("wang")
    assert limiter.retry_after("wang", "10.0.0.9") is None
    limiter.failed("li", "10.0.0.1")
    assert limiter.retry_after("zhao", "10.0.0.1") == 60


def test_api_login_is_refused_with_429_after_the_failures(
    limited: tuple[Harness, FakeClock],
) -> None:
    """Three wrong passwords, then even the right one gets 429 with Retry-After."""
    h, clock = limited
    assert [_api_login(h, "manager", WRONG)[0] for _ in range(3)] == [401, 401, 401]
    clock.now += 15
    status, retry_after, body = _api_login(h, "manager", PASSWORD)
    assert (status, retry_after) == (429, "45")
    assert body == {"detail": "too many failed logins; try again in 45 s"}
    clock.now += 45
    assert _api_login(h, "manager", PASSWORD)[0] == 200


def test_unknown_and_existing_users_get_the_same_answers(
    limited: tuple[Harness, FakeClock],
) -> None:
    """An unknown username is counted and answered exactly like an existing one."""
    h, clock = limited
    known = [_api_login(h, "manager", WRONG) for _ in range(4)]
    clock.now += 60  # the address's failures leave the window too
    unknown = [_api_login(h, "nobody-here", WRONG) for _ in range(4)]
    assert known == unknown
    assert [status for status, _, _ in unknown] == [401, 401, 401, 429]


def test_a_successful_login_resets_the_username(limited: tuple[Harness, FakeClock]) -> None:
    """Two failures, a success, then two more failures are still answered 401, not 429."""
    h, _ = limited
    statuses = [_api_login(h, "manager", WRONG)[0] for _ in range(2)]
    statuses.append(_api_login(h, "manager", PASSWORD)[0])
    statuses += [_api_login(h, "manager", WRONG)[0] for _ in range(2)]
    assert statuses == [401, 401, 200, 401, 401]


def test_one_address_guessing_many_usernames_is_refused(
    limited: tuple[Harness, FakeClock],
) -> None:
    """Five failures from one address over five usernames block a sixth username too."""
    h, _ = limited
    statuses = [_api_login(h, f"user{n}", WRONG)[0] for n in range(5)]
    status, retry_after, _ = _api_login(h, "manager", PASSWORD)
    assert statuses == [401] * 5
    assert (status, retry_after) == (429, "60")


def test_web_login_form_is_refused_with_429_after_the_failures(
    limited: tuple[Harness, FakeClock],
) -> None:
    """The login form counts failures like the API and then answers 429 with the wait."""
    h, _ = limited

    def post(password: str) -> tuple[int, str | None, str]:
        page = h.client.get("/login?lang=en")
        csrf = re.search(r'name="csrf" value="([0-9a-f]+)"', page.text)
        assert csrf is not None
        resp = h.client.post(
            "/login",
            data={"username": "manager", "password": password, "csrf": csrf.group(1)},
            follow_redirects=False,
        )
        return resp.status_code, resp.headers.get("retry-after"), resp.text

    assert [post(WRONG)[0] for _ in range(3)] == [303, 303, 303]
    status, retry_after, text = post(PASSWORD)
    assert (status, retry_after) == (429, "60")
    assert "Too many failed logins; try again in 60 s" in text
    assert h.client.cookies.get("roster_session") is None
