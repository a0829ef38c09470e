"""The industry map's core: areas of the technology map, visibility through the caller's predicate, filters,
the area x country matrix and an organization's profile."""

import pytest

from fusionatlas.analysis.industry import (
    area_of,
    filter_organizations,
    industry_matrix,
    memberships,
    read_industry,
    read_profile,
)
from fusionatlas.dataset.package import load_package
from fusionatlas.domain.audience import MEMBERS_LEVEL, OPERATOR, PUBLIC, Audience
from tests.fixtures import CAPABILITIES, INVESTMENTS, write_package

# Test-only records: a members-only capability of a public organization, and an investment that names an
# organization among its investors (invented for the test; marked unconfirmed).
EXTRA_CAPABILITY = "cap:qst.magnet.secret,org:qst,tech:magnet,Secret coil winding,秘密の巻線,,,,,,,members,,true\n"
EXTRA_INVESTMENT = (
    "inv:test-only-round,org:iter-organization,,,2024,test round,Fujikura;Someone Else,test only,,true\n"
    "inv:test-only-hidden,org:members-only-co,,,2024,test round,フジクラ,test only,,true\n"
)


@pytest.fixture
def connection(sqlite_engine, tmp_path):
    package = write_package(
        tmp_path / "package",
        capabilities_csv=CAPABILITIES + EXTRA_CAPABILITY,
        investments_csv=INVESTMENTS + EXTRA_INVESTMENT,
    )
    load_package(sqlite_engine, package)
    with sqlite_engine.connect() as connection:
        yield connection


def test_area_of_walks_to_the_top_and_survives_cycles():
    techs = {
        "a": {"parent": None},
        "a.b": {"parent": "a"},
        "a.b.c": {"parent": "a.b"},
        "x": {"parent": "y"},
        "y": {"parent": "x"},
        "lost": {"parent": "nowhere"},
    }
    roots = area_of(techs)
    assert roots["a.b.c"] == "a" and roots["a"] == "a" and roots["lost"] == "lost"
    assert roots["x"] in {"x", "y"}


def test_anonymous_view_leaves_out_members_records(connection):
    industry = read_industry(connection, PUBLIC)
    ids = [o["id"] for o in industry.organizations]
    assert "org:members-only-co" not in ids and "org:fujikura" in ids
    assert industry.org_areas == {"org:fujikura": {"tech:magnet"}}
    assert industry.areas == ["tech:hcd", "tech:magnet"]
    members = read_industry(connection, Audience(level=MEMBERS_LEVEL))
    assert members.org_areas["org:members-only-co"] == {"tech:hcd"}
    assert members.org_areas["org:qst"] == {"tech:magnet"}


def test_filters(connection):
    industry = read_industry(connection, PUBLIC)
    ids = lambda rows: [o["id"] for o in rows]  # noqa: E731
    assert ids(filter_organizations(industry, country="JP")) == ["org:fujikura", "org:qst"]
    assert ids(filter_organizations(industry, kind="international")) == ["org:iter-organization"]
    assert ids(filter_organizations(industry, area="tech:magnet")) == ["org:fujikura"]
    assert ids(filter_organizations(industry, area="tech:hcd")) == []
    assert ids(filter_organizations(industry, membership="J-Fusion")) == ["org:fujikura"]
    assert ids(filter_organizations(industry, text="ＦＵＪＩ")) == ["org:fujikura"]  # width and case fold
    assert ids(filter_organizations(industry, text="量子科学")) == ["org:qst"]
    assert memberships(industry) == ["j-fusion"]


def test_matrix_counts_distinct_organizations(connection):
    public = industry_matrix(read_industry(connection, PUBLIC))
    assert public.count("tech:magnet", "JP") == 1 and public.count("tech:hcd", "JP") == 0
    assert public.countries[0] == "JP" and set(public.countries) == {"JP", "FR"}
    assert public.areas[0] == "tech:magnet"
    everything = industry_matrix(read_industry(connection, OPERATOR))
    assert everything.count("tech:magnet", "JP") == 2 and everything.count("tech:hcd", "JP") == 1
    assert everything.country_totals["JP"] == 3 and everything.largest == 2


def test_profile(connection):
    profile = read_profile(connection, "org:fujikura", PUBLIC)
    assert [c["id"] for c in profile.capabilities] == ["cap:fujikura.magnet.hts"]
    assert profile.capabilities[0]["technology"]["name_ja"] == "高温超伝導線材"
    assert [i["id"] for i in profile.funded] == ["inv:fujikura-example"]
    assert [i["id"] for i in profile.invested] == ["inv:test-only-round"]  # not the members-only recipient's
    assert profile.invested[0]["recipient"]["name_en"] == "ITER Organization"
    member_view = read_profile(connection, "org:fujikura", Audience(level=MEMBERS_LEVEL))
    assert [i["id"] for i in member_view.invested] == ["inv:test-only-hidden", "inv:test-only-round"]
    assert "src:fujikura-hts" in profile.sources
    qst = read_profile(connection, "org:qst", PUBLIC)
    assert qst.capabilities == [] and qst.milestones[0]["id"] == "ms:jt-60sa-first-plasma"
    assert read_profile(connection, "org:qst", Audience(level=MEMBERS_LEVEL)).capabilities[0]["id"].endswith("secret")
    assert read_profile(connection, "org:members-only-co", PUBLIC) is None
    assert read_profile(connection, "org:members-only-co", Audience(level=MEMBERS_LEVEL)) is not None
    assert read_profile(connection, "org:nowhere", OPERATOR) is None
