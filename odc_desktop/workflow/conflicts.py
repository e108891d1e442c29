"""Resolving a push conflict (Qt-free; one transaction each): the way out of "still waiting (conflict)".

When a push answers ``conflict`` the sync engine keeps ``{"sent", "server_copy": {"payload", "receipt"},
"reasons"}`` in ``sync_state["conflict.<entry uid>"]`` and the entry stays queued. The server said why
(``reasons[0].code``): ``stale_base`` (it holds a newer revision than the one this PC based its edit
on: a store restored from an old backup, the same entry edited on two PCs), ``revision_taken`` (it
holds this revision number with other content) or ``entry_locked`` (the entry was approved there).

* :func:`open_conflicts` lists them, with the fields that differ (by their SOP label);
* :func:`keep_mine`: my content goes on top of the server's — the entry's server revision becomes the
  server copy's, so the next sync sends it as the next revision (the server keeps both). Refused for
  ``entry_locked``: an approved entry changes only through a new entry that supersedes it, which
  :func:`change_with_mine` starts (the approved copy taken in, then a change holding my content);
* :func:`take_server`: my content is replaced by the server copy — only when the copy's receipt is
  signed by the pinned server key and names exactly that content — and the entry is ``submitted``
  with that receipt (``apply_receipt``). What I had is kept whole in the audit record of
  ``take_server_copy`` (``replaced``; :meth:`replaced_content`), its documents' bytes stay in the
  file store. For a copy the server has approved, the pull cursor is rewound so that the next sync
  re-reads the server's signed decisions and the entry becomes ``approved`` the only way a status
  past ``ready`` may come: by the server's signed word.

Both refuse (:class:`WorkflowRefused`, area ``conflict``) when the entry has no open conflict or changed
since the conflict was recorded (taken back from the queue, edited), and clear the record when done.
"""

from __future__ import annotations

import dataclasses
import json
from typing import Any

from odc_desktop.domain.forms.lookup import FormLookup, form_of
from odc_desktop.domain.identity import payload_identity
from odc_desktop.domain.model import Entry, Receipt
from odc_desktop.domain.statuses import EntryStatus
from odc_desktop.storage.repository import Repository
from odc_desktop.workflow.entries import start_change
from odc_desktop.workflow.refused import WorkflowRefused
from odc_desktop.workflow.results import Changed, changed
from odc_desktop.workflow.server import apply_receipt

PREFIX = "conflict."
KINDS = ("stale_base", "revision_taken", "entry_locked")


@dataclasses.dataclass(frozen=True)
class FieldDifference:
    """One field whose value differs: its id, its SOP label (``{"id", "en"}``), mine and the server's."""

    field: str
    label: dict[str, str]
    mine: Any
    server: Any


@dataclasses.dataclass(frozen=True)
class Conflict:
    """One open conflict of a queued entry. ``kind``: one of :data:`KINDS` ("" when the server gave no
    known reason); ``server_revision``: the revision the server holds (None: it sent no copy)."""

    entry_id: int
    entry_uid: str
    process_id: int
    ocid: str
    title: str
    stage: str
    kind: str
    server_revision: int | None
    my_revision: int
    differences: tuple[FieldDifference, ...]
    documents_differ: bool
    has_server_copy: bool

    def as_json(self) -> dict[str, Any]:
        found = dataclasses.asdict(self)
        found["differences"] = [dataclasses.asdict(d) for d in self.differences]
        return found


def _record(repo: Repository, entry: Entry) -> dict[str, Any] | None:
    raw = repo.get_sync_state(PREFIX + entry.uid)
    if not raw:
        return None
    try:
        found = json.loads(raw)
    except ValueError:
        return None
    return found if isinstance(found, dict) and isinstance(found.get("sent"), dict) else None


def _still_current(entry: Entry, record: dict[str, Any]) -> bool:
    """The entry is still queued with exactly what was sent when the server answered."""
    sent = record["sent"]
    try:
        same = payload_identity(sent) == entry.content_sha256
    except (KeyError, TypeError, ValueError):
        return False
    return entry.status == EntryStatus.QUEUED and same and sent.get("revision") == entry.revision + 1


def _kind(record: dict[str, Any]) -> str:
    for reason in record.get("reasons") or []:
        if isinstance(reason, dict) and reason.get("code") in KINDS:
            return reason["code"]
    return ""


def _server_payload(record: dict[str, Any]) -> dict[str, Any] | None:
    copy = record.get("server_copy")
    payload = copy.get("payload") if isinstance(copy, dict) else None
    return payload if isinstance(payload, dict) else None


def _server_revision(record: dict[str, Any]) -> int | None:
    payload = _server_payload(record)
    if payload is not None and isinstance(payload.get("revision"), int):
        return payload["revision"]
    for reason in record.get("reasons") or []:  # stale_base without a copy: the server holds nothing
        if isinstance(reason, dict) and reason.get("code") == "stale_base":
            return 0
    return None


def _differences(forms: FormLookup | None, entry: Entry, server: dict[str, Any] | None) -> tuple[FieldDifference, ...]:
    if server is None:
        return ()
    mine, theirs = entry.data, server.get("data") if isinstance(server.get("data"), dict) else {}
    form = form_of(forms, entry) if forms is not None else None
    order = [f.id for f in form.all_fields()] if form is not None else []
    ids = order + sorted((set(mine) | set(theirs)) - set(order))
    found = []
    for field_id in ids:
        if mine.get(field_id) == theirs.get(field_id):
            continue
        field = form.field(field_id) if form is not None else None
        label = dict(field.label) if field is not None and isinstance(field.label, dict) else {"id": field_id, "en": field_id}
        found.append(FieldDifference(field_id, label, mine.get(field_id), theirs.get(field_id)))
    return tuple(found)


def _documents(payload: dict[str, Any]) -> list[tuple[str, str]]:
    return sorted((str(a.get("sha256")), str(a.get("document_type"))) for a in payload.get("attachments") or []
                  if isinstance(a, dict))


def _conflict(repo: Repository, forms: FormLookup | None, entry: Entry, record: dict[str, Any]) -> Conflict:
    process = repo.get_process(entry.process_id)
    server = _server_payload(record)
    return Conflict(entry.id, entry.uid, process.id, process.ocid, process.title, entry.stage.value, _kind(record),
                    _server_revision(record), record["sent"].get("revision", entry.revision + 1),
                    _differences(forms, entry, server),
                    server is not None and _documents(server) != _documents(record["sent"]), server is not None)


def waits_for_a_choice(repo: Repository, entry: Entry) -> bool:
    """The queued ``entry`` met a conflict with exactly what it holds now: sent again unchanged it would
    be refused the same way, so sync leaves it until the operator picks a version (:func:`keep_mine`,
    :func:`take_server`, :func:`change_with_mine`); any edit or resolution sends it again."""
    record = _record(repo, entry)
    return record is not None and _still_current(entry, record)


def open_conflicts(repo: Repository, forms: FormLookup | None = None) -> list[Conflict]:
    """Every open conflict, oldest entry first (a record whose entry changed since is left out)."""
    found = []
    for key in sorted(repo.sync_state_items(PREFIX)):
        entry = repo.entry_by_uid(key[len(PREFIX):])
        record = _record(repo, entry) if entry is not None else None
        if record is not None and _still_current(entry, record):
            found.append(_conflict(repo, forms, entry, record))
    return sorted(found, key=lambda c: c.entry_id)


def conflict_of(repo: Repository, entry_id: int, forms: FormLookup | None = None) -> Conflict | None:
    """The open conflict of ``entry_id`` (None: it has none)."""
    entry = repo.get_entry(entry_id)
    record = _record(repo, entry)
    return _conflict(repo, forms, entry, record) if record is not None and _still_current(entry, record) else None


def _open(repo: Repository, entry_id: int) -> tuple[Entry, dict[str, Any]]:
    entry = repo.get_entry(entry_id)
    record = _record(repo, entry)
    if record is None:
        raise WorkflowRefused("conflict.none", entry=entry.uid)
    if not _still_current(entry, record):
        raise WorkflowRefused("conflict.changed_since", entry=entry.uid)
    return entry, record


def keep_mine(repo: Repository, entry_id: int, actor: str | None = None) -> Changed:
    """My content goes on top of the server's: the next sync sends it as the server's revision + 1."""
    with repo.batch():
        entry, record = _open(repo, entry_id)
        kind, revision = _kind(record), _server_revision(record)
        if kind == "entry_locked":
            raise WorkflowRefused("conflict.locked", entry=entry.uid, revision=revision or "-")
        if revision is None:
            raise WorkflowRefused("conflict.no_server_copy", entry=entry.uid)
        moved = repo.rebase_queued_entry(entry.id, revision, actor=actor,
                                         payload={"conflict": kind, "sent_revision": record["sent"].get("revision")})
        repo.delete_sync_state(PREFIX + entry.uid)
        return changed(moved, entry.status)


def _verified_copy(entry: Entry, record: dict[str, Any], server_key: Any) -> tuple[dict[str, Any], dict[str, Any]]:
    """(payload, receipt) of the server copy when its receipt is signed by ``server_key`` and names
    exactly this entry, that revision and that content; refused otherwise."""
    from odc_sync.protocol.signing import public_key_from_b64, receipt_valid

    payload = _server_payload(record)
    receipt = (record.get("server_copy") or {}).get("receipt")
    if payload is None:
        raise WorkflowRefused("conflict.no_server_copy", entry=entry.uid)
    try:
        key = public_key_from_b64(server_key) if isinstance(server_key, str) else server_key
        digest = payload_identity(payload)
    except (KeyError, TypeError, ValueError):
        raise WorkflowRefused("conflict.copy_unverified", entry=entry.uid) from None
    if key is None or not isinstance(receipt, dict) or not receipt_valid(key, receipt, content_sha256=digest) \
            or receipt.get("entry") != entry.uid or payload.get("entry") != entry.uid \
            or receipt.get("revision") != payload.get("revision") or payload.get("stage") != entry.stage.value:
        raise WorkflowRefused("conflict.copy_unverified", entry=entry.uid)
    return payload, receipt


def take_server(repo: Repository, entry_id: int, server_key: Any, actor: str | None = None) -> Changed:
    """My content is replaced by the server copy (verified with ``server_key``, the pinned key as
    base64 or a public key) and the entry is ``submitted`` with the copy's receipt."""
    with repo.batch():
        entry, record = _open(repo, entry_id)
        payload, receipt = _verified_copy(entry, record, server_key)
        documents = [a for a in payload.get("attachments") or [] if isinstance(a, dict)]
        missing = repo.stored_files_missing([str(a.get("sha256")) for a in documents])
        if missing:
            raise WorkflowRefused("conflict.documents_missing", entry=entry.uid, count=len(missing))
        form = payload["form"]
        repo.replace_queued_content(entry.id, (form["id"], form["version"], form["hash"]), payload["data"], documents,
                                    actor=actor, payload={"conflict": _kind(record),
                                                          "server_revision": payload["revision"]})
        done = apply_receipt(repo, Receipt.from_signed(receipt), actor=actor)
        repo.delete_sync_state(PREFIX + entry.uid)
        if _kind(record) == "entry_locked":
            # The approval is the server's signed decision, already pulled and passed over (the entry was
            # queued then): read the decisions again on the next sync, which applies it to this revision.
            repo.set_sync_state("cursor", "0")
            repo.set_sync_state("etag", "")
        return done


def change_with_mine(repo: Repository, forms: FormLookup, entry_id: int, server_key: Any,
                     actor: str | None = None) -> Changed:
    """For an entry the server approved meanwhile (``entry_locked``): take the approved copy in
    (:func:`take_server`), then start a change of it (``start_change``, a new draft that supersedes
    it) holding my content — my data and my documents — for the operator to check and send again."""
    with repo.batch():
        entry, record = _open(repo, entry_id)
        if _kind(record) != "entry_locked":
            raise WorkflowRefused("conflict.not_locked", entry=entry.uid)
        mine = repo.list_attachments(entry.id)
        take_server(repo, entry.id, server_key, actor=actor)
        draft = start_change(repo, forms, entry.id, actor=actor).entry
        repo.save_entry_data(draft.id, entry.data, actor=actor)
        for attachment in repo.list_attachments(draft.id):
            repo.remove_attachment(attachment.id, actor=actor)
        for attachment in mine:
            repo.link_attachment(draft.id, attachment, actor=actor)
        new = repo.get_entry(draft.id)
        return changed(new, None, repo.get_entry(entry.id))
