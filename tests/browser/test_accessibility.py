"""Accessibility to JIS X 8341-3:2016 level AA (WCAG 2.x AA), as far as a machine can tell, and by keyboard.

axe-core (bundled by axe-playwright-python: no CDN) checks one page of every kind, in Japanese and in English,
in the real browser; any serious or critical violation fails the test, with its rule, impact and elements.
A new kind of page is one more line in PAGE_KINDS. Then the match, search and gaps pages are used with the
keyboard alone: Tab to the field, type, Enter, Tab to a result, Enter.
"""

from __future__ import annotations

from typing import Any

import pytest

# One page of every kind (path, with a record that the bundled atlas holds). Add new pages here.
PAGE_KINDS = [
    "/",
    "/?q=ジャイロトロン",
    "/technologies",
    "/technologies/tech:magnet.hts",
    "/organizations",
    "/organizations/org:qst",
    "/industry-map",
    "/match?q=REBCO",
    "/match?seeds=タングステンの精密加工",
    "/needs",
    "/needs/need:arpae-libra-2022",
    "/landscape",
    "/landscape/programmes",
    "/landscape/budgets",
    "/landscape/investments",
    "/landscape/facilities",
    "/landscape/timeline",
    "/landscape/regulation",
    "/gaps",
    "/gaps/technology/tech:magnet.hts",
    "/login",
    "/no-such-page",  # the error page
]
FAILING = ("serious", "critical")


def axe_violations(page: Any) -> list[dict[str, Any]]:
    from axe_playwright_python.sync_playwright import Axe

    return Axe().run(page).response["violations"]


@pytest.mark.browser
@pytest.mark.parametrize("lang", ["ja", "en"])
def test_no_serious_or_critical_violation_on_any_page_kind(page, live_server, lang):
    failures = []
    for path in PAGE_KINDS:
        page.goto(f"{live_server}{path}{'&' if '?' in path else '?'}lang={lang}")
        assert page.locator("html").get_attribute("lang") == lang
        for violation in axe_violations(page):
            if violation["impact"] in FAILING:
                targets = [node["target"] for node in violation["nodes"][:3]]
                failures.append(f"{path}: {violation['impact']} {violation['id']} x{len(violation['nodes'])} {targets}")
    assert not failures, "\n".join(failures)


@pytest.mark.browser
def test_every_page_has_one_main_landmark_and_a_skip_link(page, live_server):
    page.goto(f"{live_server}/landscape/budgets?lang=ja")
    assert page.locator("main").count() == 1
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "本文へ移動"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"


def enter_and_wait(page: Any) -> None:
    """Press Enter on the focused element and wait for the page it leads to."""
    with page.expect_navigation():
        page.keyboard.press("Enter")


def tab_to(page: Any, selector: str, limit: int = 80) -> None:
    """Press Tab until the focused element matches `selector` (fails after `limit` presses)."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("(s) => document.activeElement.matches(s)", selector):
            return
    raise AssertionError(f"Tab never reached {selector}")


@pytest.mark.browser
def test_search_by_keyboard_alone(page, live_server):
    page.goto(f"{live_server}/?lang=ja")
    tab_to(page, "input[name=q]")
    page.keyboard.type("ジャイロトロン")
    enter_and_wait(page)
    assert "ジャイロトロン" in page.inner_text("#results")
    # The query stays in its field, and the next Tab goes on to the button, then into the results.
    assert page.input_value("input[name=q]") == "ジャイロトロン"
    tab_to(page, "input[name=q]")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.type") == "submit"


@pytest.mark.browser
def test_match_by_keyboard_alone(page, live_server):
    page.goto(f"{live_server}/match?lang=ja")
    tab_to(page, "#need-form textarea[name=q]")
    page.keyboard.type("トリチウム対応の真空ポンプ")
    tab_to(page, "#need-form button[type=submit]")
    enter_and_wait(page)
    assert "q=" in page.url
    tab_to(page, "main a[href^='/organizations/org:']")
    enter_and_wait(page)
    assert "/organizations/org:" in page.url


@pytest.mark.browser
def test_gaps_by_keyboard_alone(page, live_server):
    page.goto(f"{live_server}/gaps?lang=ja")
    tab_to(page, "#gap-form input[name=partners]")
    page.keyboard.type("US,FR")
    enter_and_wait(page)
    assert "partners=US%2CFR" in page.url or "partners=US,FR" in page.url
    tab_to(page, "main table a[href^='/gaps/technology/']")
    enter_and_wait(page)
    assert "/gaps/technology/" in page.url and "partners=US,FR" in page.url.replace("%2C", ",")
