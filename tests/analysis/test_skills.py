"""Skills in demand against where they are taught, on the fixture package (SQLite and PostgreSQL): which
records call for which skill, who may see what, and the gap input per technology node."""

from datetime import date

import pytest

from fusionatlas.analysis.skills import gap_by_node, programme_skills, skill_view, skills_by_node
from fusionatlas.domain.audience import OPERATOR, PUBLIC
from fusionatlas.store import queries
from fusionatlas.store.engine import open_engine

TODAY = date(2026, 12, 6)


@pytest.fixture
def engine(loaded_db_url):
    engine = open_engine(loaded_db_url)
    yield engine
    engine.dispose()


def by_id(view):
    return {row.skill["id"]: row for row in view.rows}


def test_a_node_inherits_the_skills_of_its_ancestors():
    technologies = {
        "tech:a": {"id": "tech:a", "parent": None},
        "tech:a.b": {"id": "tech:a.b", "parent": "tech:a"},
        "tech:a.b.c": {"id": "tech:a.b.c", "parent": "tech:a.b"},
        "tech:d": {"id": "tech:d", "parent": None},
    }
    skills = [{"id": "skill:top", "technology_ids": ["tech:a"]}, {"id": "skill:mid", "technology_ids": ["tech:a.b"]}]
    found = skills_by_node(skills, technologies)
    assert found == {
        "tech:a": {"skill:top"},
        "tech:a.b": {"skill:top", "skill:mid"},
        "tech:a.b.c": {"skill:top", "skill:mid"},
        "tech:d": set(),
    }


def test_the_world_view_counts_every_buyer_and_every_offer(engine):
    with engine.connect() as connection:
        view = skill_view(connection, PUBLIC, None, TODAY)
    rows = by_id(view)
    # ITER's open gyrotron need calls for RF engineering (the skill names tech:hcd, the need tech:hcd.gyrotron).
    assert rows["skill:rf-microwave"].demand == 1
    assert rows["skill:rf-microwave"].need_ids == ["need:iter-gyrotron"]
    assert rows["skill:rf-microwave"].training_count == 0
    assert rows["skill:rf-microwave"].gap == 1.0
    assert rows["skill:magnet-winding"].training_ids == ["train:qst-magnet-school"]
    assert rows["skill:magnet-winding"].gap == 0.0
    assert [row.skill["id"] for row in view.rows] == ["skill:rf-microwave", "skill:magnet-winding"]
    assert [w["id"] for w in view.workforce] == ["wf:jp-example"]


def test_a_country_view_keeps_its_own_buyers_holders_and_offers(engine):
    with engine.connect() as connection:
        japan = by_id(skill_view(connection, PUBLIC, "JP", TODAY))
        france = by_id(skill_view(connection, PUBLIC, "FR", TODAY))
    assert japan["skill:rf-microwave"].demand == 0  # the buyer is in France
    assert france["skill:rf-microwave"].demand == 1
    assert japan["skill:magnet-winding"].holder_ids == {"org:fujikura"}
    assert japan["skill:magnet-winding"].training_count == 1
    assert france["skill:magnet-winding"].training_count == 0


def test_what_the_public_may_not_see_counts_for_nothing(engine):
    with engine.connect() as connection:
        public = by_id(skill_view(connection, PUBLIC, "JP", TODAY))
        operator = by_id(skill_view(connection, OPERATOR, "JP", TODAY))
    # The members-only company's gyrotron capability: a holder for the operator only.
    assert public["skill:rf-microwave"].holder_ids == set()
    assert operator["skill:rf-microwave"].holder_ids == {"org:members-only-co"}


def test_the_gap_input_per_node_is_the_largest_gap_of_its_skills_scaled_to_one(engine):
    with engine.connect() as connection:
        view = skill_view(connection, PUBLIC, None, TODAY)
        technologies, _children = queries.technology_tree(connection)
    gaps = gap_by_node(view, technologies)
    assert gaps["tech:hcd.gyrotron"] == 1.0
    assert gaps["tech:magnet.hts"] == 0.0
    assert set(gaps) == set(technologies)


def test_a_funding_programme_takes_the_skills_of_the_offers_it_pays_for(engine):
    with engine.connect() as connection:
        view = skill_view(connection, PUBLIC, None, TODAY)
    assert programme_skills(view.training) == {"prog:uk-euratom-alternative": {"skill:magnet-winding"}}


def test_the_json_view_has_the_documented_keys(engine):
    with engine.connect() as connection:
        document = skill_view(connection, PUBLIC, "JP", TODAY).as_json()
    assert document["country"] == "JP"
    assert set(document["skills"][0]) == {
        "id",
        "name_en",
        "name_ja",
        "demand",
        "holders",
        "training_count",
        "gap",
        "source_ids",
    }


def test_a_contract_won_abroad_is_demand_at_home(tmp_path):
    from fusionatlas.dataset.package import load_package
    from tests.fixtures import write_package

    needs = (
        "id,title_en,title_ja,buyer_org_id,technology_ids,status,published,deadline,awardee_org_ids,visibility,source_ids\n"
        "need:iter-coils,Coil winding,コイル巻線,org:iter-organization,tech:magnet.hts,awarded,2024,2024,"
        "org:fujikura,public,src:iter-gyrotron\n"
        "need:old-coils,Old coils,古いコイル,org:iter-organization,tech:magnet.hts,awarded,2009,2009,"
        "org:fujikura,public,src:iter-gyrotron\n"
    )
    folder = write_package(tmp_path / "p", needs_csv=needs)
    engine = open_engine(f"sqlite:///{tmp_path / 'a.db'}")
    load_package(engine, folder)
    with engine.connect() as connection:
        japan = by_id(skill_view(connection, PUBLIC, "JP", TODAY))
        germany = by_id(skill_view(connection, PUBLIC, "DE", TODAY))
    engine.dispose()
    # Awarded in 2024 to a Japanese maker: demand in Japan; the 2009 award is older than ten years.
    assert japan["skill:magnet-winding"].need_ids == ["need:iter-coils"]
    assert germany["skill:magnet-winding"].demand == 0
