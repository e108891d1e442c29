"""The interfaces through which the UI, the CLI, the workflow and sync touch stored data, split by
aggregate: :class:`ProcessStore`, :class:`ProcessList`, :class:`EntryStore`, :class:`AttachmentStore`,
:class:`MetaAuditStore` and :class:`SyncStore`; :class:`Repository` is their union.

Implemented by :class:`odc_desktop.storage.sql.SqlRepository` (SQLite through SQLAlchemy);
``tests/unit/test_repository_contract.py`` is its behaviour suite (real SQLite files in a
temporary folder, not a fake). Every mutating method (but the
sync bookkeeping) appends to the audit log in the same transaction; ``actor`` says who, and None means
the person at the keyboard (the OS user until logins exist). Errors the operator may see are raised
as :class:`StorageError`, whose message
code says it in Bahasa Indonesia or English.

Writers of entries go through :mod:`odc_desktop.workflow`, whose operations call these methods inside
one :meth:`ProcessStore.batch` each. A status past ``ready`` is reachable only with a server receipt
or decision (:meth:`EntryStore.record_receipt`, :meth:`EntryStore.record_decision`).
"""

from __future__ import annotations

import dataclasses
from contextlib import AbstractContextManager
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol, runtime_checkable

from odc_desktop.domain.model import (
    Attachment,
    AuditCheck,
    Entry,
    NewProcess,
    Process,
    ProcessFilter,
    ProcessOrder,
    ProcessRow,
    OutboxItem,
    Receipt,
    ReviewNote,
)
from odc_desktop.domain.statuses import EntryStatus, Stage
from odc_desktop.messages import CodedError, Msg

if TYPE_CHECKING:
    from odc_desktop.changes import Changes
    from odc_desktop.storage.change_log import ChangeMark


class StorageError(CodedError, RuntimeError):
    """A stored-data operation failed. ``code`` and ``params`` name its message in the catalogue
    (:mod:`odc_desktop.messages`, mostly the area ``storage``): ``str(error)`` is the operator's message
    in Bahasa Indonesia, ``error.message(lang)`` the one in another language. ``code`` may also be given
    as a :class:`~odc_desktop.messages.Msg` (the shared ``*_message`` helpers of ``common.py``). A first
    argument that is not a code is kept as a literal sentence (see CodedError): only the retiring
    in-memory fake still raises such; a test holds the product's storage free of them.

    ``kind`` names a database failure ("locked", "full", "readonly", "other") so that a front end
    can say it with its own words (the CLI names the folder); None for the other errors.
    """

    def __init__(self, code: str | Msg, kind: str | None = None, **params: Any):
        super().__init__(code, **params)
        self.kind = kind


class NotFound(StorageError):
    """The process, entry or attachment asked for does not exist."""


class StoreDamaged(StorageError):
    """The store must not be used: its database is damaged (``kind`` "damaged"), empty beside stored
    attachments ("empty"), or a restore stopped half-way ("restore_unfinished"). The message says how
    to restore it from a backup."""

    def __init__(self, code: str | Msg, kind: str = "damaged", **params: Any):
        super().__init__(code, kind, **params)


class ReadOnlyEntry(StorageError):
    """An approved (or otherwise locked) entry was asked to change."""


@dataclasses.dataclass(frozen=True)
class BulkEntry:
    """A stage entry to create with a new process: draft, or ready when the workflow checked it."""

    stage: Stage
    form_id: str
    form_version: int
    form_hash: str
    data: dict[str, Any]
    ready: bool = False
    #: (source_system, dataset, row_key) rows recorded in ``import_sources`` for this entry
    sources: tuple[tuple[str, str, str], ...] = ()


@dataclasses.dataclass(frozen=True)
class BulkProcess:
    """A new process and its entries (at most one per stage)."""

    new: NewProcess
    entries: tuple[BulkEntry, ...]


@runtime_checkable
class ProcessStore(Protocol):
    """Procurement processes (paket) and the transaction block."""

    def batch(self) -> AbstractContextManager[None]:
        """A block whose changes are committed together, once (every workflow operation, demo data,
        imports); an exception leaving the block undoes all of it."""

    def create_process(self, new: NewProcess, ocid_prefix: str, actor: str | None = None) -> Process:
        """Create a process with a new uid; ocid = f"{prefix}-{kode_rup}" or
        f"{prefix}-{device_id}-{seq}" offline. An ocid already used (or an alias) is refused."""

    def get_process(self, process_id: int) -> Process:
        """Return the process or raise NotFound."""

    def find_process_by_ocid(self, ocid: str) -> Process | None:
        """The process with this ocid, or known by it (an alias); None when there is none."""

    def bulk_create_processes(self, items: list[BulkProcess], ocid_prefix: str, actor: str | None = None) -> list[int]:
        """Many new processes with their first entries (:class:`BulkProcess`) in one
        transaction, each with its audit records; their ids. Called only by ``workflow.bulk``."""

    def known_ocids(self, ocids: list[str]) -> dict[str, int]:
        """ocid → process id for those of ``ocids`` that name a process or an alias of one."""

    def processes_of_sources(self, source_system: str, dataset: str, row_keys: list[str]) -> dict[str, int]:
        """row_key → process id of those ``row_keys`` earlier imports recorded for ``dataset``."""


@runtime_checkable
class ProcessList(Protocol):
    """The process list's queries (plain SQLite, fast at 100,000 processes)."""

    def list_process_ids(self, flt: ProcessFilter = ProcessFilter(),
                         order: ProcessOrder = ProcessOrder()) -> list[int]:
        """Ids of matching processes in ``order``: by default most recently changed first (a change
        to any of its entries counts); by another column, ties most recently changed first. Text
        search is case-insensitive: every whitespace-separated term must occur in the title, ocid,
        kode RUP or OPD name. ``status`` matches a process when the current entry of
        any stage has it; ``stage`` matches ``current_stage``."""

    def get_process_rows(self, ids: list[int]) -> list[ProcessRow]:
        """Rows for exactly these ids, in the same order (missing ids are skipped)."""

    def count_processes(self) -> int: ...

    def list_opds(self) -> list[tuple[str, str]]:
        """(opd_code, opd_name) of every OPD that has a process, sorted by name (ignoring case)."""

    def list_years(self) -> list[int]:
        """Every year that has a process, newest first."""

    def list_returned_process_ids(self) -> set[int]:
        """The processes that have an entry a reviewer returned (read from the entries' status index)."""


@runtime_checkable
class EntryStore(Protocol):
    """Stage entries, their content and their statuses."""

    def current_entry(self, process_id: int, stage: Stage) -> Entry | None:
        """The newest entry of that stage, or None when the stage has not been started."""

    def entries_of_process(self, process_id: int) -> list[Entry]:
        """Every entry of the process (all of them, changes included), oldest first."""

    def get_entry(self, entry_id: int) -> Entry: ...

    def entry_by_uid(self, uid: str) -> Entry | None: ...

    def create_entry(self, process_id: int, stage: Stage, form_id: str, form_version: int,
                     form_hash: str, data: dict[str, Any] | None = None,
                     actor: str | None = None) -> Entry:
        """Start a stage (draft, edit_seq 1, server revision 0). When the newest entry of the stage is
        approved or submitted, the new one supersedes it (supersedes_uid = its uid, base_revision =
        its server revision); any other existing entry of the stage makes this raise StorageError."""

    def save_entry_data(self, entry_id: int, data: dict[str, Any], actor: str | None = None) -> Entry:
        """Replace the entry's data: the edit counter goes up, the content identity is recomputed,
        the entry is a DRAFT again; the server revision is unchanged. Identical data changes nothing.
        Raises ReadOnlyEntry for queued, submitted and approved entries."""

    def migrate_entry(self, entry_id: int, form_version: int, form_hash: str, data: dict[str, Any],
                      actor: str | None = None) -> Entry:
        """Move an editable entry to a newer version of its form with its migrated data (a content
        change, as save_entry_data). StorageError for a version that is not newer."""

    def set_local_status(self, entry_id: int, status: EntryStatus, actor: str | None = None,
                         reason: str = "") -> Entry:
        """Move between draft, ready and queued only (InvalidTransition otherwise); queuing writes
        the outbox row, leaving the queue removes it."""

    def record_receipt(self, entry_id: int, receipt: Receipt, actor: str | None = None) -> Entry:
        """queued → submitted with the server's receipt for exactly this content (else StorageError)."""

    def record_decision(self, entry_id: int, status: EntryStatus, author: str,
                        notes: list[tuple[str | None, str]] = (), actor: str | None = None) -> Entry:
        """submitted → approved or returned, with the reviewer's (field id, text) notes."""

    def record_refusal(self, entry_id: int, reason: str, actor: str | None = None) -> Entry:
        """queued → rejected_by_server."""

    def iter_entries(self, statuses: set[EntryStatus] | None = None) -> list[Entry]:
        """The current entry (newest per process+stage) of every started stage whose status is in
        ``statuses`` (all of them when None), in creation order."""

    def count_entries_by_status(self) -> dict[str, int]:
        """Number of current entries per status value; every EntryStatus value is a key."""

    def add_review_note(self, entry_id: int, text: str, author: str,
                        field_id: str | None = None) -> ReviewNote: ...

    def list_review_notes(self, entry_id: int) -> list[ReviewNote]: ...


@runtime_checkable
class AttachmentStore(Protocol):
    """Documents of entries; the bytes live in the content-addressed file store."""

    def add_attachment(self, entry_id: int, source: Path | bytes, filename: str, document_type: str,
                       title: str = "", mime: str | None = None,
                       actor: str | None = None) -> Attachment:
        """Copy the file into the store (SHA-256) and link it to an editable entry (else
        ReadOnlyEntry): a content change, as a data save. A file above the size limit
        (``max_attachment_bytes``, default 200 MB) or a missing path raises StorageError."""

    def link_attachment(self, entry_id: int, attachment: Attachment,
                        actor: str | None = None) -> Attachment:
        """Link a stored document to another editable entry without copying bytes."""

    def get_attachment(self, attachment_id: int) -> Attachment: ...

    def attach_stored_file(self, entry_id: int, sha: str, size: int, filename: str, document_type: str,
                           title: str = "", mime: str | None = None, actor: str | None = None) -> Attachment:
        """Link a file already copied into the file store (``files.put``, e.g. on the UI's file
        thread, so a long copy holds up no database work) to the entry, as :meth:`add_attachment`
        does after its copy. StorageError when the stored copy is gone (removed meanwhile)."""

    def remove_attachment(self, attachment_id: int, actor: str | None = None) -> None:
        """Unlink a document from an editable entry (a content change)."""

    def list_attachments(self, entry_id: int) -> list[Attachment]: ...

    def attachment_path(self, attachment: Attachment) -> Path | None:
        """Where the bytes are on disk (the file may be missing: see :meth:`integrity_check`)."""

    def read_attachment(self, attachment: Attachment) -> bytes: ...

    def attachment_totals(self) -> tuple[int, int]:
        """(number of attachments, total bytes of distinct stored files)."""


@runtime_checkable
class MetaAuditStore(Protocol):
    """Settings-like key/value (audited), the audit chain and the store's health."""

    # what a piece of work changed ---------------------------------------------------------
    def change_mark(self) -> ChangeMark:
        """Where the store stands now; pass it to :meth:`changes_since` after the work (cheap)."""

    def changes_since(self, mark: ChangeMark) -> Changes:
        """The processes and entries changed since ``mark`` (by anyone using this store)."""

    # settings-like key/value, audit, integrity ---------------------------------------------
    def get_meta(self, key: str, default: str | None = None) -> str | None: ...

    def set_meta(self, key: str, value: str, actor: str | None = None) -> None:
        """Store a value (audited); the keys the store manages (device_id, ocid_seq, audit_head)
        are refused."""

    def verify_audit_chain(self) -> AuditCheck:
        """Walk the hash chain; a changed, deleted or reordered record gives ok=False and its seq."""

    def integrity_check(self) -> dict[str, Any]:
        """{"ok": bool, "integrity": "ok" | problem text (database, audit chain and files),
        "audit": AuditCheck as dict, "missing_files": [sha256 of every missing or damaged file],
        "corrupt_files": [those damaged], "counts": {"processes", "entries", "attachments"}}"""

    def warm_up(self) -> None:
        """Do now the set-up that opening deferred, so the first edit is not delayed."""

    def close(self) -> None: ...


@runtime_checkable
class SyncStore(Protocol):
    """What sync keeps: outbox, receipts, upload state, unaudited sync state, process identity."""

    def list_outbox(self) -> list[OutboxItem]: ...

    def note_push_attempt(self, entry_id: int, error: str | None) -> None: ...

    def receipts_of_entry(self, entry_id: int) -> list[Receipt]: ...

    def upload_state(self, attachment_id: int) -> tuple[int, bool, str | None]: ...

    def uploaded_files(self, sha256s: list[str]) -> set[str]:
        """Of ``sha256s``, the files a copy of which is known to be on the server."""

    def forget_uploads(self, sha256s: list[str]) -> None:
        """The server lacks these files after all: every copy's upload state back to never tried."""

    def pending_totals(self) -> tuple[int, int]:
        """(queued entries, bytes of their documents not yet on the server; a file counted once)."""

    def set_upload_state(self, attachment_id: int, sha256: str, uploaded_bytes: int, uploaded: bool,
                         upload_url: str | None) -> None: ...

    def get_sync_state(self, key: str, default: str | None = None) -> str | None: ...

    def set_sync_state(self, key: str, value: str) -> None:
        """Cursor, ETag and the like: not audited."""

    def last_refusal(self, entry_id: int) -> str | None:
        """The server's reason of this entry's last refusal (None: never refused)."""

    def ocid_aliases(self, process_id: int) -> list[str]: ...

    def add_ocid_alias(self, process_id: int, ocid: str, reason: str,
                       actor: str | None = None) -> None: ...

    def adopt_process_identity(self, process_id: int, uid: str, ocid: str,
                               actor: str | None = None) -> None:
        """Take the server's uid and ocid for a process (storage.sql_sync: the convergence rule)."""

    def entry_of_source(self, source_system: str, dataset: str, row_key: str) -> int | None: ...

    def record_source(self, entry_id: int, source_system: str, dataset: str, row_key: str) -> None: ...


@runtime_checkable
class ReviewStore(Protocol):
    """What a supervisor's device keeps for review offline (storage.sql_review, schema step 5)."""

    def replace_review_items(self, items: list[dict[str, Any]]) -> None: ...

    def list_review_items(self) -> list[Any]: ...

    def list_review_decisions(self, status: Any = None) -> list[Any]: ...

    def queue_review_decision(self, entry_uid: str, revision: int, decision: str, notes: list[Any],
                              decided_by: str, actor: str | None = None) -> Any: ...

    def record_review_answer(self, decision_id: int, status: Any, error: str | None = None,
                             actor: str | None = None) -> Any: ...


@runtime_checkable
class ConflictStore(Protocol):
    """What resolving a push conflict reads and writes (storage.sql_conflicts)."""

    def sync_state_items(self, prefix: str) -> dict[str, str]: ...

    def delete_sync_state(self, key: str) -> None: ...

    def stored_files_missing(self, sha256s: list[str]) -> list[str]: ...

    def rebase_queued_entry(self, entry_id: int, server_revision: int, actor: str | None = None,
                            payload: dict[str, Any] | None = None) -> Entry: ...

    def replace_queued_content(self, entry_id: int, form: tuple[str, int, str], data: dict[str, Any],
                               documents: list[dict[str, Any]], actor: str | None = None,
                               payload: dict[str, Any] | None = None) -> Entry: ...

    def replaced_content(self, entry_id: int) -> dict[str, Any] | None: ...


@runtime_checkable
class Repository(ProcessStore, ProcessList, EntryStore, AttachmentStore, MetaAuditStore, SyncStore,
                 ReviewStore, ConflictStore, Protocol):
    """All of the store, for callers that need several aggregates (the app's session, the CLI)."""
