"""Folders shipped with the code (forms, resources): package data, never a user's data folder."""

from __future__ import annotations

import importlib
from pathlib import Path


def shipped_folder(package: str, marker: str, repo_folder: str) -> Path:
    """A folder shipped beside the code: the installed package ``package`` (the folder that holds
    ``marker``), else ``repo_folder`` at the top of a source checkout."""
    try:
        locations = getattr(importlib.import_module(package), "__path__", [])
    except ImportError:
        locations = []
    for location in locations:
        if Path(location, marker).exists():
            return Path(location)
    return Path(__file__).resolve().parents[2] / repo_folder
