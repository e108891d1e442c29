"""Make tests/data/store_v3/: a local store as schema version 3 left it (frozen; do not re-run).

Run once with the code of schema version 3 (main before the store's step 4, commit 3ca71c7):
``python tests/data/make_store_v3.py``. ``tests/unit/test_store_upgrade.py`` upgrades a copy of it
and checks that every process, entry, attachment, review note and the audit chain survive.
The statuses past ``ready`` were reached through ``set_entry_status``, which version 3 still had.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from odc_desktop.domain.model import NewProcess
from odc_desktop.domain.statuses import EntryStatus, Stage
from odc_desktop.storage.sql import SqlRepository

OUT = Path(__file__).parent / "store_v3"
FORM = ("tender", 1, "0" * 64)


def main() -> None:
    if OUT.exists():
        shutil.rmtree(OUT)
    repo = SqlRepository.open(OUT)
    p1 = repo.create_process(NewProcess("Rehabilitasi Jalan Desa Sumberrejo", "1.01", "Dinas PU",
                                        2025, kode_rup="31234567"), "ocds-afzrfb")
    p2 = repo.create_process(NewProcess("Pengadaan Laptop Sekolah", "1.02", "Dinas Pendidikan",
                                        2025), "ocds-afzrfb")
    p3 = repo.create_process(NewProcess("Jasa Konsultansi Drainase", "1.01", "Dinas PU", 2024,
                                        kode_rup="39999999", kecamatan="Kapas"), "ocds-afzrfb")
    # p1: planning approved, then a change of it (draft); tender ready with two documents
    plan = repo.create_entry(p1.id, Stage.PLANNING, "planning", 1, "a" * 64,
                             {"budget_amount": 150000000, "title": "Rehabilitasi"})
    repo.add_attachment(plan.id, b"%PDF-1.4 planning doc\n%%EOF\n", "rup.pdf", "procurementPlan")
    repo.save_entry_data(plan.id, {"budget_amount": 160000000, "title": "Rehabilitasi"})
    for status in (EntryStatus.READY, EntryStatus.QUEUED, EntryStatus.SUBMITTED, EntryStatus.APPROVED):
        repo.set_entry_status(plan.id, status)
    repo.create_entry(p1.id, Stage.PLANNING, "planning", 1, "a" * 64,
                      {"budget_amount": 170000000, "title": "Rehabilitasi"})
    tender = repo.create_entry(p1.id, Stage.TENDER, *FORM, {"method": "open"})
    repo.add_attachment(tender.id, b"%PDF-1.4 tender notice\n%%EOF\n", "pengumuman.pdf",
                        "tenderNotice", title="Pengumuman")
    gone = repo.add_attachment(tender.id, b"%PDF-1.4 removed\n%%EOF\n", "salah.pdf", "tenderNotice")
    repo.remove_attachment(gone.id)
    repo.add_attachment(tender.id, b"\xff\xd8\xff\xe0 photo \xff\xd9", "foto.jpg", "x_photo")
    repo.set_entry_status(tender.id, EntryStatus.READY)
    # p2: planning returned with a review note; p3: planning draft only
    back = repo.create_entry(p2.id, Stage.PLANNING, "planning", 1, "a" * 64, {"budget_amount": 5})
    for status in (EntryStatus.READY, EntryStatus.QUEUED, EntryStatus.SUBMITTED, EntryStatus.RETURNED):
        repo.set_entry_status(back.id, status)
    repo.add_review_note(back.id, "Pagu tidak sesuai RUP", "verifikator", field_id="budget_amount")
    repo.create_entry(p3.id, Stage.PLANNING, "planning", 1, "a" * 64, {})
    repo.set_meta("last_form", "1:planning")
    repo.close()
    (OUT / "odc.sqlite3.clean").unlink(missing_ok=True)


if __name__ == "__main__":
    main()
