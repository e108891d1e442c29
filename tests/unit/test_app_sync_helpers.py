"""The app's Qt-free sync helpers on a real store: the offline sign-in against the cached argon2 hash
(its refusals in Indonesian and English), and the server's refusal reasons as the process view says
them. The online paths run against a real server in tests/gui/test_app_sync.py."""

from __future__ import annotations

import json

import pytest

from odc_desktop.offline_login import OFFLINE_KEY, LoginRefused, cached_username, check_offline, remember
from odc_desktop.storage.sql import SqlRepository
from odc_desktop.sync_status import PendingWork, Reason, parse_reasons, pending_work


@pytest.fixture
def repo(data_dir):
    store = SqlRepository.open(data_dir)
    yield store
    store.close()


def test_the_cached_hash_signs_in_offline_and_refuses_a_wrong_password_or_another_user(repo):
    with pytest.raises(LoginRefused) as never:
        check_offline(repo, "operator", "operator", why="koneksi ditolak")
    assert "belum pernah masuk" in never.value.message("id") and "koneksi ditolak" in never.value.message("id")
    assert "never signed in" in never.value.message("en")

    remember(repo, "operator", "rahasia-123", role="operator", opd="1.03")
    stored = json.loads(repo.get_sync_state(OFFLINE_KEY))
    assert stored["hash"].startswith("$argon2") and "rahasia-123" not in repo.get_sync_state(OFFLINE_KEY)
    assert cached_username(repo) == "operator"

    who = check_offline(repo, " Operator ", "rahasia-123")
    assert (who.username, who.online, who.role, who.opd) == ("operator", False, "operator", "1.03")
    with pytest.raises(LoginRefused) as wrong:
        check_offline(repo, "operator", "rahasia-124")
    assert wrong.value.code == "app_sync.offline_wrong_password" and "Kata sandi salah" in str(wrong.value)
    with pytest.raises(LoginRefused) as other:
        check_offline(repo, "supervisor", "rahasia-123")
    assert "(operator)" in other.value.message("en")


def test_refusal_reasons_are_said_per_field_in_the_readers_language():
    raw = json.dumps([{"field": "opd", "code": "forbidden_opd", "message": "Data ini milik OPD lain.",
                       "message_en": "This data belongs to another OPD."}, {"field": "", "message": "Tanda tangan"}])
    assert parse_reasons(raw, "id") == (Reason("opd", "Data ini milik OPD lain."), Reason(None, "Tanda tangan"))
    assert parse_reasons(raw, "en")[0] == Reason("opd", "This data belongs to another OPD.")
    assert parse_reasons("[]", "en") == (Reason(None, "The server gave no reason."),)
    assert parse_reasons("bukan JSON") == (Reason(None, "bukan JSON"),)
    assert parse_reasons(None) == ()


def test_an_empty_store_has_nothing_pending(repo):
    assert pending_work(repo) == PendingWork(0, 0)
