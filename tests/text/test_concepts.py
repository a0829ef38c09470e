"""Concept tagging: the technology map's names in either language find their node."""

import pytest

from fusionatlas.text.concepts import ConceptTagger

TREE = [
    {"id": "tech:magnet", "name_en": "Magnets", "name_ja": "マグネット", "synonyms_en": ["TF coil"], "parent": None},
    {
        "id": "tech:magnet.hts",
        "name_en": "HTS conductor (REBCO tape)",
        "name_ja": "高温超伝導線材",
        "synonyms_en": ["HTS"],
        "synonyms_ja": ["REBCO線材"],
        "parent": "tech:magnet",
    },
    {"id": "tech:hcd.gyrotron", "name_en": "Gyrotron", "name_ja": "ジャイロトロン", "parent": None},
]


@pytest.fixture
def tagger():
    return ConceptTagger(TREE)


def ids(hits):
    return [hit.tech_id for hit in hits]


@pytest.mark.parametrize("text", ["gyrotrons for ECRH", "ジャイロトロンの調達", "GYROTRON"])
def test_either_language_tags_the_same_node(tagger, text):
    assert ids(tagger.tag(text)) == ["tech:hcd.gyrotron"]


def test_latin_terms_match_whole_words_only(tagger):
    assert tagger.tag("hotshots") == []
    assert ids(tagger.tag("hts tape")) == ["tech:magnet.hts"]


def test_short_latin_terms_weigh_half_and_long_names_win(tagger):
    hits = {hit.tech_id: hit for hit in tagger.tag("HTS magnets")}
    assert hits["tech:magnet.hts"].weight == 0.5 and hits["tech:magnet"].weight == 1.0
    # The part of a name before its parenthesis is a name too; the longest term found is the one reported.
    assert tagger.tag("an HTS conductor order")[0].term == "hts conductor"


def test_a_term_inside_a_longer_one_is_not_counted_twice(tagger):
    assert ids(tagger.tag("高温超伝導線材")) == ["tech:magnet.hts"]


def test_an_empty_map_tags_nothing():
    assert ConceptTagger([]).tag("gyrotron") == []
