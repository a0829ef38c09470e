"""Benchmark: how long `fusionatlas serve` takes to answer its first match on a synthetic atlas of 100,000
organizations (500,000 capabilities) in SQLite, while another process keeps a core busy the whole time.

Each start runs `serve --workers 2` on the same database and times, from launching it, the first answer to
`GET /api/match?q=...` (every request goes to 127.0.0.1; each start stops by itself):
- baseline: as before the index was persisted: every worker builds the index in memory
  (FUSIONATLAS_INDEX_DIR=memory) under uvicorn's own supervisor, which kills a worker that misses its
  5 s health check; given up after --limit seconds;
- cold: no persisted index yet: one worker builds and writes it, the other waits for it and loads it;
- warm: the index persisted by the cold start: every worker loads it.
Also, in this process: building the index (the baseline's work per worker) and loading the persisted one.
And the CLI: `fusionatlas match` on the bundled atlas, a new process each time, with the index built in
memory (FUSIONATLAS_INDEX_DIR=memory) and loaded from the persisted folder (median of 5, no busy process).

Run: `python benchmarks/bench_serve.py` (synthesises and loads the atlas first, ~2 minutes), or with
`--db sqlite:///PATH` naming an atlas already loaded (its persisted index folder is removed first).
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from sqlalchemy.engine import make_url

QUERY = "/api/match?q=REBCO+tape+for+TF+coils&top=5"
BASELINE_SERVE = """
import sys
from uvicorn.supervisors import Multiprocess
from fusionatlas.web import serving
serving.Supervisor = lambda config, sockets, patience: Multiprocess(config, sockets)  # uvicorn's own
from fusionatlas.cli import main
sys.argv = ["fusionatlas", *sys.argv[1:]]
main()
"""
BUILD_IN_PROCESS = """
import json, sys, time
from fusionatlas.match.index import build_index
from fusionatlas.match.persist import index_root, load_or_build
from fusionatlas.store.engine import open_engine
engine = open_engine(sys.argv[1])
with engine.connect() as connection:
    start = time.perf_counter()
    index = build_index(connection) if sys.argv[2] == "build" else load_or_build(connection, index_root(engine.url))
    print(json.dumps({"seconds": time.perf_counter() - start, "from_disk": not index.cap_org.flags.writeable}))
"""


def machine() -> str:
    model = next(
        (
            line.split(":", 1)[1].strip()
            for line in subprocess.run(["lscpu"], capture_output=True, text=True).stdout.splitlines()
            if line.startswith("Model name")
        ),
        "unknown CPU",
    )
    return f"{model}, {os.cpu_count()} cores, Python {sys.version.split()[0]}"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def environment(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("FUSIONATLAS_")}
    return env | extra


def first_answer(command: list[str], env: dict[str, str], limit: float, log: Path) -> dict[str, object]:
    """Start a server; seconds until its first match answers (None past `limit`), and its workers' deaths."""
    port = free_port()
    start = time.perf_counter()
    with log.open("w") as handle:  # a session of its own: its workers are stopped with it, whatever they do
        server = subprocess.Popen(
            [*command, "serve", "--port", str(port), "--workers", "2"],
            env=env,
            stdout=handle,
            stderr=handle,
            start_new_session=True,
        )
    answered: float | None = None
    try:
        while answered is None and time.perf_counter() - start < limit and server.poll() is None:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}{QUERY}", timeout=5) as response:
                    if response.status == 200 and json.load(response)["results"]:
                        answered = time.perf_counter() - start
            except OSError:
                time.sleep(0.25)
    finally:
        stop(server)
    output = log.read_text()
    return {
        "first_answer_seconds": round(answered, 1) if answered is not None else None,
        "gave_up_after_seconds": None if answered is not None else limit,
        "workers_killed": output.count("died"),
    }


def stop(server: subprocess.Popen[bytes]) -> None:
    """Ctrl+C to the server, then SIGKILL to every process left in its session (a worker still warming
    acts on SIGTERM only once warm)."""
    with contextlib.suppress(ProcessLookupError):
        os.killpg(server.pid, signal.SIGINT)
    with contextlib.suppress(subprocess.TimeoutExpired):
        server.wait(30)
    with contextlib.suppress(ProcessLookupError):
        os.killpg(server.pid, signal.SIGKILL)
    server.wait()


def in_process(database: str, what: str) -> dict[str, object]:
    run = subprocess.run(
        [sys.executable, "-c", BUILD_IN_PROCESS, database, what],
        env=environment(),
        capture_output=True,
        text=True,
        check=True,
    )
    report = json.loads(run.stdout)
    return {"seconds": round(report["seconds"], 1), "from_disk": report["from_disk"]}


def cli_match(work: Path) -> dict[str, object]:
    database = f"sqlite:///{work / 'bundled.db'}"
    cli = [sys.executable, "-m", "fusionatlas", "--db", database]
    subprocess.run([*cli, "load"], env=environment(), check=True, capture_output=True)

    def timed(env: dict[str, str]) -> float:
        start = time.perf_counter()
        subprocess.run(
            [*cli, "match", "REBCO tape for HTS magnets", "--json"], env=env, check=True, capture_output=True
        )
        return time.perf_counter() - start

    built = [timed(environment(FUSIONATLAS_INDEX_DIR="memory")) for _ in range(5)]
    first = timed(environment())  # builds and writes the folder
    loaded = [timed(environment()) for _ in range(5)]
    started = time.perf_counter()
    subprocess.run([sys.executable, "-c", "import fusionatlas.cli"], check=True)
    imports = time.perf_counter() - started
    return {
        "atlas": "bundled",
        "built_in_memory_median_seconds": round(statistics.median(built), 2),
        "first_run_building_and_writing_seconds": round(first, 2),
        "loaded_from_folder_median_seconds": round(statistics.median(loaded), 2),
        "python_start_and_cli_import_seconds": round(imports, 2),
    }


def main() -> dict[str, object]:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--orgs", type=int, default=100_000)
    parser.add_argument("--db", help="an atlas already loaded (sqlite:///PATH); else one is synthesised")
    parser.add_argument("--limit", type=float, default=300.0, help="seconds before a start is given up")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        database = args.db
        if database is None:
            package = work / "package"
            subprocess.run(
                [sys.executable, "-m", "fusionatlas", "synth", "--orgs", str(args.orgs), "--out", str(package)],
                check=True,
                capture_output=True,
            )
            database = f"sqlite:///{work / 'atlas.db'}"
            subprocess.run(
                [sys.executable, "-m", "fusionatlas", "--db", database, "load", str(package)],
                check=True,
                capture_output=True,
            )
        index_folder = Path(str(make_url(database).database) + ".index")
        shutil.rmtree(index_folder, ignore_errors=True)
        cli = [sys.executable, "-m", "fusionatlas", "--db", database]
        load_before = os.getloadavg()[1]
        busy = subprocess.Popen([sys.executable, "-c", "while True: pass"])
        try:
            results = {
                "build_in_process_seconds": in_process(database, "build"),
                "baseline_each_worker_builds_uvicorn_supervisor": first_answer(
                    [sys.executable, "-c", BASELINE_SERVE, "--db", database],
                    environment(FUSIONATLAS_INDEX_DIR="memory"),
                    args.limit,
                    work / "baseline.log",
                ),
                "cold_no_persisted_index": first_answer(cli, environment(), args.limit, work / "cold.log"),
                "warm_index_persisted": first_answer(cli, environment(), args.limit, work / "warm.log"),
                "load_in_process_seconds": in_process(database, "load"),
            }
        finally:
            busy.kill()
            busy.wait()
        index_mib = sum(p.stat().st_size for p in index_folder.rglob("*") if p.is_file()) / 2**20
        cli_figures = cli_match(work)
    result = {
        "benchmark": "serve",
        "machine": machine(),
        "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
        "database": "synthetic" if args.db is None else "given",
        "busy_process": "python -c 'while True: pass' for every serve start and in-process figure",
        "load_average_5min_before_and_after": [round(load_before, 1), round(os.getloadavg()[1], 1)],
        **results,
        "persisted_index_mib": round(index_mib),
        "cli_match": cli_figures,
    }
    print(json.dumps(result, indent=2))
    return result


if __name__ == "__main__":
    main()
