"""`odc validate`'s three levels on real files: `error` (official OCDS), `profile` (Bojonegoro), `flag`.

Each test writes a real file and validates it as the command does; sockets are blocked throughout,
so nothing (schemas, extensions) may be downloaded.
"""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest

from odc_desktop.domain.ocds.validate_file import validate_file
from tests.conformance.official import sockets_blocked


def release(**changes: Any) -> dict[str, Any]:
    """A valid OCDS 1.1 release of a foreign publisher (GBP, en-GB, nulls where allowed)."""
    base = {
        "ocid": "ocds-b5fd17-1", "id": "r1", "date": "2024-01-10T10:00:00Z", "tag": ["award"],
        "initiationType": "tender", "language": "en-GB",
        "parties": [{"id": "GB-1", "name": "Council", "roles": ["buyer", "procuringEntity"]},
                    {"id": "GB-2", "name": "Supplier Ltd", "roles": ["supplier"], "address": {"region": None}}],
        "buyer": {"id": "GB-1", "name": "Council"},
        "planning": {"budget": {"amount": {"amount": 1000, "currency": "GBP"}}},
        "tender": {"id": "t1", "description": None, "value": {"amount": 900, "currency": "GBP"},
                   "tenderPeriod": {"startDate": "2024-01-01T00:00:00Z", "endDate": "2024-01-05T00:00:00Z"}},
        "awards": [{"id": "a1", "value": {"amount": 850, "currency": "GBP"}, "suppliers": [{"id": "GB-2"}]}],
        "contracts": [{"id": "c1", "awardID": "a1", "value": {"amount": 850, "currency": "GBP"},
                       "implementation": {"transactions": [
                           {"id": "p1", "value": {"amount": 400, "currency": "GBP"}}]}}],
    }
    base.update(changes)
    return base


def package(*releases: dict[str, Any], **changes: Any) -> dict[str, Any]:
    base = {"uri": "https://example.org/p.json", "version": "1.1", "publishedDate": "2024-02-01T00:00:00Z",
            "publisher": {"name": "Example"}, "releases": list(releases) or [release()]}
    base.update(changes)
    return base


def check(tmp_path: Path, data: Any, profile: str | None = None, lang: str = "en"):
    path = tmp_path / "data.json"
    path.write_text(json.dumps(data) if not isinstance(data, str) else data, encoding="utf-8")
    with sockets_blocked():
        report = validate_file(path, lang=lang, profile=profile)
    assert report.failed is None
    return report


def codes(report, level: str | None = None) -> set[tuple[str, str]]:
    return {(p.path, p.code) for p in report.problems if level is None or p.level == level}


@pytest.mark.parametrize("currency", ["GBP", "MXN", "USD"])
def test_foreign_currency_data_is_valid_and_only_the_profile_asks_for_idr(tmp_path, currency):
    data = json.loads(json.dumps(package()).replace('"GBP"', f'"{currency}"'))
    report = check(tmp_path, data)
    assert report.problems == [] and report.passed(profile_asked=False)
    profiled = check(tmp_path, data, profile="bojonegoro")
    assert ("releases/0/tender/value/currency", "schema.enum") in codes(profiled, "profile")
    assert not profiled.passed(profile_asked=True) and not codes(profiled, "error")


def test_nulls_en_gb_references_without_id_and_amounts_without_currency_are_not_errors(tmp_path):
    data = release(buyer={"name": "Council"})
    data["awards"][0]["value"] = {"amount": 850}
    data["tender"]["title"] = None
    report = check(tmp_path, package(data))
    assert codes(report, "error") == set()
    profiled = check(tmp_path, package(data), profile="bojonegoro")
    assert {("releases/0/buyer", "party_ref_no_id"), ("releases/0/awards/0/value", "schema.dependencies")} <= \
        codes(profiled, "profile")


def test_list_and_object_ids_are_errors_not_crashes(tmp_path):
    data = release()
    data["awards"][0]["id"] = ["a", "b"]
    data["parties"][0]["id"] = {"x": 1}
    data["id"] = {"y": 2}
    report = check(tmp_path, package(data), profile="bojonegoro")
    assert {("releases/0/awards/0/id", "schema.type"), ("releases/0/parties/0/id", "schema.type"),
            ("releases/0/id", "schema.type")} <= codes(report, "error")


def test_the_standard_rules_are_errors(tmp_path):
    second = release(id="r1")  # the same release id again
    second["awards"] = [{"id": "a9", "suppliers": [{"id": "GB-404"}]}, {"id": "a9"}]
    second["contracts"] = [{"id": "c1", "awardID": "nope",
                            "period": {"startDate": "2024-03-01T00:00:00Z", "endDate": "2024-02-01T00:00:00Z"}}]
    report = check(tmp_path, package(release(), second))
    assert codes(report, "error") >= {
        ("releases/1/id", "duplicate_release_id"), ("releases/1/awards/1/id", "duplicate_id"),
        ("releases/1/awards/0/suppliers/0/id", "party_missing"), ("releases/1/contracts/0/awardID", "dangling_award_id"),
        ("releases/1/contracts/0/period/endDate", "period_reversed")}


def test_package_metadata_formats_and_version_are_checked(tmp_path):
    report = check(tmp_path, package(uri="not a uri", publishedDate="2024-02-01", version="1.1.5"))
    assert {("uri", "schema.format"), ("publishedDate", "schema.format"), ("version", "schema.pattern")} <= \
        codes(report, "error")
    data = release(date="2024-01-10 10:00")
    assert ("releases/0/date", "schema.format") in codes(check(tmp_path, package(data)), "error")


def test_records_without_ocid_and_empty_records_are_errors(tmp_path):
    meta = {k: v for k, v in package().items() if k != "releases"}
    assert codes(check(tmp_path, {**meta, "records": []})) == {("records", "schema.minItems")}
    linked = {"releases": [{"url": "https://example.org/p.json#r1", "date": "2024-01-10T10:00:00Z", "tag": ["award"]}]}
    report = check(tmp_path, {**meta, "records": [linked]})
    assert codes(report) == {("records/0/ocid", "schema.required")}
    embedded = {"ocid": "ocds-b5fd17-1", "releases": [release()], "compiledRelease": release(tag=["compiled"], id="x")}
    assert check(tmp_path, {**meta, "records": [embedded]}).problems == []


def test_version_1_0_data_is_checked_by_the_1_0_schema_never_rejected_for_its_version(tmp_path):
    old = {"ocid": "ocds-1", "id": "1", "date": "2016-01-01T00:00:00Z", "tag": ["tender"], "initiationType": "tender",
           "buyer": {"name": "Ministry", "identifier": {"id": "1"}},
           "tender": {"id": "t", "tenderers": [{"name": "A Ltd", "identifier": {"scheme": "X", "id": "9"}}]}}
    for meta in ({}, {"version": "1.0"}):
        data = {"uri": "https://example.org/p.json", "publishedDate": "2016-01-02T00:00:00Z",
                "publisher": {"name": "Ministry"}, "releases": [old], **meta}
        report = check(tmp_path, data)
        assert report.problems == [] and report.passed(profile_asked=False)
        assert report.notice_texts("en") == ["OCDS version 1.0 data: checked with the official 1.0.3 schema."]
    # A code that only 1.1 added ("planning") is refused in 1.0 data, and accepted in 1.1 data.
    old["tender"]["status"] = "planning"
    assert codes(check(tmp_path, {**data, "releases": [old]})) == {("releases/0/tender/status", "schema.enum")}
    assert codes(check(tmp_path, {**data, "releases": [old], "version": "1.1"})) == set()


def test_shipped_extensions_apply_offline_and_unknown_ones_give_one_notice(tmp_path):
    data = release()
    data["parties"][1]["details"] = {"scale": "enormous"}
    scale = "https://raw.githubusercontent.com/open-contracting-extensions/ocds_partyDetails_scale_extension/" \
            "master/extension.json"
    unknown = "https://example.org/unknown_extension/extension.json"
    report = check(tmp_path, package(data, extensions=[scale, unknown, unknown]))
    assert codes(report) == {("releases/0/parties/1/details/scale", "schema.enum")}
    assert report.notice_texts("en") == [f"The extension {unknown} is not available offline: its fields were not "
                                         "checked."]
    assert check(tmp_path, package(data)).problems == []  # without the extension the field is free


def test_red_flags_are_warnings_in_the_datas_currency_within_one_currency(tmp_path):
    data = release()
    data["awards"][0]["value"]["amount"] = 950        # above HPS 900
    data["contracts"][0]["value"]["amount"] = 1200    # above pagu 1000
    data["contracts"][0]["implementation"]["transactions"].append(
        {"id": "p2", "value": {"amount": 900, "currency": "GBP"}})  # 1300 paid on 1200
    report = check(tmp_path, package(data))
    assert codes(report, "flag") == {("releases/0/awards/0/value/amount", "award_above_hps"),
                                     ("releases/0/contracts/0/value/amount", "contract_above_pagu"),
                                     ("releases/0/contracts/0/value/amount", "contract_above_award"),
                                     ("releases/0/contracts/0/implementation/transactions",
                                      "transactions_above_contract")}
    assert report.passed(profile_asked=False) and all(p.severity == "warning" for p in report.problems)
    hps = next(p for p in report.problems if p.code == "award_above_hps")
    assert "GBP 950" in hps.message and "GBP 900" in hps.message and "IDR" not in hps.message
    # Mixed currencies are not compared; an HPS or pagu of 0 is "not given".
    mixed = copy.deepcopy(data)
    mixed["tender"]["value"]["currency"] = "USD"
    mixed["planning"]["budget"]["amount"]["amount"] = 0
    mixed["contracts"][0]["implementation"]["transactions"][1]["value"]["currency"] = "EUR"
    mixed["contracts"][0]["value"]["currency"] = "EUR"  # nor compared with the award's GBP
    assert codes(check(tmp_path, package(mixed)), "flag") == set()


def test_flags_compare_across_the_releases_of_a_process(tmp_path):
    planning = release(id="r0", tag=["planning"], awards=[], contracts=[])
    award = release(id="r2", date="2024-02-10T10:00:00Z", planning={}, tender={"id": "t1"},
                    awards=[{"id": "a1", "value": {"amount": 990, "currency": "GBP"}}])
    found = codes(check(tmp_path, package(planning, award)), "flag")
    assert found == {("releases/1/awards/0/value/amount", "award_above_hps")}


def test_the_profile_is_applied_only_when_asked(tmp_path):
    data = release(ocid="ocds-b5fd17-1", date="2024-01-10T10:00:00Z")
    plain = check(tmp_path, package(data))
    assert not codes(plain, "profile")
    profiled = check(tmp_path, package(data), profile="bojonegoro")
    profile_codes = {code for _, code in codes(profiled, "profile")}
    assert {"schema.enum", "schema.pattern"} <= profile_codes  # IDR only; our ocid prefix form
    assert not codes(profiled, "error")


def test_not_ocds_and_items_not_a_list_read_right(tmp_path):
    assert [p.message for p in check(tmp_path, {}).problems] == [
        "not an OCDS package or release: no `releases`, `records` or `ocid`."]
    report = check(tmp_path, {"releases": "x"})
    assert [(p.path, p.code) for p in report.problems] == [("releases", "items_not_list")]
    assert report.problems[0].message.startswith("`releases` must be a list")
    assert check(tmp_path, {}, lang="id").problems[0].message.startswith("Bukan paket atau rilis OCDS")


def test_profile_codes_are_the_profiles_and_never_repeat_an_error(tmp_path):
    ours = release(ocid="ocds-000bjn-2024-1", date="2024-01-10T10:00:00")  # no time zone: an error first
    ours["parties"][1]["roles"] = ["tenderer"]       # referenced as supplier without that role
    ours["tender"]["documents"] = [{"id": "d1", "documentType": "dpa"}]  # not an OCDS code: advice
    report = check(tmp_path, package(ours, version="1.0"), profile="bojonegoro")
    assert ("releases/0/date", "schema.format") in codes(report, "error")
    assert ("releases/0/date", "datetime_no_offset") not in codes(report)  # the same place, said once
    profile_codes = codes(report, "profile")
    assert {("version", "package_version"), ("releases/0/awards/0/suppliers/0/id", "party_role_missing"),
            ("releases/0/tender/documents/0/documentType", "open_codelist")} <= profile_codes
    advice = [p for p in report.problems if p.code == "open_codelist"]
    assert advice[0].severity == "warning"


def test_an_unknown_version_is_checked_as_1_1_with_a_notice(tmp_path):
    report = check(tmp_path, package(version="2.0"))
    assert codes(report) == set()  # "2.0" has the form the package schema asks for
    assert report.notice_texts("en") == ["Version '2.0' is unknown: checked with the 1.1.5 schema."]


def test_records_are_checked_whole_with_flags_from_their_compiled_release(tmp_path):
    meta = {k: v for k, v in package().items() if k != "releases"}
    compiled = release(tag=["compiled"], id="compiled")
    compiled["awards"][0]["value"]["amount"] = 999  # above HPS 900
    compiled["contracts"][0]["awardID"] = "a404"
    linked = {"ocid": "ocds-b5fd17-1", "compiledRelease": compiled,
              "releases": [{"url": "not a url", "date": "2024-01-10T10:00:00Z", "tag": ["award"]}]}
    report = check(tmp_path, {**meta, "records": [linked]})
    assert codes(report, "error") == {("records/0/releases/0/url", "schema.format")}
    assert codes(report, "flag") == {("records/0/compiledRelease/awards/0/value/amount", "award_above_hps")}
    embedded = {"ocid": "ocds-b5fd17-1", "releases": [release(), release(id="r2", tag=["contract"], awards=[])]}
    embedded["releases"][1]["contracts"][0]["awardID"] = "a404"
    report = check(tmp_path, {**meta, "records": [embedded]})
    assert codes(report, "error") == {("records/0/releases/1/contracts/0/awardID", "dangling_award_id")}


def _paths(node: Any, prefix: tuple = ()) -> list[tuple]:
    found = [prefix] if prefix else []
    if isinstance(node, dict):
        for key, value in node.items():
            found += _paths(value, prefix + (key,))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            found += _paths(value, prefix + (index,))
    return found


@pytest.mark.parametrize("odd", [None, [], {}, "x", 1.5, True, [["x"]], {"id": ["x"]}, [{"id": {"a": 1}}]],
                         ids=["null", "empty-list", "empty-object", "text", "number", "bool", "nested-list",
                              "object-with-list-id", "list-of-object-ids"])
def test_any_value_anywhere_gives_problems_never_an_exception(tmp_path, odd):
    base = package(release(), release(id="r2", date="2024-02-01T00:00:00Z"))
    for where in _paths(base):
        data = copy.deepcopy(base)
        node = data
        for part in where[:-1]:
            node = node[part]
        node[where[-1]] = copy.deepcopy(odd)
        for profile in (None, "bojonegoro"):
            report = check(tmp_path, data, profile=profile)  # raises on any unexpected exception
            assert all(p.level in ("error", "profile", "flag") and p.code and p.message for p in report.problems)
