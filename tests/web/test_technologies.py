"""Technology map pages: sunburst and tree with rolled-up counts, node pages, exports, visibility, bad input."""

import csv
import io
import math
import re
from xml.etree import ElementTree

import pytest
from fastapi import Request
from fastapi.testclient import TestClient
from openpyxl import load_workbook

from fusionatlas.analysis.atlas import read_atlas
from fusionatlas.analysis.gaps import analyse
from fusionatlas.dataset.package import load_package
from fusionatlas.domain.audience import MEMBERS_LEVEL, PUBLIC, Audience
from fusionatlas.web.app import create_app
from fusionatlas.web.charts import sunburst
from fusionatlas.web.charts.sunburst import colour
from fusionatlas.web.navigation import NAV
from tests.fixtures import CAPABILITIES, write_package

MEMBERS_ONLY = ("Members Only", "会員限定", "Gyrotron parts", "ジャイロトロン部品", "org:members-only-co")
QST_MAGNET = (
    "cap:qst.magnet,org:qst,tech:magnet,Superconducting coils for JT-60SA,JT-60SAの超伝導コイル,"
    "Built and tested the JT-60SA coils.,JT-60SAのコイルを製作・試験。,,,,,public,src:qst-jt60sa,false\n"
)


def _client(engine, package, who: Audience | None = None) -> TestClient:
    load_package(engine, package)
    app = create_app(str(engine.url))
    if who is not None:

        @app.middleware("http")
        async def as_viewer(request: Request, call_next):  # what the login session would set
            request.state.viewer = who
            return await call_next(request)

    return TestClient(app)


@pytest.fixture
def client(sqlite_engine, package):
    with _client(sqlite_engine, package) as client:
        yield client
        client.app.state.engine.dispose()


@pytest.fixture
def member(sqlite_engine, package):
    with _client(sqlite_engine, package, Audience(level=MEMBERS_LEVEL, user_id=1, role="member")) as client:
        yield client
        client.app.state.engine.dispose()


@pytest.fixture
def two_suppliers(sqlite_engine, tmp_path):
    package = write_package(tmp_path / "two", capabilities_csv=CAPABILITIES + QST_MAGNET)
    with _client(sqlite_engine, package) as client:
        yield client
        client.app.state.engine.dispose()


def tree_count(html: str, tech_id: str) -> int:
    """The rolled-up organization count printed after a node's name in the tree list."""
    found = re.search(rf'data-id="{re.escape(tech_id)}">[^<]*</a>\s*<span class="count">(\d+) ', html)
    assert found, f"{tech_id} is not in the tree"
    return int(found.group(1))


def segment_fill(html: str, tech_id: str) -> str:
    found = re.search(rf'class="segment" data-id="{re.escape(tech_id)}">.*?<path d="[^"]+" fill="(#[0-9a-f]+)"', html)
    assert found, f"{tech_id} has no sunburst segment"
    return found.group(1)


def csv_rows(client, **params) -> dict[str, dict[str, str]]:
    response = client.get("/technologies.csv", params=params)
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/csv")
    return {row["id"]: row for row in csv.DictReader(io.StringIO(response.content.decode("utf-8-sig")))}


def test_navigation_lists_the_map_after_home():
    assert NAV[0][0] == "/" and NAV[1] == ("/technologies", "Technology map")


def test_map_page_in_both_languages(client):
    english = client.get("/technologies", params={"lang": "en"})
    assert english.status_code == 200
    assert 'id="sunburst"' in english.text and 'id="tech-tree"' in english.text
    assert "Superconducting magnets" in english.text and "Technology map" in english.text
    assert "4 technologies in 2 levels." in english.text
    for tech_id in ("tech:magnet", "tech:magnet.hts", "tech:hcd", "tech:hcd.gyrotron"):
        assert f'href="/technologies/{tech_id}"' in english.text
    assert english.text.count("<details>") == 2  # the two nodes with children
    japanese = client.get("/technologies", params={"lang": "ja"})
    assert '<html lang="ja">' in japanese.text
    assert "技術マップ" in japanese.text and "超伝導マグネット" in japanese.text and "ジャイロトロン" in japanese.text
    assert "全4技術・2階層。" in japanese.text


def test_counts_roll_up_the_tree(client):
    page = client.get("/technologies", params={"lang": "en"}).text
    # Fujikura's capability is on the HTS node: it counts there and for its parent.
    assert tree_count(page, "tech:magnet.hts") == 1 and tree_count(page, "tech:magnet") == 1
    assert tree_count(page, "tech:hcd.gyrotron") == 0 and tree_count(page, "tech:hcd") == 0
    assert segment_fill(page, "tech:magnet") == colour(1) and segment_fill(page, "tech:hcd") == colour(0)
    rows = csv_rows(client)
    assert rows["tech:magnet"]["organizations"] == "1" and rows["tech:magnet"]["organizations_direct"] == "0"
    assert rows["tech:hcd"]["open_needs"] == "1" and rows["tech:hcd.gyrotron"]["open_needs"] == "1"


def test_counts_for_one_country(client):
    japan = client.get("/technologies", params={"country": "jp", "lang": "en"}).text
    assert tree_count(japan, "tech:magnet") == 1 and 'id="country-note"' in japan and "Japan (JP)" in japan
    assert 'href="/technologies.csv?country=JP"' in japan and '<option value="JP" selected>' in japan
    france = client.get("/technologies", params={"country": "FR", "lang": "en"}).text
    assert tree_count(france, "tech:magnet") == 0 and segment_fill(france, "tech:magnet") == colour(0)
    assert csv_rows(client, country="FR")["tech:magnet"]["organizations"] == "0"
    assert csv_rows(client, country="JP")["tech:magnet.hts"]["organizations"] == "1"
    svg = client.get("/technologies.svg", params={"country": "JP"})
    assert 'filename="technologies-JP.svg"' in svg.headers["content-disposition"]
    everywhere = client.get("/technologies", params={"country": "", "lang": "en"}).text
    assert 'id="country-note"' not in everywhere and "all countries (1)" in everywhere


@pytest.mark.parametrize("path", ["/technologies", "/technologies.svg", "/technologies.csv", "/technologies.xlsx"])
@pytest.mark.parametrize("country", ["UK", "JPN", "J1", "XX"])
def test_bad_country_is_a_422(client, path, country):
    response = client.get(path, params={"country": country, "lang": "en"})
    assert response.status_code == 422
    if country == "UK":
        assert "use GB" in response.text


def test_two_suppliers_on_different_levels(two_suppliers):
    rows = csv_rows(two_suppliers)
    assert rows["tech:magnet"]["organizations"] == "2" and rows["tech:magnet"]["organizations_direct"] == "1"
    assert rows["tech:magnet.hts"]["organizations"] == "1"
    page = two_suppliers.get("/technologies/tech:magnet", params={"lang": "en"}).text
    assert "Organizations able to supply it (2)" in page and "Japan (JP) <b>2</b>" in page
    # One per page, ordered by name: Fujikura, then QST.
    first = two_suppliers.get("/technologies/tech:magnet", params={"size": 1, "lang": "en"}).text
    second = two_suppliers.get("/technologies/tech:magnet", params={"size": 1, "page": 2, "lang": "en"}).text
    assert "Fujikura" in first and "National Institutes for Quantum" not in first and 'rel="next"' in first
    assert "National Institutes for Quantum" in second and "Built and tested the JT-60SA coils." in second
    assert 'rel="prev"' in second
    # The shared pager (web/pagination.py): the next page keeps the size, the last has no next.
    assert '<a href="?page=2&amp;size=1" rel="next">' in first and "Page 1 / 2:" in first
    assert '<a href="?page=1&amp;size=1" rel="prev">' in second and 'rel="next"' not in second


def test_members_only_capabilities_never_reach_anonymous_visitors(client):
    pages = [client.get("/technologies", params={"lang": lang}) for lang in ("en", "ja")] + [
        client.get(f"/technologies/{tech_id}", params={"lang": lang})
        for tech_id in ("tech:hcd", "tech:hcd.gyrotron")
        for lang in ("en", "ja")
    ]
    for export in ("/technologies.svg", "/technologies.csv", "/technologies.xlsx"):
        pages.append(client.get(export))
    for response in pages:
        assert response.status_code == 200
        for secret in MEMBERS_ONLY:
            assert secret not in response.text, (response.url, secret)
    gyrotron = client.get("/technologies/tech:hcd.gyrotron", params={"lang": "en"}).text
    assert "Organizations able to supply it (0)" in gyrotron and 'id="no-suppliers"' in gyrotron
    assert csv_rows(client)["tech:hcd.gyrotron"]["organizations"] == "0"


def test_members_see_members_only_capabilities(member):
    page = member.get("/technologies/tech:hcd.gyrotron", params={"lang": "en"}).text
    assert "Members Only Co" in page and "Gyrotron parts" in page
    assert tree_count(member.get("/technologies").text, "tech:hcd") == 1
    assert csv_rows(member)["tech:hcd"]["organizations"] == "1"
    # The gap status stays the public analysis whoever looks.
    assert "No organization in the atlas can supply it." in page


def test_technology_page_in_english(client, sqlite_engine):
    response = client.get("/technologies/tech:magnet.hts", params={"lang": "en"})
    assert response.status_code == 200
    page = response.text
    assert "<h1>HTS REBCO tape <small" in page and "高温超伝導線材" in page
    assert "REBCO, HTS tape, coated conductor" in page and "REBCO線材、希土類系線材" in page
    # Readiness: the fixture's one assessment, used by the gap analysis, on the chart and in the table.
    assert "TRL 5 (DEMO, 2024-06)" in page.replace("demo", "DEMO")
    section = page[page.index('id="readiness-section"') :]
    assert 'data-id="rdy:fixture.magnet.hts"' in section and 'class="used"' in section
    assert "Fixture review panel" in section and "Fixture assessment of HTS magnets" in section
    assert 'id="readiness-chart"' in section and 'class="assessment"' in section
    # A plant-class target (ARC) is set: the chart draws the TRL a DEMO needs.
    assert 'class="required"' in section and "TRL required for DEMO (6)" in section
    # The target, its unit and plant, and its source linked to the source's address.
    targets = page[page.index('id="targets"') :]
    assert "critical current at 20 T and 20 K" in targets and ">500<" in targets and ">A<" in targets
    assert ">ARC<" in targets
    assert (
        '<a href="https://www.fujikura.co.jp/en/products/newbusiness/superconductors/" rel="noopener">'
        "Fujikura high-temperature superconductor products</a>"
    ) in targets
    # Breadcrumbs to the parent; the supplier grouped under its country with its evidence line.
    assert '<a href="/technologies">Technology map</a>' in page and 'href="/technologies/tech:magnet"' in page
    assert "<h3>Japan (JP)</h3>" in page and "Sells REBCO coated-conductor tape." in page
    assert 'href="/organizations/org:fujikura"' in page
    # The gap status for Japan is the public analysis.
    with sqlite_engine.connect() as connection:
        report = analyse(read_atlas(connection, PUBLIC), "JP")
    rank = next(i for i, g in enumerate(report.technologies, 1) if g.technology_id == "tech:magnet.hts")
    gap = report.technologies[rank - 1]
    gap_part = page[page.index('id="gap"') :]
    assert f"<b>{gap.score:.3f}</b>" in gap_part and f"<b>{rank}</b> / 4" in gap_part
    assert gap.reasons and gap.reasons[0].en.replace("'", "&#39;") in gap_part
    assert 'href="/gaps/technology/tech:magnet.hts?country=JP"' in gap_part


def test_technology_page_in_japanese(client):
    page = client.get("/technologies/tech:magnet.hts", params={"lang": "ja"}).text
    assert "<h1>高温超伝導線材 <small" in page and "HTS REBCO tape" in page
    assert "REBCO線材を販売。" in page and "<h3>日本 (JP)</h3>" in page and "フジクラ" in page
    assert "日本にとってのギャップ" in page and "定量目標" in page


def test_parent_page_shows_children_and_supply_from_below(client):
    page = client.get("/technologies/tech:magnet", params={"lang": "en"}).text
    assert 'id="children"' in page and 'href="/technologies/tech:magnet.hts"' in page
    assert 'id="sunburst"' in page and 'class="segment" data-id="tech:magnet.hts"' in page
    assert "Fujikura" in page and "Organizations able to supply it (1)" in page
    assert "No readiness assessment recorded yet" in page


def test_open_needs_on_the_node_or_below(client):
    page = client.get("/technologies/tech:hcd", params={"lang": "en"}).text
    needs = page[page.index('id="needs"') :]
    assert "170 GHz gyrotrons" in needs and "ITER Organization" in needs and "JP, FR" in needs
    assert 'href="/needs/need:iter-gyrotron"' in needs  # each need links to its page
    japanese = client.get("/technologies/tech:hcd", params={"lang": "ja"}).text
    assert "170 GHzジャイロトロン" in japanese and "ITER機構" in japanese


def test_exports(client):
    rows = csv_rows(client)
    assert list(rows) == ["tech:hcd", "tech:hcd.gyrotron", "tech:magnet", "tech:magnet.hts"]  # depth-first
    hts = rows["tech:magnet.hts"]
    assert hts["parent"] == "tech:magnet" and hts["depth"] == "2" and hts["name_ja"] == "高温超伝導線材"
    assert hts["synonyms_en"] == "REBCO;HTS tape;coated conductor" and "trl" not in hts
    assert "critical current at 20 T and 20 K = 500 A (ARC)" in hts["targets"]
    workbook = load_workbook(io.BytesIO(client.get("/technologies.xlsx").content))
    assert workbook.sheetnames == ["About", "technologies", "targets"] and workbook.active.title == "technologies"
    sheet = list(workbook["technologies"].values)
    assert sheet[0][0] == "ID" and len(sheet) == 5
    assert list(workbook["targets"].values)[1][:4] == ("tech:magnet.hts", "critical current at 20 T and 20 K", 500, "A")
    svg = client.get("/technologies.svg", params={"lang": "ja"})
    assert svg.headers["content-type"].startswith("image/svg+xml")
    assert "attachment" in svg.headers["content-disposition"]
    assert svg.text.startswith('<svg xmlns="http://www.w3.org/2000/svg"') and "超伝導マグネット" in svg.text
    assert 'href="http://testserver/technologies/tech:magnet.hts"' in svg.text
    assert ElementTree.fromstring(svg.content).tag == "{http://www.w3.org/2000/svg}svg"  # well-formed XML
    subtree = client.get("/technologies.svg", params={"root": "tech:magnet"}).text
    assert 'data-id="tech:magnet.hts"' in subtree and 'data-id="tech:hcd"' not in subtree


def test_unknown_technology_is_a_404_page(client):
    english = client.get("/technologies/tech:nowhere", params={"lang": "en"})
    assert english.status_code == 404 and "No such page or record." in english.text
    japanese = client.get("/technologies/tech:nowhere", params={"lang": "ja"})
    assert japanese.status_code == 404 and '<html lang="ja">' in japanese.text
    assert client.get("/technologies.svg", params={"root": "tech:nowhere"}).status_code == 404


@pytest.mark.parametrize(
    "params", [{"page": "0"}, {"page": "two"}, {"size": "0"}, {"size": "1000"}, {"page": "-3", "size": "10"}]
)
def test_malformed_paging_is_a_422(client, params):
    response = client.get("/technologies/tech:magnet", params=params)
    assert response.status_code == 422
    assert "page" in response.text or "size" in response.text


def test_page_past_the_end_is_empty_not_an_error(client):
    response = client.get("/technologies/tech:magnet", params={"page": 9, "lang": "en"})
    assert response.status_code == 200 and 'class="suppliers"' not in response.text


def _tree(children: dict[str, list[str]]) -> sunburst.Tree:
    return sunburst.Tree(
        children=lambda node: children.get(node, []),
        label=lambda node: node,
        count=lambda node: 0,
        href=lambda node: f"/technologies/{node}",
    )


def test_sunburst_gives_every_leaf_the_same_angle():
    tree = _tree({"a": ["a1", "a2", "a3"], "b": ["b1"]})
    segments = {s.node_id: s for s in sunburst.layout(tree, ["a", "b"])}
    assert segments["a"].start == 0 and math.isclose(segments["b"].end, 2 * math.pi)
    assert math.isclose(segments["a"].end - segments["a"].start, 3 * math.pi / 2)
    assert math.isclose(segments["a2"].end - segments["a2"].start, segments["b1"].end - segments["b1"].start)
    assert segments["a1"].depth == 2 and segments["b"].depth == 1


def test_sunburst_draws_a_single_child_as_a_full_ring():
    svg = sunburst.draw(_tree({}), ["only"], sunburst.Centre("root", "/up", "up"), "legend", "none", "orgs")
    assert svg.count('class="segment"') == 1 and 'href="/up"' in svg
    assert not re.search(r"\bnan\b", svg, re.IGNORECASE)  # no broken coordinates


def test_labels_shorten_to_fit_and_colours_follow_the_bins():
    assert sunburst.fit("Superconducting magnets", 1000) == "Superconducting magnets"
    short = sunburst.fit("Superconducting magnets", 60)
    assert short.endswith("…") and sunburst.text_width(short) <= 60
    assert sunburst.fit("超伝導マグネット", 5) == ""
    assert sunburst.colour(0) != sunburst.colour(1) == sunburst.colour(1) != sunburst.colour(40)
    assert [text for text, _ in sunburst.bin_labels()] == ["0", "1", "2–3", "4–7", "8–15", "16–31", "32+"]


def test_long_names_wrap_over_two_lines():
    assert sunburst.wrap("Heating and current drive", 144, 13) == ["Heating and current", "drive"]
    assert sunburst.wrap("Short", 144, 13) == ["Short"]
    lines = sunburst.wrap("超伝導マグネット・超伝導コイル・その他のとても長い名前", 144, 13)
    assert len(lines) == 2 and lines[1].endswith("…")
    assert all(sunburst.text_width(line, 13) <= 144 for line in lines)


def _visible(page: str) -> str:
    """The page's text as a reader sees it: without tags (ids may stay in links and attributes)."""
    body = re.sub(r"<(style|script|svg)\b.*?</\1>", " ", page, flags=re.S)
    return re.sub(r"<[^>]+>", " ", body)


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_technology_page_shows_names_not_record_ids(client, lang):
    """The page once showed "tech:magnet.hts" under its title and "org:fujikura" under each organization."""
    page = client.get("/technologies/tech:magnet.hts", params={"lang": lang}).text
    text = _visible(page)
    assert "tech:" not in text and "org:" not in text
    assert 'href="/organizations/org:fujikura"' in page
