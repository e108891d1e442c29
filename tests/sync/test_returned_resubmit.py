"""A returned entry end to end with the real server on loopback: the supervisor returns it through the
review endpoint, the operator's sync pulls the signed decision, the process list pins it with the
notes, the operator fixes it, marks it ready and queues it, and the next sync sends revision 2 based
on revision 1, which the server accepts and puts back in the supervisor's queue."""

from __future__ import annotations

from odc_desktop.domain.model import ProcessFilter, ProcessOrder
from odc_desktop.domain.statuses import EntryStatus, Stage
from odc_desktop.storage.sql import SqlRepository
from odc_desktop.ui.returned_entries import list_job, notes_job, notes_to_show
from odc_desktop.workflow import mark_ready, queue, save_draft
from odc_sync.client import SyncEngine, login
from tests.server.api import Api
from tests.server.review_api import decide
from tests.server.review_api import queue as review_queue
from tests.sync.conftest import add_entries

NOTES = [{"field": None, "text": "Alasan kebutuhan belum jelas."},
         {"field": "alasan_kebutuhan", "text": "Sebutkan usulan Musrenbang yang mana."}]


def test_a_returned_entry_is_pinned_fixed_and_sent_again_as_the_next_revision(server, forms, tmp_path):
    data_dir = tmp_path / "pc"
    data_dir.mkdir()
    returned, other = add_entries(data_dir, forms, 2, start=860, status="queued")
    supervisor = Api(server.url)
    repo = SqlRepository.open(data_dir)
    try:
        assert supervisor.login("supervisor", "supervisor").status_code == 200
        login(repo, data_dir, server.url, "operator", "operator")
        sync = SyncEngine(repo, data_dir, sleep=lambda s: None)
        assert sync.run().accepted == 2
        answer = decide(supervisor, returned, 1, "return", NOTES)
        assert answer.status_code == 200, answer.text
        assert sync.run().decisions == 1

        entry = repo.entry_by_uid(returned)
        assert entry.status == EntryStatus.RETURNED and entry.revision == 1
        listed = list_job(ProcessFilter(), ProcessOrder())(repo)
        assert listed.returned == 1 and listed.ids[0] == entry.process_id  # pinned first
        assert repo.entry_by_uid(other).process_id in listed.ids[1:]
        ((stage, notes),) = notes_job(listed.ids[:1])(repo)[entry.process_id]
        assert stage == Stage.PLANNING
        assert [(n.field_id, n.text) for n in notes] == [(None, NOTES[0]["text"]), ("alasan_kebutuhan",
                                                                                     NOTES[1]["text"])]

        fixed = dict(entry.data, alasan_kebutuhan="Usulan Musrenbang Kecamatan Dander 2023 nomor 12.")
        draft = save_draft(repo, forms, entry.process_id, Stage.PLANNING, fixed, entry.id).entry
        assert draft.status == EntryStatus.DRAFT
        assert len(notes_to_show(repo, draft.id, draft.status)) == 2  # still shown while it is being fixed
        queue(repo, mark_ready(repo, forms, draft.id).entry.id)
        assert notes_to_show(repo, draft.id, EntryStatus.QUEUED) == []

        summary = sync.run()
        assert summary.accepted == 1 and summary.error is None
        sent = repo.entry_by_uid(returned)
        assert sent.status == EntryStatus.SUBMITTED and sent.revision == 2
        assert list_job(ProcessFilter(), ProcessOrder())(repo).returned == 0  # no longer pinned
        waiting = review_queue(supervisor)
        item = next(i for i in waiting.values() if i["entry"] == returned)
        assert item["revision"] == 2 and item["payload"]["data"]["alasan_kebutuhan"].startswith("Usulan Musrenbang")
    finally:
        repo.close()
        supervisor.close()
