"""Red flags (level ``flag``) on processes built by the real export from the real forms.

Each flag fires on a case built for it, stays quiet on the clean sample process and just across its
boundary (equal to the ceiling, a period one day longer than the minimum, signed on the award day),
and amounts in different currencies are never compared.
"""

from __future__ import annotations

import copy
from typing import Any

import pytest

from odc_desktop.domain.forms.definition import load_form_set
from odc_desktop.domain.ocds.red_flag_rules import MIN_TENDER_DAYS
from odc_desktop.domain.ocds.red_flags import FlagIndex, flags_for_releases
from odc_desktop.domain.ocds.release import build_process_releases
from odc_desktop.domain.statuses import STAGE_ORDER
from tests.unit.form_samples import VALID_DATA
from tests.unit.release_samples import sample_attachments, sample_entry, sample_process


@pytest.fixture(scope="module")
def forms():
    return load_form_set()


def built(forms, changes: dict[str, dict[str, Any]] | None = None, process_id: int = 1, stages=None,
          **process: Any) -> list[dict[str, Any]]:
    """The releases of the sample process with ``changes`` ({stage: {field: value}}) made in its forms."""
    entries = []
    for stage in stages or [s.value for s in STAGE_ORDER]:
        data = copy.deepcopy(VALID_DATA[stage])
        data.update((changes or {}).get(stage, {}))
        entries.append(sample_entry(forms, stage, data, process_id=process_id))
    ocid = process.pop("ocid", f"ocds-000bjn-4123456{process_id}")
    return build_process_releases(sample_process(ocid=ocid, process_id=process_id, **process), entries, forms,
                                  sample_attachments(entries))


def flags(releases, lang: str = "id", **kwargs) -> set[tuple[str, str]]:
    return {(p.path, p.code) for p in flags_for_releases(releases, lang, **kwargs)}


def test_the_clean_sample_process_has_no_flag(forms):
    assert flags_for_releases(built(forms)) == []


@pytest.mark.parametrize("changes, expected", [
    ({"tender": {"hps": 1_250_000_001}}, {("tender/value/amount", "hps_above_pagu")}),
    ({"award": {"nilai_penetapan": 1_235_000_001}}, {("awards/0/value/amount", "award_above_hps")}),
    ({"contract": {"nilai_kontrak": 1_189_500_001}}, {("contracts/0/value/amount", "contract_above_award")}),
    ({"tender": {"jumlah_peserta": 1}}, {("tender/numberOfTenderers", "single_bidder")}),
    ({"tender": {"tanggal_pengumuman": "2024-03-19"}}, {("tender/tenderPeriod/endDate", "tender_period_short")}),
    ({"contract": {"tanggal_tanda_tangan": "2024-04-01"}}, {("contracts/0/dateSigned",
                                                             "contract_signed_before_award")}),
    ({"implementation": {"pembayaran": [{"tanggal": "2024-05-06", "nilai": 1_000_000_000},
                                        {"tanggal": "2024-06-06", "nilai": 189_500_001}]}},
     {("contracts/0/implementation/transactions", "transactions_above_contract")}),
])
def test_each_flag_fires_on_its_case(forms, changes, expected):
    assert flags(built(forms, changes)) == expected  # the clean process changed only here


@pytest.mark.parametrize("changes", [
    {"tender": {"hps": 1_250_000_000}},                   # HPS equal to the pagu
    {"award": {"nilai_penetapan": 1_235_000_000}, "contract": {"nilai_kontrak": 1_235_000_000}},  # = HPS
    {"contract": {"nilai_kontrak": 1_189_500_000}},       # equal to the award
    {"tender": {"jumlah_peserta": 2}},
    {"tender": {"tanggal_pengumuman": "2024-03-18"}},     # exactly the 7 days of a Tender
    {"tender": {"tanggal_pengumuman": "2024-03-17"}},     # one day longer than the minimum
    {"contract": {"tanggal_tanda_tangan": "2024-04-02"}},  # signed on the award day
    {"implementation": {"pembayaran": [{"tanggal": "2024-05-06", "nilai": 1_000_000_000},
                                       {"tanggal": "2024-06-06", "nilai": 189_500_000}]}},  # paid in full
])
def test_each_flag_is_quiet_just_across_its_boundary(forms, changes):
    assert flags(built(forms, changes)) == set()


def test_one_bidder_and_a_short_period_are_flags_only_for_competitive_methods(forms):
    direct = {"planning": {"metode_pemilihan": "penunjukan_langsung"},
              "tender": {"jumlah_peserta": 1, "tanggal_pengumuman": "2024-03-24"}}
    assert flags(built(forms, direct)) == set()
    quick = {"planning": {"metode_pemilihan": "tender_cepat"}, "tender": {"tanggal_pengumuman": "2024-03-23"}}
    assert MIN_TENDER_DAYS["tender cepat"] == 2 + 1
    assert flags(built(forms, quick)) == {("tender/tenderPeriod/endDate", "tender_period_short")}
    quick["tender"]["tanggal_pengumuman"] = "2024-03-22"
    assert flags(built(forms, quick)) == set()


def test_the_indonesian_minimum_period_is_not_applied_to_another_countrys_data(forms):
    releases = built(forms, {"tender": {"tanggal_pengumuman": "2024-03-20"}})
    assert ("tender/tenderPeriod/endDate", "tender_period_short") in flags(releases)
    for release in releases:
        release["language"] = "en"
        for value in _values(release):
            value["currency"] = "GBP"
    assert flags(releases) == set()  # a British "Tender" of 5 days breaks no Indonesian rule


def test_one_bidder_is_read_from_bids_statistics_or_the_tenderers(forms):
    releases = built(forms)
    tender = next(r for r in releases if "tender" in r and "numberOfTenderers" in r["tender"])
    del tender["tender"]["numberOfTenderers"]
    tender["tender"]["bids"] = {"statistics": [{"id": "1", "measure": "bids", "value": 1}]}
    assert ("tender/bids/statistics/0/value", "single_bidder") in flags(releases)
    del tender["tender"]["bids"]
    tender["tender"]["tenderers"] = tender["tender"]["tenderers"][:1]
    assert ("tender/tenderers", "single_bidder") in flags(releases)


def test_reasons_are_in_indonesian_by_default_and_in_english_on_request(forms):
    releases = built(forms, {"tender": {"jumlah_peserta": 1, "tanggal_pengumuman": "2024-03-20"},
                             "contract": {"tanggal_tanda_tangan": "2024-03-30"}})
    said = {p.code: p.message for p in flags_for_releases(releases)}
    assert said["single_bidder"].startswith("Hanya satu penawar pada metode kompetitif (Tender)")
    assert "hanya 5 hari, kurang dari batas terendah 7 hari untuk metode Tender" in said["tender_period_short"]
    assert said["contract_signed_before_award"].startswith(
        "Kontrak ditandatangani (2024-03-30) sebelum penetapan pemenang (2024-04-02)")
    english = {p.code: p.message for p in flags_for_releases(releases, "en")}
    assert english["single_bidder"].startswith("Only one bidder in a competitive method (Tender)")
    assert all(p.level == "flag" and p.severity == "warning" for p in flags_for_releases(releases))


def test_amounts_in_different_currencies_are_never_compared(forms):
    releases = built(forms, {"tender": {"hps": 2_000_000_000}, "award": {"nilai_penetapan": 3_000_000_000},
                             "contract": {"nilai_kontrak": 4_000_000_000}})
    assert {code for _, code in flags(releases)} == {"hps_above_pagu", "award_above_hps", "contract_above_pagu",
                                                     "contract_above_award"}
    for release in releases:
        for value in _values(release):
            value["currency"] = {"planning": "IDR", "tender": "USD", "award": "EUR"}.get(release["tag"][0], "GBP")
    assert flags(releases) == set()


def _values(node: Any):
    if isinstance(node, dict):
        if "amount" in node and "currency" in node:
            yield node
        for child in node.values():
            yield from _values(child)
    elif isinstance(node, list):
        for child in node:
            yield from _values(child)


# --- packages of one OPD split just under the Pengadaan Langsung ceiling ---------------------------

def package(forms, number: int, value: int, title: str = "Pengadaan alat tulis kantor", opd: str = "1.03.01",
            year: int = 2024, kind: str = "barang", method: str = "pengadaan_langsung") -> list[dict[str, Any]]:
    """The planning release of a small package of one OPD."""
    planning = {"pagu": value, "rincian_anggaran": [{"sumber_dana": "apbd", "mak": "5.1.02", "nilai": value}],
                "jenis_pengadaan": kind, "metode_pemilihan": method,
                "rencana_pemilihan_mulai": f"{year}-03-01", "rencana_pemilihan_selesai": f"{year}-03-20",
                "rencana_pelaksanaan_mulai": f"{year}-04-01", "rencana_pelaksanaan_selesai": f"{year}-06-30"}
    return built(forms, {"planning": planning}, process_id=number, stages=["planning"],
                 ocid=f"ocds-000bjn-9{number:04d}", title=f"{title} {number}", opd_code=opd,
                 opd_name=f"Dinas {opd}")


def split_flags(forms, *packages: list[dict[str, Any]]) -> dict[str, set[str]]:
    """Which packages (by ocid) are flagged as split, when all are read as one file."""
    index = FlagIndex()
    for position, releases in enumerate(packages):
        for release in releases:
            index.add(release, f"releases/{position}")
    found: dict[str, set[str]] = {}
    for problem in index.problems("id"):
        assert problem.code == "split_below_direct_ceiling"
        found.setdefault(problem.path.split("/")[1], set()).add(problem.message)
    return found


def test_similar_packages_of_one_opd_just_under_the_ceiling_are_flagged_each(forms):
    found = split_flags(forms, package(forms, 1, 195_000_000), package(forms, 2, 200_000_000),
                        package(forms, 3, 160_000_000, "Pengadaan alat-alat tulis kantor"))
    assert set(found) == {"0", "1", "2"}  # 200 juta is still Pengadaan Langsung; 80% of it is "just under"
    (message,) = found["0"]
    assert message.startswith("Paket bernilai Rp 195.000.000, tepat di bawah batas Pengadaan Langsung "
                              "Rp 200.000.000, adalah satu dari 3 paket serupa OPD ini pada tahun 2024 "
                              "(jumlah Rp 555.000.000; lihat juga ocds-000bjn-90002, ocds-000bjn-90003)")


@pytest.mark.parametrize("other", [
    dict(value=200_000_001),                      # above the ceiling: a tender was due anyway
    dict(value=159_999_999),                      # not "just under"
    dict(value=195_000_000, opd="1.03.02"),       # another OPD
    dict(value=195_000_000, year=2025),           # another year
    dict(value=195_000_000, title="Rehabilitasi gedung balai desa"),  # other work
    dict(value=195_000_000, kind="pekerjaan_konstruksi"),            # another category
    dict(value=195_000_000, method="tender"),     # it went to tender
])
def test_a_package_alone_in_its_group_is_not_flagged(forms, other):
    assert split_flags(forms, package(forms, 1, 195_000_000), package(forms, 2, **other)) == {}


def test_consultancy_packages_split_under_their_own_ceiling(forms):
    kind = "jasa_konsultansi_non_konstruksi"
    found = split_flags(forms, package(forms, 1, 95_000_000, "Jasa konsultansi kajian", kind=kind),
                        package(forms, 2, 100_000_000, "Jasa konsultansi kajian", kind=kind))
    assert set(found) == {"0", "1"} and "Rp 100.000.000" in next(iter(found["0"]))
    assert split_flags(forms, package(forms, 1, 150_000_000, "Jasa konsultansi kajian", kind=kind),
                       package(forms, 2, 150_000_000, "Jasa konsultansi kajian", kind=kind)) == {}


def test_review_gets_the_flags_of_one_process_compared_with_its_neighbours(forms):
    own, neighbour = package(forms, 1, 195_000_000), package(forms, 2, 199_000_000)
    neighbour[0]["planning"]["budget"]["amount"]["amount"] = 199_000_000
    neighbour_flags_alone = flags_for_releases(neighbour)
    assert neighbour_flags_alone == []
    assert flags(own, neighbours=neighbour) == {("planning/budget/amount/amount", "split_below_direct_ceiling")}
    assert flags(own) == set()  # alone, nothing to compare with
