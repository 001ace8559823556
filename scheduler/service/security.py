"""Who is calling and what they may do: passwords, sessions, API keys and the access rules.

Three kinds of caller:

* an **HR system** with an API key scoped to a list of branches: everything on those
  branches;
* a **branch manager** of one branch: everything on that branch only;
* a **staff member**: their own schedule and their own availability only.

Passwords are hashed with Argon2id. A session token is ``<id>.<HMAC-SHA256(id)>``: the
signature is checked before the database is read, and the session row can be revoked or
expire on the server. A checked session or key is remembered for ``cache_s`` seconds (a
logout or revocation through this object forgets it at once; the expiry time is checked on
every call). Form posts carry a per-session CSRF token.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import math
import secrets
import time
from dataclasses import dataclass

import sqlalchemy as sa
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy.engine import Engine

from scheduler.service.db import ACCOUNTS, API_KEYS, SESSIONS, as_utc, now

_HASHER = PasswordHasher()
CACHE_SIZE = 10_000
"""Sessions and keys remembered at most (the cache starts over beyond)."""
API_KEY_PREFIX = "brk_"
"""Every API key starts with this, so a leaked key is easy to search for."""


@dataclass(frozen=True)
class Principal:
    """The authenticated caller.

    Attributes:
        kind: ``hr``, ``manager`` or ``staff``.
        name: Username or API-key name (recorded on what they change).
        branches: Branches the caller may act on.
        staff_id: The person, for staff accounts.
        session_id: The session the call came with (``None`` for API keys).
        csrf: The session's CSRF token.
    """

    kind: str
    name: str
    branches: frozenset[str]
    staff_id: str | None = None
    session_id: str | None = None
    csrf: str = ""

    def manages(self, branch_id: str) -> bool:
        """Whether the caller may change and read everything of ``branch_id``."""
        return self.kind in ("hr", "manager") and branch_id in self.branches

    def belongs_to(self, branch_id: str) -> bool:
        """Whether the caller may read anything of ``branch_id``."""
        return branch_id in self.branches

    def is_person(self, branch_id: str, staff_id: str) -> bool:
        """Whether the caller is staff member ``staff_id`` of ``branch_id``."""
        return self.kind == "staff" and branch_id in self.branches and self.staff_id == staff_id


def hash_password(password: str) -> str:
    """The Argon2id hash of a password."""
    return _HASHER.hash(password)


def verify_password(stored: str, password: str) -> bool:
    """Whether ``password`` matches the stored hash."""
    try:
        return _HASHER.verify(stored, password)
    except (VerificationError, InvalidHashError):
        return False


def _sign(secret: bytes, value: str) -> str:
    return hmac.new(secret, value.encode(), hashlib.sha256).hexdigest()


def key_hash(key: str) -> str:
    """The stored form of an API key (keys are 256-bit random, so SHA-256 suffices)."""
    return hashlib.sha256(key.encode()).hexdigest()


class Authenticator:
    """Creates and checks accounts, sessions and API keys in the service database.

    Args:
        engine: The service database.
        secret: Key that signs session tokens.
        session_hours: Lifetime of a session.
        cache_s: Seconds a checked session or API key is trusted without reading the
            database again (0: read it on every call).
    """

    def __init__(
        self, engine: Engine, secret: bytes, session_hours: float = 12.0, cache_s: float = 0.0
    ):
        self.engine = engine
        self.secret = secret
        self.session_hours = session_hours
        self.cache_s = cache_s
        self._cache: dict[str, tuple[float, float, Principal]] = {}

    def _cached(self, key: str) -> Principal | None:
        """A remembered caller: checked less than ``cache_s`` ago and not expired."""
        entry = self._cache.get(key)
        if entry is None:
            return None
        checked, expires, who = entry
        if time.monotonic() - checked >= self.cache_s or time.time() >= expires:
            self._cache.pop(key, None)
            return None
        return who

    def _remember(self, key: str, who: Principal, expires: float = math.inf) -> Principal:
        if self.cache_s > 0:
            if len(self._cache) >= CACHE_SIZE:
                self._cache.clear()
            self._cache[key] = (time.monotonic(), expires, who)
        return who

    def forget(self) -> None:
        """Drop every remembered session and key (after a change made behind this object)."""
        self._cache.clear()

    def create_account(
        self, username: str, password: str, role: str, branch_id: str, staff_id: str | None = None
    ) -> int:
        """Store an account; ``role`` is ``manager`` or ``staff`` (staff need ``staff_id``).

        Raises:
            ValueError: For an unknown role, a staff account without a person, or a
                password shorter than 8 characters.
        """
        if role not in ("manager", "staff"):
            raise ValueError(f"unknown role {role!r}; allowed: manager, staff")
        if role == "staff" and not staff_id:
            raise ValueError("a staff account needs the staff number")
        if len(password) < 8:
            raise ValueError("a password needs at least 8 characters")
        with self.engine.begin() as conn:
            key = conn.execute(
                sa.insert(ACCOUNTS).values(
                    username=username,
                    password_hash=hash_password(password),
                    role=role,
                    branch_id=branch_id,
                    staff_id=staff_id,
                    active=True,
                    created_at=now(),
                )
            ).inserted_primary_key
        assert key is not None
        return int(key[0])

    def create_api_key(self, name: str, branches: list[str]) -> str:
        """A new HR-system key for ``branches``; only its hash is stored, so show it once."""
        key = API_KEY_PREFIX + secrets.token_urlsafe(32)
        with self.engine.begin() as conn:
            conn.execute(
                sa.insert(API_KEYS).values(
                    name=name,
                    key_hash=key_hash(key),
                    branches=",".join(sorted(set(branches))),
                    revoked=False,
                    created_at=now(),
                )
            )
        return key

    def revoke_api_key(self, name: str) -> bool:
        """Refuse the named key from now on; ``False`` if there is no key of that name."""
        with self.engine.begin() as conn:
            done = conn.execute(
                sa.update(API_KEYS).where(API_KEYS.c.name == name).values(revoked=True)
            ).rowcount
        self.forget()
        return bool(done)

    def login(self, username: str, password: str) -> str | None:
        """A new session token for valid credentials, else ``None``."""
        with self.engine.connect() as conn:
            row = conn.execute(sa.select(ACCOUNTS).where(ACCOUNTS.c.username == username)).first()
        if row is None:
            hash_password(password)  # same work either way: no user enumeration by timing
            return None
        if not row.active or not verify_password(row.password_hash, password):
            return None
        session_id = secrets.token_hex(16)
        expires = now() + dt.timedelta(hours=self.session_hours)
        with self.engine.begin() as conn:
            conn.execute(
                sa.insert(SESSIONS).values(
                    id=session_id,
                    account_id=row.id,
                    csrf=secrets.token_hex(16),
                    expires_at=expires,
                    revoked=False,
                )
            )
        return f"{session_id}.{_sign(self.secret, session_id)}"

    def logout(self, token: str) -> None:
        """Revoke the session of ``token`` (a bad token is ignored)."""
        session_id = self._session_id(token)
        if session_id:
            self._cache.pop(token, None)
            with self.engine.begin() as conn:
                conn.execute(
                    sa.update(SESSIONS).where(SESSIONS.c.id == session_id).values(revoked=True)
                )

    def _session_id(self, token: str) -> str | None:
        session_id, _, signature = token.partition(".")
        if not session_id or not hmac.compare_digest(signature, _sign(self.secret, session_id)):
            return None
        return session_id

    def from_session(self, token: str) -> Principal | None:
        """The caller of a session token, if it is well signed, live and not revoked.

        A token is remembered under its whole text, and only after its signature checked
        out, so a remembered token needs no second signature check.
        """
        cached = self._cached(token)
        if cached is not None:
            return cached
        session_id = self._session_id(token)
        if session_id is None:
            return None
        query = (
            sa.select(SESSIONS, ACCOUNTS)
            .join(ACCOUNTS, ACCOUNTS.c.id == SESSIONS.c.account_id)
            .where(SESSIONS.c.id == session_id)
        )
        with self.engine.connect() as conn:
            row = conn.execute(query).first()
        if row is None or row.revoked or not row.active or as_utc(row.expires_at) <= now():
            return None
        who = Principal(
            kind=row.role,
            name=row.username,
            branches=frozenset([row.branch_id]),
            staff_id=row.staff_id,
            session_id=session_id,
            csrf=row.csrf,
        )
        return self._remember(token, who, as_utc(row.expires_at).timestamp())

    def from_api_key(self, key: str) -> Principal | None:
        """The HR system of an API key, if the key exists and is not revoked."""
        if not key.startswith(API_KEY_PREFIX):
            return None
        digest = key_hash(key)
        cached = self._cached(digest)
        if cached is not None:
            return cached
        with self.engine.connect() as conn:
            row = conn.execute(sa.select(API_KEYS).where(API_KEYS.c.key_hash == digest)).first()
        if row is None or row.revoked:
            return None
        branches = frozenset(b for b in row.branches.split(",") if b)
        return self._remember(
            digest, Principal(kind="hr", name=f"api-key:{row.name}", branches=branches)
        )
