"""A real login in Chromium: a members-only record appears once logged in, and is gone after logout;
anonymous visitors never see it, through pages or the API."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator

import pytest
import uvicorn

from fusionatlas.dataset.package import load_package
from fusionatlas.store import accounts
from fusionatlas.store.engine import open_engine
from fusionatlas.web.app import create_app
from tests.browser.conftest import _free_port
from tests.fixtures import write_package

PASSWORD = "browser passphrase"


@pytest.fixture(scope="module")
def accounts_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The app over the fixture package (it holds a members-only organization), with one member."""
    folder = tmp_path_factory.mktemp("accounts")
    database = f"sqlite:///{folder / 'atlas.db'}"
    engine = open_engine(database)
    load_package(engine, write_package(folder / "package"))
    with engine.begin() as connection:
        accounts.create_user(connection, "member@example.org", PASSWORD, "member")
    engine.dispose()
    port = _free_port()
    server = uvicorn.Server(uvicorn.Config(create_app(database), host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    for _ in range(100):
        if server.started:
            break
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(timeout=5)


def _search(page, server: str) -> str:
    page.goto(f"{server}/?lang=en&q=members+only")
    return page.inner_text("body")


@pytest.mark.browser
def test_login_reveals_members_records_and_logout_hides_them(page, accounts_server):
    server = accounts_server
    assert "Members Only Co" not in _search(page, server)
    api = page.request.get(f"{server}/api/search?q=members+only")
    assert json.loads(api.text())["results"] == []

    page.goto(f"{server}/?lang=en")
    page.click("nav >> text=Log in")
    page.fill("input[name=email]", "member@example.org")
    page.fill("input[name=password]", "a wrong password")
    page.click("#login-form button[type=submit]")
    assert "Wrong email or password." in page.inner_text("#login-error")
    page.fill("input[name=email]", "member@example.org")
    page.fill("input[name=password]", PASSWORD)
    page.click("#login-form button[type=submit]")
    page.wait_for_url(f"{server}/account")
    assert "member@example.org" in page.inner_text("#me")
    cookie = next(c for c in page.context.cookies() if c["name"] == "fa_session")
    assert cookie["httpOnly"] and cookie["sameSite"] == "Lax"

    assert "Members Only Co" in _search(page, server)
    with_session = page.request.get(f"{server}/api/search?q=members+only")
    assert "org:members-only-co" in with_session.text()

    page.click("#logout")
    page.wait_for_url(f"{server}/")
    assert page.locator("nav >> text=Log in").count() == 1
    assert "Members Only Co" not in _search(page, server)
    assert page.problems == []


@pytest.mark.browser
@pytest.mark.parametrize("lang", ["en", "ja"])
def test_login_page_opens_without_console_errors(page, accounts_server, lang):
    response = page.goto(f"{accounts_server}/login?lang={lang}")
    assert response.status == 200
    assert page.problems == []
