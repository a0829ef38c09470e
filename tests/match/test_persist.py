"""The matching index on disk (match/persist.py): the same answers as a fresh build, one folder per data
version, never a stale or damaged folder trusted, and one build when processes start together."""

import json
import os
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import numpy as np
import pytest
from sqlalchemy import insert
from sqlalchemy.engine import make_url

from fusionatlas.dataset import BUNDLED
from fusionatlas.dataset.package import load_package
from fusionatlas.domain.audience import OPERATOR, PUBLIC
from fusionatlas.match.engine import match
from fusionatlas.match.index import MatchIndex, build_index
from fusionatlas.match.opportunities import opportunities, seeds_of_organization, seeds_of_text
from fusionatlas.match.persist import FORMAT, INDEX_DIR_ENV, MANIFEST, RECORDS, index_root, load_or_build
from fusionatlas.store.schema import TABLES_BY_NAME
from tests import fixtures

QUERIES = ("REBCO tape for HTS magnets", "高温超伝導線材", "gyrotron 170 GHz", "ダイバータ タングステン", "tritium")


def versions(root: Path) -> list[str]:
    return sorted(p.name for p in root.iterdir() if p.name != ".lock")


def from_disk(index: MatchIndex) -> bool:
    """Arrays loaded from a folder are memory-mapped read-only; a fresh build's are not."""
    return not index.cap_org.flags.writeable and not index.bm25.tf.data.flags.writeable


def assert_same_index(built: MatchIndex, loaded: MatchIndex) -> None:
    for name in ("technologies", "children", "organizations", "org_position", "capabilities", "needs", "need_words"):
        assert getattr(loaded, name) == getattr(built, name), name
    for name in ("cap_org", "cap_trl", "cap_level", "doc_org", "doc_level", "doc_cap", "org_level", "caps_order"):
        assert np.array_equal(getattr(loaded, name), getattr(built, name)) and (
            getattr(loaded, name).dtype == getattr(built, name).dtype
        ), name
    assert loaded.tech_caps.keys() == built.tech_caps.keys()
    assert all(np.array_equal(loaded.tech_caps[t], built.tech_caps[t]) for t in built.tech_caps)
    assert loaded.bm25.vocabulary == built.bm25.vocabulary
    assert loaded.bm25.tf.shape == built.bm25.tf.shape
    for part in ("data", "indices", "indptr"):
        assert np.array_equal(getattr(loaded.bm25.tf, part), getattr(built.bm25.tf, part)), part
    for level in range(3):  # the per-level word statistics are derived alike on load
        assert np.array_equal(loaded.bm25.idf[level], built.bm25.idf[level])
        assert loaded.bm25.average[level] == built.bm25.average[level]


def index_of(engine) -> MatchIndex:
    with engine.connect() as connection:
        return load_or_build(connection, index_root(engine.url))


def test_a_loaded_index_answers_as_a_fresh_build(sqlite_engine):
    load_package(sqlite_engine, BUNDLED)
    with sqlite_engine.connect() as connection:
        built = build_index(connection)
    first = index_of(sqlite_engine)  # builds and writes the folder
    loaded = index_of(sqlite_engine)  # loads it
    assert not from_disk(first) and from_disk(loaded)
    assert_same_index(built, first)
    assert_same_index(built, loaded)
    for query in QUERIES:
        for audience in (PUBLIC, OPERATOR):
            assert match(loaded, query, 20, audience=audience) == match(built, query, 20, audience=audience), query
        assert match(loaded, query, 10, "JP", None, 5) == match(built, query, 10, "JP", None, 5)
    for org_id in ("org:fujikura", "org:qst", "org:iter-organization"):
        seeds = seeds_of_organization(built, org_id, OPERATOR)
        assert seeds == seeds_of_organization(loaded, org_id, OPERATOR)
        assert opportunities(loaded, seeds, 10, OPERATOR) == opportunities(built, seeds, 10, OPERATOR)
    seeds = seeds_of_text(built, "ジャイロトロン")
    assert opportunities(loaded, seeds, 10, PUBLIC) == opportunities(built, seeds, 10, PUBLIC)
    root = index_root(sqlite_engine.url)
    assert root == Path(str(sqlite_engine.url.database) + ".index")
    assert len(versions(root)) == 1


def test_a_new_data_version_is_built_and_the_old_one_removed(sqlite_engine, package, tmp_path):
    load_package(sqlite_engine, package)
    before = index_of(sqlite_engine)
    root = index_root(sqlite_engine.url)
    old = versions(root)
    changed = fixtures.CAPABILITIES.replace("REBCO tape for fusion magnets", "REBCO tape and tokamak")
    load_package(sqlite_engine, fixtures.write_package(tmp_path / "changed", capabilities_csv=changed))
    after = index_of(sqlite_engine)
    assert versions(root) != old and len(versions(root)) == 1 and from_disk(index_of(sqlite_engine))
    assert "tokamak" in after.bm25.vocabulary and "tokamak" not in before.bm25.vocabulary
    with sqlite_engine.connect() as connection:
        assert_same_index(build_index(connection), after)


def damage_truncated_array(folder: Path) -> None:
    path = folder / "bm25_data.npy"
    path.write_bytes(path.read_bytes()[:-8])


def damage_flipped_byte(folder: Path) -> None:  # same size: only the checksum tells
    path = folder / RECORDS
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 0x01
    path.write_bytes(bytes(data))


def damage_missing_file(folder: Path) -> None:
    (folder / "cap_org.npy").unlink()


def damage_other_format(folder: Path) -> None:
    manifest = json.loads((folder / MANIFEST).read_text())
    (folder / MANIFEST).write_text(json.dumps({**manifest, "format": FORMAT + 1}))


def damage_manifest_not_json(folder: Path) -> None:
    (folder / MANIFEST).write_text('{"format": 1, "vers')


def damage_no_manifest(folder: Path) -> None:  # what a builder killed mid-write would leave, had it no temp folder
    (folder / MANIFEST).unlink()


@pytest.mark.parametrize(
    "damage",
    [
        damage_truncated_array,
        damage_flipped_byte,
        damage_missing_file,
        damage_other_format,
        damage_manifest_not_json,
        damage_no_manifest,
    ],
)
def test_a_damaged_or_partial_folder_is_rebuilt(sqlite_engine, package, damage):
    load_package(sqlite_engine, package)
    index_of(sqlite_engine)
    root = index_root(sqlite_engine.url)
    (folder,) = (root / name for name in versions(root))
    damage(folder)
    (root / ".tmp-crashed-builder").mkdir()  # a builder that died mid-write leaves its temporary folder
    rebuilt = index_of(sqlite_engine)
    assert versions(root) == [folder.name]  # rebuilt in place; the leftover removed
    with sqlite_engine.connect() as connection:
        assert_same_index(build_index(connection), rebuilt)
    assert from_disk(index_of(sqlite_engine))


def test_records_changed_without_a_new_version_are_not_trusted(sqlite_engine, package):
    """A row added by hand (SQL, not FusionAtlas) keeps the data version; the row counts tell."""
    load_package(sqlite_engine, package)
    index_of(sqlite_engine)
    with sqlite_engine.begin() as connection:
        connection.execute(
            insert(TABLES_BY_NAME["organizations"]).values(
                id="org:by-hand", name_en="By Hand", kind="company", country="JP", visibility="public"
            )
        )
    assert "org:by-hand" in index_of(sqlite_engine).org_position


@pytest.fixture(autouse=True)
def beside_the_database(monkeypatch):
    """These tests look at the default place (tests/conftest.py points the suite's elsewhere)."""
    monkeypatch.delenv(INDEX_DIR_ENV, raising=False)


def test_where_each_database_keeps_its_index(tmp_path):
    sqlite = make_url(f"sqlite:///{tmp_path}/x.db")
    assert index_root(sqlite, {}) == tmp_path / "x.db.index"
    assert index_root(sqlite, {INDEX_DIR_ENV: str(tmp_path / "i")}).parent == tmp_path / "i"
    assert index_root(sqlite, {INDEX_DIR_ENV: "memory"}) is None
    assert index_root(make_url("sqlite://"), {}) is None
    assert index_root(make_url("sqlite:///:memory:"), {}) is None
    secret = make_url("postgresql+psycopg://atlas:s3cret@db.example/atlas")
    other_password = make_url("postgresql+psycopg://atlas:changed@db.example/atlas")
    root = index_root(secret, {INDEX_DIR_ENV: str(tmp_path)})
    assert root is not None and root.parent == tmp_path and "s3cret" not in str(root)
    assert root == index_root(other_password, {INDEX_DIR_ENV: str(tmp_path)})  # the password is not the key
    assert root != index_root(make_url("postgresql+psycopg://atlas@db.example/other"), {INDEX_DIR_ENV: str(tmp_path)})
    cached = index_root(secret, {"XDG_CACHE_HOME": str(tmp_path / "cache")})
    assert cached is not None and cached.parent == tmp_path / "cache" / "fusionatlas" / "index"
    assert index_root(secret, {INDEX_DIR_ENV: "memory"}) is None


def test_an_unwritable_folder_leaves_the_index_in_memory(sqlite_engine, package, tmp_path):
    if os.geteuid() == 0:
        blocked = tmp_path / "blocked"
        blocked.write_text("a file where the folder would be")
    else:
        blocked = tmp_path / "read-only" / "index"
        blocked.parent.mkdir(mode=0o500)
    load_package(sqlite_engine, package)
    with sqlite_engine.connect() as connection:
        index = load_or_build(connection, blocked)
        assert not from_disk(index)
        assert_same_index(build_index(connection), index)


BUILDER = textwrap.dedent(
    """
    import json, sys, time
    from pathlib import Path
    from fusionatlas.match import persist
    from fusionatlas.store.engine import open_engine

    builds = []
    real_build = persist.build_index
    def counted_build(connection):
        builds.append(1)
        time.sleep(0.5)  # a slower build: the other process surely asks while this one holds the lock
        return real_build(connection)
    persist.build_index = counted_build
    engine = open_engine(sys.argv[1])
    go = Path(sys.argv[2])
    while not go.exists():
        time.sleep(0.01)
    with engine.connect() as connection:
        index = persist.load_or_build(connection, persist.index_root(engine.url))
    print(json.dumps({"builds": len(builds), "organizations": len(index.organizations),
                      "from_disk": not index.cap_org.flags.writeable}))
    """
)


def test_two_processes_starting_together_build_once(sqlite_engine, package, tmp_path):
    load_package(sqlite_engine, package)
    go = tmp_path / "go"
    processes = [
        subprocess.Popen(
            [sys.executable, "-c", BUILDER, str(sqlite_engine.url), str(go)], stdout=subprocess.PIPE, text=True
        )
        for _ in range(2)
    ]
    time.sleep(1.0)  # both started and waiting
    go.touch()
    reports = [json.loads(p.communicate(timeout=120)[0]) for p in processes]
    assert all(p.returncode == 0 for p in processes)
    assert sum(r["builds"] for r in reports) == 1, reports
    assert sorted(r["from_disk"] for r in reports) == [False, True]  # the builder keeps what it built
    assert all(r["organizations"] == len(fixtures.ORGANIZATIONS.splitlines()) - 1 for r in reports)
    root = index_root(sqlite_engine.url)
    assert len(versions(root)) == 1 and not [p for p in root.iterdir() if p.name.startswith(".tmp-")]


def test_unless_busy_gives_way_to_a_builder_in_another_process(sqlite_engine, package):
    from fusionatlas.match.persist import LOCK, load_or_build_unless_busy

    load_package(sqlite_engine, package)
    root = index_root(sqlite_engine.url)
    root.mkdir(parents=True)
    holder = subprocess.Popen(  # another process holding the builders' lock, as one building would
        [sys.executable, "-c", "import fcntl, sys, time; f = open(sys.argv[1], 'a'); fcntl.flock(f, fcntl.LOCK_EX);"
         " print('locked', flush=True); time.sleep(60)", str(root / LOCK)],
        stdout=subprocess.PIPE, text=True,
    )  # fmt: skip
    try:
        assert holder.stdout.readline().strip() == "locked"
        with sqlite_engine.connect() as connection:
            assert load_or_build_unless_busy(connection, root) is None
    finally:
        holder.kill()
        holder.wait()
    with sqlite_engine.connect() as connection:
        index = load_or_build_unless_busy(connection, root)
    assert index is not None and versions(root)  # built and written once the lock was free
