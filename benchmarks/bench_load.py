"""Benchmark: `fusionatlas load` of a synthetic package (100,000 organizations, 500,000 capabilities) into SQLite.

Baseline in the same run: a naive loader that validates each row and inserts it through the ORM,
committing row by row, timed on a 10,000-row slice and scaled to the full package.
Run: `make bench` (or `python benchmarks/bench_load.py --orgs 100000`).
"""

from __future__ import annotations

import argparse
import csv
import json
import platform
import resource
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


def count_records(path: Path) -> int:
    with path.open(encoding="utf-8") as handle:
        return sum(1 for _ in handle) - 1


def cli(*args: str) -> float:
    start = time.perf_counter()
    subprocess.run([sys.executable, "-m", "fusionatlas", *args], check=True, capture_output=True)
    return time.perf_counter() - start


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
        synth_seconds = cli("synth", "--orgs", str(args.orgs), "--out", str(package))
        rows = sum(count_records(package / f"{name}.csv") for name in ("organizations", "capabilities", "needs"))
        before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
        load_seconds = cli("--db", f"sqlite:///{work / 'atlas.db'}", "load", str(package))
        peak_mib = max(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, before) / 1024
        reload_seconds = cli("--db", f"sqlite:///{work / 'atlas.db'}", "load", str(package))
        naive_rate = naive_rows_per_second(package, work / "naive.db")
    result = {
        "benchmark": "load",
        "machine": f"{platform.machine()}, {platform.processor() or 'cpu'}, Python {platform.python_version()}",
        "date": time.strftime("%Y-%m-%d"),
        "organizations": args.orgs,
        "rows": rows,
        "synth_seconds": round(synth_seconds, 1),
        "load_seconds": round(load_seconds, 1),
        "reload_seconds": round(reload_seconds, 1),
        "load_peak_rss_mib": round(peak_mib),
        "load_rows_per_second": round(rows / load_seconds),
        "baseline_naive_orm_rows_per_second": round(naive_rate),
        "baseline_naive_orm_seconds_scaled": round(rows / naive_rate, 1),
    }
    print(json.dumps(result, indent=2))
    return result


if __name__ == "__main__":
    main()
