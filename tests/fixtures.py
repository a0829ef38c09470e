"""A small, valid data package built by code: every table, both languages, a two-level tree.

Facts are real (with their public sources) so that the fixture never teaches the code a false atlas.
"""

from __future__ import annotations

from pathlib import Path

SOURCES = """id,title,publisher,date,url,accessed,language
src:fujikura-hts,Fujikura high-temperature superconductor products,Fujikura,2024,https://www.fujikura.co.jp/en/products/newbusiness/superconductors/,2026-11-28,en
src:qst-jt60sa,JT-60SA first plasma,QST,2023-10-23,https://www.qst.go.jp/site/press/20231023.html,2026-11-28,ja
src:iter-gyrotron,ITER gyrotrons,ITER Organization,2023,https://www.iter.org/mach/heating,2026-11-28,en
"""

TECHNOLOGIES = """- id: tech:magnet
  parent: null
  name_en: Superconducting magnets
  name_ja: 超伝導マグネット
  synonyms_en: [superconducting magnet]
  synonyms_ja: [超電導マグネット]
  source_ids: [src:iter-gyrotron]
- id: tech:magnet.hts
  parent: tech:magnet
  name_en: HTS REBCO tape
  name_ja: 高温超伝導線材
  synonyms_en: [REBCO, HTS tape, coated conductor]
  synonyms_ja: [REBCO線材, 希土類系線材]
  targets:
    - {metric: critical current at 20 T and 20 K, value: 500, unit: A, plant: ARC, source_ids: [src:fujikura-hts]}
  source_ids: [src:fujikura-hts]
- id: tech:hcd
  parent: null
  name_en: Heating and current drive
  name_ja: 加熱・電流駆動
  source_ids: [src:iter-gyrotron]
- id: tech:hcd.gyrotron
  parent: tech:hcd
  name_en: Gyrotron
  name_ja: ジャイロトロン
  synonyms_en: [ECRH source]
  synonyms_ja: [ジャイロトロン管]
  source_ids: [src:iter-gyrotron]
"""

ORGANIZATIONS = """id,name_en,name_ja,kind,country,city,website,founded,memberships,description_en,description_ja,visibility,source_ids,unconfirmed
org:fujikura,Fujikura,フジクラ,company,JP,Tokyo,https://www.fujikura.co.jp,1885,j-fusion,Makes REBCO high-temperature superconducting tape.,REBCO高温超伝導線材を製造する。,public,src:fujikura-hts,false
org:qst,National Institutes for Quantum Science and Technology,量子科学技術研究開発機構,national_lab,JP,Chiba,https://www.qst.go.jp,2016,,Runs JT-60SA and Japan's ITER procurement.,JT-60SAとITER調達を担う。,public,src:qst-jt60sa,false
org:iter-organization,ITER Organization,ITER機構,international,FR,Saint-Paul-lez-Durance,https://www.iter.org,2007,,Builds ITER.,ITERを建設する。,public,src:iter-gyrotron,false
org:members-only-co,Members Only Co,会員限定株式会社,company,JP,,,,,A record only members may see.,会員だけが見られるレコード。,members,,true
"""

CAPABILITIES = """id,org_id,technology_id,description_en,description_ja,evidence_en,evidence_ja,trl,capacity_value,capacity_unit,capacity_period,visibility,source_ids,unconfirmed
cap:fujikura.magnet.hts,org:fujikura,tech:magnet.hts,REBCO tape for fusion magnets,核融合マグネット用REBCO線材,Sells REBCO coated-conductor tape.,REBCO線材を販売。,7,,,,public,src:fujikura-hts,false
cap:members-only-co.hcd.gyrotron,org:members-only-co,tech:hcd.gyrotron,Gyrotron parts,ジャイロトロン部品,,,,,,,members,,true
"""

NEEDS = """id,title_en,title_ja,description_en,description_ja,buyer_org_id,technology_ids,min_trl,countries,deadline,status,visibility,source_ids,unconfirmed
need:iter-gyrotron,170 GHz gyrotrons,170 GHzジャイロトロン,1 MW gyrotrons for ECRH.,ECRH用1 MWジャイロトロン。,org:iter-organization,tech:hcd.gyrotron,7,JP;FR,2030,open,public,src:iter-gyrotron,false
"""

FACILITIES = """id,name_en,name_ja,kind,concept,country,operator_org_id,status,major_radius_m,minor_radius_m,field_t,current_ma,heating_mw,fusion_power_mw,first_plasma,source_ids,unconfirmed
fac:jt-60sa,JT-60SA,JT-60SA,device,tokamak,JP,org:qst,operating,2.96,1.18,2.25,5.5,,,2023-10-23,src:qst-jt60sa,false
"""

PROGRAMMES = """id,country,name_en,name_ja,amount,currency,start,end,definition,fiscal_year,part_of,source_ids,unconfirmed
prog:uk-euratom-alternative,GB,Fusion package after EURATOM,ユーラトム離脱後の核融合パッケージ,650000000,GBP,2023,2027,multi_year,,,src:iter-gyrotron,false
"""

INVESTMENTS = """id,org_id,amount,currency,date,round,investors,definition,source_ids,unconfirmed
inv:fujikura-example,org:fujikura,1000000,JPY,2024-01,grant,JST;NEDO,public grant,,true
"""

MILESTONES = """id,date,country,org_id,facility_id,kind,title_en,title_ja,depends_on,source_ids,unconfirmed
ms:jt-60sa-first-plasma,2023-10-23,JP,org:qst,fac:jt-60sa,first_plasma,JT-60SA first plasma,JT-60SA初プラズマ,,src:qst-jt60sa,false
ms:jt-60sa-ceremony,2023-12-01,JP,org:qst,fac:jt-60sa,operation_start,JT-60SA operation-start ceremony,JT-60SA運転開始記念式典,ms:jt-60sa-first-plasma,src:qst-jt60sa,false
"""

ROADMAP_TRACKS = """id,name_en,name_ja,target_id,milestone_ids,source_ids,unconfirmed
track:jt-60sa,JT-60SA,JT-60SA,ms:jt-60sa-ceremony,ms:jt-60sa-first-plasma;ms:jt-60sa-ceremony,src:qst-jt60sa,false
"""

MILESTONE_LINKS = """from_id,to_id,kind,lag_months,source_ids,unconfirmed
ms:jt-60sa-first-plasma,ms:jt-60sa-ceremony,finish_to_start,1,src:qst-jt60sa,false
"""

MILESTONE_DATES = """milestone_id,announced,date,source_ids,unconfirmed
ms:jt-60sa-first-plasma,2020-04-22,2020-10,src:qst-jt60sa,false
"""

SCHEDULE_REFERENCES = """id,name_en,name_ja,kind,scale,event_en,event_ja,decision,decision_en,decision_ja,planned,actual,source_ids,unconfirmed
sref:jt-60sa,JT-60SA,JT-60SA,tokamak,large,First plasma,初プラズマ,2020-04-22,Assembly completed,組立完了,2020-10,2023-10-23,src:qst-jt60sa,false
"""

REGULATIONS = """id,country,body,name_en,name_ja,approach_en,approach_ja,date,source_ids,unconfirmed
reg:gb-energy-act-2023,GB,UK Parliament,Energy Act 2023,2023年エネルギー法,Fusion stays outside fission regulation.,核融合を核分裂の規制の外に置く。,2023-10-26,src:iter-gyrotron,false
"""

RELATIONS = """id,kind,org_id,other_org_id,date,description_en,description_ja,visibility,source_ids,unconfirmed
rel:qst.iter-organization.domestic-agency,partnership,org:qst,org:iter-organization,2007,Japan's domestic agency for ITER procurement.,ITER調達における日本の国内機関。,public,src:iter-gyrotron,false
rel:members-only-co.qst.contract,contract,org:members-only-co,org:qst,2024,A contract only members may see.,会員だけが見られる契約。,members,,true
"""
EXCHANGE_RATES = """currency,year,per_usd,source_ids
JPY,2023,140.5,src:iter-gyrotron
"""

SKILLS = """id,name_en,name_ja,synonyms_en,synonyms_ja,technology_ids,description_en,description_ja,source_ids,notes
skill:rf-microwave,RF and microwave engineering,高周波・マイクロ波工学,gyrotron engineering,ジャイロトロン技術,tech:hcd,High-power radio-frequency sources.,大電力高周波源。,,
skill:magnet-winding,Superconducting magnet winding,超伝導コイルの巻線,coil winding,コイル巻線,tech:magnet,Winding superconducting coils.,超伝導コイルを巻く。,,
"""

TRAINING = """id,org_id,kind,name_en,name_ja,country,skill_ids,languages,facility_ids,programme_ids,url,since,places,places_note_en,places_note_ja,description_en,description_ja,visibility,source_ids,unconfirmed,notes
train:qst-magnet-school,org:qst,summer_school,QST magnet school,QSTマグネットスクール,JP,skill:magnet-winding,ja,fac:jt-60sa,prog:uk-euratom-alternative,https://www.qst.go.jp,2020,20,per year,毎年,Students wind a small coil.,学生が小型コイルを巻く。,public,src:qst-jt60sa,false,
"""

WORKFORCE = """id,country,kind,low,high,year,published,definition_en,definition_ja,source_ids,unconfirmed,notes
wf:jp-example,JP,needed,100,200,2030,,People the example needs by 2030.,例が2030年までに必要とする人数。,src:qst-jt60sa,false,
"""

PLASMA_RECORDS = """id,facility_id,date,density_m3,temperature_kev,confinement_s,triple_product,gain,gain_kind,basis_en,basis_ja,original_reference,source_ids,unconfirmed,notes,last_verified
plasma:jt-60sa-example,fac:jt-60sa,2024-05-01,5e19,10,1,,1.1,equivalent,An example shot.,例の放電。,,src:qst-jt60sa,false,,
"""

CAPACITIES = """id,item,org_id,name_en,name_ja,unit,year,low,central,high,basis,description_en,description_ja,source_ids,unconfirmed
capa:fujikura.rebco-tape,rebco-tape,org:fujikura,Fujikura tape line,フジクラの線材ライン,km,2025,500,1000,2000,assumption,An example range.,例としての範囲。,,true
"""

READINESS = """id,technology_id,scale,value,source_scale,source_value,source_item,mapping_note,context,concept,assessor,assessor_org_id,method,date,description_en,description_ja,self_assessed,visibility,source_ids,unconfirmed
rdy:fixture.magnet.hts,tech:magnet.hts,TRL,5,,,HTS magnets,,demo,tokamak,Fixture review panel,,expert review,2024-06,Fixture assessment of HTS magnets,HTS マグネットのフィクスチャ評価,false,public,src:fujikura-hts,false
"""

COUNTRY_PATHS = """id,country,technology_id,concept,programme_en,programme_ja,description_en,description_ja,source_ids,unconfirmed
path:jp-fixture.magnet,JP,tech:magnet,tokamak,Fixture DEMO,フィクスチャ原型炉,Fixture path naming magnets,マグネットを挙げるフィクスチャの路線,src:qst-jt60sa,false
"""

FILES = {
    "sources.csv": SOURCES,
    "technologies.yaml": TECHNOLOGIES,
    "organizations.csv": ORGANIZATIONS,
    "capabilities.csv": CAPABILITIES,
    "needs.csv": NEEDS,
    "facilities.csv": FACILITIES,
    "programmes.csv": PROGRAMMES,
    "investments.csv": INVESTMENTS,
    "milestones.csv": MILESTONES,
    "roadmap_tracks.csv": ROADMAP_TRACKS,
    "milestone_links.csv": MILESTONE_LINKS,
    "milestone_dates.csv": MILESTONE_DATES,
    "schedule_references.csv": SCHEDULE_REFERENCES,
    "regulations.csv": REGULATIONS,
    "relations.csv": RELATIONS,
    "exchange_rates.csv": EXCHANGE_RATES,
    "skills.csv": SKILLS,
    "training.csv": TRAINING,
    "workforce.csv": WORKFORCE,
    "plasma_records.csv": PLASMA_RECORDS,
    "capacities.csv": CAPACITIES,
    "readiness.csv": READINESS,
    "country_paths.csv": COUNTRY_PATHS,
}
COUNTS = {
    "sources": 3,
    "technologies": 4,
    "organizations": 4,
    "capabilities": 2,
    "needs": 1,
    "facilities": 1,
    "programmes": 1,
    "investments": 1,
    "milestones": 2,
    "roadmap_tracks": 1,
    "milestone_links": 1,
    "milestone_dates": 1,
    "schedule_references": 1,
    "regulations": 1,
    "relations": 2,
    "exchange_rates": 1,
    "skills": 2,
    "training": 1,
    "workforce": 1,
    "plasma_records": 1,
    "capacities": 1,
    "readiness": 1,
    "country_paths": 1,
}


def write_package(folder: Path, **overrides: str) -> Path:
    """The fixture package in `folder`; keyword arguments replace a file's text (name with '_' for '.')."""
    folder.mkdir(parents=True, exist_ok=True)
    files = dict(FILES)
    for name, text in overrides.items():
        files[name.replace("_csv", ".csv").replace("_yaml", ".yaml")] = text
    for name, text in files.items():
        (folder / name).write_text(text, encoding="utf-8")
    return folder
