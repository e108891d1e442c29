"""Review in a sync run, on a supervisor's device: push the decisions made offline, then pull the
review queue so that review goes on without a link.

Called by :meth:`odc_sync.client.engine.SyncEngine.run` after the entries' push and pull. Every write
goes through :mod:`odc_desktop.workflow.review`:

* each queued decision is posted to ``POST /review/{entry}/decision`` (the server's four eyes decide);
  a decision the server takes comes back signed by the pinned server key and is recorded ``sent``
  (its item leaves the queue); a refusal (``own_entry``, ``forbidden_opd``, ``forbidden_role``,
  ``not_reviewable``…) is recorded ``refused`` with the server's code, said to the supervisor in
  their language (``review.refused_<code>``); a link failure stops the run and the decision stays
  queued for the next one;
* a decision whose answer was lost (the link broke after the server took it) comes back signed in the
  run's pull (``decisions`` of ``GET /pull``) and is marked sent there (:func:`note_pulled_decisions`);
* ``GET /review/queue`` (supervisors and admins only) replaces the stored queue; with the stored
  queue's ETag in ``If-None-Match``, an unchanged queue is a bodiless 304.
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

from odc_desktop.domain.review import DecisionStatus
from odc_desktop.workflow.review import keep_review_queue, record_review_answer
from odc_sync.client.http import Http, SyncError, json_body
from odc_sync.protocol.messages import API_PREFIX, Role
from odc_sync.protocol.signing import decision_valid, public_key_from_b64

#: Who may pull the review queue (the server refuses the others).
REVIEWERS = (Role.SUPERVISOR, Role.ADMIN)
#: ``sync_state`` key of the stored review queue's ETag (``<username> <etag>``).
ETAG_KEY = "review.etag"


def _taken(answer: dict[str, Any], decision: Any, server_key: Any) -> bool:
    return (decision_valid(server_key, answer) and answer.get("entry") == decision.entry_uid
            and answer.get("revision") == decision.revision and answer.get("decision") == decision.decision)


def push_decisions(repo: Any, http: Http, actor: str | None = None) -> tuple[int, list[dict[str, Any]]]:
    """Post every queued decision; (how many the server took, the refused ones with their code)."""
    server_key = public_key_from_b64(repo.get_sync_state("server_key"))
    sent, refused = 0, []
    for decision in repo.list_review_decisions(DecisionStatus.QUEUED):
        body = {"revision": decision.revision, "decision": decision.decision,
                "notes": [note.as_json() for note in decision.notes]}
        try:
            answer = http.call("POST", f"{API_PREFIX}/review/{decision.entry_uid}/decision", body)
        except SyncError as exc:
            if exc.code != "sync.server_refused" or exc.retryable:
                raise  # offline, signed out, server busy: the decision stays queued
            code = str(exc.params.get("code") or exc.status)
            record_review_answer(repo, decision.id, False, code, actor=actor)
            refused.append({"entry": decision.entry_uid, "revision": decision.revision,
                            "decision": decision.decision, "error": code})
            continue
        if not _taken(answer, decision, server_key):
            raise SyncError("sync.not_protocol", kind="decision")
        record_review_answer(repo, decision.id, True, actor=actor)
        sent += 1
    return sent, refused


def note_pulled_decisions(repo: Any, decisions: list[Any], server_key: Any, actor: str | None = None) -> int:
    """Mark as sent the decisions of this device that a pull shows the server took (signed by the pinned
    key, same entry, revision, kind and reviewer): a decision whose answer was lost on the way is not
    posted again (the server would refuse it as ``not_reviewable``). How many were marked."""
    waiting = {(d.entry_uid, d.revision, d.decision): d for d in repo.list_review_decisions()
               if d.status == DecisionStatus.QUEUED or d.error == "not_reviewable"}
    me, marked = repo.get_sync_state("username"), 0
    for pulled in decisions if waiting else []:
        if not isinstance(pulled, dict) or pulled.get("reviewer") != me:
            continue
        mine = waiting.pop((pulled.get("entry"), pulled.get("revision"), pulled.get("decision")), None)
        if mine is not None and decision_valid(server_key, pulled):
            record_review_answer(repo, mine.id, True, actor=actor)
            marked += 1
    return marked


def pull_queue(repo: Any, http: Http, *, revalidate: bool = True) -> int | None:
    """Replace the stored review queue with the server's; None when this account does not review
    (then the queue another account left on this PC is emptied: it is not this account's to read).
    The stored queue's ETag is kept in ``sync_state`` (``review.etag``: ``<username> <etag>``), so an
    unchanged queue is one bodiless 304 round trip (``revalidate=False``: ask for the whole queue)."""
    me = repo.get_sync_state("username") or ""
    if repo.get_sync_state("role") not in REVIEWERS:
        keep_review_queue(repo, [])
        repo.set_sync_state(ETAG_KEY, "")
        return None
    owner, _, etag = (repo.get_sync_state(ETAG_KEY) or "").partition(" ")
    headers: dict[str, str] = {}
    if etag and owner == me and revalidate:
        headers["If-None-Match"] = etag
    response = http.request("GET", f"{API_PREFIX}/review/queue", ok=(200, 304), headers=headers)
    if response.status_code == 304:
        if "If-None-Match" not in headers:  # a 304 to a request that named no ETag is no protocol answer
            raise SyncError("sync.not_protocol", kind="review queue")
        return len(repo.list_review_items())
    items = json_body(response).get("items")
    if not isinstance(items, list):
        raise SyncError("sync.not_protocol", kind="review queue")
    kept = keep_review_queue(repo, items)
    new_etag = response.headers.get("ETag", "")
    repo.set_sync_state(ETAG_KEY, f"{me} {new_etag}" if new_etag and " " not in new_etag else "")
    return kept


def sync_review(repo: Any, http: Http, summary: Any, actor: str | None = None) -> None:
    """The review part of one run: push decisions, then pull the queue (fills ``summary``)."""
    summary.review_sent, summary.review_refused = push_decisions(repo, http, actor)
    # decisions answered in this run changed the stored queue: take the server's whole, no 304
    summary.review_queue = pull_queue(repo, http, revalidate=not (summary.review_sent or summary.review_refused))


def download_document(server_url: str, token: str | None, url: str, sha256: str, folder: Path,
                      name: str = "") -> Path:
    """A document of an entry under review, fetched once into ``folder`` (named by its SHA-256, checked
    against it, with the extension of ``name`` so that the desktop opens it with the right program) and
    reused afterwards; :class:`SyncError` when it cannot be fetched or is not that file."""
    folder.mkdir(parents=True, exist_ok=True)
    suffix = Path(name).suffix.lower()
    target = folder / (sha256 + (suffix if suffix[1:].isalnum() and len(suffix) <= 8 else ""))
    if target.exists() and hashlib.sha256(target.read_bytes()).hexdigest() == sha256:
        return target
    http = Http(server_url, token, retries=1, base_delay=0.5)
    try:
        body = http.request("GET", url, headers={"Accept": "*/*"}).content
    finally:
        http.close()
    if hashlib.sha256(body).hexdigest() != sha256:
        raise SyncError("sync.not_protocol", kind="document")
    partial = target.with_suffix(".part")
    partial.write_bytes(body)
    partial.replace(target)
    return target
