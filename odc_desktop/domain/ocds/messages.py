"""Operator-readable messages of the OCDS checks (layer 2), in Bahasa Indonesia and English.

Each message says what is wrong and where to fix it. Codes are stable: the UI, CLI and server
count and filter problems by code. The sentences are areas of the message catalogue
(:mod:`odc_desktop.messages`): ``ocds`` (a problem's code is its key), ``ocds_schema`` (schema findings
in words), ``ocds_role`` (party roles) and ``json_type`` (JSON types named for a reader).
"""

from __future__ import annotations

from typing import Any

from odc_desktop.domain.problems import Problem
from odc_desktop.messages import text

#: The level of each code (others: "profile"): "error" for the rules of the standard itself.
CODE_LEVELS: dict[str, str] = {
    "duplicate_id": "error", "duplicate_release_id": "error", "dangling_award_id": "error",
    "party_missing": "error", "period_reversed": "error", "not_ocds": "error", "not_object": "error",
    "merge_failed": "error", "items_not_list": "error", "too_deep": "error", "award_above_hps": "flag", "contract_above_pagu": "flag",
    "transactions_above_contract": "flag", "hps_above_pagu": "flag", "contract_above_award": "flag",
    "single_bidder": "flag", "tender_period_short": "flag", "contract_signed_before_award": "flag",
    "split_below_direct_ceiling": "flag",
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
    return text(f"json_type.{name}", lang)


def json_type_label(name: str, lang: str) -> str:
    """A JSON Schema type name (``"string"``, ``"Array"``…) for a reader; the name itself when unknown."""
    try:
        return text(f"json_type.{name.lower()}", lang)
    except KeyError:
        return name


def schema_text(kind: str, lang: str, **params: Any) -> str:
    """A schema finding in words (the catalogue's area ``ocds_schema``)."""
    return text(f"ocds_schema.{kind}", lang, **params)


def role_label(role: str, lang: str) -> str:
    """A party role named for a reader; the role code itself when unknown."""
    try:
        return text(f"ocds_role.{role}", lang)
    except KeyError:
        return role


def problem(path: str, code: str, lang: str, severity: str = "error", **params: Any) -> Problem:
    """A Problem whose message is the code's template in ``lang`` filled with ``params``."""
    if "role" in params:
        params.setdefault("role_label", role_label(params["role"], lang))
    message = text(f"ocds.{code}", lang, **params)
    return Problem(path=path, message=message, code=code, severity=severity, level=CODE_LEVELS.get(code, "profile"))


def describe_value(obj: Any, lang: str) -> str:
    """What the data is instead, in parentheses; nothing for an empty object (``{}``)."""
    if isinstance(obj, dict):
        if not obj:
            return ""
        return text("ocds.describe_object", lang, keys=", ".join(list(map(str, obj))[:6]))
    if isinstance(obj, list):
        return text("ocds.describe_list", lang, count=len(obj))
    return f" ({json_type_name(obj, lang)})"
