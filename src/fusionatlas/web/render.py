"""Rendering server-side pages in the visitor's language, and a CSRF token for every form."""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from fastapi import Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates

from fusionatlas.domain.values import web_url
from fusionatlas.web.conventions import FILTERS
from fusionatlas.web.freshness import is_overdue, page_as_of, verified_on
from fusionatlas.web.i18n import NAMES, language, translator
from fusionatlas.web.names import city_name, country_name
from fusionatlas.web.navigation import NAV

TEMPLATES = Jinja2Templates(directory=Path(__file__).parent / "templates")
CSRF_COOKIE = "csrftoken"


def safe_href(url: object) -> str | None:
    """The `|safe_href` filter: a link from data only if it is an http(s) address, else None.

    Imports already refuse other schemes; this keeps a `javascript:` or `data:` URL that reached the store some
    other way from ever becoming clickable. Every template that links to a record's URL goes through it."""
    return web_url(url) if isinstance(url, str) else None


TEMPLATES.env.filters["safe_href"] = safe_href
TEMPLATES.env.globals.update(data_as_of=page_as_of, verified_on=verified_on, is_overdue=is_overdue)
TEMPLATES.env.filters.update(FILTERS)  # Japanese conventions for amounts and dates (web/conventions.py)
# `{{ code | country(lang) }}` and `{{ city | city(lang) }}`: names in the page's language (web/names.py).
TEMPLATES.env.filters.update(country=country_name, city=city_name)


def csrf_token(request: Request) -> str:
    """The visitor's form token, bound to their session (web/auth.py)."""
    from fusionatlas.web import auth  # late: auth builds on this module

    return auth.csrf_token(request)


def check_csrf(request: Request, submitted: str | None) -> None:
    """A form's token must be the visitor's (web/auth.py): another site's page can neither read nor forge it."""
    from fusionatlas.web import auth

    auth.check_csrf(request, submitted)


def render(request: Request, template: str, context: dict[str, Any], status: int = 200) -> HTMLResponse:
    lang = language(request)
    token = csrf_token(request)
    other = "en" if lang == "ja" else "ja"
    switch = request.url.path + "?" + urlencode({**dict(request.query_params), "lang": other})
    response = TEMPLATES.TemplateResponse(
        request,
        template,
        {
            "lang": lang,
            "_": translator(lang),
            "csrf": token,
            "switch_url": switch,
            "NAV": NAV,
            "status_code": status,
            **NAMES,
            **context,
        },
        status_code=status,
    )
    response.set_cookie("lang", lang, samesite="lax", max_age=365 * 24 * 3600)
    if request.cookies.get(CSRF_COOKIE) != token:
        from fusionatlas.web import auth

        auth.set_csrf_cookie(request, response, token)
    return response
