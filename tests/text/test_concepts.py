"""Concept tagging: the technology map's names in either language find their node."""

import pytest
import yaml

from fusionatlas.dataset import BUNDLED
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


# Pairs where the second is written inside the first but means something else: the first must never
# tag the second's node. Grow this list with every confusion found.
CONFUSABLE = [
    ("トリチウム", "リチウム"),
    ("超伝導", "伝導"),
    ("中性子", "中性"),
    ("無絶縁", "絶縁"),
    ("非破壊検査", "破壊"),
    ("非極低温", "極低温"),
    ("ITER", "IT"),
    ("plasma", "plasm"),
]


@pytest.mark.parametrize(("text", "inner"), CONFUSABLE)
def test_a_word_inside_another_word_is_not_found(text, inner):
    tagger = ConceptTagger([{"id": "tech:inner", "name_en": inner, "name_ja": inner, "parent": None}])
    assert tagger.tag(f"{text}の装置") == [], text
    assert tagger.tag(f"{text} equipment") == [], text


@pytest.mark.parametrize(("text", "inner"), CONFUSABLE)
def test_the_inner_word_alone_is_still_found(text, inner):
    tagger = ConceptTagger([{"id": "tech:inner", "name_en": inner, "name_ja": inner, "parent": None}])
    assert ids(tagger.tag(f"{inner}の装置")) == ["tech:inner"]


def test_japanese_affixes_that_keep_the_word_and_unknown_katakana_compounds():
    tagger = ConceptTagger(
        [
            {"id": "tech:divertor", "name_en": "Divertor", "name_ja": "ダイバータ", "parent": None},
            {"id": "tech:coil", "name_en": "Coil", "name_ja": "コイル", "parent": None},
            {"id": "tech:laser", "name_en": "Laser", "name_ja": "レーザ", "parent": None},
        ]
    )
    assert ids(tagger.tag("ダイバータ用の部品")) == ["tech:divertor"]  # 用 leaves the word as it is
    assert ids(tagger.tag("ポロイダルコイルを設置")) == ["tech:coil"]  # MeCab does not know the compound
    assert ids(tagger.tag("レーザー装置")) == ["tech:laser"]  # a final long-vowel mark is optional


def test_the_tritium_vacuum_pump_is_not_liquid_lithium():
    tagger = ConceptTagger(
        [
            {"id": "tech:lithium", "name_en": "Lithium", "name_ja": "液体リチウム", "synonyms_ja": ["リチウム"]},
            {"id": "tech:pump", "name_en": "Vacuum pump", "name_ja": "真空ポンプ", "parent": None},
        ]
    )
    assert ids(tagger.tag("トリチウム対応の真空ポンプ")) == ["tech:pump"]


def _bundled_tagger() -> ConceptTagger:
    """The tagger over the bundled technology map, broader nodes first (as the match index builds it)."""
    nodes = yaml.safe_load((BUNDLED / "technologies.yaml").read_text(encoding="utf-8"))
    parents = {node["id"]: node["parent"] for node in nodes}

    def depth(tech_id: str) -> int:
        return 0 if not parents[tech_id] else 1 + depth(parents[tech_id])

    return ConceptTagger(sorted(nodes, key=lambda node: (depth(node["id"]), node["id"])))


@pytest.fixture(scope="module")
def bundled():
    return _bundled_tagger()


# What an industrial supplier types about itself, and the node of the bundled map it must reach.
INDUSTRY_TERMS = [
    ("バルブ", "tech:cryo.valve"),
    ("真空バルブ", "tech:cryo.valve"),
    ("ベローズシール弁", "tech:cryo.valve"),
    ("当社は高真空・高温用バルブを製造しています", "tech:cryo.valve"),
    ("valve", "tech:cryo.valve"),
    ("We make gate valves and cryogenic valves", "tech:cryo.valve"),
    ("仕切弁", "tech:cryo.valve"),
    ("真空計", "tech:cryo.leak"),
    ("電離真空計とヘリウムリークディテクタ", "tech:cryo.leak"),
    ("金属ベローズ", "tech:cryo.bellows"),
    ("フィードスルー", "tech:cryo.bellows"),
    ("大型鍛造品・鋳造品", "tech:system.manufacturing.forging"),
    ("large forgings", "tech:system.manufacturing.forging"),
    ("精密加工", "tech:system.manufacturing"),
    ("溶接", "tech:vessel.welding"),
    ("非破壊検査", "tech:system.qa"),
    ("クレーン", "tech:system.crane"),
    ("重量物搬送", "tech:system.crane"),
    ("パワーエレクトロニクス", "tech:power.ac-dc"),
    ("開閉装置", "tech:power.switchgear"),
    ("switchgear", "tech:power.switchgear"),
    ("ケーブル", "tech:power.cable"),
    ("冷却水", "tech:bop.cooling"),
    ("水化学", "tech:bop.cooling.water-chemistry"),
    ("計装", "tech:control.instrumentation"),
    ("建屋", "tech:bop.building"),
    ("土木", "tech:bop.building"),
]


@pytest.mark.parametrize(("text", "tech_id"), INDUSTRY_TERMS)
def test_industrial_suppliers_find_their_node_in_the_bundled_map(bundled, text, tech_id):
    assert ids(bundled.tag(text))[0] == tech_id, text


def test_a_bellows_sealed_valve_is_a_valve_and_a_superconducting_cable_is_no_power_cable(bundled):
    assert ids(bundled.tag("ベローズシール弁")) == ["tech:cryo.valve"]
    assert ids(bundled.tag("bellows-sealed valves")) == ["tech:cryo.valve"]
    assert "tech:power.cable" not in ids(bundled.tag("超伝導ケーブル"))
    assert ids(bundled.tag("高温超伝導ケーブル")) == ["tech:magnet.hts.cable"]
