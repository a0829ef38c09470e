"""The scenario pages: the list of deployment scenarios, one scenario's demand against capacity per item (a chart,
first shortfall year, domestic share, makers, assumptions and sources beside each chart), downloads (CSV, JSON,
each chart as SVG) and the JSON API. Makers and sources are those the visitor may see."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Query, Request
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from sqlalchemy import Engine

from fusionatlas.domain.messages import in_language
from fusionatlas.scenarios.inputs import Scenario, ScenarioError, bundled, parse_scenario
from fusionatlas.scenarios.results import read_sources, run, summary
from fusionatlas.store import saved_scenarios as saved
from fusionatlas.store.accounts import User
from fusionatlas.web import auth
from fusionatlas.web.cache import per_state
from fusionatlas.web.charts.scenarios import demand_chart
from fusionatlas.web.exports import svg_response, table_response
from fusionatlas.web.i18n import language, translator
from fusionatlas.web.render import render
from fusionatlas.web.viewer import viewer

MAX_YAML = saved.MAX_YAML  # characters of a pasted scenario
EXAMPLE = """id: mine
name_en: My scenario
name_ja: 自作シナリオ
start_year: 2025
end_year: 2060
slip_years: {low: 0, central: 2, high: 6, basis: assumption, note_en: my guess, note_ja: 推定}
plants:
  - {design: fast, count: 2, operation_start: 2036}
  - {design: ja-demo, count: 1, operation_start: 2045}
"""
CSV_COLUMNS = [
    "item",
    "unit",
    "year",
    "demand_p10",
    "demand_p50",
    "demand_p90",
    "capacity_p10",
    "capacity",
    "capacity_p90",
    "shortfall_probability",
]


def _partners(text: str) -> list[str]:
    return [p.strip() for p in text.split(",") if p.strip()]


def detail_context(engine: Engine, request: Request, data: dict[str, Any], scenario: Scenario) -> dict[str, Any]:
    """What the detail template shows beside a run: charts, designs and the cited sources (bundled and saved)."""
    lang = language(request)
    _ = translator(lang)
    charts = {
        item["id"]: demand_chart(item, data["years"], item["name_ja"] if lang == "ja" else item["name_en"], _)
        for item in data["items"]
    }
    ids = {s for item in data["items"] for s in item["sources"]}
    with engine.connect() as connection:
        cited = read_sources(connection, viewer(request), ids)
    return {
        "data": data,
        "scenario": scenario,
        "designs": bundled().designs,
        "charts": charts,
        "sources": cited,
        "query": request.url.query,
    }


def list_context(engine: Engine, request: Request, yaml_text: str = EXAMPLE) -> dict[str, Any]:
    """The list page: the bundled scenarios, the visitor's own saved ones and the others' they may see."""
    seen = viewer(request)
    with engine.connect() as connection:
        own = saved.list_own(connection, seen.user_id) if seen.user_id is not None else []
        shared = saved.list_shared(connection, seen)
    return {
        "scenarios": summary(),
        "example": yaml_text,
        "designs": bundled().designs.values(),
        "own": own,
        "shared": shared,
        "signed_in": seen.user_id is not None,
        "login_href": auth.login_href(request),
        "VISIBILITIES": saved.VISIBILITIES,
    }


def router(engine: Engine) -> APIRouter:
    routes = APIRouter()

    def result(request: Request, sid: str, country: str, partners: str) -> dict[str, Any]:
        """The run as this visitor may see it, kept per data version, audience and inputs."""
        seen = viewer(request)
        library = bundled()
        scenario = library.scenario(sid)
        key = ("scenario", sid, country.upper(), partners.upper(), seen.sight)
        with engine.connect() as connection:
            return per_state(connection, key, lambda c: run(c, seen, scenario, library, country, _partners(partners)))

    @routes.get("/scenarios", response_class=HTMLResponse)
    def scenarios_page(request: Request) -> HTMLResponse:
        return render(request, "scenarios_list.html", list_context(engine, request))

    @routes.get("/scenarios/run")
    @routes.get("/scenarios/save")
    def scenario_form_get(request: Request) -> Response:
        """These paths only take the form's POST: a GET (a bookmark, a login bounce) goes to the form's page."""
        path = request.url.path + ("?" + request.url.query if request.url.query else "")
        return RedirectResponse(auth.form_page(path), status_code=303)

    @routes.post("/scenarios/run", response_class=HTMLResponse)
    def scenario_own(
        request: Request,
        _user: Annotated[User, Depends(auth.require_user())],
        scenario_yaml: Annotated[str, Form(max_length=MAX_YAML)],
        country: Annotated[str, Form(max_length=2)] = "JP",
        partners: Annotated[str, Form(max_length=100)] = "",
    ) -> HTMLResponse:
        """A signed-in user's own scenario, pasted as YAML: run once for them, never stored."""
        library = bundled()
        context: dict[str, Any] = {"sid": None, "country": country, "partners": partners, "custom": True}
        try:
            scenario = parse_scenario(Path("scenario.yaml"), library.designs, library.items, text=scenario_yaml)
            with engine.connect() as connection:
                data = run(connection, viewer(request), scenario, library, country, _partners(partners))
        except ScenarioError as error:
            return render(
                request,
                "scenarios_detail.html",
                {**context, "error": in_language(str(error), language(request)), "data": None},
                422,
            )
        return render(request, "scenarios_detail.html", {**context, **detail_context(engine, request, data, scenario)})

    @routes.get("/scenarios/{sid}/{item_id}.svg")
    def scenario_chart(
        request: Request,
        sid: str,
        item_id: str,
        country: Annotated[str, Query(max_length=2)] = "JP",
        partners: Annotated[str, Query(max_length=100)] = "",
    ) -> Response:
        try:
            data = result(request, sid, country, partners)
        except ScenarioError as error:
            return render(request, "error.html", {"error": in_language(str(error), language(request))}, status=404)
        found = next((i for i in data["items"] if i["id"] == item_id), None)
        if found is None:
            return render(request, "error.html", {"error": f"unknown item {item_id!r}"}, status=404)
        lang = language(request)
        name = found["name_ja"] if lang == "ja" else found["name_en"]
        return svg_response(demand_chart(found, data["years"], name, translator(lang)), f"{sid}-{item_id}")

    @routes.get("/scenarios/{sid}.{fmt}")
    def scenario_download(
        request: Request,
        sid: str,
        fmt: str,
        country: Annotated[str, Query(max_length=2)] = "JP",
        partners: Annotated[str, Query(max_length=100)] = "",
    ) -> Response:
        if fmt not in ("csv", "xlsx", "json"):
            return render(request, "error.html", {"error": f"unknown format {fmt!r}"}, status=404)
        try:
            data = result(request, sid, country, partners)
        except ScenarioError as error:
            return render(request, "error.html", {"error": in_language(str(error), language(request))}, status=404)
        if fmt == "json":
            return JSONResponse(data, headers={"Content-Disposition": f'attachment; filename="{sid}.json"'})
        rows = [
            [item["id"], item["unit"], year] + [item[c][i] for c in CSV_COLUMNS[3:]]
            for item in data["items"]
            for i, year in enumerate(data["years"])
        ]
        return table_response(fmt, f"scenario-{sid}", CSV_COLUMNS, rows, request=request, what="Supply-chain scenarios")

    @routes.get("/scenarios/{sid}", response_class=HTMLResponse)
    def scenario_page(
        request: Request,
        sid: str,
        country: Annotated[str, Query(max_length=2)] = "JP",
        partners: Annotated[str, Query(max_length=100)] = "",
    ) -> HTMLResponse:
        context: dict[str, Any] = {"sid": sid, "country": country, "partners": partners}
        try:
            data = result(request, sid, country, partners)
        except ScenarioError as error:
            status = 404 if sid not in bundled().scenarios else 422
            return render(
                request,
                "scenarios_detail.html",
                {**context, "error": in_language(str(error), language(request)), "data": None},
                status,
            )
        return render(
            request,
            "scenarios_detail.html",
            {**context, **detail_context(engine, request, data, bundled().scenario(sid))},
        )

    @routes.get("/api/scenarios")
    def api_scenarios() -> dict[str, Any]:
        return {"scenarios": summary()}

    @routes.get("/api/scenarios/{sid}")
    def api_scenario(
        request: Request,
        sid: str,
        country: Annotated[str, Query(max_length=2)] = "JP",
        partners: Annotated[str, Query(max_length=100)] = "",
    ) -> Any:
        try:
            return result(request, sid, country, partners)
        except ScenarioError as error:
            status = 404 if sid not in bundled().scenarios else 422
            return JSONResponse({"error": in_language(str(error), language(request))}, status_code=status)

    return routes
