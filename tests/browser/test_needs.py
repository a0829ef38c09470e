"""The needs pages in a real browser: both languages without console errors, and in Japanese a need found
by its technology, opened, with the suppliers the matcher proposes for it."""

import re

import pytest

from tests.browser.conftest import assert_opens_cleanly

PAGES = [
    "/needs",
    "/needs?status=awarded&technology=tech:magnet&size=10&page=2",
    "/needs/need:iter-ja-tf-coils-toshiba-2014",
]


@pytest.mark.browser
@pytest.mark.parametrize("path", PAGES)
@pytest.mark.parametrize("lang", ["en", "ja"])
def test_pages_open_without_console_errors(page, live_server, path, lang):
    assert_opens_cleanly(page, live_server, path, lang)


@pytest.mark.browser
def test_a_need_found_by_technology_shows_its_proposed_suppliers_in_japanese(page, live_server):
    page.goto(f"{live_server}/needs?lang=ja")
    assert page.inner_text("h1") == "ニーズ"
    page.select_option("#filter-technology", "tech:magnet.coil.tf")
    page.click("#need-filter button[type=submit]")
    page.wait_for_url("**technology=tech%3Amagnet.coil.tf**")
    counted = int(page.get_attribute("#need-count", "data-found"))
    rows = page.locator("#needs tr[data-id]")
    assert counted == rows.count() > 0
    assert "この条件に合います" in page.inner_text("#need-count")
    # Every listed need is on the TF coil node (or below it): its page names that technology.
    link = page.locator("#needs tr[data-id] td:first-child a", has_text="東芝").first
    title = link.inner_text()
    assert re.search(r"[\u3040-\u30ff\u4e00-\u9fff]", title)  # a Japanese title
    link.click()
    page.wait_for_selector("#suppliers")
    assert page.inner_text("#need-title") == title
    assert "トロイダル磁場コイル" in page.inner_text("#need-technologies")
    assert "東芝" in page.inner_text("#need-awardees")
    suppliers = page.locator("#suppliers tr[data-org]")
    assert suppliers.count() > 0
    first = suppliers.first
    assert first.locator("td:first-child a").get_attribute("href").startswith("/organizations/org:")
    assert re.search(r"[\u3040-\u30ff\u4e00-\u9fff]", first.locator("td:nth-child(2)").inner_text())  # 日本, ...
    reasons = first.locator("ul.why li")
    assert reasons.count() > 0 and re.search(r"[\u3040-\u30ff\u4e00-\u9fff]", reasons.first.inner_text())
    # The awardee is among the proposed suppliers, marked as the one that won it.
    assert page.locator("#suppliers tr[data-org='org:toshiba-energy-systems'] .status-awarded").count() == 1
    assert page.problems == []


@pytest.mark.browser
def test_a_japanese_valve_maker_finds_needs_and_technologies_then_a_needs_page(page, live_server):
    """The valve maker's path (needs issue): its products typed in Japanese, the needs and technologies they
    fit, and a need's page with the suppliers proposed for it."""
    page.goto(f"{live_server}/match?lang=ja")
    page.fill("#seeds-form textarea[name=seeds]", "当社は高真空・高温用バルブを製造しています")
    page.click("#seeds-form button[type=submit]")
    page.wait_for_selector("#seed-results")
    results = page.inner_text("#seed-results")
    assert "バルブ" in results  # the seeds were read as the valve node: the reasons name it
    assert "技術マップ上で" in results  # technologies next to it, in Japanese
    need_link = page.locator('#seed-results a[href^="/needs/"]').first
    assert need_link.count() == 1, results
    title = need_link.inner_text()
    need_link.click()
    page.wait_for_selector("#need-title")
    assert page.inner_text("#need-title") == title
    assert re.search(r"[\u3040-\u30ff\u4e00-\u9fff]", title)  # a Japanese title on a Japanese page
    assert page.locator('#suppliers a[href^="/organizations/"]').count() > 0  # the suppliers the matcher proposes
    assert page.problems == []
