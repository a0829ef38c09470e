"""The matching index shared by every page and API endpoint of one app.

Built on first use and kept on `app.state`, so the API and the pages share one index; rebuilt when
the store's table counts change.
"""

from __future__ import annotations

import threading

from fastapi import FastAPI
from sqlalchemy import Engine

from fusionatlas.match.index import MatchIndex, build_index
from fusionatlas.store import queries

_BUILDING = threading.Lock()


def shared_index(app: FastAPI, engine: Engine) -> MatchIndex:
    # One thread builds while the others wait: concurrent first requests must not build it twice.
    with _BUILDING, engine.connect() as connection:
        version = tuple(queries.counts(connection).values())
        if getattr(app.state, "index", None) is None or getattr(app.state, "index_version", None) != version:
            app.state.index = build_index(connection)
            app.state.index_version = version
    return app.state.index
