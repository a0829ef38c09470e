"""Fuzzing the JSON API from its OpenAPI document: no generated request gets a server error (5xx).

Schemathesis reads /openapi.json, keeps the /api/ operations (the HTML pages are out: their forms are
not described by the document), and sends each operation its schema's examples, boundary cases and
up to MAX_EXAMPLES generated requests, anonymously and with a member's API token, on SQLite and on
PostgreSQL. Generation is derandomized, so that a run repeats the one before it.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
import schemathesis
from fastapi import FastAPI
from hypothesis import HealthCheck, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis.checks import not_a_server_error
from schemathesis.generation import GenerationMode
from schemathesis.schemas import APIOperation
from sqlalchemy import text

from fusionatlas.dataset.package import load_package
from fusionatlas.store import accounts
from fusionatlas.web.app import create_app
from tests.conftest import PG_SERVER
from tests.fixtures import write_package

MAX_EXAMPLES = 25


@dataclass
class Fuzzed:
    app: FastAPI
    headers: dict[str, str]


@pytest.fixture(
    scope="module",
    params=[
        ("sqlite", "anonymous"),
        ("sqlite", "member"),
        ("sqlite", "editor"),
        pytest.param(("postgresql", "anonymous"), marks=pytest.mark.postgres),
        pytest.param(("postgresql", "member"), marks=pytest.mark.postgres),
        pytest.param(("postgresql", "editor"), marks=pytest.mark.postgres),
    ],
    ids=lambda p: "-".join(p),
)
def fuzzed(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Fuzzed]:
    """The app over the fixture package, asked anonymously or with the API token of a member (of Fujikura) or editor."""
    kind, who = request.param
    tmp = tmp_path_factory.mktemp(f"fuzz-{kind}-{who}")
    database = None
    if kind == "sqlite":
        url = f"sqlite:///{tmp / 'atlas.db'}"
    else:
        admin = request.getfixturevalue("pg_admin")
        database = f"fusionatlas_fuzz_{uuid.uuid4().hex[:12]}"
        with admin.connect() as connection:
            connection.execute(text(f'CREATE DATABASE "{database}"'))
        url = PG_SERVER.rsplit("/", 1)[0] + f"/{database}"
    app = create_app(url)
    load_package(app.state.engine, write_package(Path(tmp / "package")))
    headers = {}
    if who != "anonymous":
        with app.state.engine.begin() as connection:
            org = "org:fujikura" if who == "member" else None
            user = accounts.create_user(connection, f"{who}@example.org", "correct horse battery", who, org)
            headers["Authorization"] = f"Bearer {accounts.create_token(connection, user.id, 'fuzz')[1]}"
    yield Fuzzed(app, headers)
    app.state.engine.dispose()
    if database is not None:
        with request.getfixturevalue("pg_admin").connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)'))


def _operations(app: FastAPI) -> list[APIOperation]:
    schema = schemathesis.openapi.from_asgi("/openapi.json", app).include(path_regex="^/api/")
    return [result.ok() for result in schema.get_all_operations()]


# Schemathesis's pytest loader for a schema from a fixture (`schemathesis.pytest.from_fixture`) does not run
# under pytest 9 (it sets `request.node._nodeid`), and the schema needs the database fixture: so each
# operation's Hypothesis strategy is run here, one operation after another, and every failure is reported.
@pytest.mark.parametrize("mode", [GenerationMode.POSITIVE, GenerationMode.NEGATIVE], ids=str)
def test_no_request_gets_a_server_error(fuzzed: Fuzzed, mode: GenerationMode) -> None:
    operations = _operations(fuzzed.app)
    assert {"/api/search", "/api/match"} <= {o.path for o in operations}, "the fuzzer lost the API's operations"
    failures: list[str] = []
    for operation in operations:

        @settings(
            max_examples=MAX_EXAMPLES,
            deadline=None,
            derandomize=True,
            database=None,
            suppress_health_check=list(HealthCheck),
        )
        @given(case=operation.as_strategy(generation_mode=mode))
        def call(case: schemathesis.Case) -> None:
            case.call_and_validate(headers=fuzzed.headers, checks=[not_a_server_error])

        try:
            call()
        except Unsatisfiable:
            # An operation without parameters has no invalid request to make: only its positive mode runs.
            assert mode is GenerationMode.NEGATIVE and not operation.query and not operation.path_parameters
        except Exception as error:  # every operation's failure is reported, not only the first
            failures.append(f"{operation.label}: {error}")
    assert not failures, f"{len(failures)} operations answered 5xx:\n" + "\n".join(failures)


# Strings that have broken search and storage code elsewhere: NUL (PostgreSQL refuses it in text), LIKE
# wildcards and escapes, quotes, a lone combining mark, full-width space, the longest allowed value.
HOSTILE = ("\x00", "a\x00b", "%", "_", "\\", "'", '"', "%_\\%", "\u0301", "\u3000", "*", "OR 1=1 --", "\U0001d518")


def _string_parameters(app: FastAPI) -> dict[str, list[tuple[str, str, int]]]:
    """For each GET /api/ path: its string parameters as (location, name, maximum length)."""
    found: dict[str, list[tuple[str, str, int]]] = {}
    for path, operations in app.openapi()["paths"].items():
        if not path.startswith("/api/") or "get" not in operations:
            continue
        for parameter in operations["get"].get("parameters", []):
            schemas = parameter["schema"].get("anyOf", [parameter["schema"]])
            strings = [s for s in schemas if s.get("type") == "string" and "pattern" not in s]
            if strings:
                found.setdefault(path, []).append(
                    (parameter["in"], parameter["name"], strings[0].get("maxLength", 1000))
                )
    return found


def test_hostile_strings_get_no_server_error(fuzzed: Fuzzed) -> None:
    """Every string parameter of every operation, given each hostile string (the others valid): never a 5xx."""
    operations = {o.path: o for o in _operations(fuzzed.app)}
    failures: list[str] = []
    for path, parameters in _string_parameters(fuzzed.app).items():
        valid = {(where, name): "org:fujikura" if where == "path" else "gyrotron" for where, name, _ in parameters}
        for where, name, longest in parameters:
            for value in (*HOSTILE, "gyrotron " * (longest // 9)):
                values = {**valid, (where, name): value[:longest]}
                case = operations[path].Case(
                    path_parameters={n: v for (w, n), v in values.items() if w == "path"} or None,
                    query={n: v for (w, n), v in values.items() if w == "query"} or None,
                )
                try:
                    case.call_and_validate(headers=fuzzed.headers, checks=[not_a_server_error])
                except Exception as error:
                    failures.append(f"GET {path} {name}={value[:40]!r}: {str(error).splitlines()[0][:300]}")
    assert not failures, f"{len(failures)} requests answered 5xx:\n" + "\n".join(failures)
