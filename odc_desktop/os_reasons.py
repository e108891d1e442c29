"""Why the operating system refused a file or folder, in Bahasa Indonesia or English (the C library
says it in English only). One table for the command line and the app's start-up dialogs."""

from __future__ import annotations

import errno

#: errno → the reason in both languages.
OS_REASONS: dict[int, dict[str, str]] = {
    errno.ENOENT: {"id": "berkas atau folder tidak ada", "en": "no such file or folder"},
    errno.EACCES: {"id": "akses ditolak (izin folder atau berkas)", "en": "access denied (folder or file permissions)"},
    errno.EPERM: {"id": "akses ditolak (izin folder atau berkas)", "en": "access denied (folder or file permissions)"},
    errno.EROFS: {"id": "disk atau folder hanya dapat dibaca", "en": "the disk or folder is read-only"},
    errno.ENOSPC: {"id": "disk penuh", "en": "the disk is full"},
    errno.EISDIR: {"id": "yang seharusnya berkas ternyata sebuah folder", "en": "what should be a file is a folder"},
    errno.ENOTDIR: {"id": "bagian dari jalurnya adalah berkas, bukan folder", "en": "part of its path is a file, not a folder"},
    errno.EEXIST: {"id": "sudah ada", "en": "it already exists"},
    errno.EBUSY: {"id": "sedang dipakai", "en": "it is busy"},
    errno.ENAMETOOLONG: {"id": "nama jalurnya terlalu panjang", "en": "the path name is too long"},
    errno.EIO: {"id": "kesalahan baca/tulis perangkat", "en": "input/output error of the device"},
    errno.EDQUOT: {"id": "kuota disk habis", "en": "disk quota exceeded"},
    errno.ENOTEMPTY: {"id": "folder tidak kosong", "en": "the folder is not empty"},
}


def os_reason(exc: BaseException, lang: str = "id") -> str:
    """Why the operating system refused (``exc.errno``), in ``lang``; the system's own text otherwise."""
    known = OS_REASONS.get(getattr(exc, "errno", None) or 0)
    if known:
        return known["en"] if lang == "en" else known["id"]
    return str(getattr(exc, "strerror", None) or exc)
