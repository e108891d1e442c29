"""Reusable helpers that check data against the OFFICIAL OCDS 1.1.5 schema and libcoveocds, offline.

The official files come from $ODC_OCDS_DIR (default ../shared/ocds, see tests/conftest.py); they
are for tests only and are never copied into the product. Sockets are blocked while libcoveocds
runs, so a test using these helpers proves that nothing is downloaded.
"""

from __future__ import annotations

import contextlib
import copy
import functools
import json
import socket
from pathlib import Path
from typing import Any, Iterator

import jsonschema
import pytest
import referencing
import referencing.jsonschema

from tests.conftest import official_ocds_dir

SCHEMA_URL = "https://standard.open-contracting.org/schema/1__1__5/"
SCHEMA_FILES = ("release-schema.json", "release-package-schema.json", "record-package-schema.json",
                "versioned-release-validation-schema.json")


def schema_dir() -> Path:
    return official_ocds_dir() / "schema-1.1.5"


def require_official_files() -> None:
    """Skip the calling test, with the reason, when the official OCDS files are not available."""
    missing = [name for name in SCHEMA_FILES if not (schema_dir() / name).exists()]
    if missing or not (official_ocds_dir() / "standard-1__1__5.zip").exists():
        pytest.skip(f"Official OCDS 1.1.5 files not found in {official_ocds_dir()} (set ODC_OCDS_DIR); "
                    f"missing: {missing or ['standard-1__1__5.zip']}")


def _load(name: str) -> dict[str, Any]:
    return json.loads((schema_dir() / name).read_text(encoding="utf-8"))


@functools.cache
def _registry() -> referencing.Registry:
    # The package schemas $ref the release schema by absolute URL: serve the local copies under
    # those URLs so jsonschema never fetches anything.
    resources = [(SCHEMA_URL + name, referencing.Resource.from_contents(
        _load(name), default_specification=referencing.jsonschema.DRAFT4)) for name in SCHEMA_FILES]
    return referencing.Registry().with_resources(resources)


def _validator(name: str) -> jsonschema.Draft4Validator:
    return jsonschema.Draft4Validator(_load(name), registry=_registry(),
                                      format_checker=jsonschema.Draft4Validator.FORMAT_CHECKER)


@functools.cache
def official_release_validator() -> jsonschema.Draft4Validator:
    """A validator of one release against the official 1.1.5 release schema (formats checked)."""
    return _validator("release-schema.json")


@functools.cache
def official_package_validator(kind: str = "release") -> jsonschema.Draft4Validator:
    """A validator of a release (``kind="release"``) or record (``"record"``) package."""
    return _validator(f"{kind}-package-schema.json")


def official_errors(obj: dict[str, Any], validator: jsonschema.Draft4Validator) -> list[str]:
    """Readable ``path: message`` lines of every official-schema error in ``obj``."""
    return [f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in validator.iter_errors(obj)]


@contextlib.contextmanager
def sockets_blocked() -> Iterator[None]:
    """Make any attempt to open a network connection fail loudly."""
    def refuse(*args: Any, **kwargs: Any) -> None:
        raise AssertionError(f"network access attempted: {args!r}")

    saved = (socket.socket.connect, socket.socket.connect_ex, socket.create_connection, socket.getaddrinfo)
    socket.socket.connect, socket.socket.connect_ex, socket.create_connection, socket.getaddrinfo = \
        refuse, refuse, refuse, refuse  # name look-ups too: they reach a DNS server
    try:
        yield
    finally:
        socket.socket.connect, socket.socket.connect_ex, socket.create_connection, socket.getaddrinfo = saved


def libcove_result(package: dict[str, Any]) -> dict[str, Any]:
    """The full libcoveocds report on ``package`` (without its ``extensions`` list), offline."""
    from libcoveocds.api import ocds_json_output
    from libcoveocds.config import LibCoveOCDSConfig

    # libcoveocds downloads every URL listed in `extensions` to patch the schema; our extensions are
    # either on GitHub or on our own (not yet running) server. Without the list it validates against
    # the core 1.1.5 schema from the local zip, where our extension fields are additional fields
    # (reported separately, never validation errors), so the check stays meaningful and offline.
    data = copy.deepcopy(package)
    data.pop("extensions", None)
    config = LibCoveOCDSConfig({"standard_zip": (official_ocds_dir() / "standard-1__1__5.zip").resolve().as_uri(),
                                "context": "api"})
    with sockets_blocked():
        return ocds_json_output("", json_data=data, lib_cove_ocds_config=config)


def libcove_errors(package: dict[str, Any]) -> list[Any]:
    """libcoveocds' ``validation_errors`` for ``package`` (empty when the package is valid)."""
    return libcove_result(package)["validation_errors"]
