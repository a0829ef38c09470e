"""Results computed from the whole atlas, kept per data version so that pages do not recompute them.

A result is keyed by what it depends on (who is looking, filters) and by the store's data version
(store/version.py), which every write through FusionAtlas changes: web edits, approved submissions,
imports, and the CLI's load and import. The first request after such a write recomputes; requests that
arrive meanwhile wait for that one result rather than each computing it. Writes made to the database by
other means (SQL by hand) leave the version alone: an entry older than MAX_AGE_SECONDS is therefore
recomputed in a background thread while requests keep getting the previous value. Entries are per
process: each worker keeps its own.
"""

from __future__ import annotations

import logging
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Hashable
from dataclasses import dataclass
from typing import Any, TypeVar

from sqlalchemy import Connection, Engine

from fusionatlas.store.version import data_version

T = TypeVar("T")
MAX_AGE_SECONDS = 300.0
log = logging.getLogger(__name__)


@dataclass
class _Entry:
    version: str
    value: Any
    made: float
    refreshing: bool = False


class StateCache:
    """A bounded LRU of results per (database, key), each valid for one data version."""

    def __init__(self, max_entries: int) -> None:
        self.max_entries = max_entries
        self._entries: OrderedDict[Hashable, _Entry] = OrderedDict()
        self._computing: dict[Hashable, threading.Lock] = {}
        self._lock = threading.Lock()

    def get(self, connection: Connection, key: Hashable, compute: Callable[[Connection], T]) -> T:
        """`compute(connection)` once per (data version, key); see the module's docstring for when it reruns."""
        slot = (str(connection.engine.url), key)
        version = data_version(connection)
        entry = self._current(slot, version)
        if entry is None:
            with self._slot_lock(slot):
                entry = self._current(slot, version)  # computed by the thread this one waited for
                if entry is None:
                    entry = _Entry(version, compute(connection), time.monotonic())
                    self._store(slot, entry)
        elif time.monotonic() - entry.made > MAX_AGE_SECONDS and not entry.refreshing:
            entry.refreshing = True
            worker = threading.Thread(
                target=self._refresh, args=(connection.engine, slot, compute, entry), daemon=True, name="cache-refresh"
            )
            worker.start()
        return entry.value

    def _current(self, slot: Hashable, version: str) -> _Entry | None:
        with self._lock:
            entry = self._entries.get(slot)
            if entry is None or entry.version != version:
                return None
            self._entries.move_to_end(slot)
            return entry

    def _slot_lock(self, slot: Hashable) -> threading.Lock:
        with self._lock:
            return self._computing.setdefault(slot, threading.Lock())

    def _store(self, slot: Hashable, entry: _Entry) -> None:
        with self._lock:
            self._entries[slot] = entry
            self._entries.move_to_end(slot)
            while len(self._entries) > self.max_entries:
                evicted, _ = self._entries.popitem(last=False)
                self._computing.pop(evicted, None)

    def _refresh(self, engine: Engine, slot: Hashable, compute: Callable[[Connection], Any], old: _Entry) -> None:
        try:
            with engine.connect() as connection:
                version = data_version(connection)
                value = compute(connection)
        except Exception:
            # Keep serving the old value; the next request after another MAX_AGE_SECONDS tries again.
            log.exception("refreshing a cached result failed")
            old.made, old.refreshing = time.monotonic(), False
            return
        self._store(slot, _Entry(version, value, time.monotonic()))

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()
            self._computing.clear()


# Whole-atlas reads (the industry, the technology map, the gap analysis): few keys, each costly.
WHOLE_ATLAS = StateCache(64)
# Results about one record (an organization's opportunities): many small keys, apart so they never evict the above.
PER_RECORD = StateCache(1024)
# What a page shows of one record, ready to render (a technology's suppliers, needs and gap): larger, so fewer.
PAGE_PARTS = StateCache(128)


def per_state(connection: Connection, key: Hashable, compute: Callable[[Connection], T]) -> T:
    return WHOLE_ATLAS.get(connection, key, compute)
