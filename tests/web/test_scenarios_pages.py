"""The scenario pages, downloads and API on the bundled atlas, in both languages; bad input is refused."""

import csv
import io
import json

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
    assert bad.status_code == 422 and "scenario.yaml:8: field &#39;design&#39;" in bad.text


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
