"""Review by a supervisor: the queue of submitted entries of their OPD and the decision on one.

Four eyes: only a supervisor decides, only on entries of their own OPD, and never on an entry they
pushed a revision of themselves. A decision is on the entry's newest revision while it awaits review;
it becomes a signed change that the OPD's clients pull (``decisions`` of ``GET /pull``). An approved
entry is locked (a push of new content for it is a conflict, ``entry_locked``); a change is a new
entry naming it in ``supersedes``.
"""

from __future__ import annotations

import json
from typing import Any

from fastapi import APIRouter, Request, Response
from sqlalchemy import select, update
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool

from odc_sync.protocol.messages import API_PREFIX, Role
from odc_sync.protocol.signing import sign_decision
from odc_sync.server import audit
from odc_sync.server.accounts import Caller
from odc_sync.server.app import ApiError, CallerDep, answer_with_etag, config_of, read_json, require_role
from odc_sync.server.clock import now_iso
from odc_sync.server.db import in_transaction, next_values
from odc_sync.server.ingest import STATUS_SUBMITTED
from odc_sync.server.keys import signing_key
from odc_sync.server.models import Decision, User
from odc_sync.server.models import Entry as EntryRow
from odc_sync.server.publication import STATUS_APPROVED, STATUS_RETURNED, ServerForms, payload_of, red_flags

router = APIRouter(prefix=API_PREFIX, tags=["review"])

DECISIONS = {"approve": STATUS_APPROVED, "return": STATUS_RETURNED}
MAX_NOTE = 2000
MAX_NOTES = 200


def _queue_rows(session: Session, caller: Caller) -> list[EntryRow]:
    """The newest revision of every entry of the caller's OPD that awaits review, oldest first;
    without the caller's own entries (any revision pushed by them: four eyes, they can never decide
    those, so they are only noise and bytes in their queue)."""
    query = select(EntryRow).where(EntryRow.status == STATUS_SUBMITTED)
    if caller.role != Role.ADMIN:
        query = query.where(EntryRow.opd_code == caller.opd)
    rows = list(session.execute(query.order_by(EntryRow.server_seq)).scalars())
    newest = {row.entry_uid: row for row in rows}
    if newest:
        own = set(session.execute(select(EntryRow.entry_uid).where(
            EntryRow.entry_uid.in_(list(newest)), EntryRow.user_id == caller.user_id)).scalars())
        newest = {uid: row for uid, row in newest.items() if uid not in own}
    latest_any = dict(session.execute(
        select(EntryRow.entry_uid, EntryRow.revision).where(EntryRow.entry_uid.in_(list(newest)))
        .order_by(EntryRow.revision)).all()) if newest else {}
    return [row for row in newest.values() if latest_any.get(row.entry_uid) == row.revision]


def _previous(session: Session, row: EntryRow) -> dict[str, Any] | None:
    """The payload to compare with: the entry's previous revision, or the approved entry it changes."""
    if row.revision > 1:
        before = session.execute(select(EntryRow).where(EntryRow.entry_uid == row.entry_uid,
                                                        EntryRow.revision < row.revision)
                                 .order_by(EntryRow.revision.desc()).limit(1)).scalar_one_or_none()
        if before is not None:
            return payload_of(before)
    supersedes = payload_of(row).get("supersedes")
    if supersedes:
        changed = session.execute(select(EntryRow).where(EntryRow.entry_uid == supersedes,
                                                         EntryRow.status == STATUS_APPROVED)
                                  .limit(1)).scalar_one_or_none()
        if changed is not None and changed.ocid == row.ocid:
            return payload_of(changed)
    return None


def _item(session: Session, forms: ServerForms, row: EntryRow, base_url: str) -> dict[str, Any]:
    payload = payload_of(row)
    author = session.get(User, row.user_id)
    return {"id": row.entry_uid, "entry": row.entry_uid, "revision": row.revision, "ocid": row.ocid,
            "opd": row.opd_code, "stage": row.stage, "author": author.username if author else None,
            "accepted_at": row.accepted_at, "supersedes": payload.get("supersedes"), "payload": payload,
            "attachments": [{**item, "url": f"{base_url}{API_PREFIX}/review/attachments/{item['sha256']}"}
                            for item in payload.get("attachments") or []],
            "previous": _previous(session, row), "flags": red_flags(session, forms, row, base_url)}


def _queue(request: Request, caller: Caller) -> Response:
    config = config_of(request)
    forms = ServerForms(config.data_dir)
    base_url = str(request.base_url).rstrip("/")
    with Session(config.engine) as session:
        rows = _queue_rows(session, caller)
        if not rows:  # the empty queue needs no form set, red flags or previous revisions
            answer: dict[str, Any] = {"items": []}
        else:
            answer = {"items": [_item(session, forms, row, base_url) for row in rows]}
    return answer_with_etag(request, answer)


@router.get("/review/queue", summary="Submitted entries of the supervisor's OPD awaiting review (ETag → 304)",
            description="Each item: id (= entry uid), revision, ocid, stage, author, payload, attachments, the "
                        "previous revision's payload (or the approved entry it changes) and red flags. The "
                        "caller's own entries are left out (four eyes: they cannot decide them). The answer "
                        "has an ETag; If-None-Match with it answers 304 while the queue is unchanged.")
async def get_queue(request: Request, caller: Caller = CallerDep) -> Response:
    require_role(caller, Role.SUPERVISOR, Role.ADMIN)
    return await run_in_threadpool(_queue, request, caller)


def _notes(body: dict[str, Any], decision: str) -> list[dict[str, Any]]:
    notes = body.get("notes", [])
    if not isinstance(notes, list) or len(notes) > MAX_NOTES:
        raise ApiError("bad_decision", detail="notes = [{field, text}]")
    clean = []
    for note in notes:
        if not (isinstance(note, dict) and set(note) <= {"field", "text"} and isinstance(note.get("text"), str)
                and note["text"].strip() and len(note["text"]) <= MAX_NOTE
                and (note.get("field") is None or (isinstance(note["field"], str) and note["field"].strip()))):
            raise ApiError("bad_decision", detail="notes = [{field, text}]")
        clean.append({"field": note.get("field"), "text": note["text"].strip()})
    if decision == "return" and not any(note["field"] is None for note in clean):
        raise ApiError("bad_decision", detail="return needs a note on the entry (field null)")
    return clean


def _decide(request: Request, caller: Caller, entry_uid: str, body: Any) -> dict[str, Any]:
    if not isinstance(body, dict) or body.get("decision") not in DECISIONS or not isinstance(body.get("revision"), int):
        raise ApiError("bad_decision", detail="{revision, decision: approve|return, notes}")
    decision, revision = body["decision"], body["revision"]
    notes = _notes(body, decision)
    engine = config_of(request).engine
    key = signing_key(engine)

    def work(session: Session) -> dict[str, Any]:
        (seq,) = next_values(session, "change_seq", 1)  # also orders concurrent decisions
        rows = list(session.execute(select(EntryRow).where(EntryRow.entry_uid == entry_uid)
                                    .order_by(EntryRow.revision)).scalars())
        if not rows:
            raise ApiError("not_found")
        latest = rows[-1]
        if caller.opd != latest.opd_code:
            raise ApiError("forbidden_opd")
        if any(row.user_id == caller.user_id for row in rows):
            raise ApiError("own_entry")
        if latest.revision != revision or latest.status != STATUS_SUBMITTED:
            raise ApiError("not_reviewable", revision=revision)
        signed = sign_decision(key, {"entry": entry_uid, "revision": revision, "opd": latest.opd_code,
                                     "decision": decision, "reviewer": caller.username, "notes": notes,
                                     "decided_at": now_iso()})
        session.add(Decision(entry_uid=entry_uid, revision=revision, opd_code=latest.opd_code, decision=decision,
                             comments=json.dumps(notes, ensure_ascii=False), decided_by=caller.user_id,
                             decided_at=signed["decided_at"], change_seq=seq, signed=json.dumps(signed)))
        session.execute(update(EntryRow).where(EntryRow.id == latest.id).values(status=DECISIONS[decision]))
        audit.append(session, caller.username, f"entry_{DECISIONS[decision]}", f"{entry_uid}@{revision}",
                     {"change_seq": seq, "notes": len(notes)})
        return signed

    return in_transaction(engine, work)


@router.post("/review/{entry_uid}/decision", summary="Approve or return an entry revision (supervisor)",
             description="Body {revision, decision: approve|return, notes: [{field: <field id>|null, text}]}; "
                         "return needs a note with field null. Answers the signed decision (as pulled).")
async def post_decision(entry_uid: str, request: Request, caller: Caller = CallerDep) -> dict[str, Any]:
    require_role(caller, Role.SUPERVISOR)
    body = await read_json(request)
    return await run_in_threadpool(_decide, request, caller, entry_uid, body)


def _attachment_for_reviewer(request: Request, caller: Caller, sha256: str) -> tuple[str, str, str]:
    """(path, media type, name) of a file of an entry of the caller's OPD; 404 otherwise."""
    from odc_sync.server.api_files import attachment_path

    query = select(EntryRow).where(EntryRow.payload.contains(sha256))
    if caller.role != Role.ADMIN:
        query = query.where(EntryRow.opd_code == caller.opd)
    with Session(config_of(request).engine) as session:
        for row in session.execute(query.limit(20)).scalars():
            for item in payload_of(row).get("attachments") or []:
                path = attachment_path(config_of(request), sha256)
                if item["sha256"] == sha256 and path.exists():
                    return str(path), item["media_type"], item["name"]
    raise ApiError("not_found")


@router.get("/review/attachments/{sha256}", summary="A document of an entry of the reviewer's OPD")
async def get_review_attachment(sha256: str, request: Request, caller: Caller = CallerDep):  # noqa: ANN201
    from fastapi.responses import FileResponse

    require_role(caller, Role.SUPERVISOR, Role.ADMIN)
    path, media_type, name = await run_in_threadpool(_attachment_for_reviewer, request, caller, sha256.lower())
    return FileResponse(path, media_type=media_type, filename=name)
