"""Strict checks of form and codelist files, before they become dataclasses.

Two passes: the meta-schema (``forms/form.schema.json``, ``forms/codelist.schema.json``; unknown keys
are errors because every object there has ``additionalProperties: false``), then semantic checks the
schema cannot express (unique ids, widget-specific keys, codelists and rule references that exist).
Every failure is a :class:`FormError` whose message, in Bahasa Indonesia, names the file and the key.

The meta-schema pass is the slow one (jsonschema and its dependencies take ~0.05 s to import, the
validation as long again), and the shipped forms are loaded at every start. So a small file remembers
the fingerprint (:func:`files_fingerprint`) of the last set of files that passed it; the same bytes are
not checked again (see :func:`meta_checks_passed_before`). Which file is the caller's to say (the CLI
and the app pass one in the user cache folder): this module reads no settings and no data folder.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import json
import logging
import os
import re
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml

from odc_desktop import __version__
from odc_desktop.domain.shipped import shipped_folder
from odc_desktop.domain.statuses import Stage

if TYPE_CHECKING:
    import jsonschema

log = logging.getLogger(__name__)

PLACEHOLDERS = ("{ocid}", "{award_id}", "{contract_id}", "{buyer}", "{supplier}")
NUMERIC_WIDGETS = ("money", "number", "percent")
TEXT_WIDGETS = ("text", "textarea")
# Keys that only make sense for some widgets: a misplaced one is a mistake in the file.
WIDGET_ONLY_KEYS = {
    "codelist": ("select",), "details_path": ("select",),
    "roles": ("organization",), "multiple": ("organization",),
    "fields": ("group",), "item_constants": ("group",), "item_label": ("group", "organization"),
    "min": NUMERIC_WIDGETS, "max": NUMERIC_WIDGETS,
    "max_length": TEXT_WIDGETS, "pattern": TEXT_WIDGETS,
}
#: The keys of each rule type that hold field references, in the order the rule reads them:
#: date_order and value_lte say first <= second; required_if says field is required when `when` is
#: filled (and differs from `differs_from`, an optional key). The only place these names are spelled.
RULE_KEYS: dict[str, tuple[str, ...]] = {
    "date_order": ("first", "second"),
    "value_lte": ("field", "other"),
    "required_if": ("field", "when", "differs_from"),
}
#: Widgets the compared fields of an ordering rule may have (required_if takes any field).
RULE_WIDGETS = {"date_order": ("date",), "value_lte": NUMERIC_WIDGETS}
_STAGES = frozenset(stage.value for stage in Stage)
_PLACEHOLDER_RE = re.compile(r"\{[^{}]*\}")
# The same safe loader as yaml.safe_load, in C when libyaml is present: it is ~8x faster, and the
# forms are loaded at every application start.
_SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
META_SCHEMAS = ("form.schema.json", "codelist.schema.json")


class FormError(ValueError):
    """A form or codelist file is malformed; the message says which file and which key."""


def display_name(path: Path) -> str:
    """A short name for messages: ``forms/planning.yaml`` or ``forms/codelists/opd.yaml``."""
    parts = path.parts
    keep = 3 if len(parts) >= 3 and parts[-2] == "codelists" else 2
    return "/".join(parts[-keep:])


def read_bytes(path: Path) -> bytes:
    """The file's bytes; FormError (no traceback text) when unreadable."""
    try:
        return path.read_bytes()
    except OSError as exc:
        raise FormError(f"{display_name(path)}: berkas tidak dapat dibaca ({exc.strerror or exc}).") from exc


def read_yaml(path: Path, raw: bytes | None = None) -> tuple[bytes, dict[str, Any]]:
    """The file's bytes (``raw`` when already read) and its YAML mapping; FormError when unusable."""
    name = display_name(path)
    if raw is None:
        raw = read_bytes(path)
    try:
        data = yaml.load(raw, Loader=_SAFE_LOADER)  # noqa: S506 - a safe loader, C-accelerated
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" di baris {mark.line + 1}, kolom {mark.column + 1}" if mark else ""
        problem = getattr(exc, "problem", None) or "format tidak dikenali"
        raise FormError(f"{name}: YAML tidak valid{where} ({problem}). Periksa indentasi dan "
                        "tanda titik dua pada baris tersebut.") from exc
    if not isinstance(data, dict):
        raise FormError(f"{name}: isi berkas harus berupa pemetaan (kunci: nilai), bukan "
                        f"{type(data).__name__}.")
    return raw, data


def shipped_forms_dir() -> Path:
    """The forms shipped with the code: the installed odc_forms package, else the repo's forms/."""
    return shipped_folder("odc_forms", "planning.yaml", "forms")


@functools.cache
def _validator(schema_file: str) -> jsonschema.Draft202012Validator:
    import jsonschema  # ~0.05 s: only when a form file is actually checked (see module docstring)

    # Always the shipped meta-schema, never $ODC_FORMS_DIR's: forms under test bring no rules of their own.
    schema = json.loads((shipped_forms_dir() / schema_file).read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema)


def location(path: Any) -> str:
    """``sections[0].fields[2]`` for a JSON path; ``tingkat atas`` for the root."""
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out or "tingkat atas"


def _schema_message(error: jsonschema.ValidationError) -> str:
    where = location(error.absolute_path)
    kind = error.validator
    if kind == "additionalProperties" and isinstance(error.instance, dict):
        allowed = set(error.schema.get("properties", {}))
        extra = sorted(k for k in error.instance if k not in allowed)
        keys = ", ".join(f"'{k}'" for k in extra)
        return f"kunci tidak dikenal {keys} di {where}"
    if kind == "required":
        missing = [k for k in error.validator_value if k not in error.instance]
        return f"kunci wajib {', '.join(repr(k) for k in missing)} tidak ada di {where}"
    if kind in ("enum", "const"):
        choices = error.validator_value if kind == "enum" else [error.validator_value]
        return (f"nilai {error.instance!r} tidak dikenal di {where}; pilihan: "
                + ", ".join(str(c) for c in choices))
    if kind == "type":
        return f"nilai di {where} harus bertipe {error.validator_value}, bukan {type(error.instance).__name__}"
    if kind == "pattern":
        return f"nilai {error.instance!r} di {where} tidak sesuai format (pola {error.validator_value})"
    if kind in ("minItems", "minLength"):
        return f"{where} tidak boleh kosong"
    if kind == "minimum":
        return f"nilai di {where} minimal {error.validator_value}"
    return f"nilai di {where} tidak valid ({kind})"


def check_schema(data: dict[str, Any], schema_file: str, name: str) -> None:
    """Raise FormError listing every meta-schema violation (unknown keys first-class)."""
    errors = sorted(_validator(schema_file).iter_errors(data),
                    key=lambda e: [str(p) for p in e.absolute_path])
    if errors:
        # dict.fromkeys: one line per distinct finding (a missing-keys error repeats once per key)
        lines = list(dict.fromkeys(f"{name}: {_schema_message(e)}" for e in errors))[:10]
        raise FormError("\n".join(lines))


# remembering which files passed the meta-schema ------------------------------------------------
def files_fingerprint(files: dict[str, bytes]) -> str:
    """SHA-256 over ``files`` (name → bytes), the shipped meta-schemas and the package version.

    Any changed byte, added or removed file, new meta-schema or new ODC Desktop gives a new value.
    """
    digest = hashlib.sha256(f"odc-desktop {__version__}\n".encode())
    meta = {f"meta-schema/{name}": (shipped_forms_dir() / name).read_bytes() for name in META_SCHEMAS}
    for name, raw in sorted({**meta, **files}.items()):
        digest.update(f"{name}\0{len(raw)}\0".encode())
        digest.update(raw)
    return digest.hexdigest()


def meta_checks_passed_before(fingerprint: str, path: Path) -> bool:
    """Whether files with this fingerprint passed the meta-schema before, as remembered in ``path``; a
    cache that is missing or unreadable counts as no (logged), so the files are simply checked again."""
    try:
        recorded = json.loads(path.read_text(encoding="utf-8")).get("meta_schema_passed")
    except FileNotFoundError:
        return False
    except (OSError, ValueError, AttributeError) as exc:
        log.warning("form check cache %s unusable, checking the forms again: %s", path, exc)
        return False
    return recorded == fingerprint


def remember_meta_checks_passed(fingerprint: str, path: Path) -> None:
    """Record in ``path`` that files with this fingerprint passed; failing to write is logged, never
    raised."""
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp.write_text(json.dumps({"meta_schema_passed": fingerprint}), encoding="utf-8")
        os.replace(tmp, path)  # atomic: a crash or a second app leaves one whole file
    except OSError as exc:
        log.warning("cannot write form check cache %s (forms are checked at every start): %s",
                    path, exc)
        with contextlib.suppress(OSError):  # best effort; a stray temp file is harmless
            tmp.unlink(missing_ok=True)


def _check_constants(constants: dict[str, Any], where: str, name: str) -> None:
    for key, value in constants.items():
        for token in _PLACEHOLDER_RE.findall(value) if isinstance(value, str) else ():
            if token not in PLACEHOLDERS:
                raise FormError(f"{name}: placeholder tidak dikenal {token!r} di {where}.{key}; "
                                f"pilihan: {', '.join(PLACEHOLDERS)}")


def _check_field(field: dict[str, Any], where: str, name: str, codelists: set[str],
                 in_group: bool) -> None:
    widget = field["widget"]
    for key, widgets in WIDGET_ONLY_KEYS.items():
        if key in field and widget not in widgets:
            raise FormError(f"{name}: kunci '{key}' tidak berlaku untuk widget '{widget}' di {where}")
    if widget == "select":
        if "codelist" not in field:
            raise FormError(f"{name}: widget 'select' memerlukan kunci 'codelist' di {where}")
        if field["codelist"] not in codelists:
            raise FormError(f"{name}: codelist tidak dikenal '{field['codelist']}' di {where}.codelist")
    if widget == "organization" and not field.get("roles"):
        raise FormError(f"{name}: widget 'organization' memerlukan 'roles' di {where}")
    if widget == "group":
        if in_group:
            raise FormError(f"{name}: grup di dalam grup tidak didukung di {where}")
        if not field.get("fields"):
            raise FormError(f"{name}: widget 'group' memerlukan 'fields' (kolom anak) di {where}")
        _check_unique([f["id"] for f in field["fields"]], f"{where}.fields", name)
        for i, child in enumerate(field["fields"]):
            _check_field(child, f"{where}.fields[{i}]", name, codelists, in_group=True)
        _check_constants(field.get("item_constants", {}), f"{where}.item_constants", name)
    if "pattern" in field:
        try:
            re.compile(field["pattern"])
        except re.error as exc:
            raise FormError(f"{name}: pola regex tidak valid di {where}.pattern ({exc})") from exc
    if "min" in field and "max" in field and field["min"] > field["max"]:
        raise FormError(f"{name}: 'min' lebih besar dari 'max' di {where}")


def _check_unique(ids: list[str], where: str, name: str) -> None:
    seen: set[str] = set()
    for field_id in ids:
        if field_id in seen:
            raise FormError(f"{name}: id kolom ganda '{field_id}' di {where}")
        seen.add(field_id)


def _check_ref(ref: str, where: str, name: str, widgets: dict[str, str],
               allowed: tuple[str, ...] | None) -> None:
    """A local reference must name a top-level field (of a fitting widget); ``stage:field`` a Stage."""
    if ":" in ref:
        stage = ref.split(":", 1)[0]
        if stage not in _STAGES:
            raise FormError(f"{name}: tahap tidak dikenal '{stage}' dalam rujukan '{ref}' di {where}")
        return
    if ref not in widgets:
        raise FormError(f"{name}: aturan merujuk kolom yang tidak ada '{ref}' di {where}")
    if allowed and widgets[ref] not in allowed:
        raise FormError(f"{name}: kolom '{ref}' (widget '{widgets[ref]}') tidak cocok untuk aturan di "
                        f"{where}; harus: {', '.join(allowed)}")


def check_form_semantics(data: dict[str, Any], name: str, codelists: set[str],
                         document_codes: set[str] | None) -> None:
    """Raise FormError for what the meta-schema cannot see (see the module docstring)."""
    _check_unique([s["id"] for s in data["sections"]], "sections", name)
    top = [(f"sections[{si}].fields[{fi}]", f)
           for si, s in enumerate(data["sections"]) for fi, f in enumerate(s["fields"])]
    ids = [f["id"] for _, f in top]
    seen: set[str] = set()
    for where, field in top:
        if field["id"] in seen:
            raise FormError(f"{name}: id kolom ganda '{field['id']}' di {where}")
        seen.add(field["id"])
        _check_field(field, where, name, codelists, in_group=False)
    widgets = {f["id"]: f["widget"] for _, f in top}
    _check_constants(data.get("constants", {}), "constants", name)
    for i, doc in enumerate(data.get("documents", [])):
        if document_codes is None:
            raise FormError(f"{name}: codelist 'jenis_dokumen' tidak ada, dokumen di documents[{i}] "
                            "tidak dapat diperiksa")
        if doc["type"] not in document_codes:
            raise FormError(f"{name}: jenis dokumen tidak dikenal '{doc['type']}' di documents[{i}].type")
    for i, rule in enumerate(data.get("rules", [])):
        where = f"rules[{i}]"
        keys = [key for key in RULE_KEYS[rule["type"]] if key in rule]
        for key in keys:
            _check_ref(rule[key], f"{where}.{key}", name, widgets, RULE_WIDGETS.get(rule["type"]))
        # An ordering rule is shown beside a field of this form, so it needs one.
        if rule["type"] in RULE_WIDGETS and all(":" in rule[k] for k in keys):
            raise FormError(f"{name}: aturan di {where} harus merujuk setidaknya satu kolom formulir ini")
    migration = data.get("migrations")
    if migration:
        if migration["from_version"] >= data["version"]:
            raise FormError(f"{name}: migrations.from_version harus lebih kecil dari version "
                            f"({data['version']})")
        for old, new in migration.get("renamed", {}).items():
            if new not in ids:
                raise FormError(f"{name}: migrations.renamed.{old} menunjuk kolom yang tidak ada '{new}'")
        for gone in migration.get("removed", []):
            if gone in ids:
                raise FormError(f"{name}: migrations.removed berisi '{gone}', padahal kolom itu masih ada")
