"""Bilingual text: normalisation of Japanese and English for search and matching."""

from fusionatlas.text.normalize import normalize, normalize_name

__all__ = ["normalize", "normalize_name"]
