"""Loading a data package into both databases: idempotent, all or nothing."""

import pytest

from fusionatlas.dataset.exports import snapshot
from fusionatlas.dataset.package import load_package, validate_package
from fusionatlas.dataset.problems import BadInput, ValidationFailed
from fusionatlas.domain.audience import OPERATOR
from fusionatlas.store import queries
from tests import fixtures
from tests.fixtures import write_package


def counts(engine):
    with engine.connect() as connection:
        return queries.counts(connection, OPERATOR)


def test_load_twice_gives_the_same_counts_and_content(engine, package):
    load_package(engine, package)
    first = snapshot(engine)
    load_package(engine, package)
    assert counts(engine) == fixtures.COUNTS
    assert snapshot(engine) == first


def test_loading_updates_changed_records(engine, tmp_path, package):
    load_package(engine, package)
    changed = fixtures.ORGANIZATIONS.replace("Tokyo", "Sakura")
    load_package(engine, write_package(tmp_path / "v2", organizations_csv=changed))
    [fujikura] = [o for o in snapshot(engine)["organizations"] if o["id"] == "org:fujikura"]
    assert fujikura["city"] == "Sakura"


def test_a_bad_package_changes_nothing(engine, tmp_path, package):
    load_package(engine, package)
    before = snapshot(engine)
    caps = fixtures.CAPABILITIES + "cap:x,org:nobody,tech:magnet,,,,,,,,,public,src:fujikura-hts,false\n"
    orgs = fixtures.ORGANIZATIONS.replace("Tokyo", "Changed")
    with pytest.raises(ValidationFailed):
        load_package(engine, write_package(tmp_path / "bad", capabilities_csv=caps, organizations_csv=orgs))
    assert snapshot(engine) == before


def test_check_writes_nothing(tmp_path, package):
    report = validate_package(package)
    assert report.counts["organizations"] == 4
    assert not list(tmp_path.glob("*.db"))


def test_not_a_package(tmp_path):
    (tmp_path / "empty").mkdir()
    with pytest.raises(BadInput, match="not a data package"):
        validate_package(tmp_path / "empty")
    with pytest.raises(BadInput, match="no such folder"):
        validate_package(tmp_path / "missing")
