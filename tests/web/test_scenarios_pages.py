"""The scenario pages, downloads and API on the bundled atlas, in both languages; bad input is refused."""

import csv
import html
import io
import json
import re

import pytest
from fastapi.testclient import TestClient

from fusionatlas.store import accounts
from fusionatlas.store.engine import open_engine
from fusionatlas.web.app import create_app

PASSWORD = "correct horse battery"
OWN = """id: mine
name_en: Three FAST plants
name_ja: FAST級3基
start_year: 2025
end_year: 2055
slip_years: {value: 0, basis: sourced, source_ids: [src:iter-2024-new-baseline]}
plants:
  - {design: fast, count: 3, operation_start: 2036}
"""


@pytest.fixture
def client(bundled_sqlite_url):
    engine = open_engine(bundled_sqlite_url)
    with engine.begin() as connection:
        accounts.create_user(connection, "member@example.org", PASSWORD, "member")
    engine.dispose()
    app = create_app(bundled_sqlite_url)
    with TestClient(app) as client:
        yield client
    app.state.engine.dispose()


def test_list_and_scenario_pages_in_both_languages(client):
    listing = client.get("/scenarios", params={"lang": "ja"})
    assert (
        listing.status_code == 200 and "サプライチェーン・シナリオ" in listing.text and "発表済み計画" in listing.text
    )
    english = client.get("/scenarios/announced", params={"lang": "en"})
    assert english.status_code == 200
    assert english.text.count("<svg") >= 15 and "First shortfall" in english.text
    assert "Nb3Sn superconducting strand" in english.text and "Magnets" in english.text  # a cited source's title
    japanese = client.get("/scenarios/announced", params={"lang": "ja"})
    assert "最初の供給不足" in japanese.text and "仮定と出典" in japanese.text and "トリチウム" in japanese.text
    assert "First shortfall" not in japanese.text


def test_downloads_hold_every_item_and_year(client):
    data = client.get("/scenarios/japan-2030s.json").json()
    rows = list(csv.DictReader(io.StringIO(client.get("/scenarios/japan-2030s.csv").content.decode("utf-8-sig"))))
    assert len(rows) == len(data["items"]) * len(data["years"])
    svg = client.get("/scenarios/japan-2030s/rebco-tape.svg", params={"lang": "ja"})
    assert svg.headers["content-type"].startswith("image/svg+xml") and "REBCO高温超伝導線材" in svg.text


def test_api_follows_the_documented_shape(client):
    listing = client.get("/api/scenarios").json()["scenarios"]
    assert {s["id"] for s in listing} >= {"announced", "japan-2030s", "uk-step", "eu-demo", "private-buildout"}
    result = client.get("/api/scenarios/announced", params={"country": "JP", "partners": "US,GB"}).json()
    item = next(i for i in result["items"] if i["id"] == "gyrotron")
    keys = {
        "demand_p10",
        "demand_p50",
        "demand_p90",
        "capacity",
        "capacity_p10",
        "capacity_p90",
        "first_shortfall_year",
    }
    assert keys <= set(item) and len(item["demand_p50"]) == len(result["years"])
    assert 0 < item["domestic_share"] < 1  # Canon's share of the gyrotron makers' capacity
    assert json.dumps(result)  # plain data


def test_bad_input_is_refused(client):
    assert client.get("/scenarios/no-such-plan").status_code == 404
    assert client.get("/api/scenarios/no-such-plan").status_code == 404
    bad = client.get("/scenarios/announced", params={"country": "ZZ", "lang": "ja"})
    assert bad.status_code == 422 and "この入力ではシナリオを実行できません" in bad.text
    assert client.get("/api/scenarios/announced", params={"country": "JP", "partners": "JP"}).status_code == 422
    assert client.get("/scenarios/announced/no-item.svg").status_code == 404


def sign_in(client):
    client.get("/login")
    data = {"csrf": client.cookies.get("csrftoken"), "email": "member@example.org", "password": PASSWORD}
    assert client.post("/login", data=data, follow_redirects=False).status_code == 303


def test_anonymous_visitors_get_a_login_link_instead_of_the_own_scenario_form(client):
    page = client.get("/scenarios", params={"lang": "ja"}).text
    assert 'id="own-scenario"' not in page and 'href="/login?next=%2Fscenarios%3Flang%3Dja&amp;lang=ja"' in page
    for path in ("/scenarios/run", "/scenarios/save"):
        moved = client.get(path, follow_redirects=False)
        assert moved.status_code == 303 and moved.headers["location"] == "/scenarios"
        data = {"scenario_yaml": OWN, "csrf": client.cookies.get("csrftoken")}
        bounced = client.post(path, data=data, follow_redirects=False)
        assert bounced.status_code == 303 and bounced.headers["location"] == "/login?next=%2Fscenarios"


def test_saved_scenarios_last_changed_says_its_time_zone(client):
    sign_in(client)
    client.get("/scenarios")
    token = client.cookies.get("csrftoken")
    saved = client.post("/scenarios/save", data={"csrf": token, "scenario_yaml": OWN}, follow_redirects=False)
    assert saved.status_code == 303
    japanese = client.get("/scenarios", params={"lang": "ja"}).text
    assert re.search(r"<td>\d{4}年\d{1,2}月\d{1,2}日 \d{1,2}:\d{2}（日本時間）</td>", japanese)
    english = client.get("/scenarios", params={"lang": "en"}).text
    assert re.search(r"<td>\d{4}-\d{2}-\d{2} \d{2}:\d{2} UTC</td>", english)


def test_a_scenario_that_cannot_be_saved_says_why_in_japanese(client):
    sign_in(client)
    client.get("/scenarios", params={"lang": "ja"})
    token = client.cookies.get("csrftoken")
    broken = "id: mine\nname_en: x\n  bad: : indent\n"
    page = client.post("/scenarios/save", params={"lang": "ja"}, data={"csrf": token, "scenario_yaml": broken})
    assert page.status_code == 422 and "YAML の形式が正しくありません" in page.text
    assert "malformed YAML" not in page.text
    no_year = OWN.replace("start_year: 2025", "start_year:")
    assert no_year != OWN
    page = client.post("/scenarios/save", params={"lang": "ja"}, data={"csrf": token, "scenario_yaml": no_year})
    assert page.status_code == 422 and "項目 'start_year'：年(整数)でなければなりません" in html.unescape(page.text)
    assert "must be a year" not in page.text and "field" not in html.unescape(page.text).split("<form")[0][-300:]
    run = client.post("/scenarios/run", params={"lang": "ja"}, data={"csrf": token, "scenario_yaml": no_year})
    assert run.status_code == 422 and "must be a year" not in run.text


def test_members_run_their_own_scenario_with_the_csrf_token(client):
    anonymous = client.post("/scenarios/run", data={"scenario_yaml": OWN}, follow_redirects=False)
    assert anonymous.status_code in (303, 401, 403)
    sign_in(client)
    page = client.get("/scenarios", params={"lang": "ja"})
    token = client.cookies.get("csrftoken")
    assert token in page.text and "独自のシナリオ" in page.text
    result = client.post("/scenarios/run", data={"csrf": token, "scenario_yaml": OWN}, params={"lang": "ja"})
    assert result.status_code == 200 and "FAST級3基" in result.text and "保存されません" in result.text
    assert result.text.count("<svg") >= 15
    forged = client.post("/scenarios/run", data={"csrf": "forged", "scenario_yaml": OWN})
    assert forged.status_code == 403
    bad = client.post("/scenarios/run", data={"csrf": token, "scenario_yaml": OWN.replace("fast", "warp")})
    assert bad.status_code == 422 and "scenario.yaml:8: 項目 &#39;design&#39;：不明なプラント設計です" in bad.text


def test_chart_switches_to_a_logarithmic_axis_when_demand_is_small_beside_capacity():
    from fusionatlas.web.charts.scenarios import demand_chart

    years = [2030, 2031, 2032]
    item = {"id": "x", "unit": "t", "first_shortfall_year": 2032}
    small = {
        **item,
        "demand_p10": [0, 1, 2],
        "demand_p50": [0, 1, 2],
        "demand_p90": [0, 1, 2],
        "capacity_p10": [900, 900, 900],
        "capacity": [1000, 1000, 1000],
        "capacity_p90": [1100, 1100, 1100],
    }
    close = {**small, "capacity_p10": [1, 1, 1], "capacity": [2, 2, 2], "capacity_p90": [3, 3, 3]}
    assert "logarithmic scale" in demand_chart(small, years, "X", str)
    drawn = demand_chart(close, years, "X", str)
    assert "linear scale" in drawn and "First shortfall 2032" in drawn and drawn.count("<polygon") == 2


def test_a_capacity_row_in_another_unit_is_left_out_and_shown(client, bundled_sqlite_url):
    from sqlalchemy import update

    from fusionatlas.store.schema import TABLES_BY_NAME
    from fusionatlas.store.version import bump

    table = TABLES_BY_NAME["capacities"]
    engine = open_engine(bundled_sqlite_url)
    with engine.begin() as connection:
        connection.execute(update(table).where(table.c.id == "capa:rebco-tape.metox").values(unit="m"))
        bump(connection)
    engine.dispose()
    page = client.get("/scenarios/announced", params={"lang": "ja"})
    assert "除外した生産能力の行" in page.text and "capa:rebco-tape.metox" in page.text
    data = client.get("/api/scenarios/announced").json()
    assert [row["id"] for row in data["ignored_capacities"]] == ["capa:rebco-tape.metox"]


# ---- members' saved scenarios ----------------------------------------------------------------------


def sign_in_as(client, email):
    client.cookies.clear()
    client.get("/login")
    data = {"csrf": client.cookies.get("csrftoken"), "email": email, "password": PASSWORD}
    assert client.post("/login", data=data, follow_redirects=False).status_code == 303
    return client.cookies.get("csrftoken")


@pytest.fixture
def members(bundled_sqlite_url):
    """Two members of QST, one of Fujikura and an editor, on the bundled atlas."""
    engine = open_engine(bundled_sqlite_url)
    with engine.begin() as connection:
        for email, role, org in (
            ("owner@example.org", "member", "org:qst"),
            ("colleague@example.org", "member", "org:qst"),
            ("other@example.org", "member", "org:fujikura"),
            ("editor@example.org", "editor", None),
        ):
            accounts.create_user(connection, email, PASSWORD, role, org)
    engine.dispose()
    app = create_app(bundled_sqlite_url)
    with TestClient(app) as client:
        yield client
    app.state.engine.dispose()


def test_a_member_saves_a_private_scenario_and_opens_edits_shares_and_deletes_it(members):
    client = members
    assert client.post("/scenarios/save", data={"scenario_yaml": OWN}, follow_redirects=False).status_code in (
        303,
        401,
        403,
    )
    token = sign_in_as(client, "owner@example.org")
    assert client.post("/scenarios/save", data={"csrf": "forged", "scenario_yaml": OWN}).status_code == 403
    made = client.post("/scenarios/save", data={"csrf": token, "scenario_yaml": OWN}, follow_redirects=False)
    assert made.status_code == 303
    url = made.headers["location"]
    assert url.startswith("/scenarios/saved/")
    page = client.get(url, params={"lang": "ja"})
    assert page.status_code == 200 and "FAST級3基" in page.text and "非公開" in page.text
    assert (
        page.text.count("<svg") >= 15
        and "グラフをダウンロード（PNG）" in page.text
        and "chart-download.js" in page.text
    )
    assert f"{url}/edit" in page.text and "この保存シナリオを削除" in page.text
    listing = client.get("/scenarios", params={"lang": "en"})
    assert "Your saved scenarios" in listing.text and url in listing.text
    # Private: the owner's organization and editors see it; another member and anonymous visitors get a 404.
    for email, status in (("colleague@example.org", 200), ("other@example.org", 404), ("editor@example.org", 200)):
        sign_in_as(client, email)
        assert client.get(url).status_code == status, email
        assert (url in client.get("/scenarios").text) == (status == 200), email
    client.cookies.clear()
    assert client.get(url).status_code == 404 and client.get(url + "/edit").status_code == 404
    assert url not in client.get("/scenarios").text
    # Only the owner edits: the colleague who sees it may not.
    token = sign_in_as(client, "colleague@example.org")
    assert client.get(url + "/edit").status_code == 403
    assert client.post(url, data={"csrf": token, "scenario_yaml": OWN, "visibility": "public"}).status_code == 403
    assert client.post(url + "/delete", data={"csrf": token}).status_code == 403
    # The owner makes it public under a new name; bad YAML is refused and changes nothing.
    token = sign_in_as(client, "owner@example.org")
    edit = client.get(url + "/edit", params={"lang": "ja"})
    assert edit.status_code == 200 and "シナリオを編集" in edit.text and "FAST級3基" in edit.text
    bad = client.post(url, data={"csrf": token, "scenario_yaml": OWN.replace("fast", "warp"), "visibility": "public"})
    assert bad.status_code == 422 and "scenario.yaml:8: 項目 &#39;design&#39;：不明なプラント設計です" in bad.text
    renamed = OWN.replace("Three FAST plants", "Three FAST plants, shared")
    changed = client.post(url, data={"csrf": token, "scenario_yaml": renamed, "visibility": "public"})
    assert changed.status_code == 200 and "Three FAST plants, shared" in client.get(url, params={"lang": "en"}).text
    client.cookies.clear()
    assert client.get(url).status_code == 200 and url in client.get("/scenarios").text
    # The owner deletes it; then it is gone for everyone.
    token = sign_in_as(client, "owner@example.org")
    deleted = client.post(url + "/delete", data={"csrf": token}, follow_redirects=False)
    assert deleted.status_code == 303 and client.get(url).status_code == 404


def test_bad_yaml_is_not_saved_and_the_form_keeps_it(members):
    client = members
    token = sign_in_as(client, "owner@example.org")
    broken = OWN.replace("count: 3", "count: -3")
    reply = client.post("/scenarios/save", data={"csrf": token, "scenario_yaml": broken}, params={"lang": "ja"})
    assert reply.status_code == 422 and "このシナリオは保存できません" in reply.text
    assert "scenario.yaml:8: 項目 &#39;count&#39;：" in reply.text and "count: -3" in reply.text
    other = client.post("/scenarios/save", data={"csrf": token, "scenario_yaml": OWN, "visibility": "everyone"})
    assert other.status_code == 422 and "visibility" in other.text
    assert "Your saved scenarios" not in client.get("/scenarios").text


def test_an_editor_deletes_a_members_scenario(members):
    client = members
    token = sign_in_as(client, "owner@example.org")
    made = client.post(
        "/scenarios/save", data={"csrf": token, "scenario_yaml": OWN, "visibility": "members"}, follow_redirects=False
    )
    url = made.headers["location"]
    token = sign_in_as(client, "other@example.org")
    assert client.get(url).status_code == 200  # members: every signed-in user
    assert client.post(url + "/delete", data={"csrf": token}).status_code == 403
    token = sign_in_as(client, "editor@example.org")
    page = client.get(url)
    assert "Delete this saved scenario" in page.text and f"{url}/edit" not in page.text
    assert client.post(url + "/delete", data={"csrf": token}, follow_redirects=False).status_code == 303
    assert client.get(url).status_code == 404


def test_saved_scenario_pages_read_in_japanese(members, bundled_sqlite_url):
    from tests.web.test_japanese_text import _Page, _proper_nouns, english_runs

    client = members
    token = sign_in_as(client, "owner@example.org")
    made = client.post("/scenarios/save", data={"csrf": token, "scenario_yaml": OWN}, follow_redirects=False)
    url = made.headers["location"]
    nouns = _proper_nouns(bundled_sqlite_url)
    for path in (url, url + "/edit", "/scenarios"):
        page = _Page()
        page.feed(client.get(path, params={"lang": "ja"}).text)
        runs = [run for text in page.texts for run in english_runs(text, nouns)]
        assert not runs, (path, runs)


def test_chart_axes_write_plain_numbers_and_powers_of_ten_never_e_notation():
    import re

    from fusionatlas.web.charts.landscape import tick_text
    from fusionatlas.web.charts.scenarios import demand_chart

    assert [tick_text(v) for v in (0, 312.5, 1250, 10_000, 0.25)] == ["0", "312.5", "1,250", "10,000", "0.25"]
    assert [tick_text(v, logarithmic=True) for v in (1, 100, 1e4, 1e18, 1e-3)] == ["1", "100", "10⁴", "10¹⁸", "10⁻³"]
    years = [2030, 2031, 2032]
    linear = {
        "id": "x",
        "unit": "t",
        "first_shortfall_year": None,
        "demand_p10": [800, 900, 1000],
        "demand_p50": [900, 1000, 1100],
        "demand_p90": [1000, 1100, 1200],
        "capacity_p10": [500, 500, 500],
        "capacity": [600, 600, 600],
        "capacity_p90": [700, 700, 700],
    }
    logarithmic = {
        **linear,
        **{"demand_p10": [1, 1, 1], "demand_p50": [1, 2, 3], "demand_p90": [2, 3, 4]},
        **{"capacity_p10": [9000] * 3, "capacity": [10_000] * 3, "capacity_p90": [11_000] * 3},
    }
    for item in (linear, logarithmic):
        drawn = demand_chart(item, years, "X", str)
        assert not re.search(r">[\d.]+e[+-]?\d+<", drawn), "no 1.25e+03 on an axis"
    assert ">1,500<" in demand_chart(linear, years, "X", str)
    assert ">10⁴<" in demand_chart(logarithmic, years, "X", str)
