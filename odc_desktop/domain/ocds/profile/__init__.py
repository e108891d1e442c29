"""The project's own OCDS profile: release schema (with extensions) and the local extension files."""

from __future__ import annotations

import functools
import json
from pathlib import Path
from typing import Any

PROFILE_DIR = Path(__file__).resolve().parent


@functools.cache
def _load(name: str) -> dict[str, Any]:
    with open(PROFILE_DIR / name, encoding="utf-8") as handle:
        return json.load(handle)


def release_schema() -> dict[str, Any]:
    """The profile release schema (shared, cached: callers must not modify it)."""
    return _load("release-schema.json")


def local_extension() -> dict[str, Any]:
    """The local extension's ``extension.json`` (cached: callers must not modify it)."""
    return _load("extension.json")


def local_extension_schema() -> dict[str, Any]:
    """The local extension's release schema patch (served as ``release-schema.json``)."""
    return _load("release-schema-extension.json")
