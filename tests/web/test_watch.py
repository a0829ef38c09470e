"""The watch pages: the inbox (new and changed, never unchanged, newest first), the per-user Atom feed at a
secret URL (only what its user may see; rotating kills the old URL) and the signed unsubscribe link."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

import pytest
from fastapi.testclient import TestClient

from fusionatlas.store import watch
from fusionatlas.web.app import create_app
from tests.watch.atlas import NEW_NEED, PASSWORD, PRIVATE_NEED, change_iter_need, fill, put

ATOM = "{http://www.w3.org/2005/Atom}"


@pytest.fixture
def app(db_url, tmp_path):
    app = create_app(db_url)
    fill(app.state.engine, tmp_path / "package")
    yield app
    app.state.engine.dispose()


def signed_in(app, email):
    client = TestClient(app)
    client.get("/login")
    token = client.cookies.get("csrftoken")
    response = client.post("/login", data={"csrf": token, "email": email, "password": PASSWORD}, follow_redirects=False)
    assert response.status_code == 303
    return client


def form(client, path, **data):
    page = client.get("/watch")
    token = re.search(r'name="csrf" value="([^"]+)"', page.text).group(1)
    return client.post(path, data={"csrf": token, **data}, follow_redirects=False)


def inbox_records(client):
    page = client.get("/watch")
    assert page.status_code == 200
    return re.findall(r'<tr data-record="([^"]+)">', page.text)


def feed_url(client):
    page = form(client, "/watch/feed")
    assert page.status_code == 200
    return re.search(r'id="feed-url">[^<]*<code>([^<]+)</code>', page.text).group(1)


def entries(client, url):
    response = client.get(url.removeprefix("http://testserver"))
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("application/atom+xml")
    root = ET.fromstring(response.content)
    assert root.tag == f"{ATOM}feed"
    return [(e.find(f"{ATOM}title").text, e.find(f"{ATOM}link").get("href")) for e in root.iter(f"{ATOM}entry")]


def test_the_inbox_needs_a_login(app):
    response = TestClient(app).get("/watch", follow_redirects=False)
    assert response.status_code in (303, 307) and "/login" in response.headers["location"]


def test_the_inbox_shows_new_and_changed_records_newest_first_and_not_unchanged_ones(app):
    member = signed_in(app, "member@example.org")
    assert form(member, "/watch", kind="technology", value="tech:hcd").status_code == 303
    assert form(member, "/watch", kind="text", value="  ").status_code == 422
    page = member.get("/watch")
    assert 'id="inbox-empty"' in page.text and "tech:hcd" in page.text
    put(app.state.engine, "needs", NEW_NEED)
    assert inbox_records(member) == [NEW_NEED["id"]]
    change_iter_need(app.state.engine)
    assert inbox_records(member) == ["need:iter-gyrotron", NEW_NEED["id"]]
    page = member.get("/watch?lang=ja").text
    assert "ジャイロトロン用ダイヤモンド窓" in page and "新規" in page and "更新" in page
    assert 'href="/needs/need:iter-gyrotron"' in page
    # The members-only capability under the technology matched from the start and never changed.
    assert "cap:members-only-co.hcd.gyrotron" not in page


def test_the_feed_lists_only_what_its_user_may_see_and_rotating_kills_the_old_url(app):
    member, qst = signed_in(app, "member@example.org"), signed_in(app, "qst@example.org")
    for client in (member, qst):
        form(client, "/watch", kind="buyer", value="org:qst")
    member_feed, qst_feed = feed_url(member), feed_url(qst)
    assert entries(member, member_feed) == []
    put(app.state.engine, "needs", PRIVATE_NEED)
    put(app.state.engine, "needs", NEW_NEED)
    anonymous = TestClient(app)  # the secret URL alone opens the feed, no login, no API token
    seen = entries(anonymous, member_feed)
    assert [title for title, _ in seen] == [
        "New: Gyrotron diamond windows (need:qst-gyrotron-windows)"
        " / 新規：ジャイロトロン用ダイヤモンド窓（need:qst-gyrotron-windows）"
    ]
    assert seen[0][1] == "http://testserver/needs/need:qst-gyrotron-windows"
    assert PRIVATE_NEED["id"] not in anonymous.get(member_feed.removeprefix("http://testserver")).text
    assert {PRIVATE_NEED["id"], NEW_NEED["id"]} <= {
        title.split("(")[1].split(")")[0] for title, _ in entries(anonymous, qst_feed)
    }
    rotated = feed_url(member)
    assert rotated != member_feed
    assert anonymous.get(member_feed.removeprefix("http://testserver")).status_code == 404
    assert len(entries(anonymous, rotated)) == 1
    assert anonymous.get("/feeds/not-a-secret.atom").status_code == 404


def test_a_deactivated_user_has_no_feed(app):
    member = signed_in(app, "member@example.org")
    url = feed_url(member)
    with app.state.engine.begin() as connection:
        from fusionatlas.store import accounts

        user = accounts.authenticate(connection, "member@example.org", PASSWORD)
        accounts.update_user(connection, user.id, active=False, actor=None)
    assert TestClient(app).get(url.removeprefix("http://testserver")).status_code == 404


def test_forms_need_the_csrf_token_and_watches_are_their_owners(app):
    member, qst = signed_in(app, "member@example.org"), signed_in(app, "qst@example.org")
    assert member.post("/watch", data={"kind": "text", "value": "gyrotron"}).status_code == 403
    form(member, "/watch", kind="text", value="gyrotron")
    with app.state.engine.connect() as connection:
        (mine,) = watch.list_watches(connection, 1)
    assert form(qst, f"/watch/{mine.id}/delete").status_code == 404
    assert form(qst, f"/watch/{mine.id}/email", on="false").status_code == 404
    assert form(member, f"/watch/{mine.id}/email", on="false").status_code == 303
    assert "Turn on" in member.get("/watch?lang=en").text
    assert form(member, f"/watch/{mine.id}/delete").status_code == 303
    assert 'id="watches"' not in member.get("/watch").text


def test_the_unsubscribe_link_asks_then_turns_email_off(app):
    member = signed_in(app, "member@example.org")
    form(member, "/watch", kind="text", value="gyrotron")
    with app.state.engine.connect() as connection:
        (mine,) = watch.list_watches(connection, 1)
        signature = watch.unsubscribe_signature(connection, 1, mine.id)
    anonymous = TestClient(app)
    link = f"/watch/unsubscribe?user=1&watch={mine.id}&sig={signature}"
    assert anonymous.get(link.replace("sig=", "sig=x")).status_code == 404
    assert anonymous.get(link.replace("user=1", "user=2")).status_code == 404
    page = anonymous.get(link + "&lang=ja")
    assert page.status_code == 200 and "このウォッチのメールを停止しますか" in page.text
    with app.state.engine.connect() as connection:
        assert watch.get_watch(connection, mine.id).email  # opening the link changes nothing
    done = anonymous.post(link)
    assert done.status_code == 200 and 'id="unsubscribed"' in done.text
    with app.state.engine.connect() as connection:
        assert not watch.get_watch(connection, mine.id).email


def test_an_inbox_link_opens_the_need(app):
    member = signed_in(app, "member@example.org")
    form(member, "/watch", kind="buyer", value="org:qst")
    put(app.state.engine, "needs", NEW_NEED)
    link = re.search(r'<a href="(/needs/[^"]+)">', member.get("/watch").text).group(1)
    page = member.get(link)
    assert page.status_code == 200 and "Gyrotron diamond windows" in page.text


def _visible_text(html: str) -> str:
    """The page's text without its tags and attribute values (option values may stay ids)."""
    return re.sub(r"<[^>]*>", " ", html)


def test_watches_and_inbox_show_names_not_ids(app):
    member = signed_in(app, "member@example.org")
    assert form(member, "/watch", kind="technology", value="tech:hcd").status_code == 303
    assert form(member, "/watch", kind="buyer", value="org:qst").status_code == 303
    put(app.state.engine, "needs", NEW_NEED)
    page = member.get("/watch", params={"lang": "ja"}).text
    text = _visible_text(page)
    assert "tech:" not in text and "org:" not in text and NEW_NEED["id"] not in text
    assert "(tech:" not in page, "the technology list shows names only"
    english = member.get("/watch", params={"lang": "en"}).text
    inbox = _visible_text(english[english.index('id="inbox"') : english.index('id="watches"')])
    assert " New " in inbox and " Need " in inbox and "Technology: Heating" in inbox
    assert " new " not in inbox and " needs " not in inbox


def test_a_blank_search_watch_says_why_in_the_pages_language(app):
    member = signed_in(app, "member@example.org")
    member.get("/watch", params={"lang": "ja"})
    blank = form(member, "/watch", kind="text", value="  ")
    assert (
        blank.status_code == 422
        and "検索する文字を入力してください。" in blank.text
        and "value: empty" not in blank.text
    )


def test_inbox_times_say_their_time_zone(app):
    member = signed_in(app, "member@example.org")
    assert form(member, "/watch", kind="technology", value="tech:hcd").status_code == 303
    put(app.state.engine, "needs", NEW_NEED)
    japanese = member.get("/watch", params={"lang": "ja"}).text
    assert re.search(r"<td>\d{4}年\d{1,2}月\d{1,2}日 \d{1,2}:\d{2}（日本時間）</td>", japanese)
    english = member.get("/watch", params={"lang": "en"}).text
    assert re.search(r"<td>\d{4}-\d{2}-\d{2} \d{2}:\d{2} UTC</td>", english)
