"""Push of signed entries (per-item results) and reading one entry back (the caller's OPD only)."""

from __future__ import annotations

import json
from typing import Any

from fastapi import APIRouter, Request
from sqlalchemy import select
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool

from odc_sync.protocol.messages import API_PREFIX, MAX_BATCH_ITEMS, PROTOCOL_VERSION, PUSH_PROTOCOLS
from odc_sync.protocol.receipts import BATCH_PROTOCOL, SLIM_PROTOCOL, batch_answer, slim_answer
from odc_sync.server.accounts import AccountError, Caller, caller_and_device_key
from odc_sync.server.app import ApiError, CallerDep, ServerConfig, bearer_token, config_of, parse_json, token_refused
from odc_sync.server.ingest import push
from odc_sync.server.keys import signing_key
from odc_sync.server.models import Entry

router = APIRouter(prefix=API_PREFIX, tags=["entries"])

PUSH_BODY = {
    "required": True,
    "content": {"application/json": {"schema": {
        "type": "object", "required": ["protocol", "device", "items"],
        "properties": {
            "protocol": {"type": "integer", "enum": list(PUSH_PROTOCOLS)},
            "device": {"type": "string"},
            "items": {"type": "array", "maxItems": MAX_BATCH_ITEMS, "items": {
                "type": "object", "required": ["payload", "signature"],
                "properties": {"payload": {"type": "object"}, "signature": {"type": "string"}}}}}}}},
}


def _push(config: ServerConfig, token: str, raw: bytes, encoding: str) -> dict[str, Any]:
    """The whole push on one worker thread (one trip to the thread pool per push): the body, the caller
    and the device's key (one query), then the batch. Refusals come in the order they always did: the
    token, then the body, then the device. The answer is built here too, in the request's protocol."""
    try:
        body, bad_body = parse_json(raw, encoding), None
    except ApiError as exc:
        body, bad_body = None, exc
    device_id = body.get("device") if isinstance(body, dict) and isinstance(body.get("device"), str) else None
    with config.engine.connect() as connection:
        try:
            caller, public_key = caller_and_device_key(connection, token, device_id)
        except AccountError as exc:
            raise token_refused(exc) from exc
    if bad_body is not None:
        raise bad_body
    if not isinstance(body, dict) or not isinstance(body.get("items"), list) or device_id is None:
        raise ApiError("bad_request", detail="{protocol, device, items}")
    if body.get("protocol") not in PUSH_PROTOCOLS or isinstance(body.get("protocol"), bool):
        raise ApiError("unsupported_protocol", got=body.get("protocol"), want=PROTOCOL_VERSION)
    if len(body["items"]) > MAX_BATCH_ITEMS:
        raise ApiError("bad_request", detail=f"at most {MAX_BATCH_ITEMS} items")
    if public_key is None:
        raise ApiError("unknown_device")
    results = push(config.engine, caller, device_id, public_key, body["items"])
    if body["protocol"] >= BATCH_PROTOCOL:  # one signature over the Merkle root of the new receipts
        return batch_answer(results, signing_key(config.engine))
    if body["protocol"] >= SLIM_PROTOCOL:  # receipts slim: the client rebuilds and verifies them
        return slim_answer(results)
    return {"protocol": 1, "results": results}


@router.post("/entries/push", summary="Push a batch of signed entries (body may be gzip)",
             description="One result per item, in order: accepted (signed receipt), duplicate (the original "
                         "receipt), conflict (the server copy), rejected (reasons per field). Protocol 2: "
                         "receipts slim (server_seq + signature; the client rebuilds the rest). Protocol 3: "
                         "accepted items without a signature, one root_signature over their Merkle tree. "
                         "See odc_sync.protocol.messages.", openapi_extra={"requestBody": PUSH_BODY})
async def post_push(request: Request) -> dict[str, Any]:
    token = bearer_token(request)  # signed in (checked on the worker thread, with the device)
    raw = await request.body()
    return await run_in_threadpool(_push, config_of(request), token, raw,
                                   request.headers.get("content-encoding", "identity"))


@router.get("/entries/{entry_uid}", summary="Every stored revision of one entry with its receipts")
def get_entry(entry_uid: str, request: Request, caller: Caller = CallerDep) -> dict[str, Any]:
    with Session(config_of(request).engine) as session:
        rows = session.execute(select(Entry).where(Entry.entry_uid == entry_uid).order_by(Entry.revision)).scalars().all()
        if not rows:
            raise ApiError("not_found")
        if not caller.may_see_opd(rows[-1].opd_code):
            raise ApiError("forbidden_opd")
        return {"entry": entry_uid, "revisions": [
            {"payload": json.loads(r.payload), "receipt": json.loads(r.receipt), "status": r.status} for r in rows]}
