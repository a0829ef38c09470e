"""The matching index shared by every page and API endpoint of one app.

Built on first use and kept on `app.state`, so the API and the pages share one index; rebuilt when the
store's data version changes (every write through FusionAtlas, web or CLI: store/version.py). Each version's
index is built once and written beside the database (match/persist.py): every worker of `serve`, and the
CLI, loads it from there instead of building it again.
"""

from __future__ import annotations

import threading

from fastapi import FastAPI
from sqlalchemy import Connection, Engine

from fusionatlas.match.index import MatchIndex
from fusionatlas.match.persist import index_root, load_or_build, load_or_build_unless_busy
from fusionatlas.store.version import data_version

_BUILDING = threading.Lock()


def shared_index(app: FastAPI, engine: Engine) -> MatchIndex:
    with engine.connect() as connection:
        return index_at(app, connection)


def index_at(app: FastAPI, connection: Connection) -> MatchIndex:
    """The index for the data version `connection` sees (for callers that hold a connection already)."""
    version = data_version(connection)
    # (version, index) in one attribute: a reader never pairs one build's index with another's version.
    built: tuple[str, MatchIndex] | None = getattr(app.state, "index", None)
    if built is not None and built[0] == version:
        return built[1]
    # One thread builds while the others wait: concurrent first requests must not build it twice.
    with _BUILDING:
        built = getattr(app.state, "index", None)
        if built is None or built[0] != version:
            built = (version, load_or_build(connection, index_root(connection.engine.url), version))
            app.state.index = built
        return built[1]


def index_unless_busy(app: FastAPI, engine: Engine) -> MatchIndex | None:
    """The index as `shared_index` gives it, or None at once when another process is building it (web/warm.py)."""
    with engine.connect() as connection:
        version = data_version(connection)
        built: tuple[str, MatchIndex] | None = getattr(app.state, "index", None)
        if built is not None and built[0] == version:
            return built[1]
        with _BUILDING:
            index = load_or_build_unless_busy(connection, index_root(connection.engine.url), version)
            if index is not None:
                app.state.index = (version, index)
            return index
