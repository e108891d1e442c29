"""Form publishing (admin): a new version of a form, checked by the app's strict loader, signed, pulled.

``POST /api/v1/forms`` takes the YAML file as the raw body. The form registry of the data folder
(``<data dir>/forms``, the same code the app stores downloaded forms with) runs every check the app
runs: meta-schema, semantic checks against the form's codelists, another version of a shipped form of
the same stage, fits the other stages' current forms. A form that passes is stored there (so the
server checks entries and builds releases with it) and as a signed row that clients pull
(``forms`` of ``GET /pull``; they verify it with :func:`odc_sync.protocol.signing.form_signature_valid`).
"""

from __future__ import annotations

import json
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse
from sqlalchemy import select
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool

from odc_desktop.form_registry.refused import FormRefused
from odc_desktop.form_registry.registry import FormRegistry
from odc_sync.protocol.canonical import sha256_hex
from odc_sync.protocol.errors import HTTP_STATUS, message
from odc_sync.protocol.messages import API_PREFIX, Role
from odc_sync.protocol.signing import sign_form
from odc_sync.server import audit
from odc_sync.server.accounts import Caller
from odc_sync.server.app import ApiError, CallerDep, config_of, require_role
from odc_sync.server.clock import now_iso
from odc_sync.server.db import in_transaction, next_values
from odc_sync.server.keys import signing_key
from odc_sync.server.models import FormVersion

router = APIRouter(prefix=API_PREFIX, tags=["forms"])
MAX_FORM_BYTES = 2 * 1024 * 1024


def refused(exc: FormRefused) -> JSONResponse:
    body = {"error": {"code": "form_refused", "reason": exc.code,
                      "message": message("form_refused", "id", detail=exc.message("id")),
                      "message_en": message("form_refused", "en", detail=exc.message("en"))}}
    return JSONResponse(body, status_code=HTTP_STATUS["form_refused"])


def _publish(request: Request, caller: Caller, raw: bytes) -> dict[str, Any] | JSONResponse:
    config = config_of(request)
    try:
        text = raw.decode("utf-8")
        form = FormRegistry.open(config.data_dir).add(raw)
    except UnicodeDecodeError as exc:
        raise ApiError("bad_request", detail="UTF-8") from exc
    except FormRefused as exc:
        return refused(exc)
    digest = sha256_hex(raw)
    engine = config.engine
    key = signing_key(engine)

    def work(session: Session) -> dict[str, Any]:
        (seq,) = next_values(session, "change_seq", 1)
        known = session.execute(select(FormVersion).where(FormVersion.form_id == form.id,
                                                          FormVersion.version == form.version)).scalar_one_or_none()
        if known is not None:
            if known.form_hash != digest:
                raise ApiError("form_exists", form_id=form.id, version=form.version)
            return json.loads(known.signed)
        signed = sign_form(key, {"id": form.id, "version": form.version, "hash": digest, "yaml": text,
                                 "stage": form.stage, "published_at": now_iso(), "published_by": caller.username})
        session.add(FormVersion(form_id=form.id, version=form.version, form_hash=digest, definition=text,
                                signature=signed["signature"], change_seq=seq, signed=json.dumps(signed)))
        audit.append(session, caller.username, "form_published", f"{form.id}@{form.version}",
                     {"hash": digest, "change_seq": seq})
        return signed

    return in_transaction(engine, work)


@router.post("/forms", summary="Publish a form version (admin; raw YAML body)",
             description="Checked by the app's strict loader and form registry; answers the signed form as "
                         "clients pull it. 422 form_refused with the loader's reason in both languages.",
             openapi_extra={"requestBody": {"required": True, "content": {"application/yaml": {
                 "schema": {"type": "string"}}}}})
async def post_form(request: Request, caller: Caller = CallerDep):  # noqa: ANN201
    require_role(caller, Role.ADMIN)
    raw = await request.body()
    if len(raw) > MAX_FORM_BYTES:
        raise ApiError("body_too_large")
    return await run_in_threadpool(_publish, request, caller, raw)
