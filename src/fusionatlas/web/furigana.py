"""Furigana for Japanese text: each word written with kanji gets its reading in hiragana above it (<ruby>).

Readings come from MeCab's dictionary (fugashi with unidic-lite). A few compounds of fusion vocabulary
that the dictionary splits or reads wrongly (三重水素 is not "みえ" + "すいそ") are read from READINGS first.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

from markupsafe import Markup, escape

KANJI = re.compile(r"[\u3400-\u9fff々]")
# Compounds read as one word, longest first; the dictionary gets these wrong or splits them oddly.
READINGS = {
    "三重水素": "さんじゅうすいそ",
    "三重積": "さんじゅうせき",
    "重水素": "じゅうすいそ",
    "中性子": "ちゅうせいし",
    "原子核": "げんしかく",
    "核融合": "かくゆうごう",
    "核分裂": "かくぶんれつ",
    "原型炉": "げんけいろ",
    "放射化": "ほうしゃか",
    "低放射化": "ていほうしゃか",
    "自己点火": "じこてんか",
    "増倍率": "ぞうばいりつ",
    # Read wrongly by the dictionary: 重陽子 as ちょうよう+し, 溶融塩 as ようゆう+しお, 短波長光 split 短波|長光.
    "重陽子": "じゅうようし",
    "溶融塩": "ようゆうえん",
    "短波長光源": "たんはちょうこうげん",
    "短波長光": "たんはちょうこう",
    "短波長": "たんはちょう",
}
_COMPOUND = re.compile("|".join(sorted(map(re.escape, READINGS), key=len, reverse=True)))


def hiragana(katakana: str) -> str:
    return "".join(chr(ord(c) - 0x60) if "ァ" <= c <= "ヶ" else c for c in katakana)


@lru_cache(maxsize=1)
def _tagger() -> Any:
    import fugashi  # late: loading the dictionary takes a moment, and only Japanese pages need it

    return fugashi.Tagger()


def _ruby(surface: str, reading: str) -> Markup:
    return Markup("<ruby>{}<rt>{}</rt></ruby>").format(surface, reading)


def _words(text: str) -> Markup:
    out = Markup()
    for word in _tagger()(text):
        # MeCab drops the spaces between words; keep them where the text had them.
        out += escape(word.white_space)
        surface = word.surface
        kana = getattr(word.feature, "kana", None)
        if KANJI.search(surface) and kana and kana != "*":
            out += _ruby(surface, hiragana(kana))
        else:
            out += escape(surface)
    return out


def furigana(text: str) -> Markup:
    """`text` as HTML with a <ruby> reading over every word written with kanji."""
    out = Markup()
    position = 0
    for match in _COMPOUND.finditer(text):
        out += _words(text[position : match.start()]) + _ruby(match.group(), READINGS[match.group()])
        position = match.end()
    return out + _words(text[position:])


def _word_reading(text: str) -> str:
    parts = []
    for word in _tagger()(text):
        kana = getattr(word.feature, "kana", None)
        parts.append(hiragana(kana if KANJI.search(word.surface) and kana and kana != "*" else word.surface))
    return "".join(parts)


def reading(text: str) -> str:
    """The whole text's reading in hiragana (kana and other characters as written), for sorting in 五十音 order;
    the compounds of READINGS read as there, as on the page."""
    parts = []
    position = 0
    for match in _COMPOUND.finditer(text):
        parts += [_word_reading(text[position : match.start()]), READINGS[match.group()]]
        position = match.end()
    return "".join(parts) + _word_reading(text[position:])
