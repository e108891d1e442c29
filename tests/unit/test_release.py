"""Entries → OCDS releases, packages and compiled records (real forms, real ocdsmerge, no network)."""

from __future__ import annotations

import json
import re
import socket

import pytest

from odc_desktop.domain.ocds import profile
from odc_desktop.domain.forms.definition import load_form_set
from odc_desktop.domain.ocds.paths import get_path, set_path, split_path
from odc_desktop.domain.ocds.release import (
    DEFAULT_OCID_PREFIX, LICENSE_URL, LOCAL_EXTENSION_URL, REGISTERED_EXTENSIONS, build_process_releases,
    compile_record, record_package, release_package, to_ocds_datetime)
from odc_desktop.domain.statuses import EntryStatus
from odc_desktop.domain.ocds.validation import validate_package, validate_release
from odc_desktop.settings import Settings, validate_ocid_prefix
from tests.unit.release_samples import OCID, sample_attachments, sample_entries, sample_entry, sample_process

SUPPLIER = "ID-DJP-0012345678601000"  # the 15-digit NPWP in the form, as 16 digits (DJP rule)
BUYER = "ID-SATKER-1.03.0.00.0.00.09.0000"


@pytest.fixture(scope="module")
def forms():
    return load_form_set()


@pytest.fixture
def releases(forms):
    entries = sample_entries(forms)
    return build_process_releases(sample_process(), entries, forms, sample_attachments(entries))


def by_tag(releases, tag):
    return next(r for r in releases if r["tag"] == [tag])


def test_paths_create_dicts_and_lists_and_read_back():
    obj: dict = {}
    set_path(obj, "tender/items/1/description", "aspal")
    set_path(obj, "awards/0/value/amount", 5)
    assert obj == {"tender": {"items": [{}, {"description": "aspal"}]}, "awards": [{"value": {"amount": 5}}]}
    assert get_path(obj, "awards/0/value/amount") == 5
    assert get_path(obj, "awards/3/value", "none") == "none"
    assert split_path("a/0/b") == ["a", 0, "b"]
    with pytest.raises(ValueError):
        set_path(obj, "awards/x", 1)  # awards is a list: a key cannot index it


def test_one_release_per_entry_with_stage_tags_ids_and_wib_dates(releases):
    assert [r["tag"] for r in releases] == [["planning"], ["tender"], ["award"], ["contract"],
                                            ["implementation"], ["contractTermination"]]
    assert [r["id"] for r in releases] == ["planning-e00101-r1", "tender-e00102-r1", "award-e00103-r1",
                                           "contract-e00104-r1", "implementation-e00105-r1",
                                           "completion-e00106-r1"]
    for release in releases:
        assert release["ocid"] == OCID and release["initiationType"] == "tender" and release["language"] == "id"
        assert release["title"].startswith("Rehabilitasi Jalan Poros")
        assert re.fullmatch(r"\d{4}-\d\d-\d\dT10:30:00\+07:00", release["date"])
    tender = by_tag(releases, "tender")["tender"]
    assert tender["tenderPeriod"] == {"startDate": "2024-03-11T00:00:00+07:00", "endDate": "2024-03-25T00:00:00+07:00"}


def test_money_gets_idr_and_selects_get_ocds_code_and_indonesian_label(releases):
    planning = by_tag(releases, "planning")
    assert planning["planning"]["budget"]["amount"] == {"amount": 1_250_000_000, "currency": "IDR"}
    lines = planning["planning"]["budget"]["budgetBreakdown"]
    assert [line["id"] for line in lines] == ["1", "2"]
    assert lines[1]["amount"] == {"amount": 250_000_000, "currency": "IDR"}
    assert lines[0]["x_sumberDana"] == "apbd" and lines[0]["description"]
    assert planning["tender"]["procurementMethod"] == "open"
    assert planning["tender"]["procurementMethodDetails"] == "Tender"
    assert planning["tender"]["mainProcurementCategory"] == "works"
    assert planning["tender"]["x_jenisPengadaan"] == "Pekerjaan Konstruksi"
    assert by_tag(releases, "award")["awards"][0]["value"] == {"amount": 1_189_500_000, "currency": "IDR"}
    payment = by_tag(releases, "implementation")["contracts"][0]["implementation"]["transactions"][0]
    assert payment["value"] == {"amount": 356_850_000, "currency": "IDR"} and payment["id"] == "1"
    final = by_tag(releases, "contractTermination")["contracts"][0]["implementation"]["finalValue"]
    assert final == {"amount": 1_180_000_000, "currency": "IDR"}


def test_codelist_also_writes_extra_paths(forms):
    data = sample_entry(forms, "planning").data | {"jenis_pengadaan": "jasa_konsultansi_konstruksi"}
    release = build_process_releases(sample_process(), [sample_entry(forms, "planning", data)], forms, {})[0]
    assert release["tender"]["additionalProcurementCategories"] == ["consultingServices"]
    assert release["tender"]["mainProcurementCategory"] == "services"


def test_parties_have_djp_ids_and_the_union_of_their_roles_in_every_release(releases):
    for release in releases:
        assert release["buyer"] == {"id": BUYER, "name": "Dinas Pekerjaan Umum Bina Marga dan Penataan Ruang"}
        parties = {p["id"]: p for p in release["parties"]}
        assert set(parties[BUYER]["roles"]) == {"buyer", "procuringEntity", "payer"}
        if SUPPLIER in parties:
            assert set(parties[SUPPLIER]["roles"]) == {"supplier", "tenderer", "payee"}
            assert parties[SUPPLIER]["identifier"] == {"scheme": "ID-DJP", "id": "0012345678601000",
                                                       "legalName": "CV Karya Mandiri Bojonegoro"}
            assert parties[SUPPLIER]["details"] == {"scale": "sme"}
    tender_parties = {p["name"]: p for p in by_tag(releases, "tender")["parties"]}
    no_npwp = tender_parties["CV Bengawan Solo Abadi"]
    assert re.fullmatch(rf"{OCID}-org-[0-9a-f]{{8}}", no_npwp["id"]) and "identifier" not in no_npwp
    assert [t["id"] for t in by_tag(releases, "tender")["tender"]["tenderers"]][0] == SUPPLIER
    # The contract release references only the buyer, so it carries only the buyer.
    assert [p["id"] for p in by_tag(releases, "contract")["parties"]] == [BUYER]


def test_placeholders_link_award_contract_buyer_and_supplier(releases):
    award = by_tag(releases, "award")["awards"][0]
    assert award["id"] == f"{OCID}-award-1" and award["status"] == "active"
    assert award["suppliers"] == [{"id": SUPPLIER, "name": "CV Karya Mandiri Bojonegoro"}]
    for tag in ("contract", "implementation", "contractTermination"):
        contract = by_tag(releases, tag)["contracts"][0]
        assert contract["id"] == f"{OCID}-contract-1" and contract["awardID"] == award["id"]
    payment = by_tag(releases, "implementation")["contracts"][0]["implementation"]["transactions"][0]
    assert payment["payer"]["id"] == BUYER and payment["payee"]["id"] == SUPPLIER
    assert by_tag(releases, "tender")["tender"]["procuringEntity"]["id"] == BUYER
    assert by_tag(releases, "contract")["contracts"][0]["amendments"][0]["id"] == "1"
    milestones = by_tag(releases, "implementation")["contracts"][0]["implementation"]["milestones"]
    assert [m["id"] for m in milestones] == ["1", "2"]


def test_supplier_placeholder_is_left_out_when_no_award_exists(forms):
    release = build_process_releases(sample_process(), [sample_entry(forms, "implementation")], forms, {})[0]
    payment = release["contracts"][0]["implementation"]["transactions"][0]
    assert "payee" not in payment and payment["payer"]["id"] == BUYER
    assert validate_release(release) == []


def test_documents_come_from_attachments(forms, releases):
    documents = by_tag(releases, "planning")["planning"]["documents"]
    assert len(documents) == 1
    document = documents[0]
    assert re.fullmatch(r"[0-9a-f]{16}", document["id"])
    assert document["documentType"] == "procurementPlan" and document["format"] == "application/pdf"
    assert document["title"] == "DPA Dinas PU 2024" and document["datePublished"].endswith("+07:00")
    assert by_tag(releases, "contract")["contracts"][0]["documents"][0]["documentType"] == "contractSigned"
    entry = sample_entry(forms, "planning")
    twice = {entry.id: sample_attachments([entry])[entry.id] * 2}  # the same file attached twice
    release = build_process_releases(sample_process(), [entry], forms, twice)[0]
    assert len(release["planning"]["documents"]) == 1


def test_an_entry_superseding_an_approved_one_is_an_update_or_amendment(forms):
    old = sample_entry(forms, "contract", entry_id=1, month=4)
    grown = sample_entry(forms, "contract", entry_id=2, month=6, status=EntryStatus.DRAFT)
    grown.data["adendum"].append({"tanggal": "2024-09-01", "alasan": "Tambah volume.", "uraian": "Adendum II"})
    corrected = sample_entry(forms, "tender", entry_id=4, month=7, status=EntryStatus.DRAFT)
    tender = sample_entry(forms, "tender", entry_id=3, month=3)
    releases = build_process_releases(sample_process(), [old, grown, tender, corrected], forms, {})
    assert [r["tag"] for r in releases] == [["contract"], ["contractAmendment"], ["tender"], ["tenderUpdate"]]


def test_wib_date_times():
    assert to_ocds_datetime("2024-03-01") == "2024-03-01T00:00:00+07:00"
    assert to_ocds_datetime("2024-03-01T01:30:00Z") == "2024-03-01T08:30:00+07:00"
    assert to_ocds_datetime("2024-03-01T10:00:00") == "2024-03-01T10:00:00+07:00"


def test_release_package_lists_license_policy_and_only_extensions_used(releases):
    package = release_package(releases, "2024-10-01T12:00:00+07:00")
    assert package["version"] == "1.1" and package["license"] == LICENSE_URL
    assert package["publisher"] == {"name": "Pemerintah Kabupaten Bojonegoro"}
    assert package["publicationPolicy"].startswith("https://") and package["uri"].startswith("https://")
    assert package["extensions"] == [REGISTERED_EXTENSIONS[name] for name in
                                     ("budget", "location", "process_title", "contract_completion", "partyScale")
                                     ] + [LOCAL_EXTENSION_URL]
    only_award = release_package([by_tag(releases, "award")], "2024-10-01")
    assert REGISTERED_EXTENSIONS["contract_completion"] not in only_award["extensions"]
    assert REGISTERED_EXTENSIONS["budget"] not in only_award["extensions"]
    assert validate_package(package) == []


def test_compile_record_works_with_the_network_blocked(monkeypatch, releases):
    def refuse(*args, **kwargs):
        raise AssertionError("network access attempted")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    record = compile_record(list(reversed(releases)))
    compiled = record["compiledRelease"]
    assert record["ocid"] == OCID and [r["id"] for r in record["releases"]] == [r["id"] for r in releases]
    assert compiled["tag"] == ["compiled"] and compiled["id"] == f"{OCID}-{releases[-1]['date']}"
    assert compiled["contracts"][0]["status"] == "terminated"
    assert compiled["contracts"][0]["x_nomorKontrak"] == "640/45/SP/412.204/2024"
    assert compiled["contracts"][0]["implementation"]["finalValue"]["amount"] == 1_180_000_000
    assert {p["id"] for p in compiled["parties"]} >= {BUYER, SUPPLIER}
    assert validate_release(compiled) == []
    with pytest.raises(ValueError):
        compile_record(releases + [dict(releases[0], ocid="ocds-000bjn-other")])


def test_record_package_has_one_record_per_ocid(forms, releases):
    other = build_process_releases(sample_process(ocid="ocds-000bjn-99999999", process_id=2),
                                   sample_entries(forms, process_id=2)[:2], forms, {})
    package = record_package(releases + other, "2024-10-01")
    assert [record["ocid"] for record in package["records"]] == [OCID, "ocds-000bjn-99999999"]
    assert len(package["records"][1]["releases"]) == 2
    assert validate_package(package) == []


def test_default_ocid_prefix_is_well_formed_but_marked_unregistered(data_dir):
    assert re.fullmatch(r"ocds-[a-z0-9]{6}", DEFAULT_OCID_PREFIX)
    validate_ocid_prefix(DEFAULT_OCID_PREFIX)  # the registered form: the setting accepts it
    settings = Settings(data_dir)
    assert settings.ocid_prefix == DEFAULT_OCID_PREFIX and settings.ocid_prefix_is_placeholder
    settings.set("ocid_prefix", "ocds-afzrfb")
    assert not settings.ocid_prefix_is_placeholder


def test_local_extension_documents_exactly_the_x_fields_the_forms_write(forms):
    def x_fields(schema):
        return {(name, field) for name, definition in schema["definitions"].items()
                for field in definition.get("properties", {}) if field.startswith("x_")}

    def written(fields):
        for field in fields:
            for path in (field.path, field.details_path or ""):
                if path.rpartition("/")[2].startswith("x_"):
                    yield path.rpartition("/")[2]
            yield from written(field.fields)

    in_forms = {name for form in forms.forms.values() for name in written(form.all_fields())}
    assert x_fields(profile.release_schema()) == x_fields(profile.local_extension_schema())
    assert {field for _, field in x_fields(profile.release_schema())} == in_forms
    extension = profile.local_extension()
    assert extension["name"]["en"] and extension["compatibility"] == ["1.1"]
    for _, field in x_fields(profile.release_schema()):
        assert field in extension["description"]["en"]
    json.dumps(extension)
