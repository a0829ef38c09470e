"""Search on the bundled atlas: readings, synonyms both ways, makers first, links, filters, suggestions."""

import pytest
from sqlalchemy import create_engine

from fusionatlas.domain.audience import PUBLIC, Audience
from fusionatlas.search.index import KIND_ORDER, SearchIndex


@pytest.fixture(scope="module")
def index(templates, tmp_path_factory):
    from tests.conftest import _bundled

    url = templates.sqlite("bundled", _bundled, tmp_path_factory.mktemp("search") / "atlas.db")
    engine = create_engine(url)
    with engine.connect() as connection:
        built = SearchIndex.build(connection, PUBLIC)
    engine.dispose()
    return built


def ids(found, kind):
    return [r.id for r in found.results if r.kind == kind]


@pytest.mark.parametrize("query", ["ふじくら", "フジクラ", "fujikura", "Fujikura", "FUJIKURA"])
def test_a_maker_is_found_by_its_reading_in_kana_or_romaji(index, query):
    assert ids(index.search(query), "organizations")[0] == "org:fujikura"


@pytest.mark.parametrize("query", ["とうしば", "toshiba"])
def test_a_kanji_name_is_found_by_its_generated_reading(index, query):
    assert "org:toshiba" in ids(index.search(query), "organizations")


def test_a_short_romaji_word_does_not_match_readings(index):
    # "to" would start half the readings (トウキョウ, トウシバ...) and sit inside half the capabilities' words
    # (tokamak, tritium storage): too short to mean a name or to find organizations through their capabilities.
    for query in ("to", "ka"):
        organizations = [r for r in index.search(query).results if r.kind == "organizations"]
        assert not any(r.matching_capabilities for r in organizations), query
    named = [r for r in index.search("to").results if r.kind == "organizations"]
    assert named and all("to" in (r.name_en or "").lower() for r in named), "never by a reading starting トウ"


def test_synonyms_work_both_ways(index):
    found = [{(r.kind, r.id) for r in index.search(q).results} for q in ("バルブ", "弁", "valve")]
    assert found[0] == found[1] == found[2]
    assert ("technologies", "tech:cryo.valve") in found[0]


def test_organizations_with_capabilities_on_the_technology_come_first(index):
    found = index.search("ジャイロトロン")
    assert "tech:hcd.gyrotron" in found.technologies or "tech:hcd.ec.gyrotron" in found.technologies
    organizations = [r for r in found.results if r.kind == "organizations"]
    holders = [r for r in organizations if r.capability_on]
    assert holders and organizations[: len(holders)] == holders
    assert "org:canon-electron-tubes" in {r.id for r in holders}
    kinds = [r.kind for r in found.results]
    assert kinds == sorted(kinds, key=KIND_ORDER.index)  # grouped, organizations first


def test_every_result_links_to_its_record(index):
    found = index.search("REBCO")
    for result in found.results:
        if result.kind == "sources":
            continue
        assert result.url, result
        if result.kind == "organizations":
            assert result.url == f"/organizations/{result.id}"
        if result.kind == "capabilities":
            assert result.url.startswith("/organizations/org:") and result.url.endswith(f"#{result.id}")


def test_names_are_names_never_descriptions(index):
    # An organization without a Japanese name keeps its English name, not its Japanese description.
    for result in index.search("バルブ").results:
        if result.kind == "organizations":
            assert result.name_en and len(result.name_ja or "") < 40, result


def test_snippets_in_each_language(index):
    fujikura = index.search("fujikura").results[0]
    assert "REBCO" in fujikura.snippet and any("\u3040" <= c <= "\u9fff" for c in fujikura.snippet_ja)


def test_filters_by_kind_and_country(index):
    everything = index.search("REBCO")
    only = index.search("REBCO", kinds=frozenset({"organizations"}), country="JP")
    assert (
        only.results
        and {r.kind for r in only.results} == {"organizations"}
        and {r.country for r in only.results} == {"JP"}
    )
    assert only.kinds == everything.kinds  # the counts stay those of the whole query, for the filter's labels
    assert len(only.results) < len(everything.results)


def test_suggestions_by_name_reading_and_romaji(index):
    assert [e.id for e in index.suggest("ふじく")] == ["org:fujikura"]
    assert "org:fujikura" in [e.id for e in index.suggest("fujik")]
    assert "org:toshiba" in [e.id for e in index.suggest("とうし")]
    assert any(e.kind == "technologies" for e in index.suggest("gyro"))
    assert index.suggest("   ") == []


def test_an_index_holds_only_what_its_audience_may_see(loaded_db_url):
    engine = create_engine(loaded_db_url)
    with engine.connect() as connection:
        public = SearchIndex.build(connection, PUBLIC)
        member = SearchIndex.build(connection, Audience(level=1))
    engine.dispose()
    assert public.search("members only").results == []
    assert member.search("members only").results


def test_an_organization_whose_capabilities_match_is_an_organization_match(index):
    found = index.search("tritium")
    organizations = ids(found, "organizations")
    holders = {r.id for r in found.results if r.capability_on}
    # The makers named by their capabilities (detritiation, extraction...) rank right after the holders of the
    # technology the query names, above organizations that only mention the word.
    top = organizations[len(holders) : len(holders) + 10]
    assert {"org:qst", "org:ukaea", "org:kyoto-fusioneering", "org:kit"} <= set(top), organizations[:15]
    qst = next(r for r in found.results if r.id == "org:qst")
    assert qst.matching_capabilities >= 1


@pytest.mark.parametrize("query", ["vacuum valve", "バルブ", "弁"])
def test_a_valve_search_finds_no_investor_or_joint_venture(index, query):
    organizations = ids(index.search(query), "organizations")
    assert "org:fujikin" in organizations
    # Global Brain's reading グローバルブレイン holds バルブ; KEPCO E&C's 合弁 (joint venture) holds 弁.
    assert "org:global-brain" not in organizations and "org:kepco-ec" not in organizations


def test_a_reading_never_stands_in_for_a_description(index):
    found = index.search("ぐろーばる")
    brain = next(r for r in found.results if r.id == "org:global-brain")
    assert "グローバルブレイン" not in brain.snippet_ja and "グローバルブレイン" not in brain.snippet
