"""Source values are read through the shared parsers: dates, money, text, codes and labels."""

from __future__ import annotations

from decimal import Decimal

import pytest

from odc_desktop.importers import choices
from odc_desktop.importers.values import (Unreadable, read_choice, read_code, read_codes, read_date, read_money,
                                          read_npwp, read_percent, read_text)


@pytest.mark.parametrize("raw, expected", [
    ("2025-03-11", "2025-03-11"),
    ("2025-01-31 14:00:00", "2025-01-31"),
    ("2025-03-11T00:00:00.000000Z", "2025-03-11"),
    ("2025-01-31 14:00:00.000000Z", "2025-01-31"),
    ("2025-03-15T17:30:00Z", "2025-03-16"),  # an instant: 00:30 on the 16th in WIB
    ("2025-03-15T23:30:00+07:00", "2025-03-15"),
    ("Aug 13, 2025, 12:00:00AM", "2025-08-13"),
    ("Sep 1, 2025, 12:00:00AM", "2025-09-01"),
    ("17/08/2025", "2025-08-17"),
    ("17 Agustus 2025", "2025-08-17"),
])
def test_dates_in_every_source_format(raw, expected):
    assert read_date(raw) == expected


@pytest.mark.parametrize("raw", ["2025-02-30", "kemarin", "13/13/2025", "1999-12-31", "2025-03-11T25:00:00Z"])
def test_unreadable_dates_are_refused_with_a_reason(raw):
    with pytest.raises(Unreadable) as caught:
        read_date(raw)
    assert caught.value.reason["id"] and caught.value.reason["en"]


@pytest.mark.parametrize("raw", [20250311, None, ["2025-03-11"], True])
def test_a_date_of_the_wrong_type_is_refused(raw):
    with pytest.raises(Unreadable):
        read_date(raw)


@pytest.mark.parametrize("raw, expected", [
    (38500000, (38500000, False)),
    (Decimal("999995334.78"), (999995335, True)),
    (1269963504.15, (1269963504, True)),
    ("Rp 1.234.567,89", (1234568, True)),
    ("Rp 1.234.567,49", (1234567, True)),
    ("1.485.000.000,00", (1485000000, False)),
    ("617,4 Jt", (617400000, False)),
    ("1,7 M", (1700000000, False)),
    ("38500000", (38500000, False)),
])
def test_money_as_number_text_and_abbreviation(raw, expected):
    assert read_money(raw) == expected


@pytest.mark.parametrize("raw", [-5, "Rp -1.000", 10**16, Decimal("1e30"), float("inf"), "banyak", True, {"a": 1},
                                 "1.250,000"])
def test_bad_money_is_refused(raw):
    with pytest.raises(Unreadable):
        read_money(raw)


def test_html_is_stripped_from_text():
    raw = "<p>Pengawasan Pembangunan Gedung &amp; Kantor\r\n</p><p><br></p><span class=\"x\">Tender Ulang</span>"
    assert read_text(raw) == "Pengawasan Pembangunan Gedung & Kantor Tender Ulang"


def test_codes_as_int_or_text_and_joined_codes():
    assert read_code(53892918) == "53892918"
    assert read_code(" 55965678 ") == "55965678"
    assert read_code(Decimal("10002513000")) == "10002513000"
    assert read_codes("60832782;45828523") == ["60832782", "45828523"]
    assert read_codes("60832782;60832782;") == ["60832782"]
    for bad in (-1, 1.5, "12 34", True, None):
        with pytest.raises(Unreadable):
            read_code(bad)


def test_method_and_category_labels_map_to_codelists_and_ambiguous_ones_are_refused():
    assert read_choice("Pengadaan Langsung", choices.METODE_PEMILIHAN, "m") == "pengadaan_langsung"
    assert read_choice(15, choices.METODE_PEMILIHAN, "m") == "seleksi"
    assert read_choice("E-Purchasing", choices.METODE_PEMILIHAN, "m") == "e_purchasing"
    assert read_choice("Jasa Konsultansi Badan Usaha Non Konstruksi", choices.JENIS_PENGADAAN, "j") == \
        "jasa_konsultansi_non_konstruksi"
    assert read_choice("Pra Dua File Kualitas Biaya", choices.METODE_KUALIFIKASI, "k") == "pra_dua_file"
    with pytest.raises(Unreadable) as caught:
        read_choice("Jasa Konsultansi", choices.JENIS_PENGADAAN, "jenis pengadaan")
    assert "lebih dari satu" in caught.value.reason["id"]
    with pytest.raises(Unreadable):
        read_choice("Gagal/Batal", choices.STATUS_TENDER, "status")
    with pytest.raises(Unreadable):
        read_choice("Lelang Cepat Kilat", choices.METODE_PEMILIHAN, "m")


def test_every_mapped_code_exists_in_its_codelist():
    from odc_desktop.domain.forms.definition import load_form_set

    codelists = load_form_set().codelists
    for table, name in ((choices.METODE_PEMILIHAN, "metode_pemilihan"), (choices.JENIS_PENGADAAN, "jenis_pengadaan"),
                        (choices.METODE_EVALUASI, "metode_evaluasi"),
                        (choices.METODE_KUALIFIKASI, "metode_kualifikasi"),
                        (choices.STATUS_TENDER, "status_tender"), (choices.JENIS_KONTRAK, "jenis_kontrak"),
                        (choices.CARA_PEMBAYARAN, "cara_pembayaran"), (choices.SUMBER_DANA, "sumber_dana")):
        assert {c for c in table.values() if c} <= set(codelists[name].codes()), name


def test_percent_and_npwp():
    assert read_percent(100) == 100
    assert read_percent("62,5") == 62.5
    with pytest.raises(Unreadable):
        read_percent(120)
    assert read_npwp("39.809.081.8-320.940") == "0398090818320940"
    with pytest.raises(Unreadable):
        read_npwp("123")


def test_a_nested_message_is_said_in_the_finding_s_language():
    from odc_desktop.importers.rows import Finding, both

    finding = Finding("value_unreadable", {"n": 3, "column": "pagu", "reason": both("money_negative", value="-5")})
    assert finding.message("en") == "Row 3, column 'pagu': the amount -5 is negative. The field was left empty."
    assert finding.message("id") == "Baris 3, kolom 'pagu': nilai -5 negatif. Isian dibiarkan kosong."
