"""Accounts pages: log in and out, my account and API tokens, user administration, the audit log,
members' submissions and their review, and editors' edits of organizations. Every change is audit-logged.
"""

from __future__ import annotations

import json
import re
import secrets
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Form, HTTPException, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import BaseModel, Field
from sqlalchemy import Engine, select

from fusionatlas.dataset.edits import current_record, validate_record, write_edit
from fusionatlas.dataset.problems import BadInput
from fusionatlas.domain.records import Visibility
from fusionatlas.store import accounts
from fusionatlas.store.accounts import AccountError, User
from fusionatlas.store.schema import TABLES_BY_NAME
from fusionatlas.web import auth
from fusionatlas.web.i18n import language, translator
from fusionatlas.web.render import check_csrf, render
from fusionatlas.web.viewer import viewer

PAGE_SIZE = 50
ORG_KINDS = ("company", "startup", "national_lab", "university", "agency", "association", "consortium", "international")
ORG_FIELDS = ("name_en", "name_ja", "kind", "country", "city", "website", "founded", "description_en", "description_ja")
VISIBILITIES = [v.value for v in Visibility]
EDITORS = ("admin", "editor")
LOCAL_PATH = re.compile(r"/[A-Za-z0-9/_.:?=&%~+-]*")
Page = Annotated[int, Query(ge=1, le=100_000, description="Page number, from 1")]
Size = Annotated[int, Query(ge=1, le=200, description="Rows per page")]


def _t(request: Request, text: str) -> str:
    """A message in the visitor's language (every such text has its Japanese in accounts.po)."""
    return translator(language(request))(text)


def _login_redirect(request: Request) -> RedirectResponse:
    return RedirectResponse("/login?" + urlencode({"next": request.url.path}), status_code=303)


def user_or_redirect(request: Request, *roles: str) -> User | RedirectResponse:
    """The logged-in user with one of `roles`; anonymous visitors go to the login page; others get 403."""
    user = auth.current_user(request)
    if user is None:
        return _login_redirect(request)
    if roles and user.role not in roles:
        raise HTTPException(403, _t(request, "Your account may not open this page."))
    return user


def _safe_next(target: str | None) -> str:
    """Only paths on this site: never another site (an open redirect), never a protocol-relative URL."""
    # Browsers drop tabs and newlines inside URLs ("/\t/evil" becomes "//evil"), so allow plain characters only.
    if target and LOCAL_PATH.fullmatch(target) and not target.startswith("//"):
        return target
    return "/account"


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:40] or "item"


def _blank_to_none(values: dict[str, Any]) -> dict[str, Any]:
    return {k: (v.strip() if isinstance(v, str) else v) or None for k, v in values.items()}


def _pretty(value: dict[str, Any] | None) -> str:
    """A record for the audit page: keys sorted, Japanese kept readable."""
    return json.dumps(value, ensure_ascii=False, indent=1, sort_keys=True) if value else "–"


def _changed(entry: accounts.AuditEntry) -> tuple[str, str]:
    """Before and after as shown on the audit page: for an update, only the fields that changed
    (the whole records stay in the log and in /api/admin/audit)."""
    before, after = entry.before or {}, entry.after or {}
    if before and after:
        keys = [k for k in sorted({*before, *after}) if before.get(k) != after.get(k)]
        before, after = {k: before.get(k) for k in keys}, {k: after.get(k) for k in keys}
    return _pretty(before or None), _pretty(after or None)


def _org_names(engine: Engine) -> dict[str, str]:
    orgs = TABLES_BY_NAME["organizations"]
    with engine.connect() as connection:
        query = select(orgs.c.id, orgs.c.name_en).order_by(orgs.c.name_en, orgs.c.id)
        return {r.id: r.name_en for r in connection.execute(query)}


def router(engine: Engine) -> APIRouter:
    routes = APIRouter()
    _login_routes(routes, engine)
    _account_routes(routes, engine)
    _admin_routes(routes, engine)
    _submission_routes(routes, engine)
    _edit_routes(routes, engine)
    _api_routes(routes, engine)
    return routes


# ---- log in, log out -----------------------------------------------------------------------------


def _login_routes(routes: APIRouter, engine: Engine) -> None:
    @routes.get("/login", response_class=HTMLResponse)
    def login_page(request: Request, next: Annotated[str, Query(max_length=500)] = "/account") -> HTMLResponse:
        return render(request, "accounts_login.html", {"next": _safe_next(next), "error": None, "email": ""})

    @routes.post("/login", response_class=HTMLResponse)
    def login(
        request: Request,
        csrf: Annotated[str, Form()],
        email: Annotated[str, Form(max_length=320)],
        password: Annotated[str, Form(max_length=1000)],
        next: Annotated[str, Form(max_length=500)] = "/account",
    ) -> Response:
        check_csrf(request, csrf)
        context = {"next": _safe_next(next), "email": email}
        with engine.begin() as connection:
            key = accounts.login_key(connection, email, auth.client_address(request))
            if accounts.recent_failures(connection, key, auth.LOGIN_WINDOW) >= auth.LOGIN_ATTEMPTS:
                error = _t(request, "Too many failed attempts. Please wait 15 minutes and try again.")
                return render(request, "accounts_login.html", {**context, "error": error}, status=429)
            user = accounts.authenticate(connection, email, password)
            if user is None:
                accounts.record_failure(connection, key, auth.LOGIN_WINDOW)
                # One message for an unknown email and a wrong password: no one learns who has an account.
                error = _t(request, "Wrong email or password.")
                # 200, as a form with a message (a 4xx would be a console error in every browser).
                return render(request, "accounts_login.html", {**context, "error": error})
            accounts.clear_failures(connection, key)
            token = accounts.start_session(connection, user.id)
        response = RedirectResponse(_safe_next(next), status_code=303)
        auth.set_session_cookie(request, response, token)
        return response

    @routes.post("/logout")
    def logout(request: Request, csrf: Annotated[str, Form()]) -> Response:
        check_csrf(request, csrf)
        token = request.cookies.get(auth.SESSION_COOKIE)
        if token:
            with engine.begin() as connection:
                accounts.end_session(connection, token)
        response = RedirectResponse("/", status_code=303)
        auth.clear_session_cookie(request, response)
        return response


# ---- my account and API tokens -------------------------------------------------------------------


def _account_routes(routes: APIRouter, engine: Engine) -> None:
    def account_page(request: Request, user: User, new_token: str | None = None) -> HTMLResponse:
        with engine.connect() as connection:
            tokens = accounts.list_tokens(connection, user.id)
            mine, _ = accounts.list_submissions(connection, status=None, user_id=user.id, limit=20)
        org = _org_names(engine).get(user.org_id or "")
        context = {"user": user, "org_name": org, "tokens": tokens, "new_token": new_token, "submissions": mine}
        return render(request, "accounts_account.html", context)

    @routes.get("/account", response_class=HTMLResponse)
    def account(request: Request) -> Response:
        user = user_or_redirect(request)
        return user if isinstance(user, RedirectResponse) else account_page(request, user)

    @routes.post("/account/tokens", response_class=HTMLResponse)
    def create_token(
        request: Request, csrf: Annotated[str, Form()], name: Annotated[str, Form(max_length=100)] = ""
    ) -> Response:
        check_csrf(request, csrf)
        user = user_or_redirect(request)
        if isinstance(user, RedirectResponse):
            return user
        with engine.begin() as connection:
            _, token = accounts.create_token(connection, user.id, name)
        # The token is shown this once; only its digest is stored.
        return account_page(request, user, new_token=token)

    @routes.post("/account/tokens/{token_id}/revoke")
    def revoke_token(request: Request, token_id: int, csrf: Annotated[str, Form()]) -> Response:
        check_csrf(request, csrf)
        user = user_or_redirect(request)
        if isinstance(user, RedirectResponse):
            return user
        try:
            with engine.begin() as connection:
                accounts.revoke_token(connection, user.id, token_id)
        except AccountError:
            raise HTTPException(404) from None
        return RedirectResponse("/account", status_code=303)


# ---- administration ------------------------------------------------------------------------------


def _admin_routes(routes: APIRouter, engine: Engine) -> None:
    def users_page(request: Request, error: str | None = None, status: int = 200) -> HTMLResponse:
        with engine.connect() as connection:
            everyone = accounts.list_users(connection)
        context = {"users": everyone, "roles": accounts.ROLES, "orgs": _org_names(engine), "error": error}
        return render(request, "accounts_users.html", context, status=status)

    @routes.get("/admin/users", response_class=HTMLResponse)
    def list_users(request: Request) -> Response:
        user = user_or_redirect(request, "admin")
        return user if isinstance(user, RedirectResponse) else users_page(request)

    @routes.post("/admin/users", response_class=HTMLResponse)
    def add_user(
        request: Request,
        csrf: Annotated[str, Form()],
        email: Annotated[str, Form(max_length=320)],
        role: Annotated[str, Form(max_length=16)],
        password: Annotated[str, Form(max_length=1000)],
        org_id: Annotated[str, Form(max_length=200)] = "",
    ) -> Response:
        check_csrf(request, csrf)
        admin = user_or_redirect(request, "admin")
        if isinstance(admin, RedirectResponse):
            return admin
        try:
            with engine.begin() as connection:
                accounts.create_user(connection, email, password, role, org_id or None, actor=admin.id)
        except AccountError as error:
            return users_page(request, str(error), status=422)
        return RedirectResponse("/admin/users", status_code=303)

    @routes.post("/admin/users/{user_id}", response_class=HTMLResponse)
    def change_user(
        request: Request,
        user_id: int,
        csrf: Annotated[str, Form()],
        role: Annotated[str, Form(max_length=16)],
        org_id: Annotated[str, Form(max_length=200)] = "",
        active: Annotated[bool, Form()] = False,
    ) -> Response:
        check_csrf(request, csrf)
        admin = user_or_redirect(request, "admin")
        if isinstance(admin, RedirectResponse):
            return admin
        if user_id == admin.id and (not active or role != "admin"):
            return users_page(request, _t(request, "You cannot demote or deactivate yourself."), status=422)
        try:
            with engine.begin() as connection:
                if accounts.get_user(connection, user_id) is None:
                    raise HTTPException(404)
                accounts.update_user(connection, user_id, admin.id, role=role, org_id=org_id or None, active=active)
        except AccountError as error:
            return users_page(request, str(error), status=422)
        return RedirectResponse("/admin/users", status_code=303)

    @routes.get("/admin/audit", response_class=HTMLResponse)
    def audit_page(
        request: Request,
        table: Annotated[str, Query(max_length=32)] = "",
        user: Annotated[int | None, Query(ge=1)] = None,
        page: Page = 1,
        size: Size = PAGE_SIZE,
    ) -> Response:
        admin = user_or_redirect(request, "admin")
        if isinstance(admin, RedirectResponse):
            return admin
        with engine.connect() as connection:
            entries, total = accounts.audit_entries(connection, table or None, user, (page - 1) * size, size)
            everyone = accounts.list_users(connection)
        pages = max(1, -(-total // size))
        base = {k: v for k, v in {"table": table, "user": user, "size": size}.items() if v}
        context = {
            "entries": entries,
            "changed": _changed,
            "total": total,
            "page": page,
            "pages": pages,
            "size": size,
            "table": table,
            "user_filter": user,
            "users": everyone,
            "tables": sorted({*TABLES_BY_NAME, "users", "api_tokens", "submissions"}),
            "prev_url": "/admin/audit?" + urlencode({**base, "page": page - 1}) if page > 1 else None,
            "next_url": "/admin/audit?" + urlencode({**base, "page": page + 1}) if page < pages else None,
        }
        return render(request, "accounts_audit.html", context)


# ---- submissions and review ----------------------------------------------------------------------


def _need_record(user: User, form: dict[str, Any]) -> dict[str, Any]:
    values = _blank_to_none(form)
    return {
        "id": f"need:{_slug(values.get('title_en') or '')}-{secrets.token_hex(3)}",
        "buyer_org_id": user.org_id,
        "status": "open",
        "unconfirmed": True,  # an editor adds the sources when approving
        **values,
    }


Short = Annotated[str, Field(max_length=300)]
Long = Annotated[str, Field(max_length=5000)]


class NeedForm(BaseModel):
    """A member's need as the submission form sends it; the validator checks the record it becomes."""

    csrf: str
    title_en: Short
    title_ja: Short = ""
    description_en: Long = ""
    description_ja: Long = ""
    technology_ids: Annotated[str, Field(max_length=2000)] = ""
    min_trl: Annotated[str, Field(max_length=2)] = ""
    countries: Annotated[str, Field(max_length=200)] = ""
    deadline: Annotated[str, Field(max_length=20)] = ""
    visibility: Annotated[str, Field(max_length=16)] = "members"


class CapabilityForm(BaseModel):
    """A member's capability (a seed of their own organization) as the submission form sends it."""

    csrf: str
    technology_id: Annotated[str, Field(max_length=200)]
    description_en: Long = ""
    description_ja: Long = ""
    evidence_en: Long = ""
    evidence_ja: Long = ""
    trl: Annotated[str, Field(max_length=2)] = ""
    visibility: Annotated[str, Field(max_length=16)] = "members"


def _capability_record(user: User, form: dict[str, Any]) -> dict[str, Any]:
    values = _blank_to_none(form)
    org = (user.org_id or "").removeprefix("org:")
    tech = (values.get("technology_id") or "").removeprefix("tech:")
    return {"id": f"cap:{org}.{tech}-{secrets.token_hex(3)}", "org_id": user.org_id, "unconfirmed": True, **values}


def _submission_routes(routes: APIRouter, engine: Engine) -> None:
    def technologies() -> list[tuple[str, str, str]]:
        techs = TABLES_BY_NAME["technologies"]
        with engine.connect() as connection:
            query = select(techs.c.id, techs.c.name_en, techs.c.name_ja).order_by(techs.c.id)
            return [(r.id, r.name_en, r.name_ja) for r in connection.execute(query)]

    def form_page(request: Request, kind: str, **context: Any) -> HTMLResponse:
        status = context.pop("status", 200)
        context.setdefault("error", None)
        context.setdefault("done", None)
        context.setdefault("values", {})
        base = {"kind": kind, "technologies": technologies(), "visibilities": VISIBILITIES}
        return render(request, "accounts_submit.html", {**base, **context}, status=status)

    def accept(request: Request, user: User, kind: str, record: dict[str, Any], form: dict[str, Any]) -> Response:
        table_name = "needs" if kind == "need" else "capabilities"
        try:
            with engine.begin() as connection:
                validate_record(connection, table_name, record)
                number = accounts.submit(connection, user.id, table_name, record)
        except BadInput as error:
            return form_page(request, kind, error=str(error), values=form, status=422)
        return form_page(request, kind, done=number)

    @routes.get("/submit/{kind}", response_class=HTMLResponse)
    def submit_page(request: Request, kind: str) -> Response:
        if kind not in ("need", "capability"):
            raise HTTPException(404)
        user = user_or_redirect(request)
        if isinstance(user, RedirectResponse):
            return user
        return form_page(request, kind)

    @routes.post("/submit/need", response_class=HTMLResponse)
    def submit_need(request: Request, sent: Annotated[NeedForm, Form()]) -> Response:
        check_csrf(request, sent.csrf)
        user = user_or_redirect(request)
        if isinstance(user, RedirectResponse):
            return user
        form = sent.model_dump(exclude={"csrf"})
        return accept(request, user, "need", _need_record(user, form), form)

    @routes.post("/submit/capability", response_class=HTMLResponse)
    def submit_capability(request: Request, sent: Annotated[CapabilityForm, Form()]) -> Response:
        check_csrf(request, sent.csrf)
        user = user_or_redirect(request)
        if isinstance(user, RedirectResponse):
            return user
        form = sent.model_dump(exclude={"csrf"})
        if not user.org_id:
            error = _t(request, "Only users of an organization can submit its capabilities.")
            return form_page(request, "capability", error=error, values=form, status=403)
        return accept(request, user, "capability", _capability_record(user, form), form)

    def review_page(request: Request, page: int, size: int, error: str | None = None, status: int = 200) -> Response:
        with engine.connect() as connection:
            pending, total = accounts.list_submissions(connection, "pending", offset=(page - 1) * size, limit=size)
        pages = max(1, -(-total // size))
        context = {
            "pending": pending,
            "total": total,
            "page": page,
            "pages": pages,
            "error": error,
            "prev_url": f"/review?page={page - 1}&size={size}" if page > 1 else None,
            "next_url": f"/review?page={page + 1}&size={size}" if page < pages else None,
        }
        return render(request, "accounts_review.html", context, status=status)

    @routes.get("/review", response_class=HTMLResponse)
    def review(request: Request, page: Page = 1, size: Size = PAGE_SIZE) -> Response:
        user = user_or_redirect(request, *EDITORS)
        return user if isinstance(user, RedirectResponse) else review_page(request, page, size)

    @routes.post("/review/{submission_id}", response_class=HTMLResponse)
    def decide(
        request: Request,
        submission_id: int,
        csrf: Annotated[str, Form()],
        decision: Annotated[str, Form(pattern="^(approve|reject)$")],
        note: Annotated[str, Form(max_length=2000)] = "",
    ) -> Response:
        check_csrf(request, csrf)
        editor = user_or_redirect(request, *EDITORS)
        if isinstance(editor, RedirectResponse):
            return editor
        try:
            # The record, the submission's new status and both audit rows commit together or not at all.
            with engine.begin() as connection:
                submission = accounts.get_submission(connection, submission_id)
                if submission is None:
                    raise HTTPException(404)
                if decision == "approve":
                    write_edit(connection, submission.table_name, submission.record, editor.id)
                accounts.close_submission(connection, submission_id, editor.id, decision == "approve", note or None)
        except (BadInput, AccountError) as error:
            return review_page(request, 1, PAGE_SIZE, error=str(error), status=422)
        return RedirectResponse("/review", status_code=303)


# ---- editors' edits ------------------------------------------------------------------------------


def _edit_routes(routes: APIRouter, engine: Engine) -> None:
    def edit_page(request: Request, record: dict[str, Any], error: str | None = None, **extra: Any) -> HTMLResponse:
        status = extra.pop("status", 200)
        context = {"record": record, "fields": ORG_FIELDS, "kinds": ORG_KINDS, "visibilities": VISIBILITIES}
        return render(request, "accounts_edit.html", {**context, "error": error, **extra}, status=status)

    @routes.get("/edit/organizations/{org_id}", response_class=HTMLResponse)
    def edit_organization(request: Request, org_id: str, saved: bool = False) -> Response:
        editor = user_or_redirect(request, *EDITORS)
        if isinstance(editor, RedirectResponse):
            return editor
        with engine.connect() as connection:
            record = current_record(connection, "organizations", org_id)
        if record is None:
            raise HTTPException(404)
        return edit_page(request, record, saved=saved)

    @routes.post("/edit/organizations/{org_id}", response_class=HTMLResponse)
    async def save_organization(request: Request, org_id: str) -> Response:
        form = await request.form()
        check_csrf(request, str(form.get("csrf") or ""))
        editor = user_or_redirect(request, *EDITORS)
        if isinstance(editor, RedirectResponse):
            return editor
        changes = {name: str(form.get(name) or "")[:5000] for name in (*ORG_FIELDS, "visibility")}
        with engine.connect() as connection:
            record = current_record(connection, "organizations", org_id)
        if record is None:
            raise HTTPException(404)
        values = {**record, **_blank_to_none(changes)}
        try:
            with engine.begin() as connection:
                write_edit(connection, "organizations", values, editor.id)
        except BadInput as error:
            return edit_page(request, values, str(error), status=422)
        return RedirectResponse(f"/edit/organizations/{org_id}?saved=1", status_code=303)


# ---- JSON API ------------------------------------------------------------------------------------


def _api_routes(routes: APIRouter, engine: Engine) -> None:
    def api_user(request: Request, *roles: str) -> User:
        viewer(request)  # a Bearer token that is wrong or revoked answers 401 here
        user: User | None = getattr(request.state, "user", None)
        if user is None:
            raise HTTPException(401, "log in or send Authorization: Bearer <token>")
        if roles and user.role not in roles:
            raise HTTPException(403, "your account may not do this")
        return user

    @routes.get("/api/me")
    def me(request: Request) -> dict[str, Any]:
        user = api_user(request)
        return {"id": user.id, "email": user.email, "role": user.role, "org_id": user.org_id}

    @routes.get("/api/admin/audit")
    def api_audit(
        request: Request,
        table: Annotated[str, Query(max_length=32)] = "",
        user: Annotated[int | None, Query(ge=1)] = None,
        page: Page = 1,
        size: Size = PAGE_SIZE,
    ) -> dict[str, Any]:
        api_user(request, "admin")
        with engine.connect() as connection:
            entries, total = accounts.audit_entries(connection, table or None, user, (page - 1) * size, size)
        rows = [{**e.__dict__, "at": e.at.isoformat()} for e in entries]
        return {"page": page, "size": size, "total": total, "results": rows}

    @routes.get("/api/submissions")
    def api_submissions(
        request: Request,
        status: Annotated[str, Query(pattern="^(pending|approved|rejected|all)$")] = "pending",
        page: Page = 1,
        size: Size = PAGE_SIZE,
    ) -> dict[str, Any]:
        api_user(request, *EDITORS)
        with engine.connect() as connection:
            found, total = accounts.list_submissions(
                connection, None if status == "all" else status, offset=(page - 1) * size, limit=size
            )
        rows = [
            {
                **s.__dict__,
                "created": s.created.isoformat(),
                "reviewed_at": s.reviewed_at.isoformat() if s.reviewed_at else None,
            }
            for s in found
        ]
        return {"page": page, "size": size, "total": total, "results": rows}
