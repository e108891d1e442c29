"""The supervisor's review queue in a sync run, against a real `odc-server` (SQLite and PostgreSQL):
the stored queue's ETag goes back as If-None-Match, so an unchanged queue is one bodiless 304 and
the stored queue stays; a new submission brings the new queue (200); the supervisor's own entries
never come (four eyes)."""

from __future__ import annotations

import requests

from odc_sync.client import SyncEngine, login
from odc_sync.client.http import Http
from odc_sync.client.review import ETAG_KEY, pull_queue
from tests.sync.conftest import add_entries
from tests.sync.test_engine import store


def signed_in(tmp_path, server, who: str):
    data_dir = tmp_path / who
    data_dir.mkdir()
    with store(data_dir) as repo:
        login(repo, data_dir, server.url, who, who)
    return data_dir


def push(data_dir) -> None:
    with store(data_dir) as repo:
        summary = SyncEngine(repo, data_dir, sleep=lambda s: None).run()
    assert summary.error is None and summary.pending == 0, summary


def pulled(repo) -> tuple[list[int], int | None]:
    """(the statuses of the review queue's GET, the queue's size) of one ``pull_queue``."""
    statuses: list[int] = []
    session = requests.Session()
    session.hooks["response"].append(lambda response, *a, **k: statuses.append(response.status_code))
    http = Http(repo.get_sync_state("server_url"), repo.get_sync_state("token"), session=session, retries=0)
    try:
        return statuses, pull_queue(repo, http)
    finally:
        http.close()


def test_an_idle_reviewers_check_is_one_304_and_a_new_submission_comes_down(server, forms, tmp_path):
    operator, supervisor = signed_in(tmp_path, server, "operator"), signed_in(tmp_path, server, "supervisor")
    (first,) = add_entries(operator, forms, 1, start=3000, status="queued")
    push(operator)
    with store(supervisor) as repo:
        statuses, size = pulled(repo)
        assert statuses == [200] and first in {item.entry_uid for item in repo.list_review_items()}
        assert repo.get_sync_state(ETAG_KEY).startswith("supervisor \"")
        statuses, again = pulled(repo)
        assert statuses == [304] and again == size  # nothing changed: the stored queue stays
        assert first in {item.entry_uid for item in repo.list_review_items()}

    (own,) = add_entries(supervisor, forms, 1, start=3001, status="queued")
    push(supervisor)  # the engine's run pulls the queue too
    with store(supervisor) as repo:
        assert own not in {item.entry_uid for item in repo.list_review_items()}  # four eyes: never theirs
        statuses, _ = pulled(repo)
        assert statuses == [304]  # their own submission did not change their queue

    (second,) = add_entries(operator, forms, 1, start=3002, status="queued")
    push(operator)
    with store(supervisor) as repo:
        statuses, _ = pulled(repo)
        assert statuses == [200]
        assert {first, second} <= {item.entry_uid for item in repo.list_review_items()}
        # another account signing in on this PC does not send the supervisor's ETag
        repo.set_sync_state("username", "admin")
        statuses, _ = pulled(repo)
        assert statuses == [200]
