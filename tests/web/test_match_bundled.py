"""Matching, opportunities and search on the bundled atlas, as a visitor sees them: a need's buyer is not its
own supplier, an organization is not offered its own needs, the seeds box orders by score."""

import re

import pytest
from fastapi.testclient import TestClient

from fusionatlas.web.app import create_app


@pytest.fixture
def client(bundled_sqlite_url):
    app = create_app(bundled_sqlite_url)
    with TestClient(app) as client:
        yield client
    app.state.engine.dispose()


def supplier_ids(html: str) -> list[str]:
    table = html[html.index('id="suppliers"') :]
    table = table[: table.index("</table>")]
    return re.findall(r'href="/organizations/(org:[^"]+)"', table)


@pytest.mark.parametrize(
    ("need_id", "buyer"),
    [
        ("need:qst-rokkasho-site-concept-study-2024", "org:qst"),
        ("need:euratom-2027-01-fusion-innovation-actions", "org:european-commission"),
        ("need:ukifs-step-construction-partner", "org:ukifs"),
    ],
)
@pytest.mark.parametrize("lang", ["en", "ja"])
def test_a_need_s_buyer_is_not_proposed_as_its_supplier(client, need_id, buyer, lang):
    page = client.get(f"/needs/{need_id}", params={"lang": lang})
    assert page.status_code == 200
    proposed = supplier_ids(page.text)
    assert proposed and buyer not in proposed


def test_the_match_api_leaves_out_the_organizations_it_is_told_to(client):
    query = "六ヶ所 原型炉 サイト 概念 検討"
    assert "org:qst" in [r["org_id"] for r in client.get("/api/match", params={"q": query}).json()["results"]]
    answer = client.get("/api/match", params=[("q", query), ("exclude", "org:qst")]).json()
    assert answer["results"] and "org:qst" not in [r["org_id"] for r in answer["results"]]


def test_an_organization_is_not_offered_its_own_needs_or_what_it_already_won(client):
    answer = client.get("/api/organizations/org:fujikura/opportunities").json()["results"]
    needs = [o for o in answer if o["kind"] == "need"]
    assert needs  # other REBCO buyers' needs are still there
    assert "need:cfs-rebco-tape-fujikura" not in [o["id"] for o in needs]  # a contract Fujikura won
    assert all(o["buyer_org_id"] != "org:fujikura" for o in needs)
    page = client.get("/organizations/org:fujikura", params={"lang": "ja"}).text
    assert "フジクラからCFSへのREBCO線材の供給" not in page


SEEDS = "当社は超高真空用の金属ベローズと真空バルブを製造しています"


def test_the_seeds_box_orders_by_score_and_keeps_past_needs_apart(client):
    answer = client.get("/api/opportunities", params={"text": SEEDS, "top": 20}).json()["results"]
    groups = [1 if o["kind"] == "need" and o["status"] != "open" else 0 for o in answer]
    assert groups == sorted(groups)  # open needs and technologies, then the demand evidence
    for group in (0, 1):
        scores = [o["score"] for o, g in zip(answer, groups, strict=True) if g == group]
        assert scores == sorted(scores, reverse=True)
    # The one need for valves (an ITER procurement of 2013, older than the recent window) is found: the seeds
    # name its very technology.
    assert "need:iter-pa-us-vacuum-auxiliary-2013" in [o["id"] for o in answer]
    page = client.get("/match", params={"seeds": SEEDS, "lang": "ja"}).text
    evidence = page[page.index('id="seed-evidence"') :]
    assert "ITER調達取決め: 真空補助系の標準機器(米国)" in evidence
    assert "ITER調達取決め" not in page[: page.index('id="seed-evidence"')]


def test_an_adjacent_technology_counts_the_organizations_the_technology_map_counts(client):
    answer = client.get("/api/opportunities", params={"text": SEEDS, "top": 20}).json()["results"]
    cryo = next(o for o in answer if o["id"] == "tech:cryo")
    counts = [w["en"] for w in cryo["why"] if w["kind"] == "evidence"]
    assert counts == ["23 organizations in the atlas have capabilities on it or a narrower technology"]
    assert "23" in client.get("/technologies/tech:cryo", params={"lang": "en"}).text


def shared_words(html: str, label: str) -> list[list[str]]:
    """The words of each "shared words" reason on a page."""
    separator = ", " if label == "Shared words: " else "、"
    return [found.split(separator) for found in re.findall(re.escape(label) + r"([^<]*)</li>", html)]


def test_shared_words_are_the_query_s_own_words_in_the_page_s_language(client):
    query = "We manufacture large remote handling valves and studies for 100 MW plants, パートナー企業"
    page = client.get("/match", params={"q": query, "lang": "en"}).text
    rows = shared_words(page, "Shared words: ")
    assert rows
    words = {w for row in rows for w in row}
    assert words <= set(re.findall(r"[A-Za-z0-9]+", query))  # as written: no stems such as "valv" or "remot"
    assert "100" not in words  # no bare numbers
    assert not re.search(r"[\u3040-\u30ff\u4e00-\u9fff]", " ".join(words))  # no Japanese on an English page
    japanese = client.get(
        "/match", params={"q": "パートナー企業として、エネルギー分野の同位体分離ができる 20", "lang": "ja"}
    )
    rows = shared_words(japanese.text, "共通する語: ")
    assert rows
    words = {w for row in rows for w in row}
    assert not words & {"パートナ", "エネルギ", "同位", "する", "できる", "企業", "20"}, words


def test_a_related_technology_reads_related_to(client):
    page = client.get("/match", params={"q": "中性子照射試験", "lang": "en"}).text
    assert "a technology related to Irradiation testing" in page and "a related technology than" not in page


def test_search_lists_organizations_by_their_matching_capabilities(client):
    page = client.get("/search", params={"q": "tritium", "lang": "ja"}).text
    group = page[page.index('id="group-organizations"') :]
    group = group[: group.index("</section>")]
    assert 'data-id="org:qst"' in group and 'data-id="org:kit"' in group
    assert "該当する技術能力" in group


def test_country_is_a_menu_of_named_countries_and_a_typed_name_is_understood(client):
    page = client.get("/match", params={"lang": "ja"}).text
    assert '<select name="country" id="match-country">' in page and ">JP · 日本</option>" in page
    found = client.get("/match", params={"q": "REBCO線材", "country": "日本", "lang": "ja"})
    assert found.status_code == 200 and '<option value="JP" selected>' in found.text
    answer = client.get("/api/match", params={"q": "REBCO tape", "country": "日本"})
    assert answer.status_code == 200 and {r["country"] for r in answer.json()["results"]} == {"JP"}
    assert client.get("/api/match", params={"q": "REBCO tape", "country": "Japan"}).status_code == 200
    wrong = client.get("/match", params={"q": "REBCO線材", "country": "ZZ", "lang": "ja"})
    assert wrong.status_code == 422 and "国として認識できません" in wrong.text
    assert "is not an ISO 3166-1" not in wrong.text
    gaps = client.get("/gaps", params={"lang": "ja", "country": "日本"})
    assert gaps.status_code == 200 and '<select name="country" id="gap-country">' in gaps.text
    assert '<option value="JP" selected>JP · 日本</option>' in gaps.text
