"""The review queue on the wire (real `odc-server`, SQLite and PostgreSQL): the requester's own entries
are left out (four eyes: they can never decide them), and the queue has an ETag, so an unchanged
queue is a bodiless 304."""

from __future__ import annotations

import pytest

from tests.server.api import API
from tests.server.review_api import new_ocid, queue, stage_payload


@pytest.fixture
def supervisor(served):
    api = served.device("supervisor")
    yield api
    api.close()


def test_the_queue_leaves_out_the_requesters_own_entries(served, operator, supervisor):
    own = stage_payload(new_ocid())
    assert supervisor.push([own])[0]["status"] == "accepted"
    theirs = stage_payload(new_ocid())
    assert operator.push([theirs])[0]["status"] == "accepted"
    seen = queue(supervisor)
    assert theirs["entry"] in seen and own["entry"] not in seen
    # a later revision by the operator of an entry the supervisor pushed first stays out too (four eyes)
    again = stage_payload(own["ocid"], entry=own["entry"], revision=2, base_revision=1,
                          data={**own["data"], "pagu": 1_300_000_000})
    assert operator.push([again])[0]["status"] == "accepted"
    assert own["entry"] not in queue(supervisor)
    admin = served.device("admin")
    try:
        everything = queue(admin)  # the admin pushed none of them: both are there
        assert theirs["entry"] in everything and own["entry"] in everything
        mine = stage_payload(new_ocid())
        assert admin.push([mine])[0]["status"] == "accepted"
        assert mine["entry"] not in queue(admin) and mine["entry"] in queue(supervisor)
    finally:
        admin.close()


def _get(api, etag: str | None = None):  # noqa: ANN001, ANN202
    headers = {**api.auth, **({"If-None-Match": etag} if etag else {})}
    return api.http.get(f"{API}/review/queue", headers=headers)


def test_an_unchanged_queue_is_a_304_and_a_new_submission_a_200(served, operator, supervisor):
    first = _get(supervisor)
    assert first.status_code == 200 and first.headers["ETag"]
    etag = first.headers["ETag"]
    unchanged = _get(supervisor, etag)
    assert unchanged.status_code == 304 and unchanged.content == b"" and unchanged.headers["ETag"] == etag
    assert _get(supervisor, '"something else"').status_code == 200
    # the supervisor's own submission does not change their queue; the operator's does
    assert supervisor.push([stage_payload(new_ocid())])[0]["status"] == "accepted"
    assert _get(supervisor, etag).status_code == 304
    new = stage_payload(new_ocid())
    assert operator.push([new])[0]["status"] == "accepted"
    changed = _get(supervisor, etag)
    assert changed.status_code == 200 and changed.headers["ETag"] != etag
    assert new["entry"] in {item["id"] for item in changed.json()["items"]}
    assert _get(supervisor, changed.headers["ETag"]).status_code == 304
