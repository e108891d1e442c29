"""Health, the server's public key, and pull since a cursor (with ETag → 304).

Pull answers every change with ``change_seq`` above the cursor, oldest first, at most ``limit``:
review decisions of the caller's OPD (all OPDs for an admin), published form versions, and
reference data (the OPD master). What the client says it already has (``known``,
``known_forms``, ``known_opd``: :mod:`odc_sync.protocol.known`) is left out. The ETag is a hash of the answer itself, so "nothing new" with
``If-None-Match`` is a bodiless 304 and no server process has to remember anything.
"""

from __future__ import annotations

import functools
import json
from typing import Any

from fastapi import APIRouter, Query, Request, Response
from sqlalchemy import select, text
from sqlalchemy.orm import Session

from odc_sync.protocol.known import (MAX_KNOWN_FORMS, form_token, opd_digest, opd_item, parse_known_forms,
                                     shipped_content)
from odc_sync.protocol.messages import API_PREFIX, PROTOCOL_VERSION, Role
from odc_sync.protocol.signing import key_id, public_key_b64
from odc_sync.server.accounts import Caller
from odc_sync.server.app import CallerDep, answer_with_etag, config_of
from odc_sync.server.entry_forms import server_forms
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


def _rows(session: Session, caller: Caller, after: int, upto: int | None, limit: int | None
          ) -> list[tuple[int, str, dict[str, Any]]]:
    """Changes with ``after < change_seq <= upto`` of every kind, oldest first (``limit`` per kind)."""

    def window(query, column):  # noqa: ANN001, ANN202
        query = query.where(column > after)
        if upto is not None:
            query = query.where(column <= upto)
        return query.order_by(column).limit(limit)

    decisions_q = select(Decision)
    if caller.role != Role.ADMIN:
        decisions_q = decisions_q.where(Decision.opd_code == caller.opd)
    found: list[tuple[int, str, dict[str, Any]]] = []
    for d in session.execute(window(decisions_q, Decision.change_seq)).scalars():
        found.append((d.change_seq, "decisions", json.loads(d.signed)))  # as signed (see messages.py)
    for f in session.execute(window(select(FormVersion), FormVersion.change_seq)).scalars():
        found.append((f.change_seq, "forms", json.loads(f.signed)))
    for o in session.execute(window(select(Opd), Opd.change_seq)).scalars():
        found.append((o.change_seq, "opd", opd_item(o.code, o.name_id, o.name_en)))
    return sorted(found, key=lambda item: (item[0], item[1], json.dumps(item[2], sort_keys=True)))


def _opd_master_digest(session: Session) -> str:
    return opd_digest(opd_item(o.code, o.name_id, o.name_en) for o in session.execute(select(Opd)).scalars())


@functools.lru_cache(maxsize=1)
def _shipped() -> tuple[str, set[str], str]:
    return shipped_content(server_forms())


def _changes(session: Session, caller: Caller, cursor: int, limit: int, known_forms: set[str] | None = None,
             known_opd: str | None = None, known: str | None = None) -> dict[str, Any]:
    found = _rows(session, caller, cursor, None, limit + 1)
    more = len(found) > limit
    if more:
        # A page ends at a change boundary and holds every row of its last change (an OPD master load
        # is one change of many rows), so a cursor never splits a change.
        last_seq = found[limit - 1][0]
        found = _rows(session, caller, cursor, last_seq, None)
    new_cursor = found[-1][0] if found else cursor
    answer: dict[str, Any] = {"protocol": PROTOCOL_VERSION, "cursor": str(new_cursor), "more": more,
                              "decisions": [], "forms": [], "reference": {"opd": []}}
    # What the client said it has is left out (sync/protocol/known.py); the cursor stays as computed.
    shipped_digest, shipped_forms, shipped_opd = _shipped()
    same_shipped = bool(known) and known == shipped_digest  # the client ships what this server ships
    if same_shipped and not known_opd:
        known_opd = shipped_opd
    skip_opd = bool(known_opd) and any(kind == "opd" for _s, kind, _i in found) \
        and known_opd == _opd_master_digest(session)
    for _seq, kind, item in found:
        if kind == "opd":
            if not skip_opd:
                answer["reference"]["opd"].append(item)
        elif kind == "forms" and ((known_forms and form_token(item.get("hash", "")) in known_forms)
                                  or (same_shipped and item.get("hash") in shipped_forms)):
            continue
        else:
            answer[kind].append(item)
    return answer


@router.get("/pull", summary="Changes since a cursor (ETag / If-None-Match → 304)")
def get_pull(request: Request, cursor: str = Query("0", max_length=30), limit: int = Query(500, ge=1, le=5000),
             known_forms: str = Query("", max_length=MAX_KNOWN_FORMS,
                                      description="form versions the client has: 12-hex prefixes of their hashes"),
             known_opd: str = Query("", max_length=64, description="digest of the client's OPD list"),
             known: str = Query("", max_length=64, description="digest of the form set the client ships"),
             caller: Caller = CallerDep) -> Response:
    try:
        since = max(int(cursor), 0)
    except ValueError:
        since = 0
    with Session(config_of(request).engine) as session:
        answer = _changes(session, caller, since, limit, parse_known_forms(known_forms), known_opd.lower(),
                           known.lower())
    return answer_with_etag(request, answer)
