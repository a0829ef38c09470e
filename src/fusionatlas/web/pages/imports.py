"""Editors import a table from a file (CSV, XLSX or JSON) through the web: the CLI's import, all or
nothing, with every problem listed by file, line and field, and one audit row per import.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import Any

from fastapi import APIRouter, Depends, HTTPException, Request
from fastapi.responses import HTMLResponse, Response
from sqlalchemy import Engine

from fusionatlas.dataset.imports import import_file
from fusionatlas.dataset.problems import BadInput, ValidationFailed
from fusionatlas.domain import TABLES
from fusionatlas.domain.messages import in_language
from fusionatlas.domain.values import control_character
from fusionatlas.store import accounts
from fusionatlas.web.i18n import language, translator
from fusionatlas.web.pages.accounts import Editor
from fusionatlas.web.render import render

SUFFIXES = (".csv", ".xlsx", ".json")
SHOWN_PROBLEMS = 100


def max_upload_bytes() -> int:
    """The largest file accepted (FUSIONATLAS_MAX_UPLOAD_MB, default 50 MB); larger ones are refused with 413."""
    return int(float(os.environ.get("FUSIONATLAS_MAX_UPLOAD_MB", "50")) * 2**20)


def declared_size_within_limit(request: Request) -> None:
    """Refuse (413) an upload whose declared size is over the limit before anything reads it."""
    declared = int(request.headers.get("content-length") or 0)
    if declared > max_upload_bytes() + 64 * 1024:  # the form's own fields take a little room
        raise HTTPException(413, translator(language(request))("The file is larger than the limit."))


def router(engine: Engine) -> APIRouter:
    routes = APIRouter()
    tables = [spec.name for spec in TABLES]

    def page(request: Request, status: int = 200, **context: Any) -> HTMLResponse:
        limit = max_upload_bytes() // 2**20
        return render(request, "imports.html", {"tables": tables, "limit_mb": limit, **context}, status=status)

    @routes.get("/admin/import", response_class=HTMLResponse)
    def import_form(request: Request, editor: Editor) -> Response:
        return page(request)

    # The declared size is checked first, then require_user (in Editor) reads the form and checks its CSRF token.
    @routes.post("/admin/import", response_class=HTMLResponse, dependencies=[Depends(declared_size_within_limit)])
    async def import_upload(request: Request, editor: Editor) -> Response:
        _ = translator(language(request))
        form = await request.form(max_files=1, max_fields=10)
        table, upload = str(form.get("table") or ""), form.get("file")
        if table not in tables or upload is None or isinstance(upload, str) or not upload.filename:
            return page(request, 422, error=_("Choose a table and a file."))
        name = Path(upload.filename).name
        if control_character(name):  # a NUL would fail to open the file: a 422, as for any field
            return page(request, 422, error=_("Choose a table and a file."), table=table)
        if Path(name).suffix.lower() not in SUFFIXES:
            return page(request, 422, error=_("The file must be .csv, .xlsx or .json."), table=table)
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / name
            size = 0
            with path.open("wb") as target:
                while chunk := await upload.read(1 << 20):
                    size += len(chunk)
                    if size > max_upload_bytes():
                        return page(request, 413, error=_("The file is larger than the limit."), table=table)
                    target.write(chunk)
            try:
                report = import_file(engine, path, table)
            except ValidationFailed as failure:
                problems = [in_language(str(p), language(request)) for p in failure.problems[:SHOWN_PROBLEMS]]
                return page(
                    request,
                    422,
                    table=table,
                    total=failure.total,
                    problems=problems,
                    error=_("Nothing was imported: the file has problems."),
                )
            except BadInput as error:
                message = in_language(str(error), language(request))
                return page(request, 422, table=table, error=f"{_('Nothing was imported')}: {message}")
        with engine.begin() as connection:
            accounts.audit(
                connection,
                editor.id,
                "import",
                table,
                name,
                None,
                {"file": name, "bytes": size, "records": report.count},
            )
        return page(request, table=table, imported=report.count, file=name, warnings=report.warnings)

    return routes
