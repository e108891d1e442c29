"""Generated ISB datasets for the import benchmark and the kill test: ``n`` rows in two files, half
RUP packages (RUP-PaketPenyedia-Terumumkan) and half their tender announcements (SPSE-TenderPengumuman),
each made from a real sample row (tests/data/isb) with its codes renumbered so they join by kode RUP."""

from __future__ import annotations

import json
from pathlib import Path

SAMPLES = Path(__file__).resolve().parents[1] / "tests" / "data" / "isb"
RUP = "21_1018_RUP-PaketPenyedia-Terumumkan.json"
TENDER = "47_1013_SPSE-TenderPengumuman.json"


def write_isb_files(folder: Path, rows: int, first_kode: int = 70_000_000) -> list[Path]:
    """Write ``rows`` generated rows into two JSON files in ``folder``; their paths."""
    folder.mkdir(parents=True, exist_ok=True)
    rup = json.loads((SAMPLES / RUP).read_text(encoding="utf-8"))
    tender = json.loads((SAMPLES / TENDER).read_text(encoding="utf-8"))
    packages, tenders = [], []
    for i in range(rows // 2 + rows % 2):
        kode = first_kode + i
        row = dict(rup[i % len(rup)], kd_rup=kode)
        row["nama_paket"] = f"{row.get('nama_paket') or 'Paket'} #{i}"
        packages.append(row)
        if len(tenders) < rows // 2:
            t = dict(tender[i % len(tender)], kd_rup=str(kode), kd_tender=90_000_000_000 + i)
            t["nama_paket"], t["pagu"], t["hps"] = row["nama_paket"], row.get("pagu"), row.get("pagu")
            tenders.append(t)
    paths = [folder / "RUP-PaketPenyedia.json", folder / "SPSE-TenderPengumuman.json"]
    paths[0].write_text(json.dumps(packages, ensure_ascii=False), encoding="utf-8")
    paths[1].write_text(json.dumps(tenders, ensure_ascii=False), encoding="utf-8")
    return paths
