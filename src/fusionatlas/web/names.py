"""Names in the page's language: a country's (CLDR data shipped with Babel) and a record's (name_ja or name_en)."""

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
