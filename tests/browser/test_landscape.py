"""The landscape pages open in both languages without console errors; the world map is drawn and links to a
country's facilities; a chart downloads as SVG."""

import pytest

PAGES = [
    "/landscape",
    "/landscape/programmes",
    "/landscape/investments",
    "/landscape/facilities",
    "/landscape/timeline",
    "/landscape/regulation",
]


@pytest.mark.browser
@pytest.mark.parametrize("path", PAGES)
@pytest.mark.parametrize("lang", ["en", "ja"])
def test_landscape_pages_open_without_console_errors(page, live_server, path, lang):
    response = page.goto(f"{live_server}{path}?lang={lang}")
    assert response.status == 200
    assert page.locator("html").get_attribute("lang") == lang
    assert page.problems == []


@pytest.mark.browser
def test_world_map_is_drawn_and_links_to_a_country(page, live_server):
    page.goto(f"{live_server}/landscape/facilities?lang=en")
    world = page.locator("svg#world-map")
    assert world.is_visible()
    assert page.locator("svg#world-map g.country").count() > 170
    assert page.locator('svg#world-map g.country[data-country="JP"]').count() == 1
    page.locator('svg#world-map a[href*="country=JP"]').first.click()
    page.wait_for_load_state()
    assert "country=JP" in page.url
    assert page.locator("#facilities tr[id]").count() > 5
    assert page.problems == []


@pytest.mark.browser
def test_timeline_filter_and_svg_download(page, live_server, tmp_path):
    page.goto(f"{live_server}/landscape/timeline?lang=en")
    page.select_option("select[name=status]", "planned")
    page.click("#filters button[type=submit]")
    page.wait_for_load_state()
    assert "status=planned" in page.url
    statuses = page.locator("#milestones tr[id]").evaluate_all("rows => rows.map(r => r.className)")
    assert statuses and set(statuses) == {"status-planned"}
    with page.expect_download() as download:
        page.click("text=chart (SVG)")
    path = tmp_path / "timeline.svg"
    download.value.save_as(path)
    assert 'id="timeline-chart"' in path.read_text(encoding="utf-8")
