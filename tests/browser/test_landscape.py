"""The landscape pages open in both languages without console errors; the world map is drawn and links to a
country's facilities; a chart downloads as SVG."""

import pytest

PAGES = [
    "/landscape",
    "/landscape/programmes",
    "/landscape/budgets",
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


@pytest.mark.browser
def test_a_japanese_planner_compares_public_funding_and_downloads_it(page, live_server, tmp_path):
    """In Japanese from the landscape overview: open the comparison, choose requests only, read the totals and
    the countries without a public figure, then download the table as XLSX and read it in Japanese."""
    from openpyxl import load_workbook

    page.goto(f"{live_server}/landscape?lang=ja")
    page.click("nav.subnav >> text=公的資金の国際比較")
    page.wait_for_selector("#budgets")
    assert page.locator("h1").inner_text() == "公的資金の国際比較"
    totals = page.inner_text("#budgets")
    assert "成立予算（単年度）" in totals and "2024年度" in totals and "アメリカ合衆国" in totals
    assert "中国" in page.inner_text("#missing") and "推計で補わず" in page.inner_text("#missing")
    assert page.locator("svg#budgets-chart").is_visible()
    page.select_option("select[name=definition]", "request")
    with page.expect_navigation():
        page.click("#filters button[type=submit]")
    assert "definition=request" in page.url
    shown = page.inner_text("#budgets")
    assert "予算要求・政府案（単年度）" in shown and "成立予算（単年度）" not in shown
    with page.expect_download() as download:
        page.click(".downloads >> text=XLSX")
    path = tmp_path / "budgets.xlsx"
    download.value.save_as(path)
    book = load_workbook(path)
    assert book.sheetnames == ["このファイルについて", "budgets"]
    table = list(book["budgets"].values)
    assert table[0][:3] == ("国", "定義", "年度") and {row[1] for row in table[1:]} == {"予算要求・政府案（単年度）"}
    about = {row[0]: row[1] for row in book["このファイルについて"].values if row[0]}
    assert about["条件"] == "definition=request" and about["ライセンス"].startswith("CC BY 4.0")
    assert page.problems == []
