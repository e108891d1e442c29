"""Signing in: a token, this device's Ed25519 key registered with the server, the server key pinned.

Where things are kept (decided here):

* the device's private key: the file ``device.key`` in the data folder, mode 0600 (base64 of the raw
  32-byte seed). It is not in the store, so a copied backup of the store does not clone the device.
* everything else in the store's ``sync_state`` (bookkeeping, never audited): ``server_url``, ``token``,
  ``token_expires``, ``username``, ``role``, ``opd``, ``device`` (a UUID chosen once) and ``server_key``
  (the receipt-signing key fetched at the first login and pinned: a later login that meets another
  key is refused, so a substituted server cannot issue receipts).
"""

from __future__ import annotations

import os
import uuid
from pathlib import Path
from typing import Any

from odc_sync.client.http import Http, SyncError
from odc_sync.protocol.canonical import b64decode, b64encode
from odc_sync.protocol.messages import API_PREFIX
from odc_sync.protocol.signing import (
    new_private_key,
    private_key_bytes,
    private_key_from_bytes,
    public_key_b64,
    public_key_from_b64,
)

KEY_FILE = "device.key"
STATE_KEYS = ("server_url", "token", "token_expires", "username", "role", "opd", "device", "server_key")


def device_key(data_dir: Path, *, create: bool = True):  # noqa: ANN201 - an Ed25519PrivateKey
    """This device's private key from ``data_dir/device.key`` (made with mode 0600 when absent)."""
    path = Path(data_dir) / KEY_FILE
    try:
        return private_key_from_bytes(b64decode(path.read_text("ascii").strip()))
    except FileNotFoundError:
        if not create:
            raise SyncError("sync.login_needed", retryable=False) from None
    key = new_private_key()
    tmp = path.with_name(KEY_FILE + f".{os.getpid()}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="ascii") as handle:
        handle.write(b64encode(private_key_bytes(key)))
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(tmp, path)
    return key


def signed_in(repo: Any) -> bool:
    return bool(repo.get_sync_state("token") and repo.get_sync_state("server_url"))


def login(repo: Any, data_dir: Path, server_url: str, username: str, password: str, *,
          http: Http | None = None) -> dict[str, Any]:
    """Sign in, register this device (idempotent) and pin the server's receipt key.

    Returns ``{"username", "role", "opd", "device", "server_url", "key_id"}``. Refused with
    :class:`SyncError`: ``sync.bad_credentials``, ``sync.too_many_attempts``, ``sync.offline``,
    ``sync.not_protocol`` (a portal answered), ``sync.server_key_changed``.
    """
    server_url = server_url.rstrip("/")
    own_http = http is None
    http = http or Http(server_url, retries=1)
    try:
        identity = http.call("GET", f"{API_PREFIX}/server-key")
        server_key = identity.get("server_key")
        try:
            public_key_from_b64(server_key)
        except (TypeError, ValueError) as exc:
            raise SyncError("sync.not_protocol", kind="server-key") from exc
        pinned = repo.get_sync_state("server_key")
        if pinned and repo.get_sync_state("server_url") == server_url and pinned != server_key:
            raise SyncError("sync.server_key_changed", retryable=False)
        answer = http.call("POST", f"{API_PREFIX}/auth/login", {"username": username, "password": password})
        token, user = answer.get("token"), answer.get("user") or {}
        if not isinstance(token, str) or not token:
            raise SyncError("sync.not_protocol", kind="login")
        http.token = token
        key = device_key(data_dir)
        device = repo.get_sync_state("device")
        if not device or repo.get_sync_state("server_url") != server_url:
            device = str(uuid.uuid4())
        body = {"device": device, "public_key": public_key_b64(key), "name": f"odc {os.uname().nodename}"[:200]}
        try:
            http.call("POST", f"{API_PREFIX}/devices", body, ok=(200, 201))
        except SyncError as exc:
            if exc.status != 409:  # device_taken: this id is known with another key; take a new id
                raise
            device = body["device"] = str(uuid.uuid4())
            http.call("POST", f"{API_PREFIX}/devices", body, ok=(200, 201))
    finally:
        if own_http:
            http.close()
    values = {"server_url": server_url, "token": token, "token_expires": str(answer.get("expires_at") or ""),
              "username": str(user.get("username") or username), "role": str(user.get("role") or ""),
              "opd": str(user.get("opd") or ""), "device": device, "server_key": server_key}
    for name, value in values.items():
        repo.set_sync_state(name, value)
    return {**{k: values[k] for k in ("username", "role", "opd", "device", "server_url")},
            "key_id": identity.get("key_id")}
