"""Benchmark: the web app under load on loopback, with the same server command as `make run`.

(a) 50 concurrent users, each pausing 1 s between requests, over the home, technology, organization
    list, organization and match pages: latency p95 (target < 150 ms).
(b) the highest throughput at which p95 stays under 150 ms (closed loop, 1 to 64 connections, no pause),
    beside the same figure for a static file served by the same server (the ceiling of this 2-core
    machine, which also runs the load generator).
Run for the bundled atlas and for a synthetic atlas of 10,000 organizations. Needs wrk
(`apt-get install wrk`); every request goes to 127.0.0.1 only and each run stops by itself.
"""

from __future__ import annotations

import json
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

PAGES = [
    "/",
    "/technologies/tech:magnet.hts.rebco-tape",
    "/organizations",
    "/organizations/{org}",
    "/match?q=REBCO+tape+for+TF+coils",
    "/match?q=%E3%82%B8%E3%83%A3%E3%82%A4%E3%83%AD%E3%83%88%E3%83%AD%E3%83%B3",
]
LUA = """
local paths = {%s}
local i = 0
request = function()
  i = i + 1
  return wrk.format("GET", paths[(i %% #paths) + 1])
end
%s
done = function(summary, latency, requests)
  io.write(string.format('{"requests": %%d, "seconds": %%.2f, "p50_ms": %%.1f, "p95_ms": %%.1f, "errors": %%d}\\n',
    summary.requests, summary.duration / 1e6, latency:percentile(50) / 1000, latency:percentile(95) / 1000,
    summary.errors.status + summary.errors.connect + summary.errors.read + summary.errors.timeout))
end
"""


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wrk(base: str, paths: list[str], connections: int, seconds: int, pause_ms: int | None, work: Path) -> dict:
    script = work / "load.lua"
    delay = f"delay = function() return {pause_ms} end" if pause_ms else ""
    script.write_text(LUA % (", ".join(f'"{p}"' for p in paths), delay), encoding="utf-8")
    output = subprocess.run(
        ["wrk", "-t", "1", "-c", str(connections), "-d", f"{seconds}s", "--latency", "-s", str(script), base],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    result = json.loads(output.strip().splitlines()[-1])
    result["rate"] = round(result["requests"] / result["seconds"], 1)
    result["connections"] = connections
    return result


def best_rate(base: str, paths: list[str], work: Path) -> dict:
    best: dict = {}
    for connections in (1, 2, 4, 8, 16, 32, 64):
        run = wrk(base, paths, connections, 8, None, work)
        if run["p95_ms"] < 150 and run["errors"] == 0 and run["rate"] > best.get("rate", 0):
            best = run
    return best


def measure(package: Path | None, label: str, work: Path) -> dict:
    database = f"sqlite:///{work / (label + '.db')}"
    cli = [sys.executable, "-m", "fusionatlas", "--db", database]
    subprocess.run([*cli, "load", *([str(package)] if package else [])], check=True, capture_output=True)
    port = free_port()
    server = subprocess.Popen(
        [*cli, "serve", "--port", str(port)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(200):
            try:
                urllib.request.urlopen(base + "/", timeout=1)
                break
            except OSError:
                time.sleep(0.1)
        org = "org:fujikura" if package is None else "org:synth-000001"
        paths = [p.format(org=org) for p in PAGES]
        for path in paths:  # warm caches (the matching index) before measuring
            urllib.request.urlopen(base + path, timeout=120)
        users = wrk(base, paths, 50, 30, 1000, work)
        pages = best_rate(base, paths, work)
        static = best_rate(base, ["/static/favicon.svg"], work)
    finally:
        server.terminate()
        server.wait(timeout=10)
    return {"atlas": label, "users_50_with_1s_pause": users, "best_rate_pages": pages, "best_rate_static": static}


def main() -> None:
    if shutil.which("wrk") is None:
        raise SystemExit("wrk is not installed: apt-get install wrk")
    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        subprocess.run(
            [sys.executable, "-m", "fusionatlas", "synth", "--orgs", "10000", "--out", str(work / "synthetic")],
            check=True,
            capture_output=True,
        )
        results = [measure(None, "bundled", work), measure(work / "synthetic", "synthetic-10k", work)]
    print(json.dumps({"benchmark": "web", "date": time.strftime("%Y-%m-%d"), "results": results}, indent=2))


if __name__ == "__main__":
    main()
