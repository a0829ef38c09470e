"""Shared fixtures: a fixture package, databases on SQLite and on PostgreSQL, and what keeps the suite fast.

PostgreSQL tests use the server at 127.0.0.1:5432 (README, "Test environment"), each test in a
database of its own that is dropped afterwards. Without a server they skip, except under CI=true,
where a missing server fails the run.

Speed (docs/architecture.md, "Tests"): `make test` runs on every core with pytest-xdist. Each worker
names its PostgreSQL databases after itself, so workers never meet; databases are dropped by a
background thread (a DROP DATABASE waits for a checkpoint: about a second, during which tests go on).
Databases that start with data are copies of templates built once per run: SQLite files copied per
test, PostgreSQL databases made with `CREATE DATABASE ... TEMPLATE`. Password hashing uses argon2's
smallest parameters (FUSIONATLAS_ARGON2_FAST, read by store/accounts.py at import: set here first).
"""

from __future__ import annotations

import os

os.environ["FUSIONATLAS_ARGON2_FAST"] = "1"  # before anything imports fusionatlas.store.accounts

import fcntl
import queue
import shutil
import threading
import uuid
from collections.abc import Callable, Iterator
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


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Browser tests share one Chromium and one served app: under xdist they all go to one worker."""
    for item in items:
        if "tests/browser/" in item.nodeid.replace("\\", "/"):
            item.add_marker(pytest.mark.xdist_group("browser"))


# ---- templates: built once per run, copied per test ----------------------------------------------


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


def _sqlite_builder(package: Path | None) -> Callable[[Path], None]:
    def build(path: Path) -> None:
        engine = open_engine(f"sqlite:///{path}")
        try:
            if package is None:
                upgrade(engine)
            else:
                load_package(engine, package)
            with engine.connect() as connection:  # everything into the main file: a copy is then complete
                connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
        finally:
            engine.dispose()

    return build


@pytest.fixture(scope="session")
def run_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _run_folder(tmp_path_factory)


def _fixture_package(folder: Path) -> Path:
    """The fixture package, unchanged, written once per run."""

    def write(path: Path) -> None:
        write_package(path)

    return _built_once(folder / "fixture-package", write)


@pytest.fixture(scope="session")
def sqlite_templates(run_folder: Path) -> dict[str, Callable[[], Path]]:
    """Template SQLite files by name, each built on first use: migrated, fixture package, bundled atlas."""
    return {
        "migrated": lambda: _built_once(run_folder / "migrated.db", _sqlite_builder(None)),
        "fixture": lambda: _built_once(run_folder / "fixture.db", _sqlite_builder(_fixture_package(run_folder))),
        "bundled": lambda: _built_once(run_folder / "bundled.db", _sqlite_builder(BUNDLED)),
    }


def sqlite_copy(templates: dict[str, Callable[[], Path]], name: str, target: Path) -> str:
    """A SQLite URL for a fresh copy of template `name` at `target`."""
    shutil.copyfile(templates[name](), target)
    return f"sqlite:///{target}"


# ---- PostgreSQL -----------------------------------------------------------------------------------


class _Dropper:
    """Drops test databases in a thread of its own, so that no test waits for DROP DATABASE."""

    def __init__(self, admin: Engine) -> None:
        self.admin = admin
        self.names: queue.Queue[str | None] = queue.Queue()
        self.failures: list[str] = []
        self.thread = threading.Thread(target=self._run, name="pg-dropper", daemon=True)
        self.thread.start()

    def _run(self) -> None:
        while (name := self.names.get()) is not None:
            try:
                with self.admin.connect() as connection:
                    connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            except Exception as error:  # reported at the end of the session, never lost
                self.failures.append(f"{name}: {error}")

    def close(self) -> None:
        self.names.put(None)
        self.thread.join()


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


@pytest.fixture(scope="session")
def pg_templates(pg_admin: Engine, pg_dropper: _Dropper, run_folder: Path) -> Iterator[dict[str, Callable[[], str]]]:
    """Template PostgreSQL databases of this worker by name, each built on first use."""
    built: dict[str, str] = {}

    def template(name: str, package: Callable[[], Path | None]) -> Callable[[], str]:
        def get() -> str:
            if name not in built:
                database = _pg_name(f"template_{name}")
                with pg_admin.connect() as connection:
                    connection.execute(text(f'CREATE DATABASE "{database}"'))
                built[name] = database  # dropped at the end even if building fails
                engine = open_engine(_pg_url(database))
                try:
                    folder = package()
                    if folder is None:
                        upgrade(engine)
                    else:
                        load_package(engine, folder)
                finally:
                    engine.dispose()  # CREATE DATABASE ... TEMPLATE wants no one connected to it
            return built[name]

        return get

    yield {
        "migrated": template("migrated", lambda: None),
        "fixture": template("fixture", lambda: _fixture_package(run_folder)),
    }
    for database in built.values():
        pg_dropper.names.put(database)


def _pg_database(pg_admin: Engine, pg_dropper: _Dropper, template: str | None = None) -> Iterator[str]:
    name = _pg_name("test")
    clause = f' TEMPLATE "{template}"' if template else ""
    with pg_admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"{clause}'))
    yield _pg_url(name)
    pg_dropper.names.put(name)


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


def _from_template(request: pytest.FixtureRequest, tmp_path: Path, name: str) -> Iterator[str]:
    if request.param == "sqlite":
        yield sqlite_copy(request.getfixturevalue("sqlite_templates"), name, tmp_path / "atlas.db")
        return
    template = request.getfixturevalue("pg_templates")[name]()
    yield from _pg_database(request.getfixturevalue("pg_admin"), request.getfixturevalue("pg_dropper"), template)


@pytest.fixture(params=BOTH)
def migrated_db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A database with the newest schema and no records, once on SQLite and once on PostgreSQL."""
    yield from _from_template(request, tmp_path, "migrated")


@pytest.fixture(params=BOTH)
def loaded_db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A database holding the fixture package (`package`, unchanged), on SQLite and on PostgreSQL."""
    yield from _from_template(request, tmp_path, "fixture")


@pytest.fixture
def bundled_sqlite_url(sqlite_templates: dict[str, Callable[[], Path]], tmp_path: Path) -> str:
    """A SQLite copy of the bundled atlas, loaded once per run."""
    return sqlite_copy(sqlite_templates, "bundled", tmp_path / "atlas.db")


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
