"""The engine's HTTP: one ``requests`` session, bounded retries with backoff, and answers checked
before they are believed.

An answer counts only when it is what the protocol says: JSON bodies must carry
``Content-Type: application/json`` and parse to an object, so a captive portal's HTML "200 OK" (or a
proxy's error page) is :class:`SyncError` ``sync.not_protocol``, never success. Connection failures,
timeouts, 5xx, 429 and non-protocol answers are retried ``retries`` times with a backoff of
``base_delay * 2**n`` seconds (at most ``max_delay``); ``sleep`` is injectable so tests never wait.
"""

from __future__ import annotations

import gzip
import json
import time
from collections.abc import Callable
from typing import Any

import requests

from odc_desktop.messages import CodedError
from odc_sync.protocol.canonical import canonical_bytes

JSON_TYPES = ("application/json",)
RETRY_STATUS = {429, 500, 502, 503, 504}


class SyncError(CodedError):
    """A sync failure said in the user's language (codes ``sync.*``). ``retryable``: the next run may
    succeed (offline, server busy); ``status``: the HTTP status when there was one."""

    def __init__(self, code: str, /, *, retryable: bool = True, status: int | None = None, **params: Any):
        super().__init__(code, **params)
        self.retryable, self.status = retryable, status


class Cancelled(SyncError):
    def __init__(self) -> None:
        super().__init__("sync.cancelled", retryable=True)


def is_json(response: requests.Response) -> bool:
    return response.headers.get("Content-Type", "").split(";")[0].strip().lower() in JSON_TYPES


def json_body(response: requests.Response) -> dict[str, Any]:
    """The JSON object of a protocol answer; ``sync.not_protocol`` for anything else (HTML, junk)."""
    if not is_json(response):
        raise SyncError("sync.not_protocol", status=response.status_code,
                        kind=response.headers.get("Content-Type", "-") or "-")
    try:
        body = response.json()
    except ValueError as exc:
        raise SyncError("sync.not_protocol", status=response.status_code, kind="JSON?") from exc
    if not isinstance(body, dict):
        raise SyncError("sync.not_protocol", status=response.status_code, kind="JSON")
    return body


def _error_of(response: requests.Response) -> SyncError:
    """The SyncError of a non-2xx answer (the server's own code when it sent a protocol error)."""
    code = None
    if is_json(response):
        try:
            code = (response.json().get("error") or {}).get("code")
        except (ValueError, AttributeError):
            code = None
    if code == "bad_credentials":
        return SyncError("sync.bad_credentials", retryable=False, status=response.status_code)
    if response.status_code == 401 or code in ("token_missing", "token_invalid"):
        return SyncError("sync.login_needed", retryable=False, status=401)
    if code == "too_many_attempts":
        return SyncError("sync.too_many_attempts", retryable=False, status=response.status_code)
    if code == "unknown_device":
        return SyncError("sync.login_needed", retryable=False, status=response.status_code)
    retry = response.status_code in RETRY_STATUS or not is_json(response)
    return SyncError("sync.server_refused", retryable=retry, status=response.status_code,
                     code=code or str(response.status_code))


class Http:
    """Requests to one server (``base_url``), with the bearer token when there is one."""

    def __init__(self, base_url: str, token: str | None = None, *, session: requests.Session | None = None,
                 retries: int = 4, base_delay: float = 0.5, max_delay: float = 30.0,
                 sleep: Callable[[float], None] = time.sleep, timeout: float = 60.0,
                 is_cancelled: Callable[[], bool] = lambda: False) -> None:
        self.base_url = base_url.rstrip("/")
        self.token = token
        self.session = session or requests.Session()
        # Only the headers the protocol needs (requests adds "Accept: */*" and "Connection: keep-alive",
        # both HTTP/1.1 defaults; no Accept either: answers are checked to be JSON): every request's
        # headers are bytes on a slow link. Accept-Encoding stays: without it http.client sends
        # "identity", and pull pages, push answers and the review queue come gzipped.
        self.session.headers.clear()
        self.session.headers.update({"User-Agent": "odc-sync/1", "Accept-Encoding": "gzip"})
        self.retries, self.base_delay, self.max_delay = retries, base_delay, max_delay
        self.sleep, self.timeout, self.is_cancelled = sleep, timeout, is_cancelled
        self.sent_bytes = 0  # request bodies sent (after compression): what the link carried

    def close(self) -> None:
        self.session.close()

    def headers(self, extra: dict[str, str] | None = None) -> dict[str, str]:
        found = {"Authorization": f"Bearer {self.token}"} if self.token else {}
        return {**found, **(extra or {})}

    def request(self, method: str, path: str, *, ok: tuple[int, ...] = (200,), body: bytes | None = None,
                headers: dict[str, str] | None = None, params: dict[str, Any] | None = None,
                retry: bool = True) -> requests.Response:
        """One request, retried on transient failures; the answer when its status is in ``ok``."""
        url = path if path.startswith("http") else self.base_url + path
        attempts = self.retries + 1 if retry else 1
        for attempt in range(attempts):
            if self.is_cancelled():
                raise Cancelled()
            try:
                response = self.session.request(method, url, data=body, headers=self.headers(headers),
                                                params=params, timeout=self.timeout, allow_redirects=False)
                self.sent_bytes += len(body or b"")
                if response.status_code in ok:
                    return response
                error = _error_of(response)
            except requests.RequestException as exc:
                error = SyncError("sync.offline", reason=type(exc).__name__)
            if not error.retryable or attempt == attempts - 1:
                raise error
            self.sleep(min(self.max_delay, self.base_delay * 2 ** attempt))
        raise AssertionError("unreachable")

    def call(self, method: str, path: str, payload: Any = None, *, gzip_body: bool = False,
             ok: tuple[int, ...] = (200,), params: dict[str, Any] | None = None) -> dict[str, Any]:
        """A JSON request whose answer must be a protocol JSON object (else retried, then refused)."""
        headers: dict[str, str] = {}  # (no Accept: every answer is checked to be JSON anyway)
        body = None
        if payload is not None:
            body = canonical_bytes(payload)
            headers["Content-Type"] = "application/json"
            if gzip_body:
                body = gzip.compress(body, compresslevel=6, mtime=0)
                headers["Content-Encoding"] = "gzip"
        last: SyncError | None = None
        for attempt in range(self.retries + 1):
            response = self.request(method, path, ok=ok, body=body, headers=headers, params=params)
            try:
                return json_body(response)
            except SyncError as exc:  # a portal or proxy answered in the server's place: try again
                last = exc
                if attempt < self.retries:
                    self.sleep(min(self.max_delay, self.base_delay * 2 ** attempt))
        assert last is not None
        raise last


def dumps(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True)
