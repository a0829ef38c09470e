"""The gaps pages: a technology x measure heatmap and ranked table, drill-down per technology, exports,
and a form that targets a support budget. Records as the visitor may see them (the public: public only).
"""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, Depends, File, Form, HTTPException, Query, Request, UploadFile
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy import Engine

from fusionatlas.analysis.actions_input import (
    MAX_WORKBOOK_BYTES,
    actions_from_rows,
    read_workbook,
    template_workbook,
)
from fusionatlas.analysis.atlas import AnalysisAtlas, read_atlas
from fusionatlas.analysis.gap_inputs import GapInputs, read_gap_inputs
from fusionatlas.analysis.gaps import (
    CATEGORIES,
    DEFAULT_WEIGHTS,
    RELEVANCE_WEIGHTS,
    GapError,
    GapReport,
    analyse,
    breakdown,
    check_country,
    check_weights,
    sensitivity,
)
from fusionatlas.analysis.portfolio import (
    FIELDS,
    LABELS,
    MAX_ACTIONS,
    TIME_LIMIT,
    Action,
    ActionError,
    read_actions,
    target,
)
from fusionatlas.analysis.report import write_report
from fusionatlas.dataset.exports import LICENCE
from fusionatlas.scenarios.inputs import bundled
from fusionatlas.store.accounts import User
from fusionatlas.store.queries import organization_countries
from fusionatlas.web import auth
from fusionatlas.web.cache import per_state
from fusionatlas.web.exports import XLSX, table_response
from fusionatlas.web.i18n import language, translator
from fusionatlas.web.names import country_code, country_name
from fusionatlas.web.render import render
from fusionatlas.web.viewer import viewer

MAX_ACTIONS_TEXT = 200_000  # characters of pasted actions CSV (the "advanced" box)
# The row editor: at most MAX_ROWS rows (6 fields each keeps a form under the 1,000 fields a request may carry;
# more actions go in a workbook), and SPARE_ROWS blank rows so that a page without scripts can add actions.
MAX_ROWS = 150
SPARE_ROWS = 10
COLUMNS = [
    "technology_id",
    "name_en",
    "name_ja",
    "category",
    "score",
    "relevance",
    "shortfall",
    "domestic",
    "partner",
    "other",
    "best_trl",
    "required_trl",
    "unmet_needs",
    "hhi",
    "single_source",
    "single_country",
    "path_ids",
    "readiness",
]


def _cell(value: Any) -> Any:
    """A CSV cell: lists joined by ';', the assessment used as its id, TRL and context."""
    if isinstance(value, list):
        return ";".join(str(v) for v in value)
    if isinstance(value, dict):
        return f"{value['id']} TRL {value['value']} ({value['context']}, {value['date']})"
    return value


def _atlas(engine: Engine, request: Request) -> AnalysisAtlas:
    """The atlas as this visitor may see it (the public: public records only), kept per data version and sight."""
    seen = viewer(request)
    with engine.connect() as connection:
        return per_state(connection, ("analysis-atlas", seen.sight), lambda c: read_atlas(c, seen))


def _inputs(engine: Engine, request: Request, country: str) -> GapInputs | None:
    """Scenario demand and the skills shortfall for this visitor and country, kept per data version (None for a
    country code the analysis will refuse: its error is the one shown)."""
    try:
        code = check_country(country)
    except GapError:
        return None
    seen = viewer(request)
    atlas = _atlas(engine, request)
    with engine.connect() as connection:
        return per_state(connection, ("gap-inputs", seen.sight, code), lambda c: read_gap_inputs(c, atlas, code, seen))


def _analyse(
    engine: Engine, request: Request, country: str, partners: str, weights: dict[str, float] | None = None
) -> GapReport:
    found = _inputs(engine, request, country)
    return analyse(
        _atlas(engine, request),
        country,
        _partners(partners),
        weights,
        inputs=found.as_inputs() if found else None,
        scenario=found.scenario if found else None,
    )


def _weights(request: Request) -> dict[str, float]:
    """Weights from ?w_domestic=0.3&w_path=0.6...; unnamed ones keep their defaults. Numbers are checked by
    the core, which rescales the shortfall's and the relevance's weights each to sum to 1."""
    raw: dict[str, Any] = {}
    for name in (*DEFAULT_WEIGHTS, *RELEVANCE_WEIGHTS):
        value = request.query_params.get(f"w_{name}")
        if value not in (None, ""):
            try:
                raw[name] = float(value)
            except ValueError:
                raise GapError(f"weight {name!r} must be a number, not {value!r}") from None
    check_weights(raw)
    check_weights(raw, RELEVANCE_WEIGHTS)
    return raw


def _partners(text: str) -> list[str]:
    return [p.strip() for p in text.split(",") if p.strip()]


HEAT = (192, 57, 43)  # the heatmap's red, laid over white with an opacity growing with the value


def _luminance(rgb: tuple[float, float, float]) -> float:
    """Relative luminance (WCAG 2.x)."""
    channels = [c / 255 for c in rgb]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def heat_style(value: float) -> str:
    """A heatmap cell's background and the text colour that reads best on it. White or black, whichever contrasts
    more: one of them always reaches 4.5:1 (WCAG AA); the atlas's dark blue ink fell to 3.9:1 in the middle."""
    alpha = max(0.0, min(1.0, value)) * 0.85
    background = tuple(255 * (1 - alpha) + c * alpha for c in HEAT)
    light = _luminance(background)  # type: ignore[arg-type]
    on_white = 1.05 / (light + 0.05)
    on_black = (light + 0.05) / 0.05
    ink = "#fff" if on_white >= on_black else "#000"
    return f"background: rgba({HEAT[0]}, {HEAT[1]}, {HEAT[2]}, {alpha:.2f}); color: {ink}"


def said(error: GapError, lang: str) -> str:
    """An error in the page's language: an ActionError's problem through the catalogs, with its sheet, row and
    column; others as the core words them."""
    if not isinstance(error, ActionError):
        return str(error)
    _ = translator(lang)
    ja = lang == "ja"
    message = _(error.problem) % error.params
    if error.source:  # the advanced box's CSV: the file's line and field, as the command line names them
        if not ja:
            return str(error)
        return f"{error.source}{'、' + LABELS[error.field][1] if error.field in LABELS else ''}：{message}"
    place = []
    if error.sheet:
        place.append(_("sheet “%(sheet)s”") % {"sheet": error.sheet})
    if error.row:
        place.append(_("row %(row)s") % {"row": error.row})
    if error.field or error.letter:
        label = LABELS[error.field][1 if ja else 0] if error.field else ""
        header = error.header or label or str(error.params.get("header", ""))
        if error.letter:
            place.append(_("column %(letter)s (%(header)s)") % {"letter": error.letter, "header": header})
        else:
            place.append(_("column “%(header)s”") % {"header": header})
    if not place:
        return message
    return ("、".join(place) + "：" + message) if ja else (", ".join(place) + ": " + message)


def _technology_names(atlas: AnalysisAtlas) -> dict[str, str]:
    """Technology names (English and Japanese, lower case) to ids: a cell may name a technology."""
    names: dict[str, str] = {}
    for tech_id, tech in sorted(atlas.technologies.items()):
        for name in (tech.get("name_en"), tech.get("name_ja")):
            if name:
                names.setdefault(str(name).strip().lower(), tech_id)
    return names


def _row(action: Action) -> dict[str, str]:
    """An action as the row editor shows it."""
    fractions = sorted(set(action.closes.values()))
    closes = f"{fractions[0]:g}" if len(fractions) == 1 else ", ".join(f"{f:g}" for f in action.closes.values())
    return {
        "id": action.id,
        "name_en": "" if action.name_en == action.id else action.name_en,  # the core names an unnamed action by its id
        "name_ja": action.name_ja,
        "cost": f"{action.cost:g}",
        "technologies": ", ".join(action.closes),
        "closes": closes,
    }


def editor_context(atlas: AnalysisAtlas, lang: str, rows: list[dict[str, str]]) -> dict[str, Any]:
    """What the row editor needs: its rows, the spare blank ones, the column labels and the technologies."""
    pick = 1 if lang == "ja" else 0
    technologies = sorted(
        (tech_id, (tech.get("name_ja") or tech.get("name_en") or tech_id) if lang == "ja" else tech.get("name_en"))
        for tech_id, tech in atlas.technologies.items()
    )
    return {
        "editor_rows": rows[:MAX_ROWS],
        "spare_rows": max(0, min(SPARE_ROWS, MAX_ROWS - len(rows))),
        "max_rows": MAX_ROWS,
        "fields": FIELDS,
        "field_labels": {f: LABELS[f][pick] for f in FIELDS},
        "technology_list": technologies,
        "technology_name": dict(technologies),
        "max_actions": MAX_ACTIONS,
        "max_workbook_mb": MAX_WORKBOOK_BYTES // 1_000_000,
    }


def router(engine: Engine) -> APIRouter:
    routes = APIRouter()

    def analysed(request: Request, country: str, partners: str) -> GapReport:
        return _analyse(engine, request, country, partners, _weights(request))

    @routes.get("/gaps", response_class=HTMLResponse)
    def gaps_page(
        request: Request,
        country: Annotated[str, Query(max_length=32)] = "JP",
        partners: Annotated[str, Query(max_length=100)] = "",
        top: Annotated[int, Query(ge=1, le=500)] = 40,
    ) -> HTMLResponse:
        country = country_code(country) or country  # 日本 or Japan typed into the address: JP
        with engine.connect() as connection:
            countries = organization_countries(connection, viewer(request))
        context: dict[str, Any] = {
            "country": country,
            "countries": countries,
            "country_name": country_name,
            "partners": partners,
            "top": top,
            "defaults": DEFAULT_WEIGHTS,
            "relevance_defaults": RELEVANCE_WEIGHTS,
            "max_actions": MAX_ACTIONS,
            "time_limit": f"{TIME_LIMIT:g}",
            "signed_in": viewer(request).user_id is not None,
            "login_href": auth.login_href(request),
            **editor_context(_atlas(engine, request), language(request), []),
        }
        try:
            report = analysed(request, country, partners)
        except GapError as error:
            return render(request, "gaps.html", {**context, "error": str(error), "report": None}, status=422)
        moves = sensitivity(report, top=min(top, 10))
        names = {g.technology_id: g for g in report.technologies}
        return render(
            request,
            "gaps.html",
            {
                **context,
                "report": report,
                "rows": report.technologies[:top],
                "query": request.url.query,
                "sensitivity": moves,
                "names": names,
                "counts": {c: sum(g.category == c for g in report.technologies) for c in CATEGORIES},
                "heat_style": heat_style,
                "scenario": bundled().scenario(report.scenario) if report.scenario else None,
            },
        )

    @routes.get("/gaps/technology/{tech_id}", response_class=HTMLResponse)
    def gap_detail(
        request: Request,
        tech_id: str,
        country: Annotated[str, Query(max_length=2)] = "JP",
        partners: Annotated[str, Query(max_length=100)] = "",
    ) -> HTMLResponse:
        atlas = _atlas(engine, request)
        try:
            report = _analyse(engine, request, country, partners, _weights(request))
            detail = breakdown(atlas, tech_id, report.country, report.partners)
        except GapError as error:
            status = 404 if tech_id not in atlas.technologies else 422
            return render(request, "error.html", {"error": str(error)}, status=status)
        gap = next(g for g in report.technologies if g.technology_id == tech_id)
        return render(request, "gap_detail.html", {"gap": gap, "detail": detail, "report": report})

    @routes.get("/gaps.{fmt}")
    def gaps_report(
        request: Request,
        fmt: str,
        country: Annotated[str, Query(max_length=2)] = "JP",
        partners: Annotated[str, Query(max_length=100)] = "",
        top: Annotated[int, Query(ge=1, le=500)] = 40,
    ) -> Response:
        """Every technology as CSV; the first `top` as the XLSX or HTML report."""
        if fmt not in ("csv", "xlsx", "html"):
            raise HTTPException(404)
        report = analysed(request, country, partners)
        if fmt == "csv":
            rows = ([_cell(gap.__dict__[c]) for c in COLUMNS] for gap in report.technologies)
            what = "Gap analysis"
            return table_response("csv", f"gaps-{report.country}", COLUMNS, rows, request=request, what=what)
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / f"gaps-{report.country}.{fmt}"
            write_report(report, path, language(request), top)
            content = path.read_bytes()
        media = "text/html; charset=utf-8" if fmt == "html" else XLSX
        return Response(
            content, media_type=media, headers={"Content-Disposition": f'attachment; filename="{path.name}"'}
        )

    @routes.get("/gaps/actions-template.xlsx")
    def actions_template(request: Request) -> Response:
        """The workbook to fill in with candidate actions: headings in the page's language, an example row."""
        atlas = _atlas(engine, request)
        technologies = [
            (tech_id, str(tech.get("name_en") or ""), str(tech.get("name_ja") or ""))
            for tech_id, tech in sorted(atlas.technologies.items())
        ]
        lang = language(request)
        content = template_workbook(lang, technologies, LICENCE)
        name = "support-actions-ja.xlsx" if lang == "ja" else "support-actions.xlsx"
        return Response(content, media_type=XLSX, headers={"Content-Disposition": f'attachment; filename="{name}"'})

    @routes.get("/gaps/portfolio")
    def portfolio_get(request: Request) -> Response:
        """The optimiser only takes the form's POST: a GET (a bookmark, a login bounce) goes to the form's page."""
        return RedirectResponse(auth.form_page(f"/gaps/portfolio?{request.url.query}".rstrip("?")), status_code=303)

    @routes.post("/gaps/portfolio", response_class=HTMLResponse)
    def portfolio(
        request: Request,
        _user: Annotated[User, Depends(auth.require_user())],
        budget: Annotated[float, Form(ge=0, allow_inf_nan=False)],
        actions: Annotated[str, Form(max_length=MAX_ACTIONS_TEXT)] = "",
        country: Annotated[str, Form(max_length=2)] = "JP",
        partners: Annotated[str, Form(max_length=100)] = "",
        row_id: Annotated[list[str], Form()] = [],  # noqa: B006 - FastAPI copies form defaults
        row_name_en: Annotated[list[str], Form()] = [],  # noqa: B006
        row_name_ja: Annotated[list[str], Form()] = [],  # noqa: B006
        row_cost: Annotated[list[str], Form()] = [],  # noqa: B006
        row_technologies: Annotated[list[str], Form()] = [],  # noqa: B006
        row_closes: Annotated[list[str], Form()] = [],  # noqa: B006
        workbook: Annotated[UploadFile | None, File()] = None,
    ) -> Response:
        """Candidate actions from the row editor, an uploaded XLSX workbook and the advanced CSV box, together.
        The optimiser's work grows with the actions: signed-in accounts only, at most MAX_ACTIONS actions, and
        the solver's time limit (analysis/portfolio.py; docs/gaps.md). Any problem in the input is shown with its
        sheet, row and column, and nothing is computed."""
        atlas = _atlas(engine, request)
        lang = language(request)
        columns = [row_id, row_name_en, row_name_ja, row_cost, row_technologies, row_closes]
        count = max(len(c) for c in columns)
        rows = [{f: (c[i] if i < len(c) else "") for f, c in zip(FIELDS, columns, strict=True)} for i in range(count)]
        kept = [r for r in rows if any(v.strip() for v in r.values())]
        context: dict[str, Any] = {
            "country": country,
            "partners": partners,
            "budget": budget,
            "actions": actions,
            "time_limit": f"{TIME_LIMIT:g}",
            **editor_context(atlas, lang, kept),
        }
        known, names = set(atlas.technologies), _technology_names(atlas)
        try:
            if len(rows) > MAX_ROWS:
                raise ActionError("more than %(max)s rows: put larger sets of actions in a workbook", {"max": MAX_ROWS})
            candidates: list[Action] = []
            if workbook is not None and workbook.filename:
                data = workbook.file.read(MAX_WORKBOOK_BYTES + 1)
                candidates += read_workbook(data, known, names)
            if kept:
                candidates += actions_from_rows(rows, known, names)
            if actions.strip():
                with tempfile.TemporaryDirectory() as folder:
                    path = Path(folder) / "actions.csv"
                    path.write_text(actions, encoding="utf-8")
                    candidates += read_actions(path, known)
            if not candidates:
                raise ActionError("no actions: fill in at least one row or upload a workbook")
            seen: set[str] = set()
            for action in candidates:
                if action.id in seen:
                    raise ActionError("action id %(id)r appears more than once", {"id": action.id})
                seen.add(action.id)
            report = _analyse(engine, request, country, partners)
            chosen = target(report, candidates, budget)
        except GapError as error:
            return render(
                request, "portfolio.html", {**context, "error": said(error, lang), "result": None}, status=422
            )
        # The editor now holds every action compared, wherever it came from, so it can be changed and run again.
        context.update(editor_context(atlas, lang, [_row(a) for a in candidates]), actions="")
        return render(request, "portfolio.html", {**context, "result": chosen})

    return routes
