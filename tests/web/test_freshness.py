"""Pages show how current the data is: every page's footer gives the data's as-of date, record pages the
date each record was last verified, and milestones still planned after their date are flagged, in both
languages, on SQLite and PostgreSQL."""

import re

import pytest
from fastapi.testclient import TestClient

from fusionatlas.dataset.package import load_package
from fusionatlas.web.app import create_app
from fusionatlas.web.freshness import is_overdue, verified_on
from tests.fixtures import FILES, write_package

# QST's source read on 2026-11-28; a second source read later; QST re-verified by hand on 2026-12-01.
SOURCES = FILES["sources.csv"] + "src:later,A later page,ITER Organization,2025,https://www.iter.org/x,2026-12-02,en\n"
ORGANIZATIONS = FILES["organizations.csv"].replace("unconfirmed\n", "unconfirmed,last_verified\n", 1)
ORGANIZATIONS = (
    "\n".join(
        line + ("," if i else "") + ("2026-12-01" if line.startswith("org:qst,") else "")
        for i, line in enumerate(ORGANIZATIONS.rstrip("\n").split("\n"))
    )
    + "\n"
)
MILESTONES = FILES["milestones.csv"].replace("kind,title_en", "kind,status,title_en", 1)
MILESTONES = (
    MILESTONES.replace(",first_plasma,", ",first_plasma,achieved,").replace(
        ",operation_start,", ",operation_start,achieved,"
    )
    + "ms:late-step,2025-03,JP,org:qst,,other,planned,A late step,遅れた段階,,src:qst-jt60sa,false\n"
)


def build(engine, folder):
    package = write_package(folder, sources_csv=SOURCES, organizations_csv=ORGANIZATIONS, milestones_csv=MILESTONES)
    load_package(engine, package)


@pytest.fixture
def client(db_from_template, tmp_path):
    url = db_from_template("freshness", lambda engine: build(engine, tmp_path / "package"))
    app = create_app(url)
    with TestClient(app) as client:
        yield client
    app.state.engine.dispose()


def footer(html):
    found = re.search(r'<footer id="data-as-of"[^>]*>(.*?)</footer>', html, re.S)
    assert found, "no as-of footer"
    return found.group(1)


@pytest.mark.parametrize("path", ["/", "/organizations", "/organizations/org:qst", "/landscape/timeline", "/needs"])
def test_every_page_shows_the_data_as_of_date(client, path):
    assert "Data as of 2026-12-02" in footer(client.get(path, params={"lang": "en"}).text)
    assert "データ時点 2026年12月2日" in footer(client.get(path, params={"lang": "ja"}).text)


def test_record_pages_show_when_each_record_was_last_verified(client):
    qst = client.get("/organizations/org:qst", params={"lang": "en"}).text
    assert re.search(r'id="org-verified">2026-12-01<', qst)  # its own date
    fujikura = client.get("/organizations/org:fujikura", params={"lang": "ja"}).text
    assert "最終確認日" in fujikura
    assert re.search(r'id="org-verified">2026年11月28日<', fujikura)  # its source's access date, in 年月日
    need = client.get("/needs/need:iter-gyrotron", params={"lang": "en"}).text
    assert re.search(r'id="need-verified">2026-11-28<', need)
    node = client.get("/technologies/tech:magnet", params={"lang": "en"}).text
    assert re.search(r'id="verified">2026-11-28<', node)


def test_milestones_still_planned_after_their_date_are_flagged(client):
    timeline = client.get("/landscape/timeline", params={"lang": "en"}).text
    row = re.search(r'<tr id="ms:late-step".*?</tr>', timeline, re.S).group(0)
    assert 'class="overdue"' in row and "overdue" in row
    done = re.search(r'<tr id="ms:jt-60sa-first-plasma".*?</tr>', timeline, re.S).group(0)
    assert 'class="overdue"' not in done
    assert "期限超過" in client.get("/organizations/org:qst", params={"lang": "ja"}).text


def test_helpers():
    assert is_overdue({"status": "planned", "date": "2026"}, "2026-12-06") is False
    assert is_overdue({"status": "planned", "date": "2026-11"}, "2026-12-06") is True
    assert is_overdue({"status": "delayed", "date": "2020"}, "2026-12-06") is False
    sources = [{"id": "src:a", "accessed": "2026-01-01"}, {"id": "src:b", "accessed": "2026-03-01"}]
    assert verified_on({"source_ids": ["src:a", "src:b"]}, sources) == "2026-03-01"
    assert verified_on({"source_ids": ["src:a"], "last_verified": "2026-06-01"}, sources) == "2026-06-01"
    assert verified_on({"source_ids": []}, {}) is None
