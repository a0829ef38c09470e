"""Pages open in both languages without console errors; search, the language switch and exports work."""

import pytest

from tests.browser.conftest import assert_opens_cleanly

PAGES = ["/", "/gaps", "/gaps/technology/tech:magnet.hts.rebco-tape"]


@pytest.mark.browser
@pytest.mark.parametrize("path", PAGES)
@pytest.mark.parametrize("lang", ["en", "ja"])
def test_pages_open_without_console_errors(page, live_server, path, lang):
    assert_opens_cleanly(page, live_server, path, lang)


@pytest.mark.browser
def test_search_and_language_switch(page, live_server):
    page.goto(f"{live_server}/?lang=en")
    page.fill("input[name=q]", "ジャイロトロン")
    page.press("input[name=q]", "Enter")
    page.wait_for_selector("#results")
    assert "Gyrotron" in page.inner_text("#results")
    page.click("#lang-switch")
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == "ja"
    assert "ジャイロトロン" in page.inner_text("#results")
    page.goto(f"{live_server}/gaps")
    assert page.locator("html").get_attribute("lang") == "ja", "the language choice is remembered"


@pytest.mark.browser
def test_gaps_export_downloads(page, live_server, tmp_path):
    page.goto(f"{live_server}/gaps?lang=en")
    with page.expect_download() as download:
        page.click("text=CSV")
    path = tmp_path / "gaps.csv"
    download.value.save_as(path)
    assert path.read_text(encoding="utf-8-sig").startswith("technology_id,")
