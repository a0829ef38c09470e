"""A run against the atlas on SQLite and PostgreSQL: makers and shares follow the audience; demand_by_node."""

import dataclasses

import pytest

from fusionatlas.domain.audience import MEMBERS_LEVEL, OPERATOR, PUBLIC, Audience
from fusionatlas.scenarios.inputs import CapacityEntry, CapacityRow, Library, Quantity, ScenarioError, bundled
from fusionatlas.scenarios.results import demand_by_node, run
from fusionatlas.store.engine import open_engine

MEMBER = Audience(level=MEMBERS_LEVEL, role="member")


def _library() -> Library:
    """The bundled inputs with the gyrotron item on the fixture's node, its capacity split between a public
    Japanese maker and a members-only Japanese maker."""
    base = bundled()
    exact = Quantity(4, 4, 4, "sourced", ("src:iter-gyrotron",))
    entries = (
        CapacityEntry("org:qst", "QST", "QST", exact, 2025),
        CapacityEntry("org:members-only-co", "Members Only", "会員限定", exact, 2025),
        CapacityEntry(None, "Others", "その他", dataclasses.replace(exact, low=8, central=8, high=8), 2025),
    )
    gyrotron = dataclasses.replace(base.items["gyrotron"], technology_ids=("tech:hcd.gyrotron",), capacity=entries)
    return Library({**base.items, "gyrotron": gyrotron}, base.designs, base.scenarios)


@pytest.mark.parametrize(
    ("audience", "makers", "domestic"), [(PUBLIC, [], 0.25), (MEMBER, ["org:members-only-co"], 0.5)]
)
def test_makers_and_shares_follow_the_audience(loaded_db_url, audience, makers, domestic):
    library = _library()
    engine = open_engine(loaded_db_url)
    try:
        with engine.connect() as connection:
            result = run(connection, audience, library.scenario("announced"), library, "JP", ["FR"], draws=50)
    finally:
        engine.dispose()
    gyrotron = next(i for i in result["items"] if i["id"] == "gyrotron")
    listed = [m["org_id"] for m in gyrotron["makers"]]
    assert [m for m in listed if m == "org:members-only-co"] == makers
    assert "org:qst" in listed  # named in a capacity entry, public
    # a maker the audience may not see counts as unattributed capacity, never as domestic
    assert gyrotron["domestic_share"] == domestic
    assert gyrotron["shares"]["unattributed"] == pytest.approx(0.75 if not makers else 0.5)


def test_bad_country_and_partner_are_refused(loaded_db_url):
    engine = open_engine(loaded_db_url)
    try:
        with engine.connect() as connection:
            with pytest.raises(ScenarioError, match="UK"):
                run(connection, OPERATOR, bundled().scenario("announced"), country="UK", draws=10)
            with pytest.raises(ScenarioError, match="partner"):
                run(connection, OPERATOR, bundled().scenario("announced"), partners=["JP"], draws=10)
    finally:
        engine.dispose()


def test_demand_by_node_gives_a_ratio_per_node(bundled_sqlite_url):
    engine = open_engine(bundled_sqlite_url)
    try:
        with engine.connect() as connection:
            found = demand_by_node(connection, "private-buildout")
            assert demand_by_node(connection, "private-buildout") == found  # deterministic
    finally:
        engine.dispose()
    assert found["tech:fuel.supply"] > 1  # tritium demand outruns supply in this scenario
    assert 0 < found["tech:magnet.hts.rebco-tape"] < 10
    assert "tech:magnet.lts.nbti-strand" in found
    assert all(value >= 0 for value in found.values())


def test_capacity_rows_of_other_units_or_items_are_left_out_and_said():
    row = CapacityRow("capa:x", "rebco-tape", None, "X", "X", "m", 2025, 1, 2, 3, "assumption", "n", "n", ())
    unknown = dataclasses.replace(row, id="capa:y", item="warp-coil", unit="km")
    library, ignored = bundled().with_capacities([row, unknown])
    assert [i["id"] for i in ignored] == ["capa:x", "capa:y"]
    assert "unit 'm'" in ignored[0]["reason"] and "unknown item" in ignored[1]["reason"]
    assert library.items["rebco-tape"].capacity == ()
