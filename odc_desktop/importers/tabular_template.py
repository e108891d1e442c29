"""The progress-report template the app offers ("Unduh templat laporan progres"): XLSX and CSV.

Its headers are the progres kind's field labels (tabular_fields), so a filled template is mapped
without asking; one example row shows the formats (dates DD/MM/YYYY, a decimal comma).
"""

from __future__ import annotations

import csv
import os
from pathlib import Path

from odc_desktop.importers.tabular_fields import KINDS

#: The template's columns (field ids of the progres kind, in this order).
COLUMNS = ("kode_rup", "nomor_kontrak", "tanggal", "progres_fisik", "progres_keuangan", "nilai_bayar",
           "nomor_sp2d", "keterangan", "foto")
EXAMPLE = ("41234567", "027/123/SPK/412.301/2026", "17/08/2026", "62,5", "40", "Rp 125.000.000",
           "01234/SP2D-LS/1.03/2026", "Pengecoran lantai 2 selesai", "foto-2026-08-17.jpg")


def template_headers(lang: str = "id") -> list[str]:
    """The template's header row in ``lang``."""
    labels = {f.id: f.label for f in KINDS["progres"]}
    return [labels[c].get(lang, labels[c]["id"]) for c in COLUMNS]


def write_template(path: Path, lang: str = "id") -> Path:
    """Write the template to ``path`` (``.csv``: semicolon CSV in UTF-8 with BOM, as Excel id-ID
    opens it; otherwise XLSX), atomically; returns ``path``."""
    path = Path(path)
    temp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    if path.suffix.casefold() == ".csv":
        with temp.open("w", encoding="utf-8-sig", newline="") as f:
            writer = csv.writer(f, delimiter=";")
            writer.writerow(template_headers(lang))
            writer.writerow(EXAMPLE)
    else:
        import openpyxl

        book = openpyxl.Workbook()
        sheet = book.active
        sheet.title = "Laporan progres"
        sheet.append(template_headers(lang))
        sheet.append(list(EXAMPLE))
        for column in sheet.columns:
            sheet.column_dimensions[column[0].column_letter].width = 22
        sheet.freeze_panes = "A2"
        book.save(temp)
    os.replace(temp, path)
    return path
