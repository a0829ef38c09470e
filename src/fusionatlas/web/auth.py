"""Who is making a request: a session cookie (pages) or `Authorization: Bearer <token>` (the API).

`viewer(request)` in web/viewer.py asks `identify` once per request and keeps the answer in
`request.state`. Cookie settings come from the environment so that a deployment behind https marks
the session cookie Secure (docs/deploy.md).
"""

from __future__ import annotations

import os
from datetime import timedelta

from fastapi import HTTPException, Request
from fastapi.responses import Response
from sqlalchemy import Engine

from fusionatlas.domain.audience import PUBLIC, Audience
from fusionatlas.store import accounts
from fusionatlas.store.accounts import User
from fusionatlas.web.render import TEMPLATES

SESSION_COOKIE = "fa_session"
SECURE_ENV = "FUSIONATLAS_SECURE_COOKIES"  # "1"/"true": always Secure; "0"/"false": never; unset: when https
LOGIN_WINDOW = timedelta(minutes=15)
LOGIN_ATTEMPTS = 5


def viewer_of(user: User) -> Audience:
    return Audience.of_user(user.id, user.role, user.org_id)


def _bearer(request: Request) -> str | None:
    header = request.headers.get("authorization", "")
    scheme, _, token = header.partition(" ")
    return token.strip() if scheme.lower() == "bearer" and token.strip() else None


def identify(request: Request) -> Audience:
    """The viewer of a request; a Bearer token that is unknown or revoked is refused (401), not ignored."""
    engine: Engine | None = getattr(request.app.state, "engine", None)
    bearer = _bearer(request)
    cookie = request.cookies.get(SESSION_COOKIE)
    if engine is None or (bearer is None and not cookie):
        return PUBLIC
    with engine.begin() as connection:
        user = accounts.token_user(connection, bearer) if bearer else accounts.session_user(connection, cookie or "")
    if user is None:
        if bearer:
            raise HTTPException(401, "invalid or revoked API token", headers={"WWW-Authenticate": "Bearer"})
        return PUBLIC
    request.state.user = user
    return viewer_of(user)


def current_user(request: Request) -> User | None:
    """The logged-in user, resolving the viewer first if no page has done so yet."""
    from fusionatlas.web.viewer import viewer

    try:
        viewer(request)
    except HTTPException:
        return None
    return getattr(request.state, "user", None)


def secure_cookies(request: Request) -> bool:
    setting = os.environ.get(SECURE_ENV, "").strip().lower()
    if setting in ("1", "true", "yes"):
        return True
    if setting in ("0", "false", "no"):
        return False
    return request.url.scheme == "https"


def set_session_cookie(request: Request, response: Response, token: str) -> None:
    response.set_cookie(
        SESSION_COOKIE,
        token,
        max_age=int(accounts.SESSION_LIFETIME.total_seconds()),
        httponly=True,
        samesite="lax",
        secure=secure_cookies(request),
        path="/",
    )


def clear_session_cookie(request: Request, response: Response) -> None:
    response.delete_cookie(SESSION_COOKIE, path="/", httponly=True, samesite="lax", secure=secure_cookies(request))


def client_address(request: Request) -> str:
    """The client's address as uvicorn reports it (behind a proxy, run uvicorn with --proxy-headers)."""
    return request.client.host if request.client else "unknown"


# Templates show who is logged in (base.html) without every page passing it along.
TEMPLATES.env.globals["current_user"] = current_user
