"""The server's form set: loaded once per process, even when the first pushes of a fresh server arrive
together on many worker threads (each of them loading and checking the whole set was most of the CPU a
freshly started server spent on its first pushes: docs/benchmarks.md, "Server CPU")."""

from __future__ import annotations

import threading

from odc_desktop.domain.forms import definition, entry_schema
from odc_sync.server import entry_forms


def test_threads_asking_for_the_forms_at_once_share_one_load(monkeypatch):
    # a freshly started server process: nothing loaded yet (the process's caches come back afterwards,
    # so later tests still see the very form objects they captured)
    monkeypatch.setattr(definition, "_DEFAULT_SETS", {})
    monkeypatch.setattr(entry_forms, "_loaded", [])
    start = threading.Barrier(8)
    got: list[object] = []

    def ask() -> None:
        start.wait()
        got.append(entry_forms.server_forms())

    threads = [threading.Thread(target=ask) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(got) == 8 and all(forms is got[0] for forms in got)
    assert entry_forms.server_forms() is got[0]


def test_warm_up_builds_every_forms_check_before_the_first_push(monkeypatch):
    forms = entry_forms.server_forms()
    monkeypatch.setattr(entry_schema, "_QUICK", {})
    entry_forms.warm_up()
    built = {(key[0], key[1]) for key in entry_schema._QUICK if key[-1] is True}  # (form id, version), required
    assert built == {(form.id, form.version) for form in forms.forms.values()}
