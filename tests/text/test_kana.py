"""Kana readings and the forms people type them in."""

import pytest

from fusionatlas.text.kana import dictionary_reading, fold_romaji, is_kana, romaji, to_katakana


@pytest.mark.parametrize(
    ("reading", "spelled"),
    [
        ("フジクラ", "fujikura"),
        ("トウキョウ", "tokyo"),  # long vowels folded, as people spell Tokyo
        ("ニッポン", "nippon"),  # the small ッ doubles the next consonant
        ("マッチャ", "matcha"),  # ...and ch takes a t
        ("キョウセラ", "kyosera"),
        ("シンシュウ", "shinshu"),
        ("フュージョン", "fyujon"),
        ("ふじくら", "fujikura"),  # hiragana too
    ],
)
def test_romaji(reading, spelled):
    assert romaji(reading) == spelled


def test_folded_romaji_ignores_macrons_case_and_long_vowels():
    assert fold_romaji("Tōkyō") == fold_romaji("toukyou") == fold_romaji("Tokyo") == "tokyo"


def test_kana():
    assert to_katakana("ふじくら") == "フジクラ"
    assert is_kana("ふじくら") and is_kana("グローバル・ブレイン") and not is_kana("東芝") and not is_kana("IHI")


@pytest.mark.parametrize(
    ("name", "reading"),
    [
        ("東芝", "トウシバ"),
        ("日本原子力研究開発機構", "ニッポンゲンシリョクケンキュウカイハツキコウ"),  # not 原子+力 (リキ)
        ("KDDI", "ケーディーディーアイ"),  # an acronym is read letter by letter
        ("Helical Fusion", "ヘリカルフュージョン"),
        ("Blue Laser Fusion合同会社", "ブルーレーザーフュージョン"),  # the legal form is not read
        ("大林組", "オオバヤシグミ"),
    ],
)
def test_dictionary_reading(name, reading):
    assert dictionary_reading(name) == reading
