"""`serve`'s workers: a socket of their own each, named TCP (so TCP_NODELAY), warm before they listen."""

import asyncio
import contextlib
import ctypes
import gc
import os
import pickle
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import AsyncIterator, Coroutine
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any, TypeVar

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from fusionatlas.dataset.package import load_package
from fusionatlas.web import serving
from fusionatlas.web.app import WARM_ENV, create_app
from fusionatlas.web.serving import WorkerSocket, listening_socket

T = TypeVar("T")

pytestmark = pytest.mark.skipif(not hasattr(socket, "SO_REUSEPORT"), reason="SO_REUSEPORT: Linux and BSD")


def run(coroutine: Coroutine[Any, Any, T]) -> T:
    """asyncio.run in a thread of its own: other tests (the browser's) may leave a loop running in this one."""
    with ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, coroutine).result()


def test_workers_may_bind_the_same_port():
    with listening_socket("127.0.0.1", 0) as first:
        port = first.getsockname()[1]
        with listening_socket("127.0.0.1", port) as second:
            assert second.getsockname()[1] == port


def test_each_worker_unpickles_a_socket_of_its_own():
    with listening_socket("127.0.0.1", 0) as probe:
        port = probe.getsockname()[1]
        with pickle.loads(pickle.dumps(WorkerSocket("127.0.0.1", port))) as made:
            assert isinstance(made, socket.socket) and made.getsockname()[1] == port
            assert made.proto == socket.IPPROTO_TCP


def test_connections_get_tcp_nodelay():
    """asyncio sets TCP_NODELAY only when the listening socket names TCP: without it, keep-alive
    responses waited ~40 ms each for the client's delayed ACK."""

    async def accepted_nodelay() -> int:
        found: asyncio.Future[int] = asyncio.get_running_loop().create_future()

        def connected(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
            sock = writer.get_extra_info("socket")
            found.set_result(sock.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY))
            writer.close()

        server = await asyncio.start_server(connected, sock=listening_socket("127.0.0.1", 0))
        port = server.sockets[0].getsockname()[1]
        _, writer = await asyncio.open_connection("127.0.0.1", port)
        value = await asyncio.wait_for(found, 5)
        writer.close()
        server.close()
        return value

    assert run(accepted_nodelay()) == 1


def test_a_worker_waits_for_the_others_to_be_warm(tmp_path, monkeypatch):
    monkeypatch.setenv(serving.READY_DIR_ENV, str(tmp_path))
    monkeypatch.setenv(serving.WORKERS_ENV, "2")
    run(serving._all_warm(timeout=0.3))  # alone: gives up after the timeout
    assert len(list(tmp_path.iterdir())) == 1
    (tmp_path / "other-worker").touch()
    run(asyncio.wait_for(serving._all_warm(), 2))  # both warm: goes on at once


def test_a_served_app_is_warm_before_its_first_request(sqlite_engine, package, monkeypatch):
    load_package(sqlite_engine, package)
    monkeypatch.setenv(WARM_ENV, "1")
    app = create_app(str(sqlite_engine.url))
    assert app.state.index is None
    with TestClient(app) as client:  # runs the lifespan, as uvicorn does before listening
        assert app.state.index is not None
        assert client.get("/organizations").status_code == 200
    app.state.engine.dispose()
    gc.unfreeze()  # warming froze this test process's objects too


GIL_HOLD_SECONDS = 4


def gil_holding_app() -> FastAPI:
    """An app whose start-up holds the GIL for seconds, as warming a large atlas does (one long C call)."""

    @contextlib.asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        ctypes.PyDLL(None).sleep(GIL_HOLD_SECONDS)  # libc sleep called without releasing the GIL
        yield

    app = FastAPI(lifespan=lifespan)
    app.get("/")(lambda: {"ok": True})
    return app


SERVE = """
import sys
from uvicorn.supervisors import Multiprocess
from fusionatlas.web import serving
if sys.argv[2] == "stock":
    serving.Supervisor = lambda config, sockets, patience: Multiprocess(config, sockets)
serving.serve("127.0.0.1", int(sys.argv[1]), 2, app="tests.web.test_serving:gil_holding_app", healthcheck_seconds=1)
"""


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.mark.parametrize("supervisor", ["ours", "stock"])
def test_a_worker_warming_with_the_gil_held_is_not_killed(supervisor, tmp_path):
    """uvicorn's supervisor kills a worker that misses a 1 s health check while it starts up holding the GIL
    (and its replacement, again and again); ours waits for it to start serving."""
    port, log_path = free_port(), tmp_path / "serve.log"
    root = Path(__file__).resolve().parents[2]
    with log_path.open("w") as log:
        process = subprocess.Popen(
            [sys.executable, "-c", SERVE, str(port), supervisor],
            cwd=root,
            stdout=log,
            stderr=log,
            start_new_session=True,  # its own process group: killed whole at the end
        )
    try:
        deadline, answered = time.monotonic() + (120 if supervisor == "ours" else 3 * GIL_HOLD_SECONDS), False
        while time.monotonic() < deadline and not answered and process.poll() is None:
            with contextlib.suppress(OSError):
                answered = urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=2).status == 200
            time.sleep(0.2)
        output = log_path.read_text()
        if supervisor == "ours":
            assert answered and "died" not in output, output
        else:
            assert "died" in output, output  # the failure this supervisor exists for
    finally:  # Ctrl+C, then whatever is left of the server and its workers
        process.send_signal(signal.SIGINT)
        with contextlib.suppress(subprocess.TimeoutExpired):
            process.wait(30)
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        process.wait()


def test_worker_start_seconds_setting():
    assert serving.start_seconds({}) == serving.WORKER_START_SECONDS
    assert serving.start_seconds({serving.START_SECONDS_ENV: " 120 "}) == 120.0
    for bad in ("soon", "0", "-5", "nan"):
        with pytest.raises(ValueError, match=serving.START_SECONDS_ENV):
            serving.start_seconds({serving.START_SECONDS_ENV: bad})
