"""Attachments before entries: the cheap "already have it" check, bundles of small files, then tus
uploads that resume.

A small file (at most :data:`BUNDLE_FILE`) this PC never tried to send skips the check and goes in a
bundle; a file tried before (its upload state says so) and every larger file is asked about first.

Per attachment the store keeps ``(uploaded_bytes, uploaded, upload_url)`` (``attachment_uploads``).
A file's first chunk goes in the creating ``POST`` (tus creation-with-upload: one round trip per
small file); the URL is written as soon as the server gave it and the offset after every chunk it
confirmed. Chunks carry no per-chunk checksum, so when the link drops mid-chunk the server keeps the
bytes that reached it: a cut costs the request in flight and one ``HEAD``, not its chunk. Every byte
is still checked: the server takes the file only when all of it hashes to its SHA-256 (else it starts
over from 0). A client killed at any point asks the server (``HEAD``) where it stands and goes on from
there; even a lost URL costs nothing: a ``POST`` of the same file by the same user answers with the
upload already under way and its offset (the store's URL ``""`` says a creation was attempted, so
that ``POST`` goes without a body).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from odc_sync.client.http import Cancelled, Http, SyncError, json_body
from odc_sync.protocol.messages import API_PREFIX
from odc_sync.protocol.tus import (BUNDLE2_CONTENT_TYPE, BUNDLE_MAX_FILE, DEFAULT_CHUNK, OFFSET_CONTENT_TYPE,
                                   TUS_VERSION, encode_metadata)

TUS = {"Tus-Resumable": TUS_VERSION}
#: Files this small travel in bundles: a file's own tus request costs ~600 B of headers, while a cut
#: inside a bundle loses the file in flight (tus keeps its part), which for bigger files on a link
#: that drops every few hundred KB costs more than the headers saved.
BUNDLE_FILE = min(16 * 1024, BUNDLE_MAX_FILE)
BUNDLE_TARGET = 256 * 1024  # bytes of small files per bundle request
MIN_CHUNK = 16 * 1024  # the smallest chunk a run sends (smaller ones cost more in headers than they save)
#: The upload state of a file this PC never tried to send: no row (or the push's reset after
#: ``attachment_missing``, when asking the server is pointless: it just said it lacks the file).
NEVER_TRIED = (0, False, None)
#: The upload URL noted for a file sent in a bundle (not a tus URL: tus starts afresh for it).
BUNDLE_TRIED = "bundle"


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
        self.chunk_size = max(MIN_CHUNK, chunk_size)
        self.uploaded_bytes = 0  # file bytes this run sent and the server kept

    def pending(self, attachments: Iterable[Any]) -> list[Any]:
        """Attachments not yet known to be on the server."""
        return [a for a in attachments if not self.repo.upload_state(a.id)[1]]

    def ensure(self, attachments: list[Any]) -> dict[int, str]:
        """Make sure the server holds every file of ``attachments`` (one "already have it" check for
        the files that need one, then uploads). Returns ``{attachment id: code}`` of the files that
        cannot be sent (missing from the store); a link or server failure raises :class:`SyncError`.

        A bundle-sized file this PC never tried to send (no upload state, or the state the push's
        ``attachment_missing`` resets it to) goes straight into a bundle: asking about it costs more
        than sending it, and the server keeps one copy of a file another PC sent already. Files tried
        before (a cut bundle, a failure: their state says so) and tus-sized files are asked about."""
        states = {a.id: self.repo.upload_state(a.id) for a in attachments}
        todo = [a for a in attachments if not states[a.id][1]]
        # a file another entry of this PC already sent (a change links the same documents): on the server
        sent = self.repo.uploaded_files(sorted({a.sha256 for a in todo}))
        for attachment in [a for a in todo if a.sha256 in sent]:
            self.repo.set_upload_state(attachment.id, attachment.sha256, attachment.size, True, None)
        todo = [a for a in todo if a.sha256 not in sent]
        if not todo:
            return {}
        tried = {a.sha256 for a in todo if a.size > BUNDLE_FILE or states[a.id] != NEVER_TRIED}
        wanted = sorted(tried)
        have: set[str] = set()
        for start in range(0, len(wanted), 1000):
            answer = self.http.call("POST", f"{API_PREFIX}/attachments/check",
                                    {"sha256": wanted[start:start + 1000], "answer": "have"}, gzip_body=True)
            if not isinstance(answer.get("have"), list):
                raise SyncError("sync.not_protocol", kind="check")
            have |= set(answer["have"])
        small = [a for a in todo if a.sha256 not in have and a.size <= BUNDLE_FILE]
        fresh = [a for a in small if states[a.id] == NEVER_TRIED]
        if fresh:  # from now on they count as tried: after a cut, the next run asks about them
            with self.repo.batch():
                for attachment in fresh:
                    self.repo.set_upload_state(attachment.id, attachment.sha256, 0, False, BUNDLE_TRIED)
        done = self._bundles(small)
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

    def _bundles(self, attachments: list[Any]) -> set[str]:
        """Small files together, in bundles of about :data:`BUNDLE_TARGET` bytes (one request each
        instead of one per file; frames ``<size> LF <bytes>``, the server names each file by its hash);
        the SHA-256 the server stored. After a cut the "already have it" check says which arrived
        whole, and the rest go again. Whatever is not stored here (a server without bundles) goes by
        tus."""
        pending = list({a.sha256: a for a in attachments if self.repo.attachment_path(a) is not None}.values())
        stored: set[str] = set()
        failures = 0
        while pending:
            bundle, size = [], 0
            for attachment in pending:
                if bundle and size + attachment.size > BUNDLE_TARGET:
                    break
                bundle.append(attachment)
                size += attachment.size
            frames = []
            for attachment in bundle:
                with open(self.repo.attachment_path(attachment), "rb") as handle:
                    frames.append(f"{attachment.size}\n".encode("ascii") + handle.read())
            sent = {a.sha256 for a in bundle}
            try:
                answer = json_body(self.http.request(
                    "POST", f"{API_PREFIX}/attachments/bundle", ok=(200,), body=b"".join(frames), retry=False,
                    headers={"Content-Type": BUNDLE2_CONTENT_TYPE}))
                count = answer.get("stored")
                if not isinstance(count, int) or isinstance(count, bool) or not 0 <= count <= len(bundle):
                    raise SyncError("sync.not_protocol", kind="bundle")
                got = {a.sha256 for a in bundle[:count]}
                failures = 0
            except Cancelled:
                raise
            except SyncError as exc:
                if not exc.retryable:
                    return stored  # e.g. a server without bundles: tus takes them
                if failures >= self.http.retries:
                    raise
                failures += 1
                self.http.sleep(min(self.http.max_delay, self.http.base_delay * 2 ** (failures - 1)))
                have = self.http.call("POST", f"{API_PREFIX}/attachments/check",
                                      {"sha256": sorted(sent), "answer": "have"}, gzip_body=True).get("have")
                got = sent & set(have if isinstance(have, list) else [])
                bundle = [a for a in bundle if a.sha256 in got]  # the rest goes again
            stored |= got
            self.uploaded_bytes += sum(a.size for a in bundle if a.sha256 in got)
            self.on_bytes(sum(a.size for a in bundle if a.sha256 in got))
            pending = [a for a in pending if a.sha256 not in {b.sha256 for b in bundle}]
        return stored

    def _upload(self, attachment: Any) -> None:
        path = self.repo.attachment_path(attachment)
        if path is None:
            raise SyncError("sync.file_missing", retryable=False, name=attachment.filename)
        _sent, _uploaded, url = self.repo.upload_state(attachment.id)
        if url == BUNDLE_TRIED:
            url = None  # went in a bundle before: no tus upload was ever created for it
        with open(path, "rb") as handle:
            offset = None
            if url:
                response = self.http.request("HEAD", url, ok=(200, 404), headers=TUS)
                if response.status_code == 200:
                    offset = _offset(response, attachment.size)
            if offset is None:  # nothing under way (or it finished / vanished): create, or resume the server's
                url, offset = self._create(attachment, handle, first=url is None)
            failures = 0
            while offset < attachment.size:
                handle.seek(offset)
                chunk = handle.read(self.chunk_size)
                try:
                    response = self.http.request(
                        "PATCH", url, ok=(204, 409, 460), body=chunk, retry=False,
                        headers={**TUS, "Content-Type": OFFSET_CONTENT_TYPE, "Upload-Offset": str(offset)})
                except SyncError as exc:
                    # The link dropped mid-chunk: the server kept what reached it; wait, then ask where.
                    if not exc.retryable or failures >= self.http.retries:
                        raise
                    failures += 1
                    self.http.sleep(min(self.http.max_delay, self.http.base_delay * 2 ** (failures - 1)))
                    offset = self._advance(attachment, url, offset, _offset(
                        self.http.request("HEAD", url, ok=(200,), headers=TUS), attachment.size))
                    continue
                failures = 0
                if response.status_code == 204:
                    new_offset = _offset(response, attachment.size)
                elif response.status_code == 409:  # the server is elsewhere: go on from where it is
                    new_offset = (_offset(response, attachment.size) if "Upload-Offset" in response.headers else
                                  _offset(self.http.request("HEAD", url, ok=(200,), headers=TUS), attachment.size))
                else:  # 460: a whole file that did not hash right (the server starts over from 0)
                    new_offset = _offset(response, attachment.size) if "Upload-Offset" in response.headers else offset
                offset = self._advance(attachment, url, offset, new_offset)

    def _advance(self, attachment: Any, url: str, offset: int, new_offset: int) -> int:
        """Note the server's ``new_offset`` (bytes past ``offset`` were sent by this run)."""
        if new_offset > offset:
            self.uploaded_bytes += new_offset - offset
            self.on_bytes(new_offset - offset)
        self.repo.set_upload_state(attachment.id, attachment.sha256, new_offset, False, url)
        return new_offset

    def _create(self, attachment: Any, handle: Any, *, first: bool) -> tuple[str, int]:
        """The upload's URL and offset: a ``POST`` carrying the first chunk when no creation was
        attempted before (``first``); after a cut, or when one was, a ``POST`` without a body, which
        the server answers with the upload under way and where it stands."""
        headers = {**TUS, "Upload-Length": str(attachment.size),
                   "Upload-Metadata": encode_metadata({"sha256": attachment.sha256, "filename": attachment.filename})}
        response = None
        if first:
            self.repo.set_upload_state(attachment.id, attachment.sha256, 0, False, "")
            chunk = handle.read(self.chunk_size)
            try:
                response = self.http.request("POST", f"{API_PREFIX}/uploads", ok=(200, 201), retry=False, body=chunk,
                                             headers={**headers, "Content-Type": OFFSET_CONTENT_TYPE})
            except SyncError as exc:
                if not exc.retryable:
                    raise
                self.http.sleep(self.http.base_delay)
        if response is None:
            response = self.http.request("POST", f"{API_PREFIX}/uploads", ok=(200, 201), headers=headers)
        if response.status_code == 200:  # the server holds the whole file already
            if _offset(response, attachment.size) == attachment.size:
                return "", attachment.size
            raise SyncError("sync.not_protocol", kind="Upload-Offset")
        url = response.headers.get("Location")
        if not url:
            raise SyncError("sync.not_protocol", kind="Location")
        # A server without creation-with-upload answers without Upload-Offset: nothing stored yet.
        offset = _offset(response, attachment.size) if "Upload-Offset" in response.headers else 0
        return url, self._advance(attachment, url, 0, offset)
