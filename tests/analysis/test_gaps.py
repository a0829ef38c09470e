"""Gap analysis on small atlases whose answers are worked out by hand, plus properties."""

from datetime import date

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from fusionatlas.analysis.atlas import AnalysisAtlas, read_atlas
from fusionatlas.analysis.gaps import (
    DEFAULT_WEIGHTS,
    GapError,
    analyse,
    check_weights,
    components,
    rank_key,
    sensitivity,
)
from fusionatlas.dataset.package import load_package
from fusionatlas.domain.audience import OPERATOR, PUBLIC, Audience
from tests.fixtures import write_package


def test_export_control_rolls_up_and_scores():
    data = atlas([("a", "tech:magnet.hts", 7)])
    data.technologies["tech:magnet.hts"]["export_controlled"] = True
    gaps = by_id(analyse(data, "JP"))
    assert gaps["tech:magnet.hts"].export_controlled and gaps["tech:magnet"].export_controlled
    assert not gaps["tech:hcd"].export_controlled
    assert gaps["tech:magnet.hts"].components["export_control"] == 1.0
    assert any("export-controlled" in r.en for r in gaps["tech:magnet.hts"].reasons)


TREE = {
    "tech:magnet": None,
    "tech:magnet.hts": "tech:magnet",
    "tech:magnet.lts": "tech:magnet",
    "tech:hcd": None,
}


def atlas(capabilities, needs=(), countries=None, capacity=None):
    """capabilities: (org, tech, trl) triples; countries: org -> country."""
    countries = countries or {}
    orgs = sorted({org for org, _, _ in capabilities} | set(countries))
    position = {org: i for i, org in enumerate(orgs)}
    techs = {t: {"id": t, "parent": p, "name_en": t, "name_ja": t + "（日本語）"} for t, p in TREE.items()}
    children = {}
    for t, p in TREE.items():
        if p:
            children.setdefault(p, []).append(t)
    return AnalysisAtlas(
        technologies=techs,
        children=children,
        org_ids=orgs,
        org_names=[(o, None) for o in orgs],
        org_country=np.asarray([countries.get(o, "JP") for o in orgs], dtype=object),
        cap_org=np.asarray([position[o] for o, _, _ in capabilities], dtype=np.int64),
        cap_tech=[t for _, t, _ in capabilities],
        cap_trl=np.asarray([trl for _, _, trl in capabilities], dtype=np.int64),
        cap_capacity=np.asarray(capacity if capacity is not None else [np.nan] * len(capabilities), dtype=float),
        needs=list(needs),
    )


def by_id(report):
    return {g.technology_id: g for g in report.technologies}


def need(need_id, tech, min_trl=None, countries=None, buyer=None, status="open", **dates):
    return {
        "id": need_id,
        "status": status,
        "technology_ids": [tech],
        "min_trl": min_trl,
        "countries": countries,
        "buyer_org_id": buyer,
        **dates,
    }


def test_hand_worked_counts_rollup_and_score():
    data = atlas(
        [("a", "tech:magnet.hts", 7), ("b", "tech:magnet.hts", 5), ("c", "tech:magnet.lts", 9)],
        countries={"a": "JP", "b": "US", "c": "FR"},
    )
    gaps = by_id(analyse(data, "JP", ["US"]))
    hts = gaps["tech:magnet.hts"]
    assert (hts.domestic, hts.partner, hts.other) == (1, 1, 0)
    assert hts.best_trl == 7 and hts.hhi == 0.5
    magnet = gaps["tech:magnet"]  # rolled up: a, b and c
    assert (magnet.domestic, magnet.partner, magnet.other) == (1, 1, 1)
    assert magnet.hhi == pytest.approx(1 / 3, abs=1e-4)
    # hts by hand: domestic 1/2, partner 1/3, readiness 0, unmet 0, concentration 1/2, single flags 0, no
    # demand. The default weights sum to 1.05 (demand's 0.05 came on top) and are rescaled to sum to 1.
    expected = (0.30 * 0.5 + 0.10 * (1 / 3) + 0.10 * 0.5) / 1.05
    assert hts.shortfall == pytest.approx(expected, abs=1e-4)
    # No path recorded for JP: every node counts as on it (0.60), a in JP works on it (0.10), no needs, no
    # scenario demand or skills given.
    assert hts.relevance == pytest.approx(0.70) and hts.score == pytest.approx(0.70 * expected, abs=1e-4)
    hcd = gaps["tech:hcd"]
    # Nothing supplies it: every supply term is 1; no need asks for readiness, none is unmet, no export control,
    # no demand.
    assert hcd.shortfall == pytest.approx((1.05 - 0.15 - 0.20 - 0.05 - 0.05) / 1.05, abs=1e-4)
    # On the (unrecorded, so total) path, nobody anywhere supplies it: not surveyed, never "not pursued".
    assert hcd.category == "not surveyed" and hcd.relevance == pytest.approx(0.60)
    assert any(r.en.startswith("Not surveyed") for r in hcd.reasons)


def test_biggest_gap_first_in_the_documented_order():
    report = analyse(atlas([("a", "tech:magnet.hts", 7)]), "JP")
    keys = [rank_key(g) for g in report.technologies]
    assert keys == sorted(keys)
    gaps = [g for g in report.technologies if g.category == "gap"]
    assert [g.score for g in gaps] == sorted((g.score for g in gaps), reverse=True)


def test_unmet_needs_respect_readiness_and_countries():
    data = atlas(
        [("a", "tech:magnet.hts", 5), ("b", "tech:magnet.lts", 8)],
        needs=[
            need("need:high", "tech:magnet.hts", min_trl=7),
            need("need:fr", "tech:magnet.lts", countries=["FR"]),
            need("need:ok", "tech:magnet.lts", min_trl=6),
        ],
        countries={"a": "JP", "b": "JP"},
    )
    gaps = by_id(analyse(data, "JP"))
    assert gaps["tech:magnet.hts"].unmet_needs == ["need:high"]
    assert gaps["tech:magnet.hts"].required_trl == 7
    assert gaps["tech:magnet.lts"].unmet_needs == ["need:fr"]
    assert gaps["tech:magnet"].unmet_needs == ["need:fr", "need:high"]
    assert any("below the TRL 7" in r.en for r in gaps["tech:magnet.hts"].reasons)


def test_capacity_weighted_hhi():
    data = atlas([("a", "tech:hcd", 0), ("b", "tech:hcd", 0)], capacity=[90, 10])
    assert by_id(analyse(data, "JP"))["tech:hcd"].hhi == pytest.approx(0.82)


def test_single_country_and_single_source():
    gaps = by_id(analyse(atlas([("a", "tech:hcd", 0), ("b", "tech:hcd", 0)], countries={"a": "US", "b": "US"}), "JP"))
    assert gaps["tech:hcd"].single_country and not gaps["tech:hcd"].single_source
    gaps = by_id(analyse(atlas([("a", "tech:hcd", 0)]), "JP"))
    assert gaps["tech:hcd"].single_source


@pytest.mark.parametrize(
    ("weights", "message"),
    [
        ({"domestic": -1}, "negative"),
        ({k: 0 for k in DEFAULT_WEIGHTS}, "sum to zero"),
        ({"price": 1}, "unknown weight"),
        ({"domestic": "high"}, "must be a number"),
    ],
)
def test_bad_weights(weights, message):
    with pytest.raises(GapError, match=message):
        check_weights(weights)


def test_bad_countries():
    with pytest.raises(GapError, match="use GB"):
        analyse(atlas([]), "UK")
    with pytest.raises(GapError, match="cannot also be a partner"):
        analyse(atlas([]), "JP", ["JP"])


def test_sensitivity_reports_each_weight_both_ways():
    report = analyse(atlas([("a", "tech:magnet.hts", 7), ("b", "tech:hcd", 3)], countries={"b": "US"}), "JP")
    moves = sensitivity(report, top=2)
    assert len(moves) == 2 * len(DEFAULT_WEIGHTS)
    assert all(0 <= m["top_kept"] <= 2 for m in moves)


capability = st.tuples(st.sampled_from("abcde"), st.sampled_from(sorted(TREE)), st.integers(0, 9))


@settings(max_examples=60, deadline=None)
@given(st.lists(capability, max_size=12), capability, st.sampled_from(["JP", "US", "FR"]))
def test_adding_a_capable_supplier_never_worsens_a_gap(capabilities, extra, country):
    countries = {"a": "JP", "b": "US", "c": "FR", "d": "JP", "e": "DE"}
    needs = [need("need:x", "tech:magnet.hts", min_trl=6), need("need:y", "tech:hcd", countries=["US"])]
    partners = ["FR"] if country == "US" else ["US"]
    before = by_id(analyse(atlas(capabilities, needs, countries), country, partners))
    after = by_id(analyse(atlas([*capabilities, extra], needs, countries), country, partners))
    for tech_id, gap in before.items():
        assert after[tech_id].score <= gap.score + 1e-9
        for name, value in components(after[tech_id]).items():
            assert value <= components(gap)[name] + 1e-9, name


@settings(max_examples=60, deadline=None)
@given(st.lists(capability, min_size=1, max_size=12), st.lists(st.floats(0.1, 1000), min_size=12, max_size=12))
def test_hhi_stays_within_its_bounds(capabilities, capacities):
    report = analyse(atlas(capabilities, capacity=capacities[: len(capabilities)]), "JP")
    for gap in report.technologies:
        suppliers = gap.domestic + gap.partner + gap.other
        if suppliers:
            assert 1 / suppliers - 1e-4 <= gap.hhi <= 1 + 1e-9  # hhi is rounded to 4 places
        else:
            assert gap.hhi is None
        assert 0 <= gap.score <= 1


def test_demand_counts_domestic_foreign_and_recent_awards_rolled_up():
    needs = [
        need("need:jp-open", "tech:magnet.hts", buyer="qst"),
        need("need:fr-open", "tech:magnet.lts", buyer="iter"),
        need("need:nobody-open", "tech:hcd"),  # no buyer named: not domestic
        need("need:closed", "tech:magnet.hts", buyer="qst", status="closed"),
        need("need:won-2020", "tech:magnet.hts", buyer="iter", status="awarded", published="2020-05"),
        need("need:won-2017", "tech:magnet.hts", status="awarded", published="2017"),  # first year counted
        need("need:won-2016", "tech:magnet.hts", status="awarded", published="2016-12-31"),  # eleven years back
        need("need:delivered-2019", "tech:magnet.lts", status="awarded", delivery_start="2019"),
        need("need:won-undated", "tech:magnet.lts", status="awarded"),
    ]
    data = atlas([("a", "tech:magnet.hts", 7)], needs, countries={"a": "JP", "qst": "JP", "iter": "FR"})
    gaps = by_id(analyse(data, "JP", as_of=date(2026, 12, 6)))
    assert gaps["tech:magnet.hts"].demand == {"open_domestic": 1, "open_foreign": 0, "awarded_recent": 2}
    assert gaps["tech:magnet.lts"].demand == {"open_domestic": 0, "open_foreign": 1, "awarded_recent": 1}
    # The parent counts each need under it once.
    assert gaps["tech:magnet"].demand == {"open_domestic": 1, "open_foreign": 1, "awarded_recent": 3}
    assert gaps["tech:hcd"].demand == {"open_domestic": 0, "open_foreign": 1, "awarded_recent": 0}
    # Seen from France, ITER's need is domestic and QST's foreign.
    french = by_id(analyse(data, "FR", as_of=date(2026, 12, 6)))
    assert french["tech:magnet"].demand == {"open_domestic": 1, "open_foreign": 1, "awarded_recent": 3}
    assert french["tech:magnet.lts"].demand["open_domestic"] == 1
    assert french["tech:magnet.hts"].demand["open_foreign"] == 1
    # A year later the 2017 award falls out of the ten years.
    later = by_id(analyse(data, "JP", as_of=date(2027, 1, 1)))
    assert later["tech:magnet.hts"].demand["awarded_recent"] == 1
    assert analyse(data, "JP").as_json()["technologies"][0]["demand"].keys() == {
        "open_domestic",
        "open_foreign",
        "awarded_recent",
    }


def test_recent_awards_raise_the_score_by_the_documented_term():
    capabilities = [("a", "tech:magnet.hts", 7)]
    as_of = date(2026, 12, 6)
    base = by_id(analyse(atlas(capabilities), "JP", as_of=as_of))
    awards = [need(f"need:won-{i}", "tech:magnet.hts", status="awarded", published="2024") for i in range(2)]
    shown = by_id(analyse(atlas(capabilities, awards), "JP", as_of=as_of))
    weight = DEFAULT_WEIGHTS["demand"] / sum(DEFAULT_WEIGHTS.values())
    # Two recent awards: the demand term is 2 / (1 + 2), weighted.
    assert shown["tech:magnet.hts"].components["demand"] == pytest.approx(2 / 3, abs=1e-4)
    hts_more = shown["tech:magnet.hts"].shortfall - base["tech:magnet.hts"].shortfall
    assert hts_more == pytest.approx(weight * 2 / 3, abs=2e-4)
    # Demand also makes the node more relevant (the needs input: 2 / (1 + 2), weight 0.15).
    assert shown["tech:magnet.hts"].relevance - base["tech:magnet.hts"].relevance == pytest.approx(
        0.15 * 2 / 3, abs=2e-4
    )
    assert shown["tech:magnet"].score > base["tech:magnet"].score  # rolled up
    assert shown["tech:hcd"].score == base["tech:hcd"].score
    assert any("2 needs awarded in the last 10 years" in r.en for r in shown["tech:magnet.hts"].reasons)
    # One award reads "1 need", not "1 need(s)".
    one = by_id(analyse(atlas(capabilities, awards[:1]), "JP", as_of=as_of))["tech:magnet.hts"]
    assert any(r.en.startswith("1 need awarded in the last 10 years") for r in one.reasons)
    assert not any("(s)" in r.en for gap in shown.values() for r in gap.reasons)
    # Old awards, and open needs that somebody can meet, leave the score where it was.
    old = [need("need:won-2001", "tech:magnet.hts", status="awarded", published="2001")]
    open_met = [need("need:open", "tech:magnet.hts", buyer="a")]
    for extra in (old, open_met):
        assert by_id(analyse(atlas(capabilities, extra), "JP", as_of=as_of))["tech:magnet.hts"].shortfall == (
            base["tech:magnet.hts"].shortfall
        )
    # With both weights at zero, demand no longer moves it.
    off = by_id(analyse(atlas(capabilities, awards), "JP", weights={"demand": 0, "needs": 0}, as_of=as_of))
    assert (
        off["tech:magnet.hts"].score
        == by_id(analyse(atlas(capabilities), "JP", weights={"demand": 0, "needs": 0}))["tech:magnet.hts"].score
    )


HIDDEN_NEEDS = (
    (
        "id,title_en,title_ja,description_en,description_ja,buyer_org_id,technology_ids,min_trl,countries,"
        "published,deadline,status,awardee_org_ids,visibility,source_ids,unconfirmed\n"
    )
    + """need:public-open,Gyrotrons,ジャイロトロン,,,org:qst,tech:hcd.gyrotron,,,,2099,open,,public,,true
need:members-open,Gyrotrons,ジャイロトロン,,,org:qst,tech:hcd.gyrotron,,,,2099,open,,members,,true
need:hidden-buyer,Gyrotrons,ジャイロトロン,,,org:members-only-co,tech:hcd.gyrotron,,,,2099,open,,public,,true
need:public-award,Gyrotrons,ジャイロトロン,,,org:iter-organization,tech:hcd.gyrotron,,,2024,,awarded,org:fujikura,public,,true
need:members-award,Gyrotrons,ジャイロトロン,,,org:iter-organization,tech:hcd.gyrotron,,,2024,,awarded,org:fujikura,members,,true
"""
)


def test_demand_counts_only_the_needs_the_audience_may_see(engine, tmp_path):
    load_package(engine, write_package(tmp_path / "p", needs_csv=HIDDEN_NEEDS))
    with engine.connect() as connection:
        public = by_id(analyse(read_atlas(connection, PUBLIC), "JP"))
        members = by_id(analyse(read_atlas(connection, Audience(level=1)), "JP"))
        everyone = by_id(analyse(read_atlas(connection, OPERATOR), "JP"))
    for node in ("tech:hcd.gyrotron", "tech:hcd"):
        assert public[node].demand == {"open_domestic": 1, "open_foreign": 0, "awarded_recent": 1}
        # Members see the members' need and the one whose buyer only members may see (a JP company).
        assert members[node].demand == {"open_domestic": 3, "open_foreign": 0, "awarded_recent": 2}
        assert everyone[node].demand == members[node].demand
    assert public["tech:hcd.gyrotron"].components["demand"] == pytest.approx(0.5)


def path(path_id, tech, country="JP", excludes=(), programme=("", "")):
    return {
        "id": path_id,
        "country": country,
        "technology_id": tech,
        "excludes": list(excludes),
        "programme_en": programme[0],
        "programme_ja": programme[1],
    }


def assessment(rdy_id, tech, value, context="demo", date_="2020", self_assessed=False):
    return {
        "id": rdy_id,
        "technology_id": tech,
        "value": value,
        "context": context,
        "date": date_,
        "self_assessed": self_assessed,
        "source_ids": ["src:x"],
    }


def test_path_decides_relevance_and_categories_by_hand():
    # JP's path names HTS; FR organizations alone work on LTS; nobody works on heating.
    data = atlas([("a", "tech:magnet.lts", 7)], countries={"a": "FR"})
    hts_path = path("path:jp-hts", "tech:magnet.hts", programme=("JA-DEMO (QST)", "原型炉 JA DEMO (QST)"))
    data.paths = [hts_path, path("path:fr-hcd", "tech:hcd", "FR")]
    gaps = by_id(analyse(data, "JP"))
    hts, lts, magnet, hcd = (gaps[t] for t in ("tech:magnet.hts", "tech:magnet.lts", "tech:magnet", "tech:hcd"))
    # On the path, with no supplier anywhere: not surveyed, never "not pursued".
    assert hts.path_ids == ["path:jp-hts"] and hts.category == "not surveyed" and hts.relevance == 0.6
    # The area above a path node is on the path; a French supplier makes it a gap with no domestic supplier.
    assert magnet.path_ids == ["path:jp-hts"] and magnet.category == "gap"
    assert magnet.score == pytest.approx(0.6 * magnet.shortfall, abs=1e-4)
    # The reason names the country and the path's programme, not their codes and ids (kept in path_ids).
    assert any(r.en == "On Japan's path (JA-DEMO (QST))." for r in magnet.reasons)
    assert any(r.ja == "日本の路線上にあります（原型炉 JA DEMO (QST)）。" for r in magnet.reasons)
    assert not any("path:" in r.en + r.ja or "JP" in r.en + r.ja for r in magnet.reasons)
    # Off JP's path (FR's path does not count), no domestic activity, no demand: not pursued, relevance 0.
    for node in (lts, hcd):
        assert node.category == "not pursued" and node.relevance == 0 and node.score == 0
    assert [g.category for g in analyse(data, "JP").technologies] == [
        "gap",
        "not surveyed",
        "not pursued",
        "not pursued",
    ]
    # A domestic need makes an off-path node relevant again (the needs input).
    wanted = by_id(
        analyse(
            atlas([("a", "tech:magnet.lts", 7)], [need("need:x", "tech:hcd", buyer="b")], {"a": "FR", "b": "JP"}), "JP"
        )
    )
    assert wanted["tech:hcd"].relevance_inputs["needs"] == 0.5


def test_a_path_leaves_out_the_subtrees_it_excludes():
    # JP's path names the whole magnet area but not LTS (another country's variant): LTS and what lies below
    # it stay off the path; HTS and the area itself stay on it.
    data = atlas([("a", "tech:magnet.lts", 7), ("b", "tech:magnet.hts", 7)], countries={"a": "FR", "b": "FR"})
    data.paths = [path("path:jp-magnets", "tech:magnet", excludes=["tech:magnet.lts"])]
    gaps = by_id(analyse(data, "JP"))
    assert gaps["tech:magnet.hts"].path_ids == ["path:jp-magnets"]
    assert gaps["tech:magnet"].path_ids == ["path:jp-magnets"]
    assert gaps["tech:magnet.lts"].path_ids == [] and gaps["tech:magnet.lts"].category == "not pursued"
    # Another path that names LTS itself still puts it on the path.
    data.paths.append(path("path:jp-lts", "tech:magnet.lts"))
    assert by_id(analyse(data, "JP"))["tech:magnet.lts"].path_ids == ["path:jp-lts"]


def test_scenario_demand_and_skills_are_weighted_inputs():
    data = atlas([("a", "tech:magnet.lts", 7)], countries={"a": "FR"})
    data.paths = [path("path:jp-hts", "tech:magnet.hts")]
    # Off the path, nobody in JP, no needs: demand in the country's scenario alone makes tech:hcd relevant
    # (weight 0.10 of 1) and a gap to survey; skills count 0.05 but do not make a node relevant by themselves.
    given = {"scenario_demand": {"tech:hcd": 1.0}, "skills": {"tech:hcd": 1.0, "tech:magnet.lts": 1.0}}
    gaps = by_id(analyse(data, "JP", inputs=given, scenario="japan-2030s"))
    hcd = gaps["tech:hcd"]
    assert hcd.relevance_inputs["scenario_demand"] == 1.0 and hcd.relevance == pytest.approx(0.15)
    assert hcd.category == "not surveyed"
    assert any("scenario demand reaches 100%" in r.en for r in hcd.reasons)
    lts = gaps["tech:magnet.lts"]
    assert lts.relevance_inputs["skills"] == 1.0 and lts.category == "not pursued" and lts.relevance == 0
    assert analyse(data, "JP", inputs=given, scenario="japan-2030s").scenario == "japan-2030s"
    assert analyse(data, "JP").scenario is None
    # Its weight is configurable like the others (rescaled to sum to 1).
    weighted = by_id(analyse(data, "JP", weights={"scenario_demand": 0.5}, inputs=given))["tech:hcd"]
    assert weighted.relevance == pytest.approx((0.5 + 0.05) / 1.4, abs=1e-4)
    with pytest.raises(GapError, match="unknown relevance input"):
        analyse(data, "JP", inputs={"wishes": {}})


def test_readiness_comes_from_the_documented_assessment_and_plant_targets():
    data = atlas([("a", "tech:magnet.hts", 8)])
    data.technologies["tech:magnet.hts"]["targets"] = [
        {"metric": "field", "value": 20, "unit": "T", "plant": "JA-DEMO"}
    ]
    data.assessments = [
        assessment("rdy:old-demo", "tech:magnet.hts", 5, "demo", "2009"),
        assessment("rdy:new-demo", "tech:magnet.hts", 4, "demo", "2023"),
        assessment("rdy:iter", "tech:magnet.hts", 7, "iter", "2024"),
        assessment("rdy:self", "tech:magnet.hts", 9, "demo", "2026", self_assessed=True),
    ]
    hts = by_id(analyse(data, "JP"))["tech:magnet.hts"]
    # Independent before self-assessed, DEMO before ITER, newest first: rdy:new-demo, though a capability says 8.
    assert hts.readiness["id"] == "rdy:new-demo" and hts.best_trl == 4 and hts.assessments == 4
    # A plant-class target requires TRL 6: (6 - 4) / 9.
    assert hts.required_trl == 6 and hts.components["readiness"] == pytest.approx(2 / 9, abs=1e-4)
    assert any("2023" in r.en for r in hts.reasons)
    # Only a self-assessment: it is used.
    data.assessments = [assessment("rdy:self", "tech:magnet.hts", 9, self_assessed=True)]
    assert by_id(analyse(data, "JP"))["tech:magnet.hts"].best_trl == 9
