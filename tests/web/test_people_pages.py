"""The people pages: skills in demand against training (/skills, /skills/{id}, /api/skills, downloads) and the
registry of training offers (/training), in Japanese and English, with clear errors for bad filters."""

import csv
import io

import pytest
from fastapi.testclient import TestClient
from openpyxl import load_workbook

from fusionatlas.web.app import create_app


@pytest.fixture
def client(loaded_db_url):
    with TestClient(create_app(loaded_db_url)) as client:
        yield client


def test_the_skills_page_in_japanese_ranks_the_gap_and_explains_it(client):
    page = client.get("/skills?country=&lang=ja")
    assert page.status_code == 200
    text = page.text
    assert "求められるスキルと、それを学べる場所" in text
    assert "高周波・マイクロ波工学" in text and "RF and microwave engineering" not in text
    assert text.index("skill:rf-microwave") < text.index("skill:magnet-winding")
    assert "国内に育成の場なし" in text
    assert "ギャップ = 需要 ÷ (1 + 育成)" in text


def test_the_skills_page_in_english_shows_workforce_figures_with_what_they_count(client):
    page = client.get("/skills?country=JP&lang=en")
    assert page.status_code == 200
    assert "Skills in demand and where they are taught" in page.text
    assert "People the example needs by 2030." in page.text
    assert "100–200 people" in page.text


def test_a_skill_page_links_the_need_the_offer_and_the_technologies(client):
    page = client.get("/skills/skill:magnet-winding?country=JP&lang=ja")
    assert page.status_code == 200
    assert 'href="/training#train:qst-magnet-school"' in page.text
    assert 'href="/organizations/org:fujikura"' in page.text
    assert 'href="/technologies/tech:magnet"' in page.text
    need = client.get("/skills/skill:rf-microwave?lang=en")
    assert 'href="/needs/need:iter-gyrotron"' in need.text
    assert client.get("/skills/skill:nothing").status_code == 404


def test_the_training_registry_filters_by_kind_country_and_skill(client):
    page = client.get("/training?lang=ja")
    assert "QSTマグネットスクール" in page.text and "サマースクール" in page.text and "日本語" in page.text
    assert client.get("/training?kind=internship").text.count('class="offer"') == 0
    assert (
        client.get("/training?kind=summer_school&country=JP&skill=skill:magnet-winding").text.count('class="offer"')
        == 1
    )
    assert client.get("/training?skill=skill:rf-microwave").text.count('class="offer"') == 0


@pytest.mark.parametrize(
    "url", ["/skills?country=ZZ", "/api/skills?country=UK", "/training?kind=bootcamp", "/training?country=12"]
)
def test_bad_filters_are_refused_with_a_reason(client, url):
    reply = client.get(url)
    assert reply.status_code == 422


def test_the_json_view_and_downloads_speak_the_page_language(client):
    document = client.get("/api/skills?country=FR").json()
    assert document["country"] == "FR"
    assert document["skills"][0]["id"] == "skill:rf-microwave" and document["skills"][0]["demand"] == 1
    rows = list(csv.reader(io.StringIO(client.get("/skills.csv?country=&lang=ja").content.decode("utf-8-sig"))))
    assert rows[0][:4] == ["スキルID", "スキル（英語）", "スキル（日本語）", "需要（ニーズ件数）"]
    assert rows[1][0] == "skill:rf-microwave"
    book = load_workbook(io.BytesIO(client.get("/training.xlsx?lang=en").content))
    sheet = book.active
    assert [c.value for c in sheet[1]][:4] == ["Id", "Name", "Organization", "Kind"]
    assert [c.value for c in sheet[2]][:4] == [
        "train:qst-magnet-school",
        "QST magnet school",
        "National Institutes for Quantum Science and Technology",
        "Summer school",
    ]


def test_the_navigation_leads_to_the_skills_page(client):
    assert 'href="/skills"' in client.get("/?lang=ja").text
