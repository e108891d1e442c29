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
from odc_sync.server.accounts import Caller
from odc_sync.server.app import ApiError, CallerDep, config_of, read_json
from odc_sync.server.ingest import push
from odc_sync.server.keys import signing_key
from odc_sync.server.models import Device, Entry

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


def _push(engine, caller: Caller, device_id: str, items: list[Any], protocol: int) -> dict[str, Any]:  # noqa: ANN001
    """The device's key, then the batch, then the answer in the request's protocol (one trip to the
    thread pool per push)."""
    with Session(engine) as session:
        device = session.get(Device, device_id)
        if device is None or device.user_id != caller.user_id:
            raise ApiError("unknown_device")
        public_key = device.public_key
    results = push(engine, caller, device_id, public_key, items)
    if protocol >= BATCH_PROTOCOL:  # one signature over the Merkle root of the new receipts
        return batch_answer(results, signing_key(engine))
    if protocol >= SLIM_PROTOCOL:  # receipts slim: the client rebuilds and verifies them
        return slim_answer(results)
    return {"protocol": 1, "results": results}


@router.post("/entries/push", summary="Push a batch of signed entries (body may be gzip)",
             description="One result per item, in order: accepted (signed receipt), duplicate (the original "
                         "receipt), conflict (the server copy), rejected (reasons per field). Protocol 2: "
                         "receipts slim (server_seq + signature; the client rebuilds the rest). Protocol 3: "
                         "accepted items without a signature, one root_signature over their Merkle tree. "
                         "See odc_sync.protocol.messages.", openapi_extra={"requestBody": PUSH_BODY})
async def post_push(request: Request, caller: Caller = CallerDep) -> dict[str, Any]:
    body = await read_json(request)
    if not isinstance(body, dict) or not isinstance(body.get("items"), list) or not isinstance(body.get("device"), str):
        raise ApiError("bad_request", detail="{protocol, device, items}")
    if body.get("protocol") not in PUSH_PROTOCOLS or isinstance(body.get("protocol"), bool):
        raise ApiError("unsupported_protocol", got=body.get("protocol"), want=PROTOCOL_VERSION)
    if len(body["items"]) > MAX_BATCH_ITEMS:
        raise ApiError("bad_request", detail=f"at most {MAX_BATCH_ITEMS} items")
    engine = config_of(request).engine
    return await run_in_threadpool(_push, engine, caller, body["device"], body["items"], body["protocol"])


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
