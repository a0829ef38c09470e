"""The industry map pages: the organization list (filters, sorting, pagination, exports), one page per
organization, and the area x country matrix; members-only records never reach anonymous visitors."""

import csv
import io
import re

import pytest
from fastapi.testclient import TestClient
from openpyxl import load_workbook

from fusionatlas.dataset.package import load_package
from fusionatlas.domain.audience import MEMBERS_LEVEL, Audience
from fusionatlas.web.app import create_app
from fusionatlas.web.i18n import translator
from fusionatlas.web.navigation import NAV
from fusionatlas.web.pages.organizations import KINDS
from tests.fixtures import CAPABILITIES, write_package

# Test-only: a members-only capability of a public organization (QST), with words no public record holds.
QST = "National Institutes for Quantum Science and Technology"
SECRET_CAPABILITY = "cap:qst.magnet.secret,org:qst,tech:magnet,Secret coil winding,秘密の巻線,,,,,,,members,,true\n"


def make_client(engine, tmp_path, level=None):
    package = write_package(tmp_path / "package", capabilities_csv=CAPABILITIES + SECRET_CAPABILITY)
    load_package(engine, package)
    app = create_app(str(engine.url))
    if level is not None:

        @app.middleware("http")
        async def as_member(request, call_next):  # stands in for the accounts middleware
            request.state.viewer = Audience(level=level)
            return await call_next(request)

    return app


@pytest.fixture
def client(sqlite_engine, tmp_path):
    app = make_client(sqlite_engine, tmp_path)
    with TestClient(app) as client:
        yield client
    app.state.engine.dispose()


@pytest.fixture
def member(sqlite_engine, tmp_path):
    app = make_client(sqlite_engine, tmp_path, MEMBERS_LEVEL)
    with TestClient(app) as client:
        yield client
    app.state.engine.dispose()


def rows_of(text):
    return list(csv.DictReader(io.StringIO(text)))


def test_list_in_both_languages_links_each_organization(client):
    english = client.get("/organizations", params={"lang": "en"})
    assert english.status_code == 200 and "Industry map" in english.text
    assert 'href="/organizations/org:fujikura">Fujikura</a>' in english.text
    assert "Superconducting magnets" in english.text  # its technology area
    japanese = client.get("/organizations", params={"lang": "ja"})
    assert "産業マップ" in japanese.text and 'href="/organizations/org:fujikura">フジクラ</a>' in japanese.text
    assert "超伝導マグネット" in japanese.text and "企業" in japanese.text
    # An organization without a Japanese name falls back to English on Japanese pages: all have one here.
    assert "ITER機構" in japanese.text


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"country": "JP"}, ["Fujikura", QST]),
        ({"country": "jp"}, ["Fujikura", QST]),
        ({"kind": "international"}, ["ITER Organization"]),
        ({"area": "tech:magnet"}, ["Fujikura"]),
        ({"area": "tech:magnet", "country": "FR"}, []),
        ({"membership": "j-fusion"}, ["Fujikura"]),
        ({"q": "ｆｕｊｉ"}, ["Fujikura"]),
        ({"q": "量子"}, [QST]),
        ({}, ["Fujikura", "ITER Organization", QST]),
        (
            {"sort": "-name"},
            [QST, "ITER Organization", "Fujikura"],
        ),
        (
            {"sort": "country"},
            ["ITER Organization", "Fujikura", QST],
        ),
    ],
)
def test_filters_and_sorting(client, params, expected):
    page = client.get("/organizations", params={**params, "lang": "en"})
    assert page.status_code == 200
    names = [r["name_en"] for r in rows_of(client.get("/organizations.csv", params=params).content.decode("utf-8-sig"))]
    assert names == expected
    for name in expected:
        assert name in page.text
    if not expected:
        assert "No organization matches these filters." in page.text


def test_pagination(client):
    first = client.get("/organizations", params={"size": 2, "lang": "en"})
    assert "Fujikura" in first.text and "ITER Organization" in first.text
    assert "National Institutes" not in first.text and 'rel="next"' in first.text and "1 / 2" in first.text
    second = client.get("/organizations", params={"size": 2, "page": 2, "lang": "en"})
    assert "National Institutes" in second.text and "Fujikura</a>" not in second.text and 'rel="prev"' in second.text
    # A page past the last shows the last page (it once said "No organization matches" and "Page 9 / 2").
    beyond = client.get("/organizations", params={"size": 2, "page": 9, "lang": "en"})
    assert beyond.status_code == 200 and "No organization matches" not in beyond.text
    assert "Page 2 / 2" in beyond.text and "National Institutes" in beyond.text and "9 / 2" not in beyond.text
    # Page links keep the filters.
    filtered = client.get("/organizations", params={"size": 1, "country": "JP", "lang": "en"})
    assert "country=JP" in filtered.text.split('rel="next"')[0].rsplit("href=", 1)[1]
    # The shared pager (web/pagination.py) links with the list's own filters, order and size.
    assert '<a href="/organizations?sort=name&amp;page=2&amp;size=2" rel="next">' in first.text
    assert '<a href="/organizations?sort=name&amp;page=1&amp;size=2" rel="prev">' in second.text
    assert 'rel="next"' not in second.text and "Page 2 / 2" in second.text
    assert '<a href="/organizations?sort=name&amp;page=1&amp;size=2" rel="prev">' in beyond.text


def test_exports_follow_the_filters(client):
    text = client.get("/organizations.csv", params={"country": "JP"}).content.decode("utf-8-sig")
    rows = rows_of(text)
    assert text.startswith("id,name_en,name_ja,kind,country")
    assert {r["id"] for r in rows} == {"org:fujikura", "org:qst"}
    assert next(r for r in rows if r["id"] == "org:fujikura")["areas"] == "tech:magnet"
    workbook = load_workbook(io.BytesIO(client.get("/organizations.xlsx", params={"kind": "company"}).content))
    sheet = workbook["organizations"]
    values = list(sheet.values)
    assert values[0][:3] == ("ID", "Name (English)", "Name (Japanese)") and [v[0] for v in values[1:]] == [
        "org:fujikura"
    ]
    assert values[1][3:5] == ("Company", "Japan"), "codes become labels, country codes names"


def test_anonymous_visitors_never_see_members_records(client):
    lists = [
        client.get("/organizations", params={"lang": "en"}).text,
        client.get("/organizations", params={"lang": "ja", "country": "JP", "size": 500}).text,
        client.get("/organizations.csv").content.decode("utf-8-sig"),
        client.get("/organizations/org:qst", params={"lang": "en"}).text,
        client.get("/industry-map", params={"lang": "en"}).text,
        client.get("/industry-map.csv").content.decode("utf-8-sig"),
        client.get("/industry-map.svg").text,
    ]
    for text in lists:
        assert "Members Only" not in text and "会員限定" not in text and "members-only-co" not in text
        assert "Secret coil" not in text and "秘密の巻線" not in text
    assert client.get("/organizations/org:members-only-co").status_code == 404
    assert (
        client.get("/organizations", params={"area": "tech:hcd", "lang": "en"}).text.count("/organizations/org:") == 0
    )
    # Nor do they count: QST's only magnet capability is members-only.
    matrix = {r["area_id"]: r for r in rows_of(client.get("/industry-map.csv").content.decode("utf-8-sig"))}
    assert matrix["tech:magnet"]["JP"] == "1" and matrix["tech:hcd"]["JP"] == "0"


def test_members_see_members_records(member):
    assert "Members Only Co" in member.get("/organizations", params={"lang": "en"}).text
    assert member.get("/organizations/org:members-only-co").status_code == 200
    assert "Secret coil winding" in member.get("/organizations/org:qst", params={"lang": "en"}).text
    matrix = {r["area_id"]: r for r in rows_of(member.get("/industry-map.csv").content.decode("utf-8-sig"))}
    assert matrix["tech:magnet"]["JP"] == "2" and matrix["tech:hcd"]["JP"] == "1"


def test_organization_page_in_english(client):
    page = client.get("/organizations/org:fujikura", params={"lang": "en"})
    assert page.status_code == 200
    text = page.text
    for expected in (
        "Fujikura",
        "フジクラ",
        "Company",
        "Japan (JP)",
        "Tokyo",
        'href="https://www.fujikura.co.jp"',
        "1885",
        "J-Fusion",
        "Makes REBCO high-temperature superconducting tape.",
        "REBCO tape for fusion magnets",
        "Sells REBCO coated-conductor tape.",  # evidence in the page's language (Japanese on Japanese pages)
        '<td class="num">7</td>',
        '<a href="https://www.fujikura.co.jp/en/products/newbusiness/superconductors/"',
        "Fujikura high-temperature superconductor products",
        "1,000,000 JPY",
        "public grant",
        'id="opportunities"',
        "Superconducting magnets",  # the adjacent technology (parent of its capability)
        "Next to HTS REBCO tape in the technology map",
    ):
        assert expected in text, expected


def test_contact_page_is_a_link_in_both_languages(sqlite_engine, tmp_path):
    """An organization's published inquiry page is shown as a link labelled in the page's language."""
    from sqlalchemy import update

    from fusionatlas.store.schema import TABLES_BY_NAME

    load_package(sqlite_engine, write_package(tmp_path / "package"))
    orgs = TABLES_BY_NAME["organizations"]
    contact = "https://www.fujikura.co.jp/contact/"
    with sqlite_engine.begin() as connection:
        connection.execute(update(orgs).where(orgs.c.id == "org:fujikura").values(contact_url=contact))
    with TestClient(create_app(str(sqlite_engine.url))) as web:
        english = web.get("/organizations/org:fujikura", params={"lang": "en"}).text
        japanese = web.get("/organizations/org:fujikura", params={"lang": "ja"}).text
        without = web.get("/organizations/org:qst", params={"lang": "ja"}).text
    link = f'<td id="org-contact"><a href="{contact}" rel="noopener noreferrer" target="_blank">{contact}</a>'
    assert "Contact page" in english and link in english
    assert "問い合わせ窓口" in japanese and link in japanese
    assert '<td id="org-contact">–</td>' in without


def test_organization_page_in_japanese_with_milestones(client):
    page = client.get("/organizations/org:qst", params={"lang": "ja"})
    assert page.status_code == 200
    assert "量子科学技術研究開発機構" in page.text and "国立研究機関" in page.text and "日本 (JP)" in page.text
    assert "JT-60SA初プラズマ" in page.text and "2023年10月23日" in page.text
    assert "この組織の技術能力は記録されていません。" in page.text


def test_unknown_organization_is_a_404_page_in_the_visitors_language(client):
    missing = client.get("/organizations/org:nowhere", params={"lang": "ja"})
    assert missing.status_code == 404 and 'lang="ja"' in missing.text
    assert translator("ja")("No such page or record.") in missing.text


def test_industry_map_matrix_and_downloads(client):
    page = client.get("/industry-map", params={"lang": "en"})
    assert page.status_code == 200 and "<svg" in page.text
    assert 'href="/organizations?area=tech%3Amagnet&amp;country=JP"' in page.text
    assert "Superconducting magnets" in page.text
    assert "超伝導マグネット" in client.get("/industry-map", params={"lang": "ja"}).text
    svg = client.get("/industry-map.svg", params={"lang": "en"})
    assert svg.headers["content-type"].startswith("image/svg+xml") and svg.text.startswith("<?xml")
    assert "attachment" in svg.headers["content-disposition"]
    rows = rows_of(client.get("/industry-map.csv").content.decode("utf-8-sig"))
    assert list(rows[0])[:3] == ["area_id", "name_en", "name_ja"] and list(rows[0])[3:5] == ["JP", "FR"]
    assert rows[-1]["area_id"] == "total" and rows[-1]["JP"] == "1" and rows[-1]["FR"] == "0"
    sheet = load_workbook(io.BytesIO(client.get("/industry-map.xlsx", params={"lang": "en"}).content)).active
    assert next(sheet.values)[:5] == ("Area ID", "Name (English)", "Name (Japanese)", "Japan", "France")


@pytest.mark.parametrize(
    "params",
    [
        {"country": "UK"},
        {"country": "XX"},
        {"kind": "alien"},
        {"area": "tech:nowhere"},
        {"area": "tech:magnet.hts"},  # not a top-level area
        {"sort": "size"},
        {"page": "0"},
        {"size": "0"},
        {"size": "10000"},
        {"page": "two"},
    ],
)
def test_bad_list_parameters_get_422(client, params):
    assert client.get("/organizations", params=params).status_code == 422
    if not {"page", "size"} & set(params):
        assert client.get("/organizations.xlsx", params=params).status_code == 422


def test_unknown_country_says_which_code_is_meant(client):
    page = client.get("/organizations", params={"country": "UK", "lang": "en"})
    assert page.status_code == 422 and "use GB" in page.text
    assert client.get("/organizations.csv", params={"country": "UK"}).status_code == 422


def test_navigation_and_labels_are_translated():
    paths = [path for path, _label in NAV]
    assert "/organizations" in paths and "/match" in paths
    assert paths.index("/match") == paths.index("/organizations") + 1
    anchor = "/technologies" if "/technologies" in paths else "/"
    assert paths.index("/organizations") == paths.index(anchor) + 1
    japanese = translator("ja")
    for label in [*KINDS.values(), "Industry map", "Match", "Total"]:
        assert japanese(label) != label, label


@pytest.mark.parametrize(
    ("lang", "japan", "france", "tokyo"), [("en", "Japan", "France", "Tokyo"), ("ja", "日本", "フランス", "東京")]
)
def test_list_shows_country_names_and_japanese_cities_in_the_pages_language(client, lang, japan, france, tokyo):
    """The 国 column once showed "JP" and the 所在地 column "Tokyo" on Japanese pages."""
    page = client.get("/organizations", params={"lang": lang}).text
    row = page[page.index('<tr data-country="JP">') :]
    row = row[: row.index("</tr>")]
    assert f'<td title="JP">{japan}</td>' in row and f"<td>{tokyo}</td>" in row
    assert f'<td title="FR">{france}</td>' in page
    # A foreign city stays as written.
    assert "<td>Saint-Paul-lez-Durance</td>" in page
    detail = client.get("/organizations/org:fujikura", params={"lang": lang}).text
    assert f"<td>{tokyo}</td>" in detail


def test_industry_map_heads_columns_with_country_names_that_fit(client):
    """The matrix was headed JP, FR… and the slanted heads ran past the chart's right edge (cut off)."""
    for lang, japan in (("en", "Japan"), ("ja", "日本")):
        svg = client.get("/industry-map", params={"lang": lang}).text
        assert 'data-country="JP" ' in svg and f"<title>{japan}</title>{japan}</text>" in svg
        width = int(re.search(r'id="industry-svg" width="(\d+)"', svg).group(1))
        heads = [float(x) for x in re.findall(r'<text (?:data-country="\w+" )?x="(\d+)" y="\d+" transform', svg)]
        # The last head ("Total") slants right by half its length; the chart must be wide enough for it.
        assert width >= max(heads) + 0.5 * 5 * 8


def test_city_names_in_japanese():
    from fusionatlas.web.names import city_name

    assert [city_name(c, "ja") for c in ("Tokyo", "Osaka", "Naka", "Rokkasho", "Garching")] == [
        "東京",
        "大阪",
        "那珂",
        "六ヶ所",
        "Garching",
    ]
    assert city_name("Tokyo", "en") == "Tokyo" and city_name(None, "ja") == "" and city_name("", "en") == ""


def test_download_links_keep_the_chosen_order(client):
    """The CSV and XLSX links once dropped `sort`: the download came in name order whatever the list showed."""
    page = client.get("/organizations", params={"country": "JP", "sort": "-name", "lang": "en"}).text
    assert '<a href="/organizations.csv?country=JP&amp;sort=-name">CSV</a>' in page
    assert '<a href="/organizations.xlsx?country=JP&amp;sort=-name">XLSX</a>' in page
    rows = rows_of(
        client.get("/organizations.csv", params={"country": "JP", "sort": "-name"}).content.decode("utf-8-sig")
    )
    assert [r["id"] for r in rows] == ["org:qst", "org:fujikura"]


def test_industry_map_leaves_room_for_long_area_names():
    """English area names such as "Vacuum vessel, ports and cryostat" ran past the chart's left edge."""
    from fusionatlas.analysis.industry import Industry, Matrix
    from fusionatlas.web.charts.heatmap import heatmap_svg

    long = "Vacuum vessel, ports and cryostat, remote handling"
    industry = Industry({"tech:vv": {"name_en": long, "name_ja": "真空容器"}}, ["tech:vv"], [])
    matrix = Matrix(["tech:vv"], ["JP"], {("tech:vv", "JP"): 1}, {"tech:vv": 1}, {"JP": 1})
    svg = heatmap_svg(industry, matrix, "en")
    x = int(re.search(r'<text x="(\d+)" y="\d+" text-anchor="end" fill="#1f4e79">', svg).group(1))
    assert x >= 6.4 * len(long)  # the name is right-aligned at x: about 6.4px a character at 12px
