"""Running the app under uvicorn: one worker process per core, each listening on a socket of its own.

With several workers uvicorn binds one socket in its supervisor and shares it. Measured with wrk on Linux
(docs/benchmarks.md), that costs twice:
- The shared socket's protocol number is 0, and asyncio turns Nagle's algorithm off (TCP_NODELAY) only on
  connections whose socket says IPPROTO_TCP. A response goes out in two writes (head, body), so every
  keep-alive request after the first waited ~40 ms for the client's delayed ACK (uvicorn issue #3149).
- The worker that wakes first accepts every connection waiting: 50 clients connecting at once went 47 to 3
  between two idle workers, and one core did all the work for as long as they stayed connected.
So each worker binds its own socket, named TCP, with SO_REUSEPORT on the same port: the kernel spreads new
connections over the listening workers. Without SO_REUSEPORT (Windows) uvicorn's shared socket is used.

Each worker also warms its caches (web/warm.py) and waits for the others before it listens, and runs at
most THREADS_PER_WORKER page handlers at once (see `worker_lifespan`).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import shutil
import socket
import tempfile
import time
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any, cast

import uvicorn
from anyio import to_thread
from fastapi import FastAPI
from uvicorn.supervisors import Multiprocess

from fusionatlas.web.warm import warm

APP = "fusionatlas.web.app:create_app"
# Where each worker leaves a file once warm, and how many there are: web/warm.py waits for all of them.
READY_DIR_ENV, WORKERS_ENV = "FUSIONATLAS_READY_DIR", "FUSIONATLAS_WORKERS"
PEERS_TIMEOUT_SECONDS = 300.0  # a worker that never gets warm must not keep the others from serving
THREADS_PER_WORKER = 4


def listening_socket(host: str, port: int) -> socket.socket:
    """A socket bound to (host, port) that other sockets of this user may bind too (SO_REUSEPORT)."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
    sock.bind((host, port))
    return sock


class WorkerSocket:
    """Stands in uvicorn's supervisor for the socket it hands each worker it starts (or restarts).

    The supervisor passes its sockets to worker processes by pickling them (multiprocessing, spawn); this one
    unpickles as a new socket bound in the worker itself.
    """

    def __init__(self, host: str, port: int) -> None:
        self.host, self.port = host, port

    def __reduce__(self) -> tuple[Any, tuple[str, int]]:
        return listening_socket, (self.host, self.port)


def serve(host: str, port: int, workers: int) -> None:
    # uvicorn believes no X-Forwarded-* header: the app does, from FUSIONATLAS_TRUSTED_PROXIES only (web/auth.py).
    if workers == 1 or not hasattr(socket, "SO_REUSEPORT"):
        # One process: asyncio binds the socket from getaddrinfo, which names TCP, and there is no one to share.
        uvicorn.run(APP, factory=True, host=host, port=port, workers=workers, proxy_headers=False)
        return
    with listening_socket(host, port) as probe:  # fails here, once, when the port is taken; resolves port 0
        port = probe.getsockname()[1]
    config = uvicorn.Config(APP, factory=True, host=host, port=port, workers=workers, proxy_headers=False)
    logging.getLogger("uvicorn.error").info("Uvicorn running on http://%s:%d (Press CTRL+C to quit)", host, port)
    ready = tempfile.mkdtemp(prefix="fusionatlas-ready-")
    os.environ |= {READY_DIR_ENV: ready, WORKERS_ENV: str(workers)}  # the workers inherit the environment
    try:
        with contextlib.suppress(KeyboardInterrupt):  # Ctrl+C stops the workers; no traceback
            Multiprocess(config, sockets=cast(list[socket.socket], [WorkerSocket(host, port)])).run()
    finally:
        shutil.rmtree(ready, ignore_errors=True)


async def _all_warm(timeout: float = PEERS_TIMEOUT_SECONDS) -> None:
    """Wait until every worker `serve` started has warmed (a restarted worker finds them all done already).

    The first worker to listen takes every connection made before the others listen, and a client keeps
    its connections: one that connected early would load one core for as long as it stays.
    """
    folder, workers = os.environ.get(READY_DIR_ENV), int(os.environ.get(WORKERS_ENV) or 1)
    if not folder or not Path(folder).is_dir():
        return
    Path(folder, str(os.getpid())).touch()
    deadline = time.monotonic() + timeout
    while len(list(Path(folder).iterdir())) < workers and time.monotonic() < deadline:
        await asyncio.sleep(0.05)


@contextlib.asynccontextmanager
async def worker_lifespan(app: FastAPI) -> AsyncIterator[None]:
    """A worker's start-up under `serve`: warm, wait for the other workers, then take requests.

    uvicorn listens only once this has yielded; blocking its event loop while warming is fine, it has no
    other work yet. Page handlers hold the GIL nearly all the time, so threads beyond a few only share one
    core: with anyio's default of 40, a burst of 25 requests all finished together, each after the whole
    burst's work (wrk, 50 users: p95 170-320 ms on the bundled atlas, against 80 ms with 4).
    """
    warm(app, app.state.engine)
    await _all_warm()
    to_thread.current_default_thread_limiter().total_tokens = THREADS_PER_WORKER
    yield
