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

uvicorn's supervisor pings every worker over a pipe each half second and kills one that has not answered
within 5 s; a thread of the worker answers, and it needs the GIL. A worker still warming holds the GIL in
long stretches (a garbage collection over a large heap, a large parse or sort in C), and on a busy machine
those went over 5 s: "Child process died", and its replacement started warming all over again. `Supervisor`
keeps uvicorn's supervision but gives a worker that has not yet started serving WORKER_START_SECONDS to get
there (`FUSIONATLAS_WORKER_START_SECONDS`, docs/deploy.md); once serving, a worker missing a ping is
replaced as before.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import shutil
import socket
import sys
import tempfile
import time
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any, cast

import uvicorn
from anyio import to_thread
from fastapi import FastAPI
from uvicorn.config import STARTUP_FAILURE
from uvicorn.supervisors import Multiprocess
from uvicorn.supervisors.multiprocess import Process

from fusionatlas.settings import number_from_env
from fusionatlas.web.warm import warm

APP = "fusionatlas.web.app:create_app"
# Where each worker leaves a file once warm, and how many there are: web/warm.py waits for all of them.
READY_DIR_ENV, WORKERS_ENV = "FUSIONATLAS_READY_DIR", "FUSIONATLAS_WORKERS"
PEERS_TIMEOUT_SECONDS = 300.0  # a worker that never gets warm must not keep the others from serving
THREADS_PER_WORKER = 4
# How long a worker may take from its start to serving (warming, waiting for its peers) before the supervisor
# replaces it: longer than a first build of the matching index at 100,000 organizations on a busy machine.
START_SECONDS_ENV, WORKER_START_SECONDS = "FUSIONATLAS_WORKER_START_SECONDS", 900.0
STARTING_PING_SECONDS = 1.0  # a starting worker is pinged with this timeout, so that signals are seen soon

log = logging.getLogger("uvicorn.error")


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


class Supervisor(Multiprocess):
    """uvicorn's supervisor (0.54), patient with workers that have not started serving yet.

    Each health check asks the worker whether its server has started. Until one says so, a check it does not
    answer is forgiven for `start_seconds` after the supervisor first saw it; then, or once it has said it
    serves, a check it does not answer within `timeout_worker_healthcheck` replaces it as uvicorn does.
    """

    def __init__(self, config: uvicorn.Config, sockets: list[socket.socket], start_seconds: float) -> None:
        super().__init__(config, sockets)
        self.start_seconds = start_seconds
        self._serving: set[int | None] = set()  # pids that answered a check saying they serve
        self._first_seen: dict[int | None, float] = {}

    def healthy(self, process: Process) -> bool:
        if not process.process.is_alive():
            return False
        if process.pid in self._serving:
            return process.ping(self.config.timeout_worker_healthcheck)
        first_seen = self._first_seen.setdefault(process.pid, time.monotonic())
        # A late answer to an earlier ping may be read here: a worker answers every ping, in order.
        started = process._healthcheck(min(STARTING_PING_SECONDS, self.config.timeout_worker_healthcheck))
        if started:
            self._serving.add(process.pid)
            self._first_seen.pop(process.pid, None)
            return True
        if started is None and time.monotonic() - first_seen > self.start_seconds:
            log.error("Child process [%s] did not start serving within %.0f s", process.pid, self.start_seconds)
            return False
        return True

    def keep_subprocess_alive(self) -> None:  # uvicorn's, with `healthy` for its check
        if self.should_exit.is_set():
            return
        for idx, process in enumerate(self.processes):
            if self.healthy(process):
                continue
            process.kill()
            process.join()
            self._serving.discard(process.pid)
            self._first_seen.pop(process.pid, None)
            if process.exitcode == STARTUP_FAILURE:  # the app cannot start: restarting would fail the same way
                log.error("Child process [%s] failed to start, stopping the parent process.", process.pid)
                self.should_exit.set()
                return
            if self.should_exit.is_set():
                return
            log.info("Child process [%s] died", process.pid)
            replacement = Process(self.config, self.sockets)
            replacement.start()
            self.processes[idx] = replacement

    def restart_all(self) -> None:  # SIGHUP: uvicorn's, waiting `start_seconds` (not 5 s) for each replacement
        for idx, old in enumerate(self.processes):
            if self.should_exit.is_set():
                return
            new = Process(self.config, self.sockets)
            new.start()
            if not new.wait_until_ready(self.start_seconds, self.should_exit):
                new.kill()
                new.join()
                if not self.should_exit.is_set():
                    log.error("New child process [%s] was not ready in time; keeping [%s].", new.pid, old.pid)
                return
            self._serving.add(new.pid)
            old.terminate()
            old.join()
            self.processes[idx] = new


def start_seconds(environ: dict[str, str] | None = None) -> float:
    """WORKER_START_SECONDS, or FUSIONATLAS_WORKER_START_SECONDS when set (a positive number of seconds)."""
    expected = "a positive number of seconds"
    seconds = number_from_env(START_SECONDS_ENV, WORKER_START_SECONDS, float, 0.0, expected, environ)
    if seconds == 0:
        raise ValueError(f"{START_SECONDS_ENV}={seconds!r}: expected {expected}")
    return seconds


def serve(host: str, port: int, workers: int, app: str = APP, healthcheck_seconds: int = 5) -> None:
    # uvicorn believes no X-Forwarded-* header: the app does, from FUSIONATLAS_TRUSTED_PROXIES only (web/auth.py).
    if workers == 1 or not hasattr(socket, "SO_REUSEPORT"):
        # One process: asyncio binds the socket from getaddrinfo, which names TCP, and there is no one to share.
        uvicorn.run(app, factory=True, host=host, port=port, workers=workers, proxy_headers=False)
        return
    try:
        patience = start_seconds()
    except ValueError as error:  # bad input: exit 2 with the message, as the CLI does
        sys.stderr.write(f"error: {error}\n")
        raise SystemExit(2) from None
    with listening_socket(host, port) as probe:  # fails here, once, when the port is taken; resolves port 0
        port = probe.getsockname()[1]
    config = uvicorn.Config(
        app,
        factory=True,
        host=host,
        port=port,
        workers=workers,
        timeout_worker_healthcheck=healthcheck_seconds,
        proxy_headers=False,
    )
    log.info("Uvicorn running on http://%s:%d (Press CTRL+C to quit)", host, port)
    ready = tempfile.mkdtemp(prefix="fusionatlas-ready-")
    os.environ |= {READY_DIR_ENV: ready, WORKERS_ENV: str(workers)}  # the workers inherit the environment
    try:
        with contextlib.suppress(KeyboardInterrupt):  # Ctrl+C stops the workers; no traceback
            Supervisor(config, cast(list[socket.socket], [WorkerSocket(host, port)]), patience).run()
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
