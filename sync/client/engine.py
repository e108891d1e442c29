"""One sync run: attachments, then the outbox in signed, compressed batches, then pull.

The engine has no threads: the caller (the CLI, or the app on its network worker) calls
:meth:`SyncEngine.run`, which returns a :class:`SyncSummary`. ``is_cancelled()`` is asked between
requests (a cancelled run stops cleanly; the next one goes on); ``on_progress(phase, done, total)``
reports ``"upload"`` (bytes), ``"push"`` (entries) and ``"pull"`` (pages).

What makes it safe over a bad link:

* an entry becomes ``submitted`` only through :func:`odc_desktop.workflow.apply_receipt`, and only with
  a receipt signed by the server key pinned at login that names this entry and exactly its content
  identity; anything else (a portal's HTML, a forged or mismatched receipt) leaves it queued. With
  protocol 3 the accepted receipts of one answer share one signature over their Merkle root: when it
  does not verify, none of them is believed (they come back as duplicates, individually signed, on
  the next run); when it does, each is stored with its audit path (``Receipt.proof``);
* every step is idempotent on the server (same content = ``duplicate`` with the original receipt;
  tus resumes from the server's offset), so a run killed anywhere is finished by the next run with
  nothing lost or doubled;
* one refused entry (``rejected``) is quarantined with its reasons (``apply_refusal``) and the rest go
  on; a ``conflict`` keeps the server's copy in ``sync_state`` (``conflict.<entry uid>``) and the
  entry stays queued, unsubmitted, for the operator to merge.
"""

from __future__ import annotations

import dataclasses
import json
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from odc_desktop.domain.model import Receipt
from odc_desktop.domain.statuses import EntryStatus
from odc_desktop.form_registry import FormRegistry
from odc_desktop.workflow import WorkflowRefused, apply_decision, apply_receipt, apply_refusal
from odc_desktop.workflow.conflicts import waits_for_a_choice
from odc_sync.client.account import device_key, signed_in
from odc_sync.client.forms import known_content, receive_forms
from odc_sync.client.http import Http, SyncError, json_body
from odc_sync.client.payloads import entry_payload, identity_matches
from odc_sync.client.review import note_pulled_decisions, sync_review
from odc_sync.client.uploads import Uploader
from odc_sync.protocol.canonical import canonical_bytes
from odc_sync.protocol.messages import API_PREFIX, MAX_BATCH_ITEMS, PROTOCOL_VERSION, ItemStatus
from odc_sync.protocol.receipts import RECEIPT_STATUSES, proven_receipts, rebuilt_receipt
from odc_sync.protocol.signing import decision_valid, public_key_from_b64, receipt_valid, sign_entry
from odc_sync.protocol.tus import DEFAULT_CHUNK

Progress = Callable[[str, int, int], None]
DECISIONS = {"approve": "approve", "approved": "approve", "return": "return", "returned": "return"}


@dataclasses.dataclass
class SyncSummary:
    """What one run did (the CLI's ``odc sync --json`` prints it as it is)."""

    pushed: int = 0
    accepted: int = 0
    duplicates: int = 0
    conflicts: int = 0
    rejected: int = 0
    invalid_receipts: int = 0
    uploaded_bytes: int = 0
    sent_bytes: int = 0
    pending: int = 0  # queued entries not yet on the server (those waiting for a choice included)
    waiting_choice: int = 0  # of them, met a conflict: not sent until the operator picks a version
    decisions: int = 0
    pulled: bool = False
    pull_unchanged: bool = False  # the pull was one "304 Not Modified" round trip
    completed: bool = False
    error: str | None = None  # the message code of what stopped the run (None: it finished)
    quarantined: list[dict[str, Any]] = dataclasses.field(default_factory=list)
    review_sent: int = 0  # review decisions the server took (odc_sync.client.review)
    review_refused: list[dict[str, Any]] = dataclasses.field(default_factory=list)
    review_queue: int | None = None  # items in the pulled review queue (None: this account does not review)
    # pulled form versions (sync/client/forms.py): stored, refused, drafts moved, drafts that could not move
    forms_received: list[dict[str, Any]] = dataclasses.field(default_factory=list)
    forms_refused: list[dict[str, Any]] = dataclasses.field(default_factory=list)
    drafts_migrated: int = 0
    migration_notices: list[dict[str, Any]] = dataclasses.field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return dataclasses.asdict(self)


class SyncEngine:
    """Sync of one store (``repo``, its data folder ``data_dir``) with the server it signed in to."""

    def __init__(self, repo: Any, data_dir: Path, *, is_cancelled: Callable[[], bool] = lambda: False,
                 on_progress: Progress = lambda phase, done, total: None,
                 sleep: Callable[[float], None] = time.sleep, retries: int = 4, base_delay: float = 0.5,
                 batch_size: int = 50, chunk_size: int = DEFAULT_CHUNK, timeout: float = 60.0,
                 actor: str | None = None, forms: Any = None) -> None:
        self.repo, self.data_dir = repo, Path(data_dir)
        self.forms = forms  # the form registry pulled forms go into (None: opened when one arrives)
        self.is_cancelled, self.on_progress = is_cancelled, on_progress
        self.batch_size = max(1, min(batch_size, MAX_BATCH_ITEMS))
        self.chunk_size = chunk_size
        self.actor = actor
        self.error: SyncError | None = None  # what stopped the last run (None: it finished)
        self._http_options = dict(retries=retries, base_delay=base_delay, sleep=sleep, timeout=timeout,
                                  is_cancelled=is_cancelled)

    # the run ------------------------------------------------------------------------------------
    def run(self) -> SyncSummary:
        """Push everything queued, then pull. Never raises for a link or server failure: the summary
        says what stopped it (``error``, a ``sync.*`` code) and the next run goes on from there. Raises
        :class:`SyncError` ``sync.login_needed`` only when there is no sign-in at all."""
        if not signed_in(self.repo):
            raise SyncError("sync.login_needed", retryable=False)
        summary = SyncSummary()
        http = Http(self.repo.get_sync_state("server_url"), self.repo.get_sync_state("token"), **self._http_options)
        self.actor = self.actor or self.repo.get_sync_state("username") or None
        try:
            self._push(http, summary)
            self._pull(http, summary)
            sync_review(self.repo, http, summary, self.actor)
            summary.completed = True
        except SyncError as exc:
            summary.error = exc.code
            self.error = exc
        finally:
            summary.sent_bytes = http.sent_bytes
            queued = self._queued(waiting_too=True)
            summary.pending = len(queued)
            summary.waiting_choice = sum(1 for entry in queued if waits_for_a_choice(self.repo, entry))
            http.close()
        return summary

    def _queued(self, waiting_too: bool = False) -> list[Any]:
        """The queued entries to push: not those waiting for the operator's choice after a conflict
        (the server would refuse them unchanged again; :mod:`odc_desktop.workflow.conflicts`), unless
        ``waiting_too``."""
        found = []
        for item in self.repo.list_outbox():
            entry = self.repo.get_entry(item.entry_id)
            if entry.status == EntryStatus.QUEUED and (waiting_too or not waits_for_a_choice(self.repo, entry)):
                found.append(entry)
        return found

    # push ---------------------------------------------------------------------------------------
    def _push(self, http: Http, summary: SyncSummary) -> None:
        entries = self._queued()
        server_key = public_key_from_b64(self.repo.get_sync_state("server_key"))
        key = device_key(self.data_dir, create=False)
        device = self.repo.get_sync_state("device")
        uploader = Uploader(self.repo, http, chunk_size=self.chunk_size,
                            on_bytes=lambda n: self.on_progress("upload", uploader.uploaded_bytes, 0))
        done = 0
        try:
            for start in range(0, len(entries), self.batch_size):
                candidates = []
                for entry in entries[start:start + self.batch_size]:
                    payload = entry_payload(self.repo, entry)
                    if not identity_matches(payload, entry):  # never send what a receipt could not match
                        self.repo.note_push_attempt(entry.id, "identity")
                        continue
                    candidates.append((entry, payload, self.repo.list_attachments(entry.id)))
                failed = uploader.ensure([a for _e, _p, files in candidates for a in files])
                batch = []
                for entry, payload, files in candidates:
                    problem = next((failed[a.id] for a in files if a.id in failed), None)
                    if problem:
                        self.repo.note_push_attempt(entry.id, problem)
                    else:
                        batch.append((entry, payload))
                if not batch:
                    continue
                items = [{"payload": p, "signature": sign_entry(key, p)} for _e, p in batch]
                answer = http.call("POST", f"{API_PREFIX}/entries/push",
                                   {"protocol": PROTOCOL_VERSION, "device": device, "items": items}, gzip_body=True)
                results = answer.get("results")
                if answer.get("protocol") != PROTOCOL_VERSION or not isinstance(results, list) \
                        or len(results) != len(batch):
                    raise SyncError("sync.not_protocol", kind="results")
                summary.pushed += len(batch)
                proven = self._proven(batch, results, answer, server_key)
                for index, ((entry, payload), result) in enumerate(zip(batch, results)):
                    self._apply_result(entry, payload, result, server_key, summary, answer, proven.get(index))
                done += len(batch)
                self.on_progress("push", done, len(entries))
        finally:
            summary.uploaded_bytes = uploader.uploaded_bytes

    @staticmethod
    def _proven(batch: list[tuple[Any, dict[str, Any]]], results: list[Any], answer: dict[str, Any],
                server_key: Any) -> dict[int, dict[str, Any]]:
        """{index in the batch: receipt with its proof} of the answer's accepted items, rebuilt from what
        this PC sent, when the answer's one root signature verifies over all of them; empty otherwise
        (then every accepted item of the answer is an invalid receipt)."""
        accepted = [(index, entry, payload) for index, ((entry, payload), result) in enumerate(zip(batch, results))
                    if isinstance(result, dict) and result.get("status") == ItemStatus.ACCEPTED]
        rebuilt = [rebuilt_receipt(answer, results[index], entry=entry.uid, revision=payload["revision"],
                                   content_sha256=entry.content_sha256) for index, entry, payload in accepted]
        if not accepted or any(receipt is None for receipt in rebuilt):
            return {}
        proven = proven_receipts(server_key, answer, rebuilt)
        return {index: receipt for (index, _e, _p), receipt in zip(accepted, proven or [])}

    def _apply_result(self, entry: Any, payload: dict[str, Any], result: Any, server_key: Any,
                      summary: SyncSummary, answer: dict[str, Any], proven: dict[str, Any] | None = None) -> None:
        if not isinstance(result, dict) or result.get("status") not in ItemStatus.ALL:
            raise SyncError("sync.not_protocol", kind="result")
        status = result["status"]
        if status not in RECEIPT_STATUSES and result.get("entry") != entry.uid:
            raise SyncError("sync.not_protocol", kind="result")
        if status in RECEIPT_STATUSES:
            # The receipt is rebuilt from what this PC sent (uid, revision, exact content identity) and
            # believed only when the server's signature verifies over it: an accepted one through the
            # answer's root signature (protocol 3, ``proven``), a duplicate through its own.
            if status == ItemStatus.ACCEPTED:  # checked with the whole answer (None: the root did not verify)
                receipt = proven
            else:
                receipt = rebuilt_receipt(answer, result, entry=entry.uid, revision=payload["revision"],
                                          content_sha256=entry.content_sha256)
                receipt = receipt if receipt_valid(server_key, receipt, content_sha256=entry.content_sha256) else None
            if receipt is None:
                summary.invalid_receipts += 1
                self.repo.note_push_attempt(entry.id, "invalid_receipt")
                return
            try:
                apply_receipt(self.repo, Receipt.from_signed(receipt, _proof_text(receipt.get("proof"))),
                              actor=self.actor)
            except WorkflowRefused as exc:  # changed meanwhile (taken back from the queue): not applied
                self.repo.note_push_attempt(entry.id, exc.code)
                return
            if status == ItemStatus.ACCEPTED:
                summary.accepted += 1
            else:
                summary.duplicates += 1
        elif status == ItemStatus.CONFLICT:
            summary.conflicts += 1
            self.repo.set_sync_state(f"conflict.{entry.uid}", json.dumps(
                {"sent": payload, "server_copy": result.get("server_copy"), "reasons": result.get("reasons") or []},
                ensure_ascii=False, sort_keys=True))
            self.repo.note_push_attempt(entry.id, "conflict")
        else:
            reasons = result.get("reasons") if isinstance(result.get("reasons"), list) else []
            if result.get("retryable"):  # a file the server lacks after all: upload it again next run
                # every copy of its files (other entries may carry them too), or they would pass for sent
                self.repo.forget_uploads([a.sha256 for a in self.repo.list_attachments(entry.id)])
                self.repo.note_push_attempt(entry.id, "attachment_missing")
                return
            summary.rejected += 1
            summary.quarantined.append({"entry": entry.uid, "reasons": reasons})
            apply_refusal(self.repo, entry.id, json.dumps(reasons, ensure_ascii=False, sort_keys=True),
                          actor=self.actor)

    # pull ---------------------------------------------------------------------------------------
    def _pull(self, http: Http, summary: SyncSummary) -> None:
        pages = 0
        known: dict[str, str] | None = None
        while True:
            cursor = self.repo.get_sync_state("cursor", "0")
            etag_cursor, _, etag = (self.repo.get_sync_state("etag") or "").partition(" ")
            headers = {}
            if etag and etag_cursor == cursor:
                headers["If-None-Match"] = etag
            params = {"cursor": cursor}
            if cursor == "0" or known is not None:  # the first pull: leave out what this PC ships
                if known is None:
                    self.forms = self.forms or FormRegistry.open(self.data_dir)
                    known = known_content(self.forms)
                params.update(known)
            response = http.request("GET", f"{API_PREFIX}/pull", ok=(200, 304), headers=headers, params=params)
            pages += 1
            self.on_progress("pull", pages, 0)
            if response.status_code == 304:
                summary.pull_unchanged = True
                break
            answer = json_body(response)
            if not isinstance(answer.get("cursor"), str) or not isinstance(answer.get("decisions"), list):
                raise SyncError("sync.not_protocol", kind="pull")
            server_key = public_key_from_b64(self.repo.get_sync_state("server_key"))
            for decision in answer["decisions"]:
                summary.decisions += self._apply_decision(decision, server_key)
            note_pulled_decisions(self.repo, answer["decisions"], server_key, self.actor)
            self.forms = receive_forms(self.repo, self.data_dir, answer.get("forms"), server_key, summary,
                                       registry=self.forms, actor=self.actor)
            if response.headers.get("ETag"):
                # Kept with the cursor it answered to: asked again from there, the same answer (a 304)
                # can only mean nothing new, since every change it held is at or below that cursor.
                self.repo.set_sync_state("etag", f"{answer['cursor']} {response.headers['ETag']}")
            self.repo.set_sync_state("cursor", answer["cursor"])
            if not answer.get("more") or answer["cursor"] == cursor:
                break
        summary.pulled = True

    def _apply_decision(self, decision: Any, server_key: Any) -> int:
        """Apply one pulled review decision: only one signed by the pinned server key, for the entry's
        current server revision (an older decision, or one for another PC's entry, is passed over)."""
        if not decision_valid(server_key, decision):
            return 0
        entry = self.repo.entry_by_uid(str(decision.get("entry")))
        kind = DECISIONS.get(str(decision.get("decision")))
        if entry is None or kind is None or entry.status != EntryStatus.SUBMITTED \
                or decision.get("revision") != entry.revision:
            return 0
        notes = [(note.get("field") or None, str(note.get("text") or ""))
                 for note in decision.get("notes") or [] if isinstance(note, dict)]
        try:
            apply_decision(self.repo, entry.id, kind, str(decision.get("reviewer") or "verifikator"),
                           [n for n in notes if n[1].strip()], actor=self.actor)
        except WorkflowRefused:
            return 0
        return 1


def _proof_text(proof: dict[str, Any] | None) -> str | None:
    """A receipt's Merkle proof as the store keeps it (canonical JSON), None for a plain receipt."""
    return None if proof is None else canonical_bytes(proof).decode("utf-8")
