"""Review on a real `odc-server` (SQLite and PostgreSQL): the approve/return loop, four eyes, locked
approved entries, changes published as updates, red flags on the built OCDS data."""

from __future__ import annotations

import hashlib
import uuid

import pytest

from odc_desktop.domain.statuses import EntryStatus
from odc_desktop.workflow import apply_decision
from odc_sync.protocol.signing import decision_valid
from tests.unit.workflow_helpers import entry_in, new_process
from tests.unit.workflow_helpers import forms, repo  # noqa: F401  (fixtures)
from tests.server.review_api import (OTHER_OPD, approve, decide, ensure_user, new_ocid, public, pull_all, queue,
                                     stage_payload)


@pytest.fixture(scope="module")
def people(served):
    ensure_user(served.options, "kessup", "supervisor", OTHER_OPD)
    return served


@pytest.fixture
def supervisor(people):
    api = people.device("supervisor")
    yield api
    api.close()


def test_operator_supervisor_operator_supervisor(served, operator, supervisor):
    ocid = new_ocid()
    first = stage_payload(ocid)
    assert operator.push([first])[0]["status"] == "accepted"
    item = queue(supervisor)[first["entry"]]
    assert item["payload"] == first and item["revision"] == 1 and item["previous"] is None
    assert item["author"] == "operator" and isinstance(item["flags"], list)

    notes = [{"field": None, "text": "Lengkapi rincian anggaran."}, {"field": "pagu", "text": "Pagu tidak cocok DPA."}]
    returned = decide(supervisor, first["entry"], 1, "return", notes)
    assert returned.status_code == 200, returned.text
    pulled = [d for d in pull_all(operator)["decisions"] if d["entry"] == first["entry"]]
    assert [(d["revision"], d["decision"], d["reviewer"], d["notes"]) for d in pulled] == [(1, "return", "supervisor", notes)]
    key = operator.server_key()
    assert decision_valid(key, pulled[0])
    assert not decision_valid(key, {**pulled[0], "decision": "approve"})
    assert first["entry"] not in queue(supervisor)

    second = stage_payload(ocid, entry=first["entry"], revision=2, base_revision=1,
                           data={**first["data"], "pagu": 1_260_000_000})
    assert operator.push([second])[0]["status"] == "accepted"
    item = queue(supervisor)[first["entry"]]
    assert item["revision"] == 2 and item["previous"] == first
    approve(supervisor, first["entry"], 2)
    pulled = [d for d in pull_all(operator)["decisions"] if d["entry"] == first["entry"]]
    assert [(d["revision"], d["decision"]) for d in pulled] == [(1, "return"), (2, "approve")]
    assert all(decision_valid(key, d) for d in pulled)
    releases = public(served.url, "/ocds/records/" + ocid).json()["records"][0]["releases"]
    assert [r["id"] for r in releases] == [f"planning-{first['entry']}-r2"]
    assert releases[0]["planning"]["budget"]["amount"]["amount"] == 1_260_000_000


def test_four_eyes_and_roles(served, people, operator, supervisor):
    own = stage_payload(new_ocid())
    assert supervisor.push([own])[0]["status"] == "accepted"
    refused = decide(supervisor, own["entry"], 1, "approve")
    assert refused.status_code == 403
    error = refused.json()["error"]
    assert error["code"] == "own_entry" and "Empat mata" in error["message"] and "Four eyes" in error["message_en"]

    theirs = stage_payload(new_ocid())
    operator.push([theirs])
    outsider = people.device("kessup")
    try:
        response = decide(outsider, theirs["entry"], 1, "approve")
        assert response.status_code == 403 and response.json()["error"]["code"] == "forbidden_opd"
        assert theirs["entry"] not in queue(outsider)
    finally:
        outsider.close()
    for api in (operator, ):
        response = decide(api, theirs["entry"], 1, "approve")
        assert response.status_code == 403
        error = response.json()["error"]
        assert error["code"] == "forbidden_role" and error["message"] and error["message_en"]
    assert decide(supervisor, theirs["entry"], 1, "return").json()["error"]["code"] == "bad_decision"
    assert decide(supervisor, theirs["entry"], 2, "approve").json()["error"]["code"] == "not_reviewable"
    approve(supervisor, theirs["entry"], 1)
    again = decide(supervisor, theirs["entry"], 1, "approve")
    assert again.status_code == 409 and again.json()["error"]["code"] == "not_reviewable"


def test_an_approved_entry_is_locked(served, operator, supervisor):
    body = stage_payload(new_ocid())
    operator.push([body])
    approve(supervisor, body["entry"], 1)
    assert operator.push([body])[0]["status"] == "duplicate"
    change = stage_payload(body["ocid"], entry=body["entry"], revision=2, base_revision=1,
                           data={**body["data"], "pagu": 1_240_000_000})
    (result,) = operator.push([change])
    assert result["status"] == "conflict" and result["reasons"][0]["code"] == "entry_locked"
    assert result["server_copy"]["payload"] == body


def test_a_change_after_approval_is_published_as_an_update(served, operator, supervisor):
    ocid = new_ocid()
    original = stage_payload(ocid)
    operator.push([original])
    approve(supervisor, original["entry"])
    stray = stage_payload(new_ocid(), supersedes=original["entry"])
    (refused,) = operator.push([stray])
    assert refused["status"] == "rejected" and refused["reasons"][0]["code"] == "unknown_superseded"

    change = stage_payload(ocid, supersedes=original["entry"], data={**original["data"], "pagu": 1_300_000_000})
    assert operator.push([change])[0]["status"] == "accepted"
    item = queue(supervisor)[change["entry"]]
    assert item["supersedes"] == original["entry"] and item["previous"] == original
    approve(supervisor, change["entry"])
    record = public(served.url, "/ocds/records/" + ocid).json()["records"][0]
    assert [r["tag"] for r in record["releases"]] == [["planning"], ["planningUpdate"]]
    assert record["compiledRelease"]["planning"]["budget"]["amount"]["amount"] == 1_300_000_000


def test_red_flags_are_computed_on_the_built_process(served, operator, supervisor):
    ocid = new_ocid()
    tender = stage_payload(ocid, "tender")
    operator.push([tender])
    approve(supervisor, tender["entry"])
    award = stage_payload(ocid, "award")
    award["data"]["nilai_penetapan"] = 1_300_000_000  # above the HPS of 1 235 000 000
    assert operator.push([award])[0]["status"] == "accepted", award
    flags = queue(supervisor)[award["entry"]]["flags"]
    assert [f["code"] for f in flags] == ["award_above_hps"]
    assert flags[0]["message"] != flags[0]["message_en"]
    clean = stage_payload(new_ocid(), "award")
    operator.push([clean])
    assert queue(supervisor)[clean["entry"]]["flags"] == []


def test_a_pulled_decision_applies_with_the_workflow(served, operator, supervisor, repo, forms):
    """The decision as pulled is what the app's workflow takes: apply_decision on a real local store."""
    local = entry_in(repo, forms, new_process(repo), EntryStatus.SUBMITTED)
    body = stage_payload(new_ocid(), entry=local.uid, data=local.data)
    assert operator.push([body])[0]["status"] == "accepted"
    notes = [{"field": None, "text": "Lengkapi KAK."}, {"field": "pagu", "text": "Cek DPA."}]
    assert decide(supervisor, local.uid, 1, "return", notes).status_code == 200
    (pulled,) = [d for d in pull_all(operator)["decisions"] if d["entry"] == local.uid]
    assert decision_valid(operator.server_key(), pulled)
    changed = apply_decision(repo, local.id, pulled["decision"], pulled["reviewer"],
                             [(n["field"], n["text"]) for n in pulled["notes"]])
    assert changed.entry.status == EntryStatus.RETURNED
    assert sorted(((n.field_id or ""), n.text) for n in repo.list_review_notes(local.id)) == [
        ("", "Lengkapi KAK."), ("pagu", "Cek DPA.")]


def test_the_reviewer_opens_the_documents_of_their_opd_only(served, people, operator, supervisor):
    content = b"%PDF-1.4 foto lokasi " + uuid.uuid4().bytes * 100
    operator.upload(content)
    digest = hashlib.sha256(content).hexdigest()
    body = stage_payload(new_ocid(), attachments=[{"sha256": digest, "size": len(content), "name": "foto.pdf",
                                                   "media_type": "application/pdf", "document_type": "foto"}])
    assert operator.push([body])[0]["status"] == "accepted"
    (document,) = queue(supervisor)[body["entry"]]["attachments"]
    response = supervisor.http.get(document["url"], headers=supervisor.auth)
    assert response.status_code == 200 and response.content == content
    outsider = people.device("kessup")
    try:
        assert outsider.http.get(document["url"], headers=outsider.auth).status_code == 404
    finally:
        outsider.close()
    assert public(served.url, f"/ocds/documents/{digest}").status_code == 404  # not approved yet


def test_an_entry_of_a_form_version_the_server_lacks_neither_breaks_review_nor_publication(served, operator,
                                                                                          supervisor):
    body = stage_payload(new_ocid(), form={"id": "planning", "version": 7, "hash": "7" * 64})
    assert operator.push([body])[0]["status"] == "accepted"  # taken as the device checked it
    assert queue(supervisor)[body["entry"]]["flags"] == []
    approve(supervisor, body["entry"])
    assert public(served.url, f"/ocds/records/{body['ocid']}").status_code == 404
    releases = public(served.url, "/ocds/releases", limit=1000)
    assert releases.status_code == 200 and body["ocid"] not in releases.text
