"""Anonymous answers of `GET /api/search`, kept per process and data version and replayed without the framework.

An anonymous caller (no cookie, no Authorization header) is the public audience, so every anonymous caller
gets the same answer for the same query string while the data version stands. Measured with wrk on the
bundled atlas (docs/benchmarks.md), a cached search spent 0.5 ms in its handler and 1.4 ms more in routing,
parameter validation, the thread-pool hop of a sync endpoint and serialisation; replaying the encoded answer
skips all of that. Only 200 answers are kept, so every refusal (a missing or too long `q`, a bad `top`, a
control character) still goes through the endpoint's checks. Signed-in callers and API tokens always go
through the app: what they see depends on who they are.

Like web/cache.py, an entry is valid for one data version (store/version.py) and at most MAX_AGE_SECONDS, so
writes made by other means than FusionAtlas are seen within that time.
"""

from __future__ import annotations

import time
from collections import OrderedDict
from typing import Any

from sqlalchemy import Engine
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from fusionatlas.store.version import data_version
from fusionatlas.web.cache import MAX_AGE_SECONDS

CACHED_PATHS = frozenset({"/api/search"})
MAX_ENTRIES = 1024
_CREDENTIALS = (b"cookie", b"authorization")


def anonymous(scope: Scope) -> bool:
    return not any(name.lower() in _CREDENTIALS for name, _ in scope.get("headers", []))


def _sets_cookie(start: Message) -> bool:
    return any(name.lower() == b"set-cookie" for name, _ in start.get("headers", []))


class PublicAnswerCache:
    def __init__(self, app: ASGIApp, engine: Engine) -> None:
        self.app = app
        self.engine = engine
        # (path, query string) -> (data version, time kept, response start message, body)
        self._answers: OrderedDict[tuple[str, bytes], tuple[str, float, Message, bytes]] = OrderedDict()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if (
            scope["type"] != "http"
            or scope["method"] != "GET"
            or scope["path"] not in CACHED_PATHS
            or not anonymous(scope)
        ):
            await self.app(scope, receive, send)
            return
        key = (scope["path"], scope.get("query_string", b""))
        with self.engine.connect() as connection:
            version = data_version(connection)
        kept = self._answers.get(key)
        if kept is not None and kept[0] == version and time.monotonic() - kept[1] < MAX_AGE_SECONDS:
            self._answers.move_to_end(key)
            await send(dict(kept[2]))  # a copy: the security-header middleware outside rewrites the message
            await send({"type": "http.response.body", "body": kept[3]})
            return
        await self.app(scope, receive, self._keeping(key, version, send))

    def _keeping(self, key: tuple[str, bytes], version: str, send: Send) -> Send:
        start: dict[str, Any] = {}
        parts: list[bytes] = []

        async def keep(message: Message) -> None:
            if message["type"] == "http.response.start":
                start.update(message)
            elif message["type"] == "http.response.body":
                parts.append(message.get("body", b""))
                if not message.get("more_body") and start.get("status") == 200 and not _sets_cookie(start):
                    self._store(key, (version, time.monotonic(), dict(start), b"".join(parts)))
            await send(message)

        return keep

    def _store(self, key: tuple[str, bytes], entry: tuple[str, float, Message, bytes]) -> None:
        self._answers[key] = entry
        self._answers.move_to_end(key)
        while len(self._answers) > MAX_ENTRIES:
            self._answers.popitem(last=False)
