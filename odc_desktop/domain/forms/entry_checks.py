"""Layer-1 validation of one stage entry: the form's JSON Schema, then its cross-field rules.

The JSON Schema is built from the form (types per widget, required, min/max, lengths, patterns,
codelist enums, real dates, organization objects, group items) and compiled once per form. Every
jsonschema error is translated into a sentence that names the field by its label, in Bahasa
Indonesia by default or English with ``lang="en"``; a raw jsonschema message never reaches a user.
"""

from __future__ import annotations

import datetime
from typing import Any, Callable

from odc_desktop.domain.forms import entry_messages as msg
from odc_desktop.domain.forms.entry_schema import compiled_validator, quick_check
from odc_desktop.domain.forms.definition import RULE_KEYS, Codelist, FormDefinition, Rule, text_in
from odc_desktop.domain.forms.lookup import FormLookup
from odc_desktop.domain.problems import Problem
from odc_desktop.domain.statuses import Stage

Data = dict[str, Any]


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _clean(value: Any) -> Any:
    """Drop unfilled values (None, blank text) so "required" reports them as missing."""
    if isinstance(value, dict):
        return {k: _clean(v) for k, v in value.items() if not _blank(v)}
    if isinstance(value, list):
        return [_clean(v) for v in value]
    return value


def validate_entry(form: FormDefinition, data: Data, codelists: dict[str, Codelist],
                   other_stages: dict[str, Data] | None = None, lang: str = "id", *,
                   forms: FormLookup | None = None, without_required: bool = False,
                   quick: bool = True) -> list[Problem]:
    """Every problem in ``data`` (keyed by field id) for ``form``; empty when the entry is valid.

    ``other_stages`` maps a stage id to that stage's data in the same process, for rules such as
    "HPS ≤ planning:pagu"; a rule whose other value is not available is skipped. ``forms`` is the
    set ``form`` belongs to: a rule message naming another stage's field takes its label from there
    (default: the shipped set). ``without_required``: leave out the schema's "required fields are
    missing" problems without saying them (the importers fill what their source has; completing the
    entry is the operator's part), which spares the messages an import would only throw away.
    ``quick``: data the compiled shortcut (:func:`quick_check`) passes skips the jsonschema walk (the
    common case: a valid entry, as the server checks every pushed one); ``quick=False`` always walks
    it, the reference the shortcut is tested against (tests/unit/test_entry_checks_quick.py).
    """
    if not isinstance(data, dict):
        return [Problem(path="", code="invalid_type", message=msg.say("entry", lang))]
    cleaned = _clean(data)
    problems: list[Problem] = []
    seen: set[tuple[str, str]] = set()
    passes = quick and _passes_quickly(form, codelists, cleaned, required=not without_required)
    for error in () if passes else compiled_validator(form, codelists).iter_errors(cleaned):
        if without_required and error.validator == "required":
            continue
        for problem in msg.schema_problem(form, codelists, error, lang):
            key = (problem.path, problem.code)
            if key not in seen:
                seen.add(key)
                problems.append(problem)
    bad = {p.field_id for p in problems}
    problems.extend(_rule_problems(form, cleaned, other_stages or {}, bad, lang, forms))
    # Show problems in the order the operator meets the fields (unknown keys last).
    order = {f.id: i for i, f in enumerate(form.all_fields())}
    return sorted(problems, key=lambda p: order.get(p.field_id or "", len(order)))


def _passes_quickly(form: FormDefinition, codelists: dict[str, Codelist], cleaned: Data, *,
                    required: bool) -> bool:
    """True when the compiled quick check finds nothing (with ``required=False``: nothing but missing
    fields, as most imported rows)."""
    import fastjsonschema

    try:
        quick_check(form, codelists, required=required)(cleaned)
    except fastjsonschema.JsonSchemaException:
        return False
    return True


def _resolve(ref: str, data: Data, other_stages: dict[str, Data]) -> Any:
    if ":" in ref:
        stage, field_id = ref.split(":", 1)
        value = (other_stages.get(stage) or {}).get(field_id)
    else:
        value = data.get(ref)
    return None if _blank(value) else value


def _as_date(value: Any) -> datetime.date | None:
    try:
        return datetime.date.fromisoformat(value) if isinstance(value, str) and len(value) == 10 else None
    except ValueError:
        return None


def _as_number(value: Any) -> float | None:
    return value if isinstance(value, (int, float)) and not isinstance(value, bool) else None


def _problem(rule: Rule, field_id: str, lang: str, default: Callable[[], str]) -> Problem:
    """The rule's own message in ``lang``, else a sentence built from the labels (computed lazily)."""
    return Problem(path=field_id, field_id=field_id, code=rule.type,
                   message=text_in(rule.message, lang) or default())


def _rule_problems(form: FormDefinition, data: Data, other_stages: dict[str, Data],
                   already_bad: set[str | None], lang: str, forms: FormLookup | None) -> list[Problem]:
    out: list[Problem] = []
    for rule in form.rules:
        p = rule.params
        if rule.type == "required_if":
            target, when_ref, differs_ref = (p.get(key) for key in RULE_KEYS[rule.type])
            when = _resolve(when_ref, data, other_stages)
            if when is None or ("equals" in p and when != p["equals"]):
                continue
            if differs_ref is not None:
                other = _resolve(differs_ref, data, other_stages)
                if other is None or other == when:
                    continue
            if _blank(data.get(target)):
                out.append(_problem(rule, target, lang, lambda: msg.required_text(
                    msg.ref_label(form, target, lang, forms), lang)))
            continue
        first_ref, second_ref = (p[key] for key in RULE_KEYS[rule.type])
        convert = _as_date if rule.type == "date_order" else _as_number
        # Attach the problem to a field of this form; a value already reported as invalid is not
        # checked again (one message per mistake).
        local = second_ref if ":" not in second_ref else first_ref
        if local in already_bad:
            continue
        first = convert(_resolve(first_ref, data, other_stages))
        second = convert(_resolve(second_ref, data, other_stages))
        if first is None or second is None or first <= second:
            continue
        sentence = msg.date_order_text if rule.type == "date_order" else msg.value_lte_text
        out.append(_problem(rule, local, lang, lambda: sentence(
            msg.ref_label(form, first_ref, lang, forms), msg.ref_label(form, second_ref, lang, forms), lang)))
    return out


def missing_documents(form: FormDefinition, attachment_types: list[str],
                      codelists: dict[str, Codelist] | None = None, lang: str = "id") -> list[Problem]:
    """A problem for every document the stage requires that no attachment provides.

    ``codelists`` supplies the document labels (``jenis_dokumen``); default: the shipped form set.
    """
    if codelists is None:
        from odc_desktop.domain.forms.definition import load_form_set

        codelists = load_form_set().codelists
    jenis = codelists.get("jenis_dokumen")
    have = set(attachment_types)
    out = []
    for doc in form.documents:
        if doc.required and doc.type not in have:
            item = jenis.item(doc.type) if jenis else None
            label = text_in(item.label, lang) if item else doc.type
            out.append(Problem(path=f"documents/{doc.type}", code="missing_document",
                               message=msg.missing_document_text(label, Stage(form.stage).title(lang),
                                                                 lang)))
    return out
