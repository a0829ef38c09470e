"""`serve`'s workers: a socket of their own each, named TCP (so TCP_NODELAY), warm before they listen."""

import asyncio
import gc
import pickle
import socket
from collections.abc import Coroutine
from concurrent.futures import ThreadPoolExecutor
from typing import Any, TypeVar

import pytest
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
