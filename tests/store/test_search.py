"""The first bilingual search: a term in one language finds records written in the other."""

import pytest

from fusionatlas.dataset.package import load_package
from fusionatlas.domain.audience import OPERATOR, PUBLIC
from fusionatlas.store import queries


@pytest.fixture
def connection(engine, package):
    load_package(engine, package)
    with engine.connect() as connection:
        yield connection


def ids(hits):
    return [h.id for h in hits]


def test_japanese_query_finds_english_only_records(connection):
    hits = queries.search(connection, "ジャイロトロン", PUBLIC)
    assert ids(hits)[0] == "tech:hcd.gyrotron"
    assert "need:iter-gyrotron" in ids(hits)


def test_english_synonym_finds_the_technology_and_its_suppliers(connection):
    found = ids(queries.search(connection, "REBCO", OPERATOR))
    assert found[0] == "tech:magnet.hts"
    assert "org:fujikura" in found and "cap:fujikura.magnet.hts" in found


def test_spelling_variants_and_width(connection):
    assert "tech:magnet" in ids(queries.search(connection, "超電導マグネット", OPERATOR))
    assert "tech:hcd.gyrotron" in ids(queries.search(connection, "ｼﾞｬｲﾛﾄﾛﾝ", OPERATOR))


def test_every_term_must_match(connection):
    assert ids(queries.search(connection, "REBCO gyrotron", OPERATOR)) == []


def test_public_only_hides_members_records(connection):
    assert "org:members-only-co" in ids(queries.search(connection, "members only", OPERATOR))
    assert "org:members-only-co" not in ids(queries.search(connection, "members only", PUBLIC))


@pytest.mark.parametrize("query", ["", "   ", "%", "_", "🔥", "\\"])
def test_odd_queries_return_an_empty_list(connection, query):
    assert queries.search(connection, query, OPERATOR) == []


def test_limit(connection):
    assert len(queries.search(connection, "a", OPERATOR, limit=2)) == 2
