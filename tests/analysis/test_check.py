"""`fusionatlas check`'s findings on a small hand-made atlas where each answer is known, on SQLite and
PostgreSQL: overdue milestones, unverified records, weak sources, duplicates, the registry and the audience."""

from __future__ import annotations

import tempfile
from datetime import date
from pathlib import Path

import pytest

from fusionatlas.analysis import check
from fusionatlas.analysis.check import CHECKS, register, run_checks, weakness
from fusionatlas.analysis.freshness import data_as_of, record_last_verified
from fusionatlas.dataset.package import load_package
from fusionatlas.domain.audience import OPERATOR, PUBLIC
from fusionatlas.store.engine import open_engine
from tests.fixtures import FILES, write_package

TODAY = date(2026, 12, 6)

# The fixture's sources (read 2026-11-28) and: one read long ago, a Wikipedia page, one without an address,
# a labelled mirror of a page that is gone, and a second source at the address of the first.
SOURCES = FILES["sources.csv"].replace("language\n", "language,mirror\n").replace(",en\n", ",en,\n").replace(
    ",ja\n", ",ja,\n"
) + (
    "src:old-page,An old page,Some Lab,2019,https://lab.example.org/old,2024-05-01,en,\n"
    "src:wiki-tae,TAE Technologies (encyclopaedia),Wikipedia,,https://en.wikipedia.org/wiki/TAE_Technologies,"
    "2026-11-28,en,\n"
    "src:no-address,A printed leaflet,Some Lab,2020,,2026-11-28,en,\n"
    "src:kept-mirror,A report whose original is gone,Some Lab (mirror),2015,https://studylib.net/doc/1,"
    "2026-11-28,en,true\n"
    "src:fujikura-again,Fujikura superconductors (again),Fujikura,2024,"
    "https://www.fujikura.co.jp/en/products/newbusiness/superconductors/,2026-11-28,en,\n"
)
ORGANIZATIONS = FILES["organizations.csv"].replace("unconfirmed\n", "unconfirmed,last_verified\n", 1).replace(
    "false\n", "false,\n"
).replace("true\n", "true,\n") + (
    "org:old-lab,Old Lab,オールドラボ,national_lab,US,,,,,A lab checked long ago.,昔確認した研究所。,public,"
    "src:old-page,false,\n"
    "org:rechecked-lab,Rechecked Lab,再確認ラボ,national_lab,US,,,,,A lab re-checked by hand.,手で再確認した研究所。,"
    "public,src:old-page,false,2026-10-01\n"
    "org:wiki-co,Wiki Co,ウィキ社,company,US,,,,,Known from an encyclopaedia only.,百科事典だけで知られる。,public,"
    "src:wiki-tae;src:no-address,false,\n"
    "org:mirror-co,Mirror Co,ミラー社,company,US,,,,,Known from a kept mirror.,保存されたミラーで知られる。,public,"
    "src:kept-mirror,false,\n"
    "org:hidden-co,Hidden Co,非公開社,company,US,,,,,A private company.,非公開の会社。,private,src:wiki-tae,false,\n"
)
MILESTONES = """id,date,country,org_id,facility_id,kind,status,title_en,title_ja,depends_on,source_ids,unconfirmed
ms:late,2026,US,,,first_plasma,planned,A first plasma planned for 2026,2026年予定の初プラズマ,,src:iter-gyrotron,false
ms:late-month,2026-11,US,,,first_plasma,planned,Step in November 2026,11月予定,,src:iter-gyrotron,false
ms:this-month,2026-12,US,,,first_plasma,planned,Step in December 2026,12月予定,,src:iter-gyrotron,false
ms:done,2024,US,,,first_plasma,achieved,An achieved step,達成した段階,,src:iter-gyrotron,false
ms:hidden-late,2025,US,org:hidden-co,,first_plasma,planned,Private late step,非公開の遅れ,,src:iter-gyrotron,false
"""
INVESTMENTS = FILES["investments.csv"] + (
    "inv:tae-2022-a,org:qst,250000000,USD,2022-07-19,,,equity,src:iter-gyrotron,false\n"
    "inv:tae-2022-b,org:qst,250000000,USD,2022-07,,,equity,src:iter-gyrotron,false\n"
    "inv:tae-2023,org:qst,250000000,USD,2023-07,,,equity,src:iter-gyrotron,false\n"
)


def build(engine) -> None:
    folder = Path(tempfile.mkdtemp(prefix="check-atlas-"))
    write_package(
        folder,
        sources_csv=SOURCES,
        organizations_csv=ORGANIZATIONS,
        milestones_csv=MILESTONES,
        investments_csv=INVESTMENTS,
        # The fixture's roadmap rows name milestones this atlas replaces: no tracks, links or date history.
        roadmap_tracks_csv=FILES["roadmap_tracks.csv"].splitlines()[0] + "\n",
        milestone_links_csv=FILES["milestone_links.csv"].splitlines()[0] + "\n",
        milestone_dates_csv=FILES["milestone_dates.csv"].splitlines()[0] + "\n",
    )
    load_package(engine, folder)


@pytest.fixture
def atlas(db_from_template):
    engine = open_engine(db_from_template("check", build))
    yield engine
    engine.dispose()


def found(report, kind):
    return {(f["table"], f["id"]) for f in report.findings if f["kind"] == kind}


def test_overdue_milestones_are_those_still_planned_after_the_whole_of_their_date(atlas):
    with atlas.connect() as connection:
        report = run_checks(connection, OPERATOR, TODAY, ["overdue"])
    # "2026" is not over before 2027: ms:late is not overdue yet.
    assert found(report, "overdue") == {
        ("milestones", "ms:late-month"),
        ("milestones", "ms:hidden-late"),
    }
    first = next(f for f in report.findings if f["id"] == "ms:late-month")
    assert "2026-11" in first["message_en"] and "予定" in first["message_ja"]
    assert report.as_of == "2026-12-06"
    # On 2027-01-01 the whole of 2026 and December 2026 have passed too.
    with atlas.connect() as connection:
        later = run_checks(connection, OPERATOR, date(2027, 1, 1), ["overdue"])
    assert {("milestones", "ms:this-month"), ("milestones", "ms:late")} <= found(later, "overdue")


def test_unverified_records_are_those_whose_last_verification_is_over_a_year_old(atlas):
    with atlas.connect() as connection:
        report = run_checks(connection, OPERATOR, TODAY, ["unverified"])
        # Its own date wins over its source's access date.
        rechecked = {"last_verified": "2026-10-01", "source_ids": ["src:old-page"]}
        assert record_last_verified(connection, rechecked) == "2026-10-01"
        assert record_last_verified(connection, {"source_ids": ["src:old-page", "src:qst-jt60sa"]}) == "2026-11-28"
        assert data_as_of(connection) == "2026-11-28"
    unverified = found(report, "unverified")
    assert ("organizations", "org:old-lab") in unverified
    assert ("organizations", "org:rechecked-lab") not in unverified
    # Unconfirmed records without sources have never been verified.
    assert ("organizations", "org:members-only-co") in unverified
    assert ("organizations", "org:fujikura") not in unverified
    # A year and a day later everything read on 2026-11-28 is unverified too.
    with atlas.connect() as connection:
        later = run_checks(connection, OPERATOR, date(2027, 11, 29), ["unverified"])
    assert ("organizations", "org:fujikura") in found(later, "unverified")


def test_weak_sources_are_mirrors_aggregators_and_missing_addresses_unless_a_kept_mirror(atlas):
    with atlas.connect() as connection:
        report = run_checks(connection, OPERATOR, TODAY, ["weak_source"])
    weak = found(report, "weak_source")
    assert ("organizations", "org:wiki-co") in weak
    assert ("organizations", "org:mirror-co") not in weak
    assert ("organizations", "org:fujikura") not in weak
    message = next(f for f in report.findings if f["id"] == "org:wiki-co")
    assert "wikipedia.org" in message["message_en"] and "no address" in message["message_en"]


def test_weakness_of_one_source():
    assert weakness(None, "Cabinet Office", "Strategy", False) == "no address"
    assert (
        weakness("https://ja.wikipedia.org/wiki/JT-60", None, None, False) == "mirror or aggregator (ja.wikipedia.org)"
    )
    assert weakness("https://www.bbc.example/news", "BBC News (mirror)", None, False) is not None
    assert weakness("https://pmc.ncbi.nlm.nih.gov/articles/PMC1/", "Cell Press, via PMC", None, False) is None
    assert weakness("https://www.iter.org/node/1", "ITER Organization", "Newsline", False) is None
    # A device's name is not a label: a tandem mirror, an axisymmetric mirror.
    assert weakness("https://www.prc.tsukuba.ac.jp/", "筑波大学", "タンデムミラー装置", False) is None
    assert (
        weakness("https://www.cambridge.org/x", "Cambridge University Press", "HTS Axisymmetric Mirror", False) is None
    )
    assert weakness("https://example.org/x", "ITER Organization", "Vacuum handbook (ITR-19-004; copy)", False)
    assert weakness("https://example.org/x", "東京工業大学 (RSSミラー)", "ニュース", False)
    assert weakness("https://studylib.net/doc/1", "Lab (mirror)", None, True) is None


def test_duplicates_by_organization_amount_and_month_and_by_address(atlas):
    with atlas.connect() as connection:
        report = run_checks(connection, OPERATOR, TODAY, ["duplicate"])
    assert found(report, "duplicate") == {
        ("investments", "inv:tae-2022-a"),
        ("investments", "inv:tae-2022-b"),
        ("sources", "src:fujikura-hts"),
        ("sources", "src:fujikura-again"),
    }


def test_the_public_gets_no_finding_about_a_record_it_may_not_see(atlas):
    with atlas.connect() as connection:
        public = run_checks(connection, PUBLIC, TODAY)
        everything = run_checks(connection, OPERATOR, TODAY)
    hidden = {"org:hidden-co", "ms:hidden-late", "org:members-only-co", "cap:members-only-co.hcd.gyrotron"}
    assert not hidden & {f["id"] for f in public.findings}
    assert hidden <= {f["id"] for f in everything.findings}


def test_other_packages_add_kinds_with_one_line_and_kind_filters(atlas, monkeypatch):
    monkeypatch.setattr(check, "CHECKS", dict(CHECKS))

    def schedule_findings(connection, audience, today):
        return [
            {
                "kind": "date_changed",
                "table": "milestones",
                "id": "ms:late",
                "message_en": "moved from 2025 to 2026",
                "message_ja": "2025年から2026年に変更",
            }
        ]

    register("date_changed", schedule_findings)
    with atlas.connect() as connection:
        report = run_checks(connection, OPERATOR, TODAY, ["date_changed", "overdue"])
        with pytest.raises(KeyError, match="weak_source"):
            run_checks(connection, OPERATOR, TODAY, ["stale-ish"])
    assert {f["kind"] for f in report.findings} == {"date_changed", "overdue"}
    assert set(report.as_json()) == {"as_of", "findings"}
    assert all(set(f) == {"kind", "table", "id", "message_en", "message_ja"} for f in report.findings)
