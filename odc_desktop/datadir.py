"""Where the local store lives: the platform's user-data folder unless --data-dir says otherwise."""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs

APP_NAME = "ODC Desktop"
APP_AUTHOR = "Pemkab Bojonegoro"


def default_data_dir() -> Path:
    """$ODC_DATA_DIR, else the platform's per-user data folder (e.g. %LOCALAPPDATA%\\...\\ODC Desktop)."""
    env = os.environ.get("ODC_DATA_DIR")
    if env:
        return Path(env).expanduser()
    return Path(platformdirs.user_data_dir(APP_NAME, APP_AUTHOR))


def cache_dir() -> Path:
    """$ODC_CACHE_DIR, else the platform's per-user cache folder (rebuildable files only)."""
    env = os.environ.get("ODC_CACHE_DIR")
    return Path(env).expanduser() if env else Path(platformdirs.user_cache_dir(APP_NAME, APP_AUTHOR))


def form_checks_cache() -> Path:
    """Where the fingerprint of forms that passed their meta-schema is remembered between starts
    (``form-checks.json`` in :func:`cache_dir`); the CLI and the app pass it to ``load_form_set``."""
    return cache_dir() / "form-checks.json"


def demo_data_dir() -> Path:
    """The demo store, kept apart from the operator's real data (beside the default data dir)."""
    base = default_data_dir()
    return base.with_name(base.name + " Demo")


def resolve_data_dir(option: str | os.PathLike[str] | None) -> Path:
    """The data dir to use for a --data-dir option value (None = default), created if missing."""
    path = Path(option).expanduser() if option else default_data_dir()
    path.mkdir(parents=True, exist_ok=True)
    return path.resolve()
