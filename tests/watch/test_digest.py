"""The e-mail digest, received by a local SMTP server: the right matches per user and language, nothing twice,
nothing a user may not see, and an unsubscribe link that works without logging in; both databases."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient

from fusionatlas.store import watch
from fusionatlas.watch.digest import DigestError, SmtpSettings, base_url, send_digests
from fusionatlas.web.app import create_app
from tests.watch.atlas import MAGNET_CAP, NEW_NEED, PRIVATE_NEED, audience, change_iter_need, fill, put
from tests.watch.smtp import smtp_server

BASE = "http://testserver"


@pytest.fixture
def app(db_url, tmp_path):
    app = create_app(db_url)
    app.state.users = fill(app.state.engine, tmp_path / "package")
    yield app
    app.state.engine.dispose()


@pytest.fixture
def inbox():
    with smtp_server() as inbox:
        yield inbox


def settings(inbox):
    return SmtpSettings("127.0.0.1", inbox.port, None, None, "atlas@example.org", "none")


def add(engine, user, kind, value):
    with engine.begin() as connection:
        return watch.add_watch(connection, user.id, kind, value, audience(user))


def by_recipient(inbox):
    return {message["To"]: message for message in inbox.messages}


def test_each_user_gets_one_email_with_their_matches_and_a_working_unsubscribe_link(app, inbox):
    engine, users = app.state.engine, app.state.users
    member_watch = add(engine, users["member"], "technology", "tech:hcd")
    add(engine, users["member"], "buyer", "org:qst")
    add(engine, users["qst"], "buyer", "org:qst")
    with engine.begin() as connection:
        watch.update_settings(connection, users["qst"].id, language="ja")
    assert send_digests(engine, settings(inbox), BASE).sent == 0  # nothing new yet: no e-mail
    change_iter_need(engine)
    put(engine, "needs", NEW_NEED)
    put(engine, "needs", PRIVATE_NEED)
    put(engine, "capabilities", MAGNET_CAP)

    report = send_digests(engine, settings(inbox), BASE)
    assert (report.sent, report.failed) == (2, [])
    received = by_recipient(inbox)
    member, qst = received["member@example.org"], received["qst@example.org"]
    assert member.get_content_type() == "text/plain" and member["From"] == "atlas@example.org"
    text = member.get_content()
    assert "need:iter-gyrotron" in text and NEW_NEED["id"] in text
    assert PRIVATE_NEED["id"] not in text and "Secret" not in text and "非公開" not in text
    assert MAGNET_CAP["id"] not in text and "cap:members-only-co" not in text
    assert member["Subject"] == "FusionAtlas: 3 new or changed / FusionAtlas：新規・更新 3 件"  # no language: both
    assert "Changed: 170 GHz gyrotrons, 1 MW each" in text and "更新：170 GHzジャイロトロン" in text
    assert f"{BASE}/needs/need:iter-gyrotron" in text
    assert PRIVATE_NEED["id"] in qst.get_content() and "Changed" not in qst["Subject"]
    assert qst["Subject"] == "FusionAtlas：新規・更新 2 件" and "New:" not in qst.get_content()
    assert member["List-Unsubscribe"].startswith(f"<{BASE}/watch/unsubscribe?")

    # The link for the technology watch turns off that watch's e-mail, without logging in.
    links = re.findall(rf"{BASE}(/watch/unsubscribe\S+)", text)
    mine = next(link for link in links if f"watch={member_watch}&" in link)
    client = TestClient(app)
    assert client.get(mine).status_code == 200
    assert client.post(mine).status_code == 200
    with engine.connect() as connection:
        assert not watch.get_watch(connection, member_watch).email

    # Nothing is sent twice; the next change reaches only watches whose e-mail is on.
    inbox.messages.clear()
    assert send_digests(engine, settings(inbox), BASE).sent == 0
    change_iter_need(engine, "170 GHz gyrotrons for ITER")  # the technology watch only: e-mail off
    put(engine, "needs", {**NEW_NEED, "title_en": "Gyrotron windows of CVD diamond"})
    assert send_digests(engine, settings(inbox), BASE).sent == 2
    text = by_recipient(inbox)["member@example.org"].get_content()
    assert NEW_NEED["id"] in text and "need:iter-gyrotron" not in text
    # The inbox still shows everything: only e-mail was turned off.
    with engine.begin() as connection:
        assert "need:iter-gyrotron" in {m.record_id for m in watch.news(connection, users["member"].id)}

    # The "all" link turns off every e-mail of the user.
    everything = next(link for link in links if "watch=" not in link)
    assert client.post(everything).status_code == 200
    inbox.messages.clear()
    put(engine, "needs", {**NEW_NEED, "title_en": "Gyrotron windows, 2 sets"})
    send_digests(engine, settings(inbox), BASE)
    assert set(by_recipient(inbox)) == {"qst@example.org"}


def test_a_failed_message_keeps_the_news_for_the_next_run(app, inbox):
    engine, users = app.state.engine, app.state.users
    add(engine, users["member"], "buyer", "org:qst")
    put(engine, "needs", NEW_NEED)
    closed = SmtpSettings("127.0.0.1", inbox.port + 1 if inbox.port < 65535 else 1, None, None, "a@example.org", "none")
    report = send_digests(engine, closed, BASE)
    assert report.sent == 0 and len(report.failed) == 1 and report.failed[0].startswith(f"user {users['member'].id}:")
    assert send_digests(engine, settings(inbox), BASE).sent == 1
    assert NEW_NEED["id"] in inbox.messages[0].get_content()


def test_settings_come_from_the_environment_and_name_what_is_wrong():
    assert SmtpSettings.from_env({}) is None
    env = {"FUSIONATLAS_SMTP_HOST": "mail.example.org", "FUSIONATLAS_SMTP_FROM": "atlas@example.org"}
    found = SmtpSettings.from_env({**env, "FUSIONATLAS_SMTP_USER": "u", "FUSIONATLAS_SMTP_PASSWORD": "hunter2-secret"})
    assert (found.port, found.tls, found.user) == (587, "starttls", "u")
    assert "hunter2-secret" not in repr(found)
    assert SmtpSettings.from_env({**env, "FUSIONATLAS_SMTP_TLS": "ssl"}).port == 465
    with pytest.raises(DigestError, match="FUSIONATLAS_SMTP_TLS='tls1'"):
        SmtpSettings.from_env({**env, "FUSIONATLAS_SMTP_TLS": "tls1"})
    with pytest.raises(ValueError, match="FUSIONATLAS_SMTP_PORT='x'"):
        SmtpSettings.from_env({**env, "FUSIONATLAS_SMTP_PORT": "x"})
    with pytest.raises(DigestError, match="FUSIONATLAS_SMTP_FROM"):
        SmtpSettings.from_env({"FUSIONATLAS_SMTP_HOST": "mail.example.org"})
    assert base_url(None, {"FUSIONATLAS_BASE_URL": "https://atlas.example.org/"}) == "https://atlas.example.org"
    with pytest.raises(DigestError, match="FUSIONATLAS_BASE_URL"):
        base_url(None, {})
