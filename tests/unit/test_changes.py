"""The change channel (Qt-free) and what the store reports a piece of work changed (real SQLite)."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest

from odc_desktop.changes import ChangeChannel, Changes
from odc_desktop.domain.model import NewProcess
from odc_desktop.domain.statuses import EntryStatus, Stage
from odc_desktop.storage import change_log
from odc_desktop.storage.sql import SqlRepository

PREFIX = "ocds-a1b2c3"
PDF = b"%PDF-1.4 Dokumen Anggaran " * 40


def _new(title: str = "Rehabilitasi Jembatan Kauman", kode_rup: str | None = None) -> NewProcess:
    return NewProcess(title=title, opd_code="1.03", opd_name="Dinas PU", year=2025, kode_rup=kode_rup)


@pytest.fixture
def repo(data_dir: Path):
    repo = SqlRepository.open(data_dir)
    yield repo
    repo.close()


def _changes_of(repo, work) -> Changes:
    mark = repo.change_mark()
    work(repo)
    return repo.changes_since(mark)


def test_reading_or_a_setting_changes_nothing(repo):
    repo.create_process(_new(), PREFIX)
    assert _changes_of(repo, lambda r: (r.list_process_ids(), r.get_meta("device_id"))) == Changes()
    assert not _changes_of(repo, lambda r: r.set_meta("ui.last_field", "pagu"))


def test_a_new_process_is_named_as_created(repo):
    changes = _changes_of(repo, lambda r: r.create_process(_new(), PREFIX))
    [pid] = repo.list_process_ids()
    assert changes == Changes(frozenset({pid}), frozenset({pid}), frozenset())


def test_entry_saves_status_changes_and_documents_name_the_entry_and_its_process(repo):
    first = repo.create_process(_new("Jalan Desa Napis"), PREFIX)
    other = repo.create_process(_new("Puskesmas Ngraho"), PREFIX)
    started = {}
    changes = _changes_of(repo, lambda r: started.update(entry=r.create_entry(
        first.id, Stage.PLANNING, "planning", 1, "hash", {"pagu": 1})))
    entry = started["entry"]
    assert changes == Changes.of([first.id], [entry.id])
    assert _changes_of(repo, lambda r: r.save_entry_data(entry.id, {"pagu": 2})) == Changes.of([first.id], [entry.id])
    assert _changes_of(repo, lambda r: r.set_local_status(entry.id, EntryStatus.READY)) == Changes.of(
        [first.id], [entry.id])
    added = {}
    changes = _changes_of(repo, lambda r: added.update(att=r.add_attachment(entry.id, PDF, "DPA.pdf", "dpa")))
    assert changes == Changes.of([first.id], [entry.id])
    assert _changes_of(repo, lambda r: r.remove_attachment(added["att"].id)) == Changes.of([first.id], [entry.id])
    for status in (EntryStatus.READY, EntryStatus.QUEUED):  # a document sent the entry back to draft
        assert _changes_of(repo, lambda r: r.set_local_status(entry.id, status)) == Changes.of([first.id], [entry.id])
    assert not changes.touches_process(other.id)


def test_a_bulk_insert_says_many_instead_of_naming_every_process(repo):
    rows = [_new(f"Paket {i}", str(50_000_000 + i)) for i in range(change_log.MAX_NAMED_PROCESSES + 5)]
    changes = _changes_of(repo, lambda r: r.bulk_insert_processes(rows, PREFIX))
    assert changes.many_processes and changes.touches_process(12345)
    small = _changes_of(repo, lambda r: r.bulk_insert_processes([_new("Satu lagi", "59999999")], PREFIX))
    assert not small.many_processes and len(small.created_process_ids) == 1


def test_the_channel_tells_every_subscriber_until_it_unsubscribes():
    channel, seen, other = ChangeChannel(), [], []
    stop = channel.subscribe(seen.append)
    channel.subscribe(other.append)
    channel.publish(Changes())  # nothing changed: nobody is told
    change = Changes.of([3], [7])
    channel.publish(change)
    stop()
    channel.publish(Changes.of([4]))
    assert seen == [change] and other == [change, Changes.of([4])]


def test_a_broken_subscriber_does_not_hide_the_change_from_the_others(caplog):
    channel, seen = ChangeChannel(), []

    def broken(_changes):
        raise RuntimeError("view bug")

    channel.subscribe(broken)
    channel.subscribe(seen.append)
    channel.publish(Changes.of([1]))
    assert seen == [Changes.of([1])]
    assert any("subscriber failed" in r.message for r in caplog.records)


def test_publishing_from_several_threads_reaches_the_subscriber_each_time():
    channel, seen, lock = ChangeChannel(), [], threading.Lock()

    def record(changes):
        with lock:
            seen.append(changes)

    channel.subscribe(record)
    threads = [threading.Thread(target=channel.publish, args=(Changes.of([i]),)) for i in range(1, 9)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(next(iter(c.process_ids)) for c in seen) == list(range(1, 9))


def test_merged_changes_keep_both():
    merged = Changes.of([1], [10], created_process_ids=[2]).merged(Changes.of([3], [11]))
    assert merged == Changes.of([1, 3], [10, 11], [2])
