"""Workflow operations of review on the supervisor's device (Qt-free; one transaction each).

Sync keeps the pulled queue (:func:`keep_review_queue`) and records the server's answer to each
decision pushed (:func:`record_review_answer`); the supervisor decides offline with
:func:`decide` (approve, or return with a note on the entry and optional notes on single fields),
which queues the decision for the next sync. The entry itself is another operator's: nothing here
touches the ``entries`` table.
"""

from __future__ import annotations

import re
from typing import Any

from odc_desktop.domain.forms.lookup import FormLookup
from odc_desktop.domain.review import DECISION_KINDS, DecisionStatus, ReviewDecision, ReviewItem, ReviewNote
from odc_desktop.storage.repository import Repository
from odc_desktop.workflow.refused import WorkflowRefused

#: Longest note the server takes (sync.server.api_review.MAX_NOTE).
MAX_NOTE = 2000
_FIELD_SEPARATORS = re.compile(r"[/.\[]")


def _item_fits(item: Any) -> bool:
    return (isinstance(item, dict) and isinstance(item.get("id"), str) and item["id"]
            and isinstance(item.get("revision"), int) and isinstance(item.get("ocid"), str)
            and isinstance(item.get("stage"), str) and isinstance(item.get("payload"), dict))


def keep_review_queue(repo: Repository, items: list[Any]) -> int:
    """Make the device's review queue the server's ``items`` (one that is not an item of the
    protocol is left out); how many were kept."""
    fitting = [item for item in items if _item_fits(item)]
    with repo.batch():
        repo.replace_review_items(fitting)
    return len(fitting)


def review_item(repo: Repository, entry_uid: str) -> ReviewItem:
    """The queued item of ``entry_uid`` (also accepted: a unique prefix of at least 6 characters)."""
    items = repo.list_review_items()
    exact = [item for item in items if item.entry_uid == entry_uid]
    found = exact or ([item for item in items if item.entry_uid.startswith(entry_uid)] if len(entry_uid) >= 6 else [])
    if len(found) != 1:
        raise WorkflowRefused("review.not_in_queue", entry=entry_uid)
    return found[0]


#: Roles whose decisions the server takes (an admin may read the queue but not decide).
DECIDERS = ("supervisor",)


def signed_in_reviewer(repo: Repository) -> str:
    """The username of the account signed in on this device, when it may decide reviews; refused
    (``review.not_supervisor``) otherwise."""
    role = repo.get_sync_state("role")
    if role not in DECIDERS:
        raise WorkflowRefused("review.not_supervisor", role=role or "-")
    return repo.get_sync_state("username") or "-"


def _field_known(forms: FormLookup | None, item: ReviewItem, path: str) -> bool:
    form_ref = item.payload.get("form") or {}
    form = forms.get(form_ref.get("id"), form_ref.get("version"), form_ref.get("hash")) if forms else None
    if form is None:  # a form this device does not hold: the server takes any field name
        return True
    return form.field(_FIELD_SEPARATORS.split(path, 1)[0]) is not None


def decide(repo: Repository, entry_uid: str, decision: str, note: str = "",
           field_notes: list[tuple[str, str]] = (), decided_by: str = "", forms: FormLookup | None = None,
           actor: str | None = None) -> ReviewDecision:
    """Queue a decision on a queued item's revision for the next sync. ``return`` needs ``note``;
    ``field_notes`` are (field path, text), each path a field of the entry's form."""
    if decision not in DECISION_KINDS:
        raise WorkflowRefused("workflow.bad_decision", decision=decision)
    notes = [ReviewNote(None, note.strip())] if note.strip() else []
    for path, text in field_notes:
        path, text = path.strip(), text.strip()
        if not path or not text:
            raise WorkflowRefused("review.field_note_empty", field=path or "?")
        notes.append(ReviewNote(path, text))
    if decision == "return" and not any(n.field is None for n in notes):
        raise WorkflowRefused("review.note_needed")
    if any(len(n.text) > MAX_NOTE for n in notes):
        raise WorkflowRefused("review.note_too_long", limit=MAX_NOTE)
    with repo.batch():
        item = review_item(repo, entry_uid)
        for n in notes:
            if n.field is not None and not _field_known(forms, item, n.field):
                raise WorkflowRefused("review.field_unknown", field=n.field, form=item.payload["form"]["id"])
        if item.decision is not None and item.decision.status == DecisionStatus.SENT:
            raise WorkflowRefused("review.already_sent", entry=item.entry_uid)
        return repo.queue_review_decision(item.entry_uid, item.revision, decision, notes,
                                          decided_by or "-", actor=actor)


def record_review_answer(repo: Repository, decision_id: int, taken: bool, error: str | None = None,
                         actor: str | None = "sync") -> ReviewDecision:
    """The server took a pushed decision (its item leaves the queue) or refused it with ``error``."""
    with repo.batch():
        return repo.record_review_answer(decision_id, DecisionStatus.SENT if taken else DecisionStatus.REFUSED,
                                         error, actor=actor)
