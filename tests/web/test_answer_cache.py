"""Anonymous /api/search answers replayed per data version (web/answer_cache.py): the same answer as the
endpoint's, the app's checks for every refusal, and signed-in or token callers always through the app."""

import pytest
from fastapi.testclient import TestClient

from fusionatlas.dataset.imports import import_file
from fusionatlas.dataset.package import load_package
from fusionatlas.store.engine import open_engine
from fusionatlas.web.app import create_app
from fusionatlas.web.pages import search as search_pages
from tests.fixtures import ORGANIZATIONS

NEW_ORG = (
    ORGANIZATIONS.splitlines()[0]
    + "\norg:newco,Brand New Gyrotron Co,新規ジャイロトロン,startup,JP,Kyoto,,2024,,Gyrotrons.,新規。,public,,true\n"
)


@pytest.fixture
def counted(sqlite_engine, package, monkeypatch):
    """A client on the fixture atlas and the number of times the endpoint reached the search index."""
    load_package(sqlite_engine, package)
    calls: list[int] = []
    real = search_pages.search_index

    def counting(connection, who):
        calls.append(1)
        return real(connection, who)

    monkeypatch.setattr(search_pages, "search_index", counting)
    app = create_app(str(sqlite_engine.url))
    with TestClient(app) as client:
        yield client, calls
    app.state.engine.dispose()


def test_an_anonymous_answer_is_replayed_until_the_data_changes(counted, tmp_path, sqlite_engine):
    client, calls = counted
    first = client.get("/api/search", params={"q": "gyrotron"})
    again = client.get("/api/search", params={"q": "gyrotron"})
    assert first.status_code == again.status_code == 200 and first.content == again.content
    assert len(calls) == 1
    # The replay carries the security headers once, as the endpoint's answer does.
    assert again.headers["x-content-type-options"] == "nosniff"
    assert again.headers.get_list("x-frame-options") == ["DENY"]
    assert again.headers["content-type"] == "application/json"
    # A write through FusionAtlas (the CLI's import, another engine) changes the data version: answered anew.
    (tmp_path / "orgs.csv").write_text(NEW_ORG, encoding="utf-8")
    import_file(open_engine(str(sqlite_engine.url), pooled=False), tmp_path / "orgs.csv", "organizations")
    fresh = client.get("/api/search", params={"q": "gyrotron"})
    assert len(calls) == 2 and "Brand New Gyrotron Co" in fresh.text


def test_refusals_and_callers_with_credentials_always_reach_the_app(counted):
    client, calls = counted
    for _ in range(2):
        assert client.get("/api/search", params={"q": "x" * 1001}).status_code == 422
        assert client.get("/api/search", params={"q": "gyrotron", "top": 0}).status_code == 422
    client.get("/api/search", params={"q": "gyrotron"})
    # An unknown token is refused by the app (never answered from the cache); a cookie goes to the endpoint.
    token = client.get("/api/search", params={"q": "gyrotron"}, headers={"Authorization": "Bearer nonsense"})
    assert token.status_code == 401
    client.get("/api/search", params={"q": "gyrotron"}, headers={"Cookie": "fa_session=nonsense"})
    client.get("/api/search", params={"q": "gyrotron", "top": 3})
    # One call for the first anonymous answer, one for the request with a cookie, one for another query.
    assert len(calls) == 3
