"""In Chromium: a member enters candidate actions in the row editor of the gaps page, adds a row with the
keyboard, removes one, optimises, and reads why each action was chosen; the form passes axe."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from fusionatlas.dataset.package import load_package
from fusionatlas.store import accounts
from fusionatlas.store.engine import open_engine
from tests.browser.conftest import served
from tests.browser.test_accessibility import FAILING, axe_violations
from tests.fixtures import write_package

PASSWORD = "browser passphrase"


@pytest.fixture(scope="module")
def member_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The fixture package with a member account."""
    folder: Path = tmp_path_factory.mktemp("portfolio")
    database = f"sqlite:///{folder / 'atlas.db'}"
    engine = open_engine(database)
    load_package(engine, write_package(folder / "package"))
    with engine.begin() as connection:
        accounts.create_user(connection, "member@example.org", PASSWORD, "member")
    engine.dispose()
    with served(database) as url:
        yield url


def _serious(page) -> list[str]:
    return [f"{v['impact']} {v['id']}" for v in axe_violations(page) if v["impact"] in FAILING]


@pytest.mark.browser
def test_add_a_row_and_optimise(page, member_server):
    server = member_server
    page.goto(f"{server}/login?lang=en")
    page.fill("input[name=email]", "member@example.org")
    page.fill("input[name=password]", PASSWORD)
    page.click("#login-form button[type=submit]")
    page.wait_for_url(f"{server}/account")
    page.goto(f"{server}/gaps?lang=en")
    rows = page.locator("#portfolio-rows tbody tr")
    assert rows.count() == 1, "with scripts one blank row stays; the spare rows come back with 'Add a row'"
    assert _serious(page) == []
    page.fill("#portfolio-budget", "150")
    page.get_by_role("textbox", name="Action id 1", exact=True).fill("act:gyrotron")
    page.get_by_role("textbox", name="Name (English) 1", exact=True).fill("Gyrotron line")
    page.get_by_role("textbox", name="Cost 1", exact=True).fill("100")
    page.get_by_role("combobox", name="Technologies (ids) 1", exact=True).fill("tech:hcd.gyrotron")
    page.get_by_role("textbox", name="Share of the gap closed (0-1) 1", exact=True).fill("0.5")
    # Add two rows by keyboard, fill the second, then remove the third.
    page.focus("#add-row")
    page.keyboard.press("Enter")
    page.click("#add-row")
    assert rows.count() == 3
    page.get_by_role("textbox", name="Action id 2", exact=True).fill("act:tape")
    page.get_by_role("textbox", name="Name (English) 2", exact=True).fill("Tape line")
    page.get_by_role("textbox", name="Cost 2", exact=True).fill("120")
    page.get_by_role("combobox", name="Technologies (ids) 2", exact=True).fill("tech:magnet.hts")
    page.get_by_role("textbox", name="Share of the gap closed (0-1) 2", exact=True).fill("0.5")
    page.get_by_role("button", name="Remove row 3").click()
    assert rows.count() == 2
    page.click("#portfolio-form button[type=submit]")
    page.wait_for_selector("#portfolio-status")
    assert "proved its portfolio optimal" in page.inner_text("#portfolio-status")
    why = page.inner_text("#portfolio-why")
    assert "Gap score" in why and "per 1,000 of cost" in why
    chosen = page.locator(".why-chosen").count()
    left = page.locator("#portfolio-left tr[data-reason]").count()
    assert chosen + left == 2 and chosen >= 1
    # The editor holds both actions again, for the next run.
    assert page.get_by_role("textbox", name="Action id 2", exact=True).input_value() in ("act:gyrotron", "act:tape")
    assert _serious(page) == []
    # The Japanese form: labelled in Japanese, and axe finds nothing serious there either.
    page.goto(f"{server}/gaps?lang=ja")
    assert page.get_by_role("textbox", name="費用 1", exact=True).count() == 1
    assert page.get_by_role("button", name="行を追加").count() == 1
    assert _serious(page) == []
    assert page.problems == []
