"""The scenario pages, downloads and API on the bundled atlas, in both languages; bad input is refused."""

import csv
import io
import json

import pytest
from fastapi.testclient import TestClient

from fusionatlas.web.app import create_app


@pytest.fixture
def client(bundled_sqlite_url):
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
