"""Plain data objects shared by storage, domain, CLI and UI (no Qt, no SQL)."""

from __future__ import annotations

import dataclasses
import enum
from typing import Any

from odc_desktop.domain.statuses import EntryStatus, Stage
from odc_desktop.messages import Msg


@dataclasses.dataclass(frozen=True)
class NewProcess:
    """What the operator enters in the "Paket baru" dialog (or an importer/demo supplies)."""

    title: str
    opd_code: str
    opd_name: str
    year: int
    kode_rup: str | None = None
    kecamatan: str | None = None


@dataclasses.dataclass(frozen=True)
class Process:
    """One procurement process (paket pengadaan), identified by its OCDS ocid."""

    id: int
    ocid: str
    title: str
    opd_code: str
    opd_name: str
    year: int
    kode_rup: str | None
    kecamatan: str | None
    current_stage: Stage
    created_at: str
    updated_at: str
    uid: str = ""  # the process's own id (uuid4 hex), the same on every PC once synced


@dataclasses.dataclass(frozen=True)
class ProcessRow:
    """One row of the process list: the process plus the status of each stage's current entry."""

    id: int
    ocid: str
    title: str
    opd_name: str
    year: int
    current_stage: Stage
    stage_statuses: dict[Stage, EntryStatus]
    updated_at: str


class SortKey(str, enum.Enum):
    """What the process list can be ordered by (one per column of the list)."""

    TITLE = "title"
    OPD = "opd"
    YEAR = "year"
    STAGE = "stage"  # lifecycle order
    STATUS = "status"  # of the current stage's entry, "not started" first, then lifecycle order
    UPDATED = "updated"


@dataclasses.dataclass(frozen=True)
class ProcessOrder:
    """The order of the process list; ties go most recently changed first."""

    key: SortKey = SortKey.UPDATED
    descending: bool = True


@dataclasses.dataclass(frozen=True)
class ProcessFilter:
    """Filters of the process list; None means "any"."""

    text: str = ""
    opd_code: str | None = None
    year: int | None = None
    stage: Stage | None = None
    status: EntryStatus | None = None


@dataclasses.dataclass(frozen=True)
class Entry:
    """One filled form for one stage of one process, pointing at (form_id, version, hash).

    ``revision`` is the server-facing revision (the one a server receipt accepted; 0 = none yet);
    ``edit_seq`` counts local edits (data saves, documents added or removed). ``content_sha256`` is
    the content identity (form triple, data, document manifest: storage.common.content_identity).
    ``supersedes_uid`` names the approved or submitted entry this one changes; ``base_revision`` is
    that entry's server revision, on which this change is based.
    """

    id: int
    uid: str
    process_id: int
    stage: Stage
    form_id: str
    form_version: int
    form_hash: str
    data: dict[str, Any]
    status: EntryStatus
    revision: int
    base_revision: int | None
    content_sha256: str
    created_at: str
    updated_at: str
    edit_seq: int = 0
    supersedes_uid: str | None = None


@dataclasses.dataclass(frozen=True)
class Attachment:
    """A document attached to an entry; the bytes live in the content-addressed file store."""

    id: int
    entry_id: int
    sha256: str
    filename: str
    mime: str
    size: int
    document_type: str
    title: str
    created_at: str


@dataclasses.dataclass(frozen=True)
class ReviewNote:
    """A reviewer's comment on an entry, optionally on one field."""

    id: int
    entry_id: int
    field_id: str | None
    author: str
    text: str
    created_at: str


@dataclasses.dataclass(frozen=True)
class AuditCheck:
    """Result of walking the audit chain."""

    ok: bool
    length: int
    first_bad_seq: int | None = None
    message: str | Msg = ""  # a Msg (storage.audit_*): said in the reader's language


@dataclasses.dataclass(frozen=True)
class Receipt:
    """The server's word that it accepted one exact content of an entry (what sync brings back).

    ``proof`` is None when ``signature`` is the server's signature over this receipt alone (protocols
    1 and 2, and duplicates); with protocol 3 it is the JSON text ``{"index", "tree_size", "path"}``
    of the receipt's Merkle audit path and ``signature`` is the server's signature over that tree's
    root. Either way :meth:`signed` is what ``odc_sync.protocol.signing.receipt_valid`` checks."""

    entry_uid: str
    server_seq: int
    revision: int
    content_sha256: str
    signature: str
    accepted_at: str
    proof: str | None = None

    @classmethod
    def from_signed(cls, receipt: dict[str, Any], proof: str | None = None) -> Receipt:
        """The inverse of :meth:`signed`: a receipt in the protocol's shape, as the store keeps it
        (``proof``: its Merkle proof as text; None when ``signature`` covers the receipt alone)."""
        return cls(entry_uid=receipt["entry"], server_seq=receipt["server_seq"], revision=receipt["revision"],
                   content_sha256=receipt["content_sha256"], signature=receipt["signature"],
                   accepted_at=str(receipt["accepted_at"]), proof=proof)

    def signed(self) -> dict[str, object]:
        """The receipt in the protocol's shape (``entry``, …, ``signature``, ``proof``)."""
        return {"entry": self.entry_uid, "revision": self.revision, "content_sha256": self.content_sha256,
                "server_seq": self.server_seq, "accepted_at": self.accepted_at, "signature": self.signature,
                "proof": self.proof}


@dataclasses.dataclass(frozen=True)
class OutboxItem:
    """An entry queued to be pushed, with the content identity it had when it was queued."""

    entry_id: int
    entry_uid: str
    content_sha256: str
    queued_at: str
    attempts: int
    last_error: str | None
