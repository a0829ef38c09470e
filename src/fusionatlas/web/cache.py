"""Results computed from the whole atlas, kept per store state so that pages do not recompute them.

A result is keyed by what it depends on (who is looking, filters) and by the store's state: the row
counts of every table (loads, imports, approved submissions) and the length of the audit log (edits
that change no count). Entries also expire after a short time, for writes made outside the app (the
CLI) that change neither. Entries are per process: each worker keeps its own.
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Any, TypeVar

from sqlalchemy import Connection, func, select

from fusionatlas.store import queries
from fusionatlas.store.accounts import audit_log

T = TypeVar("T")
MAX_ENTRIES = 64
MAX_AGE_SECONDS = 30.0
_entries: OrderedDict[Hashable, tuple[float, Any]] = OrderedDict()
_lock = threading.Lock()


def per_state(connection: Connection, key: Hashable, compute: Callable[[], T]) -> T:
    """`compute()` once per (store state, key); recomputed after MAX_AGE_SECONDS."""
    edits = connection.execute(select(func.count()).select_from(audit_log)).scalar_one()
    state = (str(connection.engine.url), tuple(queries.counts(connection).values()), edits, key)
    now = time.monotonic()
    with _lock:
        hit = _entries.get(state)
        if hit is not None and now - hit[0] < MAX_AGE_SECONDS:
            _entries.move_to_end(state)
            return hit[1]
    value = compute()
    with _lock:
        _entries[state] = (now, value)
        while len(_entries) > MAX_ENTRIES:
            _entries.popitem(last=False)
    return value
