"""The budget optimiser as officials use it: actions as rows of the page, or an uploaded workbook (and its
template), errors naming the sheet, row and column in the page's language, and results that explain why."""

import io
import re

import pytest
from fastapi.testclient import TestClient
from openpyxl import Workbook, load_workbook

from fusionatlas.dataset.package import load_package
from fusionatlas.store import accounts
from fusionatlas.web.app import create_app
from tests.web.test_japanese_text import _Page, english_runs

PASSWORD = "correct horse battery"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@pytest.fixture
def client(sqlite_engine, package):
    load_package(sqlite_engine, package)
    with sqlite_engine.begin() as connection:
        accounts.create_user(connection, "member@example.org", PASSWORD, "member")
    app = create_app(str(sqlite_engine.url))
    with TestClient(app) as client:
        yield client
    app.state.engine.dispose()


def sign_in(client):
    client.get("/login")
    data = {"csrf": client.cookies.get("csrftoken"), "email": "member@example.org", "password": PASSWORD}
    assert client.post("/login", data=data, follow_redirects=False).status_code == 303
    client.get("/gaps")
    return client.cookies.get("csrftoken")


def rows_form(token, rows, budget="150", spare=2):
    """The form as a browser sends it: every row's six inputs, the spare rows blank."""
    fields = ["id", "name_en", "name_ja", "cost", "technologies", "closes"]
    data = {"csrf": token, "budget": budget, "country": "JP", "partners": "", "actions": ""}
    for f in fields:
        data[f"row_{f}"] = [r.get(f, "") for r in rows] + [""] * spare
    return data


GYROTRON = {
    "id": "act:g",
    "name_en": "Gyrotron line",
    "name_ja": "ジャイロトロン製造",
    "cost": "100",
    "technologies": "tech:hcd.gyrotron",
    "closes": "0.5",
}
TAPE = {
    "id": "act:t",
    "name_en": "Tape line",
    "name_ja": "線材ライン",
    "cost": "120",
    "technologies": "tech:magnet.hts",
    "closes": "0.5",
}
NOTHING = {
    "id": "act:n",
    "name_en": "Expensive study",
    "name_ja": "高額な調査",
    "cost": "900",
    "technologies": "tech:magnet",
    "closes": "1",
}


def test_the_gaps_page_shows_the_row_editor_and_the_upload(client):
    sign_in(client)
    page = client.get("/gaps", params={"lang": "en"}).text
    form = page[page.index('id="portfolio-form"') :]
    assert 'enctype="multipart/form-data"' in form and 'type="file"' in form and 'name="workbook"' in form
    assert form.count('name="row_cost"') == 10, "ten spare rows without scripts"
    assert "/static/portfolio.js" in form and 'list="portfolio-technologies"' in form
    assert 'href="/gaps/actions-template.xlsx?lang=en"' in form
    # Every input of the editor is labelled by its column and its row.
    assert 'aria-labelledby="portfolio-col-cost portfolio-row-3"' in form
    assert client.get("/static/portfolio.js").status_code == 200


def test_rows_are_optimised_and_each_choice_explained(client):
    token = sign_in(client)
    reply = client.post("/gaps/portfolio", data=rows_form(token, [GYROTRON, TAPE, NOTHING]), params={"lang": "en"})
    assert reply.status_code == 200, reply.text
    page = reply.text
    why = page[page.index('id="portfolio-why"') : page.index('id="portfolio-left"')]
    chosen = re.findall(r'class="why-chosen" data-action="([^"]+)"', why)
    assert chosen and set(chosen) <= {"act:g", "act:t"}
    assert "Gap score" in why and "Share of the gap closed" in why and "per 1,000 of cost" in why
    left = dict(re.findall(r'data-action="([^"]+)" data-reason="([^"]+)"', page))
    assert left["act:n"] == "over budget" and "Over budget" in page
    # The editor comes back holding the actions, ready to change and run again.
    editor = page[page.index('id="portfolio-form"') :]
    assert 'value="act:t"' in editor and 'value="0.5"' in editor


def test_a_cleared_row_is_dropped_and_names_may_stand_for_ids(client):
    token = sign_in(client)
    named = {**TAPE, "technologies": "hts rebco tape"}
    page = client.post("/gaps/portfolio", data=rows_form(token, [named]), params={"lang": "en"})
    assert page.status_code == 200 and 'value="tech:magnet.hts"' in page.text
    blank = {f: "" for f in GYROTRON}
    reply = client.post("/gaps/portfolio", data=rows_form(token, [blank, GYROTRON]), params={"lang": "en"})
    assert reply.status_code == 200 and "Gyrotron line" in reply.text


def workbook_bytes(rows, title="Actions"):
    book = Workbook()
    book.active.title = title
    for row in rows:
        book.active.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def test_an_uploaded_workbook_is_optimised(client):
    token = sign_in(client)
    data = workbook_bytes(
        [
            ["施策ID", "名称（英語）", "名称（日本語）", "費用", "対象技術（ID）", "解消するギャップの割合（0〜1）"],
            ["act:x", "Gyrotron line", "ジャイロトロン製造", 100, "tech:hcd.gyrotron", 0.5],
        ],
        title="施策",
    )
    form = rows_form(token, [], spare=1)
    files = {"workbook": ("actions.xlsx", data, XLSX)}
    reply = client.post("/gaps/portfolio", data=form, files=files, params={"lang": "en"})
    assert reply.status_code == 200, reply.text
    assert 'data-action="act:x"' in reply.text and "Gyrotron line" in reply.text


def test_the_template_workbook_reads_back(client):
    reply = client.get("/gaps/actions-template.xlsx", params={"lang": "ja"})
    assert reply.status_code == 200 and reply.headers["content-type"] == XLSX
    book = load_workbook(io.BytesIO(reply.content))
    assert book.sheetnames == ["このファイルについて", "施策", "技術一覧"]
    assert next(book["施策"].values)[3] == "費用"
    english = load_workbook(io.BytesIO(client.get("/gaps/actions-template.xlsx", params={"lang": "en"}).content))
    assert "Actions" in english.sheetnames and next(english["Actions"].values)[3] == "Cost"
    # Upload the template as downloaded: its example row names a technology of this atlas.
    token = sign_in(client)
    files = {"workbook": ("template.xlsx", reply.content, XLSX)}
    result = client.post("/gaps/portfolio", data=rows_form(token, [], budget="1000"), files=files)
    assert result.status_code == 200 and 'data-action="act:rebco-line"' in result.text


def test_bad_input_names_sheet_row_and_column_and_nothing_runs(client):
    token = sign_in(client)
    bad = {**TAPE, "cost": "lots"}
    reply = client.post("/gaps/portfolio", data=rows_form(token, [GYROTRON, bad]), params={"lang": "en"})
    assert reply.status_code == 422 and 'id="portfolio-status"' not in reply.text
    assert "row 2, column “Cost”: &#39;lots&#39; is not a number" in reply.text
    japanese = client.post("/gaps/portfolio", data=rows_form(token, [GYROTRON, bad]), params={"lang": "ja"})
    assert "2行目、列「費用」：&#39;lots&#39; は数値ではありません" in japanese.text
    data = workbook_bytes([["id", "cost", "technologies", "closes"], ["a", 10, "tech:nowhere", 0.5]], title="Plan")
    files = {"workbook": ("plan.xlsx", data, XLSX)}
    sheet = client.post("/gaps/portfolio", data=rows_form(token, []), files=files, params={"lang": "ja"})
    assert sheet.status_code == 422
    assert "シート「Plan」、2行目、C列（technologies）：不明な技術ID &#39;tech:nowhere&#39;" in sheet.text
    files = {"workbook": ("plan.xlsx", b"not a workbook", XLSX)}
    broken = client.post("/gaps/portfolio", data=rows_form(token, []), files=files, params={"lang": "en"})
    assert broken.status_code == 422 and "not an XLSX workbook" in broken.text
    empty = client.post("/gaps/portfolio", data=rows_form(token, []), params={"lang": "en"})
    assert empty.status_code == 422 and "fill in at least one row" in empty.text
    twice = client.post("/gaps/portfolio", data=rows_form(token, [GYROTRON, GYROTRON]), params={"lang": "en"})
    assert twice.status_code == 422 and "appears more than once" in twice.text
    csv_box = {**rows_form(token, []), "actions": "id,cost,technologies,closes\nact:x,abc,tech:magnet,1\n"}
    pasted = client.post("/gaps/portfolio", data=csv_box, params={"lang": "ja"})
    assert pasted.status_code == 422 and "actions.csv:2、費用：&#39;abc&#39; は数値ではありません" in pasted.text
    low = client.post("/gaps/portfolio", data=rows_form(token, [TAPE], budget="5"), params={"lang": "ja"})
    assert low.status_code == 422 and "最も安い施策の費用" in low.text


def test_the_optimiser_needs_an_account_and_its_token(client):
    client.get("/gaps")
    anonymous = client.post(
        "/gaps/portfolio", data=rows_form(client.cookies.get("csrftoken"), [GYROTRON]), follow_redirects=False
    )
    assert anonymous.status_code == 303 and anonymous.headers["location"].startswith("/login")
    token = sign_in(client)
    forged = client.post("/gaps/portfolio", data={**rows_form(token, [GYROTRON]), "csrf": "forged"})
    assert forged.status_code == 403


def test_anonymous_visitors_get_a_login_link_back_to_the_form_page(client):
    """No form whose POST would bounce to login and land on a GET of /gaps/portfolio (405): a notice and a link."""
    page = client.get("/gaps", params={"country": "JP", "lang": "ja"}).text
    assert 'id="portfolio-form"' not in page and "予算のフォームはログインした会員向けです。" in page
    assert 'href="/login?next=%2Fgaps%3Fcountry%3DJP%26lang%3Dja&amp;lang=ja"' in page
    # A GET of the POST-only path goes to the form's page; a POST's login bounce never names it as `next`.
    moved = client.get("/gaps/portfolio", params={"lang": "ja"}, follow_redirects=False)
    assert moved.status_code == 303 and moved.headers["location"] == "/gaps?lang=ja"
    token = client.cookies.get("csrftoken")
    bounced = client.post(
        "/gaps/portfolio", params={"lang": "ja"}, data=rows_form(token, [GYROTRON]), follow_redirects=False
    )
    assert bounced.headers["location"] == "/login?next=%2Fgaps%3Flang%3Dja"
    login = client.get("/login", params={"next": "/gaps/portfolio"}).text
    assert 'value="/gaps"' in login and 'value="/gaps/portfolio"' not in login


def english_on(html: str) -> list[str]:
    page = _Page()
    page.feed(html)
    return [run for text in page.texts for run in english_runs(text, [])]


def test_the_japanese_result_page_is_japanese(client):
    token = sign_in(client)
    rows = [{**GYROTRON, "name_en": ""}, {**TAPE, "name_en": ""}, {**NOTHING, "name_en": ""}]
    reply = client.post("/gaps/portfolio", data=rows_form(token, rows), params={"lang": "ja"})
    assert reply.status_code == 200
    assert "これらの施策を選んだ理由" in reply.text and "予算超過" in reply.text
    assert english_on(reply.text) == []
    assert english_on(client.get("/gaps", params={"lang": "ja"}).text) == []
