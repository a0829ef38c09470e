"""Search in a real browser, in Japanese: a maker found by its reading through the suggestions, and the
tritium-pump buyer's search leading to the makers of vacuum pumps."""

import pytest
from playwright.sync_api import expect


@pytest.mark.browser
def test_a_maker_is_found_by_its_reading_as_you_type(page, live_server):
    page.goto(f"{live_server}/search?lang=ja")
    box = page.locator("input[name=q][data-suggest]")
    box.press_sequentially("ふじく", delay=30)
    option = page.locator("#suggestions [role=option]").first
    option.wait_for()
    assert page.get_attribute("input[name=q]", "aria-expanded") == "true"
    # The list is redrawn as each keystroke's answer arrives: the one for "ふじ" (フジキン first) may show
    # before the one for "ふじく"; wait for the last.
    expect(option).to_contain_text("フジクラ")
    box.press("ArrowDown")
    box.press("Enter")
    page.wait_for_url("**/organizations/org:fujikura")
    assert "フジクラ" in page.inner_text("h1")
    assert page.problems == []


@pytest.mark.browser
def test_romaji_without_scripts_finds_the_maker(page, live_server):
    page.goto(f"{live_server}/search?lang=ja&q=fujikura")
    first = page.locator("#group-organizations .result a").first
    assert first.inner_text() == "フジクラ"
    first.click()
    page.wait_for_url("**/organizations/org:fujikura")


@pytest.mark.browser
def test_the_tritium_pump_buyers_search(page, live_server):
    page.goto(f"{live_server}/?lang=ja")
    page.fill("input[name=q]", "トリチウム 真空ポンプ")
    page.press("input[name=q]", "Enter")
    page.wait_for_selector("#results")
    assert page.locator("html").get_attribute("lang") == "ja"
    groups = page.locator(".result-group").evaluate_all("sections => sections.map(s => s.id)")
    assert groups[0] == "group-organizations"
    makers = page.locator("#group-organizations .result")
    first = makers.first
    assert "検索した技術の能力あり" in first.inner_text()  # holds capabilities on vacuum pumps
    names = makers.locator("a").all_inner_texts()
    assert "島津製作所" in names  # a Japanese maker of vacuum pumps, named in Japanese
    page.check("#search-filters input[value=organizations]")
    page.select_option("#search-filters select[name=country]", "JP")
    page.click("#search-filters button[type=submit]")
    page.wait_for_url("**country=JP**")
    kinds = page.locator(".result").evaluate_all("items => items.map(i => i.dataset.kind)")
    assert kinds and set(kinds) == {"organizations"}
    page.locator("#group-organizations .result a", has_text="島津製作所").click()
    page.wait_for_url("**/organizations/org:*")
    assert page.problems == []
