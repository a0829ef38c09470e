"""The public explainer (/learn): how fusion works, why it is hard, what Japan's strategy aims at, safety and
common questions, in Japanese (with furigana) and English; and its glossary (/learn/glossary), generated from
the technology map. Public: no account, no script. The text lives in web/content/learn.yaml, each paragraph
citing sources of the data package; the glossary reads the technologies table (which carries no visibility).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml
from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response
from markupsafe import Markup, escape
from sqlalchemy import Connection, Engine

from fusionatlas.analysis.industry import read_sources
from fusionatlas.domain.audience import Audience
from fusionatlas.domain.plasma import PlasmaRecord
from fusionatlas.store import queries
from fusionatlas.web.charts.landscape import power_of_ten
from fusionatlas.web.charts.lawson import LEVELS, Point, triple_product_chart
from fusionatlas.web.exports import svg_response
from fusionatlas.web.furigana import KANJI, furigana, reading
from fusionatlas.web.i18n import language, translator
from fusionatlas.web.names import display_name
from fusionatlas.web.render import render
from fusionatlas.web.viewer import viewer

WURZEL_HSU = "src:learn-wurzel-hsu-2022"  # the compilation the chart is measured against
CONTENT = Path(__file__).parent.parent / "content" / "learn.yaml"
TERM = re.compile(r"\[\[(?P<id>tech:[^|\]]+)\|(?P<words>[^\]]+)\]\]")
# YAML folds a paragraph's lines with a space; Japanese puts no space between words.
_JA_FOLD = re.compile(r"(?<=[^\x00-\x7f])\s+(?=[^\x00-\x7f])")


@dataclass(frozen=True)
class Paragraph:
    text: dict[str, str]
    question: dict[str, str] | None
    source_ids: tuple[str, ...]

    def term_ids(self) -> set[str]:
        return {m["id"] for lang in self.text for m in TERM.finditer(self.text[lang])}


@dataclass(frozen=True)
class Section:
    id: str
    title: dict[str, str]
    paragraphs: tuple[Paragraph, ...]


def _pair(record: dict[str, Any], field: str, where: str, required: bool = True) -> dict[str, str] | None:
    values = {lang: record.get(f"{field}_{lang}") for lang in ("en", "ja")}
    if not any(values.values()) and not required:
        return None
    for lang, value in values.items():
        if not isinstance(value, str) or not value.strip():
            raise ValueError(f"{CONTENT.name}: {where}: {field}_{lang} is missing: write it in both languages")
    return {"en": str(values["en"]).strip(), "ja": _JA_FOLD.sub("", str(values["ja"]).strip())}


def parse(document: Any) -> tuple[Section, ...]:
    """The explainer's sections; a ValueError names the section, paragraph and field of any gap."""
    if not isinstance(document, list):
        raise ValueError(f"{CONTENT.name}: expected a list of sections")
    sections = []
    for number, record in enumerate(document, 1):
        where = f"section {record.get('id') or number}"
        paragraphs = []
        for index, item in enumerate(record.get("paragraphs") or [], 1):
            at = f"{where}, paragraph {index}"
            sources = item.get("source_ids") or []
            if not sources:
                raise ValueError(f"{CONTENT.name}: {at}: source_ids is empty: every claim cites a source")
            text = _pair(item, "text", at)
            assert text is not None
            paragraphs.append(Paragraph(text, _pair(item, "question", at, required=False), tuple(sources)))
        if not paragraphs:
            raise ValueError(f"{CONTENT.name}: {where}: no paragraphs")
        title = _pair(record, "title", where)
        assert title is not None
        sections.append(Section(str(record["id"]), title, tuple(paragraphs)))
    return tuple(sections)


@lru_cache(maxsize=1)
def explainer() -> tuple[Section, ...]:
    return parse(yaml.safe_load(CONTENT.read_text(encoding="utf-8")))


# Which energy gain a record states (domain/plasma.py GainKind), in English; translated in learn.po.
GAIN_LABELS = {
    "scientific": "fusion energy over heating energy",
    "equivalent": "deuterium-tritium equivalent",
    "target": "fusion yield over laser energy on target",
}


def sci(value: float) -> str:
    """A number in scientific notation as people write it: 1.5×10²¹."""
    mantissa, exponent = f"{value:.2e}".split("e")
    return f"{float(mantissa):g}×{power_of_ten(int(exponent))}"


def anchor(tech_id: str) -> str:
    """A glossary entry's HTML id (plain letters, digits and dashes: easy to link and to select)."""
    return "g-" + re.sub(r"[^a-z0-9]+", "-", tech_id.lower()).strip("-")


@lru_cache(maxsize=4096)  # the same texts every request: tag each once (Markup is an immutable str)
def _words(text: str, lang: str) -> Markup:
    return furigana(text) if lang == "ja" else escape(text)


@lru_cache(maxsize=1024)
def rich(text: str, lang: str) -> Markup:
    """A paragraph as HTML: furigana in Japanese, and each [[tech:id|words]] a link to its glossary entry."""
    out = Markup()
    position = 0
    for match in TERM.finditer(text):
        out += _words(text[position : match.start()], lang)
        link = Markup('<a class="term" href="/learn/glossary#{}">{}</a>')
        out += link.format(anchor(match["id"]), _words(match["words"], lang))
        position = match.end()
    return out + _words(text[position:], lang)


def sort_key(tech: dict[str, Any], lang: str) -> tuple[int, str]:
    """Japanese: 五十音 order of the name's reading when it starts in kana or kanji, then the rest by name;
    English: by name."""
    if lang != "ja":
        return (0, tech["name_en"].casefold())
    name = tech["name_ja"]
    if KANJI.match(name) or re.match(r"[\u3040-\u30ff]", name):
        return (0, reading(name))
    return (1, name.casefold())


@dataclass(frozen=True)
class Progress:
    """The plasma records the visitor may see (those of devices they see), with the chart drawn from them."""

    rows: list[tuple[PlasmaRecord, dict[str, Any]]]
    svg: str
    plotted: set[str]


def progress(connection: Connection, who: Audience, lang: str) -> Progress:
    facilities = {f["id"]: f for f in queries.records(connection, "facilities", who)}
    rows = []
    for row in queries.records(connection, "plasma_records", who):
        if row["facility_id"] in facilities:  # a hidden device's records stay hidden with it
            rows.append((PlasmaRecord.model_validate(row), facilities[row["facility_id"]]))
    rows.sort(key=lambda pair: (pair[0].date or "9999", pair[0].id))
    points = []
    for record, facility in rows:
        product, year = record.product(), record.year()
        if product and year:
            points.append(Point(year, product[0], display_name(facility, lang), product[1], record.id))
    years = [p.year for p in points]
    svg = triple_product_chart(points, min([1980, *years]), max([2025, *years]), translator(lang))
    return Progress(rows, svg, {p.record_id for p in points})


# The first kana of each row of the 五十音 table: an entry goes under the last row starting at or before it.
ROWS = "あかさたなはまやらわ"


def heading(tech: dict[str, Any], lang: str) -> str:
    """The glossary heading an entry files under: its 五十音 row (あ, か...) in Japanese, else its first letter."""
    rank, key = sort_key(tech, lang)
    if lang == "ja" and rank == 0 and key:
        first = unicodedata.normalize("NFD", key[0])[0]  # が -> か
        if "ぁ" <= first <= "ん":
            return [row for row in ROWS if row <= first][-1]
    return (key[:1] or "#").upper()


def router(engine: Engine) -> APIRouter:
    routes = APIRouter()

    @routes.get("/learn", response_class=HTMLResponse)
    def learn_page(request: Request) -> HTMLResponse:
        sections = explainer()
        lang = language(request)
        with engine.connect() as connection:
            chart = progress(connection, viewer(request), lang)
            wanted = {s for section in sections for p in section.paragraphs for s in p.source_ids}
            wanted |= {s for record, _f in chart.rows for s in record.source_ids} | {lv.source_id for lv in LEVELS}
            wanted.add(WURZEL_HSU)
            sources = read_sources(connection, wanted)
        context = {"sections": sections, "sources": sources, "rich": rich, "progress": chart, "LEVELS": LEVELS}
        helpers = {"display_name": display_name, "WURZEL_HSU": WURZEL_HSU, "sci": sci, "GAIN_LABELS": GAIN_LABELS}
        return render(request, "learn.html", context | helpers)

    @routes.get("/learn/triple-product.svg")
    def chart_download(request: Request) -> Response:
        with engine.connect() as connection:
            chart = progress(connection, viewer(request), language(request))
        return svg_response(chart.svg, "triple-product")

    @routes.get("/learn/glossary", response_class=HTMLResponse)
    def glossary_page(request: Request) -> HTMLResponse:
        lang = language(request)
        with engine.connect() as connection:
            technologies, _children = queries.technology_tree(connection)
        groups: dict[str, list[dict[str, Any]]] = {}
        for tech in sorted(technologies.values(), key=lambda t: sort_key(t, lang)):
            groups.setdefault(heading(tech, lang), []).append(tech)
        return render(
            request,
            "learn_glossary.html",
            {"groups": groups, "anchor": anchor, "words": _words},
        )

    return routes
