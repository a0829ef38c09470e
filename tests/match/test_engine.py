"""Matching on the fixture atlas: across languages, with reasons, respecting visibility and filters."""

import pytest

from fusionatlas.dataset.package import load_package
from fusionatlas.domain.audience import OPERATOR, PUBLIC
from fusionatlas.match.engine import MatchError, match
from fusionatlas.match.index import build_index
from fusionatlas.match.opportunities import opportunities, seeds_of_organization, seeds_of_text


@pytest.fixture
def index(sqlite_engine, package):
    load_package(sqlite_engine, package)
    with sqlite_engine.connect() as connection:
        return build_index(connection)


def org_ids(result):
    return [r.org_id for r in result.results]


def test_english_need_finds_the_supplier_with_reasons(index):
    result = match(index, "REBCO coated conductor tape for HTS magnets")
    assert result.language == "en"
    assert org_ids(result)[0] == "org:fujikura"
    assert "tech:magnet.hts" in [c["id"] for c in result.concepts]
    top = result.results[0]
    kinds = [w.kind for w in top.why]
    assert "concept" in kinds and "evidence" in kinds
    evidence = next(w for w in top.why if w.kind == "evidence")
    assert evidence.source_ids == ["src:fujikura-hts"] and evidence.ja


def test_japanese_need_reaches_suppliers_through_the_map(index):
    result = match(index, "高温超伝導線材を調達したい")
    assert result.language == "ja"
    assert [c["id"] for c in result.concepts] == ["tech:magnet.hts"]
    assert org_ids(result)[0] == "org:fujikura"


def test_a_parent_concept_matches_children_in_part(index):
    result = match(index, "superconducting magnet")
    assert "org:fujikura" in org_ids(result)
    why = result.results[0].why[0]
    assert "narrower" in why.en


def test_members_records_never_reach_the_public(index):
    assert "org:members-only-co" not in org_ids(match(index, "gyrotron parts", audience=PUBLIC))
    assert "org:members-only-co" in org_ids(match(index, "gyrotron parts", audience=OPERATOR))


def test_country_and_kind_filters(index):
    assert org_ids(match(index, "REBCO", country="FR")) == []
    assert org_ids(match(index, "REBCO", country="jp")) == ["org:fujikura"]
    assert org_ids(match(index, "REBCO", kind="university")) == []
    result = match(index, "REBCO", country="FR")
    assert "country FR" in result.note


def test_ties_are_broken_by_id_and_scores_descend(index):
    result = match(index, "fusion", audience=OPERATOR)
    scores = [r.score for r in result.results]
    assert scores == sorted(scores, reverse=True)


@pytest.mark.parametrize("text", ["!!!", "🔥🔥🔥", "   ", "。、・"])
def test_queries_without_words_get_an_explained_empty_result(index, text):
    result = match(index, text)
    assert result.results == [] and result.note


def test_a_huge_query_is_cut_and_says_so(index):
    result = match(index, "REBCO tape " * 10_000)
    assert org_ids(result)[0] == "org:fujikura"
    assert "cut" in result.note


def test_mixed_scripts(index):
    assert org_ids(match(index, "ＲＥＢＣＯ線材 for ITER"))[0] == "org:fujikura"


def test_unknown_country(index):
    with pytest.raises(MatchError, match="use GB"):
        match(index, "REBCO", country="UK")


def test_baseline_is_plain_bm25(index):
    # Without the map, a Japanese query finds nothing written only in English.
    assert org_ids(match(index, "ジャイロトロン", audience=OPERATOR, lexical_only=True)) == ["org:members-only-co"]
    assert match(index, "ジャイロトロン", audience=OPERATOR).concepts[0]["id"] == "tech:hcd.gyrotron"


def test_opportunities_of_an_organization(index):
    found = opportunities(index, seeds_of_organization(index, "org:fujikura"))
    assert found and all(o.kind in ("need", "technology") for o in found)
    assert "tech:magnet" in [o.id for o in found]


def test_opportunities_of_seed_text_include_open_needs(index):
    found = opportunities(index, seeds_of_text(index, "ジャイロトロンの製造技術"))
    assert found[0].kind == "need" and found[0].id == "need:iter-gyrotron"


def test_unknown_or_hidden_organization(index):
    with pytest.raises(MatchError, match="unknown organization"):
        seeds_of_organization(index, "org:nobody")
    with pytest.raises(MatchError, match="unknown organization"):
        seeds_of_organization(index, "org:members-only-co", PUBLIC)


def test_adjacent_technology_counts_only_visible_capabilities(index):
    found = opportunities(index, seeds_of_text(index, "heating and current drive"), top=50, audience=PUBLIC)
    gyrotron = next(o for o in found if o.id == "tech:hcd.gyrotron")
    assert "0 organizations" in gyrotron.why[-1].en
    found = opportunities(index, seeds_of_text(index, "heating and current drive"), top=50, audience=OPERATOR)
    assert "1 organization in the atlas has" in next(o for o in found if o.id == "tech:hcd.gyrotron").why[-1].en
