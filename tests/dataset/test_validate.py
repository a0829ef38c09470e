"""Every kind of problem the validator reports, each naming file, line and field."""

import pytest

from fusionatlas.dataset.package import validate_package
from fusionatlas.dataset.problems import ValidationFailed
from tests import fixtures
from tests.fixtures import write_package


def problems_of(tmp_path, **overrides) -> list[str]:
    folder = write_package(tmp_path / "p", **overrides)
    with pytest.raises(ValidationFailed) as caught:
        validate_package(folder)
    return [str(p) for p in caught.value.problems]


def add_row(text: str, row: str) -> str:
    return text + row + "\n"


def test_the_fixture_package_is_valid(package):
    report = validate_package(package)
    assert report.counts == fixtures.COUNTS


def test_unknown_reference(tmp_path):
    caps = add_row(fixtures.CAPABILITIES, "cap:x,org:nobody,tech:magnet,,,,,,,,,public,src:fujikura-hts,false")
    assert problems_of(tmp_path, capabilities_csv=caps) == [
        "capabilities.csv:4: org_id: unknown organizations id 'org:nobody'"
    ]


def test_a_path_can_exclude_only_nodes_below_its_own(tmp_path):
    header = "id,country,technology_id,excludes,programme_en,source_ids\n"
    below = header + "path:jp-a,JP,tech:magnet,tech:magnet.hts,A,src:qst-jt60sa\n"
    assert validate_package(write_package(tmp_path / "ok", country_paths_csv=below)).counts["country_paths"] == 1
    elsewhere = header + "path:jp-b,JP,tech:magnet,tech:hcd.gyrotron;tech:nowhere,B,src:qst-jt60sa\n"
    assert problems_of(tmp_path, country_paths_csv=elsewhere) == [
        "country_paths.csv:2: excludes: unknown technologies id 'tech:nowhere'",
        "country_paths.csv:2: excludes: 'tech:hcd.gyrotron' is not below the path's technology 'tech:magnet'",
    ]


def test_unknown_source(tmp_path):
    orgs = add_row(fixtures.ORGANIZATIONS, "org:x,X,,company,US,,,,,,,public,src:missing,false")
    assert problems_of(tmp_path, organizations_csv=orgs) == [
        "organizations.csv:6: source_ids: unknown sources id 'src:missing'"
    ]


def test_missing_japanese_name_of_a_japanese_organization(tmp_path):
    orgs = add_row(fixtures.ORGANIZATIONS, "org:x,X Corp,,company,JP,,,,,,,public,src:fujikura-hts,false")
    assert problems_of(tmp_path, organizations_csv=orgs) == [
        "organizations.csv:6: name_ja: a Japanese organization needs its Japanese name"
    ]


def test_missing_japanese_name_of_a_technology(tmp_path):
    tech = fixtures.TECHNOLOGIES + "- id: tech:x\n  name_en: X\n  unconfirmed: true\n"
    line = tech.splitlines().index("- id: tech:x") + 1
    assert problems_of(tmp_path, technologies_yaml=tech) == [
        f"technologies.yaml:{line}: name_ja: required, but empty or missing"
    ]


def test_bad_country_code(tmp_path):
    orgs = add_row(fixtures.ORGANIZATIONS, "org:x,X,,company,UK,,,,,,,public,src:fujikura-hts,false")
    [problem] = problems_of(tmp_path, organizations_csv=orgs)
    assert problem.startswith("organizations.csv:6: country: 'UK' is not an ISO 3166-1 alpha-2 country code (use GB)")


def test_bad_date(tmp_path):
    orgs = add_row(fixtures.ORGANIZATIONS, "org:x,X,,company,US,,,2023-02-30,,,,public,src:fujikura-hts,false")
    assert problems_of(tmp_path, organizations_csv=orgs) == ["organizations.csv:6: founded: '2023-02-30' has no day 30"]


def test_duplicate_id(tmp_path):
    orgs = add_row(fixtures.ORGANIZATIONS, "org:qst,QST again,QST,national_lab,JP,,,,,,,public,src:qst-jt60sa,false")
    assert problems_of(tmp_path, organizations_csv=orgs) == [
        "organizations.csv:6: id: duplicate id 'org:qst' (first at line 3)"
    ]


def test_cycle_in_the_technology_tree(tmp_path):
    tech = fixtures.TECHNOLOGIES.replace(
        "- id: tech:magnet\n  parent: null", "- id: tech:magnet\n  parent: tech:magnet.hts"
    )
    [problem] = problems_of(tmp_path, technologies_yaml=tech)
    assert "parent: cycle in the technology tree" in problem
    assert (
        "tech:magnet -> tech:magnet.hts -> tech:magnet" in problem
        or "tech:magnet.hts -> tech:magnet -> tech:magnet.hts" in problem
    )


def test_unknown_parent(tmp_path):
    tech = fixtures.TECHNOLOGIES.replace("parent: tech:hcd\n", "parent: tech:nowhere\n")
    line = tech.splitlines().index("- id: tech:hcd.gyrotron") + 1
    assert problems_of(tmp_path, technologies_yaml=tech) == [
        f"technologies.yaml:{line}: parent: unknown technologies id 'tech:nowhere'"
    ]


def test_record_with_neither_sources_nor_unconfirmed(tmp_path):
    orgs = add_row(fixtures.ORGANIZATIONS, "org:x,X,,company,US,,,,,,,public,,false")
    assert problems_of(tmp_path, organizations_csv=orgs) == [
        "organizations.csv:6: source_ids: the record names no source and is not marked unconfirmed=true"
    ]


def test_every_problem_is_reported_at_once(tmp_path):
    orgs = add_row(fixtures.ORGANIZATIONS, "org:x,X,,company,UK,,,,,,,public,src:qst-jt60sa,false")
    orgs = add_row(orgs, "org:y,Y,,company,US,,,,,,,public,,false")
    caps = add_row(fixtures.CAPABILITIES, "cap:x,org:nobody,tech:none,,,,,,,,,public,src:fujikura-hts,false")
    found = problems_of(tmp_path, organizations_csv=orgs, capabilities_csv=caps)
    assert len(found) == 4
    assert {p.split(": ")[1] for p in found} == {"country", "source_ids", "org_id", "technology_id"}


def test_unknown_and_missing_columns_are_named(tmp_path):
    orgs = "id,name_en,country,town,source_ids\norg:x,X,US,Boston,src:qst-jt60sa\n"
    found = problems_of(tmp_path, organizations_csv=orgs)
    assert "organizations.csv:1: town: unknown column" in found[0]
    assert "organizations.csv:1: kind: required column is missing" in found


def test_bad_enum_and_number(tmp_path):
    orgs = add_row(fixtures.ORGANIZATIONS, "org:x,X,,plumber,US,,,,,,,public,src:fujikura-hts,false")
    caps = add_row(fixtures.CAPABILITIES, "cap:x,org:qst,tech:magnet,,,,,eleven,,,,public,src:fujikura-hts,false")
    found = problems_of(tmp_path, organizations_csv=orgs, capabilities_csv=caps)
    assert found[0].startswith("organizations.csv:6: kind: Input should be 'company'")
    assert found[1].startswith("capabilities.csv:4: trl: Input should be a valid integer") and "'eleven'" in found[1]


def test_duplicate_organization_names_warn(package):
    orgs = (package / "organizations.csv").read_text(encoding="utf-8")
    (package / "organizations.csv").write_text(
        orgs + "org:fujikura-ltd,Fujikura Ltd.,株式会社フジクラ,company,JP,,,,,,,public,src:fujikura-hts,false\n",
        encoding="utf-8",
    )
    report = validate_package(package)
    assert any("org:fujikura-ltd matches organization org:fujikura" in w for w in report.warnings)


NEED_HEADER = (
    "id,title_en,buyer_org_id,technology_ids,quantity,quantity_unit,value,currency,published,deadline,"
    "status,awardee_org_ids,source_ids\n"
)


@pytest.mark.parametrize(
    ("row", "problem"),
    [
        (
            "need:a,A,org:qst,tech:magnet,,,,,2024-05-01,2024-04,open,,src:qst-jt60sa",
            "needs.csv:2: deadline: 2024-04 is before the publication date 2024-05-01",
        ),
        (
            "need:a,A,org:qst,tech:magnet,-3,km,,,,,open,,src:qst-jt60sa",
            "needs.csv:2: quantity: Input should be greater than or equal to 0 (got '-3')",
        ),
        (
            "need:a,A,org:qst,tech:magnet,,,,,,,awarded,,src:qst-jt60sa",
            "needs.csv:2: awardee_org_ids: an awarded need names the organizations it was awarded to",
        ),
        (
            "need:a,A,org:qst,tech:magnet,,,,,,,awarded,org:nobody,src:qst-jt60sa",
            "needs.csv:2: awardee_org_ids: unknown organizations id 'org:nobody'",
        ),
        (
            "need:a,A,org:nobody,tech:magnet,,,,,,,open,,src:qst-jt60sa",
            "needs.csv:2: buyer_org_id: unknown organizations id 'org:nobody'",
        ),
        (
            "need:a,A,org:qst,tech:nowhere,,,,,,,open,,src:qst-jt60sa",
            "needs.csv:2: technology_ids: unknown technologies id 'tech:nowhere'",
        ),
        (
            "need:a,A,org:qst,tech:magnet,,,5000000,,,,open,,src:qst-jt60sa",
            "needs.csv:2: currency: a value needs its currency",
        ),
    ],
)
def test_bad_needs(tmp_path, row, problem):
    problems = problems_of(tmp_path, needs_csv=NEED_HEADER + row + "\n")
    assert problem in problems


def test_an_awarded_need_with_its_awardee_and_the_old_fulfilled_status(tmp_path):
    rows = (
        "need:a,A,org:qst,tech:magnet,20,units,3500000000,JPY,2021-01,2021-03,awarded,org:fujikura,src:qst-jt60sa\n"
        "need:b,B,org:qst,tech:magnet,,,,,,,fulfilled,org:fujikura,src:qst-jt60sa\n"
    )
    folder = write_package(tmp_path / "p", needs_csv=NEED_HEADER + rows)
    assert validate_package(folder).counts["needs"] == 2
