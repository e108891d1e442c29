"""`odc-server` commands as subprocesses: init (create, upgrade, demo), create-user, stats, the audit
chain, and the Alembic revisions matching the models (SQLite and PostgreSQL)."""

from __future__ import annotations

import json

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import create_engine, text

from odc_sync.server.db import sqlite_url
from odc_sync.server.models import Base
from tests.server.api import Api, payload
from tests.server.harness import ServedServer, database, run, stats


@pytest.fixture(params=["sqlite", "postgresql"])
def options(request, tmp_path):
    with database(request.param, tmp_path / "data") as found:
        yield found


def _url(options: list[str]) -> str:
    from pathlib import Path

    return options[options.index("--db") + 1] if "--db" in options else sqlite_url(Path(options[1]))


def _push_through_a_server(options: list[str], payloads: list[dict]) -> list[dict]:
    """Serve, push ``payloads`` as the demo operator from a new device, stop; the results."""
    server = ServedServer(options)
    try:
        api = Api(server.url)
        api.login("operator", "operator")
        api.register()
        results = api.push(payloads)
        api.close()
    finally:
        server.stop()
    return results


def test_init_demo_creates_the_schema_opd_master_and_demo_accounts_then_upgrades_in_place(options):
    first = run(options, "init", "--demo")
    assert "operator / operator / operator" in first.stdout
    assert "supervisor / supervisor / supervisor" in first.stdout and "admin / admin / admin" in first.stdout
    assert "36 OPD" in first.stdout
    again = run(options, "--lang", "en", "init", "--demo")
    assert "0 agencies (OPD) loaded or updated." in again.stdout and "already exists" in again.stdout
    numbers = stats(options)
    assert numbers["users"] == 3
    assert {k: numbers[k] for k in ("entries_total", "distinct_entries", "attachments", "attachment_bytes")} == {
        "entries_total": 0, "distinct_entries": 0, "attachments": 0, "attachment_bytes": 0}
    assert numbers["entries_by_status"] == {}


def test_the_alembic_revisions_create_exactly_the_models(options):
    run(options, "init")
    engine = create_engine(_url(options))
    with engine.connect() as connection:
        differences = compare_metadata(MigrationContext.configure(connection), Base.metadata)
    engine.dispose()
    assert differences == []


def test_create_user_checks_its_input_in_the_users_language(options):
    run(options, "init")
    made = run(options, "create-user", "--username", "budi", "--password", "rahasia-budi", "--role", "supervisor",
               "--opd", "1.02.0.00.0.00.05.0000")
    assert "Pengguna budi (supervisor) dibuat." in made.stdout
    taken = run(options, "create-user", "--username", "budi", "--password", "x", "--role", "operator",
                "--opd", "1.02.0.00.0.00.05.0000", check=False)
    assert taken.returncode == 1 and "Pengguna budi sudah ada." in taken.stderr
    unknown = run(options, "--lang", "en", "create-user", "--username", "ani", "--password", "x", "--role", "operator",
                  "--opd", "9.99", check=False)
    assert unknown.returncode == 1 and "Unknown agency (OPD) 9.99." in unknown.stderr


def test_commands_other_than_init_refuse_an_uninitialised_database(options):
    result = run(options, "stats", "--json", check=False)
    assert result.returncode == 2 and "odc-server init" in result.stderr


def test_the_audit_chain_holds_and_a_changed_record_breaks_it(options):
    run(options, "init", "--demo")
    results = _push_through_a_server(options, [payload(), payload()])
    assert [r["status"] for r in results] == ["accepted"] * 2
    assert run(options, "verify-audit").returncode == 0
    engine = create_engine(_url(options))
    with engine.begin() as connection:
        actions = [row[0] for row in connection.execute(text("SELECT action FROM audit ORDER BY seq"))]
        assert actions.count("user_created") == 3 and actions.count("entry_accepted") == 2
        assert "device_registered" in actions
        connection.execute(text("UPDATE audit SET details = '{}' WHERE seq = 4"))
    engine.dispose()
    broken = run(options, "--lang", "en", "verify-audit", check=False)
    assert broken.returncode == 1 and "BROKEN at record 4" in broken.stdout


def test_stats_json_counts_entries_by_status(options):
    run(options, "init", "--demo")
    first = payload()
    _push_through_a_server(options, [first, payload(), payload(first["entry"], revision=2, base_revision=1)])
    numbers = json.loads(run(options, "stats", "--json").stdout)
    assert numbers["entries_total"] == 3 and numbers["distinct_entries"] == 2
    assert numbers["entries_by_status"] == {"submitted": 3}
