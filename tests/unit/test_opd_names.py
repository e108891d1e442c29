"""OPD names as SIMDA/SIPD and e-musrenbang exports write them → codes of the shipped ``opd`` codelist."""

from __future__ import annotations

import pytest

from odc_desktop.domain.forms.definition import load_form_set
from odc_desktop.importers.opd_names import ABBREVIATIONS, OpdNames


@pytest.fixture(scope="module")
def opds() -> OpdNames:
    return OpdNames(load_form_set().codelists["opd"])


@pytest.mark.parametrize("name", ["Dinas Pendidikan", "DINAS PENDIDIKAN KAB. BOJONEGORO", "Disdik",
                                  "dinas  pendidikan kabupaten bojonegoro", "Dinas Pendidikan.",
                                  "Pemerintah Kabupaten Bojonegoro Dinas Pendidikan"])
def test_the_ways_an_office_is_written_find_its_code(opds, name):
    assert opds.code_of(name) == "1.01.0.00.0.00.04.0000"


def test_bracketed_abbreviations_and_the_name_without_them_find_the_office(opds):
    code = opds.code_of("Badan Penanggulangan Bencana Daerah (BPBD)")
    assert code and opds.code_of("BPBD") == opds.code_of("Badan Penanggulangan Bencana Daerah") == code
    assert opds.code_of("bappeda") == opds.code_of("Badan Perencanaan Pembangunan Daerah")


def test_every_abbreviation_names_an_office_of_the_codelist(opds):
    assert [short for short in ABBREVIATIONS if opds.code_of(short) is None] == []


def test_an_unknown_name_is_not_guessed_but_the_closest_names_are_suggested(opds):
    assert opds.code_of("Dinas Pendidkan") is None and opds.code_of("Dinas") is None
    assert opds.closest("Dinas Pendidkan")[0] == "Dinas Pendidikan"
    assert opds.closest("Dinas Pariwisata")[0] == "Dinas Kebudayaan dan Pariwisata"
    assert opds.closest("zzzz") == []
