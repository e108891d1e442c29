"""Source values → form values, through the shared parsers of :mod:`odc_desktop.domain.parsing`.

ISB/Inaproc values arrive as int, float (read exactly, as Decimal), or text in several formats. Each
``read_*`` returns the form value or raises :class:`Unreadable` with the reason; nothing is guessed:
an Indonesian label that could mean two codelist entries is refused, not picked.
"""

from __future__ import annotations

import datetime as dt
import html
import re
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from html.parser import HTMLParser
from typing import Any

from odc_desktop.domain.forms.entry_schema import MAX_RUPIAH
from odc_desktop.domain.parsing import InputRefused, parse_date, parse_npwp, parse_rupiah
from odc_desktop.importers.rows import both

#: Dates and times without an offset are local time in Indonesia's western zone (WIB).
WIB = dt.timezone(dt.timedelta(hours=7))


class Unreadable(ValueError):
    """A source value that cannot be read for certain; ``reason`` is a message in both languages."""

    def __init__(self, reason: dict[str, str]):
        super().__init__(reason["en"])
        self.reason = reason


def _refused(error: InputRefused) -> Unreadable:
    return Unreadable({"id": error.message("id"), "en": error.message("en")})


def _kind(value: Any) -> str:
    return {bool: "boolean", dict: "object", list: "list"}.get(type(value), type(value).__name__)


def _wrong_type(value: Any) -> Unreadable:
    return Unreadable(both("wrong_type", kind=_kind(value)))


def blank(value: Any) -> bool:
    """True for a value the source left empty (null, "", "-", whitespace)."""
    return value is None or (isinstance(value, str) and value.strip() in ("", "-"))


# --- money ------------------------------------------------------------------------------------
def read_money(value: Any) -> tuple[int, bool]:
    """Whole rupiah from a number or text such as ``"Rp 1.234.567,89"`` / ``"617,4 Jt"``; and whether
    a fraction of a rupiah was rounded (half up) to get it."""
    if isinstance(value, bool) or not isinstance(value, (int, float, Decimal, str)):
        raise _wrong_type(value)
    if isinstance(value, str):
        try:
            amount = Decimal(parse_rupiah(value))
        except InputRefused as error:
            if error.key != "rupiah_fraction":
                raise _refused(error) from None
            amount = _with_fraction(value, error)
    else:
        try:
            amount = Decimal(str(value)) if isinstance(value, float) else Decimal(value)
        except InvalidOperation:
            raise _wrong_type(value) from None
        if not amount.is_finite():
            raise Unreadable(both("money_too_big", value=str(value)))
    if amount < 0:
        raise Unreadable(both("money_negative", value=str(value)))
    whole = amount.to_integral_value(rounding=ROUND_HALF_UP)
    if whole > MAX_RUPIAH:
        raise Unreadable(both("money_too_big", value=str(value)))
    return int(whole), whole != amount


def _with_fraction(text: str, error: InputRefused) -> Decimal:
    """The exact amount of a text the parser read as whole rupiah plus a fraction (``…,89``)."""
    whole = parse_rupiah(error.values["whole"])  # the parser's own reading, cut to whole rupiah
    match = re.search(r"[.,]([0-9]{1,2})\s*(?:[.,]-)?\s*$", text)
    if match is None:  # a unit with more decimals than a rupiah ("1,2345678 M"): keep the cut value
        return Decimal(whole)
    return Decimal(whole) + Decimal("0." + match[1])


# --- dates ------------------------------------------------------------------------------------
_ISO_TIME = re.compile(r"^(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?)\s*(Z|[+-]\d{2}:?\d{2})?$")
_US_TEXT = re.compile(r"^([A-Za-z]{3,9})\.? (\d{1,2}), (\d{4})(?:,? \d{1,2}:\d{2}(?::\d{2})?\s*[AP]M)?$")


def read_date(value: Any, today: dt.date | None = None) -> str:
    """``"YYYY-MM-DD"`` from ``2025-03-11``, ``2025-01-31 14:00:00``, ``2025-03-11T00:00:00.000000Z``
    (an instant: taken in WIB), ``Aug 13, 2025, 12:00:00AM`` or any form :func:`parse_date` reads."""
    if not isinstance(value, str):
        raise _wrong_type(value)
    text = " ".join(value.split())
    if match := _ISO_TIME.fullmatch(text):
        day, time, zone = match.groups()
        if zone:
            zone = "+00:00" if zone == "Z" else (zone if ":" in zone else f"{zone[:3]}:{zone[3:]}")
            try:
                moment = dt.datetime.fromisoformat(f"{day}T{time}{zone}")
            except ValueError:
                raise Unreadable(both("date_unknown", value=text)) from None
            text = moment.astimezone(WIB).date().isoformat()
        else:
            text = day
    elif match := _US_TEXT.fullmatch(text):
        text = f"{match[2]} {match[1]} {match[3]}"  # "13 Aug 2025": the shared parser knows the month words
    try:
        return parse_date(text, today).isoformat()
    except InputRefused as error:
        raise _refused(error) from None


def month_end(iso: str) -> str:
    """The last day of the month of ``iso`` (SIRUP plans give months: an end month means its last day)."""
    day = dt.date.fromisoformat(iso)
    following = day.replace(day=28) + dt.timedelta(days=4)
    return (following - dt.timedelta(days=following.day)).isoformat()


# --- text and codes ---------------------------------------------------------------------------
class _TextOnly(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []

    def handle_data(self, data: str) -> None:
        self.parts.append(data)

    def handle_starttag(self, tag: str, attrs: Any) -> None:
        if tag in ("br", "p", "div", "li", "tr"):
            self.parts.append(" ")


def read_text(value: Any) -> str:
    """Plain text: HTML tags dropped, entities decoded, whitespace collapsed."""
    if isinstance(value, bool) or isinstance(value, (dict, list)):
        raise _wrong_type(value)
    text = str(value)
    if "<" in text or "&" in text:
        parser = _TextOnly()
        parser.feed(text)
        parser.close()
        text = html.unescape("".join(parser.parts))
    return " ".join(text.split())


def shorten(text: str, limit: int) -> str:
    """``text`` cut at a word boundary to at most ``limit`` characters, ending in "…"."""
    if len(text) <= limit:
        return text
    cut = text[:limit - 1].rsplit(" ", 1)[0] if " " in text[:limit - 1] else text[:limit - 1]
    return cut.rstrip(" ,;.") + "…"


_CODE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._/-]{0,63}$")


def read_code(value: Any) -> str:
    """A code (kode RUP, kode tender, kd_paket) as text, from an int, an integral number or text."""
    if isinstance(value, bool):
        raise _wrong_type(value)
    if isinstance(value, (float, Decimal)):
        if value != value or value != int(value) or value < 0:
            raise _wrong_type(value)
        value = int(value)
    if isinstance(value, int):
        if value < 0:
            raise _wrong_type(value)
        return str(value)
    if not isinstance(value, str):
        raise _wrong_type(value)
    text = value.strip()
    if not _CODE.fullmatch(text):
        raise Unreadable(both("code_unknown", value=text[:40], list="kode"))
    return text


def read_codes(value: Any) -> list[str]:
    """Every code of a ``;``-joined list (``"60832782;45828523"``), in order, without repeats."""
    if isinstance(value, str) and ";" in value:
        codes = [read_code(part) for part in value.split(";") if part.strip()]
        return list(dict.fromkeys(codes))
    return [read_code(value)]


def read_percent(value: Any) -> int | float:
    """A percentage 0–100 from a number or text ("62,5")."""
    if isinstance(value, str):
        try:
            value = Decimal(value.strip().rstrip("%").replace(",", "."))
        except InvalidOperation:
            raise _wrong_type(value) from None
    if isinstance(value, bool) or not isinstance(value, (int, float, Decimal)):
        raise _wrong_type(value)
    number = Decimal(str(value))
    if not number.is_finite() or not 0 <= number <= 100:
        raise Unreadable(both("percent_range", value=str(value)))
    return int(number) if number == number.to_integral_value() else float(number)


def read_npwp(value: Any) -> str:
    """The 16-digit NPWP of a text or number."""
    if isinstance(value, bool) or not isinstance(value, (str, int)):
        raise _wrong_type(value)
    try:
        return parse_npwp(str(value))
    except InputRefused as error:
        raise _refused(error) from None


def label_key(text: str) -> str:
    """How a label is looked up: lower case, one space, no punctuation around words."""
    return " ".join(re.sub(r"[^0-9a-z/]+", " ", text.casefold()).split())


def read_choice(value: Any, table: dict[str, str | None], list_name: str) -> str:
    """The codelist code of an Indonesian label (or SIRUP number) through ``table``.

    A label mapped to None in ``table`` is known to be ambiguous and is refused with that reason.
    """
    if isinstance(value, bool) or not isinstance(value, (str, int)):
        raise _wrong_type(value)
    key = label_key(str(value))
    if key not in table:
        raise Unreadable(both("code_unknown", value=str(value), list=list_name))
    code = table[key]
    if code is None:
        raise Unreadable(both("code_ambiguous", value=str(value), list=list_name))
    return code
