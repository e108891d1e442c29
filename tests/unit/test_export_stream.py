"""The streamed export writes the same package as the in-memory one, batch by batch, and validates
each batch before writing it."""

from __future__ import annotations

import io
import json

import pytest

from odc_desktop.demo import data as demo
from odc_desktop.domain.ocds import export
from odc_desktop.domain.forms.definition import load_form_set
from odc_desktop.storage.sql import SqlRepository


@pytest.fixture(scope="module")
def filled(tmp_path_factory):
    repo = SqlRepository.open(tmp_path_factory.mktemp("export-stream"))
    demo.generate(repo, load_form_set(), 45, seed=4)
    yield repo
    repo.close()


def test_streamed_package_equals_the_whole_package(filled, monkeypatch):
    monkeypatch.setattr(export, "BATCH_PROCESSES", 7)  # several batches, one of them partial
    out = io.StringIO()
    summary = export.write_package(filled, out)
    streamed = json.loads(out.getvalue())
    whole = export.export_package(filled).package
    assert streamed.pop("publishedDate") and whole.pop("publishedDate")
    assert streamed == whole
    assert summary.releases == len(whole["releases"]) and summary.processes == 45


def test_each_batch_is_validated_before_it_is_written(filled):
    out = io.StringIO()
    export.write_package(filled, out)
    package = json.loads(out.getvalue())
    metadata = {k: v for k, v in package.items() if k != "releases"}
    assert export.check_releases(metadata, package["releases"][:5]) == []
    broken = json.loads(json.dumps(package["releases"][:5]))
    broken[0]["date"] = "kemarin"
    del broken[1]["id"]
    problems = export.check_releases(metadata, broken, lang="en")
    assert {p.path.split("/")[-1] for p in problems} >= {"date", "id"}
