"""Whole-atlas results kept per data version: recomputed after any write through FusionAtlas (web or CLI),
once for concurrent requests, and in the background once older than MAX_AGE_SECONDS."""

import threading
import time

import pytest
from fastapi.testclient import TestClient

from fusionatlas.dataset.imports import import_file
from fusionatlas.dataset.package import load_package
from fusionatlas.domain.audience import ALL_LEVEL, MEMBERS_LEVEL, Audience
from fusionatlas.store.engine import open_engine
from fusionatlas.store.migrate import upgrade
from fusionatlas.web import cache
from fusionatlas.web.app import create_app
from fusionatlas.web.cache import StateCache
from tests.fixtures import ORGANIZATIONS

NEW_ORG = (
    ORGANIZATIONS.splitlines()[0]
    + "\norg:newco,Brand New Fusion Co,新規核融合,startup,JP,Kyoto,,2024,,New.,新規。,public,,true\n"
)


@pytest.fixture
def store(sqlite_engine, package):
    load_package(sqlite_engine, package)
    return sqlite_engine


def test_a_cli_write_shows_on_the_next_request_of_every_page(store, tmp_path):
    app = create_app(str(store.url))
    with TestClient(app) as client:
        assert "Brand New Fusion Co" not in client.get("/organizations?lang=en").text
        figures = client.get("/?lang=en").text
        # The CLI writes through an engine of its own, as another process would.
        cli = open_engine(str(store.url), pooled=False)
        (tmp_path / "orgs.csv").write_text(NEW_ORG, encoding="utf-8")
        import_file(cli, tmp_path / "orgs.csv", "organizations")
        assert "Brand New Fusion Co" in client.get("/organizations?lang=en").text
        assert client.get("/?lang=en").text != figures  # one organization more
        assert "Brand New Fusion Co" in client.get("/organizations/org:newco?lang=en").text
    app.state.engine.dispose()


def test_one_result_per_version(store, package):
    calls = []
    results = StateCache(8)

    def compute(connection):
        calls.append(1)
        return len(calls)

    with store.connect() as connection:
        assert results.get(connection, "k", compute) == 1
        assert results.get(connection, "k", compute) == 1
        assert results.get(connection, "other", compute) == 2
    load_package(store, package)  # a write: a new version
    with store.connect() as connection:
        assert results.get(connection, "k", compute) == 3


def test_concurrent_requests_compute_a_missing_result_once(store):
    calls, results = [], StateCache(8)

    def slow(connection):
        calls.append(1)
        time.sleep(0.2)
        return "done"

    def ask(found):
        with store.connect() as connection:
            found.append(results.get(connection, "k", slow))

    found: list[str] = []
    threads = [threading.Thread(target=ask, args=(found,)) for _ in range(5)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert found == ["done"] * 5 and len(calls) == 1


def test_an_old_result_is_served_while_it_is_refreshed_in_the_background(store, monkeypatch):
    results, calls = StateCache(8), []
    refreshed = threading.Event()

    def compute(connection):
        calls.append(1)
        if len(calls) > 1:
            refreshed.set()
        return len(calls)

    with store.connect() as connection:
        assert results.get(connection, "k", compute) == 1
        monkeypatch.setattr(cache, "MAX_AGE_SECONDS", 0.0)
        assert results.get(connection, "k", compute) == 1  # the old value, at once
        assert refreshed.wait(5)
        monkeypatch.setattr(cache, "MAX_AGE_SECONDS", 300.0)
        for _ in range(50):  # the refresh stores its result just after computing it
            if results.get(connection, "k", compute) == 2:
                break
            time.sleep(0.02)
        assert results.get(connection, "k", compute) == 2
    assert len(calls) == 2


def test_viewers_with_the_same_sight_share_results():
    one = Audience(level=MEMBERS_LEVEL, user_id=1, role="member")
    other = Audience(level=MEMBERS_LEVEL, user_id=2, role="member")
    assert one.sight == other.sight
    assert Audience(level=MEMBERS_LEVEL, org_id="org:qst").sight != one.sight
    assert Audience(level=ALL_LEVEL).sight != one.sight


def test_the_store_needs_no_version_row_to_be_read(tmp_path):
    engine = open_engine(f"sqlite:///{tmp_path / 'empty.db'}")
    upgrade(engine)
    results = StateCache(2)
    with engine.connect() as connection:
        assert results.get(connection, "k", lambda c: "value") == "value"
    engine.dispose()
