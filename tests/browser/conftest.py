"""Browser tests: Debian's Chromium driven by Playwright against the app served on loopback.

Playwright never downloads a browser here: it launches /usr/bin/chromium. Without it the tests skip
with a message (install: apt-get install chromium fonts-ipafont-gothic), except under CI=true.
"""

from __future__ import annotations

import os
import shutil
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import uvicorn

from fusionatlas.dataset import BUNDLED
from fusionatlas.dataset.package import load_package
from fusionatlas.store.engine import open_engine
from fusionatlas.web.app import create_app

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


@pytest.fixture(scope="session")
def live_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The app over the bundled atlas, served by uvicorn in a thread on a free loopback port."""
    database = f"sqlite:///{tmp_path_factory.mktemp('browser') / 'atlas.db'}"
    engine = open_engine(database)
    load_package(engine, BUNDLED)
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
