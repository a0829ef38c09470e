"""Input at the boundary of the web app, on SQLite and PostgreSQL: control characters answer a clear 422 (never
a 500), data links are only ever http(s), downloads never carry a live formula, caps on the work a request may
ask for, the budget optimiser for signed-in accounts only, and one country/kind error everywhere."""

from __future__ import annotations

import csv
import io
import json
import re

import pytest
from fastapi.testclient import TestClient
from openpyxl import load_workbook
from sqlalchemy import func, select, update

from fusionatlas.analysis.portfolio import MAX_ACTIONS
from fusionatlas.dataset.package import load_package
from fusionatlas.domain.values import MAX_SEARCH_QUERY, MAX_TOP
from fusionatlas.store import accounts
from fusionatlas.store.schema import TABLES_BY_NAME
from fusionatlas.web.app import create_app
from fusionatlas.web.render import safe_href

PASSWORD = "correct horse battery"
HOSTILE = '=HYPERLINK("http://evil.example","click")'


@pytest.fixture
def app(db_url, package):
    app = create_app(db_url)
    load_package(app.state.engine, package)
    with app.state.engine.begin() as connection:
        accounts.create_user(connection, "member@example.org", PASSWORD, "member", "org:fujikura")
    yield app
    app.state.engine.dispose()


@pytest.fixture
def client(app):
    with TestClient(app) as client:
        yield client


def login(client: TestClient, email: str = "member@example.org", password: str = PASSWORD):
    client.get("/login")
    data = {"csrf": client.cookies.get("csrftoken"), "email": email, "password": password}
    return client.post("/login", data=data, follow_redirects=False)


@pytest.mark.parametrize(
    "path, params",
    [
        ("/api/search", {"q": "gyro\x00tron"}),
        ("/api/match", {"q": "REBCO\x00 tape"}),
        ("/api/match", {"q": "REBCO", "kind": "company\x00"}),
        ("/match", {"q": "REBCO\x1b[31m"}),
        ("/match", {"seeds": "tape\x00"}),
        ("/", {"q": "a\x00"}),
        ("/organizations", {"q\x00": "x"}),
        ("/landscape/programmes", {"country": "\x7f"}),
    ],
)
def test_a_nul_in_a_query_string_is_a_422_not_a_500(client, path, params):
    response = client.get(path, params={**params, "lang": "en"})
    assert response.status_code == 422, response.text
    assert "control character (U+00" in response.text


def test_a_nul_in_a_path_is_a_422(client):
    assert client.get("/organizations/org:qst%00").status_code == 422
    assert client.get("/technologies/tech:magnet%00", params={"lang": "ja"}).text.count("制御文字") == 1


def test_the_refusal_is_in_japanese_on_pages_and_json_on_the_api(client):
    page = client.get("/match", params={"q": "a\x00", "lang": "ja"})
    assert page.status_code == 422 and "制御文字が含まれています" in page.text
    api = client.get("/api/search", params={"q": "a\x00"})
    assert api.status_code == 422 and api.json()["detail"].startswith("q contains a control character")


def test_tabs_and_line_breaks_in_a_query_are_fine(client):
    assert client.get("/api/search", params={"q": "gyrotron\tline"}).status_code == 200
    assert client.get("/match", params={"q": "REBCO tape\r\nfor magnets"}).status_code == 200


def test_a_nul_in_a_login_email_is_a_422(client):
    response = login(client, email="member@example.org\x00")
    assert response.status_code == 422 and "email contains a control character" in response.text


def test_a_nul_in_a_submitted_title_is_a_422_and_nothing_waits_for_review(app, client):
    assert login(client).status_code == 303
    need = {"csrf": client.cookies.get("csrftoken"), "title_en": "HTS\x00 leads", "visibility": "members"}
    response = client.post("/submit/need", data=need)
    assert response.status_code == 422 and "title_en contains a control character" in response.text
    with app.state.engine.connect() as connection:
        assert connection.execute(select(func.count()).select_from(accounts.submissions)).scalar() == 0
    assert client.post("/submit/need", data={**need, "title_en": "HTS leads"}).status_code == 200


def _hostile_links(app) -> None:
    """Links that imports refuse, written straight into the store as an old database might hold them."""
    with app.state.engine.begin() as connection:
        sources, orgs = TABLES_BY_NAME["sources"], TABLES_BY_NAME["organizations"]
        connection.execute(update(sources).values(url="javascript:alert(1)"))
        connection.execute(update(orgs).values(website="JavaScript:alert(2)"))


@pytest.mark.parametrize(
    "path",
    [
        "/organizations/org:qst",
        "/organizations/org:iter-organization",
        "/landscape/programmes",
        "/landscape/facilities",
        "/landscape/timeline",
        "/landscape/regulation",
        "/technologies/tech:magnet",
        "/technologies/tech:hcd.gyrotron",
        "/match?q=REBCO+tape+gyrotron",
    ],
)
def test_no_page_links_to_a_javascript_url(app, client, path):
    _hostile_links(app)
    page = client.get(path)
    assert page.status_code == 200
    assert not re.search(r"href=\"\s*javascript:", page.text, re.IGNORECASE), path


def test_safe_href_keeps_web_addresses_only():
    assert safe_href("https://www.iter.org/a?b=1") == "https://www.iter.org/a?b=1"
    assert safe_href("HTTP://x.jp") == "HTTP://x.jp"
    for bad in ("javascript:alert(1)", " javascript:x", "data:text/html,x", "//evil", "http://a\x00b", None, 3):
        assert safe_href(bad) is None


def _hostile_text(app) -> None:
    with app.state.engine.begin() as connection:
        orgs, techs = TABLES_BY_NAME["organizations"], TABLES_BY_NAME["technologies"]
        connection.execute(update(orgs).where(orgs.c.id == "org:fujikura").values(name_en=HOSTILE))
        connection.execute(update(techs).where(techs.c.id == "tech:magnet").values(name_en="@SUM(1+1)"))


@pytest.mark.parametrize("path", ["/organizations.csv", "/technologies.csv", "/match.csv?q=REBCO+tape"])
def test_csv_downloads_neutralise_formulas(app, client, path):
    _hostile_text(app)
    text = client.get(path).content.decode("utf-8-sig")
    cells = [cell for row in csv.reader(io.StringIO(text)) for cell in row]
    assert not [c for c in cells if c.startswith(("=", "@", "+"))], path
    assert ("'" + HOSTILE in cells) or ("'@SUM(1+1)" in cells)


@pytest.mark.parametrize("path", ["/organizations.xlsx", "/technologies.xlsx", "/match.xlsx?q=REBCO+tape"])
def test_xlsx_downloads_hold_no_formula_cell(app, client, path):
    _hostile_text(app)
    book = load_workbook(io.BytesIO(client.get(path).content))
    cells = [cell for sheet in book for row in sheet.iter_rows() for cell in row]
    assert not [c for c in cells if c.data_type == "f"], path
    flagged = [c for c in cells if isinstance(c.value, str) and c.value.startswith(("=", "@"))]
    assert flagged and all(c.data_type == "s" and c.quotePrefix for c in flagged)


def test_the_gap_report_xlsx_holds_no_formula_cell(app, client):
    with app.state.engine.begin() as connection:
        techs = TABLES_BY_NAME["technologies"]
        connection.execute(update(techs).values(name_en=HOSTILE))
    book = load_workbook(io.BytesIO(client.get("/gaps.xlsx", params={"lang": "en"}).content))
    cells = [cell for sheet in book for row in sheet.iter_rows() for cell in row]
    assert not [c for c in cells if c.data_type == "f"]
    assert [c for c in cells if c.value == HOSTILE and c.quotePrefix]


ACTION = "act:{i},Action {i},施策{i},100,tech:hcd.gyrotron,0.5\n"
HEADER = "id,name_en,name_ja,cost,technologies,closes\n"


def _portfolio(client: TestClient, actions: str, budget: str = "150"):
    client.get("/gaps")
    form = {"csrf": client.cookies.get("csrftoken"), "budget": budget, "actions": actions, "country": "JP"}
    return client.post("/gaps/portfolio", data=form, params={"lang": "en"}, follow_redirects=False)


def test_the_budget_optimiser_needs_an_account(client):
    anonymous = _portfolio(client, HEADER + ACTION.format(i=1))
    assert anonymous.status_code == 303 and anonymous.headers["location"].startswith("/login?next=%2Fgaps")
    assert login(client).status_code == 303
    signed_in = _portfolio(client, HEADER + ACTION.format(i=1))
    assert signed_in.status_code == 200 and 'id="portfolio-status"' in signed_in.text
    assert "proved its portfolio optimal" in signed_in.text


def test_more_actions_than_the_cap_is_a_clear_422(client):
    assert login(client).status_code == 303
    many = HEADER + "".join(ACTION.format(i=i) for i in range(MAX_ACTIONS + 1))
    response = _portfolio(client, many)
    assert response.status_code == 422
    assert f"more than {MAX_ACTIONS} candidate actions" in response.text
    assert _portfolio(client, HEADER + "".join(ACTION.format(i=i) for i in range(MAX_ACTIONS))).status_code == 200


def test_a_non_finite_budget_is_a_422(client):
    assert login(client).status_code == 303
    assert _portfolio(client, HEADER + ACTION.format(i=1), budget="inf").status_code == 422


@pytest.mark.parametrize(
    "path, params",
    [
        ("/api/search", {"q": "x", "top": MAX_TOP + 1}),
        ("/api/search", {"q": "x" * (MAX_SEARCH_QUERY + 1)}),
        ("/api/match", {"q": "x", "top": MAX_TOP + 1}),
        ("/api/match", {"q": "x", "top": 0}),
        ("/match", {"q": "x", "top": MAX_TOP + 1}),
        ("/", {"q": "x" * (MAX_SEARCH_QUERY + 1)}),
        ("/api/organizations/org:qst/opportunities", {"top": MAX_TOP + 1}),
    ],
)
def test_caps_on_search_and_match_are_enforced(client, path, params):
    assert client.get(path, params=params).status_code == 422


def test_search_top_at_the_cap_is_fine(client):
    assert client.get("/api/search", params={"q": "tape", "top": MAX_TOP}).status_code == 200


def test_an_unknown_kind_or_country_gets_the_domains_message_everywhere(client):
    kind = "'spaceship' is not an organization kind (one of: company, "
    country = "'UK' is not an ISO 3166-1 alpha-2 country code (use GB)"
    api = client.get("/api/match", params={"q": "REBCO", "kind": "spaceship"})
    assert api.status_code == 422 and api.json()["detail"].startswith(kind)
    page = client.get("/match", params={"q": "REBCO", "kind": "spaceship", "lang": "en"})
    assert page.status_code == 422 and kind in page.text.replace("&#39;", "'")
    listing = client.get("/organizations", params={"kind": "spaceship", "lang": "en"})
    assert listing.status_code == 422 and kind in listing.text.replace("&#39;", "'")
    export = client.get("/match.csv", params={"q": "REBCO", "kind": "spaceship"})
    assert export.status_code == 422
    for response in (
        client.get("/api/match", params={"q": "REBCO", "country": "UK"}),
        client.get("/organizations", params={"country": "UK", "lang": "en"}),
        client.get("/gaps", params={"country": "UK", "lang": "en"}),
        client.get("/landscape/programmes", params={"country": "UK", "lang": "en"}),
        client.get("/technologies", params={"country": "UK", "lang": "en"}),
    ):
        assert response.status_code == 422
        assert country in response.text.replace("&#39;", "'").replace('\\"', '"')


@pytest.fixture
def editor(app):
    with app.state.engine.begin() as connection:
        accounts.create_user(connection, "editor@example.org", PASSWORD, "editor")
    client = TestClient(app)
    assert login(client, "editor@example.org").status_code == 303
    return client


def _upload(client: TestClient, name: str, content: bytes, table: str):
    client.get("/admin/import")
    data = {"csrf": client.cookies.get("csrftoken"), "table": table}
    return client.post("/admin/import", data=data, files={"file": (name, content)}, params={"lang": "en"})


def test_a_web_import_with_a_javascript_url_names_file_line_and_field(editor):
    response = _upload(editor, "sources.csv", b"id,title,url\nsrc:evil,Evil,javascript:alert(1)\n", "sources")
    assert response.status_code == 422
    assert "sources.csv:2: url: &#39;javascript:alert(1)&#39; is not a web address" in response.text


def test_a_web_import_of_an_amount_of_2_63_is_a_422_not_a_500(editor):
    rows = f"id,country,name_en,amount,currency,unconfirmed\nprog:big,JP,Big,{2**63},JPY,true\n"
    response = _upload(editor, "programmes.csv", rows.encode(), "programmes")
    assert response.status_code == 422 and "programmes.csv:2: amount" in response.text


def test_a_web_import_with_a_bad_byte_after_the_first_mib_is_a_422_not_a_500(editor):
    records = [{"id": f"src:s{i}", "title": "x" * 80} for i in range(15_000)]
    data = (json.dumps(records, indent=1) + "\u00e9").encode("utf-8")
    bad = data[: len(data) - 2] + b"\xff"
    assert len(bad) > 1 << 20
    response = _upload(editor, "sources.json", bad, "sources")
    assert (
        response.status_code == 422 and "sources.json:" in response.text and "bytes that are not UTF-8" in response.text
    )


def test_a_web_import_with_a_nul_in_a_cell_is_a_422(editor):
    response = _upload(editor, "sources.csv", b"id,title\nsrc:nul,Nul\x00title\n", "sources")
    assert response.status_code == 422 and "sources.csv:2: title: contains a control character" in response.text
