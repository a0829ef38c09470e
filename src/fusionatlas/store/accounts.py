"""Accounts: users, sessions, API tokens, the audit log and members' submissions.

The tables sit on the store's one `metadata` (so the migrations test covers them). Secrets never reach
the database in the clear: passwords are argon2 hashes; session and API tokens are kept as HMAC-SHA256
digests keyed by the site secret, so a stolen database yields no usable token. Nothing here logs a
password or a token.

Write transactions stay short and start with their write (never a read first): on SQLite in WAL mode a
transaction that read before another connection committed cannot become a writer, and fails at once.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import re
import secrets
import weakref
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import lru_cache
from typing import Any

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    Connection,
    DateTime,
    Engine,
    ForeignKey,
    Index,
    Integer,
    String,
    Table,
    Text,
    case,
    delete,
    func,
    insert,
    or_,
    select,
    update,
)
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import IntegrityError, OperationalError

from fusionatlas.settings import number_from_env
from fusionatlas.store.schema import ID_LENGTH, TABLES_BY_NAME, metadata

ROLES = ("admin", "editor", "member")
SECRET_ENV = "FUSIONATLAS_SECRET"
MIN_PASSWORD = 10
SESSION_LIFETIME = timedelta(days=14)
TOKEN_PREFIX = "fa_"
SCOPES = ("read", "submit")  # never an admin scope: admin work needs a logged-in session
TOKEN_DAYS_ENV = "FUSIONATLAS_TOKEN_DAYS"
TOKEN_DAYS = 90
TOKEN_TOUCH = timedelta(minutes=5)  # last_used is written at most this often per token
# Printable characters only: a NUL byte, for one, is refused by PostgreSQL's text columns.
EMAIL = re.compile(r"^[^@\s\x00-\x1f\x7f]+@[^@\s\x00-\x1f\x7f]+\.[^@\s\x00-\x1f\x7f]+$")
CONTROL = re.compile(r"[\x00-\x1f\x7f]")
SUBMITTABLE = ("needs", "capabilities", "readiness")
STATUSES = ("pending", "approved", "rejected")
WRONG_PASSWORD = "the current password is wrong"
SAME_PASSWORD = "the new password is the same as the current one"

users = Table(
    "users",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("email", String(320), nullable=False, unique=True),
    Column("password_hash", Text, nullable=False),
    Column("role", String(16), nullable=False),
    Column("org_id", String(ID_LENGTH), ForeignKey("organizations.id"), nullable=True),
    Column("created", DateTime(timezone=True), nullable=False),
    Column("active", Boolean, nullable=False),
)
Index(None, users.c.org_id)

# Server-side sessions: logging out (or deactivating a user) ends them at once, on every worker.
sessions = Table(
    "sessions",
    metadata,
    Column("token_hash", String(64), primary_key=True),
    Column("user_id", Integer, ForeignKey("users.id"), nullable=False),
    Column("created", DateTime(timezone=True), nullable=False),
    Column("expires", DateTime(timezone=True), nullable=False),
)
Index(None, sessions.c.user_id)

api_tokens = Table(
    "api_tokens",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("user_id", Integer, ForeignKey("users.id"), nullable=False),
    Column("name", Text, nullable=False),
    Column("token_hash", String(64), nullable=False, unique=True),
    Column("created", DateTime(timezone=True), nullable=False),
    Column("last_used", DateTime(timezone=True), nullable=True),
    Column("revoked", Boolean, nullable=False),
    Column("scopes", String(32), nullable=False, server_default="read"),  # space-separated, of SCOPES
    Column("expires", DateTime(timezone=True), nullable=False),
)
Index(None, api_tokens.c.user_id)

audit_log = Table(
    "audit_log",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("at", DateTime(timezone=True), nullable=False),
    Column("user_id", Integer, ForeignKey("users.id"), nullable=True),
    Column("action", String(32), nullable=False),
    Column("table_name", String(32), nullable=False),
    Column("record_id", String(ID_LENGTH), nullable=False),
    Column("before", JSON, nullable=True),
    Column("after", JSON, nullable=True),
)
Index(None, audit_log.c.table_name)
Index(None, audit_log.c.user_id)

submissions = Table(
    "submissions",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("user_id", Integer, ForeignKey("users.id"), nullable=False),
    Column("table_name", String(32), nullable=False),
    Column("record", JSON, nullable=False),
    Column("status", String(16), nullable=False),
    Column("created", DateTime(timezone=True), nullable=False),
    Column("reviewed_by", Integer, ForeignKey("users.id"), nullable=True),
    Column("reviewed_at", DateTime(timezone=True), nullable=True),
    Column("note", Text, nullable=True),
)
Index(None, submissions.c.status)

# Login attempts per account and per client address (keyed by an HMAC: neither is stored), counted in a
# fixed window; shared by every worker. One row per key, so that checking and counting is one UPDATE.
login_limits = Table(
    "login_limits",
    metadata,
    Column("key", String(64), primary_key=True),
    Column("count", Integer, nullable=False),
    Column("window_start", DateTime(timezone=True), nullable=False),
)

site_settings = Table(
    "site_settings",
    metadata,
    Column("name", String(64), primary_key=True),
    Column("value", Text, nullable=False),
)


class AccountError(ValueError):
    """A request about accounts that cannot be done; the message says why (and never names a secret)."""


class RateLimited(AccountError):
    """Too many login attempts for this account or from this address within the window."""


@dataclass(frozen=True)
class User:
    id: int
    email: str
    role: str
    org_id: str | None
    active: bool
    created: datetime


def now() -> datetime:
    return datetime.now(UTC)


def _aware(moment: datetime | None) -> datetime | None:
    """SQLite hands back naive datetimes; everything here is UTC."""
    if moment is None:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


# ---- secrets and hashing -------------------------------------------------------------------------


# FUSIONATLAS_ARGON2_FAST=1 (set by the test suite only) hashes with argon2's smallest parameters: the suite
# creates hundreds of users, each costing 64 MiB and ~50 ms at the defaults. A hash records its parameters:
# a deployment (which never sets this) still verifies one made so, and rehashes it at the next login.
FAST_HASHING_ENV = "FUSIONATLAS_ARGON2_FAST"
_fast = os.environ.get(FAST_HASHING_ENV) == "1"
_hasher = PasswordHasher(time_cost=1, memory_cost=8, parallelism=1) if _fast else PasswordHasher()


def hash_password(password: str) -> str:
    return _hasher.hash(password)


@lru_cache(maxsize=1)
def _dummy_hash() -> str:
    return _hasher.hash(secrets.token_urlsafe(16))


def _verify_password(password_hash: str, password: str) -> bool:
    try:
        return _hasher.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


_SECRETS: weakref.WeakKeyDictionary[Engine, bytes] = weakref.WeakKeyDictionary()
_GENERATING: weakref.WeakSet[Connection] = weakref.WeakSet()  # connections whose secret is not committed yet


def site_secret(connection: Connection) -> bytes:
    """$FUSIONATLAS_SECRET, else a random secret generated once and stored in this database.

    Kept in the database so that every worker (and every restart) of one deployment agrees on it; read
    once per engine, so that requests do not read it again (and write transactions start with a write).
    A secret this connection generated is remembered only once another connection reads it: the
    transaction that stored it might still roll back. (The web app stores it at start, auth.install.)
    """
    from_env = os.environ.get(SECRET_ENV)
    if from_env:
        return from_env.encode()
    known = _SECRETS.get(connection.engine)
    if known is not None:
        return known
    query = select(site_settings.c.value).where(site_settings.c.name == "secret")
    stored = connection.execute(query).scalar_one_or_none()
    if stored is None:
        candidate = secrets.token_urlsafe(48)
        try:
            with connection.begin_nested():
                connection.execute(insert(site_settings).values(name="secret", value=candidate))
        except IntegrityError:  # another worker stored one first: use theirs
            pass
        _GENERATING.add(connection)
        return connection.execute(query).scalar_one().encode()
    if connection not in _GENERATING:
        _SECRETS[connection.engine] = stored.encode()
    return stored.encode()


def digest(secret: bytes, value: str) -> str:
    return hmac.new(secret, value.encode(), hashlib.sha256).hexdigest()


# ---- users ---------------------------------------------------------------------------------------


def normalize_email(email: str) -> str:
    return email.strip().lower()


def plausible_email(email: str) -> bool:
    """Whether `email` could be a user's: short enough and free of control characters (NUL among them)."""
    return len(email) <= 320 and not CONTROL.search(email)


def _user(row: Any) -> User:
    return User(row.id, row.email, row.role, row.org_id, bool(row.active), _aware(row.created))  # type: ignore[arg-type]


def _check_role(role: str) -> None:
    if role not in ROLES:
        raise AccountError(f"unknown role {role!r}: use one of {', '.join(ROLES)}")


def _check_org(connection: Connection, org_id: str | None) -> None:
    orgs = TABLES_BY_NAME["organizations"]
    if org_id and connection.execute(select(orgs.c.id).where(orgs.c.id == org_id)).first() is None:
        raise AccountError(f"unknown organization {org_id!r}")


def check_password(password: str) -> None:
    if len(password) < MIN_PASSWORD:
        raise AccountError(f"the password is too short: at least {MIN_PASSWORD} characters")
    if "\x00" in password:
        raise AccountError("the password contains a NUL character")


def _public(user: User) -> dict[str, Any]:
    """What the audit log keeps of a user: never the password hash."""
    return {"email": user.email, "role": user.role, "org_id": user.org_id, "active": user.active}


def create_user(
    connection: Connection,
    email: str,
    password: str,
    role: str,
    org_id: str | None = None,
    actor: int | None = None,
) -> User:
    """A new active user; audit-logged. Raises AccountError on a bad email, role, organization or password."""
    email = normalize_email(email)
    if not EMAIL.match(email) or len(email) > 320:
        raise AccountError(f"not an email address: {email!r}")
    _check_role(role)
    _check_org(connection, org_id or None)
    check_password(password)
    if connection.execute(select(users.c.id).where(users.c.email == email)).first() is not None:
        raise AccountError(f"a user with the email {email!r} exists already")
    values = {
        "email": email,
        "password_hash": hash_password(password),
        "role": role,
        "org_id": org_id or None,
        "created": now(),
        "active": True,
    }
    user_id = connection.execute(insert(users).values(**values)).inserted_primary_key[0]  # type: ignore[index]
    user = get_user(connection, user_id)
    assert user is not None
    audit(connection, actor, "create", "users", str(user.id), None, _public(user))
    return user


def get_user(connection: Connection, user_id: int) -> User | None:
    row = connection.execute(select(users).where(users.c.id == user_id)).first()
    return _user(row) if row else None


def list_users(connection: Connection) -> list[User]:
    return [_user(row) for row in connection.execute(select(users).order_by(users.c.email))]


_KEEP: Any = object()


def update_user(
    connection: Connection,
    user_id: int,
    actor: int | None,
    role: str | None = None,
    org_id: Any = _KEEP,
    active: bool | None = None,
) -> User:
    """Change a user's role, organization or active flag; audit-logged with before and after."""
    before = get_user(connection, user_id)
    if before is None:
        raise AccountError(f"no user {user_id}")
    changes: dict[str, Any] = {}
    if role is not None:
        _check_role(role)
        changes["role"] = role
    if org_id is not _KEEP:
        _check_org(connection, org_id or None)
        changes["org_id"] = org_id or None
    if active is not None:
        changes["active"] = active
    if not changes:
        return before
    connection.execute(update(users).where(users.c.id == user_id).values(**changes))
    if active is False:
        connection.execute(delete(sessions).where(sessions.c.user_id == user_id))
    after = get_user(connection, user_id)
    assert after is not None
    audit(connection, actor, "update", "users", str(user_id), _public(before), _public(after))
    return after


def authenticate(connection: Connection, email: str, password: str) -> User | None:
    """The active user with this email and password, else None.

    An unknown email costs the same argon2 verification as a wrong password, so timing does not tell
    which emails have accounts. An email with control characters (a NUL byte) is nobody's.
    """
    if not plausible_email(email):
        _verify_password(_dummy_hash(), password)
        return None
    row = connection.execute(select(users).where(users.c.email == normalize_email(email))).first()
    if row is None:
        _verify_password(_dummy_hash(), password)
        return None
    if not _verify_password(row.password_hash, password) or not row.active:
        return None
    if _hasher.check_needs_rehash(row.password_hash):
        connection.execute(update(users).where(users.c.id == row.id).values(password_hash=hash_password(password)))
    return _user(row)


def set_password(connection: Connection, user_id: int, password: str, actor: int | None) -> None:
    """A new password for a user (`actor` sets it: the user, or an admin resetting it); every session of
    the user ends. Audit-logged without the password or its hash."""
    check_password(password)
    changed = connection.execute(
        update(users).where(users.c.id == user_id).values(password_hash=hash_password(password))
    ).rowcount
    if changed != 1:
        raise AccountError(f"no user {user_id}")
    connection.execute(delete(sessions).where(sessions.c.user_id == user_id))
    audit(connection, actor, "password", "users", str(user_id), None, {"password": "changed"})


def change_password(connection: Connection, user: User, old: str, new: str) -> None:
    """A user changes their own password, proving the old one first; every session of theirs ends."""
    row = connection.execute(select(users.c.password_hash).where(users.c.id == user.id)).first()
    if row is None or not _verify_password(row.password_hash, old):
        raise AccountError(WRONG_PASSWORD)
    if old == new:
        raise AccountError(SAME_PASSWORD)
    set_password(connection, user.id, new, actor=user.id)


# ---- sessions ------------------------------------------------------------------------------------


def start_session(connection: Connection, user_id: int, lifetime: timedelta = SESSION_LIFETIME) -> str:
    """A new session token for the cookie; the database keeps only its digest."""
    token = secrets.token_urlsafe(32)
    moment = now()
    values = {"token_hash": digest(site_secret(connection), token), "user_id": user_id}
    connection.execute(insert(sessions).values(**values, created=moment, expires=moment + lifetime))
    return token


def session_user(connection: Connection, token: str) -> User | None:
    """The active user of a live session, else None."""
    joined = select(users, sessions.c.expires).join(sessions, sessions.c.user_id == users.c.id)
    row = connection.execute(joined.where(sessions.c.token_hash == digest(site_secret(connection), token))).first()
    if row is None or not row.active or _aware(row.expires) <= now():  # type: ignore[operator]
        return None
    return _user(row)


def end_session(connection: Connection, token: str) -> None:
    connection.execute(delete(sessions).where(sessions.c.token_hash == digest(site_secret(connection), token)))
    connection.execute(delete(sessions).where(sessions.c.expires < now()))


# ---- API tokens ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class ApiToken:
    id: int
    name: str
    created: datetime
    last_used: datetime | None
    revoked: bool
    scopes: tuple[str, ...] = ("read",)
    expires: datetime | None = None

    @property
    def expired(self) -> bool:
        return self.expires is not None and self.expires <= now()


def max_token_days() -> int:
    """The longest a token may live: $FUSIONATLAS_TOKEN_DAYS days, else 90."""
    try:
        return number_from_env(TOKEN_DAYS_ENV, TOKEN_DAYS, int, 1, "a whole number of days, at least 1")
    except ValueError as error:
        raise AccountError(str(error)) from None


def _token(row: Any, prefix: str = "") -> ApiToken:
    """A token from a row of api_tokens, whose columns may carry a prefix (joined with users: `token_`)."""

    def column(name: str) -> Any:
        return getattr(row, prefix + name)

    return ApiToken(
        column("id"),
        column("name"),
        _aware(column("created")),  # type: ignore[arg-type]
        _aware(column("last_used")),
        bool(column("revoked")),
        tuple(column("scopes").split()),
        _aware(column("expires")),
    )


def create_token(
    connection: Connection,
    user_id: int,
    name: str,
    scopes: tuple[str, ...] | list[str] = ("read",),
    days: int | None = None,
) -> tuple[ApiToken, str]:
    """A new API token (read-only unless `submit` is asked for), living `days` days (at most, and by
    default, max_token_days()); the clear token is returned once and never stored."""
    name = CONTROL.sub("", name).strip()[:100] or "token"
    chosen = tuple(scope for scope in SCOPES if scope in set(scopes))
    unknown = set(scopes) - set(SCOPES)
    if unknown or not chosen:
        raise AccountError(f"unknown token scopes {sorted(unknown)}: use {' and/or '.join(SCOPES)}")
    longest = max_token_days()
    days = longest if days is None else days
    if not 1 <= days <= longest:
        raise AccountError(f"a token lives 1 to {longest} days, not {days}")
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    moment = now()
    values = {
        "user_id": user_id,
        "name": name,
        "token_hash": digest(site_secret(connection), token),
        "created": moment,
        "revoked": False,
        "scopes": " ".join(chosen),
        "expires": moment + timedelta(days=days),
    }
    expires = moment + timedelta(days=days)
    values["expires"] = expires
    token_id = connection.execute(insert(api_tokens).values(**values)).inserted_primary_key[0]  # type: ignore[index]
    after = {"name": name, "user_id": user_id, "scopes": values["scopes"], "expires": expires.isoformat()}
    audit(connection, user_id, "create", "api_tokens", str(token_id), None, after)
    return ApiToken(token_id, name, moment, None, False, chosen, expires), token


def list_tokens(connection: Connection, user_id: int) -> list[ApiToken]:
    query = select(api_tokens).where(api_tokens.c.user_id == user_id).order_by(api_tokens.c.id)
    return [_token(row) for row in connection.execute(query)]


def revoke_token(connection: Connection, user_id: int, token_id: int) -> None:
    """Revoke one of the user's own tokens (another user's token id is 'not found', not 'forbidden')."""
    mine = (api_tokens.c.id == token_id) & (api_tokens.c.user_id == user_id)
    if connection.execute(update(api_tokens).where(mine).values(revoked=True)).rowcount != 1:
        raise AccountError(f"no token {token_id}")
    audit(connection, user_id, "revoke", "api_tokens", str(token_id), {"revoked": False}, {"revoked": True})


def token_grant(connection: Connection, token: str) -> tuple[User, ApiToken] | None:
    """The active user of a live API token (unrevoked, unexpired) and the token, else None. Reads only."""
    if not token.startswith(TOKEN_PREFIX) or CONTROL.search(token):
        return None
    wanted = digest(site_secret(connection), token)
    columns = [c.label(f"token_{c.name}") for c in api_tokens.c]
    query = select(users, *columns).join(api_tokens, api_tokens.c.user_id == users.c.id)
    row = connection.execute(query.where(api_tokens.c.token_hash == wanted)).first()
    if row is None or not row.active or not hmac.compare_digest(row.token_token_hash, wanted):
        return None
    found = _token(row, "token_")
    if found.revoked or found.expired:
        return None
    return _user(row), found


def touch_token(engine: Engine, found: ApiToken) -> None:
    """Record that a token was used, at most once per TOKEN_TOUCH: reads do not write every time.

    Its own short transaction, and best effort: a database busy with another writer skips it.
    """
    moment = now()
    if found.last_used is not None and moment - found.last_used < TOKEN_TOUCH:
        return
    stale = or_(api_tokens.c.last_used.is_(None), api_tokens.c.last_used < moment - TOKEN_TOUCH)
    try:
        with engine.begin() as connection, _impatient(connection):
            connection.execute(update(api_tokens).where(api_tokens.c.id == found.id, stale).values(last_used=moment))
    except OperationalError:
        pass  # busy: a later use records it


@contextmanager
def _impatient(connection: Connection) -> Iterator[None]:
    """Wait at most 0.1 s for a lock in this block: for a write better skipped than keeping a reader waiting."""
    if connection.dialect.name == "sqlite":
        patience = connection.exec_driver_sql("PRAGMA busy_timeout").scalar()
        connection.exec_driver_sql("PRAGMA busy_timeout = 100")
        try:
            yield
        finally:
            connection.exec_driver_sql(f"PRAGMA busy_timeout = {int(patience or 0)}")
    else:
        connection.exec_driver_sql("SET LOCAL lock_timeout = '100ms'")  # ends with the transaction
        yield


def token_user(connection: Connection, token: str) -> User | None:
    """The active user of a live API token, else None (see token_grant, and touch_token for last_used)."""
    grant = token_grant(connection, token)
    return grant[0] if grant else None


# ---- login rate limiting -------------------------------------------------------------------------


def login_keys(connection: Connection, email: str, address: str) -> tuple[str, str]:
    """The keys the login limits count under: one per client address, one per account (email)."""
    secret = site_secret(connection)
    return digest(secret, f"address|{address}"), digest(secret, f"account|{normalize_email(email)}")


def _insert_ignoring_duplicates(connection: Connection, values: dict[str, Any]) -> None:
    dialect = postgresql if connection.dialect.name == "postgresql" else sqlite
    connection.execute(dialect.insert(login_limits).values(**values).on_conflict_do_nothing(index_elements=["key"]))


def reserve_attempts(connection: Connection, limits: list[tuple[str, int]], window: timedelta) -> None:
    """Count one login attempt under each (key, limit), or raise RateLimited if any key is at its limit.

    Checking and counting is one conditional UPDATE per key, so concurrent attempts cannot all pass a
    check before any is counted: at most `limit` attempts per key and window get through, on SQLite
    (one writer at a time) and on PostgreSQL (the row lock; the condition is re-read after waiting).
    Raising inside the caller's transaction rolls back every key's count: a refused attempt counts nowhere.
    Keys are taken in the order given; give them in the same order everywhere (address, then account).
    """
    moment = now()
    stale = login_limits.c.window_start < moment - window
    for key, limit in limits:
        _insert_ignoring_duplicates(connection, {"key": key, "count": 0, "window_start": moment})
        counted = connection.execute(
            update(login_limits)
            .where(login_limits.c.key == key, or_(login_limits.c.count < limit, stale))
            .values(
                count=case((stale, 1), else_=login_limits.c.count + 1),
                window_start=case((stale, moment), else_=login_limits.c.window_start),
            )
        )
        if counted.rowcount != 1:
            raise RateLimited("too many login attempts")


def attempts(connection: Connection, key: str, window: timedelta) -> int:
    """How many attempts `key` has in its current window."""
    row = connection.execute(select(login_limits).where(login_limits.c.key == key)).first()
    if row is None or _aware(row.window_start) < now() - window:  # type: ignore[operator]
        return 0
    return int(row._mapping["count"])


def refund_attempt(connection: Connection, key: str) -> None:
    """Take back one counted attempt (it succeeded)."""
    counted = (login_limits.c.key == key) & (login_limits.c.count > 0)
    connection.execute(update(login_limits).where(counted).values(count=login_limits.c.count - 1))


def clear_attempts(connection: Connection, key: str) -> None:
    connection.execute(delete(login_limits).where(login_limits.c.key == key))


def forget_old_attempts(connection: Connection, window: timedelta) -> None:
    connection.execute(delete(login_limits).where(login_limits.c.window_start < now() - window))


# ---- audit log -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class AuditEntry:
    id: int
    at: datetime
    user_id: int | None
    email: str | None
    action: str
    table_name: str
    record_id: str
    before: dict[str, Any] | None
    after: dict[str, Any] | None


def audit(
    connection: Connection,
    user_id: int | None,
    action: str,
    table_name: str,
    record_id: str,
    before: dict[str, Any] | None,
    after: dict[str, Any] | None,
) -> None:
    """One row of who changed what, when, with the record before and after (in the caller's transaction)."""
    values = {"at": now(), "user_id": user_id, "action": action, "table_name": table_name, "record_id": record_id}
    connection.execute(insert(audit_log).values(**values, before=before, after=after))


def audit_entries(
    connection: Connection,
    table_name: str | None = None,
    user_id: int | None = None,
    offset: int = 0,
    limit: int = 50,
) -> tuple[list[AuditEntry], int]:
    """A page of the audit log, newest first, and how many entries match the filters."""
    conditions = []
    if table_name:
        conditions.append(audit_log.c.table_name == table_name)
    if user_id is not None:
        conditions.append(audit_log.c.user_id == user_id)
    total = connection.execute(select(func.count()).select_from(audit_log).where(*conditions)).scalar_one()
    query = (
        select(audit_log, users.c.email)
        .outerjoin(users, users.c.id == audit_log.c.user_id)
        .where(*conditions)
        .order_by(audit_log.c.id.desc())
        .offset(offset)
        .limit(limit)
    )
    entries = [
        AuditEntry(
            r.id,
            _aware(r.at),  # type: ignore[arg-type]
            r.user_id,
            r.email,
            r.action,
            r.table_name,
            r.record_id,
            r.before,
            r.after,
        )
        for r in connection.execute(query)
    ]
    return entries, total


# ---- submissions ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Submission:
    id: int
    user_id: int
    email: str
    table_name: str
    record: dict[str, Any]
    status: str
    created: datetime
    reviewed_by: int | None
    reviewed_at: datetime | None
    note: str | None


def submit(connection: Connection, user_id: int, table_name: str, record: dict[str, Any]) -> int:
    """A member's proposed record, pending an editor's review."""
    if table_name not in SUBMITTABLE:
        raise AccountError(f"records of {table_name!r} cannot be submitted")
    values = {"user_id": user_id, "table_name": table_name, "record": record, "status": "pending", "created": now()}
    return connection.execute(insert(submissions).values(**values)).inserted_primary_key[0]  # type: ignore[index]


def _submission(row: Any) -> Submission:
    return Submission(
        row.id,
        row.user_id,
        row.email,
        row.table_name,
        row.record,
        row.status,
        _aware(row.created),  # type: ignore[arg-type]
        row.reviewed_by,
        _aware(row.reviewed_at),
        row.note,
    )


def list_submissions(
    connection: Connection, status: str | None = "pending", user_id: int | None = None, offset: int = 0, limit: int = 50
) -> tuple[list[Submission], int]:
    conditions = []
    if status:
        conditions.append(submissions.c.status == status)
    if user_id is not None:
        conditions.append(submissions.c.user_id == user_id)
    total = connection.execute(select(func.count()).select_from(submissions).where(*conditions)).scalar_one()
    query = select(submissions, users.c.email).join(users, users.c.id == submissions.c.user_id).where(*conditions)
    rows = connection.execute(query.order_by(submissions.c.id).offset(offset).limit(limit))
    return [_submission(row) for row in rows], total


def get_submission(connection: Connection, submission_id: int) -> Submission | None:
    query = select(submissions, users.c.email).join(users, users.c.id == submissions.c.user_id)
    row = connection.execute(query.where(submissions.c.id == submission_id)).first()
    return _submission(row) if row else None


def close_submission(
    connection: Connection, submission_id: int, reviewer: int, approved: bool, note: str | None = None
) -> None:
    """Mark a pending submission approved or rejected (the record itself is written by the caller)."""
    pending = (submissions.c.id == submission_id) & (submissions.c.status == "pending")
    status = "approved" if approved else "rejected"
    values = {"status": status, "reviewed_by": reviewer, "reviewed_at": now(), "note": note}
    if connection.execute(update(submissions).where(pending).values(**values)).rowcount != 1:
        raise AccountError(f"submission {submission_id} is not pending")
    action = "approve" if approved else "reject"
    audit(connection, reviewer, action, "submissions", str(submission_id), {"status": "pending"}, {"status": status})
