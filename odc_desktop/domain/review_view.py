"""What the reviewer reads of an entry under review (Qt-free, shared by the app's review page and
tests): its fields with their SOP labels and values as the form shows them, next to the previous
revision's (the difference highlighted), and its documents.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from typing import Any

from odc_desktop.domain.forms.definition import Codelist, Field, FormDefinition, text_in
from odc_desktop.domain.forms.lookup import FormLookup
from odc_desktop.domain.parsing import format_date, format_rupiah
from odc_desktop.domain.review import ReviewItem


@dataclasses.dataclass(frozen=True)
class FieldRow:
    """One top-level field: its id (the path a field note names), SOP label, value and previous value."""

    field_id: str
    label: str
    sop_step: str
    value: str
    previous: str
    changed: bool


@dataclasses.dataclass(frozen=True)
class DocumentRow:
    """One document of the entry: what it is, and where the reviewer downloads it."""

    sha256: str
    name: str
    document_type: str
    size: int
    url: str


def shown_value(field: Field, value: Any, codelists: dict[str, Codelist], lang: str = "id") -> str:
    """A stored value as the form shows it (rupiah, dd-mm-yyyy, a code's label); "" for none."""
    if value is None or value == "" or value == []:
        return ""
    if field.widget == "money" and isinstance(value, int) and not isinstance(value, bool):
        return format_rupiah(value)
    if field.widget == "date" and isinstance(value, str):
        try:
            return format_date(dt.date.fromisoformat(value))
        except ValueError:
            return value
    codelist = codelists.get(field.codelist or "")
    if codelist is not None and isinstance(value, str):
        item = codelist.item(value)
        return text_in(item.label, lang) if item is not None else value
    if isinstance(value, (dict, list)):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


def form_of_item(forms: FormLookup, item: ReviewItem) -> FormDefinition | None:
    ref = item.payload.get("form") or {}
    return forms.get(str(ref.get("id")), int(ref.get("version") or 0), str(ref.get("hash")))


def field_rows(forms: FormLookup, item: ReviewItem, lang: str = "id") -> list[FieldRow]:
    """Every field of the entry's own form, in form order, then any data key the form lacks."""
    form = form_of_item(forms, item)
    data, previous = item.data, item.previous_data
    rows: list[FieldRow] = []
    known: set[str] = set()
    if form is not None:
        codelists = forms.codelists_for(form)
        for field in form.all_fields():
            known.add(field.id)
            now = shown_value(field, data.get(field.id), codelists, lang)
            before = shown_value(field, previous.get(field.id), codelists, lang) if previous is not None else ""
            rows.append(FieldRow(field.id, text_in(field.label, lang), field.sop_step, now, before,
                                 previous is not None and data.get(field.id) != previous.get(field.id)))
    for key in sorted(set(data) | set(previous or {}) - known):
        now, before = data.get(key), (previous or {}).get(key)
        rows.append(FieldRow(key, key, "", "" if now is None else json.dumps(now, ensure_ascii=False),
                             "" if before is None else json.dumps(before, ensure_ascii=False),
                             previous is not None and now != before))
    return rows


def document_rows(item: ReviewItem) -> list[DocumentRow]:
    return [DocumentRow(str(a.get("sha256")), str(a.get("name")), str(a.get("document_type") or ""),
                        int(a.get("size") or 0), str(a.get("url") or ""))
            for a in item.item.get("attachments") or [] if isinstance(a, dict)]
