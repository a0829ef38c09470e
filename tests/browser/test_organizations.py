"""The industry map and match pages in a real browser: both languages without console errors, filtering by
country, a match run from the match page, and the matrix's cells leading to the filtered list."""

import pytest

from tests.browser.conftest import assert_opens_cleanly

PAGES = [
    "/organizations",
    "/organizations?country=JP&area=tech:magnet&page=1&size=20",
    "/organizations/org:fujikura",
    "/industry-map",
    "/match",
    "/match?q=REBCO+tape+for+TF+coils&seeds=tungsten+monoblocks",
]


@pytest.mark.browser
@pytest.mark.parametrize("path", PAGES)
@pytest.mark.parametrize("lang", ["en", "ja"])
def test_pages_open_without_console_errors(page, live_server, path, lang):
    assert_opens_cleanly(page, live_server, path, lang)


@pytest.mark.browser
def test_filtering_by_country(page, live_server):
    page.goto(f"{live_server}/organizations?lang=en")
    page.select_option("#filter-country", "JP")
    page.click("#org-filter button[type=submit]")
    page.wait_for_url("**country=JP**")
    countries = page.locator("#organizations tr[data-country]").evaluate_all(
        "rows => rows.map(row => row.dataset.country)"
    )
    assert countries and set(countries) == {"JP"}
    assert "Fujikura" in page.inner_text("#organizations")
    page.click("text=Fujikura")
    page.wait_for_selector("#capabilities")
    assert "REBCO" in page.inner_text("#capabilities")
    assert page.problems == []


@pytest.mark.browser
def test_a_match_from_the_match_page_shows_reasons(page, live_server):
    page.goto(f"{live_server}/match?lang=en")
    page.fill("#need-form textarea[name=q]", "ジャイロトロン用の超伝導マグネット")
    page.click("#need-form button[type=submit]")
    page.wait_for_selector("#match-results")
    assert page.locator("#match-results tr").count() > 1
    first_reasons = page.inner_text("#match-results tr:nth-child(2) ul.why")
    assert "Capability in" in first_reasons
    assert page.locator("#match-results ul.why a").count() > 0  # reasons cite linked sources
    assert page.problems == []


@pytest.mark.browser
def test_a_matrix_cell_lists_its_organizations(page, live_server):
    page.goto(f"{live_server}/industry-map?lang=en")
    cell = page.locator("#industry-svg a.cell").first
    count = int(cell.get_attribute("data-count"))
    cell.click()
    page.wait_for_url("**/organizations?area=**")
    assert page.locator("#organizations tr[data-country]").count() == count
    assert page.problems == []
