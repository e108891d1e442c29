"""`odc validate`'s `error` level against the official schema and libcoveocds on real published OCDS.

The corpus (tests/data/real-ocds, see its README) holds releases, release packages and record
packages of 12 publishers, OCDS 1.0 and 1.1, with declared extensions. For every file:

- every error the official schema gives (Python ``jsonschema`` with formats, 1.1.5 from the official
  files, 1.0.3 for 1.0 data) is found by ours at the same path (ours may name the missing field);
- each release gets the same valid/invalid verdict from our schema errors (codes ``schema.*``);
- for 1.1 releases and release packages, libcoveocds (offline, sockets blocked) gives the same verdict
  for the file (for record packages it would download the versioned-release schema, so the official
  schema alone is the reference there).

The standard's rules that no schema expresses (reversed periods, duplicate ids, references that do
not resolve) are reported at the same level by ours and are counted apart: the official tools do
not check them, so they are no part of the verdict comparison.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from odc_desktop.domain.ocds import official
from odc_desktop.domain.ocds.validate_file import validate_file
from tests.conformance.official import (libcove_errors, official_package_validator, require_official_files,
                                        sockets_blocked)

CORPUS = Path(__file__).resolve().parents[1] / "data" / "real-ocds"
FILES = sorted(CORPUS.glob("*.json"))
WRAPPER = {"uri": "https://example.org/package.json", "publisher": {"name": "test"},
           "publishedDate": "2020-01-01T00:00:00Z", "version": "1.1"}


def _as_package(data: dict[str, Any]) -> tuple[dict[str, Any], str, bool]:
    """(package to give the official tools, version, whether the file was a bare release)."""
    if "releases" in data or "records" in data:
        version, _ = official.version_of(data.get("version"), official.PACKAGE_DEFAULT_VERSION)
        return data, version, False
    return {**WRAPPER, "releases": [data]}, "1.1", True


def _official_1_0_validator(kind: str) -> jsonschema.Draft4Validator:
    import referencing
    import referencing.jsonschema

    base = "http://standard.open-contracting.org/schema/1__0__3/"
    resources = [(base + name, referencing.Resource.from_contents(
        json.loads((official.HERE / "1.0" / name).read_text(encoding="utf-8")),
        default_specification=referencing.jsonschema.DRAFT4))
        for name in ("release-schema.json", "release-package-schema.json", "record-package-schema.json")]
    schema = json.loads((official.HERE / "1.0" / f"{kind}-package-schema.json").read_text(encoding="utf-8"))
    return jsonschema.Draft4Validator(schema, registry=referencing.Registry().with_resources(resources),
                                      format_checker=jsonschema.Draft4Validator.FORMAT_CHECKER)


def _official_paths(package: dict[str, Any], version: str) -> set[str]:
    kind = "record" if "records" in package else "release"
    validator = official_package_validator(kind) if version == "1.1" else _official_1_0_validator(kind)
    paths = set()
    for error in validator.iter_errors(package):
        if error.validator in ("oneOf", "uniqueItems") and error.absolute_path and \
                list(error.absolute_path)[-1] in ("releases", "records"):
            continue  # ours checks each item (and duplicate release ids) instead
        paths.add("/".join(map(str, error.absolute_path)))
    return paths


def test_corpus_is_large_and_varied():
    publishers = {path.name.split("--")[0] for path in FILES}
    assert len(publishers) >= 8, publishers
    versions, kinds, with_extensions = set(), set(), False
    for path in FILES:
        data = json.loads(path.read_text(encoding="utf-8-sig"))
        versions.add(_as_package(data)[1])
        kinds.add("records" if "records" in data else "package" if "releases" in data else "release")
        with_extensions |= bool(data.get("extensions"))
    assert versions == {"1.0", "1.1"} and kinds == {"records", "package", "release"} and with_extensions
    assert sum(path.stat().st_size for path in FILES) < 10_000_000


@pytest.mark.parametrize("path", FILES, ids=[path.name for path in FILES])
def test_error_level_matches_the_official_schema(path):
    require_official_files()
    data = json.loads(path.read_text(encoding="utf-8-sig"))
    package, version, bare = _as_package(data)
    with sockets_blocked():
        report = validate_file(path, lang="en")
    assert report.failed is None
    ours = [p for p in report.problems if p.level == "error"]
    ours_schema = {("releases/0/" + p.path if bare else p.path).rstrip("/") for p in ours
                   if p.code.startswith("schema.")}
    official_paths = _official_paths(package, version)
    if bare:
        official_paths = {p for p in official_paths if p.startswith("releases/0")}
    missing = [p for p in official_paths if not any(o == p or o.startswith(p + "/") or p == "" for o in ours_schema)]
    assert not missing, f"official errors not found: {missing}"
    # The same verdict per release (or record) and for the file.
    items = "records" if "records" in package else "releases"
    for index in range(len(package[items])):
        prefix = f"{items}/{index}"
        theirs_bad = any(p == prefix or p.startswith(prefix + "/") for p in official_paths)
        ours_bad = any(p == prefix or p.startswith(prefix + "/") for p in ours_schema)
        assert theirs_bad == ours_bad, f"{prefix}: official {'invalid' if theirs_bad else 'valid'}"
    if version == "1.1" and items == "releases":  # libcoveocds would download the versioned-release schema
        libcove_invalid = bool(libcove_errors(package))
        assert libcove_invalid == bool(ours_schema), "libcoveocds gives another verdict for the file"
