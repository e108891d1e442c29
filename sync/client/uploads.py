"""Attachments before entries: the cheap "already have it" check, then tus uploads that resume.

Per attachment the store keeps ``(uploaded_bytes, uploaded, upload_url)`` (``attachment_uploads``).
The URL is written before the first byte goes out and the offset after every chunk the server
confirmed, so a client killed at any point asks the server (``HEAD``) where it stands and goes on
from there: a cut costs at most one chunk. Even a lost URL costs nothing: the server resumes the
same user's upload of the same file from its ``POST``.
"""

from __future__ import annotations

import base64
import hashlib
from collections.abc import Callable, Iterable
from typing import Any

from odc_sync.client.http import Http, SyncError
from odc_sync.protocol.messages import API_PREFIX
from odc_sync.protocol.tus import DEFAULT_CHUNK, OFFSET_CONTENT_TYPE, TUS_VERSION, encode_metadata

TUS = {"Tus-Resumable": TUS_VERSION}
#: The smallest chunk: after a cut, chunks halve down to this, then grow back by it per chunk stored.
MIN_CHUNK = 16 * 1024


def _offset(response: Any, size: int) -> int:
    """The server's ``Upload-Offset``; only a tus answer (``Tus-Resumable``) within the file counts,
    so a portal's page can never pass for progress."""
    try:
        if response.headers.get("Tus-Resumable") != TUS_VERSION:
            raise ValueError("not a tus answer")
        offset = int(response.headers["Upload-Offset"])
        if not 0 <= offset <= size:
            raise ValueError("offset outside the file")
        return offset
    except (KeyError, ValueError) as exc:
        raise SyncError("sync.not_protocol", kind="Upload-Offset") from exc


class Uploader:
    """Uploads the attachments of the entries about to be pushed (one run)."""

    def __init__(self, repo: Any, http: Http, *, chunk_size: int = DEFAULT_CHUNK,
                 on_bytes: Callable[[int], None] = lambda n: None) -> None:
        self.repo, self.http, self.on_bytes = repo, http, on_bytes
        self.chunk_size = self.max_chunk = max(MIN_CHUNK, chunk_size)
        self.uploaded_bytes = 0  # file bytes this run sent and the server kept

    def pending(self, attachments: Iterable[Any]) -> list[Any]:
        """Attachments not yet known to be on the server."""
        return [a for a in attachments if not self.repo.upload_state(a.id)[1]]

    def ensure(self, attachments: list[Any]) -> dict[int, str]:
        """Make sure the server holds every file of ``attachments`` (one "already have it" check for
        all of them, then uploads). Returns ``{attachment id: code}`` of the files that cannot be sent
        (missing from the store); a link or server failure raises :class:`SyncError`."""
        todo = self.pending(attachments)
        if not todo:
            return {}
        wanted = sorted({a.sha256 for a in todo})
        have: set[str] = set()
        for start in range(0, len(wanted), 1000):
            answer = self.http.call("POST", f"{API_PREFIX}/attachments/check", {"sha256": wanted[start:start + 1000]})
            if not isinstance(answer.get("have"), list):
                raise SyncError("sync.not_protocol", kind="check")
            have |= set(answer["have"])
        done: set[str] = set()
        failed: dict[str, str] = {}
        for attachment in todo:
            if attachment.sha256 not in have and attachment.sha256 not in done and attachment.sha256 not in failed:
                try:
                    self._upload(attachment)
                except SyncError as exc:
                    if exc.retryable:
                        raise
                    failed[attachment.sha256] = exc.code
                    continue
                done.add(attachment.sha256)
            if attachment.sha256 not in failed:
                self.repo.set_upload_state(attachment.id, attachment.sha256, attachment.size, True, None)
        return {a.id: failed[a.sha256] for a in todo if a.sha256 in failed}

    def _upload(self, attachment: Any) -> None:
        _sent, _uploaded, url = self.repo.upload_state(attachment.id)
        offset = None
        if url:
            response = self.http.request("HEAD", url, ok=(200, 404), headers=TUS)
            if response.status_code == 200:
                offset = _offset(response, attachment.size)
        if offset is None:  # nothing under way (or it finished / vanished): create, or resume the server's
            response = self.http.request(
                "POST", f"{API_PREFIX}/uploads", ok=(200, 201),
                headers={**TUS, "Upload-Length": str(attachment.size),
                         "Upload-Metadata": encode_metadata({"sha256": attachment.sha256,
                                                             "filename": attachment.filename})})
            if response.status_code == 200:  # the server holds the whole file already
                if _offset(response, attachment.size) == attachment.size:
                    return
                raise SyncError("sync.not_protocol", kind="Upload-Offset")
            url = response.headers.get("Location")
            if not url:
                raise SyncError("sync.not_protocol", kind="Location")
            self.repo.set_upload_state(attachment.id, attachment.sha256, 0, False, url)
            offset = 0  # a new upload starts at 0; a resumed one answers the first PATCH with 409 and its offset
        path = self.repo.attachment_path(attachment)
        if path is None:
            raise SyncError("sync.file_missing", retryable=False, name=attachment.filename)
        failures = 0
        with open(path, "rb") as handle:
            while offset < attachment.size:
                handle.seek(offset)
                chunk = handle.read(self.chunk_size)
                digest = base64.b64encode(hashlib.sha256(chunk).digest()).decode("ascii")
                try:
                    response = self.http.request(
                        "PATCH", url, ok=(204, 409, 460), body=chunk, retry=False,
                        headers={**TUS, "Content-Type": OFFSET_CONTENT_TYPE, "Upload-Offset": str(offset),
                                 "Upload-Checksum": f"sha256 {digest}"})
                except SyncError as exc:
                    # The link dropped mid-chunk: smaller chunks from now on (a cut costs at most one),
                    # wait, then ask the server where it stands.
                    if not exc.retryable or failures >= self.http.retries:
                        raise
                    failures += 1
                    self.chunk_size = max(MIN_CHUNK, self.chunk_size // 2)
                    self.http.sleep(min(self.http.max_delay, self.http.base_delay * 2 ** (failures - 1)))
                    offset = _offset(self.http.request("HEAD", url, ok=(200,), headers=TUS), attachment.size)
                    self.repo.set_upload_state(attachment.id, attachment.sha256, offset, False, url)
                    continue
                failures = 0
                if response.status_code == 204:
                    new_offset = _offset(response, attachment.size)
                    self.uploaded_bytes += max(0, new_offset - offset)
                    self.on_bytes(max(0, new_offset - offset))
                    self.chunk_size = min(self.max_chunk, self.chunk_size + MIN_CHUNK)  # grow back slowly
                elif response.status_code == 409:  # the server is elsewhere: go on from where it is
                    new_offset = (_offset(response, attachment.size) if "Upload-Offset" in response.headers else
                                  _offset(self.http.request("HEAD", url, ok=(200,), headers=TUS), attachment.size))
                else:  # 460: a damaged chunk (not stored) or a whole file that did not hash right
                    new_offset = _offset(response, attachment.size) if "Upload-Offset" in response.headers else offset
                offset = new_offset
                self.repo.set_upload_state(attachment.id, attachment.sha256, offset, False, url)
