"""In Chromium: the gaps page in Japanese on the bundled atlas (Japan's path first, "not pursued" last), and a
member's self-assessment from the technology page through an editor's approval to the page that shows it."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from fusionatlas.dataset.package import load_package
from fusionatlas.store import accounts
from fusionatlas.store.engine import open_engine
from tests.browser.conftest import served
from tests.fixtures import write_package

PASSWORD = "browser passphrase"


@pytest.mark.browser
def test_gaps_page_in_japanese_ranks_japans_path_first(page, live_server):
    response = page.goto(f"{live_server}/gaps?lang=ja&country=JP&top=200")
    assert response.status == 200
    assert "技術ギャップ分析" in page.inner_text("h1")
    assert "関連度" in page.inner_text("#score-rule") and "並び順" in page.inner_text("#order-rule")
    cells = page.locator("#ranking td.category")
    categories = [cells.nth(i).get_attribute("data-category") for i in range(cells.count())]
    # Gaps first, "not pursued" at the end, each category shown in Japanese.
    assert categories[:20] == ["gap"] * 20 and categories[-1] == "not pursued"
    assert categories == sorted(categories, key=["gap", "not surveyed", "not pursued"].index)
    text = page.inner_text("#ranking")
    assert "取り組みなし" in text and "日本の路線上にあります" in text
    # Dense plasma focus and the levitated dipole are off Japan's path: not pursued, not ranked first.
    last_rows = page.inner_text("#ranking tr:last-child")
    assert "取り組みなし" in last_rows
    first = page.inner_text("#ranking tr:nth-child(2)")
    assert "プラズマフォーカス" not in first and "浮上ダイポール" not in first
    assert page.problems == []


@pytest.fixture(scope="module")
def review_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The fixture package with a member of Fujikura and an editor."""
    folder: Path = tmp_path_factory.mktemp("readiness")
    database = f"sqlite:///{folder / 'atlas.db'}"
    engine = open_engine(database)
    load_package(engine, write_package(folder / "package"))
    with engine.begin() as connection:
        accounts.create_user(connection, "fujikura@example.org", PASSWORD, "member", "org:fujikura")
        accounts.create_user(connection, "editor@example.org", PASSWORD, "editor")
    engine.dispose()
    with served(database) as url:
        yield url


def _log_in(page, server: str, email: str) -> None:
    page.goto(f"{server}/login?lang=ja")
    page.fill("input[name=email]", email)
    page.fill("input[name=password]", PASSWORD)
    page.click("#login-form button[type=submit]")
    page.wait_for_url(f"{server}/account")


@pytest.mark.browser
def test_self_assessment_from_the_technology_page_to_review_and_back(page, review_server):
    server = review_server
    _log_in(page, server, "fujikura@example.org")
    page.goto(f"{server}/technologies/tech:magnet.hts?lang=ja")
    page.click("#self-assess-link")
    page.wait_for_url(f"{server}/submit/readiness?technology_id=tech:magnet.hts")
    assert page.input_value("select[name=technology_id]") == "tech:magnet.hts"
    page.fill("input[name=value]", "8")
    page.select_option("select[name=context]", "demo")
    page.fill("input[name=date]", "2026-11")
    page.fill("textarea[name=description_en]", "Coil wound from our tape passed a 20 T test")
    page.fill("textarea[name=description_ja]", "当社線材のコイルが20 T試験に合格")
    page.select_option("select[name=visibility]", "public")
    page.click("#submit-form button[type=submit]")
    assert page.locator("#submitted").count() == 1
    page.click("#logout")

    _log_in(page, server, "editor@example.org")
    page.goto(f"{server}/review?lang=ja")
    assert "当社線材のコイル" in page.inner_text("body") or "Coil wound from our tape" in page.inner_text("body")
    page.locator("button[value=approve]").first.click()
    page.wait_for_url(f"{server}/review")
    page.click("#logout")

    # Anyone now sees it on the page, marked self-assessed; the independent fixture assessment stays the one used.
    page.goto(f"{server}/technologies/tech:magnet.hts?lang=ja")
    section = page.inner_text("#readiness-section")
    assert "当社線材のコイルが20 T試験に合格" in section and "自己評価" in section
    used = page.locator("#assessments tr.used")
    assert used.get_attribute("data-id") == "rdy:fixture.magnet.hts"
    assert page.locator("#readiness-chart circle.assessment").count() == 2
    assert page.problems == []
