"""Accounts: login and logout, rate limit, CSRF, roles and visibility, tokens, submissions, review, audit."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from fusionatlas.dataset.package import load_package
from fusionatlas.store import accounts
from fusionatlas.web.app import create_app
from fusionatlas.web.i18n import catalog
from tests import fixtures
from tests.fixtures import write_package

PASSWORD = "correct horse battery"
PRIVATE_CAP = (
    "cap:fujikura.hcd.gyrotron-private,org:fujikura,tech:hcd.gyrotron,"
    "Private gyrotron window line,非公開ジャイロトロン窓,,,5,,,,private,,true\n"
)


def _package(tmp_path: Path) -> Path:
    return write_package(tmp_path / "package", capabilities_csv=fixtures.CAPABILITIES + PRIVATE_CAP)


@pytest.fixture
def app(db_url, tmp_path):
    app = create_app(db_url)
    load_package(app.state.engine, _package(tmp_path))
    with app.state.engine.begin() as connection:
        accounts.create_user(connection, "admin@example.org", PASSWORD, "admin")
        accounts.create_user(connection, "editor@example.org", PASSWORD, "editor")
        accounts.create_user(connection, "member@example.org", PASSWORD, "member")
        accounts.create_user(connection, "fujikura@example.org", PASSWORD, "member", "org:fujikura")
    yield app
    app.state.engine.dispose()


@pytest.fixture
def client(app):
    with TestClient(app) as client:
        yield client


def csrf(client, path="/login"):
    client.get(path)
    return client.cookies.get("csrftoken")


def login(client, email, password=PASSWORD, **extra):
    token = csrf(client)
    return client.post(
        "/login", data={"csrf": token, "email": email, "password": password, **extra}, follow_redirects=False
    )


def logged_in(app, email):
    client = TestClient(app)
    assert login(client, email).status_code == 303
    return client


def search_ids(client, query, **headers):
    response = client.get("/api/search", params={"q": query}, headers=headers)
    assert response.status_code == 200, response.text
    return {hit["id"] for hit in response.json()["results"]}


def match_orgs(client, query):
    return {r["org_id"] for r in client.get("/api/match", params={"q": query, "top": 50}).json()["results"]}


def test_login_logout_and_the_secure_cookie(client):
    response = login(client, "Member@Example.org ", next="/account")
    assert response.status_code == 303 and response.headers["location"] == "/account"
    cookie = response.headers["set-cookie"]
    assert "fa_session=" in cookie and "HttpOnly" in cookie and "SameSite=lax" in cookie.replace("Lax", "lax")
    page = client.get("/account", params={"lang": "en"})
    assert "member@example.org" in page.text and 'id="logout"' in page.text
    token = client.cookies.get("csrftoken")
    out = client.post("/logout", data={"csrf": token}, follow_redirects=False)
    assert out.status_code == 303
    assert client.get("/account", follow_redirects=False).status_code == 303


def test_secure_flag_is_configurable(client, monkeypatch):
    monkeypatch.setenv("FUSIONATLAS_SECURE_COOKIES", "true")
    assert "Secure" in login(client, "member@example.org").headers["set-cookie"]


def test_a_logged_out_session_cookie_is_dead(app):
    client = logged_in(app, "member@example.org")
    stolen = client.cookies.get("fa_session")
    client.post("/logout", data={"csrf": client.cookies.get("csrftoken")})
    thief = TestClient(app)
    thief.cookies.set("fa_session", stolen)
    assert thief.get("/account", follow_redirects=False).status_code == 303


def test_wrong_password_and_unknown_email_give_the_same_answer(client):
    wrong = login(client, "member@example.org", "not the password", lang="en")
    unknown = login(client, "nobody@example.org", "not the password")
    assert wrong.status_code == unknown.status_code == 200
    assert "Wrong email or password." in wrong.text and "Wrong email or password." in unknown.text
    assert "not the password" not in wrong.text
    assert "fa_session" not in wrong.headers.get("set-cookie", "")


def test_an_open_redirect_is_refused(client):
    assert login(client, "member@example.org", next="//evil.example/").headers["location"] == "/account"
    assert login(client, "member@example.org", next="https://evil.example/").headers["location"] == "/account"
    assert login(client, "member@example.org", next="/\t/evil.example/").headers["location"] == "/account"
    assert login(client, "member@example.org", next="/gaps?country=FR").headers["location"] == "/gaps?country=FR"


def test_login_rate_limit_answers_429_in_the_users_language(client):
    for _ in range(5):
        assert login(client, "member@example.org", "wrong password!").status_code == 200
    client.get("/login", params={"lang": "ja"})
    blocked = login(client, "member@example.org", PASSWORD)
    assert blocked.status_code == 429
    assert "15分待って" in blocked.text
    # Another email from the same address is not blocked.
    assert login(client, "editor@example.org").status_code == 303


def test_forms_refuse_a_missing_or_forged_csrf_token(client):
    forged = client.post("/login", data={"csrf": "forged", "email": "member@example.org", "password": PASSWORD})
    assert forged.status_code == 403
    assert login(client, "admin@example.org").status_code == 303
    form = {"csrf": "forged", "email": "x@example.org", "role": "member", "password": PASSWORD}
    assert client.post("/admin/users", data=form).status_code == 403
    assert client.post("/account/tokens", data={"csrf": "forged"}).status_code == 403
    assert client.post("/logout", data={"csrf": "forged"}).status_code == 403


def test_roles_see_what_they_may_through_the_api(app):
    anonymous = TestClient(app)
    member = logged_in(app, "member@example.org")
    org_user = logged_in(app, "fujikura@example.org")
    editor = logged_in(app, "editor@example.org")
    assert "org:members-only-co" not in search_ids(anonymous, "members only")
    assert "org:members-only-co" in search_ids(member, "members only")
    private = "cap:fujikura.hcd.gyrotron-private"
    assert private not in search_ids(anonymous, "window line")
    assert private not in search_ids(member, "window line")
    assert private in search_ids(org_user, "window line")
    assert private in search_ids(editor, "window line")
    assert "org:members-only-co" not in match_orgs(anonymous, "gyrotron parts")
    assert "org:members-only-co" in match_orgs(member, "gyrotron parts")
    # Fujikura's only gyrotron capability is private: its own users and editors match it, nobody else.
    assert "org:fujikura" not in match_orgs(anonymous, "gyrotron window")
    assert "org:fujikura" not in match_orgs(member, "gyrotron window")
    assert "org:fujikura" in match_orgs(org_user, "gyrotron window")
    assert "org:fujikura" in match_orgs(editor, "gyrotron window")


def test_gaps_pages_count_what_each_role_may_see(app):
    def suppliers(client):
        page = client.get("/gaps/technology/tech:hcd.gyrotron", params={"lang": "en", "country": "JP"})
        assert page.status_code == 200
        return {name for name in ("Members Only Co", "Fujikura") if name in page.text}

    assert suppliers(TestClient(app)) == set()
    assert suppliers(logged_in(app, "member@example.org")) == {"Members Only Co"}
    assert suppliers(logged_in(app, "fujikura@example.org")) == {"Members Only Co", "Fujikura"}
    assert suppliers(logged_in(app, "editor@example.org")) == {"Members Only Co", "Fujikura"}


def test_api_tokens_work_and_die_when_revoked(app):
    client = logged_in(app, "member@example.org")
    page = client.post("/account/tokens", data={"csrf": client.cookies.get("csrftoken"), "name": "script"})
    token = re.search(r"<code>(fa_[^<]+)</code>", page.text).group(1)
    api = TestClient(app)
    bearer = {"Authorization": f"Bearer {token}"}
    assert api.get("/api/me", headers=bearer).json()["email"] == "member@example.org"
    assert "org:members-only-co" in search_ids(api, "members only", **bearer)
    with app.state.engine.connect() as connection:
        stored = connection.execute(select(accounts.api_tokens.c.token_hash)).scalars().all()
    assert token not in stored, "only a digest of the token is stored"
    token_id = re.search(r"/account/tokens/(\d+)/revoke", page.text).group(1)
    client.post(f"/account/tokens/{token_id}/revoke", data={"csrf": client.cookies.get("csrftoken")})
    assert api.get("/api/me", headers=bearer).status_code == 401
    assert api.get("/api/search", params={"q": "members only"}, headers=bearer).status_code == 401
    assert api.get("/api/me", headers={"Authorization": "Bearer fa_made-up"}).status_code == 401
    assert api.get("/api/me").status_code == 401


def test_pages_need_the_right_role(app):
    anonymous = TestClient(app)
    assert anonymous.get("/admin/users", follow_redirects=False).headers["location"].startswith("/login")
    member = logged_in(app, "member@example.org")
    assert member.get("/admin/users").status_code == 403
    assert member.get("/review").status_code == 403
    assert member.get("/edit/organizations/org:fujikura").status_code == 403
    assert member.get("/api/admin/audit").status_code == 403
    editor = logged_in(app, "editor@example.org")
    assert editor.get("/review").status_code == 200
    assert editor.get("/admin/audit").status_code == 403
    assert editor.get("/edit/organizations/org:nobody").status_code == 404


def test_submission_review_and_audit(app):
    member = logged_in(app, "fujikura@example.org")
    token = member.cookies.get("csrftoken")
    need = {
        "csrf": token,
        "title_en": "HTS current leads",
        "title_ja": "高温超伝導電流リード",
        "technology_ids": "tech:magnet.hts",
        "min_trl": "5",
        "visibility": "members",
    }
    sent = member.post("/submit/need", data=need)
    assert sent.status_code == 200 and 'id="submitted"' in sent.text
    bad = member.post("/submit/need", data={**need, "technology_ids": "tech:nowhere"})
    assert bad.status_code == 422 and "unknown technologies id" in bad.text
    too_long = member.post("/submit/need", data={**need, "title_en": "x" * 301})
    assert too_long.status_code == 422 and "title_en" in too_long.text
    cap = {"csrf": token, "technology_id": "tech:magnet", "description_en": "Magnet winding", "visibility": "private"}
    assert member.post("/submit/capability", data=cap).status_code == 200
    assert "HTS current leads" not in TestClient(app).get("/api/search", params={"q": "current leads"}).text

    editor = logged_in(app, "editor@example.org")
    review = editor.get("/review", params={"lang": "en"})
    assert "HTS current leads" in review.text
    ids = re.findall(r'action="/review/(\d+)"', review.text)
    assert len(ids) == 2
    approve = editor.post(f"/review/{ids[0]}", data={"csrf": editor.cookies.get("csrftoken"), "decision": "approve"})
    assert approve.status_code == 200  # back on /review
    reject = {"csrf": editor.cookies.get("csrftoken"), "decision": "reject", "note": "no evidence"}
    editor.post(f"/review/{ids[1]}", data=reject)
    again = editor.post(f"/review/{ids[0]}", data={"csrf": editor.cookies.get("csrftoken"), "decision": "approve"})
    assert again.status_code == 422

    assert any(i.startswith("need:hts-current-leads-") for i in search_ids(member, "current leads"))
    assert search_ids(TestClient(app), "current leads") == set(), "members-only need stays hidden"
    with app.state.engine.connect() as connection:
        entries, _ = accounts.audit_entries(connection, table_name="needs")
        submissions, _ = accounts.list_submissions(connection, status=None)
    assert entries[0].action == "create" and entries[0].before is None
    assert entries[0].after["title_ja"] == "高温超伝導電流リード" and entries[0].after["buyer_org_id"] == "org:fujikura"
    assert [s.status for s in submissions] == ["approved", "rejected"]


def test_editor_edits_an_organization_with_an_audit_row(app):
    editor = logged_in(app, "editor@example.org")
    page = editor.get("/edit/organizations/org:fujikura")
    assert page.status_code == 200 and "Fujikura" in page.text
    form = {
        "csrf": editor.cookies.get("csrftoken"),
        "name_en": "Fujikura Ltd.",
        "name_ja": "フジクラ",
        "kind": "company",
        "country": "JP",
        "city": "Tokyo",
        "visibility": "public",
    }
    saved = editor.post("/edit/organizations/org:fujikura", data=form)
    assert saved.status_code == 200 and 'id="saved"' in saved.text
    bad = editor.post("/edit/organizations/org:fujikura", data={**form, "country": "UK"})
    assert bad.status_code == 422 and "use GB" in bad.text
    admin = logged_in(app, "admin@example.org")
    audit = admin.get("/api/admin/audit", params={"table": "organizations", "size": 1}).json()
    assert audit["total"] == 1 and audit["size"] == 1
    entry = audit["results"][0]
    assert entry["before"]["name_en"] == "Fujikura" and entry["after"]["name_en"] == "Fujikura Ltd."
    assert entry["email"] == "editor@example.org"
    listing = admin.get("/admin/audit", params={"table": "organizations", "lang": "en"})
    assert "Fujikura Ltd." in listing.text
    assert admin.get("/admin/audit", params={"page": "0"}).status_code == 422
    assert admin.get("/admin/audit", params={"size": "lots"}).status_code == 422


def test_an_edit_shows_at_once_on_pages_already_cached(app):
    visitor = TestClient(app)
    pages = ["/organizations", "/organizations/org:fujikura", "/technologies/tech:magnet"]
    for path in pages:  # computed and cached
        assert "Fujikura Cables" not in visitor.get(path, params={"lang": "en"}).text
    editor = logged_in(app, "editor@example.org")
    form = {
        "csrf": editor.cookies.get("csrftoken"),
        "name_en": "Fujikura Cables",
        "name_ja": "フジクラ",
        "kind": "company",
        "country": "JP",
        "visibility": "public",
    }
    assert editor.post("/edit/organizations/org:fujikura", data=form).status_code == 200
    for path in pages:
        assert "Fujikura Cables" in visitor.get(path, params={"lang": "en"}).text, path


def test_admin_manages_users(app):
    admin = logged_in(app, "admin@example.org")
    token = admin.cookies.get("csrftoken")
    form = {"csrf": token, "email": "new@example.org", "role": "member", "org_id": "org:qst", "password": PASSWORD}
    assert admin.post("/admin/users", data=form, follow_redirects=False).status_code == 303
    duplicate = admin.post("/admin/users", data=form)
    assert duplicate.status_code == 422 and "exists already" in duplicate.text
    short = admin.post("/admin/users", data={**form, "email": "b@example.org", "password": "short"})
    assert short.status_code == 422
    with app.state.engine.connect() as connection:
        new = next(u for u in accounts.list_users(connection) if u.email == "new@example.org")
    assert new.org_id == "org:qst"
    change = {"csrf": token, "role": "editor", "org_id": ""}  # no "active": the box is unticked
    assert admin.post(f"/admin/users/{new.id}", data=change, follow_redirects=False).status_code == 303
    assert "fa_session" not in login(TestClient(app), "new@example.org").cookies, "a deactivated user cannot log in"
    page = admin.get("/admin/audit", params={"user": 1, "lang": "en"})
    assert "new@example.org" in page.text
    myself = admin.post("/admin/users/1", data={"csrf": token, "role": "member", "active": "true"})
    assert myself.status_code == 422


def test_passwords_are_hashed_with_argon2(app):
    with app.state.engine.connect() as connection:
        hashes = connection.execute(select(accounts.users.c.password_hash)).scalars().all()
    assert all(h.startswith("$argon2") and PASSWORD not in h for h in hashes)


def test_python_messages_have_japanese():
    source = (Path(__file__).resolve().parents[2] / "src/fusionatlas/web/pages/accounts.py").read_text()
    messages = set(re.findall(r'_t\(request, "([^"]+)"\)', source))
    japanese = {m.id for m in catalog("ja") if m.id}
    assert messages and not (messages - japanese)
    assert {"admin", "editor", "member", "public", "members", "private", "Log in", "Log out"} <= japanese
