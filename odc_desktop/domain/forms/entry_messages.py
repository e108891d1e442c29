"""Sentences for entry problems, in Bahasa Indonesia and English, built from field labels.

The sentences are the area ``entry`` of the message catalogue (:mod:`odc_desktop.messages`).

``schema_problem`` turns one jsonschema error into Problems whose message names the field by its
label (and the row of a repeat group), so operators never see a raw jsonschema message.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from odc_desktop.domain.forms.definition import Codelist, Field, FormDefinition, text_in
from odc_desktop.domain.forms.lookup import FormLookup
from odc_desktop.domain.ocds.messages import rupiah
from odc_desktop.domain.problems import Problem
from odc_desktop.domain.statuses import Stage
from odc_desktop.messages import text

if TYPE_CHECKING:  # jsonschema costs ~0.1 s to import: the start path (parsers, file store) must not pay it
    import jsonschema

def say(sentence: str, lang: str, **values: Any) -> str:
    """The sentence named ``sentence`` (the catalogue's area ``entry``) in ``lang`` (Indonesian when
    unknown), filled with ``values``."""
    return text(f"entry.{sentence}", lang, **values)


def required_text(label: str, lang: str) -> str:
    """"{label} wajib diisi." """
    return say("required", lang, label=label)


def date_order_text(first: str, second: str, lang: str) -> str:
    """Default message of a date_order rule."""
    return say("date_order", lang, first=first, second=second)


def value_lte_text(first: str, second: str, lang: str) -> str:
    """Default message of a value_lte rule."""
    return say("value_lte", lang, first=first, second=second)


def missing_document_text(label: str, stage: str, lang: str) -> str:
    """Message for a required document that is not attached."""
    return say("missing_document", lang, label=label, stage=stage)


def ref_label(form: FormDefinition, ref: str, lang: str, forms: FormLookup | None = None) -> str:
    """Label of a rule reference; another stage's field is named with that stage's title.

    The other stage's form comes from ``forms``, the set ``form`` belongs to (default: shipped set).
    """
    if ":" in ref:
        stage, field_id = ref.split(":", 1)
        if forms is None:
            from odc_desktop.domain.forms.definition import load_form_set

            forms = load_form_set()
        other = forms.current(stage)
        field = other.field(field_id) if other else None
        name = text_in(field.label, lang) if field else field_id
        return f"{name} ({Stage(stage).title(lang)})"
    field = form.field(ref)
    return text_in(field.label, lang) if field else ref


def _fmt(number: Any, lang: str) -> str:
    # Whole numbers with the language's thousands separator; a fractional limit exactly as written.
    return rupiah(number, lang) if isinstance(number, int) else str(number)


def _locate(form: FormDefinition, path: list[Any], lang: str) -> tuple[Field | None, str, list[Any]]:
    """The field an error path points into, its display label, and the rest of the path."""
    if not path:
        return None, "", []
    field = form.field(str(path[0]))
    if field is None:
        return None, str(path[0]), path[1:]
    label = text_in(field.label, lang)
    if field.widget == "group" and len(path) >= 3:
        child = next((c for c in field.fields if c.id == path[2]), None)
        if child is not None:
            # Rows are named as on screen ("Nilai (Sumber dana 1)") when the form names its items.
            item = text_in(field.item_label, lang)
            where = f"{item} {path[1] + 1}" if item else say("row", lang, group=label, n=path[1] + 1)
            return child, f"{text_in(child.label, lang)} ({where})", path[3:]
    rest = path[1:]
    if field.widget == "organization" and field.multiple and rest and isinstance(rest[0], int):
        item = text_in(field.item_label, lang)
        label = f"{item} {rest[0] + 1}" if item else say("nth", lang, label=label, n=rest[0] + 1)
        rest = rest[1:]
    return field, label, rest


def schema_problem(form: FormDefinition, codelists: dict[str, Codelist],
                   error: jsonschema.ValidationError, lang: str) -> list[Problem]:
    """Problems (usually one) for one jsonschema error, with messages built from labels."""
    path = list(error.absolute_path)
    kind = error.validator
    if kind == "required":
        missing = [k for k in error.validator_value if k not in error.instance]
        return [_problem_at(form, codelists, path + [k], "required", lang) for k in missing]
    if kind == "additionalProperties" and not path:
        extra = [k for k in error.instance if form.field(k) is None]
        return [Problem(path=str(k), field_id=None, code="unknown_field",
                        message=say("unknown", lang, key=k, form=text_in(form.title, lang)))
                for k in extra]
    return [_problem_at(form, codelists, path, kind, lang, error)]


def _problem_at(form: FormDefinition, codelists: dict[str, Codelist], path: list[Any], kind: str,
                lang: str, error: jsonschema.ValidationError | None = None) -> Problem:
    field, label, rest = _locate(form, path, lang)
    where = "/".join(str(p) for p in path)
    top = str(path[0]) if path else None
    if field is None:
        return Problem(path=where, field_id=top, code="invalid", message=say("invalid", lang, label=where))
    w = field.widget
    org_key = rest[0] if w == "organization" and rest else None
    code, text = kind, ""
    if kind == "required":
        code, text = ("required", say("org_name", lang, label=label)) if org_key == "name" else \
            ("required", say("required", lang, label=label))
    elif kind == "minItems":
        code, text = "required", say("required_items", lang, label=label)
    elif w == "date":
        code, text = "invalid_date", say("date", lang, label=label)
    elif org_key == "npwp":
        code, text = "invalid_npwp", say("npwp", lang, label=label)
    elif org_key == "scale":
        code, text = "not_in_codelist", say("scale", lang, label=label)
    elif kind == "type":
        key = {"money": "money", "number": "number", "percent": "number", "text": "text",
               "textarea": "text", "group": "list"}.get(w, "object")
        if w == "organization" and field.multiple and not rest and not isinstance(error.instance, list):
            key = "list"
        code, text = "invalid_type", say(key, lang, label=label)
    elif kind in ("minimum", "maximum") and w == "percent":
        # Both bounds come from the field's schema (entry_schema sets them for every percent field).
        low, high = error.schema["minimum"], error.schema["maximum"]
        code = "below_minimum" if kind == "minimum" else "above_maximum"
        text = say("percent", lang, label=label, low=_fmt(low, lang), high=_fmt(high, lang))
    elif kind in ("minimum", "maximum"):
        code = "below_minimum" if kind == "minimum" else "above_maximum"
        text = say(kind, lang, label=label, limit=_fmt(error.validator_value, lang))
    elif kind == "maxLength":
        code, text = "too_long", say("too_long", lang, label=label, limit=error.validator_value)
    elif kind == "pattern":
        code, text = "pattern_mismatch", say("pattern", lang, label=label)
    elif kind == "enum" and w == "select":
        cl = codelists.get(field.codelist or "")
        code = "not_in_codelist"
        text = say("codelist", lang, label=label, value=error.instance,
                   list=text_in(cl.title, lang) if cl else field.codelist)
    else:
        code, text = "invalid", say("invalid", lang, label=label)
    return Problem(path=where, field_id=top, code=code, message=text)
