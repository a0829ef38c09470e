"""The roadmap pages and API: every track with its critical path and schedule risk, one Gantt page per
track (SVG in the page, SVG/PNG/CSV/.ics downloads), and a members' what-if that moves one milestone's date.

Everything is read as the visitor may see it; a what-if is computed for that request only and never stored,
so it stays private to the member who asked.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from fastapi import APIRouter, HTTPException, Path, Query, Request
from fastapi.responses import HTMLResponse, JSONResponse, Response
from sqlalchemy import Engine

from fusionatlas.domain.audience import MEMBERS_LEVEL
from fusionatlas.roadmap.dates import middle
from fusionatlas.roadmap.read import Roadmap, read_roadmap
from fusionatlas.roadmap.report import backtest_report, risk_report, roadmap_report
from fusionatlas.web.cache import per_state
from fusionatlas.web.charts.gantt import Bar, gantt
from fusionatlas.web.conventions import date_in
from fusionatlas.web.exports import svg_response, table_response
from fusionatlas.web.i18n import language, translator
from fusionatlas.web.render import render
from fusionatlas.web.viewer import viewer

COLUMNS = [
    "id",
    "track",
    "title_en",
    "title_ja",
    "announced",
    "date_text",
    "p50",
    "p80",
    "p_on_time",
    "critical",
    "status",
    "overdue",
    "last_verified",
    "source_ids",
]
MAX_SLIP_YEARS = 30.0
ROADMAP_STATUSES = {
    "achieved": "Achieved",
    "planned": "Planned",
    "delayed": "Delayed",
    "cancelled": "Cancelled",
    "overdue": "Overdue",
    "undated": "Undated",
}


def today() -> dt.date:
    return dt.date.today()


def _roadmap(engine: Engine, request: Request) -> Roadmap:
    seen = viewer(request)
    with engine.connect() as connection:
        return per_state(connection, ("roadmap-data", seen.sight), lambda c: read_roadmap(c, seen))


def _report(engine: Engine, request: Request, slips: dict[str, float] | None = None) -> dict[str, Any]:
    """The whole roadmap for this visitor and day; kept per data version unless it is a what-if."""
    seen, day = viewer(request), today()
    if slips:
        return roadmap_report(_roadmap(engine, request), day, slips=slips)
    with engine.connect() as connection:
        return per_state(
            connection,
            ("roadmap-report", seen.sight, day.isoformat()),
            lambda c: roadmap_report(read_roadmap(c, seen), day),
        )


def _track(report: dict[str, Any], track_id: str) -> dict[str, Any]:
    for track in report["tracks"]:
        if track["id"] == track_id:
            return track
    raise HTTPException(404, f"no track {track_id!r}")


def _rows(report: dict[str, Any], track: dict[str, Any]) -> list[dict[str, Any]]:
    """The track's milestones, and the milestones of other tracks on its critical path, by date."""
    by_id = {m["id"]: m for m in report["milestones"]}
    path = set(track["critical_path"])
    ids = [mid for mid in track["milestone_ids"] if mid in by_id]
    ids += [mid for mid in track["critical_path"] if mid not in ids and mid in by_id]
    rows = [{**by_id[mid], "critical": mid in path} for mid in ids]
    return sorted(rows, key=lambda m: (m["announced"] is None, middle(m["announced"]) if m["announced"] else 0.0))


def _title(row: dict[str, Any], lang: str) -> str:
    return str(row["title_ja"] if lang == "ja" and row["title_ja"] else row["title_en"])


def _chart(report: dict[str, Any], track: dict[str, Any], lang: str) -> str:
    _ = translator(lang)
    bars = []
    for row in _rows(report, track):
        tip = f"{_title(row, lang)} — {_('announced')}: {date_in(row['announced'], lang) or '-'}"
        # An overdue milestone has no forecast worth drawing: the simulation can only say "today".
        p50, p80 = (None, None) if row["overdue"] else (row["p50"], row["p80"])
        if p50:
            tip += f"; P50 {date_in(p50, lang)}, P80 {date_in(p80, lang)}"
        bars.append(
            Bar(
                row["id"],
                _title(row, lang),
                row["announced"],
                p50,
                p80,
                row["status"],
                row["critical"],
                tuple(row["depends_on"]),
                tip,
            )
        )
    name = track["name_ja"] if lang == "ja" else track["name_en"]
    return gantt(bars, name, dt.date.fromisoformat(report["as_of"]), _)


def _ics(rows: list[dict[str, Any]], lang: str, track_id: str, as_of: str) -> bytes:
    def text(value: str) -> str:
        return value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\n", "\\n")

    stamp = as_of.replace("-", "") + "T000000Z"  # the day the schedule was computed: same atlas, same file
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//FusionAtlas//roadmap//EN", "CALSCALE:GREGORIAN"]
    for row in rows:
        if not row["announced"]:
            continue
        start = (row["announced"] + "-01-01")[:10] if len(row["announced"]) == 4 else (row["announced"] + "-01")[:10]
        detail = f"{row['status']}"
        if row["p50"]:
            detail += f"; P50 {row['p50']}; P80 {row['p80']}; P(on time) {row['p_on_time']}"
        lines += [
            "BEGIN:VEVENT",
            f"UID:{row['id']}@{track_id}.fusionatlas",
            f"DTSTAMP:{stamp}",
            f"DTSTART;VALUE=DATE:{start.replace('-', '')}",
            f"SUMMARY:{text(_title(row, lang))}",
            f"DESCRIPTION:{text(detail)}",
            "END:VEVENT",
        ]
    lines.append("END:VCALENDAR")
    return ("\r\n".join(lines) + "\r\n").encode("utf-8")


def _slips(request: Request, slip_id: str, slip_years: float | None) -> dict[str, float] | None:
    if not slip_id or slip_years is None:
        return None
    if viewer(request).level < MEMBERS_LEVEL:
        raise HTTPException(403, "what-if slips are for signed-in members")
    if not -MAX_SLIP_YEARS <= slip_years <= MAX_SLIP_YEARS:
        raise HTTPException(422, f"slip_years must lie between -{MAX_SLIP_YEARS:g} and {MAX_SLIP_YEARS:g}")
    return {slip_id: slip_years}


def router(engine: Engine) -> APIRouter:
    routes = APIRouter()

    @routes.get("/roadmap", response_class=HTMLResponse)
    def overview(request: Request) -> HTMLResponse:
        report = _report(engine, request)
        by_id = {m["id"]: m for m in report["milestones"]}
        targets = {t["id"]: by_id.get(t["target"] or "") for t in report["tracks"]}
        overdue = [m for m in report["milestones"] if m["overdue"]]
        context = {"report": report, "targets": targets, "overdue": overdue, "by_id": by_id}
        return render(request, "roadmap.html", context)

    @routes.get("/roadmap.{fmt}")
    def overview_download(request: Request, fmt: str) -> Response:
        report = _report(engine, request)
        if fmt == "ics":
            return _calendar(report["milestones"], language(request), "roadmap", report["as_of"])
        if fmt != "csv":
            raise HTTPException(404)
        rows = ([m[c] for c in COLUMNS] for m in report["milestones"])
        return table_response(fmt, "roadmap", COLUMNS, rows, request=request, what="Roadmap")

    @routes.get("/roadmap/{track_id}.{fmt}")
    def track_download(request: Request, track_id: str, fmt: str) -> Response:
        report = _report(engine, request)
        track = _track(report, track_id)
        name = track_id.replace("track:", "roadmap-")
        if fmt == "svg":
            return svg_response(_chart(report, track, language(request)), name)
        if fmt == "ics":
            return _calendar(_rows(report, track), language(request), name, report["as_of"])
        if fmt != "csv":
            raise HTTPException(404)
        rows = ([m[c] for c in COLUMNS] for m in _rows(report, track))
        return table_response(fmt, name, COLUMNS, rows, request=request, what="Roadmap")

    @routes.get("/roadmap/{track_id}", response_class=HTMLResponse)
    def track_page(
        request: Request,
        track_id: str,
        slip_id: Annotated[str, Query(max_length=200)] = "",
        slip_years: Annotated[float | None, Query()] = None,
    ) -> HTMLResponse:
        slips = _slips(request, slip_id, slip_years)
        base = _report(engine, request)
        _track(base, track_id)
        try:
            report = _report(engine, request, slips) if slips else base
        except KeyError:
            raise HTTPException(422, f"{slip_id!r} is not a milestone still to come") from None
        track = _track(report, track_id)
        rows = _rows(report, track)
        lang = language(request)
        context = {
            "report": report,
            "track": track,
            "rows": rows,
            "chart": _chart(report, track, lang),
            "members": viewer(request).level >= MEMBERS_LEVEL,
            "slip_id": slip_id,
            "slip_years": slip_years,
            "base": {m["id"]: m for m in base["milestones"]} if slips else {},
            "choices": [r for r in rows if r["p50"]],
            "name": track_id.replace("track:", "roadmap-"),
            "ROADMAP_STATUSES": ROADMAP_STATUSES,
        }
        return render(request, "roadmap_track.html", context)

    @routes.get("/api/roadmap")
    def api_roadmap(request: Request, track: Annotated[str, Query(max_length=200)] = "") -> JSONResponse:
        report = _report(engine, request)
        if track:
            chosen = _track(report, track)
            rows = [{**m, "track": track} for m in _rows(report, chosen)]
            report = {**report, "tracks": [chosen], "milestones": rows}
        return JSONResponse(report)

    @routes.get("/api/roadmap/risk/{milestone_id}")
    def api_risk(request: Request, milestone_id: Annotated[str, Path(max_length=200)]) -> JSONResponse:
        try:
            return JSONResponse(risk_report(_roadmap(engine, request), today(), milestone_id))
        except KeyError as error:
            raise HTTPException(404, str(error.args[0])) from None

    @routes.get("/api/roadmap/backtest")
    def api_backtest(request: Request) -> JSONResponse:
        seen = viewer(request)
        with engine.connect() as connection:
            found = per_state(
                connection, ("roadmap-backtest", seen.sight), lambda c: backtest_report(read_roadmap(c, seen))
            )
        return JSONResponse(found)

    return routes


def _calendar(rows: list[dict[str, Any]], lang: str, name: str, as_of: str) -> Response:
    return Response(
        _ics(rows, lang, name, as_of),
        media_type="text/calendar; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{name}.ics"'},
    )
