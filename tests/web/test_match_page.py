"""The match page: needs ranked against suppliers with reasons, seeds to opportunities, in both languages;
odd input gets the matcher's note, unknown codes a 422 page, and members-only records stay hidden."""

from html import unescape

import pytest
from fastapi.testclient import TestClient

from fusionatlas.domain.audience import MEMBERS_LEVEL
from fusionatlas.web.pages.match import note_in
from tests.web.test_organizations import make_client


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


def results(page):
    """The organization names linked from the results table, in order."""
    table = (
        page.text.split('id="match-results"', 1)[1].split("</table>", 1)[0] if 'id="match-results"' in page.text else ""
    )
    return [part.split('">', 1)[1].split("</a>", 1)[0] for part in table.split('<a href="/organizations/')[1:]]


def test_empty_page_shows_both_boxes(client):
    page = client.get("/match", params={"lang": "en"})
    assert page.status_code == 200
    assert 'id="need-form"' in page.text and 'id="seeds-form"' in page.text
    assert 'id="match-results"' not in page.text
    assert "ニーズに応えられるのは誰か" in client.get("/match", params={"lang": "ja"}).text


def test_english_need_ranks_suppliers_with_reasons_and_sources(client):
    page = client.get("/match", params={"q": "REBCO tape for TF coils", "lang": "en"})
    assert page.status_code == 200
    assert results(page)[0] == "Fujikura"
    assert "Capability in HTS REBCO tape" in page.text  # a concept reason
    assert "Shared words: REBCO, tape" in page.text  # shared words, as the query writes them
    assert "Sells REBCO coated-conductor tape." in page.text  # best evidence
    assert '<a href="https://www.fujikura.co.jp/en/products/newbusiness/superconductors/"' in page.text  # its source
    assert "HTS REBCO tape</span>" in page.text  # the concepts recognised


def test_japanese_need_in_japanese(client):
    page = client.get("/match", params={"q": "高温超伝導線材が欲しい", "lang": "ja"})
    assert page.status_code == 200 and results(page) == ["フジクラ"]
    assert "高温超伝導線材の実績あり" in page.text and "REBCO線材を販売。" in page.text


def test_filters_and_top(client):
    assert results(client.get("/match", params={"q": "REBCO", "country": "JP", "lang": "en"})) == ["Fujikura"]
    foreign = client.get("/match", params={"q": "REBCO tape", "country": "FR", "lang": "en"})
    assert foreign.status_code == 200 and results(foreign) == []
    assert "no organization with country FR supplies the technologies named" in foreign.text
    japanese = client.get("/match", params={"q": "REBCO tape", "country": "FR", "kind": "company", "lang": "ja"})
    assert "国 FR、種別 companyで、挙げられた技術を供給する組織はありません" in japanese.text
    assert results(client.get("/match", params={"q": "REBCO", "kind": "national_lab", "lang": "en"})) == []
    several = client.get("/match", params={"q": "JT-60SA ITER REBCO", "lang": "en"})
    assert len(results(several)) >= 2
    assert len(results(client.get("/match", params={"q": "JT-60SA ITER REBCO", "top": 1, "lang": "en"}))) == 1


@pytest.mark.parametrize(
    ("query", "note"),
    [
        ("", "the query holds no words or technology names to match"),
        ("   ", "the query holds no words or technology names to match"),
        ("!!! ???", "the query holds no words or technology names to match"),
        ("zzzqqq", "no organization's records share the query's words"),
        ("REBCO " * 1200, "the query was cut to its first 5000 characters"),
    ],
)
def test_odd_input_gets_the_matchers_note_not_an_error(client, query, note):
    page = client.get("/match", params={"q": query, "lang": "en"})
    assert page.status_code == 200 and note in unescape(page.text)
    assert 'id="match-note"' in page.text
    japanese = client.get("/match", params={"q": query, "lang": "ja"})
    assert japanese.status_code == 200 and note_in("ja", note) in japanese.text and note_in("ja", note) != note


def test_unknown_country_or_kind_is_a_422_page(client):
    page = client.get("/match", params={"q": "REBCO", "country": "UK", "lang": "en"})
    assert page.status_code == 422 and "use GB" in page.text and 'id="need-form"' in page.text
    assert client.get("/match", params={"q": "REBCO", "country": "XX"}).status_code == 422
    assert client.get("/match", params={"q": "REBCO", "kind": "alien"}).status_code == 422
    assert client.get("/match", params={"q": "REBCO", "top": "0"}).status_code == 422
    assert client.get("/match", params={"q": "REBCO", "top": "many"}).status_code == 422


def test_members_only_suppliers_are_hidden_from_anonymous_visitors(client, member):
    for query in ("gyrotron parts", "ジャイロトロン部品", "secret coil winding"):
        page = client.get("/match", params={"q": query, "lang": "en"})
        assert "Members Only" not in page.text and "Secret coil" not in page.text, query
        assert "National Institutes" not in page.text or query != "secret coil winding"
    assert results(member.get("/match", params={"q": "gyrotron parts", "lang": "en"})) == ["Members Only Co"]
    assert "National Institutes" in member.get("/match", params={"q": "secret coil winding", "lang": "en"}).text


def test_seeds_find_opportunities_with_reasons(client):
    page = client.get("/match", params={"seeds": "We make gyrotron tubes and REBCO tape", "lang": "en"})
    assert page.status_code == 200 and 'id="seed-results"' in page.text
    assert "170 GHz gyrotrons" in page.text and "Open need" in page.text
    assert "Needs Gyrotron; the seeds show Gyrotron" in page.text
    assert "ITER gyrotrons" in page.text  # the need's source, linked
    japanese = client.get("/match", params={"seeds": "ジャイロトロンを製造", "lang": "ja"})
    assert "170 GHzジャイロトロン" in japanese.text and "未充足ニーズ" in japanese.text


@pytest.mark.parametrize(
    ("seeds", "note"),
    [
        ("", "the text holds no words or technology names to match"),
        ("!!!", "the text holds no words or technology names to match"),
        ("zzzqqq", "no technology of the map was recognised in the text: name what the company makes or does"),
    ],
)
def test_odd_seeds_get_a_note(client, seeds, note):
    page = client.get("/match", params={"seeds": seeds, "lang": "en"})
    assert page.status_code == 200 and note in page.text and 'id="seeds-note"' in page.text


def test_navigation_has_the_match_page(client):
    page = client.get("/match", params={"lang": "ja"})
    assert 'href="/match" aria-current="page">マッチング</a>' in page.text
    assert 'href="/organizations">産業マップ</a>' in page.text


def test_match_results_export_as_csv_and_xlsx(client):
    import csv
    import io

    from openpyxl import load_workbook

    text = client.get("/match.csv", params={"q": "REBCO tape for HTS magnets"}).content.decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert rows[0]["org_id"] == "org:fujikura" and rows[0]["why_ja"]
    book = client.get("/match.xlsx", params={"q": "高温超伝導線材"})
    assert load_workbook(io.BytesIO(book.content)).active.cell(2, 2).value == "org:fujikura"
    assert client.get("/match.csv", params={"q": "REBCO", "country": "UK"}).status_code == 422
    assert client.get("/match.pdf", params={"q": "REBCO"}).status_code == 404
    hidden = client.get("/match.csv", params={"q": "gyrotron parts"}).content.decode("utf-8-sig")
    assert "members-only" not in hidden


def test_results_show_the_country_by_name(client):
    """The Country column once showed "JP", "US", "CH"."""
    english = client.get("/match", params={"q": "REBCO tape for TF coils", "lang": "en"}).text
    assert '<td title="JP">Japan</td>' in english
    japanese = client.get("/match", params={"q": "高温超伝導線材が欲しい", "lang": "ja"}).text
    assert '<td title="JP">日本</td>' in japanese
