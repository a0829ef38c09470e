"""The technology map in a browser: pages open in both languages without console errors; segments and
tree links open a technology's page; the tree expands; the SVG downloads."""

import pytest

# (path, whether it draws a sunburst: the map and every node with technologies below it)
PAGES = [
    ("/technologies", True),
    ("/technologies/tech:magnet", True),
    ("/technologies/tech:hcd.ec", True),
    ("/technologies/tech:magnet.hts.rebco-tape", False),
    ("/technologies/tech:hcd.ec.gyrotron", False),
]


@pytest.mark.browser
@pytest.mark.parametrize(("path", "chart"), PAGES)
@pytest.mark.parametrize("lang", ["en", "ja"])
def test_technology_pages_open_without_console_errors(page, live_server, path, chart, lang):
    response = page.goto(f"{live_server}{path}?lang={lang}")
    assert response.status == 200
    assert page.locator("html").get_attribute("lang") == lang
    assert page.locator("#sunburst").count() == (1 if chart else 0)
    assert page.problems == []


@pytest.mark.browser
def test_clicking_a_sunburst_segment_opens_the_node(page, live_server):
    page.goto(f"{live_server}/technologies?lang=en")
    page.click('#sunburst a.segment[data-id="tech:magnet"] path')
    page.wait_for_url("**/technologies/tech:magnet")
    assert page.inner_text("h1").startswith("Superconducting magnets")
    # On the node's page the sunburst shows its subtree; a segment goes one level down, the centre back up.
    page.click('#sunburst a.segment[data-id="tech:magnet.hts"] path')
    page.wait_for_url("**/technologies/tech:magnet.hts")
    assert "Superconducting magnets" in page.inner_text("#breadcrumbs")
    page.click("#sunburst a.centre circle")
    page.wait_for_url("**/technologies/tech:magnet")
    assert page.problems == []


@pytest.mark.browser
def test_tree_expands_and_its_links_open_the_node(page, live_server):
    page.goto(f"{live_server}/technologies?lang=ja")
    link = page.locator('#tech-tree a.tech-link[data-id="tech:magnet.hts.rebco-tape"]')
    assert not link.is_visible()
    page.click("#expand-all")
    assert link.is_visible()
    link.click()
    page.wait_for_url("**/technologies/tech:magnet.hts.rebco-tape")
    assert "REBCO" in page.inner_text("h1")
    assert page.locator("html").get_attribute("lang") == "ja"
    assert page.problems == []


@pytest.mark.browser
def test_sunburst_downloads_as_svg(page, live_server, tmp_path):
    page.goto(f"{live_server}/technologies?lang=en")
    with page.expect_download() as download:
        page.click("#download-svg")
    path = tmp_path / "technologies.svg"
    download.value.save_as(path)
    assert path.read_text(encoding="utf-8").startswith('<svg xmlns="http://www.w3.org/2000/svg"')


@pytest.mark.browser
def test_choosing_a_country_redraws_the_map(page, live_server):
    page.goto(f"{live_server}/technologies?lang=en")
    page.select_option("#country-select", "JP")
    page.wait_for_url("**/technologies?country=JP*")
    assert "Japan" in page.inner_text("#country-note")
    assert "country=JP" in page.get_attribute("#download-csv", "href")
    assert page.problems == []
