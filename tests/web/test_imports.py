"""Editors import files through the web: all or nothing, problems listed, audited, size-limited."""

import pytest
from fastapi.testclient import TestClient

from fusionatlas.dataset.exports import snapshot
from fusionatlas.dataset.package import load_package
from fusionatlas.store import accounts
from fusionatlas.web.app import create_app

PASSWORD = "correct horse battery staple"

ROWS = "id,name_en,name_ja,kind,country,unconfirmed\norg:new-co,New Co,ニュー株式会社,company,JP,true\n"


@pytest.fixture
def app(sqlite_engine, package):
    app = create_app(str(sqlite_engine.url))
    load_package(app.state.engine, package)
    with app.state.engine.begin() as connection:
        accounts.create_user(connection, "editor@example.org", PASSWORD, "editor")
        accounts.create_user(connection, "member@example.org", PASSWORD, "member")
    yield app
    app.state.engine.dispose()


@pytest.fixture
def client(app):
    with TestClient(app) as client:
        yield client


def login(client, email):
    client.get("/login")
    data = {"csrf": client.cookies.get("csrftoken"), "email": email, "password": PASSWORD}
    assert client.post("/login", data=data, follow_redirects=False).status_code == 303


def upload(client, content: bytes, name="orgs.csv", table="organizations", token=None):
    client.get("/admin/import")
    token = token if token is not None else client.cookies.get("csrftoken")
    return client.post("/admin/import", data={"csrf": token, "table": table}, files={"file": (name, content)})


def test_an_editor_imports_a_cp932_csv_and_it_is_audited(app, client):
    login(client, "editor@example.org")
    response = upload(client, ROWS.encode("cp932"))
    assert response.status_code == 200 and 'id="import-done"' in response.text
    assert "org:new-co" in {o["id"] for o in snapshot(app.state.engine)["organizations"]}
    with app.state.engine.connect() as connection:
        entries, _ = accounts.audit_entries(connection, "organizations", None, 0, 10)
    assert entries[0].action == "import" and entries[0].after["records"] == 1


def test_a_bad_file_imports_nothing_and_lists_its_problems(app, client):
    login(client, "editor@example.org")
    before = snapshot(app.state.engine)
    bad = ROWS + "org:bad,Bad,,company,UK,true\n"
    response = upload(client, bad.encode("utf-8"))
    assert response.status_code == 422
    assert "orgs.csv:3: country: &#39;UK&#39;" in response.text or "orgs.csv:3: country: 'UK'" in response.text
    assert snapshot(app.state.engine) == before


def test_oversized_and_wrong_files_are_refused(client, monkeypatch):
    login(client, "editor@example.org")
    monkeypatch.setenv("FUSIONATLAS_MAX_UPLOAD_MB", "0.001")
    assert upload(client, b"x" * 5000).status_code == 413
    monkeypatch.setenv("FUSIONATLAS_MAX_UPLOAD_MB", "50")
    assert upload(client, b"{}", name="orgs.pdf").status_code == 422
    assert upload(client, ROWS.encode(), table="companies").status_code == 422


@pytest.mark.parametrize("email", [None, "member@example.org"])
def test_only_editors_may_import(client, email):
    if email:
        login(client, email)
        assert client.get("/admin/import").status_code == 403
    else:
        response = client.get("/admin/import", follow_redirects=False)
        assert response.status_code == 303 and response.headers["location"].startswith("/login")


def test_the_form_needs_its_csrf_token(client):
    login(client, "editor@example.org")
    assert upload(client, ROWS.encode(), token="forged").status_code == 403
