"""What every window and widget needs, passed down explicitly (no globals): store, forms, settings."""

from __future__ import annotations

import dataclasses
from pathlib import Path

from odc_desktop.domain.forms.definition import FormSet
from odc_desktop.settings import Settings
from odc_desktop.ui.workers import DbRunner, SyncDbRunner


@dataclasses.dataclass
class Services:
    """The app's shared services; ``db`` is the only way widgets reach the repository."""

    data_dir: Path
    db: DbRunner | SyncDbRunner
    forms: FormSet
    settings: Settings
    lang: str = "id"
