"""Red flags of a process under review, computed on the device from the pulled queue (offline).

The entries of one process awaiting review are built into OCDS releases with the same builder the
export and the server use (as if approved, like the server's review queue does), and the releases go
through :class:`~odc_desktop.domain.ocds.red_flags.FlagIndex`. The server's flags of the item (it also
knows the process's approved stages) are added, each flag once.
"""

from __future__ import annotations

from odc_desktop.domain.forms.lookup import FormLookup, FormMissing
from odc_desktop.domain.model import Entry, Process
from odc_desktop.domain.ocds.red_flags import FlagIndex
from odc_desktop.domain.ocds.release import build_process_releases
from odc_desktop.domain.review import ReviewItem
from odc_desktop.domain.statuses import EntryStatus, Stage


def _entry(index: int, item: ReviewItem) -> Entry:
    payload, at = item.payload, str(item.item.get("accepted_at") or "")
    form = payload.get("form") or {}
    return Entry(id=index, uid=item.entry_uid, process_id=0, stage=Stage(item.stage), form_id=str(form.get("id")),
                 form_version=int(form.get("version") or 0), form_hash=str(form.get("hash")), data=item.data,
                 status=EntryStatus.APPROVED, revision=item.revision,
                 base_revision=payload.get("base_revision"), content_sha256="", created_at=at, updated_at=at,
                 edit_seq=item.revision, supersedes_uid=payload.get("supersedes"))


def _process(items: list[ReviewItem]) -> Process:
    first, at = items[0], str(items[0].item.get("accepted_at") or "")
    opd = str(first.item.get("opd") or first.payload.get("opd") or "-")
    year = int(at[:4]) if at[:4].isdigit() else 2000
    return Process(id=0, ocid=first.ocid, title=first.ocid, opd_code=opd, opd_name=opd, year=year, kode_rup=None,
                   kecamatan=None, current_stage=Stage(items[-1].stage), created_at=at, updated_at=at)


def process_flags(item: ReviewItem, queue: list[ReviewItem], forms: FormLookup, lang: str = "id"
                  ) -> list[dict[str, str]]:
    """The red flags of ``item``'s process: ``{"path", "code", "message"}`` each, local ones first."""
    same = sorted((i for i in queue if i.ocid == item.ocid), key=lambda i: Stage(i.stage).order)
    entries = [_entry(n + 1, i) for n, i in enumerate(same)]
    found: list[dict[str, str]] = []
    try:
        index = FlagIndex()
        for release in build_process_releases(_process(same), entries, forms, {}, history=entries):
            index.add(release)
        found = [{"path": p.path, "code": p.code, "message": p.message} for p in index.problems(lang)]
    except FormMissing:  # a form version this device lacks: the server's flags still say it
        found = []
    seen = {(f["path"], f["code"]) for f in found}
    for flag in item.item.get("flags") or []:
        if isinstance(flag, dict) and (flag.get("path"), flag.get("code")) not in seen:
            seen.add((flag.get("path"), flag.get("code")))
            said = flag.get("message_en") if lang == "en" and flag.get("message_en") else flag.get("message")
            found.append({"path": str(flag.get("path")), "code": str(flag.get("code")), "message": str(said)})
    return found

