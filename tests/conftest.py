"""Shared fixtures: a fixture package, and empty databases on SQLite and on PostgreSQL.

PostgreSQL tests use the server at 127.0.0.1:5432 (DESIGN.md, "Test environment"), each test in a
database of its own that is dropped afterwards. Without a server they skip, except under CI=true,
where a missing server fails the run.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine, create_engine, text
from sqlalchemy.exc import OperationalError

from fusionatlas.store.engine import open_engine
from tests.fixtures import write_package

PG_SERVER = os.environ.get("FUSIONATLAS_TEST_PG", "postgresql+psycopg://postgres@127.0.0.1:5432/test")


def _missing(what: str, reason: str) -> None:
    message = f"{what} is not available: {reason}"
    if os.environ.get("CI") == "true":
        pytest.fail(f"{message} (required under CI=true)")
    pytest.skip(message)


@pytest.fixture(scope="session", autouse=True)
def index_dir(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """Persisted matching indexes (match/persist.py) go to a temporary folder, not the user's cache."""
    folder = tmp_path_factory.mktemp("index")
    before = os.environ.get("FUSIONATLAS_INDEX_DIR")
    os.environ["FUSIONATLAS_INDEX_DIR"] = str(folder)
    yield folder
    if before is None:
        os.environ.pop("FUSIONATLAS_INDEX_DIR", None)
    else:
        os.environ["FUSIONATLAS_INDEX_DIR"] = before


@pytest.fixture(scope="session")
def pg_admin() -> Iterator[Engine]:
    engine = create_engine(PG_SERVER, isolation_level="AUTOCOMMIT", connect_args={"connect_timeout": 3})
    try:
        with engine.connect() as connection:
            connection.execute(text("SELECT 1"))
    except OperationalError as error:
        _missing("PostgreSQL at 127.0.0.1:5432", str(error.orig).splitlines()[0])
    yield engine
    engine.dispose()


@pytest.fixture
def pg_url(pg_admin: Engine) -> Iterator[str]:
    name = f"fusionatlas_test_{uuid.uuid4().hex[:12]}"
    with pg_admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    yield PG_SERVER.rsplit("/", 1)[0] + f"/{name}"
    with pg_admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """An empty database URL, once on SQLite and once on PostgreSQL."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'atlas.db'}"
    return request.getfixturevalue("pg_url")


@pytest.fixture
def engine(db_url: str) -> Iterator[Engine]:
    engine = open_engine(db_url)
    yield engine
    engine.dispose()


@pytest.fixture
def sqlite_engine(tmp_path: Path) -> Iterator[Engine]:
    engine = open_engine(f"sqlite:///{tmp_path / 'atlas.db'}")
    yield engine
    engine.dispose()


@pytest.fixture
def package(tmp_path: Path) -> Path:
    return write_package(tmp_path / "package")
