"""The scenario page in Japanese: it opens without console errors, draws a chart per item with Japanese labels,
and a chart downloads as SVG."""

import pytest


@pytest.mark.browser
def test_scenario_page_in_japanese(page, live_server, tmp_path):
    response = page.goto(f"{live_server}/scenarios?lang=ja")
    assert response.status == 200
    assert page.locator("html").get_attribute("lang") == "ja"
    page.click("text=2030年代に日本が発電実証")
    page.wait_for_load_state()
    assert "/scenarios/japan-2030s" in page.url
    assert page.locator("h1").inner_text() == "2030年代に日本が発電実証"
    assert page.locator("svg[id^=chart-]").count() >= 15
    assert page.locator("svg#chart-tritium").is_visible()
    assert "最初の供給不足" in page.locator("#summary").inner_text()
    with page.expect_download() as download:
        page.locator("#item-rebco-tape >> text=グラフをダウンロード（SVG）").click()
    saved = tmp_path / "chart.svg"
    download.value.save_as(saved)
    assert "REBCO高温超伝導線材" in saved.read_text(encoding="utf-8")
    assert page.problems == []
