"""The match page: a need in Japanese or English ranked against the atlas's suppliers, with reasons; and the
opportunities for a company's seeds described in free text (a company not yet in the atlas).

Results come from the core matcher at the viewer's visibility level; input the matcher cannot use gets its
explained note, never an error page (an unknown country or kind is a 422 page that says why).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Annotated, Any

from fastapi import APIRouter, HTTPException, Query, Request
from fastapi.responses import HTMLResponse, Response
from sqlalchemy import Engine

from fusionatlas.analysis.industry import read_sources
from fusionatlas.domain.audience import Audience
from fusionatlas.domain.values import MAX_TOP
from fusionatlas.match.engine import MAX_QUERY, MatchError, MatchResult, match
from fusionatlas.match.index import MatchIndex
from fusionatlas.match.opportunities import Opportunity, opportunities, seeds_of_text
from fusionatlas.store.queries import organization_countries
from fusionatlas.web.exports import table_response
from fusionatlas.web.i18n import language, translator
from fusionatlas.web.match_index import shared_index
from fusionatlas.web.names import country_code
from fusionatlas.web.pages.organizations import KINDS, country_name, display_name
from fusionatlas.web.render import render
from fusionatlas.web.viewer import viewer

# Longer text than the matcher reads is accepted and cut by the matcher, which says so in its note.
MAX_INPUT = 4 * MAX_QUERY
# The matcher's notes are English; their Japanese, whole or with the filter they name.
_NOTE_PATTERNS: list[tuple[re.Pattern[str], str]] = [
    (re.compile(r"^the query was cut to its first (\d+) characters$"), "クエリは先頭{0}文字で切り詰めました"),
    (
        re.compile(r"^no organization with (.+) supplies the technologies named$"),
        "{0}で、挙げられた技術を供給する組織はありません",
    ),
    (
        re.compile(r"^no organization's records share the query's words \(with (.+)\)$"),
        "{0}で、クエリの語を含む組織のレコードはありません",
    ),
]
_FILTER_WORDS = [(re.compile(r"country (\w+)"), "国 {0}"), (re.compile(r"kind (\w+)"), "種別 {0}")]
_BAD_COUNTRY = re.compile(r"^(.+) is not an ISO 3166-1 alpha-2 country code")


def error_in(lang: str, error: str) -> str:
    """A filter's error in the page's language (the country check's, domain/values.py parse_country)."""
    found = _BAD_COUNTRY.match(error)
    if lang == "ja" and found:
        return f"{found.group(1)}は国として認識できません。一覧から国を選んでください(ISO 3166-1の2文字コード、例: JP)"
    return error


def note_in(lang: str, note: str | None) -> str | None:
    """The matcher's note in the page's language (catalogued whole, or by pattern when it names a filter)."""
    if note is None or lang == "en":
        return note
    whole = translator(lang)(note)
    if whole != note:
        return whole
    for pattern, japanese in _NOTE_PATTERNS:
        found = pattern.match(note)
        if found:
            detail = found.group(1)
            for word, template in _FILTER_WORDS:
                detail = word.sub(lambda m, t=template: t.format(m.group(1)), detail)
            return japanese.format(detail.replace(", ", "、"))
    return note


def _cited(result: MatchResult | None, found: list[Opportunity] | None) -> set[str]:
    whys = [w for r in (result.results if result else []) for w in r.why]
    whys += [w for o in found or [] for w in o.why]
    return {source for why in whys for source in why.source_ids}


def router(engine: Engine) -> APIRouter:
    routes = APIRouter()

    @routes.get("/match", response_class=HTMLResponse)
    def match_page(
        request: Request,
        q: Annotated[str | None, Query(max_length=MAX_INPUT, description="The need, in Japanese or English")] = None,
        country: Annotated[str | None, Query(max_length=32)] = None,
        kind: Annotated[str | None, Query(max_length=32)] = None,
        top: Annotated[int, Query(ge=1, le=MAX_TOP)] = 10,
        seeds: Annotated[str | None, Query(max_length=MAX_INPUT, description="A company's seeds, free text")] = None,
    ) -> HTMLResponse:
        lang = language(request)
        seen = viewer(request)
        country = country_code(country)  # 日本 or Japan typed into the address: JP
        context: dict[str, Any] = {
            "q": q,
            "country": (country or "").strip().upper(),
            "kind": (kind or "").strip(),
            "top": top,
            "seeds": seeds,
            "KINDS": KINDS,
            "country_name": country_name,
            "display_name": display_name,
            "result": None,
            "note": None,
            "found": None,
            "seeds_note": None,
            "sources": {},
        }
        # The empty page needs no index: building it is the slow part of a first match.
        index = shared_index(request.app, engine) if q is not None or seeds is not None else None
        if index is not None and q is not None:
            try:
                result = match(
                    index, q, top, (country or "").strip() or None, (kind or "").strip() or None, audience=seen
                )
            except MatchError as error:
                with engine.connect() as connection:
                    context["countries"] = organization_countries(connection, seen)
                return render(request, "match_page.html", {**context, "error": error_in(lang, str(error))}, status=422)
            context |= {"result": result, "note": note_in(lang, result.note)}
        if index is not None and seeds is not None:
            found, seeds_note = _seed_opportunities(index, seeds, top, seen, translator(lang))
            context |= {"found": found, "seeds_note": seeds_note}
        with engine.connect() as connection:
            context["sources"] = read_sources(connection, _cited(context["result"], context["found"]))
            context["countries"] = organization_countries(connection, seen)
        return render(request, "match_page.html", context)

    @routes.get("/match.{fmt}")
    def match_export(
        request: Request,
        fmt: str,
        q: Annotated[str, Query(min_length=1, max_length=MAX_INPUT)],
        country: Annotated[str | None, Query(max_length=32)] = None,
        kind: Annotated[str | None, Query(max_length=32)] = None,
        top: Annotated[int, Query(ge=1, le=MAX_TOP)] = 10,
    ) -> Response:
        """The ranked organizations of a match as CSV or XLSX, with the reasons in both languages."""
        if fmt not in ("csv", "xlsx"):
            raise HTTPException(404)
        index = shared_index(request.app, engine)
        try:
            result = match(
                index,
                q,
                top,
                country_code(country),
                (kind or "").strip() or None,
                audience=viewer(request),
            )
        except MatchError as error:
            raise HTTPException(422, str(error)) from None
        header = [
            "rank",
            "org_id",
            "name_en",
            "name_ja",
            "country",
            "kind",
            "score",
            "technologies",
            "why_en",
            "why_ja",
            "source_ids",
        ]
        rows = [
            [
                rank,
                r.org_id,
                r.name_en,
                r.name_ja or "",
                r.country,
                r.kind,
                r.score,
                ";".join(r.technologies),
                " / ".join(w.en for w in r.why),
                " / ".join(w.ja for w in r.why),
                ";".join(dict.fromkeys(s for w in r.why for s in w.source_ids)),
            ]
            for rank, r in enumerate(result.results, start=1)
        ]
        return table_response(fmt, "match", header, rows, request=request, what="Suppliers ranked for a need")

    return routes


def _seed_opportunities(
    index: MatchIndex, text: str, top: int, audience: Audience, _: Callable[[str], str]
) -> tuple[list[Opportunity], str | None]:
    """Opportunities for seeds in free text; an explained note instead when nothing can be read from it."""
    seeds = seeds_of_text(index, text[:MAX_QUERY])
    if not seeds.technologies and not seeds.words:
        return [], _("the text holds no words or technology names to match")
    found = opportunities(index, seeds, top, audience)
    if not found:
        if not seeds.technologies:
            return [], _("no technology of the map was recognised in the text: name what the company makes or does")
        return [], _("no open need or adjacent technology was found for these seeds")
    note = None
    if not seeds.technologies:
        note = _("no technology of the map was recognised in the text; needs were found by their words only")
    return found, note
