import numpy as np

from fusionatlas.match.index import Bm25, MatchIndex


def test_best_per_org_handles_empty_and_trailing_organizations():
    index = MatchIndex.__new__(MatchIndex)
    index.organizations = [{"id": "a"}, {"id": "b"}, {"id": "c"}, {"id": "d"}]
    index.cap_org = np.array([2, 0, 2, 0], dtype=np.int32)
    MatchIndex.__post_init__(index)
    best = index.best_per_org(np.array([0.5, 0.1, 0.9, 0.3], dtype=np.float32))
    assert best.tolist() == [np.float32(0.3), 0.0, np.float32(0.9), 0.0]


def test_bm25_prefers_rarer_and_denser_matches():
    bm25 = Bm25.build([("rebco", "tape"), ("tape", "tape", "other"), ("gyrotron",)])
    scores = bm25.scores(("rebco", "tape"))
    assert scores[0] > scores[1] > scores[2] == 0
    assert bm25.scores(("unknown",)).tolist() == [0, 0, 0]
