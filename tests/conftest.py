"""Test-wide configuration: Qt runs offscreen; shared paths to the official OCDS files."""

from __future__ import annotations

import os
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import pytest  # noqa: E402

REPO = Path(__file__).resolve().parents[1]


def official_ocds_dir() -> Path:
    """The official OCDS 1.1.5 files (schema, codelists, zip): $ODC_OCDS_DIR or ../shared/ocds."""
    return Path(os.environ.get("ODC_OCDS_DIR", REPO.parent / "shared" / "ocds"))


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    """A fresh data directory (real SQLite file and file store are created inside)."""
    d = tmp_path / "data"
    d.mkdir()
    return d


@pytest.fixture(autouse=True, scope="session")
def _isolated_user_folders(tmp_path_factory):
    """Keep the default data and cache folders (used when no --data-dir is given) inside the test run,
    for this process and every app/CLI subprocess it starts."""
    root = tmp_path_factory.mktemp("user-folders")
    saved = {key: os.environ.get(key) for key in ("ODC_DATA_DIR", "ODC_CACHE_DIR")}
    os.environ["ODC_DATA_DIR"] = str(root / "data")
    os.environ["ODC_CACHE_DIR"] = str(root / "cache")
    yield
    for key, value in saved.items():
        if value is None:
            os.environ.pop(key, None)
        else:
            os.environ[key] = value


@pytest.fixture(autouse=True)
def _collect_garbage_on_the_main_thread():
    """A database runner left running turns Python's automatic garbage collection off (Qt objects must
    die on the GUI thread; see odc_desktop.ui.workers); then the collection happens here, between tests."""
    yield
    import gc

    if not gc.isenabled():
        from odc_desktop.ui.thread_gc import collect_garbage_if_due

        collect_garbage_if_due()
