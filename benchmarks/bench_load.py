"""Benchmark: `fusionatlas load` of a synthetic package (100,000 organizations, 500,000 capabilities) into SQLite.

Baseline in the same run: a naive loader that validates each row and inserts it through the ORM,
committing row by row, timed on a 10,000-row slice and scaled to the full package.
Run: `make bench` (or `python benchmarks/bench_load.py --orgs 100000`).
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from sqlalchemy.orm import Session, registry

from fusionatlas.domain import Organization
from fusionatlas.store.engine import open_engine
from fusionatlas.store.migrate import upgrade
from fusionatlas.store.schema import TABLES_BY_NAME

BASELINE_ROWS = 10_000


class OrgRow:
    """A plain mapped class: what a first, naive loader would write."""


registry().map_imperatively(OrgRow, TABLES_BY_NAME["organizations"])


def machine() -> str:
    """CPU model, cores and Python version, for the record in docs/benchmarks.md."""
    model = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        ),
        platform.processor() or platform.machine(),
    )
    return f"{model}, {os.cpu_count()} cores, Python {platform.python_version()}"


def count_records(path: Path) -> int:
    with path.open(encoding="utf-8") as handle:
        return sum(1 for _ in handle) - 1


def cli(*args: str) -> tuple[float, float]:
    """Run a fusionatlas command; its wall time in seconds and its own peak memory in MiB."""
    start = time.perf_counter()
    process = subprocess.Popen([sys.executable, "-m", "fusionatlas", *args], stdout=subprocess.DEVNULL)
    _, status, usage = os.wait4(process.pid, 0)
    elapsed = time.perf_counter() - start
    if status != 0:
        raise SystemExit(f"fusionatlas {' '.join(args)} failed")
    return elapsed, usage.ru_maxrss / 1024


def naive_rows_per_second(package: Path, database: Path) -> float:
    """Row-by-row: validate a row, add it through the ORM, commit; the obvious first implementation."""
    engine = open_engine(f"sqlite:///{database}")
    upgrade(engine)
    with (package / "organizations.csv").open(encoding="utf-8") as handle:
        rows = [row for _, row in zip(range(BASELINE_ROWS), csv.DictReader(handle), strict=False)]
    start = time.perf_counter()
    with Session(engine) as session:
        for row in rows:
            record = Organization.model_validate(row)
            session.add(OrgRow(**record.model_dump(mode="json")))
            session.commit()
    elapsed = time.perf_counter() - start
    engine.dispose()
    return len(rows) / elapsed


def main() -> dict[str, object]:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--orgs", type=int, default=100_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        package = work / "package"
        synth_seconds, _ = cli("synth", "--orgs", str(args.orgs), "--out", str(package))
        rows = sum(count_records(package / f"{name}.csv") for name in ("organizations", "capabilities", "needs"))
        database = f"sqlite:///{work / 'atlas.db'}"
        load_seconds, peak_mib = cli("--db", database, "load", str(package))
        reload_seconds, _ = cli("--db", database, "load", str(package))
        # A large single file (the capabilities CSV) through `import`, which streams it.
        capabilities = package / "capabilities.csv"
        import_seconds, import_mib = cli("--db", database, "import", str(capabilities), "--table", "capabilities")
        capabilities_size = capabilities.stat().st_size
        naive_rate = naive_rows_per_second(package, work / "naive.db")
    result = {
        "benchmark": "load",
        "machine": machine(),
        "date": time.strftime("%Y-%m-%d"),
        "organizations": args.orgs,
        "rows": rows,
        "synth_seconds": round(synth_seconds, 1),
        "load_seconds": round(load_seconds, 1),
        "reload_seconds": round(reload_seconds, 1),
        "load_peak_rss_mib": round(peak_mib),
        "load_rows_per_second": round(rows / load_seconds),
        "import_file_mib": round(capabilities_size / 2**20),
        "import_seconds": round(import_seconds, 1),
        "import_peak_rss_mib": round(import_mib),
        "baseline_naive_orm_rows_per_second": round(naive_rate),
        "baseline_naive_orm_seconds_scaled": round(rows / naive_rate, 1),
    }
    print(json.dumps(result, indent=2))
    return result


if __name__ == "__main__":
    main()
