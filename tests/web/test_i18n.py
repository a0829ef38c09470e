"""Every user-facing string of the web app has a Japanese translation in the catalogs."""

import re
from pathlib import Path

from fusionatlas.web.i18n import NAMES, catalog, translator

TEMPLATES = Path(__file__).resolve().parents[2] / "src" / "fusionatlas" / "web" / "templates"
LITERAL = re.compile(r"""_\(\s*"((?:[^"\\]|\\.)*)"\s*\)|_\(\s*'((?:[^'\\]|\\.)*)'\s*\)""")


def template_strings() -> set[str]:
    found = set()
    for path in TEMPLATES.glob("*.html"):
        for double, single in LITERAL.findall(path.read_text(encoding="utf-8")):
            found.add((double or single).replace('\\"', '"'))
    return found


def test_every_template_string_is_translated():
    japanese = {message.id for message in catalog("ja") if message.id}
    missing = sorted(template_strings() - japanese)
    assert not missing, f"no Japanese for: {missing}"


def test_every_named_label_is_translated():
    japanese = {message.id for message in catalog("ja") if message.id}
    for table in NAMES.values():
        assert set(table.values()) <= japanese


def test_translator():
    assert translator("ja")("Search") == "検索"
    assert translator("en")("Search") == "Search"
