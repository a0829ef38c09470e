"""People: skills in demand against where they are taught (/skills), one skill's page, and the registry
of training offers (/training), with downloads and a JSON view. Read through the request's viewer: needs,
capabilities and training offers the visitor may not see count for nothing.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Annotated, Any
from urllib.parse import urlencode

from babel import Locale
from fastapi import APIRouter, HTTPException, Query, Request
from fastapi.responses import HTMLResponse, Response
from sqlalchemy import Connection, Engine

from fusionatlas.analysis.industry import read_sources
from fusionatlas.analysis.skills import SkillView, skill_view
from fusionatlas.domain.audience import Audience
from fusionatlas.domain.values import TrainingKind, WorkforceKind, parse_country
from fusionatlas.store import queries
from fusionatlas.web.cache import per_state
from fusionatlas.web.exports import TABLE_FORMATS, table_response
from fusionatlas.web.i18n import language, translator
from fusionatlas.web.names import country_name, display_name
from fusionatlas.web.render import render
from fusionatlas.web.viewer import viewer

KINDS = tuple(kind.value for kind in TrainingKind)
# Labels of the training kinds and workforce kinds, in English; translated in people.po.
KIND_LABELS = {
    "degree_course": "Degree course",
    "graduate_programme": "Graduate programme",
    "summer_school": "Summer school",
    "internship": "Internship",
    "joint_programme": "Joint programme with a research institute",
    "international_school": "International school",
    "apprenticeship": "Apprenticeship",
}
WORKFORCE_LABELS = {
    "employed": "People employed",
    "needed": "People needed",
    "trained": "People trained",
    "staffing": "Staff per plant",
}
assert set(KIND_LABELS) == set(KINDS) and set(WORKFORCE_LABELS) == {k.value for k in WorkforceKind}

CountryParam = Annotated[str | None, Query(max_length=2, description="ISO 3166-1 alpha-2 code; all countries if empty")]


def language_name(code: str, lang: str) -> str:
    """A teaching language's name in the page's language (Babel's names), else its code."""
    return str(Locale.parse(lang).languages.get(code, code))


def checked_country(value: str | None) -> str | None:
    if not value:
        return None
    try:
        return str(parse_country(value))
    except ValueError as error:
        raise HTTPException(422, f"country: {error}") from None


def view_for(connection: Connection, who: Audience, country: str | None) -> SkillView:
    day = date.today()
    return per_state(
        connection, ("skills", who.sight, country, day.isoformat()), lambda c: skill_view(c, who, country, day)
    )


def _skill_export(view: SkillView, lang: str) -> tuple[list[str], Iterable[list[Any]]]:
    _ = translator(lang)
    header = [
        _("Skill id"),
        _("Skill (English)"),
        _("Skill (Japanese)"),
        _("Demand (needs)"),
        _("Holders"),
        _("Training offers"),
        _("Gap"),
    ]
    rows = (
        [r.skill["id"], r.skill["name_en"], r.skill["name_ja"], r.demand, len(r.holder_ids), r.training_count, r.gap]
        for r in view.rows
    )
    return header, rows


def _training_rows(connection: Connection, who: Audience) -> list[dict[str, Any]]:
    organizations = {o["id"]: o for o in queries.records(connection, "organizations", who)}
    rows = []
    for offer in queries.records(connection, "training", who):
        rows.append({**offer, "organization": organizations.get(offer["org_id"])})
    return sorted(rows, key=lambda r: (r["country"] != "JP", r["country"], r["id"]))


def _training_export(rows: list[dict[str, Any]], lang: str) -> tuple[list[str], Iterable[list[Any]]]:
    _ = translator(lang)
    header = [
        _("Id"),
        _("Name"),
        _("Organization"),
        _("Kind"),
        _("Country"),
        _("Skills"),
        _("Languages"),
        _("Places"),
        _("Since"),
        _("Address"),
    ]

    def row(r: dict[str, Any]) -> list[Any]:
        org = r["organization"]
        return [
            r["id"],
            display_name(r, lang),
            display_name(org, lang) if org else r["org_id"],
            _(KIND_LABELS[r["kind"]]),
            country_name(r["country"], lang),
            ";".join(r["skill_ids"] or []),
            ", ".join(language_name(code, lang) for code in r["languages"] or []),
            r["places"],
            r["since"],
            r["url"],
        ]

    return header, (row(r) for r in rows)


def router(engine: Engine) -> APIRouter:
    routes = APIRouter()

    def context(request: Request, country: str | None) -> tuple[SkillView, dict[str, dict[str, Any]], list[str]]:
        who = viewer(request)
        with engine.connect() as connection:
            view = view_for(connection, who, country)
            sources = read_sources(connection, {s for w in view.workforce for s in w["source_ids"] or []})
            countries = sorted({t["country"] for t in queries.records(connection, "training", who)} | {"JP"})
        return view, sources, countries

    @routes.get("/skills", response_class=HTMLResponse)
    def skills_page(request: Request, country: CountryParam = "JP") -> HTMLResponse:
        code = checked_country(country)
        view, sources, countries = context(request, code)
        query = urlencode({"country": code or ""})
        return render(
            request,
            "people_skills.html",
            {
                "view": view,
                "country": code,
                "countries": countries,
                "sources": sources,
                "export_query": query,
                "country_name": country_name,
                "display_name": display_name,
                "WORKFORCE_LABELS": WORKFORCE_LABELS,
            },
        )

    @routes.get("/skills.{fmt}")
    def skills_export(request: Request, fmt: str, country: CountryParam = "JP") -> Response:
        if fmt not in TABLE_FORMATS:
            raise HTTPException(404)
        view, _sources, _countries = context(request, checked_country(country))
        header, rows = _skill_export(view, language(request))
        what = "Skills in demand and where they are taught"
        return table_response(fmt, "skills", header, rows, request=request, what=what)

    @routes.get("/api/skills")
    def skills_json(request: Request, country: CountryParam = None) -> dict[str, Any]:
        """Skills in demand against training for a country (all countries without one), largest gap first."""
        view, _sources, _countries = context(request, checked_country(country))
        return view.as_json()

    @routes.get("/skills/{skill_id}", response_class=HTMLResponse)
    def skill_page(request: Request, skill_id: str, country: CountryParam = None) -> HTMLResponse:
        code = checked_country(country)
        who = viewer(request)
        with engine.connect() as connection:
            view = view_for(connection, who, code)
            row = next((r for r in view.rows if r.skill["id"] == skill_id), None)
            if row is None:
                raise HTTPException(404)
            technologies, _children = queries.technology_tree(connection)
            organizations = {o["id"]: o for o in queries.records(connection, "organizations", who)}
            needs = {n["id"]: n for n in queries.records(connection, "needs", who) if n["id"] in set(row.need_ids)}
        return render(
            request,
            "people_skill.html",
            {
                "row": row,
                "country": code,
                "technologies": technologies,
                "needs": [needs[i] for i in row.need_ids if i in needs],
                "holders": sorted(
                    (organizations[o] for o in row.holder_ids if o in organizations), key=lambda o: o["id"]
                ),
                "training": [view.training[t] for t in row.training_ids],
                "display_name": display_name,
                "country_name": country_name,
                "KIND_LABELS": KIND_LABELS,
            },
        )

    def filtered_training(
        rows: list[dict[str, Any]], kind: str | None, country: str | None, skill: str | None
    ) -> list[dict[str, Any]]:
        """The training offers (as `_training_rows` reads them) the filters keep."""
        if kind and kind not in KINDS:
            raise HTTPException(422, f"kind: one of {', '.join(KINDS)}")
        return [
            r
            for r in rows
            if (not kind or r["kind"] == kind)
            and (not country or r["country"] == country)
            and (not skill or skill in (r["skill_ids"] or []))
        ]

    @routes.get("/training", response_class=HTMLResponse)
    def training_page(
        request: Request,
        kind: Annotated[str | None, Query(max_length=40)] = None,
        country: CountryParam = None,
        skill: Annotated[str | None, Query(max_length=200)] = None,
    ) -> HTMLResponse:
        code = checked_country(country)
        with engine.connect() as connection:
            skills = {s["id"]: s for s in queries.records(connection, "skills", viewer(request))}
            all_rows = _training_rows(connection, viewer(request))
        rows = filtered_training(all_rows, kind, code, skill)
        chosen = {k: v for k, v in {"kind": kind, "country": code, "skill": skill}.items() if v}
        return render(
            request,
            "people_training.html",
            {
                "rows": rows,
                "skills": skills,
                "kinds": KINDS,
                "countries": sorted({r["country"] for r in all_rows}),
                "filters": chosen,
                "export_query": urlencode(chosen),
                "display_name": display_name,
                "country_name": country_name,
                "KIND_LABELS": KIND_LABELS,
                "language_name": language_name,
            },
        )

    @routes.get("/training.{fmt}")
    def training_export(
        request: Request,
        fmt: str,
        kind: Annotated[str | None, Query(max_length=40)] = None,
        country: CountryParam = None,
        skill: Annotated[str | None, Query(max_length=200)] = None,
    ) -> Response:
        if fmt not in TABLE_FORMATS:
            raise HTTPException(404)
        code = checked_country(country)
        with engine.connect() as connection:
            every = _training_rows(connection, viewer(request))
        rows = filtered_training(every, kind, code, skill)
        header, body = _training_export(rows, language(request))
        return table_response(fmt, "training", header, body, request=request, what="Training offers")

    return routes
