"""`fusionatlas check` on the bundled atlas: no duplicates, the corrected sources, and a ceiling on records
resting on weak sources only, so that the atlas can only get better (docs/data-guide.md)."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from fusionatlas.analysis.check import run_checks
from fusionatlas.domain.audience import OPERATOR
from fusionatlas.store.engine import open_engine
from fusionatlas.store.schema import TABLES_BY_NAME

# Records whose every source is a mirror, a copy, an aggregator or has no address, counted on 2026-12-06
# after the first pass of replacements (142); lower it when sources are replaced, never raise it. The one
# exception, the same day: merging the relations and capacities tables (whose rows took over ties and
# figures from capabilities, with the same weak sources) brought it to 162; a second pass of replacements
# the same day brought it to 132; a third pass (2026-12-06) brought it to 125.
WEAK_SOURCE_CEILING = 125


@pytest.fixture
def bundled_atlas(bundled_sqlite_url):
    engine = open_engine(bundled_sqlite_url)
    yield engine
    engine.dispose()


@pytest.fixture
def report(bundled_atlas):
    with bundled_atlas.connect() as connection:
        return run_checks(connection, OPERATOR, date(2026, 12, 6))


def test_no_probable_duplicates(report):
    assert [f["id"] for f in report.findings if f["kind"] == "duplicate"] == []


def test_records_on_weak_sources_only_do_not_grow(report):
    weak = [f for f in report.findings if f["kind"] == "weak_source"]
    assert len(weak) <= WEAK_SOURCE_CEILING, len(weak)


def test_the_strategy_overview_and_the_fia_aggregates_cite_their_publishers(bundled_atlas, report):
    sources, investments = TABLES_BY_NAME["sources"], TABLES_BY_NAME["investments"]
    with bundled_atlas.connect() as connection:
        overview = connection.execute(
            select(sources.c.url).where(sources.c.id == "src:cstp-2024-fusion-strategy-overview")
        ).scalar_one()
        urls = dict(connection.execute(select(sources.c.id, sources.c.url)).tuples().all())
        aggregates = dict(
            connection.execute(
                select(investments.c.id, investments.c.source_ids).where(
                    investments.c.id.like("inv:private-fusion-%fia-202%")
                )
            )
            .tuples()
            .all()
        )
    assert overview and overview.startswith("https://www8.cao.go.jp/")
    for year in ("2024", "2025"):
        cited = aggregates[f"inv:private-fusion-cumulative-fia-{year}"]
        assert any("fusionindustryassociation.org" in (urls[s] or "") for s in cited), year
    assert not {f["id"] for f in report.findings if f["kind"] == "weak_source"} & set(aggregates)
