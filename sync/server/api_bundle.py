"""Small files in one request: ``POST {API_PREFIX}/attachments/bundle``.

A tus upload costs a request (about 600 bytes of headers both ways) per file, more than a small
scanned form or photo thumbnail weighs, so files of at most :data:`BUNDLE_MAX_FILE` bytes may travel
together instead. Two body formats, told apart by ``Content-Type``:

* ``application/x-odc-bundle2`` (:data:`BUNDLE2_CONTENT_TYPE`, current clients): frames
  ``<size in decimal> LF <size bytes>``, no names. The server hashes what arrived and stores each file
  under its SHA-256 (content-addressed: a file it has already is kept once); a wrong file cannot pass
  for another, because the push refuses an entry naming a file the server lacks
  (``attachment_missing``). The answer is ``{"stored": <n>}``: the first ``n`` frames were stored
  (every whole frame is; the client knows which files it sent, in order).
* ``application/x-odc-bundle`` (older clients): frames ``<sha256 hex> SP <size> LF <bytes>``; every
  file must hash to its name, else it is refused (not stored). The answer is
  ``{"stored": <count>, "refused": [sha256, …]}``.

When the link drops mid-body, the files that arrived whole are kept (the client asks the "already
have it" check which, and sends the rest again).
"""

from __future__ import annotations

import hashlib
import os
import uuid
from typing import Any

from fastapi import APIRouter, Request, Response
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool
from starlette.requests import ClientDisconnect

from odc_sync.protocol.messages import API_PREFIX, SHA256_HEX
from odc_sync.protocol.tus import BUNDLE2_CONTENT_TYPE, BUNDLE_CONTENT_TYPE, BUNDLE_MAX_BODY, BUNDLE_MAX_FILE
from odc_sync.server import audit
from odc_sync.server.accounts import Caller
from odc_sync.server.api_files import attachment_path
from odc_sync.server.app import ApiError, ServerConfig, config_of, current_caller
from odc_sync.server.clock import now
from odc_sync.server.db import in_transaction
from odc_sync.server.models import Attachment

router = APIRouter(prefix=API_PREFIX, tags=["attachments"])


def parse_frames(body: bytes) -> tuple[list[tuple[str, bytes]], bool]:
    """The whole frames at the start of ``body`` and whether nothing else followed (False: a cut
    frame at the end). ``ApiError`` ``bad_request`` for a malformed frame header."""
    frames, at = [], 0
    while at < len(body):
        end = body.find(b"\n", at, at + 90)
        if end < 0:
            if len(body) - at < 90:
                return frames, False  # the header itself was cut
            raise ApiError("bad_request", detail="bundle frame")
        sha, _, size_text = body[at:end].decode("ascii", "replace").partition(" ")
        if not SHA256_HEX.match(sha) or not size_text.isdigit() or int(size_text) > BUNDLE_MAX_FILE:
            raise ApiError("bad_request", detail="bundle frame")
        size = int(size_text)
        if end + 1 + size > len(body):
            return frames, False
        frames.append((sha, body[end + 1:end + 1 + size]))
        at = end + 1 + size
    return frames, True


def parse_frames_v2(body: bytes) -> tuple[list[tuple[str, bytes]], bool]:
    """As :func:`parse_frames` for unnamed frames (``<size> LF <bytes>``): each named here by the
    SHA-256 of what arrived."""
    frames, at = [], 0
    longest = len(str(BUNDLE_MAX_FILE)) + 1
    while at < len(body):
        end = body.find(b"\n", at, at + longest)
        if end < 0:
            if len(body) - at < longest:
                return frames, False  # the header itself was cut
            raise ApiError("bad_request", detail="bundle frame")
        size_text = body[at:end]
        if not size_text.isdigit() or int(size_text) > BUNDLE_MAX_FILE:
            raise ApiError("bad_request", detail="bundle frame")
        size = int(size_text)
        if end + 1 + size > len(body):
            return frames, False
        data = body[end + 1:end + 1 + size]
        frames.append((hashlib.sha256(data).hexdigest(), data))
        at = end + 1 + size
    return frames, True


def _store(config: ServerConfig, caller: Caller, frames: list[tuple[str, bytes]]) -> dict[str, Any]:
    stored, refused, good = [], [], []
    for sha, data in frames:
        if hashlib.sha256(data).hexdigest() != sha:  # (v2 frames are named by this very hash)
            refused.append(sha)
            continue
        final = attachment_path(config, sha)
        if not final.exists():
            final.parent.mkdir(parents=True, exist_ok=True)
            part = config.uploads_dir / f"bundle-{uuid.uuid4().hex}.part"
            part.parent.mkdir(parents=True, exist_ok=True)
            with open(part, "wb") as handle:
                handle.write(data)
                handle.flush()
                os.fsync(handle.fileno())
            os.replace(part, final)
        good.append((sha, len(data)))
        stored.append(sha)

    def work(session: Session) -> None:
        records = []
        for sha, size in good:
            if session.get(Attachment, sha) is None:
                session.add(Attachment(sha256=sha, size=size, stored_at=now()))
                records.append(("attachment_stored", sha, {"size": size}))
        audit.append_many(session, caller.username, records)

    if good:
        in_transaction(config.engine, work)
    return {"stored": len(stored), "refused": refused}


@router.post("/attachments/bundle", summary="Several small files in one request (frames: size LF bytes; "
             "older clients: sha256 SP size LF bytes)")
async def post_bundle(request: Request) -> Any:
    body, whole = bytearray(), True
    try:  # read before the caller is looked up: the bytes of a request cut meanwhile go with it
        async for part in request.stream():
            body += part
            if len(body) > BUNDLE_MAX_BODY:
                raise ApiError("body_too_large")
    except ClientDisconnect:
        whole = False
    caller = await current_caller(request)  # a refused login comes before any other refusal
    kind = request.headers.get("content-type")
    if kind not in (BUNDLE_CONTENT_TYPE, BUNDLE2_CONTENT_TYPE):
        raise ApiError("bad_request", detail="Content-Type")
    frames, complete = (parse_frames_v2 if kind == BUNDLE2_CONTENT_TYPE else parse_frames)(bytes(body))
    answer = await run_in_threadpool(_store, config_of(request), caller, frames)
    if not whole:
        return Response(status_code=400)  # nobody is listening; the whole files that came are kept
    if not complete:
        raise ApiError("bad_request", detail="bundle frame")
    return {"stored": answer["stored"]} if kind == BUNDLE2_CONTENT_TYPE else answer
