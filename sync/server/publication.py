"""Stored entries → OCDS releases, records and red flags, with the same Qt-free builder the app exports with.

The server keeps entry payloads, not the app's process rows, so a process here is what its entries
say: the ocid, the OPD (its name from the OPD master) and a title taken from the tender's name (or
the planning description). Each entry is built with its own form (:class:`ServerForms`: the shipped
forms plus the versions admins published; an entry whose form hash the server does not hold is read
with the form of the same id and version, which is what the push check accepted it by). Documents
carry the public download URL ``<base>/ocds/documents/<sha256>``.
"""

from __future__ import annotations

import dataclasses
import json
import logging
from pathlib import Path
from typing import Any, Iterable

from sqlalchemy import select
from sqlalchemy.orm import Session

from odc_desktop.domain.forms.definition import Codelist, FormDefinition
from odc_desktop.domain.model import Attachment, Entry, Process
from odc_desktop.domain.ocds.red_flags import FlagIndex
from odc_desktop.domain.ocds.release import build_process_releases
from odc_desktop.domain.statuses import EntryStatus, Stage
from odc_desktop.form_registry.registry import FormRegistry
from odc_sync.server.models import Entry as EntryRow
from odc_sync.server.models import Opd

log = logging.getLogger(__name__)

STATUS_APPROVED = "approved"
STATUS_RETURNED = "returned"
TITLE_MAX = 200


class ServerForms:
    """The FormLookup of the server: shipped forms plus published versions in ``<data dir>/forms``."""

    def __init__(self, data_dir: Path):
        self.registry = FormRegistry.open(data_dir)

    @property
    def codelists(self) -> dict[str, Codelist]:
        return self.registry.codelists

    def current(self, stage: str) -> FormDefinition:
        return self.registry.current(stage)

    def get(self, form_id: str, version: int, form_hash: str) -> FormDefinition | None:
        found = self.registry.get(form_id, version, form_hash)
        if found is not None:
            return found
        for form in self.registry.shipped.forms.values():
            if (form.id, form.version) == (form_id, version):
                return form
        for stored_id, stored_version, stored_hash in self.registry.stored_versions():
            if (stored_id, stored_version) == (form_id, version):
                return self.registry.get(stored_id, stored_version, stored_hash)
        return None

    def codelists_for(self, form: FormDefinition) -> dict[str, Codelist]:
        return self.registry.codelists_for(form)


def payload_of(row: EntryRow) -> dict[str, Any]:
    return json.loads(row.payload)


def domain_entry(row: EntryRow, status: EntryStatus | None = None) -> Entry:
    payload = payload_of(row)
    return Entry(id=row.id, uid=row.entry_uid, process_id=0, stage=Stage(row.stage), form_id=row.form_id,
                 form_version=row.form_version, form_hash=payload["form"]["hash"], data=payload["data"],
                 status=status or EntryStatus(row.status), revision=row.revision,
                 base_revision=row.base_revision, content_sha256=row.content_sha256,
                 created_at=row.accepted_at, updated_at=row.accepted_at, edit_seq=row.revision,
                 supersedes_uid=payload.get("supersedes"))


def attachments_of(row: EntryRow) -> list[Attachment]:
    return [Attachment(id=index + 1, entry_id=row.id, sha256=item["sha256"], filename=item["name"],
                       mime=item["media_type"], size=item["size"], document_type="", title=item["name"],
                       created_at=row.accepted_at)
            for index, item in enumerate(payload_of(row).get("attachments") or [])]


def process_title(rows: Iterable[EntryRow], ocid: str) -> str:
    data = {row.stage: payload_of(row)["data"] for row in rows}
    title = (data.get("tender") or {}).get("nama_tender") or (data.get("planning") or {}).get("uraian_pekerjaan")
    title = " ".join(str(title or ocid).split())
    return title if len(title) <= TITLE_MAX else title[:TITLE_MAX - 1] + "…"


def process_of(session: Session, rows: list[EntryRow]) -> Process:
    first = rows[0]
    opd = session.get(Opd, first.opd_code)
    year = int(first.accepted_at[:4])
    return Process(id=0, ocid=first.ocid, title=process_title(rows, first.ocid), opd_code=first.opd_code,
                   opd_name=opd.name_id if opd else first.opd_code, year=year, kode_rup=None, kecamatan=None,
                   current_stage=Stage(rows[-1].stage), created_at=first.accepted_at, updated_at=rows[-1].accepted_at)


def approved_rows(session: Session, ocid: str) -> list[EntryRow]:
    """The approved revisions of one process, oldest first (an approved entry is locked: one per uid)."""
    query = select(EntryRow).where(EntryRow.ocid == ocid, EntryRow.status == STATUS_APPROVED)
    return list(session.execute(query.order_by(EntryRow.accepted_at, EntryRow.id)).scalars())


def _add_urls(obj: Any, urls: dict[str, str]) -> None:
    if isinstance(obj, dict):
        for key, value in obj.items():
            if key == "documents" and isinstance(value, list):
                for document in value:
                    if isinstance(document, dict) and document.get("id") in urls:
                        document["url"] = urls[document["id"]]
            else:
                _add_urls(value, urls)
    elif isinstance(obj, list):
        for value in obj:
            _add_urls(value, urls)


@dataclasses.dataclass
class Built:
    """The releases of one process, by entry row id."""

    process: Process | None
    releases: dict[int, dict[str, Any]]


def build(session: Session, forms: ServerForms, rows: list[EntryRow], base_url: str,
          statuses: dict[int, EntryStatus] | None = None) -> Built:
    """The release of each of ``rows`` (all of one process), built together (parties, suppliers, tags)."""
    statuses = statuses or {}
    readable = [row for row in rows if forms.get(row.form_id, row.form_version, payload_of(row)["form"]["hash"])]
    if len(readable) < len(rows):  # a form version the server does not hold: that entry is left out
        log.warning("entries left out, their form is not here: %s",
                    [f"{r.entry_uid}@{r.revision}" for r in rows if r not in readable])
    rows = readable
    if not rows:
        return Built(None, {})
    process = process_of(session, rows)
    entries = [domain_entry(row, statuses.get(row.id)) for row in rows]
    attachments = {row.id: attachments_of(row) for row in rows}
    releases = build_process_releases(process, entries, forms, attachments, history=entries)
    urls = {a.sha256[:16]: f"{base_url}/ocds/documents/{a.sha256}" for items in attachments.values() for a in items}
    for release in releases:
        _add_urls(release, urls)
    return Built(process, {row.id: release for row, release in zip(rows, releases)})


def red_flags(session: Session, forms: ServerForms, row: EntryRow, base_url: str) -> list[dict[str, str]]:
    """The red flags (level ``flag``) of the process as it would be with ``row`` approved, in both languages."""
    rows = [r for r in approved_rows(session, row.ocid) if r.entry_uid != row.entry_uid
            and r.entry_uid != payload_of(row).get("supersedes")] + [row]
    built = build(session, forms, rows, base_url, {row.id: EntryStatus.APPROVED})
    found: dict[str, list] = {}
    for lang in ("id", "en"):
        index = FlagIndex()
        for release in built.releases.values():
            index.add(release)
        found[lang] = index.problems(lang)
    return [{"path": p.path, "code": p.code, "message": p.message, "message_en": en.message}
            for p, en in zip(found["id"], found["en"])]
