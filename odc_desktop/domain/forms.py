"""Stage forms as data: dataclasses and the strict loader of ``forms/*.yaml``.

The file format is described in docs/architecture.md. The loader rejects unknown keys, unknown
widgets, unknown codelists and duplicate field ids, with messages in Bahasa Indonesia.
"""

from __future__ import annotations

import dataclasses
import os
from pathlib import Path
from typing import Any

Text = dict[str, str]  # {"id": "...", "en": "..."}

WIDGETS = ("text", "textarea", "money", "number", "percent", "date", "select", "organization", "group")
RULE_TYPES = ("date_order", "value_lte", "required_if")


class FormError(ValueError):
    """A form or codelist file is malformed; the message says which file and which key."""


def text_in(text: Text | None, lang: str = "id") -> str:
    """Return the text in ``lang``, falling back to Bahasa Indonesia."""
    if not text:
        return ""
    return text.get(lang) or text.get("id", "")


@dataclasses.dataclass(frozen=True)
class CodelistItem:
    code: str
    label: Text
    ocds: Any = None
    also: dict[str, Any] = dataclasses.field(default_factory=dict)


@dataclasses.dataclass(frozen=True)
class Codelist:
    id: str
    title: Text
    items: tuple[CodelistItem, ...]

    def item(self, code: str) -> CodelistItem | None:
        for item in self.items:
            if item.code == code:
                return item
        return None

    def codes(self) -> list[str]:
        return [item.code for item in self.items]


@dataclasses.dataclass(frozen=True)
class Field:
    id: str
    path: str
    widget: str
    label: Text
    help: Text = dataclasses.field(default_factory=dict)
    sop_step: str = ""
    required: bool = False
    placeholder: Text = dataclasses.field(default_factory=dict)
    codelist: str | None = None
    details_path: str | None = None
    min: float | None = None
    max: float | None = None
    max_length: int | None = None
    pattern: str | None = None
    roles: tuple[str, ...] = ()
    multiple: bool = False
    fields: tuple["Field", ...] = ()
    item_constants: dict[str, Any] = dataclasses.field(default_factory=dict)


@dataclasses.dataclass(frozen=True)
class Section:
    id: str
    title: Text
    fields: tuple[Field, ...]
    sop: Text = dataclasses.field(default_factory=dict)


@dataclasses.dataclass(frozen=True)
class DocumentRequirement:
    type: str
    required: bool = False


@dataclasses.dataclass(frozen=True)
class Rule:
    type: str
    params: dict[str, Any]
    message: Text


@dataclasses.dataclass(frozen=True)
class Migration:
    from_version: int
    renamed: dict[str, str] = dataclasses.field(default_factory=dict)
    removed: tuple[str, ...] = ()


@dataclasses.dataclass(frozen=True)
class FormDefinition:
    """One stage form; entries point at (id, version, content_hash)."""

    id: str
    version: int
    stage: str
    release_tag: str
    title: Text
    description: Text
    documents_path: str
    constants: dict[str, Any]
    sections: tuple[Section, ...]
    documents: tuple[DocumentRequirement, ...]
    rules: tuple[Rule, ...]
    migration: Migration | None
    content_hash: str  # sha256 of the file's bytes

    def all_fields(self) -> list[Field]:
        """Top-level fields of every section, in order."""
        return [f for s in self.sections for f in s.fields]

    def field(self, field_id: str) -> Field | None:
        for f in self.all_fields():
            if f.id == field_id:
                return f
        return None


@dataclasses.dataclass(frozen=True)
class FormSet:
    """Every shipped form (by stage) and codelist (by id)."""

    forms: dict[str, FormDefinition]
    codelists: dict[str, Codelist]

    def for_stage(self, stage: str) -> FormDefinition:
        return self.forms[str(getattr(stage, "value", stage))]


def forms_dir() -> Path:
    """The folder of the shipped forms: $ODC_FORMS_DIR, the installed odc_forms package, or ./forms."""
    env = os.environ.get("ODC_FORMS_DIR")
    if env:
        return Path(env)
    try:
        import odc_forms  # the forms/ folder as installed package data

        for location in getattr(odc_forms, "__path__", []):
            if Path(location, "planning.yaml").exists():
                return Path(location)
    except ImportError:
        pass
    return Path(__file__).resolve().parents[2] / "forms"
