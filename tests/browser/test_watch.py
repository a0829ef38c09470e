"""Watches in Chromium: log in from the navigation, save a technology watch, see a change arrive in the inbox,
and read the feed at its secret address without the session."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Iterator

import pytest

from fusionatlas.store.engine import open_engine
from tests.browser.conftest import served
from tests.watch.atlas import NEW_NEED, PASSWORD, fill, put


@pytest.fixture(scope="module")
def watch_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, str]]:
    folder = tmp_path_factory.mktemp("watch")
    database = f"sqlite:///{folder / 'atlas.db'}"
    engine = open_engine(database)
    fill(engine, folder / "package")
    engine.dispose()
    with served(database) as url:
        yield url, database


@pytest.mark.browser
def test_a_saved_watch_shows_a_new_need_in_the_inbox_and_the_feed(page, watch_server):
    server, database = watch_server
    page.goto(f"{server}/login?lang=en")
    page.fill("input[name=email]", "member@example.org")
    page.fill("input[name=password]", PASSWORD)
    page.click("#login-form button[type=submit]")
    page.wait_for_url(f"{server}/account")
    page.click("nav >> text=Watches")
    page.wait_for_url(f"{server}/watch")
    assert page.locator("#inbox-empty").count() == 1
    page.select_option("#watch-technology select[name=value]", "tech:hcd")
    page.click("#watch-technology button[type=submit]")
    page.wait_for_url(f"{server}/watch")
    assert "Technology: Heating and current drive" in page.inner_text("#watches"), "its name, not its id"

    engine = open_engine(database)
    put(engine, "needs", NEW_NEED)
    engine.dispose()
    page.reload()
    assert "Gyrotron diamond windows" in page.inner_text("#inbox")

    page.click("#feed-form button[type=submit]")
    address = page.inner_text("#feed-url code")
    stranger = page.context.browser.new_context()  # no session: the address alone opens the feed
    try:
        feed = stranger.request.get(address)
        assert feed.status == 200
        titles = [e.text for e in ET.fromstring(feed.body()).iter("{http://www.w3.org/2005/Atom}title")]
    finally:
        stranger.close()
    assert any(NEW_NEED["id"] in (title or "") for title in titles)
    page.goto(f"{server}/watch?lang=ja")
    assert "ジャイロトロン用ダイヤモンド窓" in page.inner_text("#inbox")
    assert page.problems == []
