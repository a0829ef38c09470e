"""What each worker of `serve` computes at start-up, before it takes any request (web/serving.py).

Every worker process keeps its own cache (web/cache.py), and a request that finds an entry missing computes
it while holding the GIL: at 10,000 organizations the technology map, the gap analysis, the industry and the
matching index take seconds, during which the worker's other requests crawl. So each worker computes the
anonymous visitor's whole-atlas reads and loads (or builds, once for every worker: match/persist.py) the index.
"""

from __future__ import annotations

import gc
import logging

from fastapi import FastAPI
from sqlalchemy import Engine

from fusionatlas.domain.audience import PUBLIC
from fusionatlas.web.i18n import LANGUAGES
from fusionatlas.web.match_index import index_unless_busy, shared_index
from fusionatlas.web.pages import home, organizations, search, technologies

log = logging.getLogger(__name__)


def warm(app: FastAPI, engine: Engine) -> None:
    try:
        # The index first: loaded when it is on disk, else this worker builds it, unless another worker
        # already is (match/persist.py), in which case this one computes the rest meanwhile and loads it after.
        indexed = index_unless_busy(app, engine) is not None
        with engine.connect() as connection:
            home.figures(connection, PUBLIC)
            search.search_index(connection, PUBLIC)
            technologies.cached_map(connection, PUBLIC)
            technologies.public_gaps(connection)
            organizations.technology_records(connection)
            listing = organizations.listing_for(connection, PUBLIC)
            for lang in LANGUAGES:
                listing.ordered("name", lang)
        if not indexed:
            shared_index(app, engine)
    except Exception:
        # Warming only saves time: a failure here leaves the pages to compute on demand, as they can.
        log.exception("computing the caches at start-up failed")
        return
    # What was just computed lives as long as the process. Left to the collector, it is walked by every full
    # collection: at 10,000 organizations a pause of ~250 ms every few hundred requests, for every request
    # in flight. Frozen, it is left alone (and, holding no reference cycles, still freed when replaced).
    gc.collect()
    gc.freeze()
