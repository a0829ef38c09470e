"""Matching quality on labelled real needs (tests/data/needs_eval.yaml) must not regress.

Floors sit a little under the figures measured when they were set (docs/matching.md). On the atlas as
it is (every record in both languages) the ranker must stay at least as good as plain BM25; where the
need and the records are in different languages (the one-language condition), its MRR must stay at
least 20% above BM25's, the target of the matching issue.
"""

from pathlib import Path

import pytest

from fusionatlas.dataset import BUNDLED
from fusionatlas.dataset.package import load_package
from fusionatlas.match.evaluate import evaluate, one_language_index, read_needs
from fusionatlas.match.index import build_index
from fusionatlas.store.engine import open_engine

NEEDS = Path(__file__).resolve().parents[1] / "data" / "needs_eval.yaml"
FLOORS = {
    "bilingual": {"en": {"recall@10": 0.85, "mrr": 0.84}, "ja": {"recall@10": 0.85, "mrr": 0.73}},
    # ja MRR 0.46: the atlas of 2026-12 has 46 more organizations and 39 more capabilities than the one the
    # first floor was set on (more competitors per need); the same run measured 0.478, 1.9 x BM25's 0.255.
    "one-language": {"en": {"recall@10": 0.58, "mrr": 0.47}, "ja": {"recall@10": 0.53, "mrr": 0.46}},
}


@pytest.fixture(scope="module")
def reports(tmp_path_factory):
    engine = open_engine(f"sqlite:///{tmp_path_factory.mktemp('eval') / 'atlas.db'}")
    load_package(engine, BUNDLED)
    with engine.connect() as connection:
        index = build_index(connection)
    crossed = {"ja": one_language_index(engine, "en"), "en": one_language_index(engine, "ja")}
    engine.dispose()
    needs, _ = read_needs(NEEDS, index)
    assert len(needs) >= 60
    assert sum(n.language == "ja" for n in needs) >= len(needs) / 3
    return {"bilingual": evaluate(index, needs), "one-language": evaluate(crossed, needs)}


@pytest.mark.parametrize("condition", list(FLOORS))
@pytest.mark.parametrize("language", ["en", "ja"])
def test_floors(reports, condition, language):
    ours = reports[condition]["fusionatlas"][language]
    for metric, floor in FLOORS[condition][language].items():
        assert ours[metric] >= floor, f"{condition} {language} {metric} fell to {ours[metric]}"


@pytest.mark.parametrize("language", ["en", "ja"])
def test_never_worse_than_plain_bm25_on_the_bilingual_atlas(reports, language):
    ours, baseline = reports["bilingual"]["fusionatlas"][language], reports["bilingual"]["bm25"][language]
    assert ours["recall@10"] >= baseline["recall@10"]
    assert ours["mrr"] >= baseline["mrr"]


@pytest.mark.parametrize("language", ["en", "ja"])
def test_across_languages_mrr_beats_plain_bm25_by_a_fifth(reports, language):
    ours, baseline = reports["one-language"]["fusionatlas"][language], reports["one-language"]["bm25"][language]
    assert ours["recall@10"] >= baseline["recall@10"]
    assert ours["mrr"] >= 1.2 * baseline["mrr"]
