"""Layer 2 validation of the project's own releases: the Bojonegoro profile, fully offline.

The project's profile schema (types, required fields, closed codelists, IDR) is checked with a
JSON Schema validator compiled once per process; then the checks of :mod:`checks` (the
standard's rules, level ``error``, and the profile's, level ``profile``) and the red flags of
:mod:`red_flags` (level ``flag``, warnings). awardIDs are checked once per ocid, against the awards
of all its releases. ``odc validate`` runs the official schema (:mod:`validate_file`) and adds
these problems only with ``--profile bojonegoro``; ``odc export`` runs them before it writes.
"""

from __future__ import annotations

import dataclasses
import functools
from typing import Any

import fastjsonschema
import jsonschema

from odc_desktop.domain.ocds import checks as ocds_checks
from odc_desktop.domain.ocds import profile, red_flags
from odc_desktop.domain.ocds.messages import describe_value, json_type_label, json_type_name, problem, schema_text
from odc_desktop.domain.ocds.paths import join_path
from odc_desktop.domain.problems import Problem

PACKAGE_REQUIRED = ("uri", "publisher", "publishedDate", "version")

@functools.cache
def _validator() -> jsonschema.Draft4Validator:
    # Built once. No format checker: date-times get a friendlier check in ocds_checks.
    return jsonschema.Draft4Validator(profile.release_schema())


@functools.cache
def _fast_validator() -> Any:
    # The schema compiled to Python code once: it only says valid or not, about 20x faster than
    # jsonschema. Valid releases (nearly all) stop there; others get jsonschema's full error list.
    # The profile has no "id", so its "#/definitions/..." refs resolve locally, never by download.
    return fastjsonschema.compile(profile.release_schema(), use_default=False, use_formats=False)


def _schema_problems(release: dict[str, Any], prefix: str, lang: str) -> list[Problem]:
    try:
        _fast_validator()(release)
        return []
    except fastjsonschema.JsonSchemaValueException:
        pass  # the full list of errors, with paths, comes from jsonschema below
    found: list[Problem] = []
    for error in _validator().iter_errors(release):
        found += _schema_problem(error, prefix, lang)
    return found


def _field_name(parts: list[Any]) -> str:
    names = [str(part) for part in parts if not isinstance(part, int)]
    return names[-1] if names else "rilis"


def _schema_problem(error: jsonschema.ValidationError, prefix: str, lang: str) -> list[Problem]:
    parts = list(error.absolute_path)
    path = join_path(prefix, *parts)
    field = _field_name(parts)
    kind, params = "other", {"field": field, "detail": error.message}
    if error.validator == "required":
        missing = [name for name in error.validator_value if name not in error.instance]
        return [Problem(join_path(path, name), schema_text("required", lang, field=name),
                        "schema.required") for name in missing]
    if error.validator == "enum":
        choices = ", ".join(str(choice) for choice in error.validator_value)
        kind, params = "enum", {"field": field, "value": error.instance, "choices": choices}
    elif error.validator == "type":
        expected = error.validator_value if isinstance(error.validator_value, list) else [error.validator_value]
        names = " / ".join(json_type_label(name, lang) for name in expected)
        kind, params = "type", {"field": field, "expected": names, "actual": json_type_name(error.instance, lang)}
    elif error.validator in ("minLength", "minItems", "minProperties"):
        kind = "empty"
    elif error.validator in ("minimum", "maximum"):
        kind, params = "range", {"field": field, "value": error.instance, "limit": error.validator_value}
    elif error.validator == "pattern":
        kind = "ocid" if parts == ["ocid"] else "pattern"
        params = {"field": field, "value": error.instance, "pattern": error.validator_value}
    elif error.validator == "dependencies":
        kind = "currency"
    return [Problem(path, schema_text(kind, lang, **params), f"schema.{error.validator}")]


def _release_problems(release: Any, prefix: str, lang: str, award_links: bool = True) -> list[Problem]:
    if not isinstance(release, dict):
        return [problem(prefix, "not_object", lang, actual=json_type_name(release, lang))]
    found = _schema_problems(release, prefix, lang)
    found += [_prefixed(p, prefix) for p in ocds_checks.release_problems(release, lang, award_links)]
    return found


def _prefixed(found: Problem, prefix: str) -> Problem:
    return dataclasses.replace(found, path=join_path(prefix, found.path))


def _flags(releases: list[tuple[str, Any]], lang: str) -> list[Problem]:
    index = red_flags.FlagIndex()
    for prefix, release in releases:
        index.add(release, prefix)
    return index.problems(lang)


def validate_release(release: Any, lang: str = "id") -> list[Problem]:
    """Problems of one release (or compiled release): profile schema, the OCDS rules, red flags."""
    return _release_problems(release, "", lang) + _flags([("", release)], lang)


def _releases_problems(releases: list[Any], prefix: str, lang: str) -> list[Problem]:
    found: list[Problem] = []
    groups: dict[str, list[tuple[str, dict[str, Any]]]] = {}
    first_seen: dict[tuple[str, str], str] = {}
    for position, release in enumerate(releases):
        where = join_path(prefix, position)
        grouped = isinstance(release, dict) and isinstance(release.get("ocid"), str) \
            and isinstance(release.get("date"), str)
        # awardIDs of a grouped release are checked once, across all the releases of its ocid, below.
        found += _release_problems(release, where, lang, award_links=not grouped)
        if grouped:
            groups.setdefault(release["ocid"], []).append((where, release))
            key = (release["ocid"], str(release.get("id")))
            if key in first_seen:
                found.append(problem(join_path(where, "id"), "duplicate_release_id", lang, ocid=key[0], id=key[1],
                                     first=join_path(first_seen[key], "id")))
            first_seen.setdefault(key, where)
    for indexed in groups.values():
        found += ocds_checks.award_link_problems(indexed, lang)
    found += _flags([(join_path(prefix, position), release) for position, release in enumerate(releases)], lang)
    return _unique(found)


def _unique(found: list[Problem]) -> list[Problem]:
    """Drop repeats (a cross-stage problem found both in a release and in the compiled release)."""
    seen: set[tuple[str, str]] = set()
    kept = []
    for item in found:
        if (item.path, item.code) not in seen:
            seen.add((item.path, item.code))
            kept.append(item)
    return kept


def _package_problems(package: dict[str, Any], lang: str) -> list[Problem]:
    found = [problem(name, "package_field_missing", lang, field=name) for name in PACKAGE_REQUIRED
             if name not in package]
    if "version" in package and package["version"] != "1.1":
        found.append(problem("version", "package_version", lang, value=package["version"]))
    return found


def _records_problems(records: list[Any], lang: str) -> list[Problem]:
    found: list[Problem] = []
    for position, record in enumerate(records):
        where = join_path("records", position)
        if not isinstance(record, dict):
            found.append(problem(where, "not_object", lang, actual=json_type_name(record, lang)))
            continue
        embedded = [r for r in record.get("releases") or [] if not (isinstance(r, dict) and "url" in r)]
        found += _releases_problems(embedded, join_path(where, "releases"), lang)
        if "compiledRelease" in record:
            found += _release_problems(record["compiledRelease"], join_path(where, "compiledRelease"), lang)
            found += _flags([(join_path(where, "compiledRelease"), record["compiledRelease"])], lang)
    return _unique(found)


def validate_package(obj: Any, lang: str = "id") -> list[Problem]:
    """Problems of a release package, record package, bare release or list of releases.

    Anything else gives one Problem (code ``not_ocds``) saying what the data is instead.
    """
    if isinstance(obj, dict) and isinstance(obj.get("releases"), list):
        return _package_problems(obj, lang) + _releases_problems(obj["releases"], "releases", lang)
    if isinstance(obj, dict) and isinstance(obj.get("records"), list):
        return _package_problems(obj, lang) + _records_problems(obj["records"], lang)
    if isinstance(obj, dict) and "ocid" in obj and ("tag" in obj or "date" in obj):
        return validate_release(obj, lang)
    if isinstance(obj, list) and obj and all(isinstance(item, dict) and "ocid" in item for item in obj):
        return _releases_problems(obj, "", lang)
    return [problem("", "not_ocds", lang, what=describe_value(obj, lang))]


def release_profile_problems(release: Any, prefix: str, lang: str = "id") -> list[Problem]:
    """The profile's problems of one release at ``prefix`` (awardIDs and red flags are checked apart)."""
    return _release_problems(release, prefix, lang, award_links=False)


def package_problems(package: dict[str, Any], lang: str = "id") -> list[Problem]:
    """The profile's requirements on a package's metadata."""
    return _package_problems(package, lang)
