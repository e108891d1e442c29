"""The JSON Schema of a form's entry data, and its compiled validator (cached per form).

Entry data is keyed by field id (docs/architecture.md "Entry data"): text → str, money → int rupiah,
number → int|float, percent → 0–100, date → "YYYY-MM-DD" that is a real date, select → a codelist
code, organization → {name, npwp, address, scale} (a list of them with ``multiple``), group → a list
of objects keyed by the child field ids.
"""

from __future__ import annotations

from typing import Any

import jsonschema

from odc_desktop.domain.forms.definition import Codelist, Field, FormDefinition

#: NPWP: 15 digits, plain or formatted 01.234.567.8-901.000, or the 16-digit NIK-based NPWP.
NPWP_PATTERN = r"^([0-9]{2}\.?[0-9]{3}\.?[0-9]{3}\.?[0-9]-?[0-9]{3}\.?[0-9]{3}|[0-9]{16})$"
SCALES = ("micro", "sme", "large")

_FORMAT_CHECKER = jsonschema.FormatChecker(formats=("date",))
_CACHE: dict[tuple, tuple[jsonschema.protocols.Validator, tuple]] = {}
_CACHE_LIMIT = 64


def organization_schema() -> dict[str, Any]:
    """Schema of one organization value (a supplier or bidder)."""
    return {
        "type": "object",
        "additionalProperties": False,
        "required": ["name"],
        "properties": {
            "name": {"type": "string", "minLength": 1, "maxLength": 300},
            "npwp": {"type": "string", "pattern": NPWP_PATTERN},
            "address": {"type": "string", "maxLength": 500},
            "scale": {"enum": list(SCALES)},
        },
    }


def _object_schema(fields: tuple[Field, ...], codelists: dict[str, Codelist]) -> dict[str, Any]:
    return {
        "type": "object",
        "additionalProperties": False,
        "properties": {f.id: field_schema(f, codelists) for f in fields},
        "required": [f.id for f in fields if f.required],
    }


def field_schema(field: Field, codelists: dict[str, Codelist]) -> dict[str, Any]:
    """The JSON Schema of one field's value."""
    w = field.widget
    schema: dict[str, Any]
    if w in ("text", "textarea"):
        schema = {"type": "string"}
        if field.max_length:
            schema["maxLength"] = field.max_length
        if field.pattern:
            schema["pattern"] = field.pattern
    elif w in ("money", "number", "percent"):
        schema = {"type": "integer" if w == "money" else "number"}
        # Rupiah amounts and percentages are never negative, whatever the form says.
        low = field.min if field.min is not None else (0 if w in ("money", "percent") else None)
        high = field.max if field.max is not None else {"percent": 100, "money": MAX_RUPIAH}.get(w)
        if low is not None:
            schema["minimum"] = low
        if high is not None:
            schema["maximum"] = high
    elif w == "date":
        schema = {"type": "string", "format": "date"}
    elif w == "select":
        schema = {"enum": codelists[field.codelist].codes()}  # type: ignore[index]
    elif w == "organization":
        schema = organization_schema()
        if field.multiple:
            schema = {"type": "array", "items": schema}
    elif w == "group":
        schema = {"type": "array", "items": _object_schema(field.fields, codelists)}
    else:  # the loader only lets known widgets through
        raise ValueError(f"unknown widget {w!r}")
    if field.required and schema.get("type") == "array":
        schema["minItems"] = 1
    return schema


def form_schema(form: FormDefinition, codelists: dict[str, Codelist]) -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of a whole entry of ``form``."""
    schema = _object_schema(tuple(form.all_fields()), codelists)
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = form.title.get("id", form.id)
    return schema


def _used_codelists(form: FormDefinition) -> list[str]:
    names = []
    for f in form.all_fields():
        names += [c.codelist for c in (f, *f.fields) if c.codelist]
    return names


#: No single procurement value comes near Rp 1 kuadriliun (Bojonegoro's whole APBD is ~Rp 7 triliun);
#: a bigger number is a typing slip, and it would also lose precision in JSON readers that use doubles.
MAX_RUPIAH = 10**15


def compiled_validator(form: FormDefinition,
                       codelists: dict[str, Codelist]) -> jsonschema.protocols.Validator:
    """The compiled validator of ``form``, built once per (form, codelists) pair."""
    used = _used_codelists(form)
    # Objects without a content hash (built in code) are keyed by identity; the cache value holds
    # them so an id cannot be reused while the entry exists.
    key = (form.id, form.version, form.content_hash or id(form),
           tuple((name, id(codelists.get(name))) for name in used))
    hit = _CACHE.get(key)
    if hit is not None:
        return hit[0]
    validator = jsonschema.Draft202012Validator(form_schema(form, codelists), format_checker=_FORMAT_CHECKER)
    if len(_CACHE) >= _CACHE_LIMIT:
        _CACHE.clear()
    _CACHE[key] = (validator, (form, *(codelists.get(n) for n in used)))
    return validator


def _without_required(schema: Any) -> Any:
    """``schema`` with every ``required`` list left out (at any depth)."""
    if isinstance(schema, dict):
        return {k: _without_required(v) for k, v in schema.items()
                if k != "$schema" and not (k == "required" and isinstance(v, list))}
    if isinstance(schema, list):
        return [_without_required(v) for v in schema]
    return schema


def _real_date(value: Any) -> bool:
    return _FORMAT_CHECKER.conforms(value, "date")


_QUICK: dict[tuple, tuple[Any, tuple]] = {}


def quick_check(form: FormDefinition, codelists: dict[str, Codelist], *, required: bool = False) -> Any:
    """A compiled (fastjsonschema) check of ``form``'s schema, built once per (form, codelists, required):
    a callable that raises on data the full validator would fault (with ``required=False``, for
    anything but a missing field: the schema's ``required`` lists are left out). Only a shortcut: data it passes needs no jsonschema walk; data it refuses goes
    through :func:`compiled_validator` for the problems and their messages. Dates are checked by the
    full validator's own format checker, so the two agree on them by construction
    (tests/unit/test_entry_checks_quick.py holds that they agree on every field)."""
    import fastjsonschema

    used = _used_codelists(form)
    key = (form.id, form.version, form.content_hash or id(form), tuple((n, id(codelists.get(n))) for n in used),
           required)
    hit = _QUICK.get(key)
    if hit is not None:
        return hit[0]
    schema = form_schema(form, codelists)
    schema = {k: v for k, v in schema.items() if k != "$schema"} if required else _without_required(schema)
    check = fastjsonschema.compile(schema, use_default=False,
                                   formats={"date": _real_date})
    if len(_QUICK) >= _CACHE_LIMIT:
        _QUICK.clear()
    _QUICK[key] = (check, (form, *(codelists.get(n) for n in used)))
    return check
