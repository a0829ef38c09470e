"""Opportunities for a company: real needs first (open, then recent awards as signals), then technologies its
capabilities transfer to; a competing product only when a need asks for it."""

from datetime import date

import pytest

from fusionatlas.dataset.package import load_package
from fusionatlas.domain.audience import OPERATOR, PUBLIC
from fusionatlas.match.index import build_index
from fusionatlas.match.opportunities import opportunities, seeds_of_organization, seeds_of_text
from tests.fixtures import TECHNOLOGIES, write_package

SIBLINGS = """- id: tech:magnet.mgb2
  parent: tech:magnet
  name_en: MgB2 wire
  name_ja: MgB2線材
  source_ids: [src:fujikura-hts]
- id: tech:magnet.bi2212
  parent: tech:magnet
  name_en: Bi-2212 wire
  name_ja: Bi-2212線材
  source_ids: [src:fujikura-hts]
"""
HEADER = (
    "id,title_en,title_ja,buyer_org_id,technology_ids,published,deadline,status,awardee_org_ids,visibility,source_ids\n"
)
NEEDS = HEADER + "\n".join(
    [
        "need:open-tape,REBCO tape for TF coils,TFコイル用REBCO線材,org:iter-organization,tech:magnet.hts,"
        "2026-01,2027-06,open,,public,src:fujikura-hts",
        "need:awarded-tape,REBCO tape order,REBCO線材の発注,org:qst,tech:magnet.hts,2023-04,2023-09,awarded,"
        "org:iter-organization,public,src:fujikura-hts",
        "need:won-tape,REBCO tape won by Fujikura,フジクラが受注したREBCO線材,org:qst,tech:magnet.hts,2024-04,2024-09,"
        "awarded,org:fujikura,public,src:fujikura-hts",
        "need:own-tape,Fujikura buys tape tooling,フジクラの線材設備調達,org:fujikura,tech:magnet.hts,2026-01,2027-06,"
        "open,,public,src:fujikura-hts",
        "need:lapsed-tape,REBCO tape call,REBCO線材の公募,org:qst,tech:magnet.hts,2024-01,2024-03,open,,public,"
        "src:fujikura-hts",
        "need:old-tape,REBCO tape long ago,昔のREBCO線材,org:qst,tech:magnet.hts,2001,2002,awarded,org:qst,"
        "public,src:fujikura-hts",
        "need:old-mgb2,MgB2 wire long ago,昔のMgB2線材,org:qst,tech:magnet.mgb2,2001,2002,awarded,org:qst,"
        "public,src:fujikura-hts",
        "need:cancelled-tape,Cancelled tape call,中止された公募,org:qst,tech:magnet.hts,2026-01,2027-01,cancelled,,"
        "public,src:fujikura-hts",
        "need:secret-tape,Secret tape,非公開の線材,org:qst,tech:magnet.hts,2026-01,2027-01,open,,members,"
        "src:fujikura-hts",
        "need:mgb2,MgB2 wire for feeders,フィーダ用MgB2線材,org:qst,tech:magnet.mgb2,2026-02,2027-02,open,,public,"
        "src:fujikura-hts",
    ]
)
TODAY = date(2026, 12, 6)


@pytest.fixture
def index(sqlite_engine, tmp_path):
    package = write_package(tmp_path / "package", technologies_yaml=TECHNOLOGIES + SIBLINGS, needs_csv=NEEDS + "\n")
    load_package(sqlite_engine, package)
    with sqlite_engine.connect() as connection:
        return build_index(connection)


def found(index, audience=PUBLIC):
    seeds = seeds_of_organization(index, "org:fujikura", audience)
    return opportunities(index, seeds, top=20, audience=audience, today=TODAY)


def test_open_needs_and_technologies_by_score_then_the_demand_evidence_by_score(index):
    results = found(index)
    groups = ["past" if o.kind == "need" and o.status != "open" else "now" for o in results]
    assert groups == sorted(groups, key=["now", "past"].index)
    for group in ("now", "past"):
        scores = [o.score for o, g in zip(results, groups, strict=True) if g == group]
        assert scores == sorted(scores, reverse=True), group
    assert [o.id for o in results if o.kind == "need" and o.status == "open"] == ["need:open-tape", "need:mgb2"]
    past = [o.id for o, g in zip(results, groups, strict=True) if g == "past"]
    # An award older than RECENT_YEARS counts only when it bought the seeds' own technology, at half the score.
    assert set(past) == {"need:awarded-tape", "need:lapsed-tape", "need:old-tape"} and past[-1] == "need:old-tape"


def test_an_organization_s_own_needs_and_needs_it_won_are_not_its_opportunities(index):
    ids = {o.id for o in found(index)}
    assert not ids & {"need:own-tape", "need:won-tape"}
    text_seeds = seeds_of_text(index, "REBCO tape")
    from_text = {o.id for o in opportunities(index, text_seeds, top=20, audience=PUBLIC, today=TODAY)}
    assert {"need:own-tape", "need:won-tape"} <= from_text  # a company not in the atlas: nothing is its own


def test_a_need_past_its_deadline_is_closed_without_anyone_touching_it(index):
    lapsed = next(o for o in found(index) if o.id == "need:lapsed-tape")
    assert lapsed.status == "closed" and lapsed.deadline == "2024-03" and lapsed.buyer_org_id == "org:qst"


def test_old_awards_cancelled_calls_and_hidden_needs_are_left_out(index):
    ids = {o.id for o in found(index)}
    assert not ids & {"need:old-mgb2", "need:cancelled-tape", "need:secret-tape"}
    assert "need:secret-tape" in {o.id for o in found(index, OPERATOR)}


def test_a_competing_product_is_an_opportunity_only_when_a_need_asks_for_it(index):
    technologies = {o.id for o in found(index) if o.kind == "technology"}
    assert "tech:magnet.bi2212" not in technologies  # beside REBCO: an alternative, and nobody asks for it
    assert "tech:magnet.mgb2" in technologies  # beside it too, but need:mgb2 asks for it
    assert "tech:magnet" in technologies  # broader: where the capability transfers
