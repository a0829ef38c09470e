"""The gaps pages: heatmap and ranking, drill-down, exports, the budget form with CSRF, bad input."""

import csv
import io
import re

import pytest
from fastapi.testclient import TestClient
from openpyxl import load_workbook

from fusionatlas.dataset.package import load_package
from fusionatlas.store import accounts
from fusionatlas.web.app import create_app

PASSWORD = "correct horse battery"

ACTIONS = (
    "id,name_en,name_ja,cost,technologies,closes\nact:g,Gyrotron line,ジャイロトロン製造,100,tech:hcd.gyrotron,0.5\n"
)


@pytest.fixture
def client(sqlite_engine, package, tmp_path):
    load_package(sqlite_engine, package)
    with sqlite_engine.begin() as connection:
        accounts.create_user(connection, "member@example.org", PASSWORD, "member")
    app = create_app(str(sqlite_engine.url))
    with TestClient(app) as client:
        yield client
    app.state.engine.dispose()


def test_gaps_page_in_both_languages(client):
    english = client.get("/gaps", params={"country": "JP", "partners": "FR", "lang": "en"})
    assert english.status_code == 200
    assert 'id="heatmap"' in english.text and 'id="ranking"' in english.text and 'id="sensitivity"' in english.text
    assert "Gyrotron" in english.text
    japanese = client.get("/gaps", params={"lang": "ja"})
    assert "技術ギャップ分析" in japanese.text and "ジャイロトロン" in japanese.text


def test_public_view_ignores_members_records(client):
    # The only gyrotron capability is members-only: the public sees no domestic supplier.
    page = client.get("/gaps/technology/tech:hcd.gyrotron", params={"lang": "en"})
    assert page.status_code == 200
    assert "Members Only" not in page.text
    assert "170 GHz gyrotrons" in page.text and "no capable supplier" in page.text


def test_drill_down_lists_suppliers_by_group(client):
    page = client.get("/gaps/technology/tech:magnet", params={"partners": "FR", "lang": "en"})
    assert "Fujikura" in page.text
    assert client.get("/gaps/technology/tech:nowhere").status_code == 404


def test_exports(client):
    text = client.get("/gaps.csv", params={"country": "JP"}).content.decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert rows[0]["technology_id"] and {r["technology_id"] for r in rows} >= {"tech:magnet", "tech:hcd.gyrotron"}
    workbook = load_workbook(io.BytesIO(client.get("/gaps.xlsx", params={"lang": "ja"}).content))
    assert workbook.sheetnames[0] == "このファイルについて" and workbook.active.title == "gaps"
    header = next(workbook["gaps"].values)
    assert header[:3] == ("順位", "技術ID", "技術") and "実証済みの最高TRL" in header, "headers in the page's language"
    columns = workbook["gaps"].max_column
    last = workbook["gaps"].cell(row=1, column=columns).column_letter
    assert workbook["gaps"].freeze_panes == "A2" and workbook["gaps"].auto_filter.ref.startswith(f"A1:{last}")
    about = {row[0]: row[1] for row in workbook["このファイルについて"].values if row[0]}
    assert about["ライセンス"].startswith("CC BY 4.0") and "JP" in about["条件"]
    report = client.get("/gaps.html", params={"lang": "ja"})
    assert "フュージョン技術ギャップ報告" in report.text


def sign_in(client):
    client.get("/login")
    data = {"csrf": client.cookies.get("csrftoken"), "email": "member@example.org", "password": PASSWORD}
    assert client.post("/login", data=data, follow_redirects=False).status_code == 303


def test_budget_form_needs_its_csrf_token(client):
    sign_in(client)
    page = client.get("/gaps")
    token = client.cookies.get("csrftoken")
    assert token and token in page.text
    form = {"csrf": token, "budget": "150", "actions": ACTIONS, "country": "JP", "partners": ""}
    result = client.post("/gaps/portfolio", data=form, params={"lang": "en"})
    assert result.status_code == 200 and "Gyrotron line" in result.text
    forged = client.post("/gaps/portfolio", data={**form, "csrf": "forged"})
    assert forged.status_code == 403


def test_bad_input_gets_422_pages_not_500(client):
    assert client.get("/gaps", params={"country": "XX"}).status_code == 422
    assert client.get("/gaps", params={"w_domestic": "-1"}).status_code == 422
    assert client.get("/gaps", params={"w_domestic": "lots"}).status_code == 422
    assert client.get("/gaps.csv", params={"country": "UK"}).status_code == 422
    assert client.get("/gaps", params={"top": "0"}).status_code == 422
    sign_in(client)
    client.get("/gaps")
    token = client.cookies.get("csrftoken")
    low = client.post("/gaps/portfolio", data={"csrf": token, "budget": "5", "actions": ACTIONS})
    assert low.status_code == 422 and "below the cheapest" in low.text
    broken = client.post("/gaps/portfolio", data={"csrf": token, "budget": "500", "actions": "id,cost\nact:x,abc\n"})
    assert broken.status_code == 422


ZEROED = ("w_path", "w_needs", "w_scenario_demand", "w_skills")


def test_relevance_shortfall_and_categories_shown_and_exported(client):
    # The fixture's JP path names magnets: they are gaps; heating, off the path with no domestic supplier the
    # public may see and no Japanese demand, is "not pursued" and comes last.
    page = client.get("/gaps", params={"country": "JP", "lang": "en"}).text
    assert 'id="order-rule"' in page and 'id="score-rule"' in page
    ranking = page[page.index('id="ranking"') :]
    categories = re.findall(r'data-category="([^"]+)"', ranking)
    assert categories == ["gap", "gap", "not pursued", "not pursued"]
    assert ranking.index("HTS REBCO tape") < ranking.index("Heating")
    japanese = client.get("/gaps", params={"country": "JP", "lang": "ja"}).text
    assert "関連度" in japanese and "供給不足度" in japanese and "取り組みなし" in japanese
    rows = list(
        csv.DictReader(io.StringIO(client.get("/gaps.csv", params={"country": "JP"}).content.decode("utf-8-sig")))
    )
    hts = next(r for r in rows if r["technology_id"] == "tech:magnet.hts")
    assert hts["category"] == "gap" and float(hts["relevance"]) == 0.70 and hts["path_ids"] == "path:jp-fixture.magnet"
    assert float(hts["score"]) == round(float(hts["relevance"]) * float(hts["shortfall"]), 4)
    assert hts["readiness"] == "rdy:fixture.magnet.hts TRL 5 (demo, 2024-06)" and hts["best_trl"] == "5"
    # Relevance weights are read from the query like the shortfall's.
    off = client.get("/gaps.csv", params={"country": "JP", **dict.fromkeys(ZEROED, "0"), "w_domestic_activity": "1"})
    hcd = next(
        r for r in csv.DictReader(io.StringIO(off.content.decode("utf-8-sig"))) if r["technology_id"] == "tech:hcd"
    )
    assert float(hcd["relevance"]) == 0
    # The drill-down states each relevance input and its weight.
    detail = client.get("/gaps/technology/tech:magnet.hts", params={"lang": "en"}).text
    assert 'id="relevance"' in detail and "on the country&#39;s path" in detail


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_drill_down_names_countries_and_links_organizations_without_ids(client, lang):
    """The detail once listed "Fujikura JP org:fujikura" and headed itself with the technology's id."""
    page = client.get("/gaps/technology/tech:magnet", params={"partners": "FR", "lang": lang}).text
    text = re.sub(r"<[^>]+>", " ", page)
    assert "org:" not in text and "tech:" not in text and "path:" not in text
    assert re.search(r'<a href="/organizations/org:fujikura">[^<]+</a></td><td>(Japan|日本)</td>', page)
    assert ("Focus country Japan" if lang == "en" else "対象国 日本") in " ".join(text.split())
    assert '<a href="/technologies/tech:magnet">' in page
