"""The Qt-free parsers of what operators type: every input of issue 5, valid and refused, and
property-based round trips (format a value, parse it back, get the value) for every format."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from odc_desktop.domain.parsing import (
    MONTHS_ID,
    InputRefused,
    format_date,
    format_date_long,
    format_npwp,
    format_rupiah,
    npwp15,
    parse_date,
    parse_npwp,
    parse_rupiah,
)

TODAY = dt.date(2026, 11, 27)
BILLION = 1_250_000_000


@pytest.mark.parametrize("text, amount", [
    ("1250000000", BILLION),
    ("1.250.000.000", BILLION),
    ("1.250.000.000,00", BILLION),
    ("1.250.000.000,-", BILLION),
    ("Rp 1.250.000.000,00", BILLION),
    ("Rp. 1.250.000.000", BILLION),
    ("Rp 1.250.000.000", BILLION),
    ("IDR 1,250,000,000.00", BILLION),
    ("1,25 M", BILLION),
    ("1,25 miliar", BILLION),
    ("617,4 jt", 617_400_000),
    ("617,4 juta", 617_400_000),
    ("500 rb", 500_000),
    ("  rp 15.000  ", 15_000),
    ("0", 0),
])
def test_rupiah_accepted(text, amount):
    assert parse_rupiah(text) == amount


@pytest.mark.parametrize("text, key", [
    ("1.250.000.000,50", "rupiah_fraction"),
    ("-5000", "rupiah_negative"),
    ("Rp -5.000", "rupiah_negative"),
    ("1.250,000", "rupiah_ambiguous"),
    ("1,250", "rupiah_ambiguous"),
    ("satu juta", "rupiah_unreadable"),
    ("12a", "rupiah_unreadable"),
    ("1,5 ons", "rupiah_unreadable"),
    ("1.25.000", "rupiah_unreadable"),
    ("Rp", "rupiah_unreadable"),
    ("9" * 5000, "rupiah_unreadable"),
    ("", "rupiah_unreadable"),
])
def test_rupiah_refused_with_a_message(text, key):
    with pytest.raises(ValueError) as caught:
        parse_rupiah(text)
    assert isinstance(caught.value, InputRefused) and caught.value.key == key
    # Indonesian for the operator by default, English through the same catalogue
    assert str(caught.value) == caught.value.message("id") != caught.value.message("en")
    assert caught.value.message("en")


def test_rupiah_messages_say_what_to_type():
    with pytest.raises(InputRefused) as caught:
        parse_rupiah("1.250.000.000,50")
    assert "Rp 1.250.000.000" in str(caught.value) and "pecahan" in str(caught.value)
    with pytest.raises(InputRefused) as caught:
        parse_rupiah("abc")
    assert "1.250.000.000" in str(caught.value)


def test_format_rupiah():
    assert format_rupiah(BILLION) == "Rp 1.250.000.000"
    assert format_rupiah(0) == "Rp 0"


def _decimal_comma(amount: int, unit: int) -> str:
    text = format(Decimal(amount) / unit, "f")
    return text.rstrip("0").rstrip(".").replace(".", ",") if "." in text else text


amounts = st.integers(min_value=0, max_value=10**15)
RUPIAH_FORMATS = {
    "shown": format_rupiah,
    "digits": str,
    "dots": lambda n: f"{n:,}".replace(",", "."),
    "sen": lambda n: f"{n:,}".replace(",", ".") + ",00",
    "dash": lambda n: f"{n:,}".replace(",", ".") + ",-",
    "rp_sen": lambda n: "Rp " + f"{n:,}".replace(",", ".") + ",00",
    "rp_dot": lambda n: "Rp. " + f"{n:,}".replace(",", "."),
    "idr": lambda n: f"IDR {n:,}.00",
    "miliar": lambda n: _decimal_comma(n, 10**9) + " miliar",
    "M": lambda n: _decimal_comma(n, 10**9) + " M",
    "juta": lambda n: _decimal_comma(n, 10**6) + " juta",
    "jt": lambda n: _decimal_comma(n, 10**6) + " jt",
    "rb": lambda n: _decimal_comma(n, 10**3) + " rb",
}


@pytest.mark.parametrize("style", sorted(RUPIAH_FORMATS))
@given(amount=amounts)
def test_rupiah_round_trip(style, amount):
    assert parse_rupiah(RUPIAH_FORMATS[style](amount)) == amount


@given(amount=st.integers(min_value=1, max_value=10**12), cents=st.integers(min_value=1, max_value=99))
def test_any_fraction_of_a_rupiah_is_refused(amount, cents):
    with pytest.raises(InputRefused):
        parse_rupiah(f"{amount:,}".replace(",", ".") + f",{cents:02d}")


@given(amount=st.integers(min_value=1, max_value=10**12))
def test_any_negative_amount_is_refused(amount):
    with pytest.raises(InputRefused):
        parse_rupiah(f"-{amount}")


# --- NPWP -------------------------------------------------------------------------------------
@pytest.mark.parametrize("text, npwp", [
    ("01.234.567.8-601.000", "0012345678601000"),
    ("012345678601000", "0012345678601000"),
    ("01 234 567 8 601 000", "0012345678601000"),
    ("NPWP 01.234.567.8-601.000", "0012345678601000"),
    ("NPWP: 01.234.567.8-601.000", "0012345678601000"),
    ("npwp.012345678601000", "0012345678601000"),
    ("3522012345678901", "3522012345678901"),
    ("3522 0123 4567 8901", "3522012345678901"),
    ("NPWP 3522-0123-4567-8901", "3522012345678901"),
    ("0012345678601000", "0012345678601000"),
])
def test_npwp_accepted_as_16_digits(text, npwp):
    assert parse_npwp(text) == npwp


@pytest.mark.parametrize("text, key", [
    ("12345", "npwp_length"),
    ("01.234.567.8-601.00", "npwp_length"),
    ("35220123456789012", "npwp_length"),
    ("01.234.567.8-601.00O", "npwp_unreadable"),
    ("tidak ada", "npwp_unreadable"),
    ("", "npwp_unreadable"),
])
def test_npwp_refused_with_a_message(text, key):
    with pytest.raises(InputRefused) as caught:
        parse_npwp(text)
    assert caught.value.key == key and caught.value.message("en") != str(caught.value)


def test_a_15_digit_npwp_is_kept_beside_its_16_digit_form():
    npwp = parse_npwp("01.234.567.8-601.000")
    assert npwp15(npwp) == "012345678601000"
    assert format_npwp(npwp) == "01.234.567.8-601.000"
    assert npwp15("3522012345678901") is None and format_npwp("3522012345678901") == "3522012345678901"


fifteen = st.text("0123456789", min_size=15, max_size=15)
sixteen = st.text("0123456789", min_size=16, max_size=16)


@given(npwp=st.one_of(fifteen.map(lambda d: "0" + d), sixteen))
def test_npwp_round_trip(npwp):
    assert parse_npwp(format_npwp(npwp)) == npwp
    assert parse_npwp(npwp) == npwp
    assert parse_npwp("NPWP " + " ".join(npwp[i:i + 4] for i in range(0, 16, 4))) == npwp


@given(digits=fifteen)
def test_15_digits_in_every_spelling(digits):
    dotted = f"{digits[0:2]}.{digits[2:5]}.{digits[5:8]}.{digits[8]}-{digits[9:12]}.{digits[12:15]}"
    assert parse_npwp(dotted) == parse_npwp(digits) == "0" + digits


# --- dates ------------------------------------------------------------------------------------
@pytest.mark.parametrize("text", ["17/08/2026", "17-08-2026", "17.08.2026", "17082026", "17/8/2026",
                                  "2026-08-17", "17 Agustus 2026", "17 agustus 2026", "17 Agt 2026",
                                  "17 Ags 2026", "17 Agu 2026", "17-Agustus-2026", " 17 Agustus 2026 "])
def test_date_accepted(text):
    assert parse_date(text, TODAY) == dt.date(2026, 8, 17)


@pytest.mark.parametrize("text, date", [
    ("1 Jan 2024", dt.date(2024, 1, 1)), ("29 Peb 2024", dt.date(2024, 2, 29)),
    ("3 Nop 2025", dt.date(2025, 11, 3)), ("5 Des 2025", dt.date(2025, 12, 5)),
    ("9 Mei 2025", dt.date(2025, 5, 9)), ("10 Okt 2025", dt.date(2025, 10, 10)),
    ("01-03-2024", dt.date(2024, 3, 1)), ("01/01/2000", dt.date(2000, 1, 1)),
])
def test_indonesian_month_names_and_bounds(text, date):
    assert parse_date(text, TODAY) == date


@pytest.mark.parametrize("text, key", [
    ("31-02-2026", "date_impossible"),
    ("17-13-2026", "date_impossible"),
    ("31 Juni 2026", "date_impossible"),
    ("31-12-1999", "date_too_early"),
    ("01-01-1900", "date_too_early"),
    ("28-11-2036", "date_too_late"),
    ("2026-08-17T10:00", "date_unreadable"),
    ("17-08-26", "date_unreadable"),
    ("17 Agust0s 2026", "date_unreadable"),
    ("besok", "date_unreadable"),
    ("", "date_unreadable"),
])
def test_date_refused_with_a_message(text, key):
    with pytest.raises(InputRefused) as caught:
        parse_date(text, TODAY)
    assert caught.value.key == key and caught.value.message("en") != str(caught.value)


def test_ten_years_ahead_is_the_last_date_accepted():
    assert parse_date("27-11-2036", TODAY) == dt.date(2036, 11, 27)


dates = st.dates(min_value=dt.date(2000, 1, 1), max_value=dt.date(2036, 11, 27))
DATE_FORMATS = {
    "shown": format_date,
    "long": format_date_long,
    "iso": dt.date.isoformat,
    "slash": lambda d: d.strftime("%d/%m/%Y"),
    "dot": lambda d: d.strftime("%d.%m.%Y"),
    "compact": lambda d: d.strftime("%d%m%Y"),
    "unpadded": lambda d: f"{d.day}/{d.month}/{d.year}",
    "short_month": lambda d: f"{d.day} {MONTHS_ID[d.month - 1][:3]} {d.year}",
}


@pytest.mark.parametrize("style", sorted(DATE_FORMATS))
@given(date=dates)
def test_date_round_trip(style, date):
    assert parse_date(DATE_FORMATS[style](date), TODAY) == date
