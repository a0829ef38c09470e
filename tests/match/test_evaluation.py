"""Matching quality on labelled real needs (tests/data/needs_eval.yaml) must not regress.

Floors sit a little under the figures measured when they were set (docs/matching.md); the ranker
must also stay at least as good as plain BM25 over the same atlas.
"""

from pathlib import Path

import pytest

from fusionatlas.dataset import BUNDLED
from fusionatlas.dataset.package import load_package
from fusionatlas.match.evaluate import evaluate, read_needs
from fusionatlas.match.index import build_index
from fusionatlas.store.engine import open_engine

NEEDS = Path(__file__).resolve().parents[1] / "data" / "needs_eval.yaml"
FLOORS = {"en": {"recall@10": 0.80, "mrr": 0.78}, "ja": {"recall@10": 0.85, "mrr": 0.72}}


@pytest.fixture(scope="module")
def report(tmp_path_factory):
    engine = open_engine(f"sqlite:///{tmp_path_factory.mktemp('eval') / 'atlas.db'}")
    load_package(engine, BUNDLED)
    with engine.connect() as connection:
        index = build_index(connection)
    engine.dispose()
    needs, _ = read_needs(NEEDS, index)
    assert len(needs) >= 60
    assert sum(n.language == "ja" for n in needs) >= len(needs) / 3
    return evaluate(index, needs)


@pytest.mark.parametrize("language", ["en", "ja"])
def test_floors(report, language):
    ours = report["fusionatlas"][language]
    for metric, floor in FLOORS[language].items():
        assert ours[metric] >= floor, f"{language} {metric} fell to {ours[metric]}"


@pytest.mark.parametrize("language", ["en", "ja"])
def test_never_worse_than_plain_bm25(report, language):
    ours, baseline = report["fusionatlas"][language], report["bm25"][language]
    assert ours["recall@10"] >= baseline["recall@10"]
    assert ours["mrr"] >= baseline["mrr"]
