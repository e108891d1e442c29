"""The FastAPI application of odc-server: configuration, errors, request bodies, the caller.

Every request gets what it needs from the database (and the attachment folder): no state lives in
the process between requests, so any number of processes can serve one database.
"""

from __future__ import annotations

import dataclasses
import json
import zlib
from pathlib import Path
from typing import Any

from fastapi import Depends, FastAPI, Request, Response
from fastapi.exceptions import RequestValidationError
from fastapi.middleware.gzip import GZipMiddleware
from fastapi.responses import JSONResponse
from sqlalchemy import Engine
from starlette.concurrency import run_in_threadpool

from odc_desktop import __version__
from odc_sync.protocol.canonical import canonical_bytes, sha256_hex
from odc_sync.protocol.errors import HTTP_STATUS, error_body
from odc_sync.server.accounts import DEFAULT_TOKEN_TTL_S, AccountError, Caller, caller_for_token

MAX_JSON_BODY = 32 * 1024 * 1024  # after decompression


@dataclasses.dataclass(frozen=True)
class ServerConfig:
    engine: Engine
    data_dir: Path
    token_ttl_s: float = DEFAULT_TOKEN_TTL_S

    @property
    def attachments_dir(self) -> Path:
        return self.data_dir / "attachments"

    @property
    def uploads_dir(self) -> Path:
        return self.data_dir / "uploads"


class ApiError(Exception):
    """A refusal of the whole request, answered as ``{"error": {code, message, message_en}}``."""

    def __init__(self, code: str, *, headers: dict[str, str] | None = None, **values: Any) -> None:
        super().__init__(code)
        self.code, self.values, self.headers = code, values, headers or {}


def error_response(code: str, headers: dict[str, str] | None = None, **values: Any) -> JSONResponse:
    return JSONResponse(error_body(code, **values), status_code=HTTP_STATUS.get(code, 400), headers=headers)


def config_of(request: Request) -> ServerConfig:
    return request.app.state.config


async def read_json(request: Request) -> Any:
    """The JSON body, gunzipped when ``Content-Encoding: gzip`` (bounded, so a zip bomb is refused)."""
    return parse_json(await request.body(), request.headers.get("content-encoding", "identity"))


def parse_json(raw: bytes, encoding: str) -> Any:
    """The JSON in a request body ``raw`` sent with ``Content-Encoding: encoding`` (see :func:`read_json`)."""
    encoding = encoding.lower()
    if encoding == "gzip":
        inflater = zlib.decompressobj(wbits=31)
        try:
            raw = inflater.decompress(raw, MAX_JSON_BODY + 1)
        except zlib.error as exc:
            raise ApiError("bad_request", detail="gzip") from exc
        if len(raw) > MAX_JSON_BODY or inflater.unconsumed_tail:
            raise ApiError("body_too_large")
    elif encoding != "identity":
        raise ApiError("bad_request", detail=f"Content-Encoding {encoding}")
    try:
        return json.loads(raw)
    except (ValueError, UnicodeDecodeError) as exc:
        raise ApiError("bad_request", detail="JSON") from exc


def bearer_token(request: Request) -> str:
    """The request's bearer token; ``token_missing`` when it has none."""
    header = request.headers.get("authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise ApiError("token_missing", headers={"WWW-Authenticate": "Bearer"})
    return token.strip()


def token_refused(exc: AccountError) -> ApiError:
    """The answer to a token that is unknown, expired or of a disabled user."""
    return ApiError(exc.code, headers={"WWW-Authenticate": "Bearer"})


def _caller(request: Request) -> Caller:
    token = bearer_token(request)
    with config_of(request).engine.connect() as connection:  # one read: no ORM session needed
        try:
            return caller_for_token(connection, token)
        except AccountError as exc:
            raise token_refused(exc) from exc


async def current_caller(request: Request) -> Caller:
    """The dependency of every endpoint behind a login."""
    return await run_in_threadpool(_caller, request)


CallerDep = Depends(current_caller)


def answer_with_etag(request: Request, answer: Any) -> Response:
    """``answer`` as canonical JSON with an ETag that is a hash of those bytes, or a bodiless 304 when
    the client already holds exactly them (If-None-Match): an idle check is one small round trip and
    no server process has to remember anything. For answers behind a login (never a shared cache)."""
    body = canonical_bytes(answer)
    etag = f'"{sha256_hex(body)[:16]}"'  # 64 bits tell one answer from the next
    headers = {"ETag": etag, "Cache-Control": "no-cache"}
    if request.headers.get("if-none-match") == etag:
        return Response(status_code=304, headers=headers)
    return Response(content=body, media_type="application/json", headers=headers)


def require_role(caller: Caller, *roles: str) -> None:
    if caller.role not in roles:
        raise ApiError("forbidden_role")


def create_app(config: ServerConfig) -> FastAPI:
    """The application for ``config`` (the schema must be current: ``odc-server init``)."""
    from odc_sync.server import (api_accounts, api_bundle, api_files, api_forms, api_ocds, api_pull, api_push,
                                 api_review)

    app = FastAPI(title="ODC Server", version=__version__,
                  description="Central server of ODC Desktop (Open Data Kontrak, Kabupaten Bojonegoro): "
                              "sync protocol v3 — login, devices, push with signed receipts (one signature per "
                              "answer over a Merkle root), tus uploads and bundles, pull.")
    app.state.config = config
    # Answers (receipts, pull pages) travel compressed to clients that accept gzip: bytes are the cost
    # on an office's slow link.
    app.add_middleware(GZipMiddleware, minimum_size=512)

    @app.exception_handler(ApiError)
    async def _api_error(_request: Request, exc: ApiError) -> JSONResponse:
        return error_response(exc.code, headers=exc.headers, **exc.values)

    @app.exception_handler(RequestValidationError)
    async def _invalid(_request: Request, exc: RequestValidationError) -> JSONResponse:
        where = ", ".join(".".join(str(part) for part in error["loc"][1:]) for error in exc.errors()[:5])
        return error_response("bad_request", detail=where or "body")

    for module in (api_accounts, api_push, api_files, api_bundle, api_pull, api_review, api_forms, api_ocds):
        app.include_router(module.router)
    return app
