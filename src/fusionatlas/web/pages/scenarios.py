"""The scenario pages: the list of deployment scenarios, one scenario's demand against capacity per item (a chart,
first shortfall year, domestic share, makers, assumptions and sources beside each chart), downloads (CSV, JSON,
each chart as SVG) and the JSON API. Makers and sources are those the visitor may see."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, JSONResponse, Response
from sqlalchemy import Engine

from fusionatlas.scenarios.inputs import ScenarioError, bundled
from fusionatlas.scenarios.results import read_sources, run, summary
from fusionatlas.web.cache import per_state
from fusionatlas.web.charts.scenarios import demand_chart
from fusionatlas.web.exports import svg_response, table_response
from fusionatlas.web.i18n import language, translator
from fusionatlas.web.render import render
from fusionatlas.web.viewer import viewer

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

    def sources(request: Request, data: dict[str, Any]) -> dict[str, dict[str, str]]:
        ids = {s for item in data["items"] for s in item["sources"]}
        with engine.connect() as connection:
            return read_sources(connection, viewer(request), ids)

    @routes.get("/scenarios", response_class=HTMLResponse)
    def scenarios_page(request: Request) -> HTMLResponse:
        return render(request, "scenarios_list.html", {"scenarios": summary()})

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
            return render(request, "error.html", {"error": str(error)}, status=404)
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
            return render(request, "error.html", {"error": str(error)}, status=404)
        if fmt == "json":
            return JSONResponse(data, headers={"Content-Disposition": f'attachment; filename="{sid}.json"'})
        rows = [
            [item["id"], item["unit"], year] + [item[c][i] for c in CSV_COLUMNS[3:]]
            for item in data["items"]
            for i, year in enumerate(data["years"])
        ]
        return table_response(fmt, f"scenario-{sid}", CSV_COLUMNS, rows)

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
            return render(request, "scenarios_detail.html", {**context, "error": str(error), "data": None}, status)
        lang = language(request)
        _ = translator(lang)
        charts = {
            item["id"]: demand_chart(item, data["years"], item["name_ja"] if lang == "ja" else item["name_en"], _)
            for item in data["items"]
        }
        scenario = bundled().scenario(sid)
        return render(
            request,
            "scenarios_detail.html",
            {
                **context,
                "data": data,
                "scenario": scenario,
                "designs": bundled().designs,
                "charts": charts,
                "sources": sources(request, data),
                "query": request.url.query,
            },
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
            return JSONResponse({"error": str(error)}, status_code=status)

    return routes
