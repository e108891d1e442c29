"""Backups of the local store, and restoring one: ``odc backup DIR``, ``odc restore DIR``, the daily backup.

A backup is a folder holding a copy of the database made with SQLite's online backup API (consistent
even while the app writes), the attachment files it refers to, ``settings.json``, the form versions
stored in the data folder (``forms/``; a restore only adds the missing ones), and last of all
``odc-backup.json`` (what is inside, with the database's SHA-256): a folder without it is incomplete.
Both sides are checked: a backup is verified before it is named, and again before it is restored.

A restore never leaves a half-restored store: the backup is copied and checked in a folder inside
the data dir, then swapped in with renames while :data:`~odc_desktop.storage.health.RESTORE_MARKER`
says a swap is under way (a store with that marker refuses to open). The replaced store is kept in
``replaced-<time>/`` beside it, so nothing is lost.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import json
import os
import shutil
import sqlite3
import tempfile
from pathlib import Path

from odc_desktop.storage.db import DB_FILENAME, LATEST_VERSION
from odc_desktop.storage.health import RESTORE_MARKER, connect_read_only, database_problems
from odc_desktop.storage.repository import StorageError

MANIFEST = "odc-backup.json"
SETTINGS_FILE = "settings.json"
#: The form versions stored in the data folder (odc_desktop.form_registry): named by their content hash,
#: so a backup carries them and a restore adds the missing ones, never replacing or removing any.
FORMS_FOLDER = "forms"
AUTO_PREFIX = "odc-backup-"
_STORE_PARTS = (DB_FILENAME, DB_FILENAME + "-wal", DB_FILENAME + "-shm", DB_FILENAME + ".clean", "files",
                SETTINGS_FILE)


class BackupRefused(StorageError):
    """A backup or restore refused; ``key`` names its message in the catalogue's area ``backup``,
    ``values`` fill it."""

    def __init__(self, key: str, **values: object):
        super().__init__(f"backup.{key}", **values)
        self.key, self.values = key, values

    def in_language(self, lang: str) -> str:
        """The message in ``lang`` (Indonesian unless "en")."""
        return self.message(lang)


@dataclasses.dataclass
class BackupInfo:
    """What a backup holds (the contents of its manifest)."""

    path: Path
    created_at: str
    processes: int
    attachments: int


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _referenced(db: Path) -> tuple[int, list[str]]:
    """(number of processes, attachment hashes) of the database file ``db``."""
    conn = connect_read_only(db)
    try:
        processes = conn.execute("SELECT count(*) FROM processes").fetchone()[0]
        return processes, [row[0] for row in conn.execute("SELECT DISTINCT sha256 FROM attachments")]
    finally:
        conn.close()


def _check_copy(folder: Path, expected_db_sha: str | None = None) -> tuple[int, list[str]]:
    """Raise StorageError unless ``folder`` holds a sound database and every attachment it refers to."""
    db = folder / DB_FILENAME
    if not db.is_file():
        raise BackupRefused("no_database", folder=folder)
    if expected_db_sha and _sha256(db) != expected_db_sha:
        raise BackupRefused("changed", folder=folder)
    conn = connect_read_only(db)
    try:
        problems = database_problems(conn, full=True)
        version = int(conn.execute("PRAGMA user_version").fetchone()[0]) if not problems else 0
    except sqlite3.Error as exc:
        problems = [str(exc)]
    finally:
        conn.close()
    if problems:
        raise BackupRefused("damaged", folder=folder, problem=problems[0])
    if version > LATEST_VERSION:
        raise BackupRefused("newer", folder=folder)
    processes, shas = _referenced(db)
    bad = [s for s in shas if not (folder / "files" / s[:2] / s).is_file()
           or _sha256(folder / "files" / s[:2] / s) != s]
    if bad:
        raise BackupRefused("files_bad", folder=folder, count=len(bad))
    return processes, shas


def make_backup(data_dir: Path, dest: Path) -> BackupInfo:
    """Back up the store in ``data_dir`` into the new folder ``dest`` (which must not hold anything)."""
    dest = Path(dest)
    if dest.exists() and (not dest.is_dir() or any(dest.iterdir())):
        raise BackupRefused("not_empty", folder=dest)
    dest.parent.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix=f".{dest.name}.partial-", dir=dest.parent))
    try:
        source = connect_read_only(Path(data_dir) / DB_FILENAME)
        target = sqlite3.connect(work / DB_FILENAME)
        try:
            source.backup(target)
        finally:
            target.close()
            source.close()
        _, shas = _referenced(work / DB_FILENAME)
        for sha in shas:
            (work / "files" / sha[:2]).mkdir(parents=True, exist_ok=True)
            shutil.copy2(Path(data_dir) / "files" / sha[:2] / sha, work / "files" / sha[:2] / sha)
        if (Path(data_dir) / SETTINGS_FILE).is_file():
            shutil.copy2(Path(data_dir) / SETTINGS_FILE, work / SETTINGS_FILE)
        _add_missing_forms(Path(data_dir) / FORMS_FOLDER, work / FORMS_FOLDER)
        processes, shas = _check_copy(work)
        created = dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")
        manifest = {"format": 1, "created_at": created, "processes": processes, "attachments": len(shas),
                    "db_sha256": _sha256(work / DB_FILENAME)}
        (work / MANIFEST).write_text(json.dumps(manifest, indent=1), encoding="utf-8")
        if dest.exists():
            dest.rmdir()
        os.replace(work, dest)
    except FileNotFoundError as exc:
        raise BackupRefused("attachment_missing", name=Path(exc.filename).name[:12]) from exc
    except sqlite3.Error as exc:
        raise BackupRefused("cannot_copy", problem=exc) from exc
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return BackupInfo(dest, created, processes, len(shas))


def read_backup(folder: Path) -> BackupInfo:
    """Check the backup in ``folder`` completely; StorageError (saying why) when it cannot be restored."""
    folder = Path(folder)
    try:
        manifest = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
        expected = manifest["db_sha256"]
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise BackupRefused("not_a_backup", folder=folder) from exc
    processes, shas = _check_copy(folder, expected)
    return BackupInfo(folder, str(manifest.get("created_at", "")), processes, len(shas))


def restore_backup(folder: Path, data_dir: Path) -> tuple[BackupInfo, Path | None]:
    """Replace the store in ``data_dir`` with the backup in ``folder``; return the backup and where the
    replaced store was kept (None when there was none). The caller holds the folder's one-writer lock
    (:class:`~odc_desktop.storage.folder_lock.FolderLock`): no app or other command is writing there."""
    data_dir = Path(data_dir)
    info = read_backup(folder)
    data_dir.mkdir(parents=True, exist_ok=True)
    staged = Path(tempfile.mkdtemp(prefix=".restore-", dir=data_dir))
    try:
        shutil.copy2(Path(folder) / DB_FILENAME, staged / DB_FILENAME)
        if (Path(folder) / "files").is_dir():
            shutil.copytree(Path(folder) / "files", staged / "files")
        else:  # a store without attachments
            (staged / "files").mkdir()
        if (Path(folder) / SETTINGS_FILE).is_file():
            shutil.copy2(Path(folder) / SETTINGS_FILE, staged / SETTINGS_FILE)
        _check_copy(staged)
        (data_dir / RESTORE_MARKER).write_text(str(folder), encoding="utf-8")
        kept = data_dir / f"replaced-{dt.datetime.now():%Y%m%d-%H%M%S}"
        present = [name for name in _STORE_PARTS if (data_dir / name).exists()]
        if present:
            kept.mkdir()
        for name in present:
            os.replace(data_dir / name, kept / name)
        for name in (DB_FILENAME, "files", SETTINGS_FILE):  # not the -wal/-shm the check left
            if (staged / name).exists():
                os.replace(staged / name, data_dir / name)
        (data_dir / RESTORE_MARKER).unlink()
        _add_missing_forms(Path(folder) / FORMS_FOLDER, data_dir / FORMS_FOLDER)
    finally:
        shutil.rmtree(staged, ignore_errors=True)
    return info, kept if present else None


def _add_missing_forms(source: Path, target: Path) -> None:
    """Copy the stored form files (``<id>/*.yaml``, ``<id>/codelists/*.yaml``) of ``source`` that ``target``
    lacks; each arrives whole (a temporary name, then a rename). Temporary files are not copied."""
    if not source.is_dir():
        return
    for path in sorted(source.rglob("*.yaml")):
        relative = path.relative_to(source)
        if path.name.startswith(".") or (target / relative).exists():
            continue
        (target / relative).parent.mkdir(parents=True, exist_ok=True)
        partial = (target / relative).with_name(f".{path.name}.partial")
        shutil.copy2(path, partial)
        os.replace(partial, target / relative)


def backup_due(folder: Path, now: dt.datetime | None = None) -> bool:
    """True when ``folder`` holds no complete automatic backup made in the last 24 hours."""
    now = now or dt.datetime.now()
    newest = max((p.stat().st_mtime for p in _auto_backups(folder)), default=None)
    return newest is None or now.timestamp() - newest >= 24 * 3600


def _auto_backups(folder: Path) -> list[Path]:
    """Complete automatic backups in ``folder``, oldest first."""
    if not Path(folder).is_dir():
        return []
    found = [p for p in Path(folder).iterdir() if p.name.startswith(AUTO_PREFIX) and (p / MANIFEST).is_file()]
    return sorted(found, key=lambda p: p.name)


def auto_backup(data_dir: Path, folder: Path, keep: int) -> BackupInfo:
    """Make a dated backup in ``folder`` and delete the oldest automatic ones beyond ``keep`` (and what
    an interrupted one left: a backup becomes complete only when renamed at its end)."""
    if Path(folder).is_dir():
        for partial in Path(folder).glob(f".{AUTO_PREFIX}*.partial-*"):
            shutil.rmtree(partial, ignore_errors=True)
    info = make_backup(data_dir, Path(folder) / f"{AUTO_PREFIX}{dt.datetime.now():%Y%m%d-%H%M%S}")
    for old in _auto_backups(folder)[:-keep] if keep > 0 else []:
        shutil.rmtree(old, ignore_errors=True)
    return info
