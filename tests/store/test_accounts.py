"""The accounts store and the viewer-aware reads: users, sessions, passwords, tokens (scopes, expiry,
last use), login limits (atomic under concurrency), secret, audit, one-record edits, and search,
matching and analysis as one organization's users see them."""

import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

import pytest
from alembic import command
from sqlalchemy import inspect, select, text

from fusionatlas.analysis.atlas import read_atlas
from fusionatlas.dataset.edits import write_edit
from fusionatlas.dataset.package import load_package
from fusionatlas.dataset.problems import ValidationFailed
from fusionatlas.domain.audience import OPERATOR, PUBLIC, Audience
from fusionatlas.match.engine import match
from fusionatlas.match.index import build_index
from fusionatlas.store import accounts, queries
from fusionatlas.store.accounts import AccountError
from fusionatlas.store.engine import BUSY_TIMEOUT_ENV, StoreError, open_engine
from fusionatlas.store.migrate import alembic_config
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


def test_a_secret_from_a_rolled_back_transaction_is_not_kept(loaded):
    """The secret used is always the one stored (on PostgreSQL, one made in a rolled-back transaction is gone;
    pysqlite commits the savepoint that stores it at once)."""
    with loaded.connect() as connection:  # closed without a commit
        first = accounts.site_secret(connection)
        assert accounts.site_secret(connection) == first
    with loaded.begin() as connection:
        kept = accounts.site_secret(connection)
    with loaded.connect() as connection:
        assert accounts.site_secret(connection) == kept
        named = accounts.site_settings.c.name == "secret"
        stored = connection.execute(select(accounts.site_settings.c.value).where(named)).scalar_one()
    assert stored.encode() == kept
    assert (kept == first) == (loaded.dialect.name == "sqlite")


def test_login_limits_count_per_key_within_the_window(loaded):
    window = timedelta(minutes=15)
    with loaded.begin() as connection:
        by_address, by_account = accounts.login_keys(connection, "a@example.org", "10.0.0.1")
        assert (by_address, by_account) != accounts.login_keys(connection, "A@example.org ", "10.0.0.2")
        assert by_account == accounts.login_keys(connection, "A@example.org ", "10.0.0.2")[1]
        for _ in range(3):
            accounts.reserve_attempts(connection, [(by_address, 10), (by_account, 3)], window)
        assert accounts.attempts(connection, by_account, window) == 3
        assert accounts.attempts(connection, by_account, timedelta(seconds=-1)) == 0
    with pytest.raises(accounts.RateLimited), loaded.begin() as connection:
        accounts.reserve_attempts(connection, [(by_address, 10), (by_account, 3)], window)
    with loaded.begin() as connection:
        assert accounts.attempts(connection, by_address, window) == 3, "a refused attempt counts nowhere"
        accounts.reserve_attempts(connection, [(by_account, 3)], timedelta(seconds=-1))  # the old window is over
        assert accounts.attempts(connection, by_account, window) == 1
        accounts.refund_attempt(connection, by_address)
        assert accounts.attempts(connection, by_address, window) == 2
        accounts.clear_attempts(connection, by_account)
        assert accounts.attempts(connection, by_account, window) == 0


def test_concurrent_attempts_never_pass_the_limit(loaded):
    """30 attempts at once against a limit of 5: checking and counting is one statement, so exactly 5 pass
    (counting first and inserting after let 12 of 30 through)."""
    window = timedelta(minutes=15)
    with loaded.connect() as connection:
        keys = accounts.login_keys(connection, "a@example.org", "10.0.0.1")
    start = threading.Barrier(30)

    def attempt(_: int) -> bool:
        start.wait()
        try:
            with loaded.begin() as connection:
                accounts.reserve_attempts(connection, [(keys[0], 100), (keys[1], 5)], window)
        except accounts.RateLimited:
            return False
        return True

    with ThreadPoolExecutor(30) as pool:
        passed = sum(pool.map(attempt, range(30)))
    assert passed == 5
    with loaded.connect() as connection:
        assert accounts.attempts(connection, keys[1], window) == 5
        assert accounts.attempts(connection, keys[0], window) == 5, "refused attempts were rolled back"


def test_tokens_have_scopes_and_expire(loaded, monkeypatch):
    with loaded.begin() as connection:
        user = accounts.create_user(connection, "t@example.org", "long enough pw", "admin")
        reader, read_token = accounts.create_token(connection, user.id, "reader")
        writer, write_token = accounts.create_token(connection, user.id, "writer", ["submit", "read"], days=7)
        short, short_token = accounts.create_token(connection, user.id, "short", days=1)
        for scopes in (["admin"], [], ["read", "users"]):
            with pytest.raises(AccountError, match="scopes"):
                accounts.create_token(connection, user.id, "bad", scopes)
        for days in (0, 91):
            with pytest.raises(AccountError, match="1 to 90 days"):
                accounts.create_token(connection, user.id, "bad", days=days)
        monkeypatch.setenv(accounts.TOKEN_DAYS_ENV, "30")
        with pytest.raises(AccountError, match="1 to 30 days"):
            accounts.create_token(connection, user.id, "too long", days=31)
        monthly, _ = accounts.create_token(connection, user.id, "monthly")
        assert monthly.expires - monthly.created == timedelta(days=30)
        monkeypatch.setenv(accounts.TOKEN_DAYS_ENV, "soon")
        with pytest.raises(AccountError, match="FUSIONATLAS_TOKEN_DAYS='soon'"):
            accounts.create_token(connection, user.id, "bad setting")
        monkeypatch.delenv(accounts.TOKEN_DAYS_ENV)
    assert reader.scopes == ("read",) and writer.scopes == ("read", "submit")
    assert timedelta(days=89, hours=23) < reader.expires - reader.created <= timedelta(days=90)
    assert writer.expires - writer.created == timedelta(days=7)
    with loaded.connect() as connection:
        user_of_writer, found = accounts.token_grant(connection, write_token)
        assert user_of_writer == user and found.scopes == ("read", "submit") and found.last_used is None
        assert accounts.token_user(connection, read_token) == user
        listed = {t.name: t for t in accounts.list_tokens(connection, user.id)}
    assert listed["short"].expires == short.expires and not listed["short"].expired
    with loaded.begin() as connection:  # a day later
        ended = short.created - timedelta(days=2)
        connection.execute(
            accounts.api_tokens.update().where(accounts.api_tokens.c.id == short.id).values(expires=ended)
        )
    with loaded.connect() as connection:
        assert accounts.token_grant(connection, short_token) is None
        assert next(t for t in accounts.list_tokens(connection, user.id) if t.id == short.id).expired
        assert accounts.token_grant(connection, "fa_\x00") is None


def test_last_used_is_written_at_most_every_five_minutes(loaded):
    with loaded.begin() as connection:
        user = accounts.create_user(connection, "t@example.org", "long enough pw", "member")
        _, token = accounts.create_token(connection, user.id, "ci")

    def last_used():
        with loaded.connect() as connection:
            return accounts.token_grant(connection, token)[1]

    accounts.touch_token(loaded, last_used())
    first = last_used().last_used
    assert first is not None
    accounts.touch_token(loaded, last_used())
    assert last_used().last_used == first, "a second use within 5 minutes writes nothing"
    old = first - timedelta(minutes=6)
    with loaded.begin() as connection:
        connection.execute(accounts.api_tokens.update().values(last_used=old))
    accounts.touch_token(loaded, last_used())
    assert last_used().last_used > old


def test_passwords_change_with_the_old_one_and_reset_by_an_admin(loaded):
    with loaded.begin() as connection:
        admin = accounts.create_user(connection, "admin@example.org", "long enough pw", "admin")
        user = accounts.create_user(connection, "u@example.org", "long enough pw", "member")
        session = accounts.start_session(connection, user.id)
        with pytest.raises(AccountError, match="current password is wrong"):
            accounts.change_password(connection, user, "not the password", "a new long password")
        with pytest.raises(AccountError, match="too short"):
            accounts.change_password(connection, user, "long enough pw", "short")
        accounts.change_password(connection, user, "long enough pw", "a new long password")
        assert accounts.session_user(connection, session) is None, "the user's sessions end"
        assert accounts.authenticate(connection, "u@example.org", "a new long password") == user
        accounts.set_password(connection, user.id, "set by the admin", actor=admin.id)
        assert accounts.authenticate(connection, "u@example.org", "set by the admin") == user
        assert accounts.authenticate(connection, "u@example.org", "a new long password") is None
        with pytest.raises(AccountError, match="no user 999"):
            accounts.set_password(connection, 999, "long enough pw", actor=admin.id)
        entries, _ = accounts.audit_entries(connection, table_name="users")
    changes = [e for e in entries if e.action == "password"]
    assert [(e.user_id, e.record_id) for e in changes] == [(admin.id, str(user.id)), (user.id, str(user.id))]
    logged = repr([(e.before, e.after) for e in entries])
    assert "argon2" not in logged and changes[0].after == {"password": "changed"}
    assert "a new long password" not in logged and "set by the admin" not in logged


def test_emails_with_a_nul_byte_are_nobodys(loaded):
    """PostgreSQL refuses NUL in text: such an email is refused before any query (no DataError, no 500)."""
    with loaded.begin() as connection:
        with pytest.raises(AccountError, match="not an email address"):
            accounts.create_user(connection, "a\x00@example.org", "long enough pw", "member")
        accounts.create_user(connection, "a@example.org", "long enough pw", "member")
        assert accounts.authenticate(connection, "a@example.org\x00", "long enough pw") is None
        assert not accounts.plausible_email("a\x00@example.org") and accounts.plausible_email("a@example.org")


def test_sqlite_waits_for_the_write_lock(sqlite_engine, monkeypatch):
    with sqlite_engine.connect() as connection:
        assert connection.exec_driver_sql("PRAGMA busy_timeout").scalar() == 15_000
    monkeypatch.setenv(BUSY_TIMEOUT_ENV, "never")
    with pytest.raises(StoreError, match="FUSIONATLAS_SQLITE_BUSY_TIMEOUT='never'"):
        open_engine(str(sqlite_engine.url))


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


def test_migration_0007_keeps_tokens_read_only_for_90_days_and_can_go_back(engine):
    """Tokens made before scopes existed become read-only and expire 90 days after the upgrade."""
    config = alembic_config(engine)
    command.upgrade(config, "0003")
    columns = "user_id, name, token_hash, created, revoked"
    with engine.begin() as connection:
        connection.execute(
            text(
                "INSERT INTO users (email, password_hash, role, created, active)"
                " VALUES ('a@b.org', 'x', 'member', :t, :a)"
            ),
            {"t": accounts.now(), "a": True},
        )
        connection.execute(
            text(f"INSERT INTO api_tokens ({columns}) VALUES (1, 'old', :h, :t, :r)"),
            {"h": "0" * 64, "t": accounts.now(), "r": False},
        )
    command.upgrade(config, "head")
    with engine.connect() as connection:
        (token,) = accounts.list_tokens(connection, 1)
    assert token.scopes == ("read",) and timedelta(days=89) < token.expires - accounts.now() <= timedelta(days=90)
    command.downgrade(config, "0003")
    assert "login_failures" in inspect(engine).get_table_names()
    assert "scopes" not in {c["name"] for c in inspect(engine).get_columns("api_tokens")}
    command.upgrade(config, "head")
