"""Browser tests: Debian's Chromium driven by Playwright against the app served on loopback.

Playwright never downloads a browser here: it launches /usr/bin/chromium. Without it the tests skip
with a message (install: apt-get install chromium fonts-ipafont-gothic), except under CI=true.
Under pytest-xdist every browser test runs on one worker (tests/conftest.py groups them), so one
Chromium and one served app serve them all; the app's socket is bound before the server starts, so
no other process can take its port in between.
"""

from __future__ import annotations

import os
import shutil
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
import uvicorn

from fusionatlas.web.app import create_app
from tests.conftest import Templates, _bundled

CHROMIUM = "/usr/bin/chromium"
FLAGS = [
    "--no-sandbox",
    "--disable-dev-shm-usage",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def loopback_socket() -> socket.socket:
    """A socket bound to a free loopback port, for uvicorn to listen on."""
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    listener.bind(("127.0.0.1", 0))
    return listener


@contextmanager
def served(database: str) -> Iterator[str]:
    """The app over `database`, served by uvicorn in a thread on its own loopback socket; yields its URL."""
    listener = loopback_socket()
    port = listener.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(create_app(database), host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [listener]}, daemon=True)
    thread.start()
    for _ in range(200):
        if server.started or not thread.is_alive():
            break
        time.sleep(0.05)
    if not server.started:
        raise RuntimeError(f"the app did not start on 127.0.0.1:{port}")
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=5)
        listener.close()


@pytest.fixture(scope="session")
def live_server(tmp_path_factory: pytest.TempPathFactory, templates: Templates) -> Iterator[str]:
    """The app over a copy of the bundled atlas (loaded once per run), served on loopback."""
    database = templates.sqlite("bundled", _bundled, tmp_path_factory.mktemp("browser") / "atlas.db")
    with served(database) as url:
        yield url


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    if not Path(CHROMIUM).exists() or shutil.which("chromium") is None:
        message = "Chromium is not installed (apt-get install chromium fonts-ipafont-gothic)"
        if os.environ.get("CI") == "true":
            pytest.fail(f"{message}; required under CI=true")
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser: object) -> Iterator[object]:
    """A fresh page that records console errors and failed requests in `page.problems`."""
    context = browser.new_context(locale="en-US", accept_downloads=True)  # type: ignore[attr-defined]
    page = context.new_page()
    page.problems = []
    page.on("console", lambda message: message.type == "error" and page.problems.append(message.text))
    page.on("pageerror", lambda error: page.problems.append(str(error)))
    yield page
    context.close()


def assert_opens_cleanly(page: object, live_server: str, path: str, lang: str) -> None:
    """The page answers 200 in `lang`, its <html> says so, and the browser logged no error on the way."""
    separator = "&" if "?" in path else "?"
    response = page.goto(f"{live_server}{path}{separator}lang={lang}")
    assert response.status == 200
    assert page.locator("html").get_attribute("lang") == lang
    assert page.problems == []
