"""The ``error`` level on one release, record or package: the official schema and the standard's rules.

Schema errors come from ``jsonschema-rs`` (compiled, collects every error, formats checked) and
get the code ``schema.<keyword>`` (``schema.required``, ``schema.enum``, ``schema.format`` …). The
standard's own rules that its schema cannot express come from :mod:`checks` (only the codes
of level ``error``). Messages are in Bahasa Indonesia or English.
"""

from __future__ import annotations

from typing import Any

from odc_desktop.domain.ocds import checks as ocds_checks
from odc_desktop.domain.ocds import official
from odc_desktop.domain.ocds.messages import json_type_label, json_type_name, schema_text
from odc_desktop.domain.ocds.paths import join_path
from odc_desktop.domain.problems import Problem

LEVEL = "error"

def _code(kind: Any) -> str:
    name = type(kind).__name__
    return "schema." + name[:1].lower() + name[1:]


def _field(parts: list[Any]) -> str:
    names = [str(part) for part in parts if not isinstance(part, int)]
    return names[-1] if names else "(root)"


def _short(value: Any) -> str:
    text = repr(value) if not isinstance(value, str) else f"'{value}'"
    return text if len(text) <= 60 else text[:57] + "..."


def schema_problems(validator: Any, obj: Any, prefix: str, lang: str) -> list[Problem]:
    """Every error of ``obj`` against a compiled ``jsonschema-rs`` validator, as ``error``-level Problems."""
    found = []
    for error in validator.iter_errors(obj):
        parts = list(error.instance_path)
        path = join_path(prefix, *parts)
        code = _code(error.kind)
        field, template, params = _field(parts), "schema_other", {}
        if code == "schema.required":
            name = str(error.kind.property)
            path, field, template = join_path(path, name), name, "required"
        elif code == "schema.enum":
            template, params = "closed_enum", {"value": _short(error.instance)}
        elif code == "schema.type":
            expected = [str(t) for t in getattr(error.kind, "types", [])] or ["?"]
            names = " / ".join(json_type_label(name, lang) for name in expected)
            template, params = "type", {"expected": names, "actual": json_type_name(error.instance, lang)}
        elif code == "schema.format" and getattr(error.kind, "format", "") in ("date-time", "uri"):
            template, params = error.kind.format, {"value": str(error.instance)[:80]}
        else:
            params = {"detail": error.message if len(error.message) <= 160 else error.message[:157] + "..."}
        message = schema_text(template, lang, field=field, **params)
        found.append(Problem(path, message, code, level=LEVEL))
    return found


def rule_problems(release: dict[str, Any], version: str, prefix: str, lang: str) -> list[Problem]:
    """The standard's rules on one release: duplicate ids in arrays, reversed periods, and in 1.1
    data party references whose id is not in ``parties`` (awardIDs are checked across the ocid)."""
    out: list[Problem] = []
    ocds_checks.walk_release(release, lang, out, profile=False)
    if version != "1.0":
        ocds_checks.check_references(release, lang, out)
    return [Problem(join_path(prefix, p.path), p.message, p.code, severity=p.severity, level=LEVEL)
            for p in out if p.level == LEVEL]


def release_problems(release: Any, version: str, extensions: tuple[str, ...], prefix: str,
                     lang: str) -> list[Problem]:
    """Official-schema errors and rule errors of one release."""
    found = schema_problems(official.release_validator(version, extensions), release, prefix, lang)
    if isinstance(release, dict):
        found += rule_problems(release, version, prefix, lang)
    return found
