"""Stage forms as data: dataclasses and the strict loader of ``forms/*.yaml``.

The file format is described in docs/architecture.md. The loader rejects unknown keys, unknown
widgets, unknown codelists and duplicate field ids, with messages in Bahasa Indonesia (the checks
themselves live in ``definition_checks``). ``FormError`` is re-exported here for callers.
"""

from __future__ import annotations

import dataclasses
import hashlib
import os
from pathlib import Path
from typing import Any

from odc_desktop.domain.forms.definition_checks import (
    RULE_KEYS, FormError, check_form_semantics, check_schema, display_name, files_fingerprint,
    meta_checks_passed_before, read_bytes, read_yaml, remember_meta_checks_passed, shipped_forms_dir,
)
from odc_desktop.domain.problems import Problem
from odc_desktop.domain.statuses import STAGE_ORDER
from odc_desktop.messages import text

Text = dict[str, str]  # {"id": "...", "en": "..."}


def text_in(text: Text | None, lang: str = "id") -> str:
    """Return the text in ``lang``, falling back to Bahasa Indonesia."""
    if not text:
        return ""
    return text.get(lang) or text.get("id", "")


@dataclasses.dataclass(frozen=True)
class CodelistItem:
    """One entry of a codelist: Indonesian ``code``, labels, and what it writes into OCDS."""

    code: str
    label: Text
    ocds: Any = None
    also: dict[str, Any] = dataclasses.field(default_factory=dict)


@dataclasses.dataclass(frozen=True)
class Codelist:
    """A list of allowed codes with Indonesian/English labels (``forms/codelists/NAME.yaml``)."""

    id: str
    title: Text
    items: tuple[CodelistItem, ...]
    description: Text = dataclasses.field(default_factory=dict)

    def item(self, code: str) -> CodelistItem | None:
        """The item with ``code``, or None."""
        for item in self.items:
            if item.code == code:
                return item
        return None

    def codes(self) -> list[str]:
        """Every code, in file order."""
        return [item.code for item in self.items]


@dataclasses.dataclass(frozen=True)
class Field:
    """One form field; ``fields`` holds a group's child fields (paths relative to each item)."""

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
    #: What one row of a repeat field is called ("Peserta", "Sumber dana"), for its titles and button.
    item_label: Text = dataclasses.field(default_factory=dict)


@dataclasses.dataclass(frozen=True)
class Section:
    """One step of a form: a titled group of fields, optionally with the SOP's intro text."""

    id: str
    title: Text
    fields: tuple[Field, ...]
    sop: Text = dataclasses.field(default_factory=dict)


@dataclasses.dataclass(frozen=True)
class DocumentRequirement:
    """A document the stage asks for; ``type`` is a ``jenis_dokumen`` code."""

    type: str
    required: bool = False


@dataclasses.dataclass(frozen=True)
class Rule:
    """A cross-field rule: ``type`` is a key of RULE_KEYS, ``params`` its other keys from the file."""

    type: str
    params: dict[str, Any]
    message: Text


@dataclasses.dataclass(frozen=True)
class Migration:
    """How drafts made with ``from_version`` become drafts of this version."""

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
        """The top-level field with ``field_id``, or None."""
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
        """The form of ``stage`` (a Stage or its string value)."""
        return self.forms[str(getattr(stage, "value", stage))]

    # A FormSet is also a FormLookup (domain/forms/lookup.py) that knows one version per stage.
    current = for_stage

    def get(self, form_id: str, version: int, form_hash: str) -> FormDefinition | None:
        """The form with exactly this id, version and content hash, or None."""
        for form in self.forms.values():
            if (form.id, form.version, form.content_hash) == (form_id, version, form_hash):
                return form
        return None

    def codelists_for(self, form: FormDefinition) -> dict[str, Codelist]:
        """The codelists ``form`` is rendered and validated with: the set's own."""
        return self.codelists


def forms_dir() -> Path:
    """The folder of the shipped forms: $ODC_FORMS_DIR, the installed odc_forms package, or ./forms."""
    env = os.environ.get("ODC_FORMS_DIR")
    return Path(env) if env else shipped_forms_dir()


def form_hash(path: Path | str) -> str:
    """SHA-256 hex of the form file's bytes: with (id, version) it identifies what an entry used."""
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def load_codelist(path: Path | str, raw: bytes | None = None, *, meta_schema: bool = True) -> Codelist:
    """Load and strictly check one codelist file; FormError names the file and key on failure.

    ``raw``: the file's bytes when already read. ``meta_schema=False`` skips the meta-schema pass,
    only for bytes known to have passed it (see :func:`load_form_set`).
    """
    path = Path(path)
    name = display_name(path)
    _, data = read_yaml(path, raw)
    if meta_schema:
        check_schema(data, "codelist.schema.json", name)
    codes = [item["code"] for item in data["items"]]
    for i, code in enumerate(codes):
        if code in codes[:i]:
            raise FormError("form.duplicate_code", name=name, code=code, index=i)
    if data["id"] != path.stem:
        raise FormError("form.id_not_file_name", name=name, id=data["id"], stem=path.stem)
    items = tuple(CodelistItem(code=i["code"], label=i["label"], ocds=i.get("ocds"), also=i.get("also", {}))
                  for i in data["items"])
    return Codelist(id=data["id"], title=data["title"], items=items,
                    description=data.get("description", {}))


def _field(raw: dict[str, Any]) -> Field:
    return Field(
        id=raw["id"], path=raw["path"], widget=raw["widget"], label=raw["label"],
        help=raw.get("help", {}), sop_step=raw.get("sop_step", ""), required=raw.get("required", False),
        placeholder=raw.get("placeholder", {}), codelist=raw.get("codelist"),
        details_path=raw.get("details_path"), min=raw.get("min"), max=raw.get("max"),
        max_length=raw.get("max_length"), pattern=raw.get("pattern"), roles=tuple(raw.get("roles", ())),
        multiple=raw.get("multiple", False), fields=tuple(_field(c) for c in raw.get("fields", ())),
        item_constants=raw.get("item_constants", {}), item_label=raw.get("item_label", {}),
    )


def load_form(path: Path | str, codelists: dict[str, Codelist], raw: bytes | None = None, *,
              meta_schema: bool = True) -> FormDefinition:
    """Load one form file: meta-schema, then semantic checks against ``codelists``.

    References to other stages (``"tender:hps"``) are only checked for a known stage here; whether the
    field exists there is checked by :func:`load_form_set`, which sees all six forms. ``raw`` and
    ``meta_schema`` as for :func:`load_codelist`.
    """
    path = Path(path)
    name = display_name(path)
    raw_bytes, data = read_yaml(path, raw)
    if meta_schema:
        check_schema(data, "form.schema.json", name)
    jenis = codelists.get("jenis_dokumen")
    check_form_semantics(data, name, set(codelists), set(jenis.codes()) if jenis else None)
    migration = data.get("migrations")
    return FormDefinition(
        id=data["id"], version=data["version"], stage=data["stage"], release_tag=data["release_tag"],
        title=data["title"], description=data.get("description", {}),
        documents_path=data["documents_path"], constants=data.get("constants", {}),
        sections=tuple(Section(id=s["id"], title=s["title"], sop=s.get("sop", {}),
                               fields=tuple(_field(f) for f in s["fields"])) for s in data["sections"]),
        documents=tuple(DocumentRequirement(type=d["type"], required=d.get("required", False))
                        for d in data.get("documents", ())),
        rules=tuple(Rule(type=r["type"], message=r.get("message", {}),
                         params={k: v for k, v in r.items() if k not in ("type", "message")})
                    for r in data.get("rules", ())),
        migration=Migration(from_version=migration["from_version"], renamed=migration.get("renamed", {}),
                            removed=tuple(migration.get("removed", ()))) if migration else None,
        content_hash=hashlib.sha256(raw_bytes).hexdigest(),
    )


def rule_refs(rule: Rule) -> list[str]:
    """Every field reference a rule makes (local ids and ``stage:field``)."""
    return [rule.params[k] for k in RULE_KEYS[rule.type] if k in rule.params]


def check_cross_stage(forms: dict[str, FormDefinition], folder: Path) -> None:
    """Raise FormError when a rule of one form names a field another stage's form does not have."""
    for form in forms.values():
        for i, rule in enumerate(form.rules):
            for ref in rule_refs(rule):
                if ":" not in ref:
                    continue
                stage, field_id = ref.split(":", 1)
                if forms[stage].field(field_id) is None:
                    raise FormError("form.cross_stage_ref", name=display_name(folder / (form.id + ".yaml")),
                                    ref=ref, index=i, stage=stage)


def _load_form_set_uncached(folder: Path, *, checks_cache: Path | None = None) -> FormSet:
    """Read every file once, then load it; see :func:`load_form_set` for ``checks_cache``."""
    codelist_dir = folder / "codelists"
    if not codelist_dir.is_dir():
        raise FormError("form.no_codelists", name=display_name(codelist_dir))
    codelist_paths = sorted(codelist_dir.glob("*.yaml"))
    form_paths = {stage: folder / f"{stage.value}.yaml" for stage in STAGE_ORDER}
    for stage, path in form_paths.items():
        if not path.exists():
            raise FormError("form.stage_form_missing", name=display_name(path), stage=stage)
    # The fingerprint covers exactly the bytes that are parsed below: they are read once.
    files = {path: read_bytes(path) for path in (*codelist_paths, *form_paths.values())}
    fingerprint = None
    meta_schema = True
    if checks_cache is not None:
        fingerprint = files_fingerprint({display_name(p): raw for p, raw in files.items()})
        meta_schema = not meta_checks_passed_before(fingerprint, checks_cache)
    codelists = {c.id: c for c in (load_codelist(p, files[p], meta_schema=meta_schema)
                                   for p in codelist_paths)}
    forms: dict[str, FormDefinition] = {}
    for stage, path in form_paths.items():
        form = load_form(path, codelists, files[path], meta_schema=meta_schema)
        if form.stage != stage.value:
            raise FormError("form.wrong_stage", name=display_name(path), stage=form.stage, expected=stage.value)
        forms[stage.value] = form
    check_cross_stage(forms, folder)
    if checks_cache is not None and fingerprint is not None and meta_schema:
        remember_meta_checks_passed(fingerprint, checks_cache)
    return FormSet(forms=forms, codelists=codelists)


_DEFAULT_SETS: dict[str, FormSet] = {}  # the default folder's form set, loaded once per process


def load_form_set(folder: Path | str | None = None, *, checks_cache: Path | None = None) -> FormSet:
    """All six stage forms and every codelist of ``folder`` (default: :func:`forms_dir`).

    The default folder is loaded once per process (cached). ``checks_cache``: a file in which the
    caller (the CLI, the app) lets the loader remember that the very same bytes passed the meta-schema
    in an earlier run, so that pass is skipped (see :mod:`odc_desktop.domain.forms.definition_checks`); it only
    matters for the load that fills the cache. The semantic checks always run. An explicit folder is
    read afresh and checked in full.
    """
    if folder is None:
        key = str(forms_dir().resolve())
        found = _DEFAULT_SETS.get(key)
        if found is None:
            found = _DEFAULT_SETS[key] = _load_form_set_uncached(Path(key), checks_cache=checks_cache)
        return found
    return _load_form_set_uncached(Path(folder))


def clear_form_set_cache() -> None:
    """Forget the cached default form set (after new form versions arrive by sync, and in tests)."""
    _DEFAULT_SETS.clear()


def migrate_draft(form: FormDefinition, old_version: int, data: dict[str, Any],
                  lang: str = "id") -> tuple[dict[str, Any], list[Problem]]:
    """Move a draft's ``data`` from ``old_version`` to ``form.version`` using ``form.migration``.

    Returns ``(new_data, [])`` on success. When the draft cannot migrate cleanly (no declared step
    from that version, a rename onto a field that already has a value, a value for a field the new
    version neither has nor declares removed), it returns the *unchanged* data and the problems (in
    ``lang``), and the caller keeps the draft on its old version.
    """
    def problem(code: str, path: str = "", **values: Any) -> Problem:
        message = text(f"form.{code}", lang, old=old_version, new=form.version, **values)
        return Problem(path=path, field_id=path or None, code=code, message=message)

    if old_version == form.version:
        return dict(data), []
    mig = form.migration
    if mig is None or mig.from_version != old_version:
        return dict(data), [problem("migration_unavailable", form=text_in(form.title, lang))]
    problems: list[Problem] = []
    known = {f.id for f in form.all_fields()}
    new: dict[str, Any] = {}
    for key, value in data.items():
        if key in mig.removed:
            continue
        target = mig.renamed.get(key, key)
        if target in new or (target != key and target in data):
            problems.append(problem("migration_conflict", target, key=key, target=target))
            continue
        if target not in known:
            problems.append(problem("migration_unknown_field", key, key=key))
            continue
        new[target] = value
    if problems:
        return dict(data), problems
    return new, []
