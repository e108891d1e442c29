"""The official OCDS schemas and the registry extensions the project ships, loaded offline.

No package on PyPI ships the OCDS schemas (libcoveocds, ocdskit, ocdsmerge and
ocdsextensionregistry all download them at run time), so the product carries the official files it
needs, unchanged, from their public sources (see ``SOURCES.md`` beside this file, Apache 2.0):
the 1.1.5 and 1.0.3 release, release-package and record-package schemas, and the release-schema
patches of the registry extensions the Bojonegoro profile uses. They are read-only data; the
project's own profile schema lives in :mod:`odc_desktop.domain.ocds.profile`.

Validators are compiled once per (version, extensions) with ``jsonschema-rs`` (formats checked).
Package and record schemas are used as *shells*: their ``releases``/``records``/``compiledRelease``
items are validated one at a time with the release validator, so a big file can be streamed and
every error keeps its own path. Nothing here opens a network connection: the shells hold no remote
``$ref``, and an extension that is not shipped is reported as not checked, never downloaded.
"""

from __future__ import annotations

import copy
import functools
import json
from pathlib import Path
from typing import Any

import jsonschema_rs

from odc_desktop.domain.ocds import profile

HERE = Path(__file__).resolve().parent
VERSIONS = ("1.1", "1.0")
#: The version of data that says none: a package without ``version`` is 1.0 by the standard; a
#: release or record alone carries no version and is read as the current one.
PACKAGE_DEFAULT_VERSION, ITEM_DEFAULT_VERSION = "1.0", "1.1"

#: Registry extensions shipped in ``extensions/``: a declared URL containing the name applies them.
SHIPPED_EXTENSIONS = ("ocds_budget_breakdown_extension", "ocds_location_extension", "ocds_process_title_extension",
                      "ocds_contract_completion_extension", "ocds_partyDetails_scale_extension")
#: The project's own local extension, as the server serves it.
LOCAL_EXTENSION_MARKER = "/ocds/extension/v1/extension.json"
LOCAL_EXTENSION = "odc_local_extension"


def version_of(declared: Any, default: str) -> tuple[str, str | None]:
    """(schema version to validate with, notice code or None) for a declared ``version`` value.

    ``1.1``/``1.1.x`` → 1.1; absent or ``1.0``/``1.0.x`` → 1.0; anything else is validated as 1.1
    with a notice (the package schema then reports the malformed version itself).
    """
    if declared is None:
        return default, None
    text = str(declared)
    if text == "1.0" or text.startswith("1.0."):
        return "1.0", None
    if text == "1.1" or text.startswith("1.1."):
        return "1.1", None
    return "1.1", "version_unknown"


def extension_names(urls: Any) -> tuple[tuple[str, ...], list[str]]:
    """(shipped extensions to apply, sorted; declared URLs that are not shipped) of an ``extensions`` list."""
    applied: set[str] = set()
    unknown: list[str] = []
    for url in urls if isinstance(urls, list) else []:
        if not isinstance(url, str):
            continue  # the package schema reports a non-string entry
        name = next((name for name in SHIPPED_EXTENSIONS if name in url), None)
        if name is None and url.endswith(LOCAL_EXTENSION_MARKER):
            name = LOCAL_EXTENSION
        if name is None:
            unknown.append(url)
        else:
            applied.add(name)
    return tuple(sorted(applied)), unknown


@functools.cache
def _load(relative: str) -> dict[str, Any]:
    with open(HERE / relative, encoding="utf-8") as handle:
        return json.load(handle)


def _merge_patch(target: Any, patch: Any) -> Any:
    """RFC 7386 JSON Merge Patch, as the OCDS extension mechanism applies it (``null`` removes)."""
    if not isinstance(patch, dict):
        return copy.deepcopy(patch)
    result = dict(target) if isinstance(target, dict) else {}
    for key, value in patch.items():
        if value is None:
            result.pop(key, None)
        else:
            result[key] = _merge_patch(result.get(key), value)
    return result


def _extension_patch(name: str) -> dict[str, Any]:
    if name == LOCAL_EXTENSION:
        return profile.local_extension_schema()
    return _load(f"extensions/{name}.release-schema.json")


@functools.cache
def release_schema(version: str, extensions: tuple[str, ...] = ()) -> dict[str, Any]:
    """The official release schema of ``version``, patched with the shipped ``extensions`` (cached)."""
    schema = copy.deepcopy(_load(f"{version}/release-schema.json"))
    for name in extensions:
        schema = _merge_patch(schema, _extension_patch(name))
    schema.pop("id", None)  # refs are all local ("#/definitions/..."): nothing to resolve remotely
    return schema


def _compile(schema: dict[str, Any]) -> Any:
    return jsonschema_rs.Draft4Validator(schema, validate_formats=True)


@functools.cache
def release_validator(version: str, extensions: tuple[str, ...] = ()) -> Any:
    """A compiled validator of one release (formats date-time and uri checked)."""
    return _compile(release_schema(version, extensions))


_ITEM_LISTS = {"releases": {"type": "array", "minItems": 1}, "records": {"type": "array", "minItems": 1}}


@functools.cache
def package_shell_validator(version: str, kind: str) -> Any:
    """A validator of a package's metadata; its ``releases``/``records`` items are checked one by one."""
    schema = copy.deepcopy(_load(f"{version}/{kind}-package-schema.json"))
    schema.pop("id", None)
    schema.pop("definitions", None)
    schema["properties"][f"{kind}s"] = _ITEM_LISTS[f"{kind}s"]
    return _compile(schema)


@functools.cache
def record_shell_validator(version: str) -> Any:
    """A validator of one record without its embedded releases and compiled release (checked apart)."""
    record = copy.deepcopy(_load(f"{version}/record-package-schema.json")["definitions"]["record"])
    record["properties"]["releases"] = {"type": "array", "minItems": 1}
    record["properties"]["compiledRelease"] = {"type": "object"}
    record["properties"]["versionedRelease"] = {"type": "object"}
    return _compile(record)


@functools.cache
def linked_release_validator(version: str) -> Any:
    """A validator of one linked release of a record (``url``, ``date``, ``tag``)."""
    options = _load(f"{version}/record-package-schema.json")["definitions"]["record"]["properties"]["releases"]
    return _compile(copy.deepcopy(options["oneOf"][0]["items"]))

