"""A complete sample process (the road package of form_samples.py) as Process/Entry/Attachment objects.

Shared by the release, validation and conformance tests and by bench/validate.py, so they all build
releases from the same realistic data through the real forms.
"""

from __future__ import annotations

import copy
import dataclasses
import hashlib
from typing import Any

from odc_desktop.domain.forms.definition import FormSet
from odc_desktop.domain.model import Attachment, Entry, Process
from odc_desktop.domain.statuses import STAGE_ORDER, EntryStatus, Stage
from tests.unit.form_samples import PROCESS, VALID_DATA

OCID = "ocds-000bjn-41234567"
#: One document per stage: (document_type, title, mime).
STAGE_DOCUMENTS = {
    "planning": ("dpa", "DPA Dinas PU 2024", "application/pdf"),
    "tender": ("dokumen_pemilihan", "Dokumen Pemilihan Tender", "application/pdf"),
    "award": ("sppbj", "SPPBJ", "application/pdf"),
    "contract": ("kontrak_ditandatangani", "Surat Perjanjian", "application/pdf"),
    "implementation": ("laporan_progres", "Laporan Progres Bulan Juni", "application/pdf"),
    "completion": ("bast", "BAST PHO", "application/pdf"),
}


def sample_process(ocid: str = OCID, process_id: int = 1, **changes: Any) -> Process:
    """The sample process (Dinas PU road package in Kecamatan Dander)."""
    process = Process(id=process_id, ocid=ocid, title=PROCESS["title"], opd_code=PROCESS["opd_code"],
                      opd_name=PROCESS["opd_name"], year=PROCESS["year"], kode_rup=PROCESS["kode_rup"],
                      kecamatan=PROCESS["kecamatan"], current_stage=Stage.COMPLETION,
                      created_at="2024-01-10T08:00:00+07:00", updated_at="2024-09-20T08:00:00+07:00")
    return dataclasses.replace(process, **changes)


def sample_entry(forms: FormSet, stage: str, data: dict[str, Any] | None = None, entry_id: int | None = None,
                 process_id: int = 1, status: EntryStatus = EntryStatus.APPROVED, month: int | None = None,
                 revision: int = 1) -> Entry:
    """An entry of ``stage`` holding ``data`` (default: the valid sample data)."""
    form = forms.for_stage(stage)
    position = [s.value for s in STAGE_ORDER].index(stage)
    entry_id = entry_id if entry_id is not None else process_id * 100 + position + 1
    month = month if month is not None else position + 3
    data = copy.deepcopy(VALID_DATA[stage]) if data is None else data
    return Entry(id=entry_id, uid=f"e{entry_id:05d}", process_id=process_id, stage=Stage(stage), form_id=form.id,
                 form_version=form.version, form_hash=form.content_hash, data=data, status=status,
                 revision=revision, base_revision=None, content_sha256=hashlib.sha256(repr(data).encode()).hexdigest(),
                 created_at=f"2024-{month:02d}-01T09:00:00+07:00", updated_at=f"2024-{month:02d}-02T10:30:00+07:00",
                 edit_seq=revision)


def sample_entries(forms: FormSet, process_id: int = 1) -> list[Entry]:
    """One approved entry per stage, in lifecycle order."""
    return [sample_entry(forms, stage.value, process_id=process_id) for stage in STAGE_ORDER]


def sample_attachments(entries: list[Entry]) -> dict[int, list[Attachment]]:
    """One document per entry, as the storage layer would return it."""
    attachments = {}
    for entry in entries:
        doc_type, title, mime = STAGE_DOCUMENTS[entry.stage.value]
        sha = hashlib.sha256(f"{entry.uid}-{doc_type}".encode()).hexdigest()
        attachments[entry.id] = [Attachment(id=entry.id, entry_id=entry.id, sha256=sha, filename=f"{doc_type}.pdf",
                                            mime=mime, size=12345, document_type=doc_type, title=title,
                                            created_at=entry.updated_at)]
    return attachments
