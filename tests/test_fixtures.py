"""The suite's own plumbing (tests/conftest.py): template copies are complete, current and independent."""

from __future__ import annotations

from sqlalchemy import text

from fusionatlas.dataset.package import load_package
from fusionatlas.domain.audience import OPERATOR
from fusionatlas.store import accounts
from fusionatlas.store.engine import open_engine
from fusionatlas.store.migrate import is_current
from fusionatlas.store.queries import counts
from tests.conftest import WORKER


def _counts(url):
    engine = open_engine(url)
    try:
        with engine.connect() as connection:
            return counts(connection, OPERATOR)
    finally:
        engine.dispose()


def test_a_migrated_copy_is_current_and_empty(migrated_db_url):
    assert is_current(open_engine(migrated_db_url, pooled=False))
    assert set(_counts(migrated_db_url).values()) == {0}


def test_a_loaded_copy_holds_what_loading_the_package_gives(loaded_db_url, sqlite_engine, package):
    load_package(sqlite_engine, package)
    loaded = _counts(loaded_db_url)
    assert loaded == _counts(str(sqlite_engine.url)) and loaded["organizations"] > 0


def _one_member(engine):
    with engine.begin() as connection:
        accounts.create_user(connection, "member@example.org", "correct horse battery", "member")


def test_copies_are_independent(db_from_template):
    first = db_from_template("one-member", _one_member)
    second = db_from_template("one-member", _one_member)
    assert first != second
    engine = open_engine(first)
    with engine.begin() as connection:
        assert connection.execute(text("SELECT count(*) FROM users")).scalar_one() == 1
        connection.execute(text("DELETE FROM users"))
    engine.dispose()
    engine = open_engine(second)
    with engine.connect() as connection:
        assert connection.execute(text("SELECT count(*) FROM users")).scalar_one() == 1
    engine.dispose()


def test_an_empty_database_is_empty(db_url):
    assert not is_current(open_engine(db_url, pooled=False))


def test_postgresql_databases_carry_the_workers_name(loaded_db_url):
    if loaded_db_url.startswith("postgresql"):
        assert f"_{WORKER}_" in loaded_db_url.rsplit("/", 1)[1]


def test_password_hashing_is_fast_in_tests_and_verifies_anywhere():
    from argon2 import PasswordHasher

    made = accounts.hash_password("correct horse battery")
    assert "m=8,t=1,p=1" in made  # FUSIONATLAS_ARGON2_FAST=1, set by tests/conftest.py
    production = PasswordHasher()  # what a deployment uses
    assert production.verify(made, "correct horse battery")
    assert production.check_needs_rehash(made)  # upgraded at the next login
