"""Layer-2 OCDS validation: profile schema, custom checks, packages, records, non-OCDS input."""

from __future__ import annotations

import copy

import pytest

from odc_desktop.domain.forms.definition import load_form_set
from odc_desktop.domain.ocds.release import build_process_releases, record_package, release_package
from odc_desktop.domain.ocds.validation import validate_package, validate_release
from tests.unit.release_samples import sample_attachments, sample_entries, sample_process


@pytest.fixture(scope="module")
def good_releases():
    forms = load_form_set()
    entries = sample_entries(forms)
    return build_process_releases(sample_process(), entries, forms, sample_attachments(entries))


@pytest.fixture
def releases(good_releases):
    return copy.deepcopy(good_releases)


def compiled_view(releases):
    """One release holding every stage (what a compiled release or an 'easy release' looks like)."""
    from odc_desktop.domain.ocds.release import compile_record

    return compile_record(copy.deepcopy(releases))["compiledRelease"]


def codes(problems):
    return [(p.path, p.code) for p in problems]


def errors(problems):
    return [p for p in problems if p.severity == "error"]


def test_good_releases_package_and_compiled_release_have_no_problems(releases):
    assert [validate_release(r) for r in releases] == [[]] * 6
    assert validate_package(release_package(releases, "2024-10-01")) == []
    assert validate_release(compiled_view(releases)) == []


@pytest.mark.parametrize("array_path", [
    "parties", "awards", "contracts", "planning/documents", "tender/items", "tender/tenderers",
    "planning/budget/budgetBreakdown", "contracts/0/implementation/milestones",
    "contracts/0/implementation/transactions", "contracts/0/amendments"])
def test_duplicate_ids_inside_arrays_are_found(releases, array_path):
    release = compiled_view(releases)
    target = release
    for part in array_path.split("/"):
        target = target[int(part)] if part.isdigit() else target[part]
    target.append(copy.deepcopy(target[0]))
    found = validate_release(release)
    assert (f"{array_path}/{len(target) - 1}/id", "duplicate_id") in codes(found)
    message = next(p.message for p in found if p.code == "duplicate_id")
    assert "lebih dari sekali" in message


def test_dangling_award_id_inside_a_release_with_awards(releases):
    release = compiled_view(releases)
    release["contracts"][0]["awardID"] = "x"
    found = validate_release(release)
    assert codes(found) == [("contracts/0/awardID", "dangling_award_id")]
    assert found[0].message == ("awardID 'x' pada kontrak tidak merujuk ke penetapan pemenang mana pun. "
                                "Periksa tahap Penetapan pemenang paket ini.")
    assert "does not refer to any award" in validate_release(release, lang="en")[0].message


def test_dangling_award_id_across_a_package_is_found_in_each_release_holding_it(releases):
    releases[3]["contracts"][0]["awardID"] = "tidak-ada"
    assert validate_release(releases[3]) == []  # alone, a contract release cannot know the awards
    found = validate_package(release_package(releases, "2024-10-01"))
    # Later releases repair the link, so the compiled release is sound; the contract release is not.
    assert codes(found) == [("releases/3/contracts/0/awardID", "dangling_award_id")]
    releases[5]["contracts"][0]["awardID"] = "tidak-ada"
    found = validate_package(release_package(releases, "2024-10-01"))
    assert codes(found) == [("releases/3/contracts/0/awardID", "dangling_award_id"),
                            ("releases/5/contracts/0/awardID", "dangling_award_id")]


def test_award_links_are_not_checked_when_the_package_holds_no_award_of_the_process(releases):
    releases[4]["contracts"][0]["awardID"] = "di-halaman-sebelumnya"
    assert validate_package(release_package(releases[4:], "2024-10-01")) == []


@pytest.mark.parametrize("path,role", [
    ("buyer", "buyer"), ("tender/procuringEntity", "procuringEntity"), ("tender/tenderers/1", "tenderer"),
    ("awards/0/suppliers/0", "supplier"), ("contracts/0/implementation/transactions/0/payer", "payer"),
    ("contracts/0/implementation/transactions/0/payee", "payee")])
def test_references_must_name_a_party_with_the_matching_role(releases, path, role):
    release = compiled_view(releases)
    ref = release
    for part in path.split("/"):
        ref = ref[int(part)] if part.isdigit() else ref[part]
    party = next(p for p in release["parties"] if p["id"] == ref["id"])
    party["roles"].remove(role)
    assert (f"{path}/id", "party_role_missing") in codes(validate_release(release))
    ref["id"] = "ID-DJP-000"
    assert (f"{path}/id", "party_missing") in codes(validate_release(release))


def test_periods_ending_before_they_start(releases):
    release = releases[3]
    release["contracts"][0]["period"]["endDate"] = "2024-04-01T00:00:00+07:00"
    found = validate_release(release)
    assert codes(found) == [("contracts/0/period/endDate", "period_reversed")]
    assert "2024-04-01" in found[0].message and "2024-04-22" in found[0].message


def test_date_times_need_an_explicit_offset(releases):
    release = releases[2]
    release["awards"][0]["date"] = "2024-04-02T00:00:00"
    release["date"] = "2024-04-02"
    found = validate_release(release)
    assert ("awards/0/date", "datetime_no_offset") in codes(found)
    assert ("date", "datetime_invalid") in codes(found)
    release["awards"][0]["date"] = "2024-04-02T00:00:00Z"
    release["date"] = "2024-04-02T00:00:00-03:00"
    assert validate_release(release) == []


def test_values_above_pagu_and_hps_and_payments_above_the_contract(releases):
    release = compiled_view(releases)
    release["contracts"][0]["value"]["amount"] = 1_300_000_000
    release["awards"][0]["value"]["amount"] = 1_240_000_000
    release["contracts"][0]["implementation"]["transactions"].append(
        {"id": "2", "value": {"amount": 1_000_000_000, "currency": "IDR"}})
    found = validate_release(release)
    assert set(codes(found)) == {("contracts/0/value/amount", "contract_above_pagu"),
                                 ("contracts/0/value/amount", "contract_above_award"),
                                 ("awards/0/value/amount", "award_above_hps"),
                                 ("contracts/0/implementation/transactions", "transactions_above_contract")}
    pagu = next(p for p in found if p.code == "contract_above_pagu")
    assert pagu.message.startswith("Nilai kontrak Rp 1.300.000.000 melebihi pagu anggaran Rp 1.250.000.000")
    assert releases[3]["contracts"][0]["value"]["amount"] == 1_189_500_000  # the sample is untouched


def test_contract_above_pagu_across_a_package_points_at_the_contract_release(releases):
    releases[3]["contracts"][0]["value"]["amount"] = 2_000_000_000
    found = validate_package(release_package(releases, "2024-10-01"))
    assert ("releases/3/contracts/0/value/amount", "contract_above_pagu") in codes(found)


def test_schema_errors_are_explained_in_indonesian_and_english(releases):
    release = releases[1]
    del release["tag"]
    release["ocid"] = "bjn-41234567"
    release["tender"]["procurementMethod"] = "tender"
    release["tender"]["value"]["currency"] = "USD"
    del releases[2]["awards"][0]["value"]["currency"]
    found = {p.path: p for p in validate_release(release)}
    assert found["tag"].code == "schema.required" and found["tag"].message == "Isian wajib 'tag' tidak ada."
    assert found["ocid"].message.startswith("ocid 'bjn-41234567' harus diawali prefiks OCDS")
    assert found["tender/procurementMethod"].message.startswith("Nilai 'tender' tidak diizinkan")
    assert found["tender/value/currency"].code == "schema.enum"
    assert [(p.path, p.code) for p in validate_release(releases[2])] == [("awards/0/value", "schema.dependencies")]
    english = {p.path: p.message for p in validate_release(release, lang="en")}
    assert english["tag"] == "The required field 'tag' is missing."


def test_open_codelist_values_are_warnings(releases):
    releases[0]["planning"]["documents"][0]["documentType"] = "dpa"
    found = validate_release(releases[0])
    assert codes(found) == [("planning/documents/0/documentType", "open_codelist")]
    assert found[0].severity == "warning"


def test_record_packages_check_embedded_and_compiled_releases(releases):
    package = record_package(releases, "2024-10-01")
    assert validate_package(package) == []
    package["records"][0]["compiledRelease"]["contracts"][0]["awardID"] = "salah"
    package["records"][0]["releases"][4]["date"] = "2024-07-02"
    found = codes(validate_package(package))
    assert ("records/0/compiledRelease/contracts/0/awardID", "dangling_award_id") in found
    assert ("records/0/releases/4/date", "datetime_invalid") in found


def test_packages_report_duplicate_releases_missing_metadata_and_non_objects(releases):
    package = release_package(releases + [copy.deepcopy(releases[0]), "bukan rilis"], "2024-10-01")
    del package["publisher"]
    package["version"] = "1.0"
    found = codes(validate_package(package))
    assert ("publisher", "package_field_missing") in found
    assert ("version", "package_version") in found
    assert ("releases/6/id", "duplicate_release_id") in found
    assert ("releases/7", "not_object") in found


def test_a_bare_release_and_a_list_of_releases_are_accepted(releases):
    assert validate_package(releases[0]) == []
    releases[5]["contracts"][0]["awardID"] = "tidak-ada"
    assert codes(validate_package(releases)) == [("5/contracts/0/awardID", "dangling_award_id")]


@pytest.mark.parametrize("obj,what", [
    ({"name": "laporan", "rows": []}, "objek dengan kunci name, rows"),
    ([1, 2, 3], "daftar 3 isian"), ([], "daftar 0 isian"), ("teks", "teks"), (42, "bilangan bulat"),
    (None, "kosong")])
def test_non_ocds_json_gives_one_problem_saying_what_it_is(obj, what):
    found = validate_package(obj)
    assert len(found) == 1 and found[0].code == "not_ocds" and found[0].path == ""
    assert what in found[0].message and "Bukan paket atau rilis OCDS" in found[0].message
    assert "not an OCDS package or release: no `releases`, `records` or `ocid`" in \
        validate_package(obj, lang="en")[0].message

