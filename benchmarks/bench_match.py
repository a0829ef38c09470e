"""Benchmark: matching on a synthetic atlas of 100,000 organizations and 500,000 capabilities.

Measures the index build, one query's latency (p50/p95 over 1,000 needs in both languages), a batch of
10,000 needs, and peak memory; beside it, in the same run, raw BM25 over the same documents (the
baseline: no concepts, no explanations). The atlas is loaded by the CLI in a child process, so the
memory figure is the matcher's own.
"""

from __future__ import annotations

import argparse
import gc
import json
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import yaml

from fusionatlas.dataset import BUNDLED
from fusionatlas.domain.audience import OPERATOR
from fusionatlas.match.engine import match
from fusionatlas.match.evaluate import one_language_index
from fusionatlas.match.index import MatchIndex, build_index
from fusionatlas.store.engine import open_engine
from fusionatlas.text.tokenize import tokens

TEMPLATES_EN = [
    "{} for a pilot plant",
    "Supplier of {} with proven delivery",
    "We need {} for DEMO",
    "{} and qualification",
]
TEMPLATES_JA = [
    "原型炉向けの{}を調達したい",
    "{}を製作できるメーカー",
    "{}の試作と評価",
    "パイロットプラント用{}の供給",
]


def needs(count: int, seed: int = 7) -> list[str]:
    rng = random.Random(seed)
    technologies = yaml.safe_load((BUNDLED / "technologies.yaml").read_text(encoding="utf-8"))
    texts = []
    for _ in range(count):
        tech = rng.choice(technologies)
        if rng.random() < 0.5:
            texts.append(rng.choice(TEMPLATES_EN).format(rng.choice([tech["name_en"], *tech["synonyms_en"]])))
        else:
            texts.append(rng.choice(TEMPLATES_JA).format(rng.choice([tech["name_ja"], *tech["synonyms_ja"]])))
    return texts


def percentile(values: list[float], q: float) -> float:
    return round(float(np.percentile(values, q)) * 1000, 2)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--orgs", type=int, default=100_000)
    parser.add_argument("--batch", type=int, default=10_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        fusionatlas = [sys.executable, "-m", "fusionatlas", "--db", f"sqlite:///{work / 'atlas.db'}"]
        subprocess.run(
            [sys.executable, "-m", "fusionatlas", "synth", "--orgs", str(args.orgs), "--out", str(work / "package")],
            check=True,
            capture_output=True,
        )
        subprocess.run([*fusionatlas, "load", str(work / "package")], check=True, capture_output=True)
        engine = open_engine(f"sqlite:///{work / 'atlas.db'}")
        start = time.perf_counter()
        with engine.connect() as connection:
            index = build_index(connection)
        build_seconds = time.perf_counter() - start
        result = measure_queries(index, args.batch)
        result["index_build_seconds"] = round(build_seconds, 1)
        result["peak_rss_mib"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
        # Worst case for the bridge tokens: every record in English only, so every one is tagged.
        del index
        gc.collect()
        start = time.perf_counter()
        one_language_index(engine, "en")
        result["index_build_seconds_english_only_records"] = round(time.perf_counter() - start, 1)
        engine.dispose()
    print(json.dumps(result, indent=2))


def measure_queries(index: MatchIndex, batch_size: int) -> dict:
    queries = needs(1000)
    match(index, queries[0], audience=OPERATOR)  # warm the tokenizer
    ours = []
    for text in queries:
        start = time.perf_counter()
        match(index, text, top=10, audience=OPERATOR)
        ours.append(time.perf_counter() - start)
    raw = []
    for text in queries:
        start = time.perf_counter()
        scores = index.bm25.scores(tokens(text))
        np.argpartition(-scores, 10)[:10]
        raw.append(time.perf_counter() - start)
    batch = needs(batch_size, seed=11)
    start = time.perf_counter()
    for text in batch:
        match(index, text, top=10, audience=OPERATOR)
    batch_seconds = time.perf_counter() - start
    return {
        "benchmark": "match",
        "date": time.strftime("%Y-%m-%d"),
        "organizations": len(index.organizations),
        "capabilities": len(index.capabilities),
        "query_ms_p50": percentile(ours, 50),
        "query_ms_p95": percentile(ours, 95),
        "baseline_raw_bm25_ms_p50": percentile(raw, 50),
        "baseline_raw_bm25_ms_p95": percentile(raw, 95),
        "batch_needs": len(batch),
        "batch_seconds": round(batch_seconds, 1),
    }


if __name__ == "__main__":
    main()
