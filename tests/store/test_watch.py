"""Watches in the store: what matches (search text, technology subtree, buyer), what is news (new or changed
since the watch last looked, never the unchanged), and only what the user's audience may see; both databases."""

from __future__ import annotations

import time
from concurrent.futures import ThreadPoolExecutor

import pytest

from fusionatlas.store import watch
from fusionatlas.store.engine import open_engine
from tests.watch.atlas import MAGNET_CAP, NEW_NEED, PRIVATE_NEED, audience, change_iter_need, fill, put


@pytest.fixture
def atlas(db_url, tmp_path):
    engine = open_engine(db_url)
    users = fill(engine, tmp_path / "package")
    yield engine, users
    engine.dispose()


def add(engine, user, kind, value):
    with engine.begin() as connection:
        return watch.add_watch(connection, user.id, kind, value, audience(user))


def news(engine, user):
    watch.look(engine, user.id, audience(user))
    with engine.connect() as connection:
        return [(m.state, m.record_id) for m in watch.news(connection, user.id)]


def test_what_matched_when_saved_is_not_news_and_new_or_changed_records_are(atlas):
    engine, users = atlas
    member = users["member"]
    add(engine, member, "technology", "tech:hcd")  # the gyrotron below it is part of the subtree
    assert news(engine, member) == []
    change_iter_need(engine)
    put(engine, "needs", NEW_NEED)
    put(engine, "capabilities", MAGNET_CAP)  # another subtree: no news
    found = news(engine, member)
    assert sorted(found) == [("changed", "need:iter-gyrotron"), ("new", "need:qst-gyrotron-windows")]
    # The members-only gyrotron capability matched from the start and has not changed: never news.
    assert "cap:members-only-co.hcd.gyrotron" not in {record for _, record in found}
    assert news(engine, member) == found  # looking again changes nothing
    time.sleep(0.01)
    change_iter_need(engine, "170 GHz gyrotrons for ITER")
    assert news(engine, member)[0] == ("changed", "need:iter-gyrotron")  # newest first


def test_rewriting_a_record_unchanged_is_not_news(atlas):
    engine, users = atlas
    add(engine, users["member"], "buyer", "org:iter-organization")
    change_iter_need(engine, "170 GHz gyrotrons")  # a new data version, the same content
    assert news(engine, users["member"]) == []


def test_a_search_text_watch_finds_across_languages(atlas):
    engine, users = atlas
    add(engine, users["member"], "text", "ジャイロトロン")
    change_iter_need(engine)  # written in English only in title_en; found through the technology's names
    put(engine, "capabilities", MAGNET_CAP)
    assert news(engine, users["member"]) == [("changed", "need:iter-gyrotron")]


def test_a_private_need_is_news_only_for_its_organization(atlas):
    engine, users = atlas
    for name in ("member", "qst"):
        add(engine, users[name], "buyer", "org:qst")
        add(engine, users[name], "text", "gyrotron")
        add(engine, users[name], "technology", "tech:hcd.gyrotron")
    put(engine, "needs", PRIVATE_NEED)
    assert news(engine, users["member"]) == []
    qst = news(engine, users["qst"])
    assert qst and {record for _, record in qst} == {PRIVATE_NEED["id"]}
    assert len(qst) == 3  # one per watch


def test_a_record_that_becomes_hidden_is_forgotten(atlas):
    engine, users = atlas
    add(engine, users["member"], "buyer", "org:qst")
    put(engine, "needs", NEW_NEED)
    assert news(engine, users["member"]) == [("new", NEW_NEED["id"])]
    put(engine, "needs", {**NEW_NEED, "visibility": "private"})
    assert news(engine, users["member"]) == []


@pytest.mark.parametrize(
    ("kind", "value", "message"),
    [
        ("colour", "red", "kind: must be one of"),
        ("text", "  ", "value: empty"),
        ("text", "x" * 201, "value: longer than 200"),
        ("text", "a\x00b", "value: holds a control character"),
        ("technology", "tech:nothing", "value: no technology 'tech:nothing'"),
        ("buyer", "org:nobody", "value: no organization 'org:nobody'"),
    ],
)
def test_a_bad_watch_is_refused_naming_the_field(atlas, kind, value, message):
    engine, users = atlas
    with pytest.raises(watch.WatchError, match=message):
        add(engine, users["member"], kind, value)


def test_unsubscribe_needs_the_right_signature(atlas):
    engine, users = atlas
    member = users["member"]
    watch_id = add(engine, member, "text", "gyrotron")
    with engine.begin() as connection:
        signature = watch.unsubscribe_signature(connection, member.id, watch_id)
        tampered = signature[:-1] + ("1" if signature.endswith("0") else "0")  # always a different signature
        assert not watch.unsubscribe(connection, member.id, watch_id, tampered)
        assert not watch.unsubscribe(connection, users["qst"].id, watch_id, signature)
        assert watch.unsubscribe(connection, member.id, watch_id, signature)
        assert not watch.get_watch(connection, watch_id).email
        assert watch.settings(connection, member.id).email  # only that watch
        everything = watch.unsubscribe_signature(connection, member.id, None)
        assert watch.unsubscribe(connection, member.id, None, everything)
        assert not watch.settings(connection, member.id).email


def test_each_match_links_to_a_page_about_it(atlas):
    engine, users = atlas
    member = users["member"]
    add(engine, member, "technology", "tech:hcd.gyrotron")
    put(engine, "needs", {**NEW_NEED, "id": "need:anonymous-gyrotron", "buyer_org_id": None})
    put(engine, "needs", NEW_NEED)
    put(engine, "capabilities", {**MAGNET_CAP, "id": "cap:fujikura.gyrotron", "technology_id": "tech:hcd.gyrotron"})
    watch.look(engine, member.id, audience(member))
    with engine.connect() as connection:
        links = {m.record_id: m.link for m in watch.news(connection, member.id)}
    assert links == {
        "need:anonymous-gyrotron": "/needs/need:anonymous-gyrotron",
        NEW_NEED["id"]: "/needs/need:qst-gyrotron-windows",
        "cap:fujikura.gyrotron": "/organizations/org:fujikura",
    }


def test_concurrent_looks_count_each_change_once(atlas):
    engine, users = atlas
    member = users["member"]
    for kind, value in (("technology", "tech:hcd"), ("buyer", "org:qst"), ("text", "gyrotron")):
        add(engine, member, kind, value)
    put(engine, "needs", NEW_NEED)
    change_iter_need(engine)
    with ThreadPoolExecutor(6) as pool:
        counts = list(pool.map(lambda _: watch.look(engine, member.id, audience(member)), range(6)))
    with engine.connect() as connection:
        found = [(m.state, m.record_id) for m in watch.news(connection, member.id)]
    # technology: both; buyer: the new need; text "gyrotron": both.
    assert sum(counts) == len(found) == 5
