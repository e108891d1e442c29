"""Users, passwords (argon2), session tokens and the login rate limit: all state in the database.

A token is 16 random bytes (URL-safe base64) handed to the client once; the server stores only its
SHA-256 with an expiry, so tokens survive a restart, work on every server process, and a copy of the
database yields none. Failed logins are rows in ``login_failures``: more than :data:`MAX_FAILURES`
for one username (or :data:`MAX_CLIENT_FAILURES` from one address) within :data:`WINDOW_S` seconds
refuses further attempts, the right password included, until the window passes.
"""

from __future__ import annotations

import dataclasses
import hashlib
import secrets

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import Connection, and_, bindparam, delete, func, select
from sqlalchemy.orm import Session

from odc_sync.protocol.messages import Role
from odc_sync.server import audit
from odc_sync.server.clock import now
from odc_sync.server.models import Device, LoginFailure, Opd, Token, User

MAX_FAILURES = 5
MAX_CLIENT_FAILURES = 30
WINDOW_S = 15 * 60
DEFAULT_TOKEN_TTL_S = 12 * 3600
_hasher = PasswordHasher()
# Verified when a username is unknown, so an unknown name costs the same time as a wrong password.
_DUMMY_HASH = _hasher.hash("odc-server: no such user")


class AccountError(Exception):
    """A refusal with a protocol error code (see odc_sync.protocol.errors)."""

    def __init__(self, code: str, **values: object) -> None:
        super().__init__(code)
        self.code, self.values = code, values


@dataclasses.dataclass(frozen=True)
class Caller:
    """Who is calling: the user behind a valid token."""

    user_id: int
    username: str
    role: str
    opd: str | None

    def may_see_opd(self, opd: str) -> bool:
        return self.role == Role.ADMIN or self.opd == opd


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def token_sha256(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def create_user(session: Session, username: str, password: str, role: str, opd: str | None, *,
                actor: str = "system") -> User:
    """A new user; ``AccountError`` for a taken name, an unknown role or OPD (an admin may have none)."""
    if role not in Role.ALL:
        raise AccountError("bad_request", detail=f"role {role!r}")
    if opd is None and role != Role.ADMIN:
        raise AccountError("unknown_opd", opd="-")
    if opd is not None and session.get(Opd, opd) is None:
        raise AccountError("unknown_opd", opd=opd)
    if session.execute(select(User.id).where(User.username == username)).first() is not None:
        raise AccountError("user_exists", username=username)
    user = User(username=username, password_hash=hash_password(password), role=role, opd_code=opd,
                active=True, created_at=now())
    session.add(user)
    session.flush()
    audit.append(session, actor, "user_created", username, {"role": role, "opd": opd})
    return user


def _recent_failures(session: Session, column, value: str, since: float) -> int:  # noqa: ANN001
    return session.execute(select(func.count()).select_from(LoginFailure)
                           .where(column == value, LoginFailure.at > since)).scalar_one()


def login(session: Session, username: str, password: str, client: str, ttl_s: float) -> tuple[str, float, User]:
    """(token, expires_at, user) for right credentials; ``AccountError`` otherwise (the failure is
    recorded in the same transaction, which the caller commits either way)."""
    at = now()
    since = at - WINDOW_S
    session.execute(delete(LoginFailure).where(LoginFailure.at <= since))
    if (_recent_failures(session, LoginFailure.username, username, since) >= MAX_FAILURES
            or _recent_failures(session, LoginFailure.client, client, since) >= MAX_CLIENT_FAILURES):
        oldest = session.execute(select(func.min(LoginFailure.at)).where(
            LoginFailure.username == username, LoginFailure.at > since)).scalar_one() or at
        raise AccountError("too_many_attempts", seconds=max(1, int(oldest + WINDOW_S - at) + 1))
    user = session.execute(select(User).where(User.username == username)).scalar_one_or_none()
    try:
        _hasher.verify(user.password_hash if user else _DUMMY_HASH, password)
        ok = user is not None and user.active
    except (VerificationError, InvalidHashError):
        ok = False
    if not ok:
        session.add(LoginFailure(username=username, client=client, at=at))
        raise AccountError("bad_credentials")
    session.execute(delete(LoginFailure).where(LoginFailure.username == username))
    if _hasher.check_needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    token = secrets.token_urlsafe(16)  # 128 bits; it travels in every request's header
    expires_at = at + ttl_s
    session.add(Token(token_sha256=token_sha256(token), user_id=user.id, expires_at=expires_at))
    session.execute(delete(Token).where(Token.expires_at < at))
    return token, expires_at, user


_tokens, _users, _devices = Token.__table__, User.__table__, Device.__table__
# Built once (Core, on the tables): the user behind a token's hash, and the same with the key of the
# device a push names when that device is the user's (the push's one query: docs/benchmarks.md, "Server CPU").
_CALLER = (select(_users.c.id, _users.c.username, _users.c.role, _users.c.opd_code, _users.c.active,
                  _tokens.c.expires_at)
           .select_from(_tokens.join(_users, _users.c.id == _tokens.c.user_id))
           .where(_tokens.c.token_sha256 == bindparam("token_sha256")))
_CALLER_AND_DEVICE = (select(_users.c.id, _users.c.username, _users.c.role, _users.c.opd_code, _users.c.active,
                             _tokens.c.expires_at, _devices.c.public_key)
                      .select_from(_tokens.join(_users, _users.c.id == _tokens.c.user_id)
                                   .outerjoin(_devices, and_(_devices.c.device_id == bindparam("device_id"),
                                                             _devices.c.user_id == _users.c.id)))
                      .where(_tokens.c.token_sha256 == bindparam("token_sha256")))


def _caller_of(row) -> Caller:  # noqa: ANN001 - a result row of _CALLER or _CALLER_AND_DEVICE
    if row is None or row.expires_at <= now() or not row.active:
        raise AccountError("token_invalid")
    return Caller(user_id=row.id, username=row.username, role=row.role, opd=row.opd_code)


def caller_for_token(session: Session | Connection, token: str) -> Caller:
    """The caller behind ``token``; ``AccountError("token_invalid")`` if unknown, expired or disabled."""
    return _caller_of(session.execute(_CALLER, {"token_sha256": token_sha256(token)}).first())


def caller_and_device_key(session: Session | Connection, token: str, device_id: str | None) -> tuple[Caller, str | None]:
    """The caller behind ``token`` (as :func:`caller_for_token`) and the public key of ``device_id`` when
    that device is registered to the caller (None otherwise), in one query."""
    row = session.execute(_CALLER_AND_DEVICE, {"token_sha256": token_sha256(token), "device_id": device_id}).first()
    return _caller_of(row), row.public_key
