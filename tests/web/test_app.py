"""The minimal web app: a bilingual home page, search and the JSON API, public records only."""

import pytest
from fastapi.testclient import TestClient

from fusionatlas.dataset.package import load_package
from fusionatlas.web.app import create_app
from tests.fixtures import ORGANIZATIONS, write_package


@pytest.fixture
def client(loaded_db_url):
    app = create_app(loaded_db_url)  # the fixture package, loaded once per run (tests/conftest.py)
    with TestClient(app) as client:
        yield client
    app.state.engine.dispose()


def test_home_in_both_languages(client):
    english = client.get("/?lang=en")
    assert english.status_code == 200 and "industrialisation of fusion energy" in english.text
    client.cookies.clear()
    japanese = client.get("/", headers={"accept-language": "ja,en;q=0.5"})
    assert 'lang="ja"' in japanese.text and "フュージョンエネルギーの産業化" in japanese.text


def test_language_choice_is_remembered(client):
    client.get("/?lang=ja")
    assert 'lang="ja"' in client.get("/").text


def test_search_page_and_api_find_across_languages(client):
    page = client.get("/", params={"q": "ジャイロトロン", "lang": "en"})
    assert "Gyrotron" in page.text
    api = client.get("/api/search", params={"q": "gyrotron"}).json()
    assert api["results"][0]["id"] == "tech:hcd.gyrotron"


def test_the_public_never_sees_members_records(client):
    api = client.get("/api/search", params={"q": "members only"}).json()
    assert api["results"] == []
    assert "Members Only" not in client.get("/", params={"q": "members only"}).text


def test_bad_parameters_get_422_not_500(client):
    assert client.get("/api/search").status_code == 422
    assert client.get("/api/search", params={"q": "x" * 2000}).status_code == 422
    assert client.get("/api/search", params={"q": "x", "top": "many"}).status_code == 422


def test_stats_api_counts_only_what_the_caller_may_see(client):
    # The fixture atlas has four organizations, one of them members-only: the public counts three.
    assert client.get("/api/stats").json()["counts"]["organizations"] == 3


def test_match_api_has_the_cli_shape_and_hides_members(client):
    data = client.get("/api/match", params={"q": "高温超伝導線材"}).json()
    assert data["language"] == "ja"
    assert data["results"][0]["org_id"] == "org:fujikura"
    assert set(data["results"][0]) == {
        "org_id",
        "name_en",
        "name_ja",
        "country",
        "kind",
        "score",
        "technologies",
        "why",
    }
    hidden = client.get("/api/match", params={"q": "gyrotron parts"}).json()
    assert "org:members-only-co" not in [r["org_id"] for r in hidden["results"]]


def test_match_api_bad_input(client):
    assert client.get("/api/match", params={"q": "REBCO", "country": "UK"}).status_code == 422
    assert client.get("/api/match", params={"q": ""}).status_code == 422
    assert client.get("/api/match", params={"q": "!!!"}).json()["note"]


def test_opportunities_api(client):
    data = client.get("/api/organizations/org:fujikura/opportunities").json()
    assert data["org_id"] == "org:fujikura" and data["results"]
    assert client.get("/api/organizations/org:members-only-co/opportunities").status_code == 404
    assert client.get("/api/organizations/org:nobody/opportunities").status_code == 404


def test_unknown_pages_get_a_404_page_in_the_visitors_language(client):
    page = client.get("/no/such/page", params={"lang": "ja"})
    assert page.status_code == 404 and "該当するページまたはレコードはありません" in page.text
    assert client.get("/api/nothing").json() == {"detail": "Not Found"}


def test_malformed_page_parameters_get_a_readable_422_page(client):
    page = client.get("/gaps", params={"top": "many", "lang": "en"})
    assert page.status_code == 422 and "text/html" in page.headers["content-type"]
    assert "Some values in the request are not valid" in page.text and "top" in page.text
    assert client.get("/api/match", params={"q": "x", "top": "many"}).json()["detail"][0]["loc"] == ["query", "top"]


def test_home_figures_count_only_what_the_visitor_may_see(client):
    page = client.get("/", params={"lang": "en"})
    assert 'id="pillars"' in page.text
    organizations = page.text.split("<th>Organizations</th>")[1].split("</td>")[0]
    assert organizations.endswith(">3</a>"), "the members-only organization is not counted for the public"


def test_openapi_is_served_without_cdn_pages(client):
    assert "/api/match" in client.get("/openapi.json").json()["paths"]
    assert client.get("/docs").status_code == 404


def test_opportunities_api_takes_free_text_seeds(client):
    data = client.get("/api/opportunities", params={"text": "高温超伝導線材を製造しています"}).json()
    assert data["text"] == "高温超伝導線材を製造しています" and data["results"]
    first = data["results"][0]
    assert {"kind", "id", "name_en", "name_ja", "score", "why", "status", "buyer_org_id", "deadline"} <= set(first)
    assert client.get("/api/opportunities", params={"text": ""}).status_code == 422


def test_home_figures_link_to_their_lists_and_count_the_eu_apart(sqlite_engine, tmp_path):
    """The figures were plain numbers, and "in 38 countries" counted the EU as a country."""
    f4e = (
        "org:f4e,Fusion for Energy,フュージョン・フォー・エナジー,international,EU,Barcelona,https://f4e.europa.eu,"
        "2007,,Europe's ITER agency.,欧州のITER国内機関。,public,src:qst-jt60sa,false\n"
    )
    load_package(sqlite_engine, write_package(tmp_path / "eu", organizations_csv=ORGANIZATIONS + f4e))
    app = create_app(str(sqlite_engine.url))
    with TestClient(app) as client:
        english = client.get("/", params={"lang": "en"}).text
        japanese = client.get("/", params={"lang": "ja"}).text
    app.state.engine.dispose()
    counts = english[english.index('id="counts"') : english.index("</table>")]
    # JP and FR are countries; the EU organization is counted, but not as a country.
    assert "in 2 countries and the EU" in counts and "2か国とEU" in japanese
    assert '<a href="/organizations">4</a>' in counts and '<a href="/organizations?country=JP">2</a>' in counts
    for link in ("/technologies", "/landscape/facilities", "/landscape/programmes", "/landscape/timeline"):
        assert f'<a href="{link}">' in counts, link


def test_a_404_says_the_page_is_not_found(client):
    """A 404 was headed "Something is wrong with the request"."""
    for lang, heading in (("en", "Page not found"), ("ja", "ページが見つかりません")):
        page = client.get("/no-such-page", params={"lang": lang})
        assert page.status_code == 404 and f"<h1>{heading}</h1>" in page.text
    bad = client.get("/organizations", params={"country": "XX", "lang": "en"})
    assert bad.status_code == 422 and "<h1>Something is wrong with the request</h1>" in bad.text


def test_the_menu_names_the_events_page_as_the_page_does(client):
    """The menu said イベント while the page is headed 商談会."""
    page = client.get("/events", params={"lang": "ja"}).text
    assert '<a href="/events"' in page and "<h1>商談会</h1>" in page
    menu = page[page.index("<nav") : page.index("</nav>")]
    assert "商談会" in menu and "イベント" not in menu
