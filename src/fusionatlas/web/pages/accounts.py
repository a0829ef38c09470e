"""Accounts pages: log in and out, my account, password and API tokens, user administration, the audit
log, members' submissions and their review, and editors' edits of organizations. Every change is
audit-logged. Routes that need a user take it from `auth.require_user(*roles)` (CSRF checked there).
"""

from __future__ import annotations

import json
import re
import secrets
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Form, HTTPException, Query, Request
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from pydantic import BaseModel, Field, ValidationError
from sqlalchemy import Engine, select
from starlette.concurrency import run_in_threadpool

from fusionatlas.dataset.edits import current_record, validate_record, write_edit
from fusionatlas.dataset.problems import BadInput, ValidationFailed
from fusionatlas.domain.messages import in_language
from fusionatlas.domain.records import Visibility
from fusionatlas.domain.values import COUNTRIES
from fusionatlas.store import accounts
from fusionatlas.store.accounts import AccountError, RateLimited, User
from fusionatlas.store.schema import TABLES_BY_NAME
from fusionatlas.web import auth
from fusionatlas.web.auth import require_user
from fusionatlas.web.export_labels import COLUMNS
from fusionatlas.web.i18n import language, translator
from fusionatlas.web.names import country_name
from fusionatlas.web.pages.organizations import KINDS
from fusionatlas.web.render import check_csrf, render

PAGE_SIZE = 50
ORG_KINDS = ("company", "startup", "national_lab", "university", "agency", "association", "consortium", "international")
ORG_KIND_NAMES = KINDS  # their labels, in English (translated in the template)
ORG_FIELDS = (
    "name_en",
    "name_ja",
    "kind",
    "country",
    "city",
    "website",
    "contact_url",
    "founded",
    "description_en",
    "description_ja",
)
VISIBILITIES = [v.value for v in Visibility]
EDITORS = ("admin", "editor")
LOCAL_PATH = re.compile(r"/[A-Za-z0-9/_.:?=&%~+-]*")
Page = Annotated[int, Query(ge=1, le=100_000, description="Page number, from 1")]
Size = Annotated[int, Query(ge=1, le=200, description="Rows per page")]
# The user a route needs (pages and API alike): require_user checks the CSRF token of unsafe requests.
AnyUser = Annotated[User, Depends(require_user())]
Editor = Annotated[User, Depends(require_user(*EDITORS))]
Admin = Annotated[User, Depends(require_user("admin"))]


def _t(request: Request, text: str) -> str:
    """A message in the visitor's language (every such text has its Japanese in accounts.po)."""
    return translator(language(request))(text)


def _safe_next(target: str | None) -> str:
    """Only paths on this site: never another site (an open redirect), never a protocol-relative URL."""
    # Browsers drop tabs and newlines inside URLs ("/\t/evil" becomes "//evil"), so allow plain characters only.
    if target and LOCAL_PATH.fullmatch(target) and not target.startswith("//"):
        return auth.form_page(target)  # never a POST-only path: its GET has no page
    return "/account"


# The submission forms' labels of their fields (the same words as the forms show), for the field errors;
# other fields are named by their column label (web/export_labels.py).
FORM_LABELS = {
    "title_en": "Title (English)",
    "title_ja": "Title (Japanese)",
    "description_en": "Description (English)",
    "description_ja": "Description (Japanese)",
    "evidence_en": "Evidence (English)",
    "evidence_ja": "Evidence (Japanese)",
    "technology_id": "Technology",
    "technology_ids": "Technologies",
    "min_trl": "Minimum TRL",
    "countries": "Countries",
    "deadline": "Deadline",
    "visibility": "Who may see it",
    "context": "For",
    "concept": "Concept",
    "date": "Date",
}
REQUIRED = re.compile(r"required, but empty or missing|Field required")


def field_label(field: str, lang: str) -> str:
    """A record field as the forms name it, in the page's language (its code only if no label exists)."""
    label = FORM_LABELS.get(field) or COLUMNS.get(field)
    return translator(lang)(label) if label else field


def form_errors(error: BadInput, lang: str) -> tuple[str, dict[str, str]]:
    """A validation failure as a form shows it: one line per problem naming the field by its label (never the
    table and the field's code), and each field's own message to show beside it."""
    if not isinstance(error, ValidationFailed):
        return in_language(str(error), lang), {}
    _ = translator(lang)
    lines: list[str] = []
    fields: dict[str, str] = {}
    for problem in error.problems:
        if not problem.field:
            text = in_language(problem.message, lang)
        elif REQUIRED.fullmatch(problem.message):
            text = _("%(field)s is required") % {"field": field_label(problem.field, lang)}
        else:
            sep = "：" if lang == "ja" else ": "
            text = field_label(problem.field, lang) + sep + in_language(problem.message, lang)
        lines.append(text)
        if problem.field:
            fields.setdefault(problem.field, text)
    if error.total > len(error.problems):
        lines.append(in_language(f"... and {error.total - len(error.problems)} more problems", lang))
    return "\n".join(lines), fields


# How the review page names a submitted record's fields where the form's label does not fit (ids shown as names).
SHOWN_LABELS = {
    "id": "ID",
    "buyer_org_id": "Buyer",
    "org_id": "Organization",
    "assessor_org_id": "Organization",
    "technology_id": "Technology",
    "technology_ids": "Technologies",
    "unconfirmed": "Unconfirmed",
    "self_assessed": "Self-assessed",
    "value": "TRL",
    "method": "Method",
}
Names = dict[str, tuple[str, str | None]]  # id -> (English name, Japanese name)


def _names(engine: Engine, table_name: str) -> Names:
    """Every record's names of a table (technologies, organizations): pages for editors and the record's own
    author show names instead of ids."""
    found = TABLES_BY_NAME[table_name]
    with engine.connect() as connection:
        rows = connection.execute(select(found.c.id, found.c.name_en, found.c.name_ja))
        return {r.id: (r.name_en, r.name_ja) for r in rows}


def _name(names: Names, key: str, lang: str) -> str:
    if key not in names:
        return key
    english, japanese = names[key]
    return (japanese or english) if lang == "ja" else english


def shown_record(record: dict[str, Any], lang: str, techs: Names, orgs: Names) -> list[tuple[str, str]]:
    """A submitted record as (label, value) rows in the page's language: names for ids, labels for codes."""
    from fusionatlas.web.export_labels import values as coded

    _ = translator(lang)
    join = "、" if lang == "ja" else ", "
    rows = []
    for key, value in record.items():
        if value in (None, "", []):
            continue
        items = value if isinstance(value, list) else [value]
        if isinstance(value, str) and key in ("technology_ids", "countries", "awardee_org_ids"):
            items = [v.strip() for v in value.split(";") if v.strip()]  # as the form sends them
        if isinstance(value, bool):
            text = _("Yes") if value else _("No")
        elif key.endswith(("org_id", "org_ids")):
            text = join.join(_name(orgs, str(v), lang) for v in items)
        elif key in ("technology_id", "technology_ids"):
            text = join.join(_name(techs, str(v), lang) for v in items)
        elif key in ("countries", "country"):
            text = join.join(country_name(str(v), lang) for v in items)
        elif key in ("visibility", "context"):
            text = _(str(value))
        elif key in coded() and str(value) in coded()[key]:
            text = _(coded()[key][str(value)])
        else:
            text = join.join(str(v) for v in items)
        label = SHOWN_LABELS.get(key)
        rows.append((_(label) if label else field_label(key, lang), text))
    return rows


def submission_title(record: dict[str, Any], lang: str, techs: Names) -> str:
    """What a member's own submission is called on their account page, in the page's language."""
    from fusionatlas.web.names import display_name

    title = display_name(record, lang, "title_en", "title_ja")
    if title:
        return title
    tech = _name(techs, str(record.get("technology_id") or ""), lang)
    detail = display_name(record, lang, "description_en", "description_ja")
    return f"{tech}: {detail}" if tech and detail else tech or detail or str(record.get("id", ""))


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
    def login_form(request: Request, context: dict[str, Any], error: str, status: int = 200) -> HTMLResponse:
        return render(request, "accounts_login.html", {**context, "error": error}, status=status)

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
        check_csrf(request, csrf)  # bound to the pre-session nonce: no session yet
        if not accounts.plausible_email(email):  # a NUL byte, say: PostgreSQL could not even look it up
            context = {"next": _safe_next(next), "email": ""}
            return login_form(request, context, _t(request, "Not a valid email address."), status=422)
        context = {"next": _safe_next(next), "email": email}
        with engine.connect() as connection:
            by_address, by_account = accounts.login_keys(connection, email, auth.client_address(request))
        limits = [(by_address, auth.ADDRESS_ATTEMPTS), (by_account, auth.LOGIN_ATTEMPTS)]
        try:
            # Its own short write transaction, committed before the password is checked: concurrent
            # attempts see each other's count, and at most the limit of them go on to argon2.
            with engine.begin() as connection:
                accounts.reserve_attempts(connection, limits, auth.LOGIN_WINDOW)
        except RateLimited:
            error = _t(request, "Too many failed attempts. Please wait 15 minutes and try again.")
            return login_form(request, context, error, status=429)
        with engine.begin() as connection:
            user = accounts.authenticate(connection, email, password)
        if user is None:
            # One message for an unknown email and a wrong password: no one learns who has an account.
            # 200, as a form with a message (a 4xx would be a console error in every browser).
            return login_form(request, context, _t(request, "Wrong email or password."))
        with engine.begin() as connection:
            accounts.clear_attempts(connection, by_account)
            accounts.refund_attempt(connection, by_address)
            accounts.forget_old_attempts(connection, auth.LOGIN_WINDOW)
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
    def account_page(
        request: Request, user: User, new_token: str | None = None, error: str | None = None, status: int = 200
    ) -> HTMLResponse:
        with engine.connect() as connection:
            tokens = accounts.list_tokens(connection, user.id)
            mine, _ = accounts.list_submissions(connection, status=None, user_id=user.id, limit=20)
        techs = _names(engine, "technologies") if mine else {}
        org = _org_names(engine).get(user.org_id or "")
        context = {
            "user": user,
            "org_name": org,
            "tokens": tokens,
            "new_token": new_token,
            "submissions": mine,
            "titles": {s.id: submission_title(s.record, language(request), techs) for s in mine},
            "max_days": accounts.max_token_days(),
            "error": error,
            "password_changed": request.query_params.get("password") == "changed",
        }
        return render(request, "accounts_account.html", context, status=status)

    @routes.get("/account", response_class=HTMLResponse)
    def account(request: Request, user: AnyUser) -> Response:
        return account_page(request, user)

    @routes.post("/account/tokens", response_class=HTMLResponse)
    def create_token(
        request: Request,
        user: AnyUser,
        name: Annotated[str, Form(max_length=100)] = "",
        submit: Annotated[bool, Form()] = False,
        days: Annotated[int | None, Form(ge=1, le=36_500)] = None,
    ) -> Response:
        scopes = ["read", "submit"] if submit else ["read"]
        try:
            with engine.begin() as connection:
                _, token = accounts.create_token(connection, user.id, name, scopes, days)
        except AccountError:
            error = _t(request, "A token lives from 1 day up to the longest allowed.")
            return account_page(request, user, error=error, status=422)
        # The token is shown this once; only its digest is stored.
        return account_page(request, user, new_token=token)

    @routes.post("/account/tokens/{token_id}/revoke")
    def revoke_token(request: Request, token_id: int, user: AnyUser) -> Response:
        try:
            with engine.begin() as connection:
                accounts.revoke_token(connection, user.id, token_id)
        except AccountError:
            raise HTTPException(404) from None
        return RedirectResponse("/account", status_code=303)

    @routes.post("/account/password", response_class=HTMLResponse)
    def change_password(
        request: Request,
        user: AnyUser,
        current: Annotated[str, Form(max_length=1000)],
        new: Annotated[str, Form(max_length=1000)],
    ) -> Response:
        """The user's own password, the current one required; every session ends and this one starts anew."""
        try:
            with engine.begin() as connection:
                accounts.change_password(connection, user, current, new)
                token = accounts.start_session(connection, user.id)
        except AccountError as error:
            if str(error) == accounts.WRONG_PASSWORD:
                message = _t(request, "The current password is wrong.")
            elif str(error) == accounts.SAME_PASSWORD:
                message = _t(request, "The new password is the same as the current one.")
            else:
                message = _t(request, "The new password is too short: at least 10 characters.")
            return account_page(request, user, error=message, status=422)
        response = RedirectResponse("/account?password=changed", status_code=303)
        auth.set_session_cookie(request, response, token)
        return response


# ---- administration ------------------------------------------------------------------------------


def _admin_routes(routes: APIRouter, engine: Engine) -> None:
    def users_page(request: Request, error: str | None = None, status: int = 200) -> HTMLResponse:
        with engine.connect() as connection:
            everyone = accounts.list_users(connection)
        context = {"users": everyone, "roles": accounts.ROLES, "orgs": _org_names(engine), "error": error}
        return render(request, "accounts_users.html", context, status=status)

    @routes.get("/admin/users", response_class=HTMLResponse)
    def list_users(request: Request, admin: Admin) -> Response:
        return users_page(request)

    @routes.post("/admin/users", response_class=HTMLResponse)
    def add_user(
        request: Request,
        admin: Admin,
        email: Annotated[str, Form(max_length=320)],
        role: Annotated[str, Form(max_length=16)],
        password: Annotated[str, Form(max_length=1000)],
        org_id: Annotated[str, Form(max_length=200)] = "",
    ) -> Response:
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
        admin: Admin,
        role: Annotated[str, Form(max_length=16)],
        org_id: Annotated[str, Form(max_length=200)] = "",
        active: Annotated[bool, Form()] = False,
    ) -> Response:
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

    @routes.post("/admin/users/{user_id}/password", response_class=HTMLResponse)
    def reset_password(
        request: Request, user_id: int, admin: Admin, password: Annotated[str, Form(max_length=1000)]
    ) -> Response:
        """An admin sets another user's password (and ends their sessions); audit-logged, never the password."""
        if user_id == admin.id:
            return users_page(request, _t(request, "Change your own password on your account page."), status=422)
        try:
            with engine.begin() as connection:
                if accounts.get_user(connection, user_id) is None:
                    raise HTTPException(404)
                accounts.set_password(connection, user_id, password, actor=admin.id)
        except AccountError as error:
            return users_page(request, str(error), status=422)
        return RedirectResponse("/admin/users", status_code=303)

    @routes.get("/admin/audit", response_class=HTMLResponse)
    def audit_page(
        request: Request,
        admin: Admin,
        table: Annotated[str, Query(max_length=32)] = "",
        user: Annotated[int | None, Query(ge=1)] = None,
        page: Page = 1,
        size: Size = PAGE_SIZE,
    ) -> Response:
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
    """A member's need as the submission form (or the API) sends it; the validator checks the record it becomes."""

    title_en: Short = ""  # required by the record: the validator names it on the form, with what was typed kept
    title_ja: Short = ""
    description_en: Long = ""
    description_ja: Long = ""
    technology_ids: Annotated[str, Field(max_length=2000)] = ""
    min_trl: Annotated[str, Field(max_length=2)] = ""
    countries: Annotated[str, Field(max_length=200)] = ""
    deadline: Annotated[str, Field(max_length=20)] = ""
    visibility: Annotated[str, Field(max_length=16)] = "members"


class CapabilityForm(BaseModel):
    """A member's capability (a seed of their own organization) as the submission form (or the API) sends it."""

    technology_id: Annotated[str, Field(max_length=200)] = ""
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


class ReadinessForm(BaseModel):
    """A member's self-assessment of its own organization's readiness on one technology."""

    technology_id: Annotated[str, Field(max_length=200)]
    value: Annotated[str, Field(max_length=2)]
    context: Annotated[str, Field(max_length=16)] = "demo"
    concept: Short = ""
    date: Annotated[str, Field(max_length=20)] = ""
    description_en: Long = ""
    description_ja: Long = ""
    visibility: Annotated[str, Field(max_length=16)] = "members"


def _readiness_record(user: User, form: dict[str, Any]) -> dict[str, Any]:
    values = _blank_to_none(form)
    org = (user.org_id or "").removeprefix("org:")
    tech = (values.get("technology_id") or "").removeprefix("tech:")
    return {
        "id": f"rdy:self.{org}.{tech}-{secrets.token_hex(3)}",
        "assessor_org_id": user.org_id,
        "self_assessed": True,
        "method": "self-assessment",
        "unconfirmed": True,  # an editor adds the sources when approving
        **values,
    }


SUBMISSION_TABLES = {"need": "needs", "capability": "capabilities", "readiness": "readiness"}
CONTEXTS = ("demo", "power_plant", "iter", "general")


def _store_submission(engine: Engine, user: User, kind: str, record: dict[str, Any]) -> int:
    """Validate a submitted record and store it pending review; BadInput names the field that is wrong."""
    table_name = SUBMISSION_TABLES[kind]
    with engine.begin() as connection:
        validate_record(connection, table_name, record)
        return accounts.submit(connection, user.id, table_name, record)


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
        context.setdefault("field_errors", {})
        lang = language(request)
        countries = sorted(((code, country_name(code, lang)) for code in COUNTRIES), key=lambda c: c[1])
        base = {
            "kind": kind,
            "technologies": technologies(),
            "countries": countries,
            "visibilities": VISIBILITIES,
            "contexts": CONTEXTS,
        }
        return render(request, "accounts_submit.html", {**base, **context}, status=status)

    def accept(request: Request, user: User, kind: str, record: dict[str, Any], form: dict[str, Any]) -> Response:
        try:
            number = _store_submission(engine, user, kind, record)
        except BadInput as error:
            message, fields = form_errors(error, language(request))
            return form_page(request, kind, error=message, field_errors=fields, values=form, status=422)
        return form_page(request, kind, done=number)

    @routes.get("/submit/{kind}", response_class=HTMLResponse)
    def submit_page(
        request: Request, kind: str, user: AnyUser, technology_id: Annotated[str, Query(max_length=200)] = ""
    ) -> Response:
        if kind not in SUBMISSION_TABLES:
            raise HTTPException(404)
        return form_page(request, kind, values={"technology_id": technology_id} if technology_id else {})

    @routes.post("/submit/need", response_class=HTMLResponse)
    async def submit_need(request: Request, user: AnyUser) -> Response:
        """The form's technologies and countries are lists to choose from: each chosen value is sent, and they
        are joined with ';' as the record (and the API) writes them."""
        sent = await request.form()  # read (and its CSRF token checked) by require_user already
        data = {
            name: ";".join(v.strip() for v in sent.getlist(name) if isinstance(v, str) and v.strip())
            for name in NeedForm.model_fields
            if name in sent
        }
        try:
            form = NeedForm(**data).model_dump()
        except ValidationError as error:  # too long a text: said beside its field, what was typed kept
            lang = language(request)
            sep = "：" if lang == "ja" else ": "
            fields = {
                str(e["loc"][0]): field_label(str(e["loc"][0]), lang) + sep + in_language(e["msg"], lang)
                for e in error.errors()
                if e["loc"]
            }
            message = "\n".join(fields.values())
            context = {"error": message, "field_errors": fields, "values": data, "status": 422}
            return await run_in_threadpool(lambda: form_page(request, "need", **context))
        return await run_in_threadpool(accept, request, user, "need", _need_record(user, form), form)

    @routes.post("/submit/capability", response_class=HTMLResponse)
    def submit_capability(request: Request, user: AnyUser, sent: Annotated[CapabilityForm, Form()]) -> Response:
        form = sent.model_dump()
        if not user.org_id:
            error = _t(request, "Only users of an organization can submit its capabilities.")
            return form_page(request, "capability", error=error, values=form, status=403)
        return accept(request, user, "capability", _capability_record(user, form), form)

    @routes.post("/submit/readiness", response_class=HTMLResponse)
    def submit_readiness(request: Request, user: AnyUser, sent: Annotated[ReadinessForm, Form()]) -> Response:
        form = sent.model_dump()
        if not user.org_id:
            error = _t(request, "Only users of an organization can assess its readiness.")
            return form_page(request, "readiness", error=error, values=form, status=403)
        return accept(request, user, "readiness", _readiness_record(user, form), form)

    def review_page(request: Request, page: int, size: int, error: str | None = None, status: int = 200) -> Response:
        with engine.connect() as connection:
            pending, total = accounts.list_submissions(connection, "pending", offset=(page - 1) * size, limit=size)
        techs, orgs = _names(engine, "technologies"), _names(engine, "organizations")
        pages = max(1, -(-total // size))
        context = {
            "pending": pending,
            "shown": {s.id: shown_record(s.record, language(request), techs, orgs) for s in pending},
            "total": total,
            "page": page,
            "pages": pages,
            "error": error,
            "prev_url": f"/review?page={page - 1}&size={size}" if page > 1 else None,
            "next_url": f"/review?page={page + 1}&size={size}" if page < pages else None,
        }
        return render(request, "accounts_review.html", context, status=status)

    @routes.get("/review", response_class=HTMLResponse)
    def review(request: Request, editor: Editor, page: Page = 1, size: Size = PAGE_SIZE) -> Response:
        return review_page(request, page, size)

    @routes.post("/review/{submission_id}", response_class=HTMLResponse)
    def decide(
        request: Request,
        submission_id: int,
        editor: Editor,
        decision: Annotated[str, Form(pattern="^(approve|reject)$")],
        note: Annotated[str, Form(max_length=2000)] = "",
    ) -> Response:
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
        extra.setdefault("field_errors", {})
        context["labels"] = {f: field_label(f, language(request)) for f in (*ORG_FIELDS, "visibility")}
        context["kind_names"] = ORG_KIND_NAMES
        return render(request, "accounts_edit.html", {**context, "error": error, **extra}, status=status)

    @routes.get("/edit/organizations/{org_id}", response_class=HTMLResponse)
    def edit_organization(request: Request, org_id: str, editor: Editor, saved: bool = False) -> Response:
        with engine.connect() as connection:
            record = current_record(connection, "organizations", org_id)
        if record is None:
            raise HTTPException(404)
        return edit_page(request, record, saved=saved)

    @routes.post("/edit/organizations/{org_id}", response_class=HTMLResponse)
    async def save_organization(request: Request, org_id: str, editor: Editor) -> Response:
        form = await request.form()  # read (and its CSRF token checked) by require_user already
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
            message, fields = form_errors(error, language(request))
            return edit_page(request, values, message, field_errors=fields, status=422)
        return RedirectResponse(f"/edit/organizations/{org_id}?saved=1", status_code=303)


# ---- JSON API ------------------------------------------------------------------------------------


def _api_routes(routes: APIRouter, engine: Engine) -> None:
    @routes.get("/api/me")
    def me(request: Request, user: AnyUser) -> dict[str, Any]:
        token: accounts.ApiToken | None = getattr(request.state, "token", None)
        about = {"id": user.id, "email": user.email, "role": user.role, "org_id": user.org_id}
        if token is not None:
            expires = token.expires.isoformat() if token.expires else None
            about["token"] = {"id": token.id, "name": token.name, "scopes": list(token.scopes), "expires": expires}
        return about

    @routes.post("/api/submissions/need", status_code=201)
    def api_submit_need(request: Request, user: AnyUser, sent: NeedForm) -> Response:
        """A need, as the form sends it, for an editor's review (a token needs the `submit` scope)."""
        return api_submit(user, "need", _need_record(user, sent.model_dump()))

    @routes.post("/api/submissions/capability", status_code=201)
    def api_submit_capability(request: Request, user: AnyUser, sent: CapabilityForm) -> Response:
        """A capability of the user's organization, for an editor's review (a token needs the `submit` scope)."""
        if not user.org_id:
            raise HTTPException(403, "only users of an organization can submit its capabilities")
        return api_submit(user, "capability", _capability_record(user, sent.model_dump()))

    @routes.post("/api/submissions/readiness", status_code=201)
    def api_submit_readiness(request: Request, user: AnyUser, sent: ReadinessForm) -> Response:
        """A self-assessment of the user's organization on one technology, for an editor's review (a token
        needs the `submit` scope)."""
        if not user.org_id:
            raise HTTPException(403, "only users of an organization can assess its readiness")
        return api_submit(user, "readiness", _readiness_record(user, sent.model_dump()))

    def api_submit(user: User, kind: str, record: dict[str, Any]) -> Response:
        try:
            number = _store_submission(engine, user, kind, record)
        except BadInput as error:
            return JSONResponse({"detail": str(error)}, status_code=422)
        return JSONResponse({"id": number, "status": "pending", "record_id": record["id"]}, status_code=201)

    @routes.get("/api/admin/audit")
    def api_audit(
        request: Request,
        admin: Admin,
        table: Annotated[str, Query(max_length=32)] = "",
        user: Annotated[int | None, Query(ge=1)] = None,
        page: Page = 1,
        size: Size = PAGE_SIZE,
    ) -> dict[str, Any]:
        with engine.connect() as connection:
            entries, total = accounts.audit_entries(connection, table or None, user, (page - 1) * size, size)
        rows = [{**e.__dict__, "at": e.at.isoformat()} for e in entries]
        return {"page": page, "size": size, "total": total, "results": rows}

    @routes.get("/api/submissions")
    def api_submissions(
        request: Request,
        editor: Editor,
        status: Annotated[str, Query(pattern="^(pending|approved|rejected|all)$")] = "pending",
        page: Page = 1,
        size: Size = PAGE_SIZE,
    ) -> dict[str, Any]:
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
