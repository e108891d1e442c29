"""What an operator types, read once and for certain: rupiah amounts, NPWP and dates.

The form widgets, ``odc demo-data`` and the importers read values through these functions. Each
``parse_*`` returns the value or raises :class:`InputRefused` (a ``ValueError``) whose text is the
Indonesian message for the operator; ``message(lang)`` gives it in another language through the
message catalogue (:mod:`odc_desktop.messages`, area ``entry``). A value that could be read more
than one way is refused, never guessed. Each ``format_*`` writes what its parser reads back.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal, InvalidOperation
from typing import Any

from odc_desktop.messages import CodedError


class InputRefused(CodedError, ValueError):
    """Typed text that cannot be read for certain; ``str()`` is the Indonesian message, ``message(lang)``
    the one in ``lang``. ``key`` names the sentence in the catalogue's area ``entry``."""

    def __init__(self, key: str, **values: Any):
        self.key, self.values = key, values
        super().__init__(f"entry.{key}", **values)


# --- rupiah -----------------------------------------------------------------------------------
#: Word after the number → how many rupiah one of it is ("1,25 M" = 1,25 miliar).
_UNITS = {"rb": 10**3, "ribu": 10**3, "k": 10**3, "jt": 10**6, "juta": 10**6, "m": 10**9,
          "miliar": 10**9, "milyar": 10**9, "t": 10**12, "triliun": 10**12}
#: More digits than any budget has (10^18 rupiah) is a paste gone wrong, not an amount.
_MAX_DIGITS = 19
_CURRENCY = re.compile(r"^(rp\.?|idr)\s*", re.IGNORECASE)
_AMOUNT = re.compile(r"(?P<number>[0-9][0-9.,]*?)(?:[.,]-)?\s*(?P<unit>[^\W\d_]+)?\.?")
_GROUPED = "[0-9]{{1,3}}(?:{sep}[0-9]{{3}})+"


def _grouped(text: str, sep: str) -> bool:
    """True when ``text`` is digits in groups of three separated by ``sep`` (``1.250.000``)."""
    return re.fullmatch(_GROUPED.format(sep=re.escape(sep)), text) is not None


def _plain_number(number: str, text: str, with_unit: bool) -> Decimal:
    """The value of ``number`` (digits with ``.``/``,``) or InputRefused when it is not certain."""
    if re.fullmatch(r"[0-9]+", number):
        return Decimal(number)
    dots, commas = number.count("."), number.count(",")
    if dots and commas:  # the later one is the decimal mark, the other groups thousands
        mark = "," if number.rfind(",") > number.rfind(".") else "."
        group = "." if mark == "," else ","
        whole, _, fraction = number.rpartition(mark)
        if not _grouped(whole, group) or not fraction.isdigit() or (len(fraction) > 2 and not with_unit):
            raise InputRefused("rupiah_ambiguous", text=text)
        return Decimal(whole.replace(group, "") + "." + fraction)
    sep = "." if dots else ","
    whole, _, fraction = number.rpartition(sep)
    if with_unit and sep == ",":  # "1,25 M": with a unit the comma is the decimal mark
        if (dots + commas) > 1 or not fraction.isdigit():
            raise InputRefused("rupiah_unreadable", text=text)
        return Decimal(whole + "." + fraction)
    if sep == "," and commas == 1 and len(fraction) == 3:
        raise InputRefused("rupiah_ambiguous", text=text)  # 1,250: 1250 in English, 1,25 in Indonesian
    if _grouped(number, sep):
        return Decimal(number.replace(sep, ""))
    if (dots + commas) == 1 and whole.isdigit() and fraction.isdigit() and (len(fraction) <= 2 or with_unit):
        return Decimal(whole + "." + fraction)  # "1250000,00" or "1250000.00"
    raise InputRefused("rupiah_unreadable", text=text)


def parse_rupiah(text: str) -> int:
    """Whole rupiah from what an operator types or pastes.

    ``1.250.000.000``, ``Rp 1.250.000.000,00``, ``1.250.000.000,-``, ``IDR 1,250,000,000.00``,
    ``1,25 M``, ``617,4 juta`` and ``500 rb`` are read; a fraction of a rupiah, a negative amount,
    an ambiguous string such as ``1.250,000`` or any other text raises :class:`InputRefused`.
    """
    shown = " ".join(str(text).split())
    cleaned = _CURRENCY.sub("", shown.strip())
    if cleaned.startswith(("-", "−", "(")) or cleaned.endswith(")"):
        raise InputRefused("rupiah_negative", text=shown)
    match = _AMOUNT.fullmatch(cleaned)
    if match is None:
        raise InputRefused("rupiah_unreadable", text=shown)
    unit_word = (match["unit"] or "").casefold()
    if unit_word and unit_word not in _UNITS:
        raise InputRefused("rupiah_unreadable", text=shown)
    number = match["number"]
    if number[-1] in ".," or sum(ch.isdigit() for ch in number) > _MAX_DIGITS:
        raise InputRefused("rupiah_unreadable", text=shown)
    try:
        amount = _plain_number(number, shown, bool(unit_word)) * _UNITS.get(unit_word, 1)
    except InvalidOperation:
        raise InputRefused("rupiah_unreadable", text=shown) from None
    if amount != amount.to_integral_value():
        raise InputRefused("rupiah_fraction", text=shown, whole=format_rupiah(int(amount)))
    return int(amount)


def format_rupiah(amount: int) -> str:
    """``1250000000`` → ``"Rp 1.250.000.000"`` (Indonesian thousands separators)."""
    sign = "-" if amount < 0 else ""
    return f"Rp {sign}{abs(amount):,}".replace(",", ".")


# --- NPWP -------------------------------------------------------------------------------------
_NPWP_PREFIX = re.compile(r"^npwp\s*[:.]?\s*", re.IGNORECASE)


def parse_npwp(text: str) -> str:
    """The 16-digit NPWP from 15 or 16 digits, with or without dots, dashes, spaces or "NPWP".

    A 15-digit NPWP becomes 16 digits by the DJP rule (PMK 112/2022): ``"0"`` + the 15 digits. The
    old 15-digit form is therefore the 16 digits without that leading zero (a NIK never starts
    with 0), and :func:`format_npwp` shows it again.
    """
    shown = " ".join(str(text).split())
    body = _NPWP_PREFIX.sub("", shown)
    if not body or re.fullmatch(r"[0-9.\-\s/]+", body) is None:
        raise InputRefused("npwp_unreadable", text=shown)
    digits = re.sub(r"\D", "", body)
    if len(digits) == 15:
        return "0" + digits
    if len(digits) == 16:
        return digits
    raise InputRefused("npwp_length", text=shown, count=len(digits))


def npwp15(npwp: str) -> str | None:
    """The old 15-digit form of a 16-digit NPWP made from one (``"0…"``), else None."""
    return npwp[1:] if len(npwp) == 16 and npwp.startswith("0") else None


def format_npwp(npwp: str) -> str:
    """How an NPWP is shown: the 15-digit form grouped ``01.234.567.8-601.000`` when the NPWP was
    made from one, else its 16 digits."""
    old = npwp15(npwp)
    if old is None:
        return npwp
    return f"{old[0:2]}.{old[2:5]}.{old[5:8]}.{old[8]}-{old[9:12]}.{old[12:15]}"


# --- dates ------------------------------------------------------------------------------------
MONTHS_ID = ("Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus", "September",
             "Oktober", "November", "Desember")
_MONTH_WORDS: dict[str, int] = {}
for _n, _name in enumerate(MONTHS_ID, start=1):
    _MONTH_WORDS[_name.casefold()] = _n
    _MONTH_WORDS[_name[:3].casefold()] = _n
for _word, _n in (("peb", 2), ("pebruari", 2), ("agt", 8), ("ags", 8), ("agu", 8), ("agus", 8),
                  ("sept", 9), ("nop", 11), ("nopember", 11), ("may", 5), ("jun", 6), ("aug", 8),
                  ("august", 8), ("oct", 10), ("october", 10), ("dec", 12), ("december", 12),
                  ("january", 1), ("february", 2), ("march", 3), ("june", 6), ("july", 7)):
    _MONTH_WORDS[_word] = _n
_DAY_FIRST = re.compile(r"^(\d{1,2})([/.\-])(\d{1,2})\2(\d{4})$")
_YEAR_FIRST = re.compile(r"^(\d{4})([/.\-])(\d{1,2})\2(\d{1,2})$")
_WORDS = re.compile(r"^(\d{1,2})[\s\-.]*([^\W\d_]+)\.?[\s\-.,]*(\d{4})$")
#: How far ahead a date may be: plans run a few years, not decades.
YEARS_AHEAD = 10
EARLIEST = dt.date(2000, 1, 1)


def _day_month_year(text: str) -> tuple[int, int, int] | None:
    if m := _DAY_FIRST.fullmatch(text):
        return int(m[1]), int(m[3]), int(m[4])
    if m := _YEAR_FIRST.fullmatch(text):
        return int(m[4]), int(m[3]), int(m[1])
    if re.fullmatch(r"\d{8}", text):
        return int(text[:2]), int(text[2:4]), int(text[4:])
    if (m := _WORDS.fullmatch(text)) and m[2].casefold() in _MONTH_WORDS:
        return int(m[1]), _MONTH_WORDS[m[2].casefold()], int(m[3])
    return None


def parse_date(text: str, today: dt.date | None = None) -> dt.date:
    """A date typed day first (``17/08/2026``, ``17-08-2026``, ``17.08.2026``, ``17082026``,
    ``17/8/2026``, ``17 Agustus 2026``) or as ISO ``2026-08-17``.

    Refused with :class:`InputRefused`: other text, a day that does not exist, a date before 2000
    or more than :data:`YEARS_AHEAD` years after ``today``.
    """
    shown = " ".join(str(text).split())
    parts = _day_month_year(shown)
    if parts is None:
        raise InputRefused("date_unreadable", text=shown)
    day, month, year = parts
    try:
        value = dt.date(year, month, day)
    except ValueError:
        raise InputRefused("date_impossible", text=shown) from None
    today = today or dt.date.today()
    if value < EARLIEST:
        raise InputRefused("date_too_early", date=format_date(value))
    if value > _years_after(today, YEARS_AHEAD):
        raise InputRefused("date_too_late", date=format_date(value))
    return value


def _years_after(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def format_date(value: dt.date) -> str:
    """``date(2026, 8, 17)`` → ``"17-08-2026"``, as the date fields show it."""
    return value.strftime("%d-%m-%Y")


def format_date_long(value: dt.date) -> str:
    """``date(2026, 8, 17)`` → ``"17 Agustus 2026"``."""
    return f"{value.day} {MONTHS_ID[value.month - 1]} {value.year}"
