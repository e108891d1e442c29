"""What an importer hands to the workflow's ``import_rows``: one :class:`ImportRow` per process and stage,
with where each value came from (:class:`SourceRef`, :class:`RawValue`). One type for the whole path:
the importers (``odc_desktop.importers``) make it, the workflow stores it; described in docs/importers.md.
"""

from __future__ import annotations

import dataclasses
from typing import Any


@dataclasses.dataclass(frozen=True, slots=True)
class SourceRef:
    """Where a value came from: system, dataset, the row's key (``kd_tender=…``), file and row number."""

    system: str
    dataset: str
    row_key: str
    file: str = ""
    row: int = 0


@dataclasses.dataclass(frozen=True, slots=True)
class RawValue:
    """A source value as the file held it (JSON-ready: a decimal number is an int, a float that
    writes back the same digits, or else its text), with its column and row."""

    value: Any
    column: str
    source: SourceRef


@dataclasses.dataclass(frozen=True, slots=True)
class ImportDocument:
    """A file to attach to the row's stage entry (a photo named in a progress report): where it is,
    its name, document type (``jenis_dokumen``), title, and content identity (SHA-256, size), read
    and checked by the importer. An entry that already has that content does not get it again."""

    path: str
    filename: str
    document_type: str
    sha256: str
    size: int
    title: str = ""


@dataclasses.dataclass
class ImportRow:
    """The data of one stage of one process, ready for the workflow's ``import_rows``.

    ``process_key``: ``rup:<kode RUP>`` when a kode RUP is known, else ``tender:…``, ``nontender:…``,
    ``pencatatan:…``, ``epurchasing:…`` or ``kontrak:…``. ``process_fields``: ``title``,
    ``opd_code`` (kd_satker_str), ``opd_name``, ``year``, ``kode_rup`` (the fields of
    :class:`~odc_desktop.domain.model.NewProcess`), plus ``kode_rup_lain`` (further codes of a
    consolidated package), ``kode_tender``/``kode_nontender``/``nomor_kontrak`` when known.
    ``data``: form field id → value as the form stores it. ``source``: every row that fed this stage.
    ``raw``: field id → the source value it was read from. ``notes``: what the operator should know
    (values rounded, shortened, or left empty because they fail the form's checks). ``documents``:
    files to attach to the stage entry (:class:`ImportDocument`).
    """

    process_key: str
    process_fields: dict[str, Any]
    stage: str
    data: dict[str, Any]
    source: tuple[SourceRef, ...]
    raw: dict[str, RawValue | list[RawValue]] = dataclasses.field(default_factory=dict)
    notes: list[Any] = dataclasses.field(default_factory=list)  # the importers' Finding objects
    documents: tuple[ImportDocument, ...] = ()
