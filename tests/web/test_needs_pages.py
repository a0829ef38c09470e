"""The needs pages: the list (order, filters, status as of today, paging, downloads, counts), one page per
need (facts, links, proposed suppliers), both languages; hidden needs never reach the public."""

import csv
import io
import re

import pytest
from fastapi.testclient import TestClient
from openpyxl import load_workbook
from sqlalchemy import select

from fusionatlas.domain.audience import MEMBERS_LEVEL, Audience
from fusionatlas.store.schema import TABLES_BY_NAME
from fusionatlas.web.app import create_app
from fusionatlas.web.i18n import translator
from fusionatlas.web.navigation import NAV
from tests.needs_fixtures import HIDDEN_NEEDS, PUBLIC_NEEDS, SCRIPT_URL, SECRET, load_needs

HIDDEN_WORDS = [
    SECRET,
    "ジルカロイ",
    "Hidden office",
    "Hidden Procurement Office",
    "非公開調達室",
    "Members Only Co",
    "会員限定株式会社",
]


def make_app(url, audience=None):
    app = create_app(url)
    if audience is not None:

        @app.middleware("http")
        async def as_audience(request, call_next):  # stands in for the accounts middleware
            request.state.viewer = audience
            return await call_next(request)

    return app


@pytest.fixture
def client(db_from_template):
    app = make_app(db_from_template("needs", load_needs))
    with TestClient(app) as client:
        yield client
    app.state.engine.dispose()


@pytest.fixture
def sqlite_client(templates, tmp_path):
    app = make_app(templates.sqlite("needs", load_needs, tmp_path / "atlas.db"))
    with TestClient(app) as client:
        yield client
    app.state.engine.dispose()


@pytest.fixture
def member(templates, tmp_path):
    app = make_app(templates.sqlite("needs", load_needs, tmp_path / "atlas.db"), Audience(level=MEMBERS_LEVEL))
    with TestClient(app) as client:
        yield client
    app.state.engine.dispose()


def listed(response):
    assert response.status_code == 200, response.text
    return re.findall(r'<tr data-id="([^"]+)"', response.text)


def found(response):
    counted = re.search(r'id="need-count" data-found="(\d+)" data-seen="(\d+)"', response.text)
    return int(counted.group(1)), int(counted.group(2))


def rows_of(response):
    return list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))


def test_list_open_first_with_statuses_as_of_today_in_english(client):
    page = client.get("/needs", params={"lang": "en"})
    assert listed(page) == PUBLIC_NEEDS
    assert found(page) == (5, 5)
    assert "5 of the 5 needs you may see match these filters." in page.text
    # Recorded open, deadline 2020-01-31: closed today.
    assert re.search(r'data-id="need:qst-hts-tape-2019" data-status="closed"', page.text)
    assert re.search(r'data-id="need:iter-gyrotron" data-status="open"', page.text)
    assert 'href="/needs/need:iter-gyrotron">170 GHz gyrotrons</a>' in page.text
    assert 'href="/organizations/org:iter-organization">ITER Organization</a>' in page.text
    assert "3,500,000,000 JPY" in page.text and "1,234,567 USD" in page.text
    counts = dict(re.findall(r'<b data-status="(\w+)">(\d+)</b>', page.text))
    assert counts == {"open": "2", "closed": "1", "awarded": "1", "cancelled": "1"}


def test_list_in_japanese_shows_japanese_titles_and_buyers(client):
    page = client.get("/needs", params={"lang": "ja"})
    assert listed(page) == PUBLIC_NEEDS
    assert 'href="/needs/need:iter-gyrotron">170 GHzジャイロトロン</a>' in page.text
    assert 'href="/organizations/org:qst">量子科学技術研究開発機構</a>' in page.text
    assert "閲覧できるニーズ5件のうち、5件がこの条件に合います。" in page.text
    assert "募集中" in page.text and "締切済み" in page.text and "決定済み" in page.text
    assert "170 GHz gyrotrons" not in page.text


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"status": "open"}, ["need:iter-gyrotron", "need:qst-magnet-2031"]),
        ({"status": "closed"}, ["need:qst-hts-tape-2019"]),
        (
            {"technology": "tech:magnet"},
            ["need:qst-magnet-2031", "need:qst-hts-tape-2019", "need:qst-rebco-award-2025"],
        ),
        ({"technology": "tech:hcd.gyrotron"}, ["need:iter-gyrotron"]),
        ({"country": "jp", "status": "open"}, ["need:qst-magnet-2031"]),
        ({"country": "FR"}, ["need:iter-gyrotron", "need:iter-hcd-2024"]),
        ({"deadline_after": "2030"}, ["need:iter-gyrotron", "need:qst-magnet-2031"]),
        ({"deadline_before": "2024-12-31"}, ["need:iter-hcd-2024", "need:qst-hts-tape-2019"]),
        ({"status": "awarded", "country": "FR"}, []),
        ({"status": "", "technology": "", "country": "", "deadline_after": ""}, PUBLIC_NEEDS),
    ],
)
def test_list_filters(sqlite_client, params, expected):
    page = sqlite_client.get("/needs", params={**params, "lang": "en"})
    assert listed(page) == expected
    assert found(page) == (len(expected), 5)
    if not expected:
        assert "No need matches these filters." in page.text


def test_technology_menu_counts_needs_on_each_node_and_below(sqlite_client):
    page = sqlite_client.get("/needs", params={"lang": "en"})
    assert '<option value="tech:magnet">Superconducting magnets (3)</option>' in page.text
    assert '<option value="tech:magnet.hts">&nbsp;&nbsp;HTS REBCO tape (2)</option>' in page.text
    chosen = sqlite_client.get("/needs", params={"lang": "en", "technology": "tech:hcd"})
    assert '<option value="tech:hcd" selected>' in chosen.text


def test_paging_keeps_the_filters(sqlite_client):
    first = sqlite_client.get("/needs", params={"size": 2, "lang": "en"})
    assert listed(first) == PUBLIC_NEEDS[:2]
    assert "Page 1 / 3" in first.text and 'href="/needs?page=2&amp;size=2" rel="next"' in first.text
    assert listed(sqlite_client.get("/needs", params={"size": 2, "page": 3})) == PUBLIC_NEEDS[4:]
    assert listed(sqlite_client.get("/needs", params={"size": 2, "page": 9})) == []
    filtered = sqlite_client.get("/needs", params={"size": 1, "technology": "tech:magnet.hts", "lang": "en"})
    assert 'href="/needs?technology=tech%3Amagnet.hts&amp;page=2&amp;size=1" rel="next"' in filtered.text


def test_downloads_hold_the_whole_filtered_list(client):
    rows = rows_of(client.get("/needs.csv", params={"technology": "tech:magnet"}))
    assert [r["id"] for r in rows] == ["need:qst-magnet-2031", "need:qst-hts-tape-2019", "need:qst-rebco-award-2025"]
    tape = rows[1]
    assert (tape["status"], tape["recorded_status"], tape["buyer_country"]) == ("closed", "open", "JP")
    award = rows[2]
    assert award["awardee_org_ids"] == "org:fujikura"  # the members-only awardee is left out
    assert (award["quantity"], award["quantity_unit"], award["value"], award["currency"]) == (
        "20.0",
        "km of REBCO tape",
        "3500000000",
        "JPY",
    )
    response = client.get("/needs.xlsx", params={"status": "open", "size": 1, "page": 2})
    assert response.headers["content-disposition"] == 'attachment; filename="needs.xlsx"'
    sheet = load_workbook(io.BytesIO(response.content)).active
    table = list(sheet.iter_rows(values_only=True))
    assert table[0][:3] == ("ID", "Title (English)", "Title (Japanese)")
    assert [row[0] for row in table[1:]] == ["need:iter-gyrotron", "need:qst-magnet-2031"]
    assert client.get("/needs.pdf").status_code == 404


def test_the_list_links_its_downloads_with_its_filters(sqlite_client):
    page = sqlite_client.get("/needs", params={"status": "open", "country": "FR", "page": 1})
    assert 'href="/needs.csv?status=open&amp;country=FR"' in page.text
    assert 'href="/needs.xlsx?status=open&amp;country=FR"' in page.text


def test_the_public_never_sees_hidden_needs(client):
    for path in ["/needs", "/needs?technology=tech:magnet", "/needs.csv", "/needs?lang=ja"]:
        text = client.get(path).content.decode("utf-8-sig")
        assert not [word for word in HIDDEN_WORDS if word in text], path
        assert not [need for need in HIDDEN_NEEDS if need in text], path
    assert found(client.get("/needs")) == (5, 5)
    for need in HIDDEN_NEEDS:
        assert client.get(f"/needs/{need}").status_code == 404
    award = client.get("/needs/need:qst-rebco-award-2025", params={"lang": "en"}).text
    assert "Members Only Co" not in award and "org:members-only-co" not in award


def test_members_see_members_needs_but_not_a_private_buyers(member):
    page = member.get("/needs", params={"lang": "en"})
    assert "need:members-bellows" in listed(page) and "need:private-buyer-call" not in listed(page)
    assert found(page) == (6, 6)
    assert member.get("/needs/need:members-bellows").status_code == 200
    assert member.get("/needs/need:private-buyer-call").status_code == 404
    award = member.get("/needs/need:qst-rebco-award-2025", params={"lang": "en"}).text
    assert 'href="/organizations/org:members-only-co">Members Only Co</a>' in award


def test_a_private_buyers_own_users_see_its_needs(templates, tmp_path):
    own = Audience(level=MEMBERS_LEVEL, org_id="org:private-buyer")
    app = make_app(templates.sqlite("needs", load_needs, tmp_path / "atlas.db"), own)
    with TestClient(app) as client:
        assert "need:private-buyer-call" in listed(client.get("/needs", params={"lang": "en"}))
        page = client.get("/needs/need:private-buyer-call", params={"lang": "en"})
        assert page.status_code == 200
        assert 'href="/organizations/org:private-buyer">Hidden Procurement Office</a>' in page.text
        rows = rows_of(client.get("/needs.csv", params={"country": "GB"}))
        assert [r["id"] for r in rows] == ["need:private-buyer-call"]
    app.state.engine.dispose()


def test_need_page_in_english(client):
    page = client.get("/needs/need:qst-rebco-award-2025", params={"lang": "en"})
    assert page.status_code == 200
    text = page.text
    assert '<h1 id="need-title">REBCO tape supply</h1>' in text
    assert 'href="/organizations/org:qst">National Institutes for Quantum Science and Technology</a> (Japan)' in text
    assert 'data-status="awarded">Awarded</span>' in text
    assert "<td>2025-04</td>" in text  # published
    assert re.search(r'id="need-delivery">2025-06 – 2026-03<', text)
    assert re.search(r'id="need-quantity">20 km of REBCO tape<', text)
    assert re.search(r'id="need-value">3,500,000,000 JPY<', text)
    assert 'href="/technologies/tech:magnet.hts">HTS REBCO tape</a>' in text
    # The awardee's country by name (it once showed "(JP)").
    assert 'id="need-awardees"><a href="/organizations/org:fujikura">Fujikura</a> (Japan)' in text
    assert 'href="https://www.fujikura.co.jp/en/products/newbusiness/superconductors/"' in text
    # Proposed suppliers: Fujikura makes REBCO tape; its reasons are in English, and it won this need.
    suppliers = text[text.index('id="suppliers"') :]
    assert (
        'href="/organizations/org:fujikura">Fujikura</a> <span class="status status-awarded">awarded this need'
        in suppliers
    )
    assert "Capability in" in suppliers


def test_need_page_in_japanese(client):
    text = client.get("/needs/need:qst-rebco-award-2025", params={"lang": "ja"}).text
    assert '<h1 id="need-title">REBCO線材の調達</h1>' in text
    assert 'href="/organizations/org:qst">量子科学技術研究開発機構</a> (日本)' in text
    assert 'data-status="awarded">決定済み</span>' in text
    assert 'href="/technologies/tech:magnet.hts">高温超伝導線材</a>' in text
    suppliers = text[text.index('id="suppliers"') :]
    assert 'href="/organizations/org:fujikura">フジクラ</a>' in suppliers
    assert "実績あり" in suppliers  # the matcher's reasons in Japanese
    assert "Capability in" not in suppliers


def test_need_past_its_deadline_shows_closed_and_scripts_never_link(sqlite_client):
    text = sqlite_client.get("/needs/need:qst-hts-tape-2019", params={"lang": "en"}).text
    assert 'data-status="closed">Closed</span>' in text
    assert "Recorded as open; its deadline has passed." in text
    assert "Notice with a script address" in text and "javascript:" not in text
    with sqlite_client.app.state.engine.connect() as connection:  # the store does hold the script address
        sources = TABLES_BY_NAME["sources"]
        query = select(sources.c.url).where(sources.c.id == "src:bad-link")
        assert connection.execute(query).scalar() == SCRIPT_URL
    open_need = sqlite_client.get("/needs/need:iter-gyrotron", params={"lang": "en"}).text
    assert 'data-status="open">Open</span>' in open_need and "its deadline has passed" not in open_need
    assert 'id="need-countries">Japan, France<' in open_need
    assert 'id="need-countries">any country<' in text


def test_unknown_and_hidden_needs_are_the_same_404(sqlite_client):
    unknown = sqlite_client.get("/needs/need:nothing-here", params={"lang": "ja"})
    hidden = sqlite_client.get("/needs/need:members-bellows", params={"lang": "ja"})
    assert unknown.status_code == hidden.status_code == 404
    # The same page but for the address in the language switch: nothing tells them apart.
    assert unknown.text.replace("need:nothing-here", "ID") == hidden.text.replace("need:members-bellows", "ID")
    assert translator("ja")("No such page or record.") in unknown.text


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"status": "pending"}, "status: unknown status"),
        ({"technology": "tech:warp"}, "technology: unknown technology"),
        ({"country": "UK"}, "country: &#39;UK&#39; is not an ISO 3166-1 alpha-2 country code (use GB)"),
        ({"deadline_after": "2025-13"}, "deadline_after: &#39;2025-13&#39; has no month 13"),
        ({"deadline_before": "x" * 11}, "deadline_before"),
        ({"page": 0}, "page"),
    ],
)
def test_bad_parameters_get_a_422_page_saying_why(sqlite_client, params, message):
    response = sqlite_client.get("/needs", params=params)
    assert response.status_code == 422 and message in response.text
    if "page" not in params:  # the downloads hold every page
        assert sqlite_client.get("/needs.csv", params=params).status_code == 422


def test_navigation_links_the_needs():
    assert ("/needs", "Needs") in NAV
    paths = [path for path, _label in NAV]
    assert paths.index("/needs") == paths.index("/match") + 1
    assert translator("ja")("Needs") == "ニーズ"


def test_the_buyers_users_keep_their_need_current_others_may_not(templates, tmp_path):
    from fusionatlas.store import accounts
    from tests.web.test_accounts import PASSWORD, csrf, login

    app = create_app(templates.sqlite("needs", load_needs, tmp_path / "atlas.db"))
    with app.state.engine.begin() as connection:
        accounts.create_user(connection, "buyer@qst.example.org", PASSWORD, "member", "org:qst")
        accounts.create_user(connection, "other@iter.example.org", PASSWORD, "member", "org:iter-organization")
    page = "/needs/need:qst-magnet-2031"
    with TestClient(app) as anonymous:
        assert 'id="need-update"' not in anonymous.get(page).text
        assert anonymous.post(page, data={"status": "closed"}, follow_redirects=False).status_code in (303, 403)
    with TestClient(app) as other:
        assert login(other, "other@iter.example.org").status_code == 303
        assert 'id="need-update"' not in other.get(page).text
        form = {"csrf": csrf(other, page), "status": "closed"}
        assert other.post(page, data=form, follow_redirects=False).status_code == 403
    with TestClient(app) as buyer:
        assert login(buyer, "buyer@qst.example.org").status_code == 303
        assert 'id="need-update"' in buyer.get(page, params={"lang": "ja"}).text
        form = {"csrf": csrf(buyer, page), "status": "closed", "deadline": "2031-06", "description_en": "Done."}
        saved = buyer.post(page, data=form, follow_redirects=True)
        assert saved.status_code == 200 and 'id="need-saved"' in saved.text
        assert "Done." in saved.text
        bad = {"csrf": csrf(buyer, page), "status": "awarded"}  # an award needs its awardees
        assert buyer.post(page, data=bad).status_code == 422
    with app.state.engine.connect() as connection:
        entries, _total = accounts.audit_entries(connection, table_name="needs")
    assert entries[0].record_id == "need:qst-magnet-2031" and entries[0].after["status"] == "closed"
    app.state.engine.dispose()


def test_the_list_writes_amounts_as_the_need_page_does(client):
    japanese = client.get("/needs", params={"lang": "ja"}).text
    row = japanese.split('data-id="need:qst-rebco-award-2025"')[1].split("</tr>")[0]
    assert "35億円" in row and "3,500,000,000" not in row
    english = client.get("/needs", params={"lang": "en"}).text
    assert "3,500,000,000 JPY" in english.split('data-id="need:qst-rebco-award-2025"')[1].split("</tr>")[0]


def test_need_pages_write_dates_in_nengappi_in_japanese(client):
    text = client.get("/needs/need:qst-rebco-award-2025", params={"lang": "ja"}).text
    assert "<td>2025年4月</td>" in text  # published
    assert re.search(r'id="need-delivery">2025年6月 – 2026年3月<', text)
    assert not re.search(r'id="need-verified">\d{4}-', text)
    listed = client.get("/needs", params={"lang": "ja"}).text
    assert not re.search(r'id="status-count"[^>]*>[^<]*\d{4}-\d{2}-\d{2}', listed)
    assert not re.search(r'id="data-as-of"[^>]*>[^<]*\d{4}-\d{2}-\d{2}', listed), "the footer too"


def test_list_shows_the_buyers_country_by_name(sqlite_client):
    """The Country column once showed "EU", "FR"."""
    for lang in ("en", "ja"):
        page = sqlite_client.get("/needs", params={"lang": lang}).text
        codes = re.findall(r'<span title="([A-Z]{2})">([^<]+)</span>', page)
        assert codes and all(name != code for code, name in codes), codes
