"""The scenario page in Japanese: it opens without console errors, draws a chart per item with Japanese labels,
and a chart downloads as SVG (from the server) and as PNG (drawn by the page's script, twice the chart's size)."""

import struct
from pathlib import Path

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
    with page.expect_download() as png:
        page.locator("#item-rebco-tape >> text=グラフをダウンロード（PNG）").click()
    data = Path(png.value.path()).read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    assert struct.unpack(">II", data[16:24]) == (2 * 720, 2 * 300)
    assert png.value.suggested_filename == "scenario-japan-2030s-rebco-tape.png"
    assert page.problems == []
