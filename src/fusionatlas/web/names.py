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


def display_name(record: Any, lang: str, english: str = "name_en", japanese: str = "name_ja") -> str:
    """name_ja on Japanese pages (falling back to English), name_en otherwise; a record is a dict or an object."""
    fields = record if isinstance(record, dict) else vars(record)
    first, second = (japanese, english) if lang == "ja" else (english, japanese)
    return fields.get(first) or fields.get(second) or ""
