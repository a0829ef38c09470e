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


def test_a_string_in_several_catalogs_has_one_translation():
    """The catalogs of a language are merged and the first file wins: a second, different translation of the
    same English would silently change another page (as "Awarded" once did on the needs pages)."""
    from babel.messages.pofile import read_po

    from fusionatlas.web.i18n import LOCALES

    seen: dict[str, tuple[str, str]] = {}
    clashes = []
    for path in sorted((LOCALES / "ja" / "LC_MESSAGES").glob("*.po")):
        with path.open("rb") as handle:
            for message in read_po(handle):
                if not message.id:
                    continue
                first = seen.setdefault(message.id, (path.name, message.string))
                if first[1] != message.string:
                    clashes.append(f"{message.id!r}: {first[0]} {first[1]!r} vs {path.name} {message.string!r}")
    assert not clashes
