"""Kana readings and the forms people type them in."""

import pytest

from fusionatlas.text.kana import dictionary_reading, fold_romaji, gojuon_key, is_kana, romaji, to_katakana


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


def test_gojuon_order_by_reading():
    names = {"東芝": "トウシバ", "アオキスーパー": "アオキスーパー", "銭高組": "ゼニタカグミ", "京セラ": "キョウセラ",
             "ガイシ": "ガイシ", "カナダ": "カナダ", "EX-Fusion": None}  # fmt: skip
    ordered = sorted(names, key=lambda n: gojuon_key(names[n], n))
    # ガ sorts with カ (before キ); 銭 (ゼ, with セ) before 東 (ト) although 東 comes first by code point
    assert ordered == ["アオキスーパー", "ガイシ", "カナダ", "京セラ", "銭高組", "東芝", "EX-Fusion"]
