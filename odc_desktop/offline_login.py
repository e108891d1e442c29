"""Signing in from the app: online through the server the first time, offline afterwards.

A successful online login (:func:`odc_sync.client.login`) leaves an argon2 hash of the password, with
the username, in the store's ``sync_state`` (key :data:`OFFLINE_KEY`; bookkeeping, never audited,
never sent anywhere). When the server cannot be reached later, the same username and password are
checked against that hash, so an operator in an office without internet still signs in; a wrong
password is refused, and a PC that never signed in online says it needs the server once.

Qt-free: the app's login dialog calls :func:`sign_in` on its sync worker. Messages: area ``app_sync``.
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from odc_desktop.messages import CodedError

OFFLINE_KEY = "offline_login"
#: SyncError codes that are the server's answer (wrong password, too many tries, another server key),
#: not a missing connection: these never fall back to the offline check.
REFUSALS = frozenset({"sync.bad_credentials", "sync.too_many_attempts", "sync.server_key_changed"})


class LoginRefused(CodedError):
    """The sign-in was refused (an ``app_sync.*`` code)."""


@dataclasses.dataclass(frozen=True)
class SignedIn:
    """Who signed in, and whether the server said so (``online``) or the cached hash did."""

    username: str
    online: bool
    role: str = ""
    opd: str = ""


def _hasher():  # noqa: ANN202 - argon2.PasswordHasher, imported when first needed
    from argon2 import PasswordHasher

    return PasswordHasher()


def remember(repo: Any, username: str, password: str, role: str = "", opd: str = "") -> None:
    """Keep an argon2 hash of ``password`` for ``username`` (the next offline sign-in checks it)."""
    repo.set_sync_state(OFFLINE_KEY, json.dumps(
        {"username": username, "hash": _hasher().hash(password), "role": role, "opd": opd}, sort_keys=True))


def cached_username(repo: Any) -> str | None:
    """The username of the last online sign-in on this PC (None: never signed in)."""
    cached = _cached(repo)
    return str(cached["username"]) if cached else None


def _cached(repo: Any) -> dict[str, Any] | None:
    raw = repo.get_sync_state(OFFLINE_KEY)
    try:
        cached = json.loads(raw) if raw else None
    except ValueError:
        return None
    return cached if isinstance(cached, dict) and cached.get("hash") and cached.get("username") else None


def check_offline(repo: Any, username: str, password: str, why: Any = "") -> SignedIn:
    """Sign in against the cached hash. :class:`LoginRefused` when there is none (``never_online``,
    saying ``why`` the server could not be asked), for another user, or for a wrong password."""
    from argon2.exceptions import InvalidHashError, VerificationError

    cached = _cached(repo)
    if cached is None:
        raise LoginRefused("app_sync.never_online", reason=why)
    if str(cached["username"]).casefold() != username.strip().casefold():
        raise LoginRefused("app_sync.offline_other_user", username=str(cached["username"]))
    try:
        _hasher().verify(cached["hash"], password)
    except (VerificationError, InvalidHashError):
        raise LoginRefused("app_sync.offline_wrong_password") from None
    return SignedIn(str(cached["username"]), False, str(cached.get("role") or ""), str(cached.get("opd") or ""))


def sign_in(repo: Any, data_dir: Path, server_url: str, username: str, password: str, *,
            login: Callable[..., dict[str, Any]] | None = None) -> SignedIn:
    """Sign in online (and remember the password's hash); when the server cannot be reached, offline.

    Raises :class:`LoginRefused` (empty fields, the offline refusals) or the client's ``SyncError``
    when the server itself refused (wrong password, too many attempts, another server key).
    """
    from odc_sync.client import SyncError

    if not username.strip() or not password:
        raise LoginRefused("app_sync.fields_needed")
    if login is None:
        from odc_sync.client import login
    try:
        who = login(repo, data_dir, server_url, username.strip(), password)
    except SyncError as exc:
        if exc.code in REFUSALS or not exc.retryable:  # the server answered: no offline second try
            raise
        return check_offline(repo, username, password, why=exc)
    remember(repo, who["username"], password, who.get("role") or "", who.get("opd") or "")
    return SignedIn(who["username"], True, who.get("role") or "", who.get("opd") or "")
