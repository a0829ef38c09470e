"""Kana readings: a name's reading from the dictionary, and the forms a person types it in (hiragana, romaji).

A Japanese name is found by its reading as well as by its letters: ふじくら, フジクラ and fujikura all
reach フジクラ, and とうしば or toshiba reach 東芝. Readings are kept in katakana; romaji is Hepburn with
long vowels folded (トウキョウ is "tokyo", like the spelling people use), so that a query typed with or
without the long vowels finds the same name.
"""

from __future__ import annotations

import re
import threading
import unicodedata
from functools import lru_cache

_HIRAGANA_TO_KATAKANA = {code: code + 0x60 for code in range(0x3041, 0x3097)}
_KATAKANA_ONLY = re.compile(r"^[\u30a0-\u30ffー・\s]+$")
_LATIN_WORD = re.compile(r"[A-Za-z]+")

# Two-kana syllables first (キャ before キ), then single kana.
_DIGRAPHS = {
    "キャ": "kya", "キュ": "kyu", "キョ": "kyo", "シャ": "sha", "シュ": "shu", "ショ": "sho", "シェ": "she",
    "チャ": "cha", "チュ": "chu", "チョ": "cho", "チェ": "che", "ニャ": "nya", "ニュ": "nyu", "ニョ": "nyo",
    "ヒャ": "hya", "ヒュ": "hyu", "ヒョ": "hyo", "ミャ": "mya", "ミュ": "myu", "ミョ": "myo", "リャ": "rya",
    "リュ": "ryu", "リョ": "ryo", "ギャ": "gya", "ギュ": "gyu", "ギョ": "gyo", "ジャ": "ja", "ジュ": "ju",
    "ジョ": "jo", "ジェ": "je", "ビャ": "bya", "ビュ": "byu", "ビョ": "byo", "ピャ": "pya", "ピュ": "pyu",
    "ピョ": "pyo", "ファ": "fa", "フィ": "fi", "フェ": "fe", "フォ": "fo", "フュ": "fyu", "ティ": "ti",
    "ディ": "di", "デュ": "dyu", "ウィ": "wi", "ウェ": "we", "ウォ": "wo", "ヴァ": "va", "ヴィ": "vi",
    "ヴェ": "ve", "ヴォ": "vo", "ツァ": "tsa",
}  # fmt: skip
_MONOGRAPHS = dict(
    zip(
        "アイウエオカキクケコサシスセソタチツテトナニヌネノハヒフヘホマミムメモヤユヨラリルレロワヰヱヲン"
        "ガギグゲゴザジズゼゾダヂヅデドバビブベボパピプペポヴァィゥェォャュョ",
        "a i u e o ka ki ku ke ko sa shi su se so ta chi tsu te to na ni nu ne no ha hi fu he ho ma mi mu me mo "  # noqa: SIM905
        "ya yu yo ra ri ru re ro wa i e o n ga gi gu ge go za ji zu ze zo da ji zu de do ba bi bu be bo pa pi pu "
        "pe po vu a i u e o ya yu yo".split(),
        strict=True,
    )
)
# How letters are read out in Japanese (KDDI is ケーディーディーアイ): a dictionary has no reading for an acronym.
_LETTERS = dict(
    zip(
        "ABCDEFGHIJKLMNOPQRSTUVWXYZ",
        "エー ビー シー ディー イー エフ ジー エイチ アイ ジェー ケー エル エム エヌ オー ピー キュー アール エス "  # noqa: SIM905
        "ティー ユー ブイ ダブリュー エックス ワイ ゼット".split(),
        strict=True,
    )
)
# English words of Japanese organizations' names, as such names are read in katakana.
_LOANWORDS = {
    "blue": "ブルー", "laser": "レーザー", "fusion": "フュージョン", "helical": "ヘリカル", "starlight": "スターライト",
    "engine": "エンジン", "partners": "パートナーズ", "power": "パワー", "mpower": "エムパワー",
}  # fmt: skip
# Words the dictionary reads wrongly in names (原子力 as 原子+力 read リキ; 学会 as ガクカイ; a builder's 組 is グミ).
_COMPOUNDS = {
    "原子力": "ゲンシリョク", "学会": "ガッカイ", "研究所": "ケンキュウジョ", "熊谷組": "クマガイグミ",
    "大林組": "オオバヤシグミ", "銭高組": "ゼニタカグミ", "大陽日酸": "タイヨウニッサン", "古河": "フルカワ",
    "日本大学": "ニホンダイガク",
}  # fmt: skip
# A legal form is not part of how a name is read or sorted (株式会社フジクラ sorts under フ).
_LEGAL_FORMS = re.compile(
    r"株式会社|有限会社|合同会社|一般社団法人|公益社団法人|公益財団法人|一般財団法人|国立研究開発法人|国立大学法人"
)
_LONG_VOWELS = (("ou", "o"), ("oo", "o"), ("uu", "u"), ("aa", "a"), ("ii", "i"), ("ee", "e"))
_NOT_LETTER = re.compile(r"[^a-z]")


def to_katakana(text: str) -> str:
    """Hiragana as katakana (ふじくら -> フジクラ); everything else unchanged."""
    return unicodedata.normalize("NFKC", text).translate(_HIRAGANA_TO_KATAKANA)


def is_kana(text: str) -> bool:
    """Whether the text is written in kana only (a reading, or a name such as フジクラ)."""
    return bool(_KATAKANA_ONLY.match(to_katakana(text)))


def romaji(reading: str) -> str:
    """Hepburn romaji of a kana reading, long vowels folded: トウキョウ -> "tokyo", フジクラ -> "fujikura"."""
    kana = to_katakana(reading)
    out: list[str] = []
    double_next = False
    position = 0
    while position < len(kana):
        pair = kana[position : position + 2]
        char = kana[position]
        if pair in _DIGRAPHS:
            syllable, position = _DIGRAPHS[pair], position + 2
        elif char == "ッ":
            double_next, position = True, position + 1
            continue
        elif char == "ー":
            position += 1  # a long vowel: folded like ou/uu below
            continue
        else:
            syllable, position = _MONOGRAPHS.get(char, ""), position + 1
        if double_next and syllable:
            syllable = ("t" if syllable.startswith("ch") else syllable[0]) + syllable
        double_next = False
        out.append(syllable)
    return fold_romaji("".join(out))


def fold_romaji(text: str) -> str:
    """Romaji as compared: letters only, long vowels folded ("Tōkyō", "toukyou" and "tokyo" are one)."""
    text = unicodedata.normalize("NFKD", text.casefold())
    text = _NOT_LETTER.sub("", text)
    for long, short in _LONG_VOWELS:
        text = text.replace(long, short)
    return text


_TAGGER_LOCK = threading.Lock()


@lru_cache(maxsize=1)
def _tagger() -> object:
    import fugashi  # the dictionary loads in ~0.3 s: only when a reading is generated

    return fugashi.Tagger()


@lru_cache(maxsize=4096)
def dictionary_reading(name: str) -> str:
    """A katakana reading of a name from the UniDic dictionary; Latin letters of an acronym are read out.

    This is a *generated* reading: the dictionary's first analysis, which may not be how the organization
    reads its own name (a published reading is preferred where there is one).
    """
    parts: list[str] = []
    text = _LEGAL_FORMS.sub("", unicodedata.normalize("NFKC", name))
    for compound, kana in _COMPOUNDS.items():
        text = text.replace(compound, kana)
    with _TAGGER_LOCK:
        words = list(_tagger()(text))  # type: ignore[operator]
    for word in words:
        surface = str(word.surface)
        reading: str | None = getattr(word.feature, "kana", None)
        if _LATIN_WORD.fullmatch(surface):
            parts.append(_latin_reading(surface, reading))
        elif reading and reading != "*":
            parts.append(str(reading))
        elif is_kana(surface):
            parts.append(to_katakana(surface))
    return "".join(parts).replace("・", "")


def _latin_reading(word: str, kana: str | None) -> str:
    # A known English word is read as a loanword; others (IHI, KDDI) letter by letter.
    if word.casefold() in _LOANWORDS:
        return _LOANWORDS[word.casefold()]
    if word.isupper() or not kana or kana == "*":
        return "".join(_LETTERS.get(letter.upper(), "") for letter in word)
    return kana


def name_reading(name_kana: str | None, name_ja: str | None, country: str | None) -> str | None:
    """An organization's reading: the one stored (published or generated at import), else, for a Japanese
    organization, the dictionary's; None for a foreign name without one."""
    if name_kana:
        return name_kana
    if country == "JP" and name_ja:
        return to_katakana(name_ja).replace("・", "") if is_kana(name_ja) else dictionary_reading(name_ja)
    return None


_SMALL_TO_LARGE = str.maketrans("ァィゥェォッャュョヮヵヶ", "アイウエオツヤユヨワカケ")


def gojuon_key(reading: str | None, fallback: str) -> tuple[int, str, str]:
    """A sort key in 五十音 order: by reading, voiced and small kana sorting with their plain kana (ガ with カ,
    ッ with ツ), the exact reading breaking ties; names without a reading after, in Latin order."""
    if not reading:
        return (1, fallback.casefold(), fallback)
    kana = to_katakana(reading)
    plain = "".join(c for c in unicodedata.normalize("NFKD", kana) if not unicodedata.combining(c))
    return (0, plain.translate(_SMALL_TO_LARGE).replace("ー", ""), kana)
