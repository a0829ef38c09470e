"""The roadmap pages in a real browser, in Japanese and English: the Gantt chart is drawn with its
dependencies and critical path, and downloads as SVG and as PNG (made by the page's script)."""

import struct
from pathlib import Path

import pytest

TRACK = "track:iter"


@pytest.mark.browser
@pytest.mark.parametrize("lang", ["en", "ja"])
def test_track_page_draws_the_gantt_chart(page, live_server, lang):
    response = page.goto(f"{live_server}/roadmap/{TRACK}?lang={lang}")
    assert response.status == 200
    assert page.locator("html").get_attribute("lang") == lang
    chart = page.locator("svg#gantt-chart")
    assert chart.is_visible()
    assert page.locator("svg#gantt-chart g[data-milestone]").count() >= 5
    assert page.locator("svg#gantt-chart path.dependency").count() >= 3
    assert page.locator("svg#gantt-chart path.dependency.critical").count() >= 1
    assert page.locator("#milestones tr.critical").count() >= 2
    heading = page.locator("h1").inner_text()
    assert ("ITER（2024年ベースライン）" if lang == "ja" else "ITER (baseline 2024)") == heading
    if lang == "ja":
        assert "公表日程どおりの確率" in page.locator("#milestones").inner_text()
    assert page.problems == []


@pytest.mark.browser
@pytest.mark.parametrize("lang", ["en", "ja"])
def test_overview_lists_tracks_and_backtest(page, live_server, lang):
    page.goto(f"{live_server}/roadmap?lang={lang}")
    assert page.locator("#tracks tr[id]").count() >= 8
    assert page.locator("#backtest").inner_text().strip() != ""
    page.locator(f'#tracks a[href="/roadmap/{TRACK}"]').click()
    page.wait_for_load_state()
    assert page.url.endswith(f"/roadmap/{TRACK}")
    assert page.problems == []


@pytest.mark.browser
def test_chart_downloads_as_png_and_svg(page, live_server):
    page.goto(f"{live_server}/roadmap/{TRACK}?lang=ja")
    with page.expect_download() as png:
        page.locator("#png-download").click()
    data = Path(png.value.path()).read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", data[16:24])
    assert width == 2 * 980 and height > 200
    assert png.value.suggested_filename == "roadmap-iter.png"
    with page.expect_download() as svg:
        page.locator("#svg-download").click()
    text = Path(svg.value.path()).read_text(encoding="utf-8")
    assert text.startswith("<?xml") and 'id="gantt-chart"' in text
    assert page.problems == []
