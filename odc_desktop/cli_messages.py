"""What the ``odc`` command line says, in Bahasa Indonesia (default) and English (``--lang en``).

Two tables: :data:`MESSAGES` (our sentences, by key) and :data:`ARGPARSE_ID` (argparse's own texts, by
their English msgid, for :func:`argparse_gettext`). Why the operating system refused a file is told by
:mod:`odc_desktop.os_reasons`, shared with the app.
"""

from __future__ import annotations

from typing import Any

from odc_desktop.domain.forms.definition import text_in
from odc_desktop.domain.ocds.messages import rupiah

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
    "store_damaged": {"id": "Basis data lokal di '{path}' rusak, jadi tidak dipakai agar data tidak berubah diam-diam. "
                            "Pulihkan dari cadangan: odc restore FOLDER-CADANGAN --data-dir {path} (rincian: odc "
                            "doctor).",
                      "en": "The local database in '{path}' is damaged, so it was not used, to keep the data from "
                            "changing silently. Restore it from a backup: odc restore BACKUP-FOLDER --data-dir {path} "
                            "(details: odc doctor)."},
    "store_empty": {"id": "Basis data lokal di '{path}' kosong (0 byte) padahal folder files/ masih berisi lampiran: "
                          "datanya hilang, jadi tidak dibuat penyimpanan baru di atasnya. Pulihkan dari cadangan: "
                          "odc restore FOLDER-CADANGAN --data-dir {path}.",
                    "en": "The local database in '{path}' is empty (0 bytes) while files/ still holds attachments: "
                          "its data is lost, so no new store is made over it. Restore it from a backup: odc restore "
                          "BACKUP-FOLDER --data-dir {path}."},
    "store_restore_unfinished": {"id": "Pemulihan dari cadangan di '{path}' sebelumnya tidak selesai. Jalankan lagi: "
                                       "odc restore FOLDER-CADANGAN --data-dir {path}.",
                                 "en": "An earlier restore from a backup into '{path}' did not finish. Run it again: "
                                       "odc restore BACKUP-FOLDER --data-dir {path}."},
    "store_locked": {"id": "Data lokal di '{path}' sedang dipakai program lain (mis. ODC Desktop). Tunggu sebentar "
                           "atau tutup program itu, lalu coba lagi.",
                     "en": "The local data in '{path}' is in use by another program (e.g. ODC Desktop). Wait a "
                           "moment or close that program, then try again."},
    "store_app_open": {"id": "ODC Desktop sedang terbuka untuk folder data '{path}'. Tutup aplikasinya dulu, lalu "
                             "jalankan perintah ini lagi.",
                       "en": "ODC Desktop is open on the data folder '{path}'. Close the app first, then run this "
                             "command again."},
    "store_busy": {"id": "Perintah '{program}' (proses {pid}) sedang menulis ke folder data '{path}'. Tunggu sampai "
                         "selesai, lalu jalankan perintah ini lagi.",
                   "en": "The command '{program}' (process {pid}) is writing to the data folder '{path}'. Wait until "
                         "it finishes, then run this command again."},
    "store_full": {"id": "Data lokal di '{path}' tidak dapat ditulis: penyimpanan penuh atau gagal ditulis. Kosongkan "
                         "ruang disk, lalu coba lagi; data yang sudah tersimpan tetap aman.",
                   "en": "The local data in '{path}' cannot be written: the disk is full or failing. Free some "
                         "space, then try again; the data already saved is safe."},
    "store_readonly": {"id": "Data lokal di '{path}' tidak dapat dibuka untuk ditulis (folder hanya-baca atau tanpa "
                             "izin). Periksa izin folder itu atau pilih folder lain dengan --data-dir.",
                       "en": "The local data in '{path}' cannot be opened for writing (a read-only folder or no "
                             "permission). Check that folder's permissions or choose another with --data-dir."},
    "store_refused": {"id": "Data lokal di '{path}' tidak dapat dipakai: {reason}",
                      "en": "The local data in '{path}' cannot be used: {reason}"},
    "out_empty": {"id": "--out memerlukan nama berkas, mis. --out rilis.json.",
                  "en": "--out needs a file name, e.g. --out releases.json."},
    "out_is_dir": {"id": "'{path}' adalah folder; --out memerlukan nama berkas, mis. --out {example}.",
                   "en": "'{path}' is a folder; --out needs a file name, e.g. --out {example}."},
    "export_invalid": {"id": "Ekspor dibatalkan: {count} masalah validasi OCDS pada rilis yang dibuat; tidak ada "
                             "berkas yang ditulis. Masalah pertama:",
                       "en": "Export stopped: {count} OCDS validation problems in the releases made; no file was "
                             "written. First problems:"},
    "returned_more": {"id": "  … dan {count} lainnya (tampilkan semua dengan --all)",
                      "en": "  … and {count} more (show all with --all)"},
    "backup_done": {"id": "Cadangan dibuat di {path}: {processes} paket, {attachments} lampiran.",
                    "en": "Backup made in {path}: {processes} processes, {attachments} attachments."},
    "restore_done": {"id": "Data dipulihkan dari {path}: {processes} paket, {attachments} lampiran.",
                     "en": "Data restored from {path}: {processes} processes, {attachments} attachments."},
    "restore_kept": {"id": "Data sebelumnya disimpan di {path} (hapus bila tidak diperlukan).",
                     "en": "The previous data was kept in {path} (delete it when no longer needed)."},
    "help_description": {"id": "ODC Desktop — baris perintah (data kontrak terbuka Kabupaten Bojonegoro, OCDS 1.1.5)",
                         "en": "ODC Desktop — command line (open contracting data of Kabupaten Bojonegoro, "
                               "OCDS 1.1.5)"},
    "help_epilog": {"id": "Kode keluar: 0 selesai, 1 ada masalah, 2 salah pemakaian, 3 data atau folder "
                          "ditolak, 4 kesalahan tak terduga.",
                    "en": "Exit codes: 0 done, 1 problems found, 2 wrong usage, 3 store or folder refused, "
                          "4 unexpected error."},
    "help_data_dir": {"id": "folder data lokal (bawaan: folder data pengguna)",
                      "en": "local data folder (default: the user data folder)"},
    "help_lang": {"id": "bahasa pesan (id|en)", "en": "language of messages (id|en)"},
    "help_version": {"id": "tampilkan nomor versi program lalu keluar", "en": "show the program's version and exit"},
    "help_command": {"id": "PERINTAH", "en": "COMMAND"},
    "help_forms": {"id": "formulir tahap", "en": "stage forms"},
    "help_forms_list": {"id": "daftar formulir", "en": "list the forms"},
    "help_json": {"id": "keluaran JSON", "en": "JSON output"},
    "help_demo": {"id": "buat data contoh untuk demo dan benchmark", "en": "make sample data for demos and benchmarks"},
    "help_export": {"id": "ekspor paket rilis OCDS dari semua entri yang valid",
                    "en": "export an OCDS release package of every valid entry"},
    "help_out": {"id": "berkas keluaran (.json)", "en": "output file (.json)"},
    "help_validate": {"id": "periksa berkas OCDS siapa pun: error (skema resmi), profile, flag",
                      "en": "check anyone's OCDS file: error (official schema), profile, flag"},
    "help_profile": {"id": "periksa juga profil publikasi Bojonegoro", "en": "also check the Bojonegoro publication profile"},
    "help_max_problems": {"id": "rincian masalah yang dicetak (bawaan 200)",
                          "en": "how many problems are printed in detail (default 200)"},
    "help_status": {"id": "ringkasan status entri dan lampiran", "en": "summary of entry statuses and attachments"},
    "help_all": {"id": "tampilkan semua entri yang dikembalikan", "en": "show every returned entry"},
    "help_doctor": {"id": "periksa keutuhan penyimpanan lokal", "en": "check the local store's integrity"},
    "help_backup": {"id": "cadangkan data lokal ke folder baru", "en": "back up the local data into a new folder"},
    "help_restore": {"id": "pulihkan data lokal dari folder cadangan", "en": "restore the local data from a backup folder"},
    "help_folder": {"id": "folder cadangan", "en": "backup folder"},
}

#: argparse's own texts in Indonesian, by their English msgid (Python 3.11).
ARGPARSE_ID: dict[str, str] = {
    "usage: ": "pemakaian: ",
    "positional arguments": "argumen posisi",
    "options": "opsi",
    "show this help message and exit": "tampilkan pesan bantuan ini lalu keluar",
    "show program's version number and exit": "tampilkan nomor versi program lalu keluar",
    "%(prog)s: error: %(message)s\n": "%(prog)s: kesalahan: %(message)s\n",
    "unrecognized arguments: %s": "argumen tidak dikenal: %s",
    "the following arguments are required: %s": "argumen berikut wajib diisi: %s",
    "argument %(argument_name)s: %(message)s": "argumen %(argument_name)s: %(message)s",
    "invalid choice: %(value)r (choose from %(choices)s)": "pilihan tidak sah: %(value)r (pilih dari %(choices)s)",
    "invalid %(type)s value: %(value)r": "nilai %(type)s tidak sah: %(value)r",
    "expected one argument": "memerlukan satu nilai",
    "expected at most one argument": "memerlukan paling banyak satu nilai",
    "expected at least one argument": "memerlukan paling sedikit satu nilai",
    "expected %s argument": "memerlukan %s nilai",
    "expected %s arguments": "memerlukan %s nilai",
    "ambiguous option: %(option)s could match %(matches)s": "opsi ambigu: %(option)s bisa berarti %(matches)s",
    "not allowed with argument %s": "tidak boleh bersama argumen %s",
    "one of the arguments %s is required": "salah satu argumen %s wajib diisi",
    "ignored explicit argument %r": "argumen eksplisit %r diabaikan",
    "unknown parser %(parser_name)r (choices: %(choices)s)": "perintah tidak dikenal %(parser_name)r (pilihan: %(choices)s)",
    "can't open '%(filename)s': %(error)s": "tidak dapat membuka '%(filename)s': %(error)s",
    "subcommands": "subperintah",
}


def say(key: str, lang: str = "id", **values: Any) -> str:
    """The message ``key`` in ``lang`` (Indonesian when the language is unknown), filled with ``values``;
    counts get the language's thousands separators ("100.000 paket")."""
    shown = {name: rupiah(value, lang) if isinstance(value, int) and not isinstance(value, bool) else value
             for name, value in values.items()}
    return text_in(MESSAGES[key], lang).format(**shown)



def argparse_gettext(lang: str):
    """(gettext, ngettext) for argparse in ``lang``: Indonesian from :data:`ARGPARSE_ID`, else English."""
    def gettext(message: str) -> str:
        return ARGPARSE_ID.get(message, message) if lang != "en" else message

    def ngettext(singular: str, plural: str, n: int) -> str:
        return gettext(singular if n == 1 else plural)

    return gettext, ngettext
