"""The search page, suggestions and /api/search on both databases, in both languages."""

import re

import pytest
from fastapi.testclient import TestClient

from fusionatlas.web.app import create_app


@pytest.fixture
def client(loaded_db_url):
    app = create_app(loaded_db_url)
    with TestClient(app) as client:
        yield client
    app.state.engine.dispose()


def test_results_link_to_their_records_with_names_in_the_page_language(client):
    japanese = client.get("/search", params={"q": "REBCO", "lang": "ja"})
    assert japanese.status_code == 200
    assert '<a href="/organizations/org:fujikura">フジクラ</a>' in japanese.text
    assert 'id="group-organizations"' in japanese.text
    english = client.get("/search", params={"q": "REBCO", "lang": "en"})
    assert '<a href="/organizations/org:fujikura">Fujikura</a>' in english.text


def test_groups_come_in_order_organizations_first(client):
    text = client.get("/search", params={"q": "REBCO", "lang": "en"}).text
    groups = re.findall(r'id="group-([a-z]+)"', text)
    assert groups[0] == "organizations" and len(groups) == len(set(groups)) > 1


def test_filters(client):
    text = client.get("/search", params={"q": "REBCO", "kind": "technologies", "lang": "en"}).text
    assert re.findall(r'id="group-([a-z]+)"', text) == ["technologies"]
    assert 'value="technologies" checked' in text
    assert client.get("/search", params={"q": "REBCO", "kind": "nonsense"}).status_code == 422
    assert client.get("/search", params={"q": "REBCO", "country": "XX"}).status_code == 422


def test_found_by_reading_on_the_home_page_too(client):
    assert "/organizations/org:fujikura" in client.get("/", params={"q": "ふじくら"}).text


def test_suggestions_api(client):
    reply = client.get("/api/suggest", params={"q": "ふじ"}, headers={"accept-language": "ja"})
    suggestions = reply.json()["suggestions"]
    assert suggestions[0] == {
        "kind": "organizations",
        "id": "org:fujikura",
        "name": "フジクラ",
        "reading": "フジクラ",
        "url": "/organizations/org:fujikura",
    }
    assert client.get("/api/suggest").status_code == 422
    assert client.get("/api/suggest", params={"q": "x", "top": 99}).status_code == 422


def test_api_search_gives_each_record_its_url(client):
    results = client.get("/api/search", params={"q": "fujikura"}).json()["results"]
    assert results[0]["table"] == "organizations" and results[0]["url"] == "/organizations/org:fujikura"


def test_the_public_never_sees_members_records_in_suggestions(client):
    assert client.get("/api/suggest", params={"q": "members"}).json()["suggestions"] == []


def test_bad_filters_are_explained_in_the_page_language(client):
    japanese = client.get("/search", params={"q": "REBCO", "country": "UK", "lang": "ja"})
    assert japanese.status_code == 422 and "2文字の国コードではありません(GB を使ってください)" in japanese.text
    kind = client.get("/search", params={"q": "REBCO", "kind": "nonsense", "lang": "ja"})
    assert "不明な種類です" in kind.text
    english = client.get("/search", params={"q": "REBCO", "country": "UK", "lang": "en"})
    assert "is not an ISO 3166-1 alpha-2 country code (use GB)" in english.text
