"""Public OCDS publication of a real `odc-server` (SQLite and PostgreSQL): approved entries only, paged
release packages, records with compiled releases, yearly bulk files, document downloads, the public
page; everything validated against the official OCDS 1.1.5 schema and libcoveocds, offline."""

from __future__ import annotations

import hashlib
import json

import pytest

from tests.conformance.official import (libcove_errors, official_errors, official_package_validator,
                                        require_official_files, sockets_blocked)
from tests.server.review_api import approve, decide, new_ocid, public, stage_payload

STAGES = ("planning", "tender", "award", "contract", "implementation", "completion")
SECRET_PDF = b"%PDF-1.4 rahasia belum disetujui " + b"x" * 3000
PUBLIC_PDF = b"%PDF-1.4 KAK jalan poros desa " + b"y" * 5000


def attachment(content: bytes, name: str) -> dict:
    return {"sha256": hashlib.sha256(content).hexdigest(), "size": len(content), "name": name,
            "media_type": "application/pdf", "document_type": "kak"}


@pytest.fixture(scope="module")
def site(served):
    """Two approved processes (one with a contract amendment after approval), one submitted, one returned."""
    operator, supervisor = served.device("operator"), served.device("supervisor")
    operator.upload(PUBLIC_PDF)
    operator.upload(SECRET_PDF)
    approved_ocids, hidden = [new_ocid(), new_ocid()], {}
    try:
        for ocid in approved_ocids:
            bodies = [stage_payload(ocid, stage) for stage in STAGES]
            bodies[0]["attachments"] = [attachment(PUBLIC_PDF, "kak.pdf")]
            assert [r["status"] for r in operator.push(bodies)] == ["accepted"] * len(STAGES)
            for body in bodies:
                approve(supervisor, body["entry"])
        contract = next(b for b in bodies if b["stage"] == "contract")
        change = stage_payload(approved_ocids[1], "contract", supersedes=contract["entry"])
        change["data"]["adendum"] = contract["data"]["adendum"] + [
            {"tanggal": "2024-09-01", "alasan": "Tambah volume bahu jalan.", "uraian": "Nilai tetap."}]
        assert operator.push([change])[0]["status"] == "accepted"
        approve(supervisor, change["entry"])
        waiting = stage_payload(new_ocid(), attachments=[attachment(SECRET_PDF, "rahasia.pdf")])
        waiting["data"]["uraian_pekerjaan"] = "Paket rahasia belum disetujui"
        returned = stage_payload(new_ocid())
        operator.push([waiting, returned])
        response = decide(supervisor, returned["entry"], 1, "return", [{"field": None, "text": "Perbaiki."}])
        assert response.status_code == 200
        hidden = {"ocids": [waiting["ocid"], returned["ocid"]], "entries": [waiting["entry"], returned["entry"]],
                  "sha256": attachment(SECRET_PDF, "x")["sha256"]}
    finally:
        operator.close()
        supervisor.close()
    return {"url": served.url, "ocids": approved_ocids, "hidden": hidden, "amended": change["entry"]}


def all_release_pages(url: str, **params) -> list[dict]:
    pages = [public(url, "/ocds/releases", **params).json()]
    while "next" in pages[-1].get("links", {}):
        pages.append(public(pages[-1]["links"]["next"], "").json())
        assert len(pages) < 100
    return pages


def everything_public(site) -> list[tuple[str, dict]]:
    url = site["url"]
    found = [("releases", page) for page in all_release_pages(url, limit=4)]
    found += [("records", public(url, f"/ocds/records/{ocid}").json()) for ocid in site["ocids"]]
    years = {r["date"][:4] for _kind, page in found if "releases" in page for r in page["releases"]}
    found += [("releases", public(url, f"/ocds/bulk/{year}.json").json()) for year in sorted(years)]
    return found


def test_release_pages_hold_every_approved_entry_once(site):
    pages = all_release_pages(site["url"], limit=4)
    releases = [r for page in pages for r in page["releases"]]
    assert len(pages) == 4 and len(releases) == 2 * len(STAGES) + 1
    assert len({r["id"] for r in releases}) == len(releases)
    assert {r["ocid"] for r in releases} == set(site["ocids"])
    for page in pages:
        assert page["publisher"]["name"] and page["license"] and page["publicationPolicy"]
    assert public(site["url"], "/ocds/releases", since="2999-01-01").json()["releases"] == []
    assert len(public(site["url"], "/ocds/releases", since="2000-01-01", limit=1000).json()["releases"]) == 13
    assert public(site["url"], "/ocds/releases", since="kemarin").status_code == 400


def test_yearly_bulk_files_hold_the_releases_of_their_year(site):
    releases = public(site["url"], "/ocds/releases", limit=1000).json()["releases"]
    years = {r["date"][:4] for r in releases}
    bulk = [r for year in years for r in public(site["url"], f"/ocds/bulk/{year}.json").json()["releases"]]
    assert sorted(r["id"] for r in bulk) == sorted(r["id"] for r in releases)
    assert public(site["url"], "/ocds/bulk/2001.json").json()["releases"] == []
    assert public(site["url"], "/ocds/bulk/1.json").status_code == 404


def test_a_change_after_approval_is_an_amendment_release(site):
    record = public(site["url"], f"/ocds/records/{site['ocids'][1]}").json()["records"][0]
    amended = [r for r in record["releases"] if site["amended"] in r["id"]]
    assert [r["tag"] for r in amended] == [["contractAmendment"]]
    assert len(record["compiledRelease"]["contracts"][0]["amendments"]) == 2


def test_documents_of_approved_entries_download_by_their_url(site):
    releases = public(site["url"], "/ocds/releases", limit=1000).json()["releases"]
    urls = {d["url"] for r in releases for d in r.get("planning", {}).get("documents", [])}
    assert len(urls) == 1
    (url,) = urls
    response = public(url, "")
    assert response.status_code == 200 and response.content == PUBLIC_PDF


def test_nothing_unapproved_leaks(site):
    hidden = site["hidden"]
    bodies = [json.dumps(body) for _kind, body in everything_public(site)]
    page = public(site["url"], "/").text
    for text in [*hidden["ocids"], *hidden["entries"], hidden["sha256"], "rahasia"]:
        assert all(text not in body for body in bodies) and text not in page
    for ocid in hidden["ocids"]:
        response = public(site["url"], f"/ocds/records/{ocid}")
        assert response.status_code == 404 and response.json()["error"]["code"] == "not_found"
    assert public(site["url"], f"/ocds/documents/{hidden['sha256']}").status_code == 404


def test_the_public_page_lists_and_searches_published_processes(site):
    page = public(site["url"], "/")
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    assert all(ocid in page.text for ocid in site["ocids"]) and "Cari paket" in page.text
    assert "2 paket ditemukan" in page.text and f"/ocds/records/{site['ocids'][0]}" in page.text
    found = public(site["url"], "/", q=site["ocids"][0]).text
    assert site["ocids"][0] in found and site["ocids"][1] not in found
    assert "0 paket ditemukan" in public(site["url"], "/", q="tidak ada paket seperti ini").text


def as_release_package(package: dict) -> dict:
    """A record package's releases and compiled releases as one release package: libcoveocds resolves the
    record package schema's versioned-release $ref over the network, so records go to it this way (the
    record package itself is checked against the official record package schema, offline)."""
    releases = [r for record in package["records"] for r in [*record["releases"], record["compiledRelease"]]]
    return {key: value for key, value in package.items() if key != "records"} | {"releases": releases}


def test_everything_published_validates_against_the_official_schema_and_libcoveocds(site):
    require_official_files()
    checked = 0
    for kind, package in everything_public(site):
        if kind == "records":
            assert official_errors(package, official_package_validator("record")) == []
            package = as_release_package(package)
        assert official_errors(package, official_package_validator("release")) == []
        with sockets_blocked():
            assert libcove_errors(package) == []
        checked += len(package["releases"])
    assert checked == 13 * 2 + 2 * len(STAGES) + 1 + 2  # pages and bulk; records' releases and compiled ones
