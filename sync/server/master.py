"""Reference data the server starts with: the OPD master, from the codelist the app ships."""

from __future__ import annotations

from sqlalchemy.orm import Session

from odc_sync.server.db import next_values
from odc_sync.server.entry_forms import server_forms
from odc_sync.server.models import Opd

DEMO_OPD = "1.03.0.00.0.00.09.0000"  # Dinas Pekerjaan Umum Bina Marga dan Penataan Ruang


def load_opd_master(session: Session) -> int:
    """Add or update every OPD of ``forms/codelists/opd.yaml``; the number of rows changed. Changed
    rows get one new ``change_seq`` so clients pull them."""
    codelist = server_forms().codelists["opd"]
    changed = []
    for item in codelist.items:
        name_id, name_en = item.label.get("id", item.code), item.label.get("en", item.label.get("id", item.code))
        row = session.get(Opd, item.code)
        if row is None:
            row = Opd(code=item.code, name_id=name_id, name_en=name_en, change_seq=0)
            session.add(row)
        elif (row.name_id, row.name_en) == (name_id, name_en):
            continue
        row.name_id, row.name_en = name_id, name_en
        changed.append(row)
    if changed:
        (seq,) = next_values(session, "change_seq", 1)
        for row in changed:
            row.change_seq = seq
    return len(changed)
