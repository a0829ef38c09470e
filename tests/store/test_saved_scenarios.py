"""Members' saved scenarios in the store: stored only when they parse, private by default, seen by exactly the
audiences the visibility names (owner, owner's organization, members, everyone; editors all), changed only by
the owner and deleted by the owner or an editor; on both databases."""

from __future__ import annotations

import pytest

from fusionatlas.domain.audience import PUBLIC, Audience
from fusionatlas.scenarios.inputs import ScenarioError
from fusionatlas.store import accounts
from fusionatlas.store import saved_scenarios as saved
from fusionatlas.store.engine import open_engine

PASSWORD = "correct horse battery"
YAML = """id: mine
name_en: Two FAST plants
name_ja: FAST級2基
start_year: 2025
end_year: 2040
slip_years: {low: 0, central: 1, high: 3, basis: assumption, note_en: my guess, note_ja: 推定}
plants:
  - {design: fast, count: 2, operation_start: 2036}
"""


@pytest.fixture
def world(loaded_db_url):
    engine = open_engine(loaded_db_url)
    with engine.begin() as connection:
        users = {
            "owner": accounts.create_user(connection, "owner@example.org", PASSWORD, "member", "org:qst"),
            "colleague": accounts.create_user(connection, "colleague@example.org", PASSWORD, "member", "org:qst"),
            "member": accounts.create_user(connection, "member@example.org", PASSWORD, "member", "org:fujikura"),
            "editor": accounts.create_user(connection, "editor@example.org", PASSWORD, "editor"),
        }
    yield engine, users
    engine.dispose()


def audience(user: accounts.User) -> Audience:
    return Audience.of_user(user.id, user.role, user.org_id)


def who_sees(engine, users, saved_id) -> set[str]:
    found = set()
    with engine.connect() as connection:
        if saved.get(connection, saved_id, PUBLIC):
            found.add("anonymous")
        for name, user in users.items():
            if saved.get(connection, saved_id, audience(user)):
                found.add(name)
    return found


def test_a_saved_scenario_is_private_by_default_and_each_visibility_reaches_its_audience(world):
    engine, users = world
    with engine.begin() as connection:
        saved_id = saved.save(connection, users["owner"], YAML)
    with engine.connect() as connection:
        stored = saved.get(connection, saved_id, audience(users["owner"]))
    assert stored is not None and stored.visibility == "private" and stored.org_id == "org:qst"
    assert (stored.name_en, stored.name_ja, stored.yaml) == ("Two FAST plants", "FAST級2基", YAML)
    assert who_sees(engine, users, saved_id) == {"owner", "colleague", "editor"}
    for visibility, expected in (
        ("members", {"owner", "colleague", "member", "editor"}),
        ("public", {"anonymous", "owner", "colleague", "member", "editor"}),
    ):
        with engine.begin() as connection:
            saved.change(connection, saved_id, audience(users["owner"]), visibility=visibility)
        assert who_sees(engine, users, saved_id) == expected
        # `visible` (one row already read) says the same as the SQL condition.
        with engine.connect() as connection:
            row = saved.get(connection, saved_id, audience(users["editor"]))
        assert row is not None
        assert {n for n, u in users.items() if saved.visible(row, audience(u))} == expected - {"anonymous"}


def test_a_private_scenario_of_a_user_without_organization_is_the_owners_alone(world):
    engine, users = world
    with engine.begin() as connection:
        loner = accounts.create_user(connection, "loner@example.org", PASSWORD, "member")
        saved_id = saved.save(connection, loner, YAML)
    assert who_sees(engine, {**users, "loner": loner}, saved_id) == {"loner", "editor"}


def test_bad_yaml_is_refused_with_file_line_and_field_and_nothing_is_stored(world):
    engine, users = world
    bad = {
        YAML.replace("fast", "warp"): "scenario.yaml:8: field 'design'",
        YAML.replace("count: 2", "count: -2"): "scenario.yaml:8: field 'count'",
        YAML.replace("start_year: 2025", "start_year: 1990"): "field 'start_year'",
        YAML.replace("high: 3", "high: -1"): "scenario.yaml:6: field 'slip_years.high'",
        YAML.replace("low: 0", "low: 4"): "scenario.yaml:6: field 'slip_years",
        YAML + "  - {design: [\n": "scenario.yaml:",
    }
    for text, where in bad.items():
        with pytest.raises(ScenarioError, match=where.replace("(", r"\(")), engine.begin() as connection:
            saved.save(connection, users["owner"], text)
    with pytest.raises(saved.SavedScenarioError, match="visibility"), engine.begin() as connection:
        saved.save(connection, users["owner"], YAML, "everyone")
    with engine.connect() as connection:
        assert saved.list_own(connection, users["owner"].id) == []


def test_only_the_owner_changes_it_and_the_owner_or_an_editor_deletes_it(world):
    engine, users = world
    with engine.begin() as connection:
        first = saved.save(connection, users["owner"], YAML, "members")
        second = saved.save(connection, users["owner"], YAML.replace("Two FAST", "Other FAST"), "public")
    for name in ("colleague", "member", "editor"):
        with pytest.raises(saved.SavedScenarioError), engine.begin() as connection:
            saved.change(connection, first, audience(users[name]), visibility="public")
    with pytest.raises(ScenarioError), engine.begin() as connection:
        saved.change(connection, first, audience(users["owner"]), YAML.replace("fast", "warp"))
    with engine.begin() as connection:
        saved.change(connection, first, audience(users["owner"]), YAML.replace("Two FAST plants", "Renamed"))
    with engine.connect() as connection:
        renamed = saved.get(connection, first, PUBLIC.__class__.of_user(users["owner"].id, "member", "org:qst"))
        assert renamed is not None and renamed.name_en == "Renamed" and renamed.visibility == "members"
        assert [s.id for s in saved.list_own(connection, users["owner"].id)] == [first, second]
        assert [s.id for s in saved.list_shared(connection, PUBLIC)] == [second]
        assert [s.id for s in saved.list_shared(connection, audience(users["member"]))] == [first, second]
        assert saved.list_shared(connection, audience(users["owner"])) == []
    with pytest.raises(saved.SavedScenarioError), engine.begin() as connection:
        saved.remove(connection, first, audience(users["colleague"]))
    with engine.begin() as connection:
        saved.remove(connection, first, audience(users["owner"]))
        saved.remove(connection, second, audience(users["editor"]))
    with engine.connect() as connection:
        assert saved.list_own(connection, users["owner"].id) == []


def test_the_run_key_changes_with_the_yaml(world):
    engine, users = world
    with engine.begin() as connection:
        saved_id = saved.save(connection, users["owner"], YAML)
        before = saved.get(connection, saved_id, audience(users["owner"]))
        saved.change(connection, saved_id, audience(users["owner"]), YAML.replace("count: 2", "count: 3"))
        after = saved.get(connection, saved_id, audience(users["owner"]))
    assert before is not None and after is not None and before.digest != after.digest
