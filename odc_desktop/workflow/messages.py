"""Texts of the workflow's refusals, by code, in Bahasa Indonesia and English.

``{name}`` placeholders are filled from :attr:`WorkflowRefused.params`. This table is to be folded
into the one message catalogue for non-Qt code; keep every workflow text here.
"""

from __future__ import annotations

MESSAGES: dict[str, dict[str, str]] = {
    "entry_locked": {
        "id": "Entri berstatus '{status}' tidak dapat diubah. Data yang sudah dikirim atau disetujui "
              "terkunci; perubahan setelah persetujuan dibuat lewat \"Buat perubahan\".",
        "en": "An entry with status '{status}' cannot be changed. Sent or approved data is locked; "
              "change an approved entry with \"Make a change\".",
    },
    "stage_busy": {
        "id": "Tahap ini sudah memiliki entri yang belum disetujui. Lanjutkan entri tersebut.",
        "en": "This stage already has an entry that is not approved yet. Continue that entry.",
    },
    "invalid_data": {
        "id": "Belum bisa ditandai siap: {count} isian perlu diperbaiki.",
        "en": "Cannot be marked ready yet: {count} field(s) need fixing.",
    },
    "missing_documents": {
        "id": "Belum bisa ditandai siap: dokumen wajib belum dilampirkan ({documents}).",
        "en": "Cannot be marked ready yet: required documents are missing ({documents}).",
    },
    "form_unknown": {
        "id": "Formulir {form_id} versi {version} yang dipakai entri ini tidak tersedia di komputer "
              "ini. Perbarui ODC Desktop atau unduh formulir terbaru.",
        "en": "Form {form_id} version {version} used by this entry is not available on this computer. "
              "Update ODC Desktop or download the latest forms.",
    },
    "not_started": {
        "id": "Tahap ini belum memiliki entri.",
        "en": "This stage has no entry yet.",
    },
    "wrong_status": {
        "id": "Entri berstatus '{status}' tidak dapat {action}.",
        "en": "An entry with status '{status}' cannot be {action}.",
    },
    "receipt_mismatch": {
        "id": "Tanda terima server bukan untuk isi entri ini (isinya sudah berubah sejak dikirim); "
              "entri tidak diubah dan akan dikirim lagi.",
        "en": "The server's receipt is not for this entry's content (it changed since it was sent); "
              "the entry is unchanged and will be sent again.",
    },
    "bad_decision": {
        "id": "Keputusan verifikator '{decision}' tidak dikenal.",
        "en": "Unknown reviewer decision '{decision}'.",
    },
    "cannot_migrate": {
        "id": "Draf formulir versi {old} tidak dapat dipindahkan ke versi {new}; draf tetap memakai "
              "versi lamanya.",
        "en": "The draft of form version {old} cannot move to version {new}; it keeps its old version.",
    },
    "import_past_ready": {
        "id": "Baris {row_key} tidak diimpor: entri tahap ini sudah berstatus '{status}' dan hanya "
              "dapat diubah lewat \"Buat perubahan\".",
        "en": "Row {row_key} was not imported: this stage's entry has status '{status}' and can only "
              "be changed with \"Make a change\".",
    },
}

#: Words filled into ``wrong_status``'s ``{action}``.
ACTIONS: dict[str, dict[str, str]] = {
    "queue": {"id": "dimasukkan ke antrean kirim", "en": "queued"},
    "unqueue": {"id": "ditarik dari antrean kirim", "en": "taken out of the queue"},
    "receipt": {"id": "diterima server", "en": "accepted by the server"},
    "decision": {"id": "diputuskan verifikator", "en": "decided by a reviewer"},
    "refusal": {"id": "ditolak server", "en": "refused by the server"},
    "change": {"id": "diubah lewat \"Buat perubahan\"", "en": "changed with \"Make a change\""},
    "ready": {"id": "ditandai siap", "en": "marked ready"},
}
