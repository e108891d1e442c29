"""Error and problem codes of the protocol with their texts in Bahasa Indonesia and English.

One catalogue for both sides: the server puts ``code`` plus both texts in its answers; a client may
show its own rendering of the code instead. HTTP status per request-level code is in :data:`HTTP_STATUS`.
"""

from __future__ import annotations

from typing import Any

MESSAGES: dict[str, dict[str, str]] = {
    # Request-level errors.
    "bad_request": {"id": "Permintaan tidak dapat dibaca: {detail}.", "en": "The request cannot be read: {detail}."},
    "body_too_large": {"id": "Isi permintaan terlalu besar.", "en": "The request body is too large."},
    "unsupported_protocol": {"id": "Versi protokol {got} tidak didukung server (server: {want}). Perbarui aplikasi.",
                             "en": "Protocol version {got} is not supported (server: {want}). Update the app."},
    "bad_credentials": {"id": "Nama pengguna atau kata sandi salah.", "en": "Wrong username or password."},
    "too_many_attempts": {"id": "Terlalu banyak percobaan masuk yang gagal. Coba lagi dalam {seconds} detik.",
                          "en": "Too many failed sign-in attempts. Try again in {seconds} seconds."},
    "token_missing": {"id": "Silakan masuk terlebih dahulu.", "en": "Please sign in first."},
    "token_invalid": {"id": "Sesi tidak sah atau sudah berakhir. Silakan masuk lagi.",
                      "en": "The session is invalid or has expired. Please sign in again."},
    "forbidden_role": {"id": "Peran Anda tidak diizinkan melakukan ini.", "en": "Your role is not allowed to do this."},
    "forbidden_opd": {"id": "Data ini milik OPD lain.", "en": "This data belongs to another agency (OPD)."},
    "unknown_device": {"id": "Perangkat ini belum terdaftar untuk akun Anda. Masuk lagi untuk mendaftarkannya.",
                       "en": "This device is not registered to your account. Sign in again to register it."},
    "device_taken": {"id": "Kode perangkat ini sudah dipakai dengan kunci lain.",
                     "en": "This device id is already registered with another key."},
    "bad_public_key": {"id": "Kunci publik perangkat tidak sah.", "en": "The device's public key is not valid."},
    "unknown_opd": {"id": "OPD {opd} tidak dikenal.", "en": "Unknown agency (OPD) {opd}."},
    "user_exists": {"id": "Pengguna {username} sudah ada.", "en": "User {username} already exists."},
    "not_found": {"id": "Tidak ditemukan.", "en": "Not found."},
    "busy": {"id": "Server sedang sibuk. Coba lagi sebentar lagi.", "en": "The server is busy. Try again shortly."},
    # tus uploads.
    "tus_version": {"id": "Versi tus tidak didukung (harus 1.0.0).", "en": "Unsupported tus version (must be 1.0.0)."},
    "upload_offset_mismatch": {"id": "Posisi unggahan tidak cocok; server berada di bita {offset}.",
                               "en": "The upload offset does not match; the server is at byte {offset}."},
    "checksum_mismatch": {"id": "Checksum potongan berkas tidak cocok; potongan ini tidak disimpan.",
                          "en": "The chunk's checksum does not match; the chunk was not stored."},
    "checksum_algorithm": {"id": "Algoritme checksum tidak didukung.", "en": "Unsupported checksum algorithm."},
    "file_hash_mismatch": {"id": "Isi berkas tidak cocok dengan SHA-256 yang disebutkan; unggah ulang.",
                           "en": "The file's content does not match its declared SHA-256; upload it again."},
    "upload_too_large": {"id": "Potongan melewati panjang berkas.", "en": "The chunk goes past the file's length."},
    # Per-item problems of a push.
    "payload_not_object": {"id": "Isian harus berupa objek.", "en": "It must be an object."},
    "unknown_key": {"id": "Kunci tidak dikenal.", "en": "Unknown key."},
    "missing": {"id": "Wajib ada.", "en": "Required."},
    "bad_text": {"id": "Harus berupa teks yang tidak kosong.", "en": "Must be non-empty text."},
    "bad_revision": {"id": "Nomor revisi tidak sah.", "en": "Invalid revision number."},
    "bad_form": {"id": "Formulir tidak sah (id, versi, hash).", "en": "Invalid form (id, version, hash)."},
    "unknown_form": {"id": "Formulir {form} tidak dikenal server.", "en": "The server does not know form {form}."},
    "bad_attachment": {"id": "Keterangan lampiran tidak sah.", "en": "Invalid attachment description."},
    "attachment_missing": {"id": "Lampiran {sha256} belum diunggah.", "en": "Attachment {sha256} has not been uploaded."},
    "bad_signature": {"id": "Tanda tangan entri tidak sah: isi entri berubah atau kunci perangkat salah.",
                      "en": "The entry's signature is invalid: the content changed or the device key is wrong."},
    "stale_base": {"id": "Entri ini sudah diubah di server (revisi {server_revision}); gabungkan perubahan.",
                   "en": "This entry was changed on the server (revision {server_revision}); merge the changes."},
    "revision_taken": {"id": "Revisi {revision} sudah ada di server dengan isi lain.",
                       "en": "Revision {revision} already exists on the server with other content."},
    "entry_moved": {"id": "Entri ini sudah tercatat untuk OPD atau paket lain.",
                    "en": "This entry is already recorded for another agency or process."},
}

HTTP_STATUS: dict[str, int] = {
    "bad_request": 400, "body_too_large": 413, "unsupported_protocol": 400, "bad_credentials": 401,
    "too_many_attempts": 429, "token_missing": 401, "token_invalid": 401, "forbidden_role": 403,
    "forbidden_opd": 403, "unknown_device": 403, "device_taken": 409, "bad_public_key": 400,
    "unknown_opd": 400, "user_exists": 409, "not_found": 404, "busy": 503, "tus_version": 412,
    "upload_offset_mismatch": 409, "checksum_mismatch": 460, "checksum_algorithm": 400,
    "file_hash_mismatch": 460, "upload_too_large": 413,
}


def message(code: str, lang: str = "id", **values: Any) -> str:
    """The text of ``code`` in ``lang`` ("id" or "en"), with ``values`` filled in."""
    texts = MESSAGES.get(code, {"id": code, "en": code})
    return texts["en" if lang == "en" else "id"].format(**values)


def problem(field: str, code: str, **values: Any) -> dict[str, str]:
    """One per-item problem as it travels: field, code and both texts."""
    return {"field": field, "code": code, "message": message(code, "id", **values),
            "message_en": message(code, "en", **values)}


def error_body(code: str, **values: Any) -> dict[str, Any]:
    """The body of a request-level error answer."""
    return {"error": {"code": code, "message": message(code, "id", **values),
                      "message_en": message(code, "en", **values)}}
