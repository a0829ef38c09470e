"""The gap analysis on the bundled atlas, as a Japanese planner would read `gaps --country JP`."""

from collections import Counter

import pytest

from fusionatlas.analysis.atlas import read_atlas
from fusionatlas.analysis.gaps import analyse
from fusionatlas.domain.audience import PUBLIC
from fusionatlas.store.engine import open_engine


@pytest.fixture
def report(bundled_sqlite_url):
    engine = open_engine(bundled_sqlite_url)
    with engine.connect() as connection:
        atlas = read_atlas(connection, PUBLIC)
    engine.dispose()
    return analyse(atlas, "JP")


def test_the_top_twenty_are_on_japans_path_with_reasons(report):
    assert report.path_recorded
    top = report.technologies[:20]
    assert all(g.category == "gap" and g.path_ids for g in top)
    for gap in top:
        assert gap.reasons[0].en.startswith("On Japan's path (") and "path:" not in gap.reasons[0].en
        assert gap.reasons[0].ja.startswith("日本の路線上にあります（") and "path:" not in gap.reasons[0].ja
        assert gap.relevance >= 0.6 and gap.score == pytest.approx(gap.relevance * gap.shortfall, abs=1e-4)


def test_off_path_concepts_are_not_pursued_and_rank_last(report):
    by_id = {g.technology_id: g for g in report.technologies}
    for tech in ("tech:alt.dense-plasma-focus", "tech:alt.levitated-dipole", "tech:alt.electrostatic"):
        assert by_id[tech].category == "not pursued" and by_id[tech].score == 0
    # A node on the path with no domestic supplier is a gap, never "not pursued".
    for gap in report.technologies:
        if gap.path_ids:
            assert gap.category != "not pursued", gap.technology_id
    order = [g.category for g in report.technologies]
    assert order == sorted(order, key=["gap", "not surveyed", "not pursued"].index)


def test_domestic_suppliers_the_atlas_holds_are_seen(report):
    by_id = {g.technology_id: g for g in report.technologies}
    # Japan's ITER agency procured TF Nb3Sn strand from Japanese makers (capabilities.csv): not "no supplier".
    assert by_id["tech:magnet.lts.nb3sn-strand"].domestic >= 1
    # QST's negative-ion NBI work and Japan's helical programme (NIFS) are domestic activity.
    assert by_id["tech:hcd.nbi"].domestic >= 2 and by_id["tech:hcd.nbi.ion-source"].domestic >= 2
    helical = by_id["tech:alt.helical"]
    assert "path:jp-nifs-helical" in helical.path_ids and helical.domestic >= 1
    # Japan's laser approach is on its path; heavy-ion drivers, no part of it, are not.
    assert by_id["tech:ife.laser"].path_ids and not by_id["tech:ife.heavy-ion"].path_ids
    # Japan's materials path takes its own F82H steel, not Europe's EUROFER97 (the paths exclude it).
    assert by_id["tech:material.rafm.f82h"].path_ids and not by_id["tech:material.rafm.eurofer97"].path_ids


def test_no_large_ties_among_the_gaps(report):
    scores = Counter(g.score for g in report.technologies if g.category == "gap")
    assert max(scores.values()) < 20
