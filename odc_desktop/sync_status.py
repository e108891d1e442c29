"""What the app shows about sync, read from the store (Qt-free): work still to send, one entry's sync
state with the server's reasons, and queueing every ready entry ("Kirim ke server").

Reads run on whichever worker owns the connection they are given; :func:`queue_ready_entries` writes
only through :func:`odc_desktop.workflow.queue`. Messages: area ``app_sync``.
"""

from __future__ import annotations

import dataclasses
import json
from typing import Any

from odc_desktop.domain.statuses import EntryStatus, Stage
from odc_desktop.messages import text


@dataclasses.dataclass(frozen=True)
class PendingWork:
    """Entries queued and not yet accepted, and the bytes of their documents not yet uploaded."""

    items: int = 0
    bytes: int = 0


def pending_work(repo: Any) -> PendingWork:
    """What the next sync still has to send: queued entries and their documents' missing bytes (a
    file shared by several entries counts once), in one query of the store."""
    return PendingWork(*repo.pending_totals())


@dataclasses.dataclass(frozen=True)
class Reason:
    """One reason the server gave: the field it is about (None: the whole entry) and what it said."""

    field: str | None
    message: str


@dataclasses.dataclass(frozen=True)
class EntrySyncState:
    """Where one stage's current entry stands with the server.

    ``status``: the entry's status (None: the stage is not started); ``reasons``: the server's
    reasons of its last refusal (only while it is ``rejected_by_server``); ``problem``: why a queued
    entry is still waiting (the last push attempt's error code), else None; ``accepted_at``: when
    the server's receipt was issued (submitted or later), else None.
    """

    status: EntryStatus | None
    reasons: tuple[Reason, ...] = ()
    problem: str | None = None
    accepted_at: str | None = None


def parse_reasons(raw: str | None, lang: str = "id") -> tuple[Reason, ...]:
    """The reasons ``apply_refusal`` stored (the server's JSON list of ``{field, message, message_en}``),
    in ``lang``; text that is not such a list is one reason as it is."""
    if not raw:
        return ()
    try:
        found = json.loads(raw)
    except ValueError:
        return (Reason(None, raw),)
    if not isinstance(found, list):
        return (Reason(None, str(found)),)
    reasons = []
    for item in found:
        if isinstance(item, dict):
            said = item.get("message_en") if lang == "en" and item.get("message_en") else item.get("message")
            reasons.append(Reason(item.get("field") or None, str(said or item.get("code") or "")))
        else:
            reasons.append(Reason(None, str(item)))
    return tuple(reasons) or (Reason(None, text("app_sync.no_reason_given", lang)),)


def entry_sync_state(repo: Any, process_id: int, stage: Stage, lang: str = "id") -> EntrySyncState:
    """The sync state of ``stage``'s current entry of ``process_id``."""
    entry = repo.current_entry(process_id, stage)
    if entry is None:
        return EntrySyncState(None)
    if entry.status == EntryStatus.REJECTED_BY_SERVER:
        return EntrySyncState(entry.status, parse_reasons(repo.last_refusal(entry.id), lang))
    if entry.status == EntryStatus.QUEUED:
        from odc_desktop.workflow.conflicts import waits_for_a_choice

        if waits_for_a_choice(repo, entry):  # not sent again until the operator picks a version
            return EntrySyncState(entry.status, problem="conflict")
        item = next((i for i in repo.list_outbox() if i.entry_id == entry.id), None)
        error = item.last_error if item else None
        return EntrySyncState(entry.status, problem=None if error == "conflict" else error)  # resolved since
    receipts = repo.receipts_of_entry(entry.id) if entry.status in (
        EntryStatus.SUBMITTED, EntryStatus.APPROVED, EntryStatus.RETURNED) else []
    return EntrySyncState(entry.status, accepted_at=receipts[-1].accepted_at if receipts else None)


@dataclasses.dataclass(frozen=True)
class QueueResult:
    """What "Kirim ke server" did: entries queued, ready entries of another OPD than the signed-in
    account's (left ready: the server would refuse them), and those that could not be (id, reason)."""

    queued: tuple[int, ...] = ()
    other_opd: int = 0
    refused: tuple[tuple[int, str], ...] = ()


def queue_ready_entries(repo: Any, actor: str | None = None, lang: str = "id") -> QueueResult:
    """Queue every ready entry to be sent (``workflow.queue``, one transaction each). When the
    signed-in account belongs to an OPD, only that OPD's entries: the server refuses the others."""
    from odc_desktop.workflow import WorkflowRefused, queue

    opd = repo.get_sync_state("opd") or None
    queued, refused, other = [], [], 0
    for entry in repo.iter_entries({EntryStatus.READY}):
        if opd and repo.get_process(entry.process_id).opd_code != opd:
            other += 1
            continue
        try:
            queue(repo, entry.id, actor=actor)
            queued.append(entry.id)
        except WorkflowRefused as exc:  # changed meanwhile: said, the others go on
            refused.append((entry.id, exc.message(lang)))
    return QueueResult(tuple(queued), other, tuple(refused))


HEALTH_PATH = "/health"


def server_answers(server_url: str, timeout: float = 5.0) -> bool:
    """True when an ODC server answers its health check at ``server_url`` (a portal's page does not)."""
    import requests

    from odc_sync.protocol.messages import API_PREFIX

    try:
        response = requests.get(server_url.rstrip("/") + API_PREFIX + HEALTH_PATH, timeout=timeout,
                                allow_redirects=False)
        return response.status_code == 200 and response.headers.get("content-type", "").startswith(
            "application/json")
    except requests.RequestException:
        return False
