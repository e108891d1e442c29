"""Attachments: the "already have it" check and tus 1.0 uploads (creation, creation-with-upload,
checksum), see :mod:`odc_sync.protocol.tus`. Bytes land in ``<data-dir>/uploads/<id>.part`` and,
once whole and matching their SHA-256, move to ``<data-dir>/attachments/<aa>/<sha256>``."""

from __future__ import annotations

import base64
import contextlib
import hashlib
import os
import uuid
from pathlib import Path
from typing import Any, Literal

from fastapi import APIRouter, Request, Response
from pydantic import BaseModel, Field, ValidationError
from sqlalchemy import select
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool
from starlette.requests import ClientDisconnect

from odc_sync.protocol.messages import API_PREFIX, SHA256_HEX
from odc_sync.protocol.tus import CHECKSUM_ALGORITHMS, OFFSET_CONTENT_TYPE, TUS_EXTENSIONS, TUS_VERSION, decode_metadata
from odc_sync.server import audit
from odc_sync.server.accounts import Caller
from odc_sync.server.app import ApiError, CallerDep, ServerConfig, config_of, current_caller, read_json
from odc_sync.server.clock import now
from odc_sync.server.db import in_transaction
from odc_sync.server.models import Attachment, Upload

router = APIRouter(prefix=API_PREFIX, tags=["attachments"])
MAX_FILE = 2 * 1024 ** 3
MAX_CHUNK = 16 * 1024 * 1024
TUS_HEADERS = {"Tus-Resumable": TUS_VERSION}


class CheckRequest(BaseModel):
    sha256: list[str] = Field(max_length=1000)
    # "have": answer only {"have": [...]} (the client knows what it asked; on a slow link the echoed
    # "missing" list is bytes). Servers before this field ignore it and answer both lists.
    answer: Literal["full", "have"] = "full"


def attachment_path(config: ServerConfig, sha256: str) -> Path:
    return config.attachments_dir / sha256[:2] / sha256


def _tus_error(code: str, headers: dict[str, str] | None = None, **values: Any) -> ApiError:
    return ApiError(code, headers={**TUS_HEADERS, **(headers or {})}, **values)


def _require_tus(request: Request) -> None:
    if request.headers.get("tus-resumable") != TUS_VERSION:
        raise _tus_error("tus_version", headers={"Tus-Version": TUS_VERSION})


def _int_header(request: Request, name: str) -> int:
    try:
        value = int(request.headers[name])
    except (KeyError, ValueError) as exc:
        raise _tus_error("bad_request", detail=name) from exc
    if value < 0:
        raise _tus_error("bad_request", detail=name)
    return value


@router.post("/attachments/check", summary="Which of these SHA-256 the server already holds (body may be gzip)",
             openapi_extra={"requestBody": {"required": True, "content": {
                 "application/json": {"schema": CheckRequest.model_json_schema()}}}})
async def post_check(request: Request, _caller: Caller = CallerDep) -> dict[str, list[str]]:
    try:
        body = CheckRequest.model_validate(await read_json(request))
    except ValidationError as exc:
        raise ApiError("bad_request", detail="{sha256: [hex, …]}") from exc
    wanted = [h.lower() for h in body.sha256]

    def have_of() -> set[str]:
        with Session(config_of(request).engine) as session:
            return set(session.execute(select(Attachment.sha256).where(Attachment.sha256.in_(wanted))).scalars())

    have = await run_in_threadpool(have_of)
    if body.answer == "have":
        return {"have": [h for h in wanted if h in have]}
    return {"have": [h for h in wanted if h in have], "missing": [h for h in wanted if h not in have]}


@router.options("/uploads", summary="tus capabilities")
def options_uploads() -> Response:
    return Response(status_code=204, headers={**TUS_HEADERS, "Tus-Version": TUS_VERSION,
                                              "Tus-Extension": TUS_EXTENSIONS, "Tus-Max-Size": str(MAX_FILE),
                                              "Tus-Checksum-Algorithm": ",".join(CHECKSUM_ALGORITHMS)})


@router.post("/uploads", status_code=201,
             summary="tus creation (+ creation-with-upload): Upload-Length, Upload-Metadata sha256 (hex)")
async def post_upload(request: Request) -> Response:
    # creation-with-upload: the first bytes may come in this request's body (read before the caller is
    # looked up: the bytes of a request cut meanwhile would be lost with its connection); a refused
    # login still comes before any other refusal, as on every endpoint.
    body, whole = (await _read_body(request) if request.headers.get("content-type") == OFFSET_CONTENT_TYPE
                   else (b"", True))
    caller = await current_caller(request)
    _require_tus(request)
    length = _int_header(request, "upload-length")
    if length > MAX_FILE:
        raise _tus_error("upload_too_large")
    try:
        metadata = decode_metadata(request.headers.get("upload-metadata", ""))
    except ValueError as exc:
        raise _tus_error("bad_request", detail="Upload-Metadata") from exc
    sha256 = metadata.get("sha256", "").lower()
    if not SHA256_HEX.match(sha256):
        raise _tus_error("bad_request", detail="Upload-Metadata sha256")

    checksum = request.headers.get("upload-checksum")
    if whole and body and not _chunk_checksum_ok(checksum, body):
        raise _tus_error("checksum_mismatch")

    def work(session: Session) -> tuple[str, int]:
        # The same file from the same user resumes the upload already under way (the client may have
        # lost its Location in a crash): the answer says where it stands.
        existing = session.execute(select(Upload).where(Upload.sha256 == sha256, Upload.length == length,
                                                        Upload.user_id == caller.user_id)).scalars().first()
        if existing is not None:
            return existing.id, existing.offset
        upload = Upload(id=uuid.uuid4().hex, sha256=sha256, length=length, offset=0, user_id=caller.user_id,
                        filename=metadata.get("filename", "")[:300], created_at=now())
        session.add(upload)
        return upload.id, 0

    config = config_of(request)
    upload_id, offset = await run_in_threadpool(in_transaction, config.engine, work)
    location = f"{API_PREFIX}/uploads/{upload_id}"
    if body and offset == 0 and (whole or checksum is None):  # a body meant for offset 0 lands there
        try:
            offset = await run_in_threadpool(_write_chunk, config, caller, upload_id, 0, body)
        except ApiError:
            if whole:
                raise
    if not whole:
        return Response(status_code=400)  # nobody is listening; what arrived was kept (see PATCH)
    return Response(status_code=201, headers={**TUS_HEADERS, "Location": location, "Upload-Offset": str(offset)})


def _owned_upload(session: Session, upload_id: str, caller: Caller, lock: bool = False) -> Upload:
    upload = session.get(Upload, upload_id, with_for_update=lock)
    if upload is None or upload.user_id != caller.user_id:
        raise _tus_error("not_found")
    return upload


@router.head("/uploads/{upload_id}", summary="tus: where to resume (Upload-Offset)")
def head_upload(upload_id: str, request: Request, caller: Caller = CallerDep) -> Response:
    with Session(config_of(request).engine) as session:
        upload = _owned_upload(session, upload_id, caller)
        return Response(status_code=200, headers={**TUS_HEADERS, "Upload-Offset": str(upload.offset),
                                                  "Upload-Length": str(upload.length), "Cache-Control": "no-store"})


def _chunk_checksum_ok(header: str | None, chunk: bytes) -> bool:
    if header is None:
        return True
    algorithm, _, value = header.strip().partition(" ")
    if algorithm not in CHECKSUM_ALGORITHMS:
        raise _tus_error("checksum_algorithm")
    try:
        expected = base64.b64decode(value, validate=True)
    except ValueError as exc:
        raise _tus_error("bad_request", detail="Upload-Checksum") from exc
    return hashlib.new(algorithm, chunk).digest() == expected


def _file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1024 * 1024), b""):
            digest.update(block)
    return digest.hexdigest()


def _write_chunk(config: ServerConfig, caller: Caller, upload_id: str, offset: int, chunk: bytes) -> int:
    """Store ``chunk`` at ``offset`` under the upload's row lock; the new offset."""

    def work(session: Session) -> int:
        upload = _owned_upload(session, upload_id, caller, lock=True)
        if offset != upload.offset:
            raise _tus_error("upload_offset_mismatch", headers={"Upload-Offset": str(upload.offset)}, offset=upload.offset)
        if offset + len(chunk) > upload.length:
            raise _tus_error("upload_too_large")
        part = config.uploads_dir / f"{upload.id}.part"
        part.parent.mkdir(parents=True, exist_ok=True)
        with open(part, "r+b" if part.exists() else "w+b") as handle:
            handle.seek(offset)
            handle.write(chunk)
            handle.truncate(offset + len(chunk))
            handle.flush()
            os.fsync(handle.fileno())
        upload.offset = offset + len(chunk)
        if upload.offset < upload.length:
            return upload.offset
        if _file_sha256(part) != upload.sha256:
            upload.offset = 0
            part.unlink()
            raise _FileMismatch()
        final = attachment_path(config, upload.sha256)
        final.parent.mkdir(parents=True, exist_ok=True)
        os.replace(part, final)
        if session.get(Attachment, upload.sha256) is None:
            session.add(Attachment(sha256=upload.sha256, size=upload.length, stored_at=now()))
            audit.append(session, caller.username, "attachment_stored", upload.sha256, {"size": upload.length})
        session.delete(upload)
        return upload.length

    try:
        return in_transaction(config.engine, work)
    except _FileMismatch:
        # Commit the reset so the client starts over from 0 (the bytes did not hash to the name).
        in_transaction(config.engine, lambda s: setattr(_owned_upload(s, upload_id, caller, True), "offset", 0))
        raise _tus_error("file_hash_mismatch", headers={"Upload-Offset": "0"}) from None


class _FileMismatch(Exception):
    pass


@router.patch("/uploads/{upload_id}", status_code=204, summary="tus: append a chunk (Upload-Checksum sha256|sha1)")
async def patch_upload(upload_id: str, request: Request) -> Response:
    chunk, whole = await _read_body(request)  # first: a cut request's bytes go with its connection
    caller = await current_caller(request)  # then the login, before any other refusal or storing
    _require_tus(request)
    if request.headers.get("content-type") != OFFSET_CONTENT_TYPE:
        raise _tus_error("bad_request", detail="Content-Type")
    offset = _int_header(request, "upload-offset")
    checksum = request.headers.get("upload-checksum")
    if not whole:
        # The client went away mid-chunk. tus core: keep as much as arrived, so the resume (HEAD) goes
        # on from there. Not with Upload-Checksum: a part of a chunk cannot be checked, so none of it is
        # stored. Either way the whole file must hash to its SHA-256 before it counts.
        if chunk and checksum is None:
            with contextlib.suppress(ApiError):
                await run_in_threadpool(_write_chunk, config_of(request), caller, upload_id, offset, chunk)
        return Response(status_code=400)  # nobody is listening
    if not _chunk_checksum_ok(checksum, chunk):
        raise _tus_error("checksum_mismatch")
    new_offset = await run_in_threadpool(_write_chunk, config_of(request), caller, upload_id, offset, chunk)
    return Response(status_code=204, headers={**TUS_HEADERS, "Upload-Offset": str(new_offset)})


async def _read_body(request: Request) -> tuple[bytes, bool]:
    """The request body as far as it came, and whether it came whole (False: the client went away)."""
    chunk = bytearray()
    try:
        async for part in request.stream():
            chunk += part
            if len(chunk) > MAX_CHUNK:
                raise _tus_error("body_too_large")
    except ClientDisconnect:
        return bytes(chunk), False
    return bytes(chunk), True
