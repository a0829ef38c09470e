"""Who is making a request, and what protects every request: sessions, API tokens, CSRF, proxies, headers.

- Pages use a session cookie; `Authorization: Bearer <token>` is for the API. A token is accepted on
  /api/ paths and on reading requests (GET, HEAD) elsewhere, never on a form or any other request that
  changes state outside /api/; its scopes are `read` (reading requests only) and `submit` (also the
  API's writes); it never acts as an admin.
- `require_user(*roles)` is the one dependency of every route that needs a user: it checks the CSRF
  token of unsafe requests, resolves the user, and answers a login redirect (pages), 401 (API) or 403.
- CSRF tokens are `nonce.mac` with mac = HMAC(site secret, nonce and the session's digest): bound to the
  session, so a token from another session (or an injected cookie) is refused. Before login the token is
  bound to its cookie nonce alone. Forms send it as the `csrf` field, API calls made with a session
  cookie as the `X-CSRF-Token` header; it must also equal the `csrftoken` cookie.
- X-Forwarded-For / X-Forwarded-Proto are believed only from the proxies in FUSIONATLAS_TRUSTED_PROXIES.
- Every response carries a Content-Security-Policy without inline script, and the other security headers.
- "Database is locked" (another writer held SQLite too long) answers 503 with Retry-After, never 500.

`viewer(request)` in web/viewer.py asks `identify` once per request and keeps the answer in
`request.state`. Cookie settings come from the environment (docs/deploy.md).
"""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
import os
import secrets
from collections.abc import Awaitable, Callable, MutableMapping
from datetime import timedelta
from functools import lru_cache
from typing import Any
from urllib.parse import urlencode

from fastapi import FastAPI, HTTPException, Request
from fastapi.responses import JSONResponse, RedirectResponse, Response
from sqlalchemy import Engine
from sqlalchemy.exc import OperationalError
from starlette.concurrency import run_in_threadpool

from fusionatlas.domain.audience import PUBLIC, Audience
from fusionatlas.store import accounts
from fusionatlas.store.accounts import User
from fusionatlas.store.engine import is_busy
from fusionatlas.web.i18n import language, translator
from fusionatlas.web.render import TEMPLATES

SESSION_COOKIE = "fa_session"
CSRF_COOKIE = "csrftoken"
CSRF_FIELD = "csrf"
CSRF_HEADER = "x-csrf-token"
SECURE_ENV = "FUSIONATLAS_SECURE_COOKIES"  # "1"/"true": always Secure; "0"/"false": never; unset: when https
PROXIES_ENV = "FUSIONATLAS_TRUSTED_PROXIES"  # comma-separated addresses or networks; default: none
LOGIN_WINDOW = timedelta(minutes=15)
LOGIN_ATTEMPTS = 5  # per account (email) and window
ADDRESS_ATTEMPTS = 15  # per client address and window, whatever the emails
RETRY_AFTER = 5  # seconds, when the database is busy
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
    "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
)
SECURITY_HEADERS = [
    (b"content-security-policy", CSP.encode()),
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"DENY"),
    (b"referrer-policy", b"same-origin"),
]


def viewer_of(user: User) -> Audience:
    return Audience.of_user(user.id, user.role, user.org_id)


def _engine(request: Request) -> Engine | None:
    return getattr(request.app.state, "engine", None)


def _bearer(request: Request) -> str | None:
    header = request.headers.get("authorization", "")
    scheme, _, token = header.partition(" ")
    return token.strip() if scheme.lower() == "bearer" and token.strip() else None


def is_api(request: Request) -> bool:
    return request.url.path.startswith("/api/")


def tokens_accepted(request: Request) -> bool:
    """API tokens work on the API, and for reading elsewhere; never for a form or another change of state."""
    return is_api(request) or request.method in SAFE_METHODS


def identify(request: Request) -> Audience:
    """The viewer of a request; a Bearer token that is unknown, revoked or expired is refused (401), not ignored.

    Reads only: the one write, a token's last use, happens at most every 5 minutes in its own transaction.
    """
    engine = _engine(request)
    bearer = _bearer(request) if tokens_accepted(request) else None
    cookie = request.cookies.get(SESSION_COOKIE)
    if engine is None or (bearer is None and not cookie):
        return PUBLIC
    grant: tuple[User, accounts.ApiToken] | None = None
    with engine.connect() as connection:
        if bearer:
            grant = accounts.token_grant(connection, bearer)
            user = grant[0] if grant else None
        else:
            user = accounts.session_user(connection, cookie or "")
    if bearer:
        if grant is None:
            raise HTTPException(401, "invalid, expired or revoked API token", headers={"WWW-Authenticate": "Bearer"})
        token = grant[1]
        if request.method not in SAFE_METHODS and "submit" not in token.scopes:
            raise HTTPException(403, "this API token may only read (its scope is 'read')")
        request.state.token = token
        accounts.touch_token(engine, token)
    if user is None:
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


# ---- CSRF ----------------------------------------------------------------------------------------


def site_secret(request: Request) -> bytes:
    engine = _engine(request)
    if engine is None:
        raise RuntimeError("the app has no database engine")
    with engine.connect() as connection:
        return accounts.site_secret(connection)


def _csrf_mac(secret: bytes, nonce: str, session: str | None) -> str:
    binding = f"session|{accounts.digest(secret, session)}" if session else "anonymous"
    return hmac.new(secret, f"csrf|{nonce}|{binding}".encode(), hashlib.sha256).hexdigest()


def _csrf_valid(request: Request, token: str, session: str | None) -> bool:
    nonce, _, mac = token.partition(".")
    if not nonce or not mac:
        return False
    return hmac.compare_digest(mac, _csrf_mac(site_secret(request), nonce, session))


def new_csrf_token(request: Request, session: str | None) -> str:
    nonce = secrets.token_urlsafe(18)
    return f"{nonce}.{_csrf_mac(site_secret(request), nonce, session)}"


def csrf_token(request: Request) -> str:
    """The token for this visitor's forms: their cookie's if it is bound to their current session, else a new one."""
    session = request.cookies.get(SESSION_COOKIE)
    current = request.cookies.get(CSRF_COOKIE)
    if current and _csrf_valid(request, current, session):
        return current
    made: str | None = getattr(request.state, "new_csrf", None)
    if made is None:
        made = request.state.new_csrf = new_csrf_token(request, session)
    return made


def check_csrf(request: Request, submitted: str | None) -> None:
    """A form's token must equal the visitor's cookie and be bound to their session (or, before login, its nonce)."""
    cookie = request.cookies.get(CSRF_COOKIE)
    if (
        not cookie
        or not submitted
        or not secrets.compare_digest(cookie.encode(), submitted.encode())
        or not _csrf_valid(request, submitted, request.cookies.get(SESSION_COOKIE))
    ):
        raise HTTPException(403, "the form expired or came from another site: reload the page and try again")


def set_csrf_cookie(request: Request, response: Response, token: str) -> None:
    response.set_cookie(CSRF_COOKIE, token, samesite="strict", httponly=True, secure=secure_cookies(request), path="/")


# ---- one dependency for routes that need a user --------------------------------------------------


# Paths that only take a form's POST, and the page holding the form: a login bounce (and a `next`) goes there,
# never to the POST-only path itself, whose GET would answer 405 or misread it as an id.
FORM_PAGES = {"/gaps/portfolio": "/gaps", "/scenarios/run": "/scenarios", "/scenarios/save": "/scenarios"}


def form_page(path: str) -> str:
    """Where to go back to after login: a POST-only path's form page (its query kept), else the path itself."""
    bare, _sep, query = path.partition("?")
    if bare in FORM_PAGES:
        return FORM_PAGES[bare] + ("?" + query if query else "")
    return path


def login_href(request: Request) -> str:
    """A login link that comes back to this page (the page holding a form for members), in its language."""
    here = request.url.path + ("?" + request.url.query if request.url.query else "")
    return "/login?" + urlencode({"next": form_page(here), "lang": language(request)})


class LoginRequired(Exception):
    """A page needs a logged-in user: answered with a redirect to the login page."""

    def __init__(self, path: str) -> None:
        super().__init__(path)
        self.path = path


def _t(request: Request, text: str) -> str:
    return translator(language(request))(text)


def require_user(*roles: str) -> Callable[[Request], Awaitable[User]]:
    """A FastAPI dependency: the logged-in user, with one of `roles` if any are given.

    Unsafe requests (POST and the like) must carry the CSRF token first: the `csrf` form field, or on
    the API the `X-CSRF-Token` header (an API call made with a Bearer token needs none: browsers never
    send one by themselves). Pages send anonymous visitors to the login page; the API answers 401.
    Through an API token, an admin acts as an editor: tokens never carry admin rights.
    """

    async def dependency(request: Request) -> User:
        api = is_api(request)
        bearer = api and _bearer(request) is not None
        # On the API only a session cookie (sent by browsers unasked) needs the token; without one it is a 401.
        ambient = not api or request.cookies.get(SESSION_COOKIE) is not None
        if request.method not in SAFE_METHODS and not bearer and ambient:
            if api:
                submitted = request.headers.get(CSRF_HEADER)
            else:
                form = await request.form(max_files=1, max_fields=200)
                value = form.get(CSRF_FIELD)
                submitted = value if isinstance(value, str) else None
            await run_in_threadpool(check_csrf, request, submitted)
        user = await run_in_threadpool(current_user_or_raise, request)
        role = "editor" if user.role == "admin" and getattr(request.state, "token", None) else user.role
        if roles and role not in roles:
            detail = "your account may not do this" if api else _t(request, "Your account may not open this page.")
            raise HTTPException(403, detail)
        return user

    return dependency


def current_user_or_raise(request: Request) -> User:
    from fusionatlas.web.viewer import viewer

    viewer(request)  # a Bearer token that is wrong, expired or revoked answers 401 here
    user: User | None = getattr(request.state, "user", None)
    if user is None:
        if is_api(request):
            raise HTTPException(401, "log in or send Authorization: Bearer <token>")
        raise LoginRequired(request.url.path)
    return user


# ---- cookies and addresses -----------------------------------------------------------------------


def secure_cookies(request: Request) -> bool:
    setting = os.environ.get(SECURE_ENV, "").strip().lower()
    if setting in ("1", "true", "yes"):
        return True
    if setting in ("0", "false", "no"):
        return False
    return request.url.scheme == "https"


def set_session_cookie(request: Request, response: Response, token: str) -> None:
    """The new session's cookie, and a CSRF token bound to it (the one from before login no longer works)."""
    response.set_cookie(
        SESSION_COOKIE,
        token,
        max_age=int(accounts.SESSION_LIFETIME.total_seconds()),
        httponly=True,
        samesite="lax",
        secure=secure_cookies(request),
        path="/",
    )
    set_csrf_cookie(request, response, new_csrf_token(request, token))


def clear_session_cookie(request: Request, response: Response) -> None:
    secure = secure_cookies(request)
    response.delete_cookie(SESSION_COOKIE, path="/", httponly=True, samesite="lax", secure=secure)
    response.delete_cookie(CSRF_COOKIE, path="/", httponly=True, samesite="strict", secure=secure)


def client_address(request: Request) -> str:
    """The client's address: the direct peer, or what a trusted proxy forwarded (TrustedProxies)."""
    return request.client.host if request.client else "unknown"


Network = ipaddress.IPv4Network | ipaddress.IPv6Network


@lru_cache(maxsize=8)
def _networks(setting: str) -> tuple[Network, ...]:
    found = []
    for part in setting.split(","):
        if part.strip():
            try:
                found.append(ipaddress.ip_network(part.strip(), strict=False))
            except ValueError:
                raise ValueError(f"{PROXIES_ENV}: {part.strip()!r} is not an IP address or network") from None
    return tuple(found)


def trusted_proxies() -> tuple[Network, ...]:
    return _networks(os.environ.get(PROXIES_ENV, ""))


def _trusted(host: str | None, networks: tuple[Network, ...]) -> bool:
    try:
        address = ipaddress.ip_address((host or "").strip())
    except ValueError:
        return False
    return any(address in network for network in networks)


Scope = MutableMapping[str, Any]
ASGIApp = Callable[[Scope, Callable[[], Awaitable[Any]], Callable[[Any], Awaitable[None]]], Awaitable[None]]


class TrustedProxies:
    """Believe X-Forwarded-For and X-Forwarded-Proto only when the direct peer is a configured proxy.

    The client is the rightmost forwarded address that is not itself a trusted proxy (what the last
    trusted proxy saw); addresses further left were written by the client and prove nothing.
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Any, send: Any) -> None:
        networks = trusted_proxies()
        client = scope.get("client")
        if scope["type"] in ("http", "websocket") and networks and client and _trusted(client[0], networks):
            headers = {k.lower(): v.decode("latin-1") for k, v in scope.get("headers", [])}
            chain = [h.strip() for h in headers.get(b"x-forwarded-for", "").split(",") if h.strip()]
            for host in reversed(chain):
                if not _trusted(host, networks):
                    scope["client"] = (host, 0)
                    break
            proto = headers.get(b"x-forwarded-proto", "").split(",")[-1].strip().lower()
            if proto in ("http", "https"):
                scope["scheme"] = proto if scope["type"] == "http" else {"http": "ws", "https": "wss"}[proto]
        await self.app(scope, receive, send)


class SecurityHeaders:
    """Adds the security headers to every response, the error pages of unexpected failures included."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: dict[str, Any]) -> None:
            if message["type"] == "http.response.start":
                present = {name.lower() for name, _ in message.get("headers", [])}
                extra = [(name, value) for name, value in SECURITY_HEADERS if name not in present]
                message["headers"] = [*message.get("headers", []), *extra]
            await send(message)

        await self.app(scope, receive, send_with_headers)


def install(app: FastAPI) -> None:
    """Proxies, security headers, the login redirect and the 503 for a busy database, on this app."""
    from fusionatlas.web.render import render

    with app.state.engine.begin() as connection:  # the site secret, stored (committed) before any request
        accounts.site_secret(connection)

    @app.exception_handler(LoginRequired)
    def login_required(request: Request, error: LoginRequired) -> Response:
        query = request.url.query if request.method not in SAFE_METHODS else ""
        target = form_page(error.path + ("?" + query if query else ""))
        return RedirectResponse("/login?" + urlencode({"next": target}), status_code=303)

    @app.exception_handler(OperationalError)
    def database_busy(request: Request, error: OperationalError) -> Response:
        """Another writer held the database longer than the busy timeout: 503, try again (never a 500)."""
        if not is_busy(error):
            raise error
        headers = {"Retry-After": str(RETRY_AFTER)}
        message = _t(request, "The database is busy. Please try again in a few seconds.")
        if is_api(request):
            return JSONResponse({"detail": message}, status_code=503, headers=headers)
        response = render(request, "error.html", {"error": message}, status=503)
        response.headers.update(headers)
        return response

    app.add_middleware(TrustedProxies)
    # Outermost, around Starlette's own error middleware, so that even an unexpected 500 carries the headers.
    build = app.build_middleware_stack
    app.build_middleware_stack = lambda: SecurityHeaders(build())  # type: ignore[method-assign]


# Templates show who is logged in (base.html) without every page passing it along.
TEMPLATES.env.globals["current_user"] = current_user
