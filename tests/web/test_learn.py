"""The public explainer (/learn) and its glossary (/learn/glossary): the content file cites only sources of the
data package and links only technologies of the map, in both languages; the pages answer anonymously in
Japanese (with furigana) and English, on both databases."""

import csv
import re

import pytest
import yaml
from fastapi.testclient import TestClient

from fusionatlas.dataset import BUNDLED
from fusionatlas.domain.plasma import PlasmaRecord
from fusionatlas.web.app import create_app
from fusionatlas.web.furigana import furigana, reading
from fusionatlas.web.pages.learn import CONTENT, TERM, anchor, explainer, heading, parse, sort_key


def test_every_paragraph_cites_known_sources_and_links_known_technologies_in_both_languages():
    with (BUNDLED / "sources.csv").open(encoding="utf-8") as handle:
        source_ids = {row["id"] for row in csv.DictReader(handle)}
    tech_ids = {t["id"] for t in yaml.safe_load((BUNDLED / "technologies.yaml").read_text(encoding="utf-8"))}
    sections = explainer()
    assert {s.id for s in sections} >= {"how-fusion-works", "confinement", "strategy", "safety", "questions"}
    for section in sections:
        for paragraph in section.paragraphs:
            assert paragraph.source_ids and set(paragraph.source_ids) <= source_ids, paragraph.source_ids
            assert paragraph.term_ids() <= tech_ids, paragraph.term_ids()
            # The Japanese is Japanese (kana in it), and both languages link the same glossary terms.
            assert re.search(r"[\u3040-\u30ff]", paragraph.text["ja"]), paragraph.text["ja"]
            terms = {lang: {m["id"] for m in TERM.finditer(paragraph.text[lang])} for lang in ("en", "ja")}
            assert terms["en"] == terms["ja"]
            # Folded YAML lines leave no stray space inside Japanese sentences.
            assert not re.search(r"[\u3040-\u30ff\u4e00-\u9fff] [\u3040-\u30ff\u4e00-\u9fff]", paragraph.text["ja"])


def test_a_paragraph_without_a_source_or_a_language_is_refused_naming_where():
    good = yaml.safe_load(CONTENT.read_text(encoding="utf-8"))
    no_source = [{**good[0], "paragraphs": [{**good[0]["paragraphs"][0], "source_ids": []}]}]
    with pytest.raises(ValueError, match=r"learn.yaml: section how-fusion-works, paragraph 1: source_ids"):
        parse(no_source)
    no_japanese = [{**good[0], "paragraphs": [{**good[0]["paragraphs"][0], "text_ja": ""}]}]
    with pytest.raises(ValueError, match=r"paragraph 1: text_ja is missing"):
        parse(no_japanese)


def test_furigana_reads_fusion_words_and_escapes_markup():
    html = str(furigana("三重水素と重水素の核融合反応<b>"))
    assert "<ruby>三重水素<rt>さんじゅうすいそ</rt></ruby>" in html
    assert "<ruby>核融合<rt>かくゆうごう</rt></ruby>" in html
    assert "<ruby>反応<rt>はんのう</rt></ruby>" in html
    assert "&lt;b&gt;" in html and "<b>" not in html


def test_glossary_order_is_gojuon_by_reading_in_japanese():
    names = ["超伝導マグネット", "ダイバータ", "加熱・電流駆動", "F82H", "ブランケット・トリチウム増殖"]
    techs = [{"name_ja": n, "name_en": n} for n in names]
    ordered = [t["name_ja"] for t in sorted(techs, key=lambda t: sort_key(t, "ja"))]
    # か (加熱) < ち (超伝導) < だ... in 五十音: か, た(だ), ち, ふ(ぶ); names in Latin letters last.
    assert ordered == ["加熱・電流駆動", "ダイバータ", "超伝導マグネット", "ブランケット・トリチウム増殖", "F82H"]
    assert anchor("tech:pfc.divertor") == "g-tech-pfc-divertor"
    # Headings are the rows of the 五十音 table (voiced kana with their row), Latin names by letter.
    assert [heading(t, "ja") for t in techs] == ["た", "た", "か", "F", "は"]
    assert heading({"name_en": "divertor", "name_ja": "ダイバータ"}, "en") == "D"


@pytest.mark.parametrize(
    ("text", "ruby", "whole"),
    [
        ("重陽子ビーム", "<ruby>重陽子<rt>じゅうようし</rt></ruby>", "じゅうようしびーむ"),  # not ちょうよう+し
        ("溶融塩ブランケット", "<ruby>溶融塩<rt>ようゆうえん</rt></ruby>", "ようゆうえんぶらんけっと"),  # not しお
        (
            "短波長光を供給",
            "<ruby>短波長光<rt>たんはちょうこう</rt></ruby>",
            "たんはちょうこうをきょうきゅう",
        ),  # not 短波|長光
    ],
)
def test_furigana_of_words_the_dictionary_misreads(text, ruby, whole):
    """The glossary read 重陽子 as ちょうようし, 溶融塩 as ようゆうしお and split 短波長光 as 短波|長光."""
    assert ruby in str(furigana(text))
    # The sorting reading (the glossary's 五十音 order) reads them the same way.
    assert reading(text) == whole


@pytest.fixture
def client(loaded_db_url):
    with TestClient(create_app(loaded_db_url)) as client:
        yield client


def test_the_explainer_in_japanese_has_furigana_glossary_links_and_sources(client):
    page = client.get("/learn?lang=ja")
    assert page.status_code == 200
    text = page.text
    assert "核融合をやさしく" in text and "<ruby>" in text
    assert "<ruby>三重水素<rt>さんじゅうすいそ</rt></ruby>" in text
    assert 'href="/learn/glossary#g-tech-magnet"' in text
    assert "日本の戦略がめざすもの" in text and "Questions people ask" not in text
    assert 'href="/learn"' in text  # in the navigation


def test_the_explainer_in_english_cites_each_paragraph(client):
    page = client.get("/learn?lang=en")
    assert page.status_code == 200
    assert "How D-T fusion works" in page.text and "<ruby>" not in page.text
    assert page.text.count('class="cited"') == sum(len(s.paragraphs) for s in explainer())
    assert "src:learn-cea-creating-fusion-plasma" in page.text or "Creating fusion plasma on Earth" in page.text


def test_the_glossary_lists_the_technology_map_in_both_languages(client):
    ja = client.get("/learn/glossary?lang=ja")
    assert ja.status_code == 200 and "用語集" in ja.text
    assert 'id="g-tech-magnet"' in ja.text and 'href="/technologies/tech:magnet"' in ja.text
    en = client.get("/learn/glossary?lang=en")
    assert en.status_code == 200 and "Glossary" in en.text
    names = re.findall(r'<dt id="[^"]+"><a href="[^"]+">([^<]+)</a>', en.text)
    assert names and names == sorted(names, key=str.casefold)


def test_the_triple_product_chart_draws_the_sourced_records_and_says_it_is_partial(bundled_sqlite_url):
    with TestClient(create_app(bundled_sqlite_url)) as client:
        page = client.get("/learn?lang=en")
        assert page.status_code == 200
        assert 'id="triple-product-chart"' in page.text and 'id="partial"' in page.text
        # The 1998 JT-60U shot is drawn (computed from n, T, τ: hollow); the undated record and NIF are listed only.
        assert 'class="record" data-id="plasma:jt-60u-1998-06-11"' in page.text
        assert 'data-id="plasma:jt-60u-record"' in page.text and 'data-id="plasma:nif-2022-12-05"' in page.text
        assert page.text.count('class="record"') == 1 and page.text.count('class="level"') == 2
        assert "8.66×10²⁰ (computed)" in page.text and "1.5×10²¹" in page.text
        assert "Progress toward fusion energy breakeven" in page.text  # the compilation is cited
        ja = client.get("/learn?lang=ja")
        assert "このグラフは一部だけを示しています" in ja.text and "(D-T等価)" in ja.text
        assert "(fusion yield over laser energy on target)" in page.text
        # The note says why no value is taken from the compilation, in both languages.
        assert "its data tables are images" in page.text and "データ表が画像になっている" in ja.text
        svg = client.get("/learn/triple-product.svg?lang=ja")
        assert svg.status_code == 200 and svg.headers["content-type"].startswith("image/svg+xml")
        assert "達成された核融合三重積" in svg.text
        assert ">10¹⁸<" in svg.text and ">10²³<" in svg.text and ">1e18<" not in svg.text, "axis in powers of ten"


def test_the_chart_draws_one_point_per_dated_record_with_a_triple_product_in_both_languages(bundled_sqlite_url):
    with (BUNDLED / "plasma_records.csv").open(encoding="utf-8") as handle:
        records = [PlasmaRecord.model_validate(row) for row in csv.DictReader(handle)]
    drawable = {r.id: r.product() for r in records if r.product() and r.year()}
    assert drawable  # the chart is not empty
    # Each plottable record is one circle: filled where the source states the product, hollow where it is computed.
    circle = re.compile(r'class="record" data-id="([^"]+)" cx="[^"]+" cy="[^"]+" r="5" fill="([^"]+)"')
    with TestClient(create_app(bundled_sqlite_url)) as client:
        for lang in ("ja", "en"):
            page = client.get(f"/learn?lang={lang}")
            assert page.status_code == 200
            drawn = dict(circle.findall(page.text))
            assert set(drawn) == set(drawable) and page.text.count('class="record"') == len(drawable), lang
            for record_id, fill in drawn.items():
                product = drawable[record_id]
                assert product is not None and (fill == "#fff") == product[1], (lang, record_id)
            # Every record is in the table under the chart, drawn or not (gain-only or temperature-only).
            listed = set(re.findall(r'<tr data-id="(plasma:[^"]+)"', page.text))
            assert listed == {r.id for r in records}, lang
            svg = client.get(f"/learn/triple-product.svg?lang={lang}")
            assert svg.text.count('class="record"') == len(drawable), lang
