"""The accounts store and the viewer-aware reads: users, sessions, tokens, rate limit, secret, audit,
one-record edits, and search, matching and analysis as one organization's users see them."""

from datetime import timedelta

import pytest

from fusionatlas.analysis.atlas import read_atlas
from fusionatlas.dataset.edits import write_edit
from fusionatlas.dataset.package import load_package
from fusionatlas.dataset.problems import ValidationFailed
from fusionatlas.domain.audience import OPERATOR, PUBLIC, Audience
from fusionatlas.match.engine import match
from fusionatlas.match.index import build_index
from fusionatlas.store import accounts, queries
from fusionatlas.store.accounts import AccountError
from tests import fixtures
from tests.fixtures import write_package

PRIVATE = (
    "cap:fujikura.hcd.gyrotron-private,org:fujikura,tech:hcd.gyrotron,"
    "Private gyrotron window line,,,,5,,,,private,,true\n"
)


@pytest.fixture
def loaded(engine, tmp_path, monkeypatch):
    monkeypatch.delenv(accounts.SECRET_ENV, raising=False)
    load_package(engine, write_package(tmp_path / "p", capabilities_csv=fixtures.CAPABILITIES + PRIVATE))
    return engine


def test_users_sessions_and_tokens(loaded):
    with loaded.begin() as connection:
        user = accounts.create_user(connection, " A@Example.org", "long enough pw", "member", "org:fujikura")
        with pytest.raises(AccountError):
            accounts.create_user(connection, "a@example.org", "long enough pw", "member")
        assert accounts.authenticate(connection, "a@example.org", "wrong password") is None
        assert accounts.authenticate(connection, "A@EXAMPLE.ORG", "long enough pw") == user
        session = accounts.start_session(connection, user.id)
        assert accounts.session_user(connection, session) == user
        expired = accounts.start_session(connection, user.id, lifetime=timedelta(seconds=-1))
        assert accounts.session_user(connection, expired) is None
        _, token = accounts.create_token(connection, user.id, "ci")
        assert accounts.token_user(connection, token) == user
        token_id = accounts.list_tokens(connection, user.id)[0].id
        accounts.revoke_token(connection, user.id, token_id)
        assert accounts.token_user(connection, token) is None
        accounts.update_user(connection, user.id, None, active=False)
        assert accounts.session_user(connection, session) is None
        assert accounts.authenticate(connection, "a@example.org", "long enough pw") is None


def test_the_secret_is_made_once_per_database(loaded, monkeypatch):
    with loaded.begin() as connection:
        first = accounts.site_secret(connection)
    with loaded.begin() as connection:
        assert accounts.site_secret(connection) == first and len(first) >= 40
    monkeypatch.setenv(accounts.SECRET_ENV, "from the environment")
    with loaded.begin() as connection:
        assert accounts.site_secret(connection) == b"from the environment"


def test_failures_are_counted_per_key_within_the_window(loaded):
    window = timedelta(minutes=15)
    with loaded.begin() as connection:
        key = accounts.login_key(connection, "a@example.org", "10.0.0.1")
        assert key != accounts.login_key(connection, "a@example.org", "10.0.0.2")
        for _ in range(3):
            accounts.record_failure(connection, key, window)
        assert accounts.recent_failures(connection, key, window) == 3
        assert accounts.recent_failures(connection, key, timedelta(seconds=-1)) == 0
        accounts.clear_failures(connection, key)
        assert accounts.recent_failures(connection, key, window) == 0


def test_write_edit_validates_writes_and_audits(loaded):
    with loaded.begin() as connection:
        editor = accounts.create_user(connection, "e@example.org", "long enough pw", "editor")
        record = {"id": "need:x", "title_en": "X", "technology_ids": "tech:magnet", "unconfirmed": True}
        before, after = write_edit(connection, "needs", record, editor.id)
        assert before is None and after["technology_ids"] == ["tech:magnet"]
        write_edit(connection, "needs", {**record, "title_en": "Y"}, editor.id)
        entries, total = accounts.audit_entries(connection, table_name="needs")
    assert total == 2 and entries[0].before["title_en"] == "X" and entries[0].after["title_en"] == "Y"
    with pytest.raises(ValidationFailed, match="unknown technologies id"), loaded.begin() as connection:
        write_edit(connection, "needs", {**record, "technology_ids": "tech:nowhere"}, editor.id)


def test_search_as_each_viewer_sees_it(loaded):
    with loaded.connect() as connection:

        def found(level, org=None):
            return {h.id for h in queries.search(connection, "gyrotron", Audience(level=level, org_id=org), 50)}

        assert "cap:members-only-co.hcd.gyrotron" not in found(0)
        assert "cap:members-only-co.hcd.gyrotron" in found(1)
        assert "cap:fujikura.hcd.gyrotron-private" not in found(1)
        assert "cap:fujikura.hcd.gyrotron-private" not in found(1, "org:qst")
        assert "cap:fujikura.hcd.gyrotron-private" in found(1, "org:fujikura")
        assert "cap:fujikura.hcd.gyrotron-private" in found(2)
        assert found(2) == {h.id for h in queries.search(connection, "gyrotron", OPERATOR, 50)}


def test_matching_and_analysis_for_an_organizations_users(loaded):
    with loaded.connect() as connection:
        index = build_index(connection)
        member, own = Audience(level=1), Audience(level=1, org_id="org:fujikura")
        members = read_atlas(connection, member)
        fujikura = read_atlas(connection, own)
        public = read_atlas(connection, PUBLIC)
    assert "org:fujikura" not in {r.org_id for r in match(index, "gyrotron window", audience=member).results}
    assert "org:fujikura" in {r.org_id for r in match(index, "gyrotron window", audience=own).results}
    assert "org:fujikura" not in {r.org_id for r in match(index, "gyrotron window", audience=PUBLIC).results}
    assert len(public.cap_tech) == 1 and len(members.cap_tech) == 2 and len(fujikura.cap_tech) == 3
