"""One writer per data folder: the app and the CLI's writing commands take the same lock (Qt-free).

The lock is an operating-system lock on ``<data_dir>/odc-desktop.lock`` (``flock`` on Linux/macOS,
``msvcrt.locking`` on Windows), held for as long as the program runs: two apps autosaving the same
entries, or ``odc demo-data``/``odc restore`` writing under an open app, would overwrite each other's
work. The operating system lets go of the lock when its holder ends, however it ends (closed, killed,
crashed), so a lock is never stale and nothing has to guess from process ids. The file also says who
holds it (program, pid, since when), so the one refused can tell the operator which program to close.

Standard library only: the app takes the lock on its start path, where ``filelock`` would cost 40 to
100 ms of imports (measured, 4.3); the few lines below do the same for one exclusive lock.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import os
from pathlib import Path
from typing import Any

from odc_desktop.storage.db import APP_LOCK_FILE
from odc_desktop.storage.repository import StorageError

if os.name == "nt":
    import msvcrt
else:
    import fcntl

#: What the app writes as its program name in the lock file.
APP_PROGRAM = "ODC Desktop"
#: Windows locks a byte range and refuses reads inside it: lock a byte far past the holder's text.
_WINDOWS_LOCK_OFFSET = 1 << 20


@dataclasses.dataclass(frozen=True)
class Holder:
    """Who holds a data folder: ``program`` ("ODC Desktop" or "odc demo-data", ...), ``pid``, ``since``."""

    program: str
    pid: int
    since: str

    @property
    def is_app(self) -> bool:
        return self.program == APP_PROGRAM


class FolderBusy(StorageError):
    """Another program holds the data folder; ``holder`` says which (None if it could not be read)."""

    def __init__(self, data_dir: Path, holder: Holder | None) -> None:
        self.data_dir = Path(data_dir)
        self.holder = holder
        who = holder.program if holder else "program lain"
        super().__init__(f"Folder data {data_dir} sedang dipakai oleh {who}. Tunggu sampai selesai atau "
                         f"tutup program itu, lalu coba lagi.")


def read_holder(data_dir: Path) -> Holder | None:
    """Who the lock file says holds ``data_dir`` (None when it says nothing readable)."""
    try:
        raw: Any = json.loads((Path(data_dir) / APP_LOCK_FILE).read_text(encoding="utf-8"))
        return Holder(str(raw["program"]), int(raw["pid"]), str(raw.get("since", "")))
    except (OSError, ValueError, KeyError, TypeError):
        return None


class FolderLock:
    """The data folder's one-writer lock for ``program``; use as a context manager or acquire/release.

    :meth:`acquire` raises :class:`FolderBusy` when another program (or another lock in this
    process) holds the folder, and ``OSError`` when the lock file cannot be made at all.
    """

    def __init__(self, data_dir: Path, program: str) -> None:
        self.data_dir = Path(data_dir)
        self.program = program
        self._fd: int | None = None

    @property
    def path(self) -> Path:
        return self.data_dir / APP_LOCK_FILE

    def acquire(self) -> FolderLock:
        if self._fd is not None:
            return self
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            _lock(fd)
        except OSError as exc:
            os.close(fd)
            raise FolderBusy(self.data_dir, read_holder(self.data_dir)) from exc
        self._fd = fd
        since = dt.datetime.now().astimezone().isoformat(timespec="seconds")
        text = json.dumps({"program": self.program, "pid": os.getpid(), "since": since}).encode("utf-8")
        os.ftruncate(fd, 0)
        os.lseek(fd, 0, os.SEEK_SET)
        os.write(fd, text)
        return self

    def release(self) -> None:
        """Let go of the folder (idempotent); the file stays, saying nothing once truncated."""
        fd, self._fd = self._fd, None
        if fd is None:
            return
        try:
            os.ftruncate(fd, 0)
        finally:
            _unlock(fd)
            os.close(fd)

    @property
    def held(self) -> bool:
        return self._fd is not None

    def __enter__(self) -> FolderLock:
        return self.acquire()

    def __exit__(self, *_exc: object) -> None:
        self.release()


def _lock(fd: int) -> None:
    if os.name == "nt":
        os.lseek(fd, _WINDOWS_LOCK_OFFSET, os.SEEK_SET)
        msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
    else:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)


def _unlock(fd: int) -> None:
    if os.name == "nt":
        os.lseek(fd, _WINDOWS_LOCK_OFFSET, os.SEEK_SET)
        msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)
    else:
        fcntl.flock(fd, fcntl.LOCK_UN)
