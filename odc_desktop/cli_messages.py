"""What the ``odc`` command line says, in Bahasa Indonesia (default) and English (``--lang en``)."""

from __future__ import annotations

from typing import Any

from odc_desktop.domain.forms import text_in
from odc_desktop.domain.ocds_messages import rupiah

MESSAGES: dict[str, dict[str, str]] = {
    "negative": {"id": "Jumlah paket dan lampiran tidak boleh negatif.",
                 "en": "The number of processes and attachments cannot be negative."},
    "demo_done": {"id": "Dibuat {processes} paket, {entries} entri tahap, {attachments} lampiran ({bytes} byte).",
                  "en": "Made {processes} processes, {entries} stage entries, {attachments} attachments "
                        "({bytes} bytes)."},
    "progress_demo": {"id": "Membuat paket", "en": "Making processes"},
    "progress_export": {"id": "Mengekspor", "en": "Exporting"},
    "nothing_to_export": {"id": "Tidak ada entri yang valid untuk diekspor. Lengkapi formulir tahap di aplikasi "
                                "terlebih dahulu.",
                          "en": "There is no valid entry to export. Complete the stage forms in the app first."},
    "cannot_write": {"id": "Tidak dapat menulis berkas '{path}': {reason}.",
                     "en": "Cannot write the file '{path}': {reason}."},
    "exported": {"id": "{releases} rilis dari {processes} paket ditulis ke {path}.",
                 "en": "{releases} releases of {processes} processes written to {path}."},
    "skipped": {"id": "{count} entri dilewati karena belum valid (perbaiki di aplikasi lalu ekspor ulang):",
                "en": "{count} entries left out because they are not valid yet (fix them in the app, then "
                      "export again):"},
    "skipped_one": {"id": "  - {ocid} tahap {stage}: {count} masalah", "en": "  - {ocid} stage {stage}: {count} problems"},
    "unreadable": {"id": "Berkas '{path}' tidak dapat dibaca: {reason}.", "en": "The file '{path}' cannot be read: {reason}."},
    "not_utf8": {"id": "Berkas '{path}' bukan teks UTF-8, jadi bukan JSON OCDS.",
                 "en": "The file '{path}' is not UTF-8 text, so it is not OCDS JSON."},
    "not_json": {"id": "Berkas '{path}' bukan JSON yang sah (baris {line}, kolom {column}: {reason}).",
                 "en": "The file '{path}' is not valid JSON (line {line}, column {column}: {reason})."},
    "problems_found": {"id": "{path}: {count} masalah ditemukan:", "en": "{path}: {count} problems found:"},
    "valid": {"id": "{path}: valid (OCDS 1.1.5).", "en": "{path}: valid (OCDS 1.1.5)."},
    "processes": {"id": "Paket: {count}", "en": "Processes: {count}"},
    "attachments": {"id": "Lampiran: {count} ({bytes} byte)", "en": "Attachments: {count} ({bytes} bytes)"},
    "returned": {"id": "Dikembalikan: {ocid} ({stage})", "en": "Returned: {ocid} ({stage})"},
    "integrity": {"id": "Integritas: {value}", "en": "Integrity: {value}"},
    "audit_ok": {"id": "Rantai audit: utuh", "en": "Audit chain: intact"},
    "audit_bad": {"id": "Rantai audit: {message}", "en": "Audit chain: {message}"},
    "data_dir_unusable": {"id": "Folder data '{path}' tidak dapat dipakai: {reason}. Pilih folder lain dengan "
                                "--data-dir.",
                          "en": "The data folder '{path}' cannot be used: {reason}. Choose another folder with "
                                "--data-dir."},
    "cancelled": {"id": "dibatalkan.", "en": "cancelled."},
    "unexpected": {"id": "terjadi kesalahan tak terduga ({error}). Data lokal tidak diubah oleh kesalahan ini.",
                   "en": "an unexpected error occurred ({error}). The local data was not changed by it."},
    "see_log": {"id": " Detail ada di log: {path}.", "en": " Details are in the log: {path}."},
    "export_refused": {"id": "Ekspor dibatalkan: {count} masalah profil Bojonegoro pada rilis yang dibuat (pertama: "
                             "{path}: {message}). Tidak ada berkas yang ditulis.",
                       "en": "Export cancelled: {count} Bojonegoro profile problems in the built releases (first: "
                             "{path}: {message}). No file was written."},
    "v_header": {"id": "{path}: {releases} rilis, {records} record, {documents} dokumen.",
                 "en": "{path}: {releases} releases, {records} records, {documents} documents."},
    "v_counts": {"id": "Tingkat error: {error} · profile: {profile} · flag: {flag}",
                 "en": "Level error: {error} · profile: {profile} · flag: {flag}"},
    "v_valid": {"id": "Valid: tidak ada error{profile}.", "en": "Valid: no errors{profile}."},
    "v_valid_profile": {"id": " dan tidak ada masalah profil", "en": " and no profile problems"},
    "v_invalid": {"id": "Tidak valid.", "en": "Not valid."},
    "v_summary": {"id": "Ringkasan per tingkat dan kode:", "en": "Summary by level and code:"},
    "v_details": {"id": "Rincian ({shown} dari {total}; --max-problems N untuk lebih, --json untuk semua):",
                  "en": "Details ({shown} of {total}; --max-problems N for more, --json for all):"},
    "v_details_all": {"id": "Rincian:", "en": "Details:"},
    "v_notices": {"id": "Catatan:", "en": "Notes:"},
    "v_problem_one": {"id": "1 masalah", "en": "1 problem"},
    "v_problem_many": {"id": "{count} masalah", "en": "{count} problems"},
    "v_bad_max": {"id": "--max-problems harus 0 atau lebih.", "en": "--max-problems must be 0 or more."},
}


#: Numbers that are positions, not counts: shown without thousands separators.
_POSITIONS = frozenset({"line", "column"})


def say(key: str, lang: str = "id", **values: Any) -> str:
    """The message ``key`` in ``lang`` (Indonesian when the language is unknown), filled with ``values``;
    counts get the language's thousands separators ("100.000 paket")."""
    shown = {name: rupiah(value, lang) if isinstance(value, int) and not isinstance(value, bool)
             and name not in _POSITIONS else value for name, value in values.items()}
    return text_in(MESSAGES[key], lang).format(**shown)
