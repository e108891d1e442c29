"""The one interface through which the UI, the CLI and the domain touch stored data.

Implemented by :class:`odc_desktop.storage.sql.SqlRepository` (SQLite through SQLAlchemy);
``tests/unit/test_repository_contract.py`` is its behaviour suite (tests use real SQLite files in a temporary
folder, not a fake). Every mutating method appends to the audit log in the same transaction
(``actor`` says who). Errors the operator may see are raised as :class:`StorageError` with a message in
Bahasa Indonesia.
"""

from __future__ import annotations

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
    ReviewNote,
)
from odc_desktop.domain.statuses import EntryStatus, Stage

if TYPE_CHECKING:
    from odc_desktop.changes import Changes
    from odc_desktop.storage.change_log import ChangeMark


class StorageError(RuntimeError):
    """A stored-data operation failed; ``str(error)`` is a message for the operator (Indonesian).

    ``kind`` names a database failure ("locked", "full", "readonly", "other") so that a front end
    can say it in another language; None for the other errors, whose message is the whole story.
    """

    def __init__(self, message: str, kind: str | None = None):
        super().__init__(message)
        self.kind = kind


class NotFound(StorageError):
    """The process, entry or attachment asked for does not exist."""


class StoreDamaged(StorageError):
    """The store must not be used: its database is damaged (``kind`` "damaged"), empty beside stored
    attachments ("empty"), or a restore stopped half-way ("restore_unfinished"). The message says how
    to restore it from a backup."""

    def __init__(self, message: str, kind: str = "damaged"):
        super().__init__(message, kind)


class ReadOnlyEntry(StorageError):
    """An approved (or otherwise locked) entry was asked to change."""


@runtime_checkable
class Repository(Protocol):
    def batch(self) -> AbstractContextManager[None]:
        """A block whose changes are committed together, once (demo data, imports); a change
        refused inside it undoes only itself."""

    # processes -----------------------------------------------------------------------------
    def create_process(self, new: NewProcess, ocid_prefix: str, actor: str = "operator") -> Process:
        """Create a process; ocid = f"{prefix}-{kode_rup}" or f"{prefix}-{device_id}-{seq}" offline."""

    def get_process(self, process_id: int) -> Process:
        """Return the process or raise NotFound."""

    def find_process_by_ocid(self, ocid: str) -> Process | None: ...

    def list_process_ids(self, flt: ProcessFilter = ProcessFilter(),
                         order: ProcessOrder = ProcessOrder()) -> list[int]:
        """Ids of matching processes in ``order``: by default most recently changed first (a change
        to any of its entries counts); by another column, ties most recently changed first. Text
        search is case-insensitive: every whitespace-separated term must occur in the title, ocid,
        kode RUP or OPD name. ``status`` matches a process when the current entry of
        any stage has it; ``stage`` matches ``current_stage``. Fast at 100,000 processes."""

    def get_process_rows(self, ids: list[int]) -> list[ProcessRow]:
        """Rows for exactly these ids, in the same order (missing ids are skipped)."""

    def count_processes(self) -> int: ...

    def list_opds(self) -> list[tuple[str, str]]:
        """(opd_code, opd_name) of every OPD that has a process, sorted by name (ignoring case)."""

    def list_years(self) -> list[int]:
        """Every year that has a process, newest first."""

    # entries -------------------------------------------------------------------------------
    def current_entry(self, process_id: int, stage: Stage) -> Entry | None:
        """The newest entry of that stage, or None when the stage has not been started."""

    def entries_of_process(self, process_id: int) -> list[Entry]:
        """Every entry of the process (all revisions), oldest first."""

    def create_entry(self, process_id: int, stage: Stage, form_id: str, form_version: int,
                     form_hash: str, data: dict[str, Any] | None = None,
                     actor: str = "operator") -> Entry:
        """Start a stage (status draft, revision 1). If the newest entry of that stage is approved,
        the new entry's base_revision is that entry's revision (it becomes an OCDS update); any
        other existing entry of the stage makes this raise StorageError (continue that one)."""

    def get_entry(self, entry_id: int) -> Entry: ...

    def save_entry_data(self, entry_id: int, data: dict[str, Any], actor: str = "operator") -> Entry:
        """Autosave: replace the entry's data. A READY/RETURNED/REJECTED entry goes back to DRAFT
        and the revision goes up by one; data identical to what is stored changes nothing (same
        revision, no audit record). Raises ReadOnlyEntry for QUEUED/SUBMITTED/APPROVED entries.
        Durable when it returns."""

    def migrate_entry(self, entry_id: int, form_version: int, form_hash: str, data: dict[str, Any],
                      actor: str = "operator") -> Entry:
        """Move an editable entry to a newer version of its form, with its data already migrated
        (domain.forms.definition.migrate_draft): form_version, form_hash and data change together, the revision
        goes up by one and the entry is a DRAFT again. Raises ReadOnlyEntry like save_entry_data and
        StorageError for a version that is not newer."""

    def set_entry_status(self, entry_id: int, status: EntryStatus, actor: str = "operator",
                         reason: str = "") -> Entry:
        """Move an entry to ``status``; raises domain.statuses.InvalidTransition (Indonesian
        message) when check_transition refuses it."""

    def iter_entries(self, statuses: set[EntryStatus] | None = None) -> list[Entry]:
        """The current entry (newest per process+stage) of every started stage whose status is in
        ``statuses`` (all of them when None), in creation order."""

    def count_entries_by_status(self) -> dict[str, int]:
        """Number of current entries per status value; every EntryStatus value is a key."""

    # attachments ---------------------------------------------------------------------------
    def add_attachment(self, entry_id: int, source: Path | bytes, filename: str, document_type: str,
                       title: str = "", mime: str | None = None,
                       actor: str = "operator") -> Attachment:
        """Copy the file into the content-addressed store (SHA-256) and link it to the entry.

        Only editable entries take documents (else ReadOnlyEntry); a READY/RETURNED/REJECTED entry
        goes back to DRAFT, as after a data change (also on removal). A file above the size limit
        (attribute ``max_attachment_bytes``, default 200 MB) or a missing path raises StorageError."""

    def attach_stored_file(self, entry_id: int, sha: str, size: int, filename: str, document_type: str,
                           title: str = "", mime: str | None = None, actor: str = "operator") -> Attachment:
        """Link a file already copied into the file store (``files.put``, e.g. on the UI's file
        thread, so a long copy holds up no database work) to the entry, as :meth:`add_attachment`
        does after its copy. StorageError when the stored copy is gone (removed meanwhile)."""

    def remove_attachment(self, attachment_id: int, actor: str = "operator") -> None: ...

    def list_attachments(self, entry_id: int) -> list[Attachment]: ...

    def attachment_path(self, attachment: Attachment) -> Path | None:
        """Where the bytes are on disk (the file may be missing: see :meth:`integrity_check`)."""

    def read_attachment(self, attachment: Attachment) -> bytes: ...

    def attachment_totals(self) -> tuple[int, int]:
        """(number of attachments, total bytes of distinct stored files)."""

    # review notes --------------------------------------------------------------------------
    def add_review_note(self, entry_id: int, text: str, author: str,
                        field_id: str | None = None) -> ReviewNote: ...

    def list_review_notes(self, entry_id: int) -> list[ReviewNote]: ...

    # what a piece of work changed ---------------------------------------------------------
    def change_mark(self) -> ChangeMark:
        """Where the store stands now; pass it to :meth:`changes_since` after the work (cheap)."""

    def changes_since(self, mark: ChangeMark) -> Changes:
        """The processes and entries changed since ``mark`` (by anyone using this store)."""

    # settings-like key/value, audit, integrity ---------------------------------------------
    def get_meta(self, key: str, default: str | None = None) -> str | None: ...

    def set_meta(self, key: str, value: str, actor: str = "operator") -> None:
        """Store a value; the keys the store manages (device_id, ocid_seq, audit_head) are refused."""

    def verify_audit_chain(self) -> AuditCheck:
        """Walk the hash chain; a changed, deleted or reordered record gives ok=False and its seq."""

    def integrity_check(self) -> dict[str, Any]:
        """{"ok": bool, "integrity": "ok" | problem text (database, audit chain and files),
        "audit": AuditCheck as dict, "missing_files": [sha256 of every missing or damaged file],
        "corrupt_files": [those damaged], "counts": {"processes", "entries", "attachments"}}"""

    def warm_up(self) -> None:
        """Do now the set-up that opening deferred, so the first edit is not delayed (no data change).

        The app calls it on its database thread once the process list is on screen.
        """

    def close(self) -> None: ...
