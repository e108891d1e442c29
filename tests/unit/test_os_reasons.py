"""Why the operating system refused, in the operator's language: one table for the CLI and the app."""

from __future__ import annotations

import errno

from odc_desktop.os_reasons import os_reason


def test_known_reasons_in_both_languages_and_the_systems_own_text_otherwise(tmp_path):
    try:
        (tmp_path / "tidak-ada" / "x").read_text()
    except OSError as exc:
        assert os_reason(exc) == "berkas atau folder tidak ada"
        assert os_reason(exc, "en") == "no such file or folder"
    not_a_folder = PermissionError(errno.ENOTDIR, "Not a directory")
    assert os_reason(not_a_folder, "id") == "bagian dari jalurnya adalah berkas, bukan folder"
    assert os_reason(not_a_folder, "xx") == "bagian dari jalurnya adalah berkas, bukan folder"  # unknown → id
    assert os_reason(OSError(errno.ELOOP, "Too many levels of symbolic links")) == "Too many levels of symbolic links"
    assert os_reason(RuntimeError("bukan OSError")) == "bukan OSError"
