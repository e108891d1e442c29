"""Operator-readable messages of the OCDS checks (layer 2), in Bahasa Indonesia and English.

Each message says what is wrong and where to fix it. Codes are stable: the UI, CLI and server
count and filter problems by code.
"""

from __future__ import annotations

from typing import Any

from odc_desktop.domain.forms.definition import text_in
from odc_desktop.domain.problems import Problem

MESSAGES: dict[str, dict[str, str]] = {
    "duplicate_id": {
        "id": "id '{id}' dipakai lebih dari sekali dalam {array} (pertama di {first}). Setiap isian {array} "
              "harus punya id sendiri.",
        "en": "id '{id}' is used more than once in {array} (first at {first}). Each entry of {array} needs "
              "its own id."},
    "duplicate_release_id": {
        "id": "Rilis dengan ocid '{ocid}' dan id '{id}' muncul lebih dari sekali (pertama di {first}).",
        "en": "The release with ocid '{ocid}' and id '{id}' appears more than once (first at {first})."},
    "dangling_award_id": {
        "id": "awardID '{award_id}' pada kontrak tidak merujuk ke penetapan pemenang mana pun. Periksa tahap "
              "Penetapan pemenang paket ini.",
        "en": "awardID '{award_id}' of the contract does not refer to any award. Check the award stage of "
              "this process."},
    "party_ref_no_id": {
        "id": "Rujukan {role_label} tidak memiliki id pihak. Isi ulang organisasinya di formulir.",
        "en": "The {role_label} reference has no party id. Enter the organization again in the form."},
    "party_missing": {
        "id": "Pihak '{name}' (id '{id}') dirujuk sebagai {role_label} tetapi tidak ada di daftar pihak "
              "(parties).",
        "en": "Party '{name}' (id '{id}') is referenced as {role_label} but is not in the parties list."},
    "party_role_missing": {
        "id": "Pihak '{name}' dirujuk sebagai {role_label} tetapi di daftar pihak tidak memiliki peran "
              "'{role}'.",
        "en": "Party '{name}' is referenced as {role_label} but lacks the role '{role}' in the parties list."},
    "period_reversed": {
        "id": "Tanggal selesai ({end}) lebih awal dari tanggal mulai ({start}). Perbaiki salah satu tanggal.",
        "en": "The end date ({end}) is before the start date ({start}). Correct one of the dates."},
    "datetime_no_offset": {
        "id": "Tanggal-waktu '{value}' tidak mencantumkan zona waktu. Tulis dengan offset, mis. "
              "2024-03-01T00:00:00+07:00 (WIB).",
        "en": "The date-time '{value}' has no time zone. Write it with an offset, e.g. "
              "2024-03-01T00:00:00+07:00 (WIB)."},
    "datetime_invalid": {
        "id": "'{value}' bukan tanggal-waktu yang sah. Gunakan bentuk 2024-03-01T00:00:00+07:00.",
        "en": "'{value}' is not a valid date-time. Use the form 2024-03-01T00:00:00+07:00."},
    "contract_above_pagu": {
        "id": "Nilai kontrak {value} melebihi pagu anggaran {limit}. Periksa nilai kontrak atau pagu di "
              "tahap Perencanaan.",
        "en": "The contract value {value} exceeds the budget ceiling {limit}. Check the contract value "
              "or the planning budget."},
    "award_above_hps": {
        "id": "Nilai penetapan pemenang {value} melebihi HPS {limit}. Periksa nilai penetapan atau HPS "
              "di tahap Pemilihan.",
        "en": "The award value {value} exceeds the owner's estimate (HPS) {limit}. Check the award "
              "value or the tender's HPS."},
    "transactions_above_contract": {
        "id": "Jumlah pembayaran {value} melebihi nilai kontrak {limit}. Periksa daftar pembayaran "
              "(SP2D) atau nilai kontrak.",
        "en": "Payments total {value}, more than the contract value {limit}. Check the payments "
              "(SP2D) or the contract value."},
    "open_codelist": {
        "id": "'{value}' bukan kode {codelist} OCDS; pembaca data mungkin tidak memahaminya.",
        "en": "'{value}' is not an OCDS {codelist} code; data users may not understand it."},
    "merge_failed": {
        "id": "Rilis ocid '{ocid}' tidak dapat digabung menjadi rilis terkompilasi: {reason}",
        "en": "The releases of ocid '{ocid}' cannot be compiled: {reason}"},
    "not_ocds": {
        "id": "Bukan paket atau rilis OCDS: tidak ada `releases`, `records` atau `ocid`{what}.",
        "en": "not an OCDS package or release: no `releases`, `records` or `ocid`{what}."},
    "items_not_list": {
        "id": "`{key}` harus berupa daftar, bukan {actual}.",
        "en": "`{key}` must be a list, not {actual}."},
    "too_deep": {
        "id": "Isian ini bersarang terlalu dalam (lebih dari 64 tingkat) untuk data OCDS; tidak diperiksa.",
        "en": "This entry is nested too deeply (more than 64 levels) for OCDS data; it was not checked."},
    "not_object": {
        "id": "Isian ini harus berupa objek JSON, bukan {actual}.",
        "en": "This entry must be a JSON object, not {actual}."},
    "package_field_missing": {
        "id": "Paket tidak memiliki isian wajib '{field}'.",
        "en": "The package lacks the required field '{field}'."},
    "package_version": {
        "id": "Versi paket '{value}' tidak didukung; gunakan '1.1'.",
        "en": "Package version '{value}' is not supported; use '1.1'."},
}

#: Schema findings in words (the profile's, and the official schema's at the error level).
SCHEMA_TEXT: dict[str, dict[str, str]] = {
    "required": {"id": "Isian wajib '{field}' tidak ada.", "en": "The required field '{field}' is missing."},
    "enum": {"id": "Nilai '{value}' tidak diizinkan untuk {field}. Pilihan: {choices}.",
             "en": "'{value}' is not allowed for {field}. Choices: {choices}."},
    "type": {"id": "{field} harus berupa {expected}, bukan {actual}.",
             "en": "{field} must be {expected}, not {actual}."},
    "empty": {"id": "{field} tidak boleh kosong.", "en": "{field} must not be empty."},
    "range": {"id": "{field} bernilai {value}, di luar batas {limit}.",
              "en": "{field} is {value}, outside the limit {limit}."},
    "ocid": {"id": "ocid '{value}' harus diawali prefiks OCDS berbentuk ocds-xxxxxx- (6 huruf kecil/angka).",
             "en": "ocid '{value}' must start with an OCDS prefix of the form ocds-xxxxxx- "
                   "(6 lowercase letters/digits)."},
    "pattern": {"id": "{field} '{value}' tidak sesuai bentuk yang diharuskan ({pattern}).",
                "en": "{field} '{value}' does not have the required form ({pattern})."},
    "currency": {"id": "Nilai uang di {field} harus mencantumkan mata uang (currency: IDR).",
                 "en": "The amount in {field} must state its currency (currency: IDR)."},
    "other": {"id": "{field}: {detail}", "en": "{field}: {detail}"},
    "closed_enum": {"id": "Nilai {value} tidak ada dalam daftar kode tertutup untuk {field}.",
                    "en": "{value} is not in the closed codelist of {field}."},
    "date-time": {"id": "{field} '{value}' bukan tanggal-waktu yang sah (mis. 2024-03-01T00:00:00+07:00).",
                  "en": "{field} '{value}' is not a valid date-time (e.g. 2024-03-01T00:00:00+07:00)."},
    "uri": {"id": "{field} '{value}' bukan URI yang sah (mis. https://contoh.go.id/...).",
            "en": "{field} '{value}' is not a valid URI (e.g. https://example.org/...)."},
    "schema_other": {"id": "{field} tidak sesuai skema OCDS: {detail}",
                     "en": "{field} does not follow the OCDS schema: {detail}"},
}

#: The level of each code (others: "profile"): "error" for the rules of the standard itself.
CODE_LEVELS: dict[str, str] = {
    "duplicate_id": "error", "duplicate_release_id": "error", "dangling_award_id": "error",
    "party_missing": "error", "period_reversed": "error", "not_ocds": "error", "not_object": "error",
    "merge_failed": "error", "items_not_list": "error", "too_deep": "error", "award_above_hps": "flag", "contract_above_pagu": "flag",
    "transactions_above_contract": "flag",
}

ROLE_LABELS: dict[str, dict[str, str]] = {
    "buyer": {"id": "pembeli (OPD)", "en": "buyer"},
    "procuringEntity": {"id": "pelaksana pengadaan", "en": "procuring entity"},
    "supplier": {"id": "penyedia (pemenang)", "en": "supplier"},
    "tenderer": {"id": "peserta tender", "en": "tenderer"},
    "payer": {"id": "pembayar", "en": "payer"},
    "payee": {"id": "penerima pembayaran", "en": "payee"},
    "sourceParty": {"id": "sumber dana", "en": "source of funds"},
}

JSON_TYPES: dict[str, dict[str, str]] = {
    "string": {"id": "teks", "en": "text"}, "number": {"id": "angka", "en": "a number"},
    "integer": {"id": "bilangan bulat", "en": "a whole number"}, "array": {"id": "daftar", "en": "a list"},
    "object": {"id": "objek", "en": "an object"}, "boolean": {"id": "ya/tidak", "en": "true/false"},
    "null": {"id": "kosong (null)", "en": "null"},
}


def rupiah(amount: float, lang: str) -> str:
    """``1500000`` → ``"1.500.000"`` (id, and any unknown language) or ``"1,500,000"`` (en)."""
    text = f"{amount:,.0f}"
    return text if lang == "en" else text.replace(",", ".")


def money(amount: float, currency: str | None, lang: str) -> str:
    """An amount in the data's own currency: ``Rp 1.500.000`` (IDR, id), ``GBP 1,234.50`` otherwise."""
    whole = float(amount).is_integer()
    text = f"{amount:,.0f}" if whole else f"{amount:,.2f}"
    if lang != "en":
        text = text.replace(",", "\x00").replace(".", ",").replace("\x00", ".")
    if currency == "IDR" and lang != "en":
        return f"Rp {text}"
    return f"{currency} {text}" if currency else text


def json_type_name(value: Any, lang: str) -> str:
    """The JSON type of a Python value, named for a reader."""
    name = {dict: "object", list: "array", str: "string", bool: "boolean", type(None): "null"}.get(
        type(value), "integer" if isinstance(value, int) else "number")
    return text_in(JSON_TYPES[name], lang)


def problem(path: str, code: str, lang: str, severity: str = "error", **params: Any) -> Problem:
    """A Problem whose message is the code's template in ``lang`` filled with ``params``."""
    if "role" in params:
        params.setdefault("role_label", text_in(ROLE_LABELS.get(params["role"]), lang) or params["role"])
    message = text_in(MESSAGES[code], lang).format(**params)
    return Problem(path=path, message=message, code=code, severity=severity, level=CODE_LEVELS.get(code, "profile"))


def describe_value(obj: Any, lang: str) -> str:
    """What the data is instead, in parentheses; nothing for an empty object (``{}``)."""
    english = lang == "en"
    if isinstance(obj, dict):
        if not obj:
            return ""
        keys = ", ".join(list(map(str, obj))[:6])
        return f" (an object with keys {keys})" if english else f" (objek dengan kunci {keys})"
    if isinstance(obj, list):
        return f" (a list of {len(obj)} items)" if english else f" (daftar {len(obj)} isian)"
    return f" ({json_type_name(obj, lang)})"
