"""The people pages in a real browser, on the bundled atlas: both languages without console errors, and in
Japanese, on a phone-sized window, a planner picks a country, opens the skill with the largest gap and
follows it to where the skill is taught."""

import pytest

from tests.browser.conftest import assert_opens_cleanly

PAGES = ["/skills", "/skills?country=GB", "/skills/skill:rf-microwave", "/training", "/training?kind=summer_school"]


@pytest.mark.browser
@pytest.mark.parametrize("path", PAGES)
@pytest.mark.parametrize("lang", ["en", "ja"])
def test_pages_open_without_console_errors(page, live_server, path, lang):
    assert_opens_cleanly(page, live_server, path, lang)


@pytest.mark.browser
def test_a_planner_follows_a_skill_gap_to_its_training_in_japanese_on_a_phone(page, live_server):
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{live_server}/skills?lang=ja")
    assert page.inner_text("h1") == "求められるスキルと、それを学べる場所"
    page.select_option("#skills-country", "JP")
    page.click("#skills-filter button[type=submit]")
    page.wait_for_url("**country=JP**")
    rows = page.locator("#skills tbody tr")
    assert rows.count() >= 20
    gaps = [float(g) for g in page.locator("#skills tbody tr").evaluate_all("rows => rows.map(r => r.dataset.gap)")]
    assert gaps == sorted(gaps, reverse=True)
    # The published UK figure is not shown for Japan; the Japanese page says so in Japanese.
    assert "公表されている人材の数" in page.inner_text("#workforce")
    page.click("#skills tbody tr[data-id='skill:plasma-physics'] a")
    page.wait_for_url("**/skills/skill:plasma-physics**")
    assert page.inner_text("h1") == "プラズマ物理・閉じ込め方式"
    taught = page.locator("#skill-training li")
    assert taught.count() >= 2
    assert "総研大" in page.inner_text("#skill-training")
    page.click("#skill-training a >> nth=0")
    page.wait_for_url("**/training#train:**")
    assert page.locator("section.offer").count() >= 3
    # No horizontal scrolling of the page itself on a phone.
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
    assert page.problems == []
