"""Names in the page's language: a country's (CLDR data shipped with Babel), a Japanese city's (CITIES_JA) and a
record's (name_ja or name_en)."""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from babel import Locale


@lru_cache(maxsize=4)
def _territories(lang: str) -> dict[str, str]:
    return dict(Locale(lang).territories)


def country_name(code: str | None, lang: str) -> str:
    """A country's name in the page's language, else its code; blank for no code."""
    # Cached per language: a country menu asks for every country on every request.
    if not code:
        return ""
    return _territories(lang).get(code, code)


# Everyday Japanese names the CLDR names miss (its Japanese for US and GB is アメリカ合衆国 and イギリス). Not
# "UK": the country check answers it with a hint to use GB.
_COUNTRY_ALIASES = {
    "米国": "US",
    "アメリカ": "US",
    "英国": "GB",
    "欧州": "EU",
    "欧州連合": "EU",
}


@lru_cache(maxsize=1)
def _codes_by_name() -> dict[str, str]:
    names = {name.casefold(): code for lang in ("en", "ja") for code, name in _territories(lang).items()}
    return names | {alias.casefold(): code for alias, code in _COUNTRY_ALIASES.items()}


def country_code(text: str | None) -> str | None:
    """The code of a country typed by its name in Japanese or English (日本, Japan, 米国); anything else as it
    came (blank as None), for the one country check (domain/values.py parse_country) to accept or explain."""
    if text is None or not text.strip():
        return None
    typed = text.strip()
    code = _codes_by_name().get(typed.casefold())
    return code if code is not None and len(code) == 2 and code.isalpha() else typed


def display_name(record: Any, lang: str, english: str = "name_en", japanese: str = "name_ja") -> str:
    """name_ja on Japanese pages (falling back to English), name_en otherwise; a record is a dict or an object."""
    fields = record if isinstance(record, dict) else vars(record)
    first, second = (japanese, english) if lang == "ja" else (english, japanese)
    return fields.get(first) or fields.get(second) or ""


# Japanese cities as the atlas writes them (organizations.csv `city`, in English) and in Japanese, for Japanese
# pages. A city not listed (a foreign one, or one not yet added) is shown as written.
CITIES_JA = {
    "Chiba": "千葉",
    "Fukui": "福井",
    "Fukuoka": "福岡",
    "Hamamatsu": "浜松",
    "Higashihiroshima": "東広島",
    "Himeji": "姫路",
    "Hirosaki": "弘前",
    "Hiroshima": "広島",
    "Ibaraki": "茨城",  # the prefecture: the atlas's one organization there is a prefectural council
    "Kasugai": "春日井",
    "Kawaguchi": "川口",
    "Kawasaki": "川崎",
    "Kiyosu": "清須",
    "Kobe": "神戸",
    "Kyoto": "京都",
    "Matsumoto": "松本",
    "Mito": "水戸",
    "Miyoshi (Saitama)": "三芳（埼玉県）",
    "Morioka": "盛岡",
    "Nagoya": "名古屋",
    "Naka": "那珂",
    "Osaka": "大阪",
    "Otawara": "大田原",
    "Rokkasho": "六ヶ所",
    "Saitama": "さいたま",
    "Sapporo": "札幌",
    "Sendai": "仙台",
    "Shizuoka": "静岡",
    "Suita": "吹田",
    "Takahagi": "高萩",
    "Tokai": "東海",
    "Toki": "土岐",
    "Tokyo": "東京",
    "Toyama": "富山",
    "Tsukuba": "つくば",
    "Uozu": "魚津",
    "Wako": "和光",
    "Yokohama": "横浜",
}


def city_name(city: str | None, lang: str) -> str:
    """A city in the page's language: a Japanese city's Japanese name on Japanese pages, else as written."""
    if not city:
        return ""
    return CITIES_JA.get(city.strip(), city) if lang == "ja" else city
