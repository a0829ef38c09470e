"""Accounts: login and logout, rate limits, CSRF, roles and visibility, tokens and their scopes, passwords,
security headers, a busy database, submissions, review, audit."""

from __future__ import annotations

import re
import sqlite3
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
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
    assert 'id="pending-count">2 pending ·' in review.text
    assert 'id="pending-count">審査待ち 2件 ·' in editor.get("/review", params={"lang": "ja"}).text
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


def test_a_form_error_keeps_the_input_and_names_the_field_by_its_label(app):
    member = logged_in(app, "fujikura@example.org")
    token = member.cookies.get("csrftoken")
    page = member.get("/submit/need", params={"lang": "ja"}).text
    assert "＊印の項目は必須です。" in page and "英語の件名は必須です" in page
    need = {"csrf": token, "title_ja": "高温超伝導電流リード", "description_ja": "詳しい説明", "deadline": "2030-13"}
    sent = member.post("/submit/need", data=need, params={"lang": "ja"})
    assert sent.status_code == 422 and "リクエストの値に誤りがあります" not in sent.text
    assert 'value="高温超伝導電流リード"' in sent.text and "詳しい説明" in sent.text, "what was typed is kept"
    assert 'id="error-title_en">件名（英語）は必須です<' in sent.text
    assert 'id="error-deadline">期限：' in sent.text
    assert "title_en" not in sent.text.split('id="submit-form"')[0] and "needs:" not in sent.text
    too_long = member.post("/submit/need", data={**need, "title_en": "x" * 301}, params={"lang": "ja"})
    assert too_long.status_code == 422 and 'id="error-title_en">件名（英語）：300文字以内' in too_long.text
    assert "詳しい説明" in too_long.text
    english = member.post("/submit/need", data=need, params={"lang": "en"})
    assert 'id="error-title_en">Title (English) is required<' in english.text
    cap = {"csrf": token, "technology_id": "tech:magnet", "trl": "12"}
    capability = member.post("/submit/capability", data=cap, params={"lang": "ja"})
    assert (
        capability.status_code == 422
        and "capabilities:" not in capability.text
        and 'id="error-trl">TRL：' in capability.text
    )
    assert "(tech:magnet)" not in capability.text, "the technology list shows names, not ids"

    editor = logged_in(app, "editor@example.org")
    form = {"csrf": editor.cookies.get("csrftoken"), "name_en": "Fujikura", "kind": "company", "country": "JP"}
    bad = editor.post(
        "/edit/organizations/org:fujikura", data={**form, "contact_url": "ftp://x"}, params={"lang": "ja"}
    )
    assert bad.status_code == 422 and "organizations:" not in bad.text
    assert 'id="error-contact_url">問い合わせ窓口：' in bad.text
    assert '<label for="f-contact_url">問い合わせ窓口</label>' in bad.text and ">企業</option>" in bad.text


def test_review_and_my_submissions_show_labels_and_names_not_codes(app):
    member = logged_in(app, "fujikura@example.org")
    token = member.cookies.get("csrftoken")
    form = member.get("/submit/need", params={"lang": "ja"}).text
    assert 'name="technology_ids" multiple' in form and '<option value="JP">日本</option>' in form
    need = {
        "csrf": token,
        "title_en": "HTS current leads",
        "title_ja": "高温超伝導電流リード",
        "technology_ids": ["tech:magnet.hts", "tech:magnet"],
        "countries": ["JP", "GB"],
        "visibility": "members",
    }
    assert member.post("/submit/need", data=need).status_code == 200
    cap = {"csrf": token, "technology_id": "tech:magnet", "description_ja": "巻線", "visibility": "private"}
    assert member.post("/submit/capability", data=cap).status_code == 200
    mine = member.get("/account", params={"lang": "ja"}).text
    assert "高温超伝導電流リード" in mine and "cap:fujikura" not in mine

    review = logged_in(app, "editor@example.org").get("/review", params={"lang": "ja"}).text
    table = review[review.index('id="pending"') :]
    for code in ("buyer_org_id", "unconfirmed", "technology_ids", "visibility", "tech:magnet", "org:fujikura"):
        assert code not in re.sub(r"<[^>]*>", " ", table), code
    assert "<th>発注者</th><td>フジクラ</td>" in table and "<td>会員限定</td>" in table and "<td>はい</td>" in table
    assert "日本、イギリス" in table and "<td>募集中</td>" in table


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
    root = Path(__file__).resolve().parents[2] / "src/fusionatlas/web"
    source = (root / "pages/accounts.py").read_text() + (root / "auth.py").read_text()
    messages = set(re.findall(r'_t\(request, "([^"]+)"\)', source))
    japanese = {m.id for m in catalog("ja") if m.id}
    assert messages and not (messages - japanese)
    assert {"admin", "editor", "member", "public", "members", "private", "Log in", "Log out"} <= japanese


# ---- API tokens: scopes, expiry, never on forms, never admin ------------------------------------


def new_token(client, name="script", **form):
    page = client.post("/account/tokens", data={"csrf": client.cookies.get("csrftoken"), "name": name, **form})
    assert page.status_code == 200, page.text
    return re.search(r"<code>(fa_[^<]+)</code>", page.text).group(1)


NEED = {"title_en": "Remote handling arm", "technology_ids": "tech:magnet", "visibility": "members"}


def count(app, table):
    with app.state.engine.connect() as connection:
        return len(connection.execute(select(table.c.id)).all())


def test_a_read_token_reads_and_a_submit_token_also_submits(app):
    client = logged_in(app, "fujikura@example.org")
    reader = {"Authorization": f"Bearer {new_token(client)}"}
    writer = {"Authorization": f"Bearer {new_token(client, 'writer', submit='true')}"}
    api = TestClient(app)
    assert api.get("/api/me", headers=reader).json()["token"]["scopes"] == ["read"]
    refused = api.post("/api/submissions/need", json=NEED, headers=reader)
    assert refused.status_code == 403 and "read" in refused.json()["detail"]
    assert count(app, accounts.submissions) == 0
    sent = api.post("/api/submissions/need", json=NEED, headers=writer)
    assert sent.status_code == 201 and sent.json()["status"] == "pending"
    cap = {"technology_id": "tech:magnet", "description_en": "Winding"}
    assert api.post("/api/submissions/capability", json=cap, headers=writer).status_code == 201
    bad = api.post("/api/submissions/need", json={**NEED, "technology_ids": "tech:nowhere"}, headers=writer)
    assert bad.status_code == 422 and "unknown technologies id" in bad.json()["detail"]
    assert count(app, accounts.submissions) == 2


def test_the_account_page_lists_scope_expiry_and_last_use(app, monkeypatch):
    client = logged_in(app, "member@example.org")
    token = new_token(client, "nightly", submit="true", days="7")
    TestClient(app).get("/api/me", headers={"Authorization": f"Bearer {token}"})
    page = client.get("/account", params={"lang": "en"}).text
    today = accounts.now().date()
    row = re.search(r"<tr><td>nightly</td>(.*?)</tr>", page, re.S).group(1)
    assert "read, submit" in row and (today + timedelta(days=7)).isoformat() in row
    assert row.count(today.isoformat()) == 2, "created and last used today"
    japanese = client.get("/account", params={"lang": "ja"}).text
    assert "有効期限" in japanese and "閲覧, 登録" in japanese
    too_long = client.post("/account/tokens", data={"csrf": client.cookies.get("csrftoken"), "days": "91"})
    assert too_long.status_code == 422
    monkeypatch.setenv("FUSIONATLAS_TOKEN_DAYS", "10")
    assert 'max="10"' in client.get("/account").text
    new_token(client, "default")
    with app.state.engine.connect() as connection:
        made = next(t for t in accounts.list_tokens(connection, 3) if t.name == "default")
    assert made.expires - made.created == timedelta(days=10) and made.scopes == ("read",)


def test_an_expired_token_is_refused(app):
    client = logged_in(app, "member@example.org")
    token = new_token(client)
    with app.state.engine.begin() as connection:
        connection.execute(accounts.api_tokens.update().values(expires=accounts.now() - timedelta(seconds=1)))
    answer = TestClient(app).get("/api/me", headers={"Authorization": f"Bearer {token}"})
    assert answer.status_code == 401 and "expired" in answer.json()["detail"]
    assert 'id="tokens"' in client.get("/account").text and "expired" in client.get("/account?lang=en").text


def test_tokens_never_work_on_forms_nor_mint_users_or_tokens(app):
    admin = logged_in(app, "admin@example.org")
    bearer = {"Authorization": f"Bearer {new_token(admin, submit='true')}"}
    script = TestClient(app)
    script.get("/login")  # a valid pre-session CSRF token: the token alone must still not be enough
    form = {"csrf": script.cookies.get("csrftoken")}
    users_before, tokens_before = count(app, accounts.users), count(app, accounts.api_tokens)
    attempts = [
        ("/account/tokens", {"name": "minted", "submit": "true"}),
        ("/admin/users", {"email": "minted@example.org", "role": "admin", "password": PASSWORD}),
        ("/submit/need", NEED),
        ("/admin/users/2/password", {"password": "taken over by a token"}),
        ("/edit/organizations/org:fujikura", {"name_en": "Renamed", "kind": "company", "country": "JP"}),
    ]
    for path, data in attempts:
        answer = script.post(path, data={**form, **data}, headers=bearer, follow_redirects=False)
        assert answer.status_code == 303 and answer.headers["location"].startswith("/login"), path
    assert (count(app, accounts.users), count(app, accounts.api_tokens)) == (users_before, tokens_before)
    assert count(app, accounts.submissions) == 0
    # Reading with a token works outside /api/ too, but an admin's token is never an admin.
    assert script.get("/account", headers=bearer).status_code == 200
    assert script.get("/admin/users", headers=bearer).status_code == 403
    assert script.get("/api/admin/audit", headers=bearer).status_code == 403
    assert script.get("/api/submissions", headers=bearer).status_code == 200  # as an editor
    assert admin.get("/api/admin/audit").status_code == 200, "the admin's session still is"


# ---- CSRF bound to the session -------------------------------------------------------------------


def plant(client, token):
    """Set this browser's CSRF cookie, as an attacker able to write cookies for the site could."""
    client.cookies.delete("csrftoken")
    client.cookies.set("csrftoken", token)


def test_a_csrf_token_works_only_in_its_own_session(app):
    member = logged_in(app, "member@example.org")
    other = logged_in(app, "fujikura@example.org")
    mine = member.cookies.get("csrftoken")
    # Another session's token, even planted as this browser's cookie too, is refused.
    plant(other, mine)
    assert other.post("/account/tokens", data={"csrf": mine}).status_code == 403
    # A token made up by the attacker (cookie and field equal: plain double-submit) is refused.
    plant(other, "made-up.0123")
    assert other.post("/account/tokens", data={"csrf": "made-up.0123"}).status_code == 403
    # The token from before login stops working at login; the one set with the session works.
    fresh = TestClient(app)
    fresh.get("/login")
    before = fresh.cookies.get("csrftoken")
    answer = fresh.post("/login", data={"csrf": before, "email": "member@example.org", "password": PASSWORD})
    assert answer.status_code == 200  # followed to /account
    assert fresh.cookies.get("csrftoken") != before
    plant(fresh, before)
    assert fresh.post("/account/tokens", data={"csrf": before}).status_code == 403
    assert member.post("/account/tokens", data={"csrf": mine}).status_code == 200


def test_the_api_with_a_session_needs_the_csrf_header(app):
    assert TestClient(app).post("/api/submissions/need", json=NEED).status_code == 401
    member = logged_in(app, "fujikura@example.org")
    assert member.post("/api/submissions/need", json=NEED).status_code == 403
    forged = member.post("/api/submissions/need", json=NEED, headers={"X-CSRF-Token": "forged"})
    assert forged.status_code == 403
    good = member.post("/api/submissions/need", json=NEED, headers={"X-CSRF-Token": member.cookies.get("csrftoken")})
    assert good.status_code == 201


# ---- login limits: per account and per address, atomic; trusted proxies --------------------------


def test_fifteen_emails_from_one_address_lock_the_address(app):
    client = TestClient(app)
    for number in range(15):
        assert login(client, f"guess{number}@example.org", "wrong password!").status_code == 200
    assert login(client, "member@example.org").status_code == 429, "even the right password, from this address"
    assert login(TestClient(app, client=("192.0.2.7", 1000)), "member@example.org").status_code == 303


def test_concurrent_wrong_passwords_pass_at_most_the_limit(app):
    """Before: 12 of 30 concurrent wrong passwords got past a limit of 5 (count, then insert)."""
    clients = [TestClient(app, client=(f"198.51.100.{n}", 1000)) for n in range(20)]
    tokens = [csrf(c) for c in clients]
    start = threading.Barrier(len(clients))

    def attempt(n):
        start.wait()
        data = {"csrf": tokens[n], "email": "member@example.org", "password": "wrong password!"}
        return clients[n].post("/login", data=data).status_code

    with ThreadPoolExecutor(len(clients)) as pool:
        answers = list(pool.map(attempt, range(len(clients))))
    assert answers.count(200) == 5 and answers.count(429) == 15


def test_forwarded_addresses_count_only_from_trusted_proxies(app, monkeypatch):
    # Not a configured proxy: X-Forwarded-For is the client's own claim and changes nothing.
    for number in range(15):
        client = TestClient(app, client=("10.0.0.9", 1000))
        client.headers["X-Forwarded-For"] = f"203.0.113.{number}"
        assert login(client, f"guess{number}@example.org", "wrong password!").status_code == 200
    blocked = TestClient(app, client=("10.0.0.9", 1000))
    blocked.headers["X-Forwarded-For"] = "203.0.113.99"
    assert login(blocked, "editor@example.org").status_code == 429
    # From a configured proxy, the forwarded address is the client's (the rightmost one not a proxy).
    monkeypatch.setenv("FUSIONATLAS_TRUSTED_PROXIES", "10.0.0.9, 10.1.0.0/16")
    proxied = TestClient(app, base_url="https://testserver", client=("10.0.0.9", 1000))
    proxied.headers["X-Forwarded-For"] = "10.0.0.9, 203.0.113.99, 10.1.2.3"
    assert login(proxied, "editor@example.org").status_code == 303
    # The forwarded scheme, too, counts from a trusted proxy only (it makes cookies Secure).
    headers = {"X-Forwarded-Proto": "https"}
    assert "Secure" in TestClient(app, client=("10.0.0.9", 1)).get("/login", headers=headers).headers["set-cookie"]
    assert "Secure" not in TestClient(app, client=("10.0.0.8", 1)).get("/login", headers=headers).headers["set-cookie"]
    # ... while the proxy's own address, and any address sent around the proxy, stay locked.
    direct = TestClient(app, client=("10.0.0.9", 1000))
    assert login(direct, "editor@example.org").status_code == 429


# ---- passwords ----------------------------------------------------------------------------------


def test_users_change_their_password_with_the_old_one(app):
    member = logged_in(app, "member@example.org")
    elsewhere = logged_in(app, "member@example.org")
    token = member.cookies.get("csrftoken")
    wrong = member.post("/account/password", data={"csrf": token, "current": "wrong!", "new": "a new long password"})
    assert wrong.status_code == 422 and "current password is wrong" in wrong.text
    short = member.post("/account/password", data={"csrf": token, "current": PASSWORD, "new": "short"})
    assert short.status_code == 422
    done = member.post("/account/password", data={"csrf": token, "current": PASSWORD, "new": "a new long password"})
    assert done.status_code == 200 and 'id="password-changed"' in done.text, "still logged in, in a new session"
    assert elsewhere.get("/account", follow_redirects=False).status_code == 303, "other sessions ended"
    assert "fa_session" not in login(TestClient(app), "member@example.org").cookies
    assert login(TestClient(app), "member@example.org", "a new long password").status_code == 303
    with app.state.engine.connect() as connection:
        entries, _ = accounts.audit_entries(connection, table_name="users")
    assert entries[0].action == "password" and entries[0].after == {"password": "changed"}
    assert "a new long password" not in repr(entries) and "argon2" not in repr(entries)


def test_admins_reset_another_users_password(app):
    member = logged_in(app, "member@example.org")
    assert (
        member.post(
            "/admin/users/2/password", data={"csrf": member.cookies.get("csrftoken"), "password": "x" * 12}
        ).status_code
        == 403
    )
    admin = logged_in(app, "admin@example.org")
    token = admin.cookies.get("csrftoken")
    page = admin.get("/admin/users", params={"lang": "en"}).text
    assert 'action="/admin/users/3/password"' in page and 'action="/admin/users/1/password"' not in page
    reset = admin.post("/admin/users/3/password", data={"csrf": token, "password": "reset by the admin"})
    assert reset.status_code == 200  # back on /admin/users
    assert member.get("/account", follow_redirects=False).status_code == 303, "the member's sessions ended"
    assert login(TestClient(app), "member@example.org", "reset by the admin").status_code == 303
    assert admin.post("/admin/users/3/password", data={"csrf": token, "password": "short"}).status_code == 422
    assert admin.post("/admin/users/99/password", data={"csrf": token, "password": "x" * 12}).status_code == 404
    assert admin.post("/admin/users/1/password", data={"csrf": token, "password": "x" * 12}).status_code == 422
    with app.state.engine.connect() as connection:
        entries, _ = accounts.audit_entries(connection, table_name="users")
    assert (entries[0].action, entries[0].user_id, entries[0].record_id) == ("password", 1, "3")
    assert "reset by the admin" not in repr(entries)


# ---- headers, NUL bytes, a busy database ---------------------------------------------------------


def test_every_response_carries_the_security_headers(app):
    member = logged_in(app, "member@example.org")
    answers = [
        member.get("/account"),
        TestClient(app).get("/account", follow_redirects=False),
        member.get("/api/me"),
        member.get("/no/such/page"),
        member.get("/static/favicon.svg"),
        TestClient(app).get("/api/me"),
    ]
    for answer in answers:
        csp = answer.headers["content-security-policy"]
        assert (
            "script-src 'self'" in csp
            and "frame-ancestors 'none'" in csp
            and "unsafe-inline" not in csp.split("script-src")[1].split(";")[0]
        )
        assert answer.headers["x-content-type-options"] == "nosniff"
        assert answer.headers["x-frame-options"] == "DENY" and answer.headers["referrer-policy"]


def test_templates_have_no_inline_script():
    templates = Path(__file__).resolve().parents[2] / "src/fusionatlas/web/templates"
    for path in templates.glob("*.html"):
        text = path.read_text(encoding="utf-8")
        assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", text), f"{path.name}: inline <script>"
        assert not re.search(r"\son[a-z]+\s*=", text), f"{path.name}: an on* handler attribute"
        assert "javascript:" not in text, path.name


def test_a_nul_byte_in_an_email_is_invalid_not_a_crash(app):
    client = TestClient(app)
    answer = login(client, "member@example.org\x00", lang="en")
    # The app's one check of control characters (web/app.py) answers before the login form reads the field.
    assert answer.status_code == 422 and "control character (U+0000" in answer.text
    admin = logged_in(app, "admin@example.org")
    form = {"csrf": admin.cookies.get("csrftoken"), "email": "a\x00@b.org", "role": "member", "password": PASSWORD}
    assert admin.post("/admin/users", data=form).status_code == 422


def sqlite_app(tmp_path, monkeypatch, busy_timeout):
    monkeypatch.setenv("FUSIONATLAS_SQLITE_BUSY_TIMEOUT", busy_timeout)
    path = tmp_path / "busy.db"
    app = create_app(f"sqlite:///{path}")
    load_package(app.state.engine, _package(tmp_path))
    with app.state.engine.begin() as connection:
        accounts.create_user(connection, "fujikura@example.org", PASSWORD, "member", "org:fujikura")
    return app, path


def hold_write_lock(path):
    """Another connection holding SQLite's write lock, as a long import or a second worker's write would."""
    holder = sqlite3.connect(path, timeout=0, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    return holder


def test_a_locked_sqlite_answers_503_with_retry_after_never_500(tmp_path, monkeypatch):
    app, path = sqlite_app(tmp_path, monkeypatch, "0.5")
    member = TestClient(app, raise_server_exceptions=False)
    assert login(member, "fujikura@example.org").status_code == 303
    bearer = {"Authorization": f"Bearer {new_token(member, submit='true')}"}
    api = TestClient(app, raise_server_exceptions=False)
    holder = hold_write_lock(path)
    try:
        # Reading needs no write lock: a token is accepted (its last use is recorded later).
        assert api.get("/api/me", headers=bearer).status_code == 200
        client = TestClient(app, raise_server_exceptions=False)
        client.get("/login", params={"lang": "ja"})
        page = login(client, "fujikura@example.org")
        assert page.status_code == 503 and page.headers["retry-after"] == "5"
        assert "データベースが混み合っています" in page.text
        written = api.post("/api/submissions/need", json=NEED, headers=bearer)
        assert written.status_code == 503 and written.headers["retry-after"] == "5"
        assert "busy" in written.json()["detail"]
    finally:
        holder.rollback()
        holder.close()
    assert login(TestClient(app), "fujikura@example.org").status_code == 303
    assert api.post("/api/submissions/need", json=NEED, headers=bearer).status_code == 201
    app.state.engine.dispose()


def test_a_short_lock_is_waited_out(tmp_path, monkeypatch):
    """With the default 15 s busy timeout, a login and a token request made while another connection
    writes succeed once it commits."""
    app, path = sqlite_app(tmp_path, monkeypatch, "")
    member = TestClient(app)
    assert login(member, "fujikura@example.org").status_code == 303
    bearer = {"Authorization": f"Bearer {new_token(member)}"}
    client = TestClient(app)
    client.get("/login")
    holder = hold_write_lock(path)
    with ThreadPoolExecutor(2) as pool:
        data = {"csrf": client.cookies.get("csrftoken"), "email": "fujikura@example.org", "password": PASSWORD}
        logging_in = pool.submit(client.post, "/login", data=data, follow_redirects=False)
        reading = pool.submit(TestClient(app).get, "/api/me", headers=bearer)
        time.sleep(1.0)
        assert not logging_in.done(), "the login waits for the write lock"
        holder.commit()
        holder.close()
        assert logging_in.result(timeout=15).status_code == 303
        assert reading.result(timeout=15).status_code == 200
    app.state.engine.dispose()
