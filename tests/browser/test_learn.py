"""The explainer in a real browser, as a visitor on a phone reads it: in Japanese, on a 390x844 window, with
JavaScript on and off: no horizontal scrolling, furigana over the technical words, and a term that leads to
its glossary entry."""

import pytest

from fusionatlas.web.pages.learn import explainer


def _read_on_a_phone(page, live_server):
    page.set_viewport_size({"width": 390, "height": 844})
    response = page.goto(f"{live_server}/learn?lang=ja")
    assert response.status == 200
    assert page.inner_text("h1") == "核融合をやさしく"
    assert page.locator("#learn ruby").count() >= 20
    assert page.locator("#learn ruby rt").first.inner_text() != ""
    # The explainer's sections, and the progress chart: a point and the two levels, within the window.
    assert page.locator("#learn section").count() == len(explainer()) + 1
    assert page.locator("#triple-product-chart circle.record").count() >= 1
    box = page.locator("#triple-product-chart").bounding_box()
    assert box and box["width"] <= 390
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
    # A term in the text opens its glossary entry, itself with furigana and a link to the technology map.
    page.click("#how-fusion-works a.term")
    page.wait_for_url("**/learn/glossary#g-tech-blanket")
    entry = page.locator("#g-tech-blanket")
    assert "ブランケット" in entry.inner_text()
    assert entry.locator("a").get_attribute("href") == "/technologies/tech:blanket"
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")


@pytest.mark.browser
def test_the_explainer_reads_on_a_phone_in_japanese(page, live_server):
    _read_on_a_phone(page, live_server)
    assert page.problems == []


@pytest.mark.browser
def test_the_explainer_needs_no_javascript(browser, live_server):
    context = browser.new_context(locale="ja-JP", java_script_enabled=False)
    try:
        _read_on_a_phone(context.new_page(), live_server)
    finally:
        context.close()


@pytest.mark.browser
@pytest.mark.parametrize("path", ["/learn", "/learn/glossary"])
def test_the_pages_open_in_english_without_console_errors(page, live_server, path):
    assert page.goto(f"{live_server}{path}?lang=en").status == 200
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.problems == []
