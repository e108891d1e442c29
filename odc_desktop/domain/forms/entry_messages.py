"""Sentences for entry problems, in Bahasa Indonesia and English, built from field labels.

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

if TYPE_CHECKING:  # jsonschema costs ~0.1 s to import: the start path (parsers, file store) must not pay it
    import jsonschema

T: dict[str, dict[str, str]] = {
    "required": {"id": "{label} wajib diisi.", "en": "{label} is required."},
    "required_items": {"id": "{label} wajib diisi (paling sedikit satu).",
                       "en": "{label} is required (at least one)."},
    "money": {"id": "{label} harus berupa nilai rupiah bulat, mis. Rp 1.250.000.000.",
              "en": "{label} must be a whole rupiah amount, e.g. Rp 1.250.000.000."},
    "number": {"id": "{label} harus berupa angka.", "en": "{label} must be a number."},
    "text": {"id": "{label} harus berupa teks.", "en": "{label} must be text."},
    "list": {"id": "{label} harus berupa daftar.", "en": "{label} must be a list."},
    "object": {"id": "{label} tidak lengkap atau rusak; isi ulang kolom ini.",
               "en": "{label} is incomplete or damaged; fill in this field again."},
    "minimum": {"id": "{label} tidak boleh kurang dari {limit}.", "en": "{label} cannot be less than {limit}."},
    "maximum": {"id": "{label} tidak boleh lebih dari {limit}.", "en": "{label} cannot be more than {limit}."},
    "percent": {"id": "{label} harus antara {low} dan {high} persen.",
                "en": "{label} must be between {low} and {high} percent."},
    "too_long": {"id": "{label} terlalu panjang: paling banyak {limit} karakter.",
                 "en": "{label} is too long: at most {limit} characters."},
    "pattern": {"id": "{label} tidak sesuai format; lihat contoh pada petunjuk di samping kolom.",
                "en": "{label} has the wrong format; see the example in the help beside the field."},
    "date": {"id": "{label} harus berupa tanggal yang valid (HH-BB-TTTT, mis. 17-08-2026).",
             "en": "{label} must be a valid date (DD-MM-YYYY, e.g. 17-08-2026)."},
    "codelist": {"id": "{label}: '{value}' tidak ada dalam daftar {list}; pilih dari daftar.",
                 "en": "{label}: '{value}' is not in the {list} list; choose from the list."},
    "npwp": {"id": "NPWP {label} harus 15 digit (mis. 01.234.567.8-901.000) atau 16 digit.",
             "en": "The NPWP of {label} must have 15 digits (e.g. 01.234.567.8-901.000) or 16 digits."},
    "scale": {"id": "Skala usaha {label} harus mikro, kecil/menengah, atau besar.",
              "en": "The business size of {label} must be micro, small/medium or large."},
    "org_name": {"id": "Nama {label} wajib diisi.", "en": "The name of {label} is required."},
    "unknown": {"id": "Isian '{key}' tidak dikenal oleh formulir {form}; hapus isian ini.",
                "en": "Value '{key}' is not part of the {form} form; remove it."},
    "invalid": {"id": "{label} tidak valid; periksa kembali isiannya.",
                "en": "{label} is not valid; check the value again."},
    "date_order": {"id": "{second} tidak boleh sebelum {first}.", "en": "{second} cannot be before {first}."},
    "value_lte": {"id": "{first} tidak boleh lebih dari {second}.", "en": "{first} cannot exceed {second}."},
    "missing_document": {"id": "Dokumen wajib '{label}' untuk tahap {stage} belum dilampirkan. "
                               "Lampirkan berkas PDF atau foto hasil pindaian.",
                         "en": "The required document '{label}' for the {stage} stage is not attached. "
                               "Attach a PDF or scanned image."},
    "row": {"id": "{group}, baris {n}", "en": "{group}, row {n}"},
    "entry": {"id": "Data entri rusak (bukan daftar isian); buka ulang formulir dan simpan kembali.",
              "en": "The entry data is damaged (not a set of fields); reopen the form and save again."},
    "nth": {"id": "{label} ke-{n}", "en": "{label} no. {n}"},
    # What the operator typed cannot be read for certain (odc_desktop.domain.parsing): say what to type.
    "rupiah_unreadable": {"id": "'{text}' bukan nilai rupiah yang jelas. Ketik angkanya saja, mis. 1250000000, "
                                "1.250.000.000 atau 1,25 M.",
                          "en": "'{text}' is not a clear rupiah amount. Type the number only, e.g. 1250000000, "
                                "1.250.000.000 or 1,25 M."},
    "rupiah_ambiguous": {"id": "'{text}' dapat dibaca lebih dari satu cara. Tulis rupiah tanpa sen, mis. "
                               "1.250.000 atau 1250000.",
                         "en": "'{text}' can be read more than one way. Write whole rupiah, e.g. 1.250.000 "
                               "or 1250000."},
    "rupiah_fraction": {"id": "'{text}' memuat pecahan rupiah (sen). Isi nilai rupiah bulat, mis. {whole}.",
                        "en": "'{text}' contains a fraction of a rupiah (sen). Enter whole rupiah, e.g. {whole}."},
    "rupiah_negative": {"id": "Nilai rupiah tidak boleh negatif ('{text}'). Ketik nilainya tanpa tanda minus.",
                        "en": "A rupiah amount cannot be negative ('{text}'). Type it without the minus sign."},
    "npwp_unreadable": {"id": "'{text}' bukan NPWP: NPWP hanya berisi angka, mis. 01.234.567.8-601.000 atau "
                              "16 digit 3522012345678901.",
                        "en": "'{text}' is not an NPWP: an NPWP has digits only, e.g. 01.234.567.8-601.000 or "
                              "the 16 digits 3522012345678901."},
    "npwp_length": {"id": "NPWP harus 15 atau 16 digit; '{text}' berisi {count} digit. Periksa kembali angkanya.",
                    "en": "An NPWP has 15 or 16 digits; '{text}' has {count}. Check the number again."},
    "date_unreadable": {"id": "'{text}' bukan tanggal yang dikenali. Ketik HH-BB-TTTT, mis. 17-08-2026, "
                              "atau 17 Agustus 2026.",
                        "en": "'{text}' is not a date we can read. Type DD-MM-YYYY, e.g. 17-08-2026, "
                              "or 17 Agustus 2026."},
    "date_impossible": {"id": "Tanggal '{text}' tidak ada di kalender. Periksa hari dan bulannya.",
                        "en": "The date '{text}' does not exist. Check the day and the month."},
    "date_too_early": {"id": "Tanggal {date} terlalu lama (sebelum tahun 2000). Periksa tahunnya.",
                       "en": "The date {date} is too early (before 2000). Check the year."},
    "document_empty": {"id": "Berkas '{name}' kosong (0 byte). Pindai atau simpan ulang dokumennya, lalu "
                             "lampirkan berkas yang berisi.",
                       "en": "The file '{name}' is empty (0 bytes). Scan or save the document again, then attach "
                             "the file with its content."},
    "document_not_kind": {"id": "Berkas '{name}' bukan {kind} yang sah meskipun namanya begitu (isinya tidak "
                                "dikenali). Buka berkas itu untuk memeriksanya, atau simpan ulang sebagai {kind}.",
                          "en": "The file '{name}' is not a valid {kind} although its name says so (its content "
                                "is not recognised). Open it to check, or save it again as {kind}."},
    "date_too_late": {"id": "Tanggal {date} lebih dari 10 tahun ke depan. Periksa tahunnya.",
                      "en": "The date {date} is more than 10 years ahead. Check the year."},
}


def say(sentence: str, lang: str, **values: Any) -> str:
    """The sentence named ``sentence`` in ``lang`` (Indonesian when unknown), filled with ``values``."""
    return text_in(T[sentence], lang).format(**values)


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
