"""What the ``odc`` command line says, in Bahasa Indonesia (default) and English (``--lang en``).

Our sentences are the area ``cli`` of the message catalogue (:mod:`odc_desktop.messages`, keys as
``say`` takes them); :data:`ARGPARSE_ID` holds argparse's own texts, by their English msgid, for
:func:`argparse_gettext`. Why the operating system refused a file is told by
:mod:`odc_desktop.os_reasons`, shared with the app.
"""

from __future__ import annotations

from typing import Any

from odc_desktop.domain.ocds.messages import rupiah
from odc_desktop.messages import text

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
    return text(f"cli.{key}", lang, **shown)


def argparse_gettext(lang: str):
    """(gettext, ngettext) for argparse in ``lang``: Indonesian from :data:`ARGPARSE_ID`, else English."""
    def gettext(message: str) -> str:
        return ARGPARSE_ID.get(message, message) if lang != "en" else message

    def ngettext(singular: str, plural: str, n: int) -> str:
        return gettext(singular if n == 1 else plural)

    return gettext, ngettext
