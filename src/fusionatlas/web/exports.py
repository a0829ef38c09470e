"""Downloads shared by every page: tables as CSV or XLSX, charts as SVG.

CSV keeps the column codes and coded values (the data package's, for scripts and imports). XLSX is for people:
headings and coded values in the page's language (web/export_labels.py), country names, column widths, a
frozen header row and an autofilter, and an "about" sheet first: what the table holds, the filters chosen,
when it was exported and from which data version, the licence, and the sources its rows cite.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Mapping, Sequence
from datetime import UTC, datetime
from typing import Any

from fastapi import Request
from fastapi.responses import Response
from openpyxl import Workbook

from fusionatlas.dataset.exports import LICENCE, add_about_sheet, bold_header, finish_sheet, formula_safe, xlsx_values
from fusionatlas.web import export_labels

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
TABLE_FORMATS = ("csv", "xlsx")


def _cell(value: Any) -> Any:
    """Lists become `;`-separated text, as in the data package."""
    if isinstance(value, list | tuple):
        return ";".join(str(v) for v in value)
    return value


def csv_bytes(header: Sequence[str], rows: Iterable[Sequence[Any]]) -> bytes:
    """CSV in UTF-8 with a byte-order mark (Japanese Excel needs it); text that a spreadsheet would run as a
    formula gets a leading apostrophe (OWASP), numbers stay numbers."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([formula_safe(name) for name in header])
    writer.writerows([formula_safe(_cell(value)) for value in row] for row in rows)
    return buffer.getvalue().encode("utf-8-sig")


def append_row(sheet: Any, values: Iterable[Any]) -> None:
    """One row of a worksheet; formula-leading text is written as a text cell, never as a formula."""
    sheet.append(xlsx_values(sheet, [_cell(value) for value in values]))


def _attachment(filename: str) -> dict[str, str]:
    return {"Content-Disposition": f'attachment; filename="{filename}"'}


def table_response(
    fmt: str,
    name: str,
    header: Sequence[str],
    rows: Iterable[Sequence[Any]],
    sheet: str | None = None,
    *,
    request: Request,
    what: str,
) -> Response:
    """A table as `name.csv` (UTF-8 with a byte-order mark, which Japanese Excel needs) or `name.xlsx` (for
    people: see the module's docstring). `what` says in English what the table holds (translated)."""
    if fmt == "csv":
        return Response(
            csv_bytes(header, rows),
            media_type="text/csv; charset=utf-8",
            headers=_attachment(f"{name}.csv"),
        )
    if fmt != "xlsx":
        raise ValueError(f"unknown table format {fmt!r}")
    return Response(workbook_bytes(request, what, header, list(rows), sheet or name), media_type=XLSX,
                    headers=_attachment(f"{name}.xlsx"))  # fmt: skip


Sheet = tuple[str, Sequence[str], list[Sequence[Any]]]  # name, column codes, rows


def workbook_bytes(
    request: Request,
    what: str,
    header: Sequence[str],
    rows: list[Sequence[Any]],
    sheet: str,
    extra: Sequence[Sheet] = (),
    about: Sequence[tuple[str, Any]] = (),
    formats: Mapping[str, str] | None = None,
) -> bytes:
    """The XLSX of a table (and of `extra` tables as more sheets), for people: see the module's docstring.
    `about`: more lines of the about sheet after "What" (labels in the reader's language); `formats`: Excel
    number formats by column code (such as "0.0%" for a share)."""
    from fusionatlas.web.i18n import language, translator
    from fusionatlas.web.names import country_name

    lang = language(request)
    _ = translator(lang)
    labels = export_labels.values()

    def shown(column: str, value: Any) -> Any:
        if isinstance(value, bool) and column in export_labels.BOOLEAN_COLUMNS:
            return _("Yes") if value else _("No")
        if isinstance(value, str) and column in export_labels.COUNTRY_COLUMNS:
            return country_name(value, lang) or value
        if isinstance(value, str) and value in labels.get(column, {}):
            return _(labels[column][value])
        return _cell(value)

    def heading(column: str) -> str:
        if len(column) == 2 and column.isupper():  # a country's column (the industry map's matrix)
            return country_name(column, lang) or column
        return _(export_labels.COLUMNS[column]) if column in export_labels.COLUMNS else column

    book = Workbook()
    book.remove(book.active)
    cited: list[str] = []
    for title, columns, table_rows in [(sheet, header, rows), *extra]:
        table = book.create_sheet(title[:31])  # Excel's limit on sheet names
        body = [[shown(c, v) for c, v in zip(columns, row, strict=False)] for row in table_rows]
        headings = [heading(c) for c in columns]
        table.append(bold_header(table, headings))
        for row in body:
            table.append(xlsx_values(table, row))
        for i, column in enumerate(columns, start=1):
            if column in (formats or {}):
                for (cell,) in table.iter_rows(min_row=2, min_col=i, max_col=i):
                    cell.number_format = (formats or {})[column]
        finish_sheet(table, headings, body)
        cited += [s for s in _cited(columns, table_rows) if s not in cited]
    add_about_sheet(
        book,
        _("About"),
        [
            (_("What"), _(what)),
            *about,
            (_("Rows"), len(rows)),
            (_("Filters"), _filters(request) or _("none")),
            (_("Exported"), datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")),
            (_("Data version"), _data_version(request)),
            (_("Licence"), LICENCE),
            (_("Address"), str(request.url)),
        ],
        _sources(request, cited),
        [_("Source"), _("Title"), _("Publisher"), _("Date"), _("Address")],
    )
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _filters(request: Request) -> str:
    chosen = [(k, v) for k, v in request.query_params.multi_items() if v and k not in ("lang", "page", "size")]
    return ", ".join(f"{k}={v}" for k, v in chosen)


def _cited(header: Sequence[str], rows: Sequence[Sequence[Any]]) -> list[str]:
    """Source ids in the rows' source columns, in order of first mention."""
    columns = [i for i, c in enumerate(header) if c.endswith("source_ids")]
    found: dict[str, None] = {}
    for row in rows:
        for i in columns:
            value = row[i] if i < len(row) else None
            items = value.split(";") if isinstance(value, str) else (value or [])
            found.update(dict.fromkeys(s.strip() for s in items if s and s.strip()))
    return list(found)


def _sources(request: Request, ids: list[str]) -> list[dict[str, Any]]:
    """The cited sources' titles, publishers, dates and addresses (sources are public records)."""
    engine = getattr(request.app.state, "engine", None)
    if engine is None or not ids:
        return [{"id": i} for i in ids]
    from fusionatlas.analysis.industry import read_sources

    with engine.connect() as connection:
        known = read_sources(connection, set(ids))
    return [known.get(i) or {"id": i} for i in ids]


def _data_version(request: Request) -> str:
    engine = getattr(request.app.state, "engine", None)
    if engine is None:
        return ""
    from fusionatlas.store.version import data_version

    with engine.connect() as connection:
        return data_version(connection)


def records_response(
    fmt: str,
    name: str,
    columns: Sequence[str],
    records: Iterable[dict[str, Any]],
    sheet: str | None = None,
    *,
    request: Request,
    what: str,
) -> Response:
    """Dictionaries as a table with the given columns."""
    rows = ([record.get(c) for c in columns] for record in records)
    return table_response(fmt, name, columns, rows, sheet, request=request, what=what)


def svg_response(svg: str, name: str) -> Response:
    return Response(
        '<?xml version="1.0" encoding="UTF-8"?>\n' + svg, media_type="image/svg+xml", headers=_attachment(f"{name}.svg")
    )
