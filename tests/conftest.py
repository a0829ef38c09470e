"""Shared fixtures: a fixture package, databases on SQLite and on PostgreSQL, and what keeps the suite fast.

PostgreSQL tests use the server at 127.0.0.1:5432 (README, "Test environment"), each test in a
database of its own that is dropped afterwards. Without a server they skip, except under CI=true,
where a missing server fails the run.

Speed (docs/architecture.md, "Tests"): `make test` runs on every core with pytest-xdist. Each worker
names its PostgreSQL databases after itself, so workers never meet; databases are dropped by
background threads (a DROP DATABASE waits for a checkpoint: about a second, during which tests go on).
Databases that start with data are copies of templates built once per run: SQLite files copied per
test, PostgreSQL databases made with `CREATE DATABASE ... TEMPLATE`. Password hashing uses argon2's
smallest parameters (FUSIONATLAS_ARGON2_FAST, read by store/accounts.py at import: set here first).
"""

from __future__ import annotations

import os

os.environ["FUSIONATLAS_ARGON2_FAST"] = "1"  # before anything imports fusionatlas.store.accounts

import fcntl
import shutil
import uuid
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path

import pytest
from sqlalchemy import Engine, create_engine, text
from sqlalchemy.exc import OperationalError

from fusionatlas.dataset import BUNDLED
from fusionatlas.dataset.package import load_package
from fusionatlas.store.engine import open_engine
from fusionatlas.store.migrate import upgrade
from tests.fixtures import write_package

PG_SERVER = os.environ.get("FUSIONATLAS_TEST_PG", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
# "gw0", "gw1"... under pytest-xdist; "main" in a plain run.
WORKER = os.environ.get("PYTEST_XDIST_WORKER", "main")


def _missing(what: str, reason: str) -> None:
    message = f"{what} is not available: {reason}"
    if os.environ.get("CI") == "true":
        pytest.fail(f"{message} (required under CI=true)")
    pytest.skip(message)


@pytest.hookimpl(optionalhook=True)  # a pytest-xdist hook: unknown without it (`-p no:xdist`)
def pytest_xdist_make_scheduler(config: pytest.Config, log: object) -> object | None:
    """Under xdist a file's tests run on one worker, so that its module fixtures are computed once, and the
    browser tests, which share one Chromium and one served app per worker, all run on the same worker.

    (A scheduler rather than `xdist_group` marks: xdist 3.8's `loadgroup` renames items in a way pytest 9
    ignores, so its groups are silently not kept.)
    """
    if config.getoption("dist") not in ("load", "loadfile", "loadscope", "loadgroup"):
        return None
    from xdist.scheduler import LoadScopeScheduling

    class ByFile(LoadScopeScheduling):
        def _split_scope(self, nodeid: str) -> str:
            path = nodeid.split("::", 1)[0]
            return "tests/browser/" if path.startswith("tests/browser/") else path

    return ByFile(config, log)


# ---- templates: built once, copied per test ------------------------------------------------------

Build = Callable[[Engine], None]  # fills a database that already has the newest schema


def _run_folder(factory: pytest.TempPathFactory) -> Path:
    """A folder shared by every worker of this run (and by no other run)."""
    base = factory.getbasetemp()
    # xdist gives worker gwN the basetemp <run's basetemp>/popen-gwN.
    return base.parent if WORKER != "main" else base


def _built_once(path: Path, build: Callable[[Path], None]) -> Path:
    """`path`, built by the first worker of the run that asks for it; the others wait for it."""
    with open(path.with_name(path.name + ".lock"), "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not path.exists():
            partial = path.with_name(path.name + ".partial")
            partial.unlink(missing_ok=True)
            build(partial)
            partial.rename(path)
    return path


def _fill(url: str, build: Build) -> None:
    engine = open_engine(url)
    try:
        upgrade(engine)
        build(engine)
        if engine.dialect.name == "sqlite":
            with engine.connect() as connection:  # everything into the main file: a copy is then complete
                connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        engine.dispose()  # CREATE DATABASE ... TEMPLATE wants no one connected to the template


class Templates:
    """Databases built once and copied per test: SQLite files once per run (shared by the workers),
    PostgreSQL databases once per worker (copied with CREATE DATABASE ... TEMPLATE).

    A template is known by its name: one name, one content (`build` is run on the first request only).
    """

    def __init__(self, run_folder: Path, request: pytest.FixtureRequest) -> None:
        self.folder = run_folder
        self.request = request  # the session's: PostgreSQL fixtures are asked for only when needed
        self.postgresql: dict[str, str] = {}

    def fixture_package(self) -> Path:
        """The fixture package, unchanged, written once per run."""

        def write(path: Path) -> None:
            write_package(path)

        return _built_once(self.folder / "fixture-package", write)

    def sqlite(self, name: str, build: Build, target: Path) -> str:
        """A SQLite URL for a fresh copy of template `name` at `target`."""
        template = _built_once(self.folder / f"{name}.db", lambda path: _fill(f"sqlite:///{path}", build))
        shutil.copyfile(template, target)
        return f"sqlite:///{target}"

    def pg(self, name: str, build: Build) -> Iterator[str]:
        """A PostgreSQL URL for a fresh copy of template `name`, dropped after the test."""
        admin, dropper = self.request.getfixturevalue("pg_admin"), self.request.getfixturevalue("pg_dropper")
        if name not in self.postgresql:
            database = _pg_name(f"template_{name}")
            with admin.connect() as connection:
                connection.execute(text(f'CREATE DATABASE "{database}"'))
            self.postgresql[name] = database
            dropper.drop_at_end(database)
            _fill(_pg_url(database), build)
        yield from _pg_database(admin, dropper, self.postgresql[name])

    def copy(self, backend: str, name: str, build: Build, tmp_path: Path) -> Iterator[str]:
        if backend == "sqlite":
            yield self.sqlite(name, build, tmp_path / "atlas.db")
        else:
            yield from self.pg(name, build)


@pytest.fixture(scope="session")
def templates(tmp_path_factory: pytest.TempPathFactory, request: pytest.FixtureRequest) -> Templates:
    return Templates(_run_folder(tmp_path_factory), request)


def _migrated(_engine: Engine) -> None:
    """The newest schema and no records."""


def _bundled(engine: Engine) -> None:
    load_package(engine, BUNDLED)


# ---- PostgreSQL -----------------------------------------------------------------------------------


class _Dropper:
    """Drops test databases in threads of their own, so that no test waits for DROP DATABASE.

    Each DROP DATABASE waits for a checkpoint (a second or more on a busy machine); drops issued together
    share one, so several threads clear a backlog at the cost of one: 8 drops took 15 s one at a time and
    1.8 s from 8 threads. Four per worker keep `make test`'s (at most 4) workers well under the server's
    100 connections.
    """

    def __init__(self, admin: Engine, threads: int = 4) -> None:
        self.admin = admin
        self.pool = ThreadPoolExecutor(threads, thread_name_prefix="pg-dropper")
        self.pending: list[Future[None]] = []
        self.failures: list[str] = []
        self.at_end: list[str] = []

    def drop(self, name: str) -> None:
        self.pending.append(self.pool.submit(self._drop, name))

    def _drop(self, name: str) -> None:
        try:
            with self.admin.connect() as connection:
                connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        except Exception as error:  # reported at the end of the session, never lost
            self.failures.append(f"{name}: {error}")

    def drop_at_end(self, name: str) -> None:
        self.at_end.append(name)

    def close(self) -> None:
        for name in self.at_end:
            self.drop(name)
        self.pool.shutdown(wait=True)


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


@pytest.fixture(scope="session")
def pg_dropper(pg_admin: Engine) -> Iterator[_Dropper]:
    dropper = _Dropper(pg_admin)
    yield dropper
    dropper.close()
    assert not dropper.failures, f"test databases left behind: {dropper.failures}"


def _pg_name(kind: str) -> str:
    return f"fusionatlas_{kind}_{WORKER}_{uuid.uuid4().hex[:10]}"


def _pg_url(name: str) -> str:
    return PG_SERVER.rsplit("/", 1)[0] + f"/{name}"


def _pg_database(admin: Engine, dropper: _Dropper, template: str | None = None) -> Iterator[str]:
    name = _pg_name("test")
    clause = f' TEMPLATE "{template}"' if template else ""
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"{clause}'))
    yield _pg_url(name)
    dropper.drop(name)


@pytest.fixture
def pg_url(pg_admin: Engine, pg_dropper: _Dropper) -> Iterator[str]:
    """An empty PostgreSQL database of this test's own."""
    yield from _pg_database(pg_admin, pg_dropper)


# ---- what tests ask for ---------------------------------------------------------------------------

BOTH = ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)]


@pytest.fixture(params=BOTH)
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """An empty database URL (no schema), once on SQLite and once on PostgreSQL."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'atlas.db'}"
    return request.getfixturevalue("pg_url")


@pytest.fixture(params=BOTH)
def db_from_template(
    request: pytest.FixtureRequest, templates: Templates, tmp_path: Path
) -> Iterator[Callable[[str, Build], str]]:
    """`db_from_template(name, build)`: the URL of a fresh copy of a database that `build(engine)` filled
    once (after migrating it), once on SQLite and once on PostgreSQL. Give each content its own name."""
    backend, copies = request.param, []

    def make(name: str, build: Build) -> str:
        folder = tmp_path / f"copy-{len(copies)}"
        folder.mkdir()
        copies.append(templates.copy(backend, name, build, folder))
        return next(copies[-1])

    yield make
    for copy in copies:  # dropping a PostgreSQL copy happens when its generator finishes
        next(copy, None)


@pytest.fixture(params=BOTH)
def migrated_db_url(request: pytest.FixtureRequest, templates: Templates, tmp_path: Path) -> Iterator[str]:
    """A database with the newest schema and no records, once on SQLite and once on PostgreSQL."""
    yield from templates.copy(request.param, "migrated", _migrated, tmp_path)


@pytest.fixture(params=BOTH)
def loaded_db_url(request: pytest.FixtureRequest, templates: Templates, tmp_path: Path) -> Iterator[str]:
    """A database holding the fixture package (`package`, unchanged), on SQLite and on PostgreSQL."""
    folder = templates.fixture_package()
    yield from templates.copy(request.param, "fixture", lambda engine: load_package(engine, folder), tmp_path)


@pytest.fixture
def bundled_sqlite_url(templates: Templates, tmp_path: Path) -> str:
    """A SQLite copy of the bundled atlas, loaded once per run."""
    return templates.sqlite("bundled", _bundled, tmp_path / "atlas.db")


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
