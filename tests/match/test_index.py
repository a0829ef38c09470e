import numpy as np

from fusionatlas.domain.audience import OPERATOR
from fusionatlas.match.index import Bm25, MatchIndex


def test_best_per_org_handles_empty_and_trailing_organizations():
    index = MatchIndex.__new__(MatchIndex)
    index.organizations = [{"id": "a"}, {"id": "b"}, {"id": "c"}, {"id": "d"}]
    index.cap_org = np.array([2, 0, 2, 0], dtype=np.int32)
    MatchIndex.__post_init__(index)
    best = index.best_per_org(np.array([0.5, 0.1, 0.9, 0.3], dtype=np.float32))
    assert best.tolist() == [np.float32(0.3), 0.0, np.float32(0.9), 0.0]


def test_bm25_prefers_rarer_and_denser_matches():
    bm25 = Bm25.build([("rebco", "tape"), ("tape", "tape", "other"), ("gyrotron",)], np.zeros(3, np.int8))
    scores = bm25.scores(("rebco", "tape"), 0)
    assert scores[0] > scores[1] > scores[2] == 0
    assert bm25.scores(("unknown",), 0).tolist() == [0, 0, 0]


def test_bm25_word_statistics_leave_out_documents_the_level_cannot_see():
    visible = [("rebco", "tape"), ("tape", "other")]
    hidden = [("rebco",)] * 5 + [("tape", "tape", "tape", "tape", "tape", "tape")]
    alone = Bm25.build(visible, np.zeros(2, np.int8))
    mixed = Bm25.build(visible + hidden, np.array([0, 0] + [2] * 6, np.int8))
    query = ("rebco", "tape")
    # The public's scores of the public documents are those of an atlas without the hidden ones.
    assert np.allclose(mixed.scores(query, 0)[:2], alone.scores(query, 0))
    assert not np.allclose(mixed.scores(query, 2)[:2], alone.scores(query, 0))


def _index_with_english_only_fujikura(engine, package):
    from sqlalchemy import update

    from fusionatlas.dataset.package import load_package
    from fusionatlas.match.index import build_index
    from fusionatlas.store.schema import TABLES_BY_NAME

    load_package(engine, package)
    caps = TABLES_BY_NAME["capabilities"]
    with engine.begin() as connection:
        connection.execute(
            update(caps).where(caps.c.org_id == "org:fujikura").values(description_ja=None, evidence_ja=None)
        )
    with engine.connect() as connection:
        return build_index(connection)


def test_records_in_both_languages_carry_no_bridge_tokens(sqlite_engine, package):
    from fusionatlas.dataset.package import load_package
    from fusionatlas.match.index import build_index

    load_package(sqlite_engine, package)
    with sqlite_engine.connect() as connection:
        index = build_index(connection)
    assert not [word for word in index.bm25.vocabulary if word.startswith("§")]


def test_a_record_in_english_only_is_bridged_to_japanese_needs(sqlite_engine, package):
    from fusionatlas.match.engine import lexical_scores
    from fusionatlas.match.index import bridge_token

    index = _index_with_english_only_fujikura(sqlite_engine, package)
    token = bridge_token("ja", "tech:magnet.hts")
    assert token in index.bm25.vocabulary and bridge_token("en", "tech:magnet.hts") not in index.bm25.vocabulary
    cap = next(i for i, c in enumerate(index.capabilities) if c["org_id"] == "org:fujikura")
    # The Japanese need shares no word with the English text: only the bridge reaches it.
    assert lexical_scores(index, ("高温超伝導線材",), OPERATOR)[cap] == 0
    assert lexical_scores(index, ("高温超伝導線材", token), OPERATOR)[cap] > 0
