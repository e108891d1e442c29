"""What the importers tell people, in Bahasa Indonesia and English, keyed by a stable code.

One table ``{code: {"id", "en"}}``; :func:`say` fills in the values. The lead folds this table into
the single non-Qt catalogue; until then the importers and their callers read it here.
"""

from __future__ import annotations

from typing import Any

T: dict[str, dict[str, str]] = {
    # --- whole files ---------------------------------------------------------------------------
    "file_unreadable": {"id": "Berkas {file} tidak dapat dibuka: {reason}.",
                        "en": "The file {file} cannot be opened: {reason}."},
    "file_empty": {"id": "Berkas {file} kosong; tidak ada yang diimpor.",
                   "en": "The file {file} is empty; nothing was imported."},
    "not_json": {"id": "Berkas {file} bukan JSON yang sah ({detail}); tidak ada yang diimpor. "
                       "Unduh ulang berkas dari ISB/Inaproc.",
                 "en": "The file {file} is not valid JSON ({detail}); nothing was imported. "
                       "Download the file again from ISB/Inaproc."},
    "looks_like_csv": {"id": "Berkas {file} berisi tabel CSV, bukan JSON; tidak ada yang diimpor. "
                             "Impor berkas ini sebagai CSV.",
                       "en": "The file {file} holds a CSV table, not JSON; nothing was imported. "
                             "Import this file as CSV."},
    "bad_encoding": {"id": "Berkas {file} tidak berenkode UTF-8 atau UTF-16 (byte ke-{offset} tidak "
                           "terbaca); tidak ada yang diimpor. Simpan ulang berkas sebagai UTF-8.",
                     "en": "The file {file} is not UTF-8 or UTF-16 encoded (byte {offset} cannot be "
                           "read); nothing was imported. Save the file again as UTF-8."},
    "not_a_list": {"id": "Berkas {file} bukan daftar data ISB/Inaproc (harus berupa daftar baris atau "
                         "{{\"data\": [...]}}); berkas dilewati.",
                   "en": "The file {file} is not an ISB/Inaproc data list (it must be a list of rows or "
                         "{{\"data\": [...]}}); the file was skipped."},
    "no_rows": {"id": "Berkas {file} tidak berisi baris data; berkas dilewati.",
                "en": "The file {file} holds no data rows; the file was skipped."},
    "unknown_dataset": {"id": "Berkas {file} bukan dataset ISB/Inaproc yang dikenal (kolom: {keys}); "
                              "berkas dilewati.",
                        "en": "The file {file} is not a known ISB/Inaproc dataset (columns: {keys}); "
                              "the file was skipped."},
    # --- rows ----------------------------------------------------------------------------------
    "row_not_object": {"id": "Baris {n}: bukan objek data (ditemukan {kind}); baris dilewati.",
                       "en": "Row {n}: not a data object (found {kind}); the row was skipped."},
    "row_missing_key": {"id": "Baris {n}: kolom kunci '{key}' kosong atau tidak ada; baris dilewati.",
                        "en": "Row {n}: the key column '{key}' is empty or missing; the row was skipped."},
    "row_bad_key": {"id": "Baris {n}: kode '{key}' tidak terbaca ({value}); baris dilewati.",
                    "en": "Row {n}: the code '{key}' cannot be read ({value}); the row was skipped."},
    "row_withdrawn": {"id": "Baris {n}: paket RUP {kode} dihapus atau tidak aktif di SIRUP; baris dilewati.",
                      "en": "Row {n}: RUP package {kode} is deleted or inactive in SIRUP; the row was skipped."},
    # --- values (the row is kept, the field stays empty; the raw value is kept) ----------------
    "value_unreadable": {"id": "Baris {n}, kolom '{column}': {reason} Isian dibiarkan kosong.",
                         "en": "Row {n}, column '{column}': {reason} The field was left empty."},
    "wrong_type": {"id": "jenis data salah ({kind}).", "en": "wrong kind of value ({kind})."},
    "money_too_big": {"id": "nilai {value} terlalu besar untuk sebuah paket.",
                      "en": "the amount {value} is too large for a package."},
    "money_negative": {"id": "nilai {value} negatif.", "en": "the amount {value} is negative."},
    "percent_range": {"id": "persentase {value} di luar 0–100.",
                      "en": "the percentage {value} is outside 0–100."},
    "date_unknown": {"id": "tanggal '{value}' tidak terbaca.", "en": "the date '{value}' cannot be read."},
    "code_unknown": {"id": "'{value}' tidak ada dalam daftar {list}.",
                     "en": "'{value}' is not in the {list} list."},
    "code_ambiguous": {"id": "'{value}' dapat berarti lebih dari satu isian daftar {list}; pilih sendiri.",
                       "en": "'{value}' could mean more than one entry of the {list} list; choose it yourself."},
    # --- notes on kept values ------------------------------------------------------------------
    "money_rounded": {"id": "Baris {n}, kolom '{column}': {value} dibulatkan ke rupiah penuh.",
                      "en": "Row {n}, column '{column}': {value} was rounded to whole rupiah."},
    "text_shortened": {"id": "Baris {n}, kolom '{column}': teks dipotong menjadi {limit} karakter "
                             "(teks lengkap tersimpan sebagai nilai asli).",
                       "en": "Row {n}, column '{column}': the text was cut to {limit} characters "
                             "(the full text is kept as the raw value)."},
    "field_dropped": {"id": "{stage}: isian '{field}' dari sumber tidak lolos pemeriksaan formulir dan "
                            "dibiarkan kosong: {problem}",
                      "en": "{stage}: the source value of '{field}' fails the form's checks and was "
                            "left empty: {problem}"},
    "superseded_selection": {"id": "Tender/non-tender {old} diganti oleh {new} (tender ulang atau versi baru); "
                                   "datanya tidak dipakai.",
                             "en": "Tender/non-tender {old} was replaced by {new} (re-tender or new version); "
                                   "its data was not used."},
    "second_value": {"id": "{stage}: '{field}' sudah diisi dari {first}; nilai lain dari {other} "
                           "tidak dipakai.",
                     "en": "{stage}: '{field}' was already filled from {first}; the other value from "
                           "{other} was not used."},
}


def say(code: str, lang: str = "id", **values: Any) -> str:
    """The message ``code`` in ``lang`` (Indonesian when unknown) with ``values`` filled in."""
    texts = T[code]
    return texts.get(lang, texts["id"]).format(**values)
