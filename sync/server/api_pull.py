"""Health, the server's public key, and pull since a cursor (with ETag → 304).

Pull answers every change with ``change_seq`` above the cursor, oldest first, at most ``limit``:
review decisions of the caller's OPD (all OPDs for an admin), published form versions, and
reference data (the OPD master). The ETag is a hash of the answer itself, so "nothing new" with
``If-None-Match`` is a bodiless 304 and no server process has to remember anything.
"""

from __future__ import annotations

import json
from typing import Any

from fastapi import APIRouter, Query, Request, Response
from sqlalchemy import select, text
from sqlalchemy.orm import Session

from odc_sync.protocol.canonical import canonical_bytes, sha256_hex
from odc_sync.protocol.messages import API_PREFIX, PROTOCOL_VERSION, Role
from odc_sync.protocol.signing import key_id, public_key_b64
from odc_sync.server.accounts import Caller
from odc_sync.server.app import CallerDep, config_of
from odc_sync.server.keys import signing_key
from odc_sync.server.models import Decision, FormVersion, Opd

router = APIRouter(prefix=API_PREFIX, tags=["sync"])


def server_identity(request: Request) -> dict[str, Any]:
    public = public_key_b64(signing_key(config_of(request).engine))
    return {"protocol": PROTOCOL_VERSION, "server_key": public, "key_id": key_id(public)}


@router.get("/health", summary="The server answers and its database is reachable")
def get_health(request: Request) -> dict[str, Any]:
    with config_of(request).engine.connect() as connection:
        connection.execute(text("SELECT 1"))
    return {"status": "ok", **server_identity(request)}


@router.get("/server-key", summary="The Ed25519 key receipts are signed with")
def get_server_key(request: Request) -> dict[str, Any]:
    return server_identity(request)


def _changes(session: Session, caller: Caller, cursor: int, limit: int) -> dict[str, Any]:
    decisions_q = select(Decision).where(Decision.change_seq > cursor)
    if caller.role != Role.ADMIN:
        decisions_q = decisions_q.where(Decision.opd_code == caller.opd)
    found: list[tuple[int, str, dict[str, Any]]] = []
    for d in session.execute(decisions_q.order_by(Decision.change_seq).limit(limit)).scalars():
        found.append((d.change_seq, "decisions", {"entry": d.entry_uid, "revision": d.revision, "opd": d.opd_code,
                                                  "decision": d.decision, "comments": json.loads(d.comments),
                                                  "decided_at": d.decided_at}))
    forms_q = select(FormVersion).where(FormVersion.change_seq > cursor).order_by(FormVersion.change_seq).limit(limit)
    for f in session.execute(forms_q).scalars():
        found.append((f.change_seq, "forms", {"id": f.form_id, "version": f.version, "hash": f.form_hash,
                                              "definition": f.definition, "signature": f.signature}))
    opd_q = select(Opd).where(Opd.change_seq > cursor).order_by(Opd.change_seq, Opd.code).limit(limit)
    for o in session.execute(opd_q).scalars():
        found.append((o.change_seq, "opd", {"code": o.code, "name": {"id": o.name_id, "en": o.name_en}}))
    found.sort(key=lambda item: item[0])
    more = len(found) > limit
    if more:
        # Cut at a change boundary so a cursor never splits the rows of one change.
        last_seq = found[limit - 1][0]
        found = [item for item in found if item[0] <= last_seq]
        more = True
    new_cursor = found[-1][0] if found else max(cursor, 0)
    answer: dict[str, Any] = {"protocol": PROTOCOL_VERSION, "cursor": str(new_cursor), "more": more,
                              "decisions": [], "forms": [], "reference": {"opd": []}}
    for _seq, kind, item in found:
        (answer["reference"]["opd"] if kind == "opd" else answer[kind]).append(item)
    return answer


@router.get("/pull", summary="Changes since a cursor (ETag / If-None-Match → 304)")
def get_pull(request: Request, cursor: str = Query("0", max_length=30), limit: int = Query(500, ge=1, le=5000),
             caller: Caller = CallerDep) -> Response:
    try:
        since = max(int(cursor), 0)
    except ValueError:
        since = 0
    with Session(config_of(request).engine) as session:
        answer = _changes(session, caller, since, limit)
    body = canonical_bytes(answer)
    etag = f'"{sha256_hex(body)[:32]}"'
    headers = {"ETag": etag, "Cache-Control": "private, no-cache"}
    if request.headers.get("if-none-match") == etag:
        return Response(status_code=304, headers=headers)
    return Response(content=body, media_type="application/json", headers=headers)
