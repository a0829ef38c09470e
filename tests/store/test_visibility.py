"""The audience's rules as SQL: every table, on SQLite and PostgreSQL, agrees with `Audience.may_see`."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from fusionatlas.dataset.package import load_package
from fusionatlas.domain import TABLES
from fusionatlas.domain.audience import MEMBERS_LEVEL, OPERATOR, PUBLIC, Audience
from fusionatlas.store import queries
from fusionatlas.store.schema import TABLES_BY_NAME
from fusionatlas.store.visibility import where_visible
from tests.fixtures import CAPABILITIES, INVESTMENTS, MILESTONES, NEEDS, ORGANIZATIONS, RELATIONS, write_package

# A private organization with a public capability, a public need, a milestone and an investment.
PRIVATE_ORG = "org:private-co,Private Co,非公開株式会社,company,JP,,,,,Zqprivate keeps apart.,非公開。,private,,true\n"
PRIVATE_CAP = (
    "cap:private-co.gyrotron,org:private-co,tech:hcd.gyrotron,Zqprivate gyrotron windows,ジャイロトロン窓,"
    ",,,,,,public,,true\n"
)
PRIVATE_NEED = "need:private-co.tape,Zqprivate tape,線材,,,org:private-co,tech:magnet.hts,,,,open,public,,true\n"
PRIVATE_MILESTONE = "ms:private-co.plasma,2030,JP,org:private-co,,first_plasma,Zqprivate plasma,初プラズマ,,,true\n"
# Relations with the private organization as either party: hidden with it, whatever their own visibility.
PRIVATE_RELATIONS = (
    "rel:private-co.qst,contract,org:private-co,org:qst,2024,Zqprivate contract,契約,public,,true\n"
    "rel:qst.private-co,contract,org:qst,org:private-co,2024,Zqprivate order,発注,public,,true\n"
)
PRIVATE_INVESTMENT = "inv:private-co.seed,org:private-co,1000000,USD,2024,seed,,single round,,true\n"

AUDIENCES = {
    "public": PUBLIC,
    "member": Audience(level=MEMBERS_LEVEL),
    "member of private-co": Audience(level=MEMBERS_LEVEL, org_id="org:private-co"),
    "member of qst": Audience(level=MEMBERS_LEVEL, org_id="org:qst"),
    "operator": OPERATOR,
}


@pytest.fixture
def loaded(engine, tmp_path):
    package = write_package(
        tmp_path / "package",
        organizations_csv=ORGANIZATIONS + PRIVATE_ORG,
        capabilities_csv=CAPABILITIES + PRIVATE_CAP,
        needs_csv=NEEDS + PRIVATE_NEED,
        milestones_csv=MILESTONES + PRIVATE_MILESTONE,
        investments_csv=INVESTMENTS + PRIVATE_INVESTMENT,
        relations_csv=RELATIONS + PRIVATE_RELATIONS,
    )
    load_package(engine, package)
    return engine


def _expected(connection, table_name: str, audience: Audience) -> set[str]:
    """What `may_see` allows, record by record: the reference the SQL conditions must agree with."""
    spec = next(s for s in TABLES if s.name == table_name)
    orgs = {r["id"]: r["visibility"] for r in queries.records(connection, "organizations", OPERATOR)}
    allowed = set()
    for record in queries.records(connection, table_name, OPERATOR):
        owner = record.get(spec.owner) if spec.owner else None
        owner_visibility = orgs.get(owner) if owner else None
        other = record.get(spec.co_owner) if spec.co_owner else None
        if other is not None and not audience.may_see(None, orgs.get(other), other):
            continue  # the other party of a relation must be visible too
        if audience.may_see(record.get("visibility"), owner_visibility, owner):
            allowed.add(record[spec.key[0]])
    return allowed


@pytest.mark.parametrize("who", sorted(AUDIENCES))
def test_every_table_agrees_with_may_see(loaded, who):
    audience = AUDIENCES[who]
    with loaded.connect() as connection:
        for spec in TABLES:
            db_table = TABLES_BY_NAME[spec.name]
            query = where_visible(select(db_table.c[spec.key[0]]), audience, spec.name)
            found = set(connection.execute(query).scalars())
            assert found == _expected(connection, spec.name, audience), (who, spec.name)


def test_a_private_organizations_public_records_stay_private(loaded):
    with loaded.connect() as connection:
        public_milestones = queries.counts(connection, PUBLIC)["milestones"]
        for who in ("public", "member", "member of qst"):
            audience = AUDIENCES[who]
            assert queries.search(connection, "zqprivate", audience, 50) == [], who
            assert queries.counts(connection, audience)["milestones"] == public_milestones, who
        own = {h.id for h in queries.search(connection, "zqprivate", AUDIENCES["member of private-co"], 50)}
        assert {"org:private-co", "cap:private-co.gyrotron", "need:private-co.tape", "ms:private-co.plasma"} <= own
        # The relation filed under QST names the private organization: its members see it, QST's do not.
        assert {"rel:private-co.qst", "rel:qst.private-co"} <= own
        assert not queries.search(connection, "zqprivate", AUDIENCES["member of qst"], 50)
        counts = queries.counts(connection, PUBLIC)
        everything = queries.counts(connection, OPERATOR)
    for table_name in ("organizations", "capabilities", "needs", "milestones", "investments", "relations"):
        assert counts[table_name] < everything[table_name], table_name
