"""Where stored forms live in the data folder, and how a file gets there whole.

Layout: ``<data folder>/forms/<form id>/<version>-<sha256 of the bytes>.yaml``; a form folder may hold
``codelists/<name>.yaml`` that replace the shipped codelist of that name for every stored version of
that form (the rule is in docs/architecture.md, "Form registry"). Anything else in these folders
(temporary files of an interrupted write, notes) is left alone and never read as a form.
"""

from __future__ import annotations

import contextlib
import dataclasses
import logging
import os
import re
import tempfile
from pathlib import Path

log = logging.getLogger(__name__)

_STORED_NAME = re.compile(r"^(?P<version>[1-9][0-9]{0,8})-(?P<hash>[0-9a-f]{64})\.yaml$")
_FORM_ID = re.compile(r"^[a-z][a-z0-9_]*$")


@dataclasses.dataclass(frozen=True)
class StoredFile:
    """One stored form file, known by its name only until it is needed."""

    form_id: str
    version: int
    form_hash: str
    path: Path

    @property
    def key(self) -> tuple[str, int, str]:
        return self.form_id, self.version, self.form_hash


def stored_path(folder: Path, form_id: str, version: int, form_hash: str) -> Path:
    """Where the form ``(form_id, version, form_hash)`` is stored under ``folder``."""
    return folder / form_id / f"{version}-{form_hash}.yaml"


def scan(folder: Path | None) -> dict[tuple[str, int, str], StoredFile]:
    """Every stored form file under ``folder`` by ``(id, version, hash)``, from the file names alone
    (two directory listings per form: cheap enough for every start)."""
    found: dict[tuple[str, int, str], StoredFile] = {}
    if folder is None:
        return found
    try:
        form_dirs = [d for d in folder.iterdir() if d.is_dir() and _FORM_ID.match(d.name)]
    except FileNotFoundError:
        return found
    except OSError as exc:
        log.warning("stored forms in %s cannot be listed (only the shipped forms are used): %s", folder, exc)
        return found
    for form_dir in form_dirs:
        try:
            names = [p.name for p in form_dir.iterdir()]
        except OSError as exc:
            log.warning("stored forms in %s cannot be listed: %s", form_dir, exc)
            continue
        for name in names:
            match = _STORED_NAME.match(name)
            if match:
                stored = StoredFile(form_dir.name, int(match["version"]), match["hash"], form_dir / name)
                found[stored.key] = stored
    return found


def write_atomically(path: Path, raw: bytes) -> None:
    """Write ``raw`` to ``path`` whole or not at all (a temporary file beside it, flushed to disk, then
    renamed over); OSError when the folder cannot be written."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(raw)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):  # the error being raised is the one that matters
            os.unlink(tmp)
        raise
    _sync_folder(path.parent)


def _sync_folder(folder: Path) -> None:
    """Make the rename durable where the platform allows it (not on Windows: no folder handles)."""
    if os.name == "nt":
        return
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError as exc:
        log.info("cannot open %s to flush its entries: %s", folder, exc)
        return
    try:
        os.fsync(fd)
    except OSError as exc:
        log.info("cannot flush the entries of %s: %s", folder, exc)
    finally:
        os.close(fd)
