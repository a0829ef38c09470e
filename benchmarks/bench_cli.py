"""Benchmark: `fusionatlas match` and `opportunities` from a cold process on the bundled atlas.

Each command runs in a new Python process (as a person at a terminal runs it), several times; the figures
are the median wall time and the median CPU time (user + system) of the process, which moves less with the
load of a shared machine. Beside them, in the same run and interleaved with them (so that both meet the
same load):
- before: the same commands run by the source of `--before REV` (default 9202c79, the commit before the
  lazy imports), from `git archive`, on the same database and persisted index;
- rebuilt: the command with the index rebuilt in memory each time (`FUSIONATLAS_INDEX_DIR=memory`, how the
  CLI worked before match/persist.py);
- floor: Python's own start (`python -c pass`), which no command can beat.
The first run builds and writes the index folder; it is reported apart.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

COMMANDS = {
    "match_ja": ["match", "トリチウム対応の真空ポンプ", "--top", "5"],
    "match_en": ["match", "gyrotron window cooling", "--top", "5"],
    "opportunities_org": ["opportunities", "org:qst", "--top", "5"],
    "opportunities_text": ["opportunities", "--text", "REBCO 超伝導線材", "--top", "5"],
}


def timed(argv: list[str], env: dict[str, str]) -> tuple[float, float]:
    """Wall and CPU seconds of one run."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run(argv, check=True, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def medians(samples: list[tuple[float, float]]) -> dict[str, float]:
    return {
        "wall_s": round(statistics.median(s[0] for s in samples), 3),
        "cpu_s": round(statistics.median(s[1] for s in samples), 3),
    }


def source_of(revision: str, folder: Path) -> Path:
    """The `src` folder of `revision`, unpacked into `folder`."""
    archive = subprocess.run(["git", "-C", str(ROOT), "archive", revision, "src"], check=True, capture_output=True)
    subprocess.run(["tar", "-x", "-C", str(folder)], input=archive.stdout, check=True)
    return folder / "src"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--before", default="9202c79", help="the revision measured beside this tree")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        db = f"sqlite:///{Path(folder) / 'atlas.db'}"
        cli = [sys.executable, "-m", "fusionatlas", "--db", db]
        env = {k: v for k, v in os.environ.items() if k not in ("FUSIONATLAS_INDEX_DIR", "PYTHONPATH")}
        variants = {
            "now": env,
            "before": {**env, "PYTHONPATH": str(source_of(args.before, Path(folder)))},
            "rebuilt": {**env, "FUSIONATLAS_INDEX_DIR": "memory"},
        }
        subprocess.run([*cli, "load"], check=True, env=env, capture_output=True)
        result: dict[str, object] = {
            "benchmark": "cli_cold_start",
            "date": time.strftime("%Y-%m-%d %H:%M"),
            "before": args.before,
            "runs": args.runs,
            "load_average": round(os.getloadavg()[0], 1),
            "floor_python_start": medians([timed([sys.executable, "-c", "pass"], env) for _ in range(args.runs)]),
            "first_run_builds_and_writes_index": medians([timed([*cli, *COMMANDS["match_en"]], env)]),
        }
        for name, command in COMMANDS.items():
            samples: dict[str, list[tuple[float, float]]] = {variant: [] for variant in variants}
            for _ in range(args.runs):  # interleaved: each variant meets the same load
                for variant, variant_env in variants.items():
                    samples[variant].append(timed([*cli, *command], variant_env))
            result[name] = {variant: medians(values) for variant, values in samples.items()}
        result["load_average_after"] = round(os.getloadavg()[0], 1)
    print(json.dumps(result, indent=2, ensure_ascii=False))


if __name__ == "__main__":
    main()
