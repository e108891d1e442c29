"""Login, tokens, the rate limit and roles over a real `odc-server` (SQLite and PostgreSQL)."""

from __future__ import annotations

import secrets

from sqlalchemy import create_engine, text

from odc_sync.server.db import sqlite_url
from tests.server.api import Api
from tests.server.harness import run


def _engine(served):
    options = served.options
    url = options[options.index("--db") + 1] if "--db" in options else sqlite_url(
        __import__("pathlib").Path(options[options.index("--data-dir") + 1]))
    return create_engine(url)


def test_login_gives_a_token_and_the_user(served):
    api = Api(served.url)
    response = api.login("operator", "operator")
    assert response.status_code == 200
    assert response.json()["user"] == {"username": "operator", "role": "operator", "opd": "1.03.0.00.0.00.09.0000"}
    me = api.http.get("/api/v1/me", headers=api.auth)
    assert me.status_code == 200 and me.json()["username"] == "operator"
    assert api.http.post("/api/v1/auth/logout", headers=api.auth).status_code == 204
    assert api.http.get("/api/v1/me", headers=api.auth).status_code == 401
    api.close()


def test_a_wrong_password_or_unknown_user_is_refused_in_both_languages(served):
    api = Api(served.url)
    for username, password in (("operator", "salah"), ("nobody", "operator")):
        response = api.login(username, password)
        assert response.status_code == 401
        error = response.json()["error"]
        assert error["code"] == "bad_credentials"
        assert error["message"] == "Nama pengguna atau kata sandi salah."
        assert error["message_en"] == "Wrong username or password."
    api.close()


def test_repeated_failures_lock_the_login_even_with_the_right_password(served):
    username = f"coba{secrets.token_hex(3)}"
    run(served.options, "create-user", "--username", username, "--password", "benar-sekali", "--role", "operator",
        "--opd", "1.03.0.00.0.00.09.0000")
    api = Api(served.url)
    assert [api.login(username, "keliru").status_code for _ in range(5)] == [401] * 5
    locked = api.login(username, "benar-sekali")
    assert locked.status_code == 429 and locked.json()["error"]["code"] == "too_many_attempts"
    assert int(locked.headers["Retry-After"]) > 0
    # The limit lives in the database: a second server process refuses as well.
    from tests.server.harness import ServedServer

    second = ServedServer(served.options)
    try:
        assert Api(second.url).login(username, "benar-sekali").status_code == 429
    finally:
        second.stop()
    # Other accounts are not affected.
    assert api.login("supervisor", "supervisor").status_code == 200
    api.close()


def test_expired_forged_and_missing_tokens_are_refused(served):
    api = Api(served.url)
    api.login("supervisor", "supervisor")
    assert api.http.get("/api/v1/me", headers=api.auth).status_code == 200
    with _engine(served).begin() as connection:
        connection.execute(text("UPDATE tokens SET expires_at = expires_at - 86400 * 30"))
    expired = api.http.get("/api/v1/me", headers=api.auth)
    assert expired.status_code == 401 and expired.json()["error"]["code"] == "token_invalid"
    forged = api.http.get("/api/v1/me", headers={"Authorization": "Bearer " + secrets.token_urlsafe(32)})
    assert forged.status_code == 401 and forged.json()["error"]["code"] == "token_invalid"
    missing = api.http.get("/api/v1/me")
    assert missing.status_code == 401 and missing.json()["error"]["code"] == "token_missing"
    for method, path in (("POST", "/api/v1/entries/push"), ("POST", "/api/v1/devices"), ("GET", "/api/v1/pull"),
                         ("POST", "/api/v1/uploads"), ("POST", "/api/v1/attachments/check"),
                         ("POST", "/api/v1/attachments/bundle"), ("PATCH", "/api/v1/uploads/x"), ("POST", "/api/v1/users"),
                         ("GET", "/api/v1/entries/x")):
        response = api.http.request(method, path, headers={"Authorization": "Bearer forged"}, json={})
        assert response.status_code == 401, (method, path, response.status_code)
    api.close()


def test_only_an_admin_creates_users(served):
    body = {"username": f"baru{secrets.token_hex(3)}", "password": "kata-sandi-baru", "role": "operator",
            "opd": "1.03.0.00.0.00.09.0000"}
    for username in ("operator", "supervisor"):
        api = Api(served.url)
        api.login(username, username)
        response = api.http.post("/api/v1/users", headers=api.auth, json=body)
        assert response.status_code == 403 and response.json()["error"]["code"] == "forbidden_role"
        api.close()
    admin = Api(served.url)
    admin.login("admin", "admin")
    assert admin.http.post("/api/v1/users", headers=admin.auth, json=body).status_code == 201
    assert admin.http.post("/api/v1/users", headers=admin.auth, json=body).status_code == 409
    assert Api(served.url).login(body["username"], body["password"]).status_code == 200
    admin.close()


def test_the_api_is_described_at_docs_and_bad_bodies_get_the_error_shape(served):
    import httpx

    assert httpx.get(served.url + "/docs").status_code == 200
    paths = httpx.get(served.url + "/openapi.json").json()["paths"]
    assert {"/api/v1/auth/login", "/api/v1/devices", "/api/v1/entries/push", "/api/v1/uploads",
            "/api/v1/uploads/{upload_id}", "/api/v1/attachments/check", "/api/v1/pull", "/api/v1/health"} <= set(paths)
    response = httpx.post(served.url + "/api/v1/auth/login", json={"username": "operator"})
    assert response.status_code == 400 and response.json()["error"]["code"] == "bad_request"
    assert "password" in response.json()["error"]["message"]
