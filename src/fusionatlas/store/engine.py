"""Database engines from a URL: SQLite (the default file) or PostgreSQL."""

from __future__ import annotations

import os
from typing import Any

from sqlalchemy import Engine, create_engine, event, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, OperationalError
from sqlalchemy.pool import NullPool

from fusionatlas.settings import number_from_env

DEFAULT_URL = "sqlite:///fusionatlas.db"
ENV_VAR = "FUSIONATLAS_DB"
# How long a SQLite connection waits for another connection's write lock before "database is locked".
BUSY_TIMEOUT_ENV = "FUSIONATLAS_SQLITE_BUSY_TIMEOUT"
BUSY_TIMEOUT = 15.0


class StoreError(Exception):
    """The database cannot be used: a wrong URL, a server that does not answer, a missing driver."""


def database_url(url: str | None = None) -> str:
    """The URL to use: the argument, else $FUSIONATLAS_DB, else the SQLite file; postgresql:// means psycopg."""
    url = url or os.environ.get(ENV_VAR) or DEFAULT_URL
    for prefix in ("postgresql://", "postgres://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


def safe_url(url: str) -> str:
    """The URL with any password hidden, for messages and logs."""
    try:
        return make_url(url).render_as_string(hide_password=True)
    except ArgumentError:
        return "<unparsable URL>"


def open_engine(url: str | None = None, pooled: bool = True) -> Engine:
    """An engine that has answered a first query; StoreError says plainly why not.

    `pooled=False` suits one-shot commands: connections close when released.
    """
    url = database_url(url)
    try:
        parsed = make_url(url)
    except ArgumentError:
        raise StoreError(f"not a database URL: {url!r} (expected sqlite:///FILE or postgresql://...)") from None
    backend = parsed.get_backend_name()
    if backend not in ("sqlite", "postgresql"):
        raise StoreError(f"unsupported database {backend!r} in {safe_url(url)}: use sqlite or postgresql")
    try:
        options: dict[str, Any] = {} if pooled else {"poolclass": NullPool}
        if backend == "sqlite":
            engine = create_engine(url, connect_args={"timeout": busy_timeout()}, **options)
            event.listen(engine, "connect", _sqlite_pragmas)
        else:
            engine = create_engine(url, pool_pre_ping=True, connect_args={"connect_timeout": 5}, **options)
    except ModuleNotFoundError as error:
        raise StoreError(
            f"the driver for {safe_url(url)} is not installed ({error.name}); install fusionatlas[pg] for PostgreSQL"
        ) from None
    try:
        with engine.connect() as connection:
            connection.execute(text("SELECT 1"))
    except OperationalError as error:
        engine.dispose()
        reason = str(error.orig).strip().splitlines()[0] if error.orig else str(error)
        raise StoreError(f"cannot open the database {safe_url(url)}: {reason}") from None
    return engine


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def busy_timeout() -> float:
    """Seconds a SQLite writer waits for the write lock: $FUSIONATLAS_SQLITE_BUSY_TIMEOUT, else 15."""
    try:
        return number_from_env(BUSY_TIMEOUT_ENV, BUSY_TIMEOUT, float, 0.0, "a number of seconds, 0 or more")
    except ValueError as error:
        raise StoreError(str(error)) from None


def is_busy(error: OperationalError) -> bool:
    """Whether an error means "another writer holds the database, try again soon" (not a broken database).

    SQLite: "database is locked" once the busy timeout ran out. PostgreSQL: a lock or statement timeout,
    or a serialization failure or deadlock that the server resolved by cancelling this transaction.
    """
    original = error.orig
    if "database is locked" in str(original) or "database table is locked" in str(original):
        return True
    return getattr(original, "sqlstate", None) in ("55P03", "57014", "40001", "40P01")
