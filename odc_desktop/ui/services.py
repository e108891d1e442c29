"""What every window and widget needs, passed down explicitly (no globals): store, forms, settings."""

from __future__ import annotations

import dataclasses
from pathlib import Path

from odc_desktop.domain.forms.lookup import FormLookup
from odc_desktop.settings import Settings
from odc_desktop.storage.filestore import FileStore
from odc_desktop.ui.change_signals import ChangeSignals
from odc_desktop.ui.workers import DbRunner, IoRunner, SyncDbRunner, SyncIoRunner


@dataclasses.dataclass
class Services:
    """The app's shared services; ``db`` is the only way widgets reach the repository, ``io`` runs
    file copies into ``files`` (and later network transfers) off both the GUI and the database
    thread, and ``changes`` tells views what the store's writers changed (``db``'s jobs among them).
    ``forms`` is the form registry (odc_desktop.form_registry): an entry is shown with ``forms.get`` of
    its own form, a new one with ``forms.current(stage)``."""

    data_dir: Path
    db: DbRunner | SyncDbRunner
    forms: FormLookup
    settings: Settings
    lang: str = "id"
    io: IoRunner | SyncIoRunner = dataclasses.field(default_factory=SyncIoRunner)
    changes: ChangeSignals | None = None
    #: The store's attachment files, which ``io`` jobs copy into (the DB runner then links them).
    files: FileStore | None = None

    def __post_init__(self) -> None:
        if self.changes is None:
            self.changes = ChangeSignals(self.db.changes)
        if self.files is None:
            self.files = self.db.repo.files
