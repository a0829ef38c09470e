"""A landscape section declared once (its filters, rows, columns, chart and template) and the routes it gets:

- `PATH` — the page: the filter form, the chart, one page of the table, the sources its rows cite;
- `PATH.csv`, `PATH.xlsx` — every row the filters select, in the section's columns;
- `PATH.svg` — the chart, for a section that has one (any other format is a 404).

Records of an organization the visitor may not see never reach a section: `read_landscape` reads only what
the request's audience may see (domain/audience.py).
"""

# No `from __future__ import annotations` here: the route handlers' annotations name the section's own
# filter class, a local variable, which FastAPI can read only if annotations are evaluated when defined.

from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass
from typing import Annotated, Any, Generic, TypeVar
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, HTTPException, Query, Request
from fastapi.responses import HTMLResponse, Response

from fusionatlas.analysis.landscape import Landscape
from fusionatlas.domain.values import parse_country
from fusionatlas.web.exports import TABLE_FORMATS, records_response, svg_response
from fusionatlas.web.i18n import language, translator
from fusionatlas.web.names import country_name
from fusionatlas.web.pages.landscape.rows import LABELS, PARAMETERS, sources_of
from fusionatlas.web.pagination import PageParam, paginate, query_link
from fusionatlas.web.render import render

Row = dict[str, Any]
Translate = Callable[[str], str]
# Query parameters: blank means "all" (a form's empty select); anything else must have the right shape.
CountryParam = Annotated[str, Query(pattern=r"^([A-Za-z]{2})?$", description="ISO 3166-1 alpha-2 code, or EU")]
YearParam = Annotated[str, Query(pattern=r"^(\d{4})?$", description="a year, e.g. 2024")]
SizeParam = Annotated[int, Query(ge=1, le=500)]
# What each downloaded table holds, as the page's title says it (the XLSX's "about" sheet).
WHAT = {
    "programmes": "National programmes and budgets",
    "budgets": "Public funding compared",
    "investments": "Private investment",
    "facilities": "Fusion facilities",
    "milestones": "Milestone timeline",
    "regulations": "Regulatory approaches",
}


def choice(values: Iterable[str]) -> Any:
    """A query parameter's rule: blank or one of `values` (use as `Annotated[str, choice(...)]`)."""
    return Query(pattern="^(" + "|".join(values) + ")?$")


@dataclass
class Filters:
    """A section's filters from the query string (FastAPI reads a subclass's fields as query parameters)."""

    country: CountryParam = ""

    def __post_init__(self) -> None:
        # An unknown country is a 422, like any malformed parameter, with the domain's one message.
        try:
            self.country = parse_country(self.country) or ""
        except ValueError as error:
            raise HTTPException(422, str(error)) from None


F = TypeVar("F", bound=Filters)


@dataclass(frozen=True)
class Selection(Generic[F]):
    """What one request asks of a section: the landscape its audience sees, the language, filters and rows."""

    landscape: Landscape
    lang: str
    filters: F
    rows: list[Row]

    @property
    def translate(self) -> Translate:
        return translator(self.lang)


@dataclass(frozen=True)
class Section(Generic[F]):
    """One landscape section. Its page is `path`, its downloads `path.csv`, `path.xlsx` (and `path.svg`)."""

    path: str  # "/landscape/programmes"
    template: str  # extends landscape_base.html
    filters: type[F]
    rows: Callable[[Landscape, str, F], list[Row]]  # every row the filters select, in the order shown
    table: str  # the table downloaded: its sheet, and its file name landscape-<table>
    columns: list[str]  # the downloaded columns, in order
    countries: Callable[[Landscape], Iterable[str]]  # the country menu's choices
    size: int = 100  # rows per page unless ?size= says otherwise
    chart: Callable[[Selection[F]], str] | None = None  # the SVG shown above the table and downloaded
    chart_name: str = ""  # the chart's download name (without .svg)
    chart_label: str = "chart (SVG)"  # its download link's text, translated in the template
    extras: Callable[[Selection[F]], dict[str, Any]] | None = None  # more for the section's template

    def select(self, landscape: Landscape, lang: str, filters: F) -> Selection[F]:
        return Selection(landscape, lang, filters, self.rows(landscape, lang, filters))


def show(
    request: Request, template: str, landscape: Landscape, rows: Iterable[Row], context: dict[str, Any]
) -> HTMLResponse:
    """A landscape page: its context plus the label tables, the sources the shown rows cite, the download query."""
    lang = language(request)
    sources = sources_of(rows, landscape, *context.pop("extra_sources", ()))
    return render(
        request,
        template,
        {
            **LABELS,
            "PARAMETERS": PARAMETERS,
            "sources": sources,
            "source_index": {s["id"]: s for s in sources},
            "query": urlencode({k: v for k, v in request.query_params.items() if k not in ("page", "size")}),
            "country_name": lambda code: country_name(code, lang),
            **context,
        },
    )


def register(routes: APIRouter, section: Section[Any], load: Callable[[Request], Landscape]) -> None:
    """Add the section's page and its downloads to `routes`."""
    Chosen = Annotated[section.filters, Depends()]  # type: ignore[name-defined]

    def page(request: Request, filters: Chosen, page: PageParam = 1, size: SizeParam = section.size) -> HTMLResponse:
        chosen = section.select(load(request), language(request), filters)
        shown = paginate(chosen.rows, page, size, query_link(dict(request.query_params)))
        context = {
            **asdict(filters),
            "path": section.path,
            "rows": shown,
            "chart": section.chart(chosen) if section.chart else None,
            "chart_label": section.chart_label,
            "countries": sorted(set(section.countries(chosen.landscape))),
            **(section.extras(chosen) if section.extras else {}),
        }
        return show(request, section.template, chosen.landscape, shown.rows, context)

    def download(request: Request, fmt: str, filters: Chosen) -> Response:
        if fmt not in TABLE_FORMATS and not (fmt == "svg" and section.chart):
            raise HTTPException(404, f"unknown format {fmt!r}")
        chosen = section.select(load(request), language(request), filters)
        if fmt == "svg" and section.chart:
            return svg_response(section.chart(chosen), section.chart_name)
        name, what = f"landscape-{section.table}", WHAT.get(section.table, section.table)
        return records_response(fmt, name, section.columns, chosen.rows, section.table, request=request, what=what)

    name = section.path.strip("/").replace("/", "_")
    routes.add_api_route(section.path, page, methods=["GET"], response_class=HTMLResponse, name=name)
    routes.add_api_route(section.path + ".{fmt}", download, methods=["GET"], name=f"{name}_download")
