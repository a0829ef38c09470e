"""Benchmark: /api/search under 50 concurrent clients, beside the home page in the same run.

The server is `fusionatlas serve` on the bundled atlas (the `make run` command: one worker per core).
Each of the two measurements is a closed loop of 50 clients for 20 s with no pause: /api/search over a
rotation of 24 queries people type (Japanese, English, readings, romaji, synonyms), then the home page.
Load generator: wrk when it is installed, otherwise a Python one (httpx, asyncio, 50 tasks on one
connection each); the JSON says which. Every request goes to 127.0.0.1 only and each run stops by itself.
Target: /api/search p95 < 50 ms. The Python generator also measures one client at a time (the cost of a
request without a queue): at 50 clients a generator of ~500 requests/s on one core is the ceiling, and
latency is then 50 / rate whatever the server does.
"""

from __future__ import annotations

import asyncio
import json
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from bench_web import free_port, wrk

QUERIES = [
    "ジャイロトロン", "gyrotron", "REBCO", "REBCO tape", "バルブ", "弁", "valve", "ふじくら", "fujikura",
    "とうしば", "toshiba", "トリチウム 真空ポンプ", "tritium vacuum pump", "ダイバータ", "divertor", "超伝導",
    "superconducting magnet", "ブランケット", "neutron source", "京都", "laser", "レーザー", "タングステン",
    "remote handling",
]  # fmt: skip
CLIENTS, SECONDS = 50, 20


async def _client(
    base: str, paths: list[str], offset: int, until: float, latencies: list[float], errors: list[int]
) -> None:
    import httpx

    async with httpx.AsyncClient(base_url=base, timeout=30) as http:
        i = offset
        while time.perf_counter() < until:
            path = paths[i % len(paths)]
            i += 1
            start = time.perf_counter()
            try:
                reply = await http.get(path)
                if reply.status_code != 200:
                    errors.append(reply.status_code)
            except httpx.HTTPError:
                errors.append(0)
            latencies.append(time.perf_counter() - start)


def python_load(base: str, paths: list[str], clients: int = CLIENTS, seconds: int = SECONDS) -> dict:
    latencies: list[float] = []
    errors: list[int] = []

    async def run() -> None:
        until = time.perf_counter() + seconds
        await asyncio.gather(*(_client(base, paths, n, until, latencies, errors) for n in range(clients)))

    started = time.perf_counter()
    asyncio.run(run())
    seconds = time.perf_counter() - started
    latencies.sort()
    return {
        "requests": len(latencies),
        "seconds": round(seconds, 2),
        "rate": round(len(latencies) / seconds, 1),
        "p50_ms": round(latencies[len(latencies) // 2] * 1000, 1),
        "p95_ms": round(latencies[int(len(latencies) * 0.95)] * 1000, 1),
        "errors": len(errors),
        "connections": clients,
    }


def main() -> None:
    generator = "wrk" if shutil.which("wrk") else "python-httpx"
    with tempfile.TemporaryDirectory() as folder:
        database = f"sqlite:///{Path(folder) / 'atlas.db'}"
        cli = [sys.executable, "-m", "fusionatlas", "--db", database]
        subprocess.run([*cli, "load"], check=True, capture_output=True)
        port = free_port()
        server = subprocess.Popen(
            [*cli, "serve", "--port", str(port)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        base = f"http://127.0.0.1:{port}"
        searches = ["/api/search?" + urllib.parse.urlencode({"q": q}) for q in QUERIES]
        try:
            for _ in range(300):
                try:
                    urllib.request.urlopen(base + "/", timeout=1)
                    break
                except OSError:
                    time.sleep(0.1)
            for _ in range(4):  # every query once per worker, at least: answers are kept per index
                for path in searches:
                    urllib.request.urlopen(base + path, timeout=60)
            results = {}
            for name, paths in (("api_search", searches), ("home", ["/"])):
                if generator == "wrk":
                    results[name] = wrk(base, paths, CLIENTS, SECONDS, None, Path(folder))
                else:
                    results[name] = python_load(base, paths)
                    # One client at a time: what a request costs the server, without the queue of 50.
                    results[name + "_one_client"] = python_load(base, paths, 1, 5)
        finally:
            server.terminate()
            server.wait(timeout=10)
    report = {"benchmark": "search", "date": time.strftime("%Y-%m-%d %H:%M"), "generator": generator, **results}
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
