"""What every window and widget needs, passed down explicitly (no globals): store, forms, settings."""

from __future__ import annotations

import dataclasses
from pathlib import Path

from odc_desktop.domain.forms.lookup import FormLookup
from odc_desktop.settings import Settings
from odc_desktop.ui.workers import DbRunner, SyncDbRunner


@dataclasses.dataclass
class Services:
    """The app's shared services; ``db`` is the only way widgets reach the repository. ``forms`` is the
    form registry (odc_desktop.form_registry): an entry is shown with ``forms.get`` of its own form, a
    new one with ``forms.current(stage)``."""

    data_dir: Path
    db: DbRunner | SyncDbRunner
    forms: FormLookup
    settings: Settings
    lang: str = "id"
