"""Rendering server-side pages in the visitor's language, and a CSRF token for every form."""

from __future__ import annotations

import secrets
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from fastapi import HTTPException, Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates

from fusionatlas.domain.values import web_url
from fusionatlas.web.i18n import NAMES, language, translator
from fusionatlas.web.navigation import NAV

TEMPLATES = Jinja2Templates(directory=Path(__file__).parent / "templates")
CSRF_COOKIE = "csrftoken"


def safe_href(url: object) -> str | None:
    """The `|safe_href` filter: a link from data only if it is an http(s) address, else None.

    Imports already refuse other schemes; this keeps a `javascript:` or `data:` URL that reached the store some
    other way from ever becoming clickable. Every template that links to a record's URL goes through it."""
    return web_url(url) if isinstance(url, str) else None


TEMPLATES.env.filters["safe_href"] = safe_href


def csrf_token(request: Request) -> str:
    """The visitor's token (double-submit cookie): reused if present, else a new random one."""
    return request.cookies.get(CSRF_COOKIE) or secrets.token_urlsafe(24)


def check_csrf(request: Request, submitted: str | None) -> None:
    """A form's token must equal the visitor's cookie: another site's page cannot read either."""
    cookie = request.cookies.get(CSRF_COOKIE)
    if not cookie or not submitted or not secrets.compare_digest(cookie, submitted):
        raise HTTPException(403, "the form expired or came from another site: reload the page and try again")


def render(request: Request, template: str, context: dict[str, Any], status: int = 200) -> HTMLResponse:
    lang = language(request)
    token = csrf_token(request)
    other = "en" if lang == "ja" else "ja"
    switch = request.url.path + "?" + urlencode({**dict(request.query_params), "lang": other})
    response = TEMPLATES.TemplateResponse(
        request,
        template,
        {"lang": lang, "_": translator(lang), "csrf": token, "switch_url": switch, "NAV": NAV, **NAMES, **context},
        status_code=status,
    )
    response.set_cookie("lang", lang, samesite="lax", max_age=365 * 24 * 3600)
    response.set_cookie(CSRF_COOKIE, token, samesite="strict", httponly=True)
    return response
