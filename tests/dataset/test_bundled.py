"""The bundled atlas: valid, sourced, bilingual, above its floors, and right about the seed's facts.

The seed is the government's overview of the Fusion Energy Innovation Strategy (shared/STRATEGY.md);
each spot check reads the loaded database, not the files, so the whole load path is under test.
"""

from __future__ import annotations

import csv
import re
from collections import Counter

import pytest
import yaml
from sqlalchemy import Engine, select

from fusionatlas.analysis.gaps import plant_targets
from fusionatlas.dataset import BUNDLED
from fusionatlas.dataset.package import load_package, validate_package
from fusionatlas.domain import table as domain_table
from fusionatlas.store.engine import open_engine
from fusionatlas.store.schema import TABLES_BY_NAME

SEED = "src:cstp-2024-fusion-strategy-overview"
FLOORS = {
    "technologies": 181,
    # Organizations and capabilities sit a little below the counts measured for 2026.12 (403 and 902): the
    # data review merges duplicates and moves about 14 stakes, loans and MoUs out of the capabilities.
    "organizations": 400,
    "capabilities": 888,
    "facilities": 150,
    "milestones": 100,
    "investments": 45,
    "needs": 105,
    "relations": 88,
    # The people tables after the 2026.12 people pass; every row cites its source.
    "training": 29,
    "workforce": 13,
    "plasma_records": 10,
}
# Private companies developing fusion devices or power plants (the FIA's annual survey counts 53 in 2025);
# each must be in the atlas as a startup or company, with a concept capability and a source.
PRIVATE_FUSION_DEVELOPERS = (
    "acceleron-fusion",
    "astral-systems",
    "avalanche-energy",
    "blue-laser-fusion",
    "commonwealth-fusion-systems",
    "deutelio",
    "electric-fusion-systems",
    "energy-singularity",
    "enn",
    "ex-fusion",
    "first-light-fusion",
    "focused-energy",
    "gauss-fusion",
    "general-fusion",
    "genf",
    "hanhai-juneng",
    "hb11-energy",
    "helical-fusion",
    "helicity-space",
    "helion-energy",
    "inertia",
    "kyoto-fusioneering",
    "linea-innovation",
    "longview-fusion",
    "lppfusion",
    "maritime-fusion",
    "marvel-fusion",
    "mifti",
    "nearstar-fusion",
    "novafusionx",
    "novatron-fusion",
    "nt-tao",
    "openstar",
    "pacific-fusion",
    "princeton-fusion-systems",
    "proxima-fusion",
    "pulsar-fusion",
    "realta-fusion",
    "renaissance-fusion",
    "shine-technologies",
    "starlight-engine",
    "startorus-fusion",
    "stellarex",
    "tae-technologies",
    "thea-energy",
    "tokamak-energy",
    "type-one-energy",
    "xcimer-energy",
    "zap-energy",
)
JAPANESE_ORGANIZATIONS = 125
# Published readiness assessments (readiness.csv). Issue 15 asks for 100 over 60 nodes; the December 2026
# survey (docs/data-guide.md, Readiness) could read no published TRL value beyond abstracts, and no value is
# filled in from memory, so the floor is what the atlas holds: raise it as assessments are curated.
READINESS_ASSESSMENTS = 0
READINESS_NODES = 0
# Needs (measured for data version 2026.12): 128 in all, 94 awarded with their awardees, 45 with a Japanese buyer.
AWARDED_NEEDS = 94
JAPANESE_BUYER_NEEDS = 45
FURTHER_PROGRAMMES_AND_REGULATIONS = 40
# Devices and laser facilities whose status is "operating" (measured 117 for data version 2026.12 after
# the four device passes of issue 11; 79 before them).
OPERATING_DEVICES = 117
# Share of operating toroidal magnetic devices whose R, a, B (and Ip, for tokamaks) are all filled;
# measured 18 of 46 (0.391) after those passes (12 of 33 before): the fifth pass added HL-2A, TJ-K and
# IR-T1 as operating without sourced parameters, SUNIST's came from its team's IAEA FEC paper. The rule is
# the one docs/data-guide.md states.
PARAMETER_COVERAGE = 0.39
TOKAMAKS = {"tokamak", "spherical_tokamak"}
STELLARATORS = {"stellarator", "heliotron"}
JAPANESE_UNIVERSITY_DEVICES = {
    "fac:tst-2": "org:university-of-tokyo",
    "fac:utst": "org:university-of-tokyo",
    "fac:rt-1": "org:university-of-tokyo",
    "fac:ts-3": "org:university-of-tokyo",
    "fac:ts-6": "org:university-of-tokyo",
    "fac:quest": "org:kyushu-university",
    "fac:panta": "org:kyushu-university",
    "fac:plato": "org:kyushu-university",
    "fac:late": "org:kyoto-university",
    "fac:heliotron-j": "org:kyoto-university",
    "fac:gamma-10": "org:university-of-tsukuba",
    "fac:tsukuba-sc-mirror": "org:university-of-tsukuba",
    "fac:tokastar-2": "org:nagoya-university",
    "fac:nagdis-ii": "org:nagoya-university",
    "fac:nihon-u-plasmoid-collision": "org:nihon-university",
    "fac:hist": "org:university-of-hyogo",
    "fac:lhd": "org:nifs",
    "fac:gekko-xii": "org:ile-osaka",
    "fac:lfex": "org:ile-osaka",
}


@pytest.fixture(scope="module")
def atlas(tmp_path_factory: pytest.TempPathFactory) -> Engine:
    engine = open_engine(f"sqlite:///{tmp_path_factory.mktemp('bundled') / 'atlas.db'}")
    load_package(engine, BUNDLED)
    yield engine
    engine.dispose()


def rows(engine: Engine, table: str) -> dict[str, dict]:
    """A table's rows by key (`id`, or the key fields joined with '|' for tables keyed otherwise)."""
    db_table, key = TABLES_BY_NAME[table], domain_table(table).key
    with engine.connect() as connection:
        return {
            "|".join(str(getattr(row, k)) for k in key): row._asdict() for row in connection.execute(select(db_table))
        }


def test_the_bundled_package_is_valid():
    report = validate_package(BUNDLED)
    assert not report.warnings, report.warnings


@pytest.mark.parametrize(("table", "floor"), FLOORS.items())
def test_floors(atlas, table, floor):
    assert len(rows(atlas, table)) >= floor


def test_private_fusion_developers_are_present_with_a_concept(atlas):
    organizations = rows(atlas, "organizations")
    capabilities = rows(atlas, "capabilities").values()
    concept_of = {c["org_id"] for c in capabilities if c["source_ids"]}
    assert len(PRIVATE_FUSION_DEVELOPERS) >= 49
    for slug in PRIVATE_FUSION_DEVELOPERS:
        org = organizations[f"org:{slug}"]
        assert org["kind"] in ("startup", "company"), slug
        assert org["country"] and org["description_en"] and org["description_ja"] and org["source_ids"], slug
        assert org["website"] is None or org["website"].startswith("https://"), slug
        assert org["id"] in concept_of, slug


def test_corrected_records(atlas):
    focused = rows(atlas, "organizations")["org:focused-energy"]
    assert (focused["country"], focused["city"]) == ("DE", "Darmstadt")
    sparc = rows(atlas, "milestones")["ms:us-sparc-first-plasma"]
    assert sparc["date"] == "2027" and sparc["status"] == "delayed"
    assert "announced 2026" in sparc["notes"] and "moved to 2027" in sparc["notes"]


def test_every_investment_has_a_country_or_is_worldwide(atlas):
    for investment in rows(atlas, "investments").values():
        if investment["org_id"]:
            assert investment["country"], investment["id"]
        else:
            assert investment["country"] or "worldwide" in (investment["notes"] or ""), investment["id"]


def test_fia_2025_aggregate_cites_reports_of_the_fia_survey(atlas):
    fia = rows(atlas, "investments")["inv:private-fusion-cumulative-fia-2025"]
    assert (fia["amount"], fia["currency"]) == (9_766_000_000, "USD") and "cumulative" in fia["definition"]
    assert "53" in fia["definition"]
    sources = rows(atlas, "sources")
    for record in (fia, rows(atlas, "investments")["inv:private-fusion-cumulative-fia-2024"]):
        assert not any("miningdigest" in s for s in record["source_ids"]), record["id"]
        assert all(sources[s]["url"].startswith("https://") for s in record["source_ids"]), record["id"]


def test_japanese_organizations_floor_and_names(atlas):
    japanese = [o for o in rows(atlas, "organizations").values() if o["country"] == "JP"]
    assert len(japanese) >= JAPANESE_ORGANIZATIONS
    assert all(o["name_ja"] for o in japanese)


def test_technology_tree_depth_and_bilingual_nodes(atlas):
    tech = rows(atlas, "technologies")
    depth = {}
    for node_id, node in tech.items():
        level, parent = 1, node["parent"]
        while parent:
            level, parent = level + 1, tech[parent]["parent"]
        depth[node_id] = level
    assert max(depth.values()) in (3, 4)
    for node in tech.values():
        assert node["name_en"] and node["name_ja"], node["id"]
        assert node["description_en"] and node["description_ja"], node["id"]
        assert node["synonyms_en"] and node["synonyms_ja"], node["id"]


# DEMO- and plant-class targets (the readiness issue, item 2): the gap analysis reads a node's required TRL
# from them, so the floor counts nodes the analysis itself recognises as carrying a plant-class target.
PLANT_TARGET_NODES = 70


def test_plant_class_targets_floor_and_completeness(atlas):
    tech = rows(atlas, "technologies")
    sources = rows(atlas, "sources")
    with_plant_targets = [node for node in tech.values() if plant_targets(node)]
    assert len(with_plant_targets) >= PLANT_TARGET_NODES
    for node in with_plant_targets:
        for target in plant_targets(node):
            assert target["metric"] and target["metric_ja"] and target["unit"], node["id"]
            assert target["source_ids"], (node["id"], target["metric"])
            assert all(source_id in sources for source_id in target["source_ids"]), node["id"]
            assert "ITER" not in str(target["plant"]).split(), (node["id"], target["plant"])


# Industrial categories fusion projects procure (the needs issue, item 2): each node sits under the fusion
# system that uses it, is named and searchable in both languages and cites a procurement page.
INDUSTRY_NODES = (
    "tech:cryo.valve",
    "tech:cryo.bellows",
    "tech:system.manufacturing.forging",
    "tech:system.crane",
    "tech:power.switchgear",
    "tech:power.cable",
    "tech:bop.cooling.water-chemistry",
    "tech:control.instrumentation",
)
# Makers in those categories and the node each must be found under, with a sourced capability.
INDUSTRY_MAKERS = {
    "org:vat-group": "tech:cryo.valve",
    "org:fujikin": "tech:cryo.valve",
    "org:irie-koken": "tech:cryo.bellows",
    "org:japan-steel-works": "tech:system.manufacturing.forging",
    "org:saarschmiede": "tech:system.manufacturing.forging",
    "org:danieli-centro-cranes": "tech:system.crane",
    "org:reel": "tech:system.crane",
    "org:jonas-inc": "tech:bop.cooling.water-chemistry",
    "org:mw-group": "tech:control.instrumentation",
    "org:logisteed": "tech:system.crane",
    "org:yurtec": "tech:power.switchgear",
    "org:comes": "tech:power.cable",
}
JAPANESE_INDUSTRY_MAKERS = 5


def test_industry_nodes_are_bilingual_sourced_and_placed_under_a_fusion_system(atlas):
    tech = rows(atlas, "technologies")
    sources = rows(atlas, "sources")
    for node_id in INDUSTRY_NODES:
        node = tech[node_id]
        assert node["parent"] in tech, node_id
        assert node["name_en"] and node["name_ja"] and node["description_en"] and node["description_ja"], node_id
        assert node["synonyms_en"] and node["synonyms_ja"], node_id
        assert node["source_ids"] and all(sources[s]["url"] for s in node["source_ids"]), node_id
    synonyms = {s for node_id in INDUSTRY_NODES for s in tech[node_id]["synonyms_ja"]}
    assert {"バルブ", "弁", "真空バルブ", "ベローズシール弁", "ベローズ", "クレーン", "ケーブル", "計装"} <= synonyms


def test_industry_makers_have_sourced_capabilities(atlas):
    organizations = rows(atlas, "organizations")
    capabilities = rows(atlas, "capabilities").values()
    for org_id, tech_id in INDUSTRY_MAKERS.items():
        found = [c for c in capabilities if c["org_id"] == org_id and c["technology_id"] == tech_id]
        assert found and all(c["source_ids"] and c["evidence_en"] and c["evidence_ja"] for c in found), org_id
        assert organizations[org_id]["source_ids"], org_id
    japanese = [o for o in INDUSTRY_MAKERS if organizations[o]["country"] == "JP"]
    assert len(japanese) >= JAPANESE_INDUSTRY_MAKERS
    assert all(organizations[o]["name_ja"] for o in japanese)


def test_every_record_is_sourced_or_marked(atlas):
    for table in TABLES_BY_NAME:
        # The skills taxonomy is the atlas' own classification, not a claim a source makes.
        if table in ("sources", "exchange_rates", "skills"):
            continue
        for record in rows(atlas, table).values():
            assert record["source_ids"] or record["unconfirmed"], (table, record)


def test_every_source_has_an_address_or_is_the_seed(atlas):
    sources = rows(atlas, "sources")
    assert all(s["url"] or s["id"] == SEED for s in sources.values())
    assert sources[SEED]["publisher"].startswith("内閣府")


def test_capabilities_carry_evidence_in_both_languages(atlas):
    capabilities = rows(atlas, "capabilities").values()
    with_evidence = [c for c in capabilities if c["evidence_en"] and c["evidence_ja"]]
    assert len(with_evidence) == len(capabilities)


def test_further_programmes_and_regulations(atlas):
    records = list(rows(atlas, "programmes").values()) + list(rows(atlas, "regulations").values())
    further = [r for r in records if SEED not in r["source_ids"]]
    assert len(further) >= FURTHER_PROGRAMMES_AND_REGULATIONS


def test_milestones_span_the_main_countries(atlas):
    countries = Counter(m["country"] for m in rows(atlas, "milestones").values())
    assert {"JP", "US", "GB", "EU", "DE", "CN", "KR"} <= set(countries)


# One Japanese spelling per term: the chosen form, and the other kept only where it is part of an official
# name (an organization's name_ja, a source's title or publisher) or listed as a synonym on a technology node.
JAPANESE_SPELLINGS = {"超電導": "超伝導", "ステラレーター": "ステラレータ"}
# Every term with more than one spelling: the chosen one (the technology map's form), and the other as a
# pattern (where the two differ only by a final ー, the pattern keeps the longer word from counting as the shorter).
VARIANTS = {
    "超伝導": "超電導",
    "ステラレータ": "ステラレーター",
    "ダイバータ": "ダイバーター",
    "レーザー": "レーザ(?!ー)",
    "センサー": "センサ(?!ー)",
    "トリチウム": "トリチューム",
    "ブランケット": "ブランケト",
    "クライオスタット": "クライオスタッド",
    "ポロイダル": "ポロイダール",
    "ジャイロトロン": "ジャイロトーロン",
    "ヘリオトロン": "ヘリオトーロン",
}
NAME_FIELDS = {"organizations.csv": {"name_ja"}, "sources.csv": {"title", "publisher"}}


def official_names() -> list[str]:
    names = []
    for file, fields in NAME_FIELDS.items():
        with (BUNDLED / file).open(encoding="utf-8", newline="") as handle:
            names += [row[field] for row in csv.DictReader(handle) for field in fields if row[field]]
    return sorted(set(names), key=len, reverse=True)


def japanese_texts() -> list[tuple[str, str]]:
    """(where, text) for every text that is not a name or a synonym: file, row id and field."""
    texts = []
    for path in sorted(BUNDLED.glob("*.csv")):
        skip = NAME_FIELDS.get(path.name, set())
        with path.open(encoding="utf-8", newline="") as handle:
            for row in csv.DictReader(handle):
                texts += [
                    (f"{path.name} {row.get('id')} {field}", value)
                    for field, value in row.items()
                    if field not in skip and value
                ]
    for node in yaml.safe_load((BUNDLED / "technologies.yaml").read_text(encoding="utf-8")):
        texts += [
            (f"technologies.yaml {node['id']} {field}", node[field])
            for field in ("name_ja", "description_ja", "notes")
            if node.get(field)
        ]
    return texts


def test_japanese_terms_use_one_spelling_outside_names_and_synonyms():
    patterns = {chosen: re.compile(other) for chosen, other in VARIANTS.items()}
    names = [name for name in official_names() if any(p.search(name) for p in patterns.values())]
    wrong = []
    for where, text in japanese_texts():
        for name in names:
            text = text.replace(name, "")
        wrong += [
            f"{where}: {found.group(0)} (write {chosen})"
            for chosen, pattern in patterns.items()
            for found in pattern.finditer(text)
        ]
    assert not wrong, "\n".join(wrong)


def test_the_spelling_check_finds_each_variant_and_spares_the_chosen_spelling():
    for chosen, other in VARIANTS.items():
        assert not re.search(other, f"{chosen}の試験"), chosen
    assert re.search(VARIANTS["レーザー"], "レーザ核融合") and not re.search(VARIANTS["レーザー"], "レーザー核融合")


def test_technology_nodes_keep_the_other_spelling_as_a_synonym():
    nodes = yaml.safe_load((BUNDLED / "technologies.yaml").read_text(encoding="utf-8"))
    for other, chosen in JAPANESE_SPELLINGS.items():
        named = [node for node in nodes if chosen in node["name_ja"]]
        assert named, chosen
        for node in named:
            assert any(other in synonym for synonym in node["synonyms_ja"]), (node["id"], other)


def test_exchange_rates_cover_the_budget_currencies(atlas):
    with atlas.connect() as connection:
        currencies = set(connection.execute(select(TABLES_BY_NAME["exchange_rates"].c.currency)).scalars())
    assert {"JPY", "GBP", "EUR", "CNY", "KRW"} <= currencies


# --- spot checks of the seed's facts, and of outside facts the seed implies ---------------------------


def cites_seed(record: dict) -> bool:
    return SEED in record["source_ids"]


@pytest.mark.parametrize(
    ("record_id", "country", "amount", "currency"),
    [
        ("prog:gb-fusion-futures", "GB", 650_000_000, "GBP"),
        ("prog:gb-fusion-futures-fuel-cycle-testing-facility", "GB", 200_000_000, "GBP"),
        ("prog:gb-fusion-futures-component-rd", "GB", 200_000_000, "GBP"),
        ("prog:gb-fusion-futures-culham-campus", "GB", 50_000_000, "GBP"),
        ("prog:gb-fusion-futures-skills", "GB", 55_000_000, "GBP"),
        ("prog:gb-fusion-futures-industry-programme", "GB", 35_000_000, "GBP"),
        ("prog:gb-fusion-futures-international", "GB", 25_000_000, "GBP"),
        ("prog:gb-fusion-futures-technology-transfer-hub", "GB", 18_000_000, "GBP"),
        ("prog:gb-fusion-futures-step-additional", "GB", 11_000_000, "GBP"),
        ("prog:gb-step-budget-to-2024", "GB", 240_000_000, "GBP"),
        ("prog:de-bmbf-fusion-programme-370m", "DE", 370_000_000, "EUR"),
        ("prog:us-doe-milestone-program", "US", 46_000_000, "USD"),
    ],
)
def test_seed_programmes(atlas, record_id, country, amount, currency):
    programme = rows(atlas, "programmes")[record_id]
    assert (programme["country"], programme["amount"], programme["currency"]) == (country, amount, currency)
    assert cites_seed(programme)


def test_uk_package_runs_to_2027_and_germany_over_five_years(atlas):
    programmes = rows(atlas, "programmes")
    assert programmes["prog:gb-fusion-futures"]["end"].startswith("2027")
    german = programmes["prog:de-bmbf-fusion-programme-370m"]
    assert int(german["end"][:4]) - int(german["start"][:4]) in (4, 5)


def test_doe_milestone_programme_went_to_eight_companies(atlas):
    programme = rows(atlas, "programmes")["prog:us-doe-milestone-program"]
    text = " ".join(filter(None, (programme["name_en"], programme["definition"], programme["notes"])))
    assert "8" in text or "eight" in text.lower()


def test_us_budget_request_and_cumulative_private_investment(atlas):
    assert rows(atlas, "programmes")["prog:us-fy2024-fusion-budget-request"]["amount"] >= 1_000_000_000
    cumulative = rows(atlas, "investments")["inv:private-fusion-cumulative-2023"]
    assert cumulative["amount"] == 6_000_000_000 and "cumulative" in cumulative["definition"]


def test_tae_raised_about_250_million_recorded_once(atlas):
    investments = rows(atlas, "investments")
    tae = investments["inv:tae-technologies-2022-250m"]
    assert (tae["amount"], tae["currency"]) == (250_000_000, "USD")
    assert cites_seed(tae) and "src:fia-2023-investment-passes-6bn" in tae["source_ids"]
    same = [i for i in investments.values() if i["org_id"] == "org:tae-technologies" and i["amount"] == 250_000_000]
    assert len(same) == 1


@pytest.mark.parametrize(
    ("record_id", "date"),
    [
        ("ms:jp-2023-jt-60sa-inauguration", "2023-12-01"),
        ("ms:jp-2023-jt-60sa-first-plasma", "2023-10-23"),
        ("ms:jp-2024-j-fusion-founded", "2024-03-29"),
        ("ms:jp-2023-fusion-energy-innovation-strategy", "2023-04-14"),
        ("ms:eu-jp-2023-joint-statement-fusion", "2023-12-01"),
        ("ms:jp-2023-iter-dg-courtesy-call", "2023-11-30"),
        ("ms:us-2023-cop28-international-fusion-strategy", "2023-12-02"),
        ("ms:gb-2023-energy-act-fusion", "2023-10-26"),
        ("ms:cn-best-operation-start", "2027"),
        ("ms:cn-2019-craft-construction-start", "2019"),
    ],
)
def test_milestone_dates(atlas, record_id, date):
    assert rows(atlas, "milestones")[record_id]["date"].startswith(date)


def test_outside_facts_cite_an_outside_source(atlas):
    milestones = rows(atlas, "milestones")
    for record_id in ("ms:jp-2023-jt-60sa-first-plasma", "ms:jp-2024-j-fusion-founded"):
        assert any(source != SEED for source in milestones[record_id]["source_ids"]), record_id


def test_industry_council_was_due_in_fiscal_2023(atlas):
    planned = rows(atlas, "milestones")["ms:jp-2023-industry-council-planned"]
    assert cites_seed(planned)
    assert "2023-04" <= planned["date"] <= "2024-03"


def test_regulation_facts(atlas):
    regulations = rows(atlas, "regulations")
    nrc = regulations["reg:us-nrc-2023-byproduct-framework"]
    assert nrc["country"] == "US" and nrc["date"].startswith("2023-04")
    energy_act = regulations["reg:gb-energy-act-2023-fusion-exclusion"]
    assert energy_act["country"] == "GB" and energy_act["date"] == "2023-10-26"


def test_facilities_of_the_seed(atlas):
    facilities = rows(atlas, "facilities")
    assert facilities["fac:jt-60sa"]["country"] == "JP" and facilities["fac:jt-60sa"]["first_plasma"] == "2023-10-23"
    assert facilities["fac:best"]["country"] == "CN"
    assert facilities["fac:craft"]["construction_start"].startswith("2019")
    assert facilities["fac:step"]["country"] == "GB"


# --- devices (FusDIS breadth) ------------------------------------------------------------------------


def parameters_needed(facility: dict) -> tuple[str, ...]:
    """The parameters a toroidal magnetic device has: a stellarator or heliotron carries no plasma current."""
    needed = ("major_radius_m", "minor_radius_m", "field_t")
    return (*needed, "current_ma") if facility["concept"] in TOKAMAKS else needed


# Ministries: policy makers cited by milestones and programmes, with neither an ability nor a sourced tie yet.
JAPANESE_ORGANIZATIONS_WITHOUT_TIES = {"org:mext", "org:meti"}


def test_every_japanese_organization_has_a_sourced_capability_or_relation(atlas):
    """A Japanese organization is in the atlas for a recorded reason: what it can do, or whom it is tied to."""
    capable = {c["org_id"] for c in rows(atlas, "capabilities").values() if c["source_ids"]}
    tied = set()
    for relation in rows(atlas, "relations").values():
        if relation["source_ids"]:
            tied |= {relation["org_id"], relation["other_org_id"]}
    japanese = {o["id"] for o in rows(atlas, "organizations").values() if o["country"] == "JP"}
    assert not japanese - capable - tied - JAPANESE_ORGANIZATIONS_WITHOUT_TIES


def test_relations_are_bilingual_sourced_and_of_every_kind(atlas):
    relations = rows(atlas, "relations").values()
    assert {r["kind"] for r in relations} == {
        "shareholding",
        "loan",
        "membership",
        "mou",
        "shortlisting",
        "partnership",
        "contract",
    }
    for relation in relations:
        assert relation["description_en"] and relation["description_ja"], relation["id"]
        assert relation["source_ids"] or relation["unconfirmed"], relation["id"]
    # Stakes and loans are relations, not abilities: the EIB's DTT loan and Eni's DTT stake.
    assert relations and any(r["id"] == "rel:eib.dtt-scarl.loan" and r["kind"] == "loan" for r in relations)


def test_operating_devices_floor(atlas):
    operating = [
        f
        for f in rows(atlas, "facilities").values()
        if f["status"] == "operating" and f["kind"] in ("device", "laser_facility")
    ]
    assert len(operating) >= OPERATING_DEVICES


def test_parameter_coverage_of_operating_magnetic_devices(atlas):
    magnetic = [
        f
        for f in rows(atlas, "facilities").values()
        if f["status"] == "operating" and f["kind"] == "device" and f["concept"] in TOKAMAKS | STELLARATORS
    ]
    covered = [f for f in magnetic if all(f[name] is not None for name in parameters_needed(f))]
    assert magnetic and len(covered) / len(magnetic) >= PARAMETER_COVERAGE


def test_parameters_are_physical(atlas):
    for facility in rows(atlas, "facilities").values():
        for name in (
            "major_radius_m",
            "minor_radius_m",
            "field_t",
            "current_ma",
            "heating_mw",
            "pulse_length_s",
            "laser_energy_kj",
            "laser_wavelength_nm",
        ):
            assert facility[name] is None or facility[name] > 0, (facility["id"], name)
        if facility["major_radius_m"] and facility["minor_radius_m"]:
            assert facility["minor_radius_m"] < facility["major_radius_m"], facility["id"]
        if facility["laser_energy_kj"] is not None or facility["laser_wavelength_nm"] is not None:
            assert facility["kind"] == "laser_facility", facility["id"]


@pytest.mark.parametrize(("facility_id", "operator_id"), JAPANESE_UNIVERSITY_DEVICES.items())
def test_japanese_university_devices(atlas, facility_id, operator_id):
    facility = rows(atlas, "facilities")[facility_id]
    operator = rows(atlas, "organizations")[operator_id]
    assert facility["country"] == "JP" and facility["operator_org_id"] == operator_id
    assert facility["name_ja"] and facility["description_en"] and facility["description_ja"]
    assert operator["country"] == "JP" and operator["name_ja"]


def test_device_facts(atlas):
    facilities = rows(atlas, "facilities")
    tst2 = facilities["fac:tst-2"]
    parameters = (tst2["major_radius_m"], tst2["minor_radius_m"], tst2["field_t"], tst2["current_ma"])
    assert parameters == (0.38, 0.25, 0.3, 0.1)
    assert facilities["fac:lhd"]["status"] == "shutdown" and facilities["fac:lhd"]["operation_end"] == "2025-12-25"
    assert facilities["fac:nif"]["laser_energy_kj"] == 1800
    assert facilities["fac:lmj"]["laser_wavelength_nm"] == 350
    assert facilities["fac:west"]["pulse_length_s"] == 1337
    ftu = facilities["fac:ftu"]  # ENEA's own page gives FTU's main parameters
    assert (ftu["major_radius_m"], ftu["minor_radius_m"], ftu["field_t"], ftu["current_ma"]) == (0.935, 0.333, 8, 1.6)
    assert facilities["fac:magpie"]["current_ma"] == 1.4 and facilities["fac:magpie"]["status"] == "operating"


def test_needs_floors_awarded_and_japanese_buyers(atlas):
    needs = rows(atlas, "needs").values()
    organizations = rows(atlas, "organizations")
    awarded = [n for n in needs if n["status"] == "awarded"]
    assert len(awarded) >= AWARDED_NEEDS
    assert all(n["awardee_org_ids"] for n in awarded)
    japanese = [n for n in needs if organizations[n["buyer_org_id"]]["country"] == "JP"]
    assert len(japanese) >= JAPANESE_BUYER_NEEDS


def test_needs_are_bilingual_and_sourced(atlas):
    for need in rows(atlas, "needs").values():
        assert need["buyer_org_id"] and need["technology_ids"], need["id"]
        assert need["title_en"] and need["title_ja"], need["id"]
        assert need["description_en"] and need["description_ja"], need["id"]
        assert need["source_ids"] and not need["unconfirmed"], need["id"]
        assert (need["value"] is None) == (need["currency"] is None), need["id"]


def test_every_awardee_has_a_capability_citing_the_award(atlas):
    """An award is evidence: each awardee has a capability on one of the need's nodes (or below them)
    that cites one of the need's sources."""
    capabilities = list(rows(atlas, "capabilities").values())
    for need in rows(atlas, "needs").values():
        if need["status"] != "awarded":
            continue
        nodes = need["technology_ids"]
        sources = set(need["source_ids"])
        for org_id in need["awardee_org_ids"]:
            assert any(
                c["org_id"] == org_id
                and any(c["technology_id"] == n or c["technology_id"].startswith(n + ".") for n in nodes)
                and sources & set(c["source_ids"])
                for c in capabilities
            ), (need["id"], org_id)


def test_award_capabilities_point_at_their_need(atlas):
    needs = rows(atlas, "needs")
    for capability in rows(atlas, "capabilities").values():
        if not capability["id"].startswith("cap:award-"):
            continue
        need_id = (capability["notes"] or "").removeprefix("award: ").split()[0]
        need = needs[need_id]
        assert need["status"] == "awarded" and capability["org_id"] in need["awardee_org_ids"], capability["id"]
        assert set(need["source_ids"]) & set(capability["source_ids"]), capability["id"]


def test_readiness_assessments_are_sourced_and_placed(atlas):
    """Every assessment sits on a node of the tree and cites sources the atlas holds; one on a source's own
    scale says how it became a TRL; a published one is described in both languages, a self-assessment
    names its organization."""
    assessments = rows(atlas, "readiness").values()
    nodes, sources = rows(atlas, "technologies"), rows(atlas, "sources")
    for assessment in assessments:
        assert assessment["technology_id"] in nodes, assessment["id"]
        assert assessment["source_ids"], assessment["id"]
        assert all(s in sources for s in assessment["source_ids"]), assessment["id"]
        assert 1 <= assessment["value"] <= 9 and assessment["date"], assessment["id"]
        if assessment["source_scale"]:  # a source's own scale needs the note saying how it became a TRL
            assert assessment["mapping_note"], assessment["id"]
        if assessment["self_assessed"]:
            assert assessment["assessor_org_id"], assessment["id"]
        else:
            assert assessment["description_en"] and assessment["description_ja"], assessment["id"]
    published = [a for a in assessments if not a["self_assessed"]]
    assert len(published) >= READINESS_ASSESSMENTS
    assert len({a["technology_id"] for a in published}) >= READINESS_NODES


# Organizations with a public inquiry or contact page (issue 11, item 3), measured for data version 2026.12
# by counting organizations.csv rows whose contact_url is filled: 2 (the University of Tsukuba's
# industry-collaboration consultation window and SOKENDAI's fusion science course contact page). Every value
# is a page on the organization's own domain read in the reference search; none is filled in from memory, so
# raise the floor as more pages are confirmed.
CONTACT_PAGES = 2


def test_contact_pages_are_sourced_web_addresses(atlas):
    """A contact page is a web address, and the organization cites a source at exactly that address."""
    organizations, sources = rows(atlas, "organizations"), rows(atlas, "sources")
    with_contact = [o for o in organizations.values() if o["contact_url"]]
    for organization in with_contact:
        contact = organization["contact_url"]
        assert contact.startswith(("https://", "http://")), organization["id"]
        cited = [sources[s]["url"] for s in organization["source_ids"] if s in sources]
        assert contact in cited, organization["id"]
    assert len(with_contact) >= CONTACT_PAGES


# Record ids (prefix:rest) that a reader would see raw if they slipped into displayed text.
_RAW_ID = re.compile(
    r"\b(?:cap|capa|fac|inv|ms|need|org|path|plasma|prog|reg|rel|track|sref|skill|src|tech|train|wf):[a-z0-9]"
)


def test_displayed_text_names_records_rather_than_citing_their_ids():
    """Names, descriptions and definitions are shown on the pages: a record they refer to is named in words
    (the /skills page once showed "wf:jp-demo-researchers-increase-2023の研究者とは別に…"); ids belong in the
    id columns and the notes."""
    found = []
    for path in sorted(BUNDLED.glob("*.csv")):
        with path.open(encoding="utf-8", newline="") as handle:
            for row in csv.DictReader(handle):
                for column, value in row.items():
                    shown = column.endswith(("_en", "_ja")) or column in ("title", "definition", "description")
                    if shown and value and _RAW_ID.search(value):
                        found.append(f"{path.name} {row.get('id')} {column}: {value[:80]}")
    assert not found, "\n".join(found)
