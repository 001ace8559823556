"""Accounts, sessions and API keys: hashing, signing, expiry and revocation."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from service_helpers import BRANCH, PASSWORD, Harness

from scheduler.service.db import API_KEYS, SESSIONS, now
from scheduler.service.security import hash_password, verify_password


def test_passwords_are_stored_as_argon2_hashes() -> None:
    """A stored password is an Argon2id hash that verifies only the right password."""
    stored = hash_password("s3cret-pass")
    assert stored.startswith("$argon2id$")
    assert verify_password(stored, "s3cret-pass") is True
    assert verify_password(stored, "s3cret-pasS") is False
    assert verify_password("not a hash", "s3cret-pass") is False


def test_wrong_password_gets_no_session(harness: Harness) -> None:
    """A wrong password or an unknown user is a 401 with the same message."""
    for user, password in (("manager", "wrong-password"), ("nobody", PASSWORD)):
        resp = harness.client.post("/v1/auth/login", json={"username": user, "password": password})
        assert resp.status_code == 401
        assert resp.json()["detail"] == "wrong username or password"


def test_no_credentials_is_401(harness: Harness) -> None:
    """Nothing of a branch is readable without logging in."""
    assert harness.client.get(f"/v1/branches/{BRANCH}/config").status_code == 401


def test_forged_token_is_refused(harness: Harness) -> None:
    """A token whose signature does not match its id is refused before any lookup."""
    good = harness.token("manager")["Authorization"]
    session_id = good.split()[1].split(".")[0]
    forged = {"Authorization": f"Bearer {session_id}.{'0' * 64}"}
    assert harness.client.get("/v1/me", headers=forged).status_code == 401


def test_logout_revokes_the_session_on_the_server(harness: Harness) -> None:
    """After logout the same token no longer works."""
    headers = harness.token("manager")
    assert harness.client.get("/v1/me", headers=headers).status_code == 200
    assert harness.client.post("/v1/auth/logout", headers=headers).status_code == 200
    assert harness.client.get("/v1/me", headers=headers).status_code == 401


def test_expired_session_is_refused(harness: Harness) -> None:
    """A session past its expiry time is refused even with a valid signature."""
    headers = harness.token("s01")
    session_id = headers["Authorization"].split()[1].split(".")[0]
    with harness.svc.engine.begin() as conn:
        conn.execute(
            sa.update(SESSIONS)
            .where(SESSIONS.c.id == session_id)
            .values(expires_at=now().replace(year=2000))
        )
    assert harness.client.get("/v1/me", headers=headers).status_code == 401


def test_unknown_and_revoked_api_keys_are_401(harness: Harness) -> None:
    """An HR key that was never issued or was revoked opens nothing."""
    key = harness.svc.auth.create_api_key("temporary", [BRANCH])
    assert harness.client.get("/v1/me", headers={"X-API-Key": key}).status_code == 200
    harness.svc.auth.revoke_api_key("temporary")
    assert harness.client.get("/v1/me", headers={"X-API-Key": key}).status_code == 401
    assert harness.client.get("/v1/me", headers={"X-API-Key": "brk_guess"}).status_code == 401


def test_api_key_identifies_the_hr_system_and_its_branches(harness: Harness) -> None:
    """An HR key is scoped to the branches it was issued for."""
    me = harness.client.get("/v1/me", headers=harness.hr).json()
    assert me == {"kind": "hr", "name": "api-key:hr-system", "branches": [BRANCH], "staff_id": None}


def test_cookie_session_needs_the_csrf_token_to_change_anything(harness: Harness) -> None:
    """A browser session cannot be ridden by another site: unsafe calls need the CSRF token."""
    token = harness.token("manager")["Authorization"].split()[1]
    client = harness.client
    client.cookies.set("roster_session", token)
    try:
        body = {"week": "2026-W49", "time_limit_s": 999}
        refused = client.post(f"/v1/branches/{BRANCH}/jobs", json=body)
        assert refused.status_code == 403
        assert refused.json()["detail"] == "missing or wrong CSRF token"
        csrf = harness.svc.auth.from_session(token).csrf  # type: ignore[union-attr]
        checked = client.post(
            f"/v1/branches/{BRANCH}/jobs", json=body, headers={"X-CSRF-Token": csrf}
        )
        assert checked.status_code == 422  # past the CSRF check, refused on the time limit
    finally:
        client.cookies.clear()


def test_key_revoked_elsewhere_is_refused_once_the_cache_time_passed(
    harness: Harness, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A key revoked by another process (serve-key --revoke) stops working after auth_cache_s."""
    from scheduler.service import security

    auth = security.Authenticator(harness.svc.engine, b"k" * 40, cache_s=5.0)
    key = auth.create_api_key("cached", [BRANCH])
    clock = [100.0]
    monkeypatch.setattr(security.time, "monotonic", lambda: clock[0])
    assert auth.from_api_key(key) is not None
    with harness.svc.engine.begin() as conn:  # what another process's revocation writes
        conn.execute(sa.update(API_KEYS).where(API_KEYS.c.name == "cached").values(revoked=True))
    clock[0] += 4.9
    assert auth.from_api_key(key) is not None
    clock[0] += 0.1
    assert auth.from_api_key(key) is None
