"""Synthetic data packages of realistic shape and any size, for scale tests and benchmarks.

Organizations are spread over countries and kinds in proportions like the real atlas; capabilities
fall on the real technology tree (the bundled one), so matching and gap analysis see real structure.
Every record cites one synthetic source, so a synthetic package is never mistaken for curated data.
"""

from __future__ import annotations

import csv
import random
import shutil
from contextlib import ExitStack
from pathlib import Path
from typing import Any

import yaml

from fusionatlas.dataset import BUNDLED
from fusionatlas.dataset.progress import Progress, Silent
from fusionatlas.domain import BY_NAME

SOURCE_ID = "src:synthetic"
COUNTRIES = {
    "JP": 30,
    "US": 22,
    "GB": 8,
    "DE": 7,
    "FR": 6,
    "CN": 8,
    "KR": 5,
    "IT": 4,
    "ES": 2,
    "CA": 3,
    "CH": 1,
    "AU": 1,
    "IN": 2,
    "EU": 1,
}
KINDS = {
    "company": 60,
    "startup": 12,
    "university": 12,
    "national_lab": 8,
    "agency": 2,
    "association": 2,
    "consortium": 3,
    "international": 1,
}
_STEMS_EN = [
    "Aster",
    "Boreal",
    "Cobalt",
    "Delta",
    "Ember",
    "Fjord",
    "Granite",
    "Helix",
    "Iris",
    "Juniper",
    "Kestrel",
    "Lumen",
    "Meridian",
    "Nova",
    "Orion",
    "Pioneer",
    "Quartz",
    "Ridge",
    "Summit",
    "Tidal",
    "Umbra",
    "Vector",
    "Willow",
    "Xenon",
    "Yarrow",
    "Zenith",
]
_STEMS_JA = [
    "東邦",
    "北斗",
    "昭和",
    "大和",
    "光陽",
    "富士見",
    "扶桑",
    "瑞穂",
    "若葉",
    "白鷺",
    "青葉",
    "朝日",
    "日進",
    "三星",
    "千代田",
    "常磐",
    "浪速",
    "筑紫",
    "飛鳥",
    "武蔵",
]
_TRADES = [
    ("Magnetics", "マグネティクス"),
    ("Cryogenics", "クライオ"),
    ("Materials", "マテリアル"),
    ("Engineering", "エンジニアリング"),
    ("Vacuum", "真空"),
    ("Power Systems", "電力システム"),
    ("Photonics", "フォトニクス"),
    ("Robotics", "ロボティクス"),
    ("Industries", "工業"),
    ("Metals", "金属"),
]


def _weighted(rng: random.Random, weights: dict[str, int]) -> str:
    return rng.choices(list(weights), weights=list(weights.values()))[0]


def _name(rng: random.Random, number: int, country: str) -> tuple[str, str]:
    trade_en, trade_ja = rng.choice(_TRADES)
    if country == "JP":
        stem = rng.choice(_STEMS_JA)
        return f"{stem} {trade_en} {number}", f"{stem}{trade_ja}{number}"
    stem = rng.choice(_STEMS_EN)
    return f"{stem} {trade_en} {number}", ""


def _columns(table: str) -> list[str]:
    """The table's columns without the optional `last_verified`: synthetic records are verified by their
    synthetic source, as bundled rows are by theirs."""
    return [column for column in BY_NAME[table].columns if column != "last_verified"]


def _table_writer(stack: ExitStack, folder: Path, table: str) -> Any:
    """A CSV writer for a table's file in `folder`, header written; closed with the stack."""
    spec = BY_NAME[table]
    handle = stack.enter_context((folder / spec.filename).open("w", encoding="utf-8", newline=""))
    writer = csv.writer(handle)
    writer.writerow(_columns(table))
    return writer


def write_synthetic(
    folder: Path,
    organizations: int,
    seed: int = 1,
    capabilities_per_org: int = 5,
    progress: Progress | None = None,
) -> dict[str, int]:
    """Write a package with `organizations` organizations, about 5 capabilities each and needs."""
    progress = progress or Silent()
    rng = random.Random(seed)
    folder.mkdir(parents=True, exist_ok=True)
    technologies = yaml.safe_load((BUNDLED / "technologies.yaml").read_text(encoding="utf-8"))
    shutil.copy(BUNDLED / "technologies.yaml", folder / "technologies.yaml")
    shutil.copy(BUNDLED / "sources.csv", folder / "sources.csv")
    with (folder / "sources.csv").open("a", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerow(
            [SOURCE_ID, "FusionAtlas synthetic data (not real)", "FusionAtlas", "", "", "", "en"]
        )
    parents = {t["parent"] for t in technologies}
    leaves = [t for t in technologies if t["id"] not in parents] or technologies
    counts = {"organizations": 0, "capabilities": 0, "needs": 0, "technologies": len(technologies)}

    with ExitStack() as stack:
        _write_organizations(stack, folder, organizations, rng, leaves, progress, counts, capabilities_per_org)
        _write_needs(_table_writer(stack, folder, "needs"), organizations, rng, leaves, counts)
    return counts


def _write_organizations(
    stack: ExitStack,
    folder: Path,
    organizations: int,
    rng: random.Random,
    leaves: list[dict[str, Any]],
    progress: Progress,
    counts: dict[str, int],
    capabilities_per_org: int,
) -> None:
    org_writer = _table_writer(stack, folder, "organizations")
    cap_writer = _table_writer(stack, folder, "capabilities")
    progress.start("synthesising organizations", organizations)
    # Each organization specialises in one area of the tree, as real suppliers do.
    areas: dict[str, list[dict[str, Any]]] = {}
    for leaf in leaves:
        areas.setdefault(leaf["id"].split(".")[0], []).append(leaf)
    area_names = list(areas)
    for number in range(1, organizations + 1):
        country = _weighted(rng, COUNTRIES)
        kind = _weighted(rng, KINDS)
        name_en, name_ja = _name(rng, number, country)
        org_id = f"org:synth-{number:06d}"
        area = areas[rng.choice(area_names)]
        visibility = rng.choices(["public", "members", "private"], weights=[90, 7, 3])[0]
        org_row = {
            "id": org_id,
            "name_en": name_en,
            "name_ja": name_ja,
            "kind": kind,
            "country": country,
            "founded": str(rng.randint(1900, 2024)),
            "description_en": f"Synthetic {kind.replace('_', ' ')} working on {area[0]['name_en']}.",
            "description_ja": f"{area[0]['name_ja']}に取り組む架空の組織。",
            # name_kana left blank: generated when read (text/kana.py), as for any organization without one
            "visibility": visibility,
            "source_ids": SOURCE_ID,
            "unconfirmed": "false",
        }
        org_writer.writerow([org_row.get(column, "") for column in _columns("organizations")])
        chosen = rng.sample(area, min(len(area), capabilities_per_org))
        others = [leaf for leaf in leaves if leaf not in chosen]
        chosen += rng.sample(others, min(len(others), capabilities_per_org - len(chosen)))
        for tech in chosen:
            suffix = tech["id"].removeprefix("tech:")
            cap_row = {
                "id": f"cap:synth-{number:06d}.{suffix}",
                "org_id": org_id,
                "technology_id": tech["id"],
                "description_en": f"Makes {tech['name_en']}.",
                "description_ja": f"{tech['name_ja']}を製造。",
                "evidence_en": f"Delivered {tech['name_en']} to a synthetic customer.",
                "evidence_ja": f"架空の顧客に{tech['name_ja']}を納入。",
                "trl": str(rng.randint(3, 9)),
                "visibility": visibility,
                "source_ids": SOURCE_ID,
                "unconfirmed": "false",
            }
            cap_writer.writerow([cap_row.get(column, "") for column in _columns("capabilities")])
            counts["capabilities"] += 1
        counts["organizations"] += 1
        progress.advance(1)


def _write_needs(
    need_writer: Any, organizations: int, rng: random.Random, leaves: list[dict[str, Any]], counts: dict[str, int]
) -> None:
    for number in range(1, max(organizations // 10, 1) + 1):
        tech = rng.choice(leaves)
        row = {
            "id": f"need:synth-{number:06d}",
            "title_en": f"Supplier of {tech['name_en']}",
            "title_ja": f"{tech['name_ja']}の供給者",
            "description_en": f"Looking for {tech['name_en']} for a pilot plant.",
            "description_ja": f"パイロットプラント向けの{tech['name_ja']}を求む。",
            "buyer_org_id": f"org:synth-{rng.randint(1, organizations):06d}",
            "technology_ids": tech["id"],
            "min_trl": str(rng.randint(4, 8)),
            "status": "open",
            "visibility": "public",
            "source_ids": SOURCE_ID,
            "unconfirmed": "false",
        }
        need_writer.writerow([row.get(column, "") for column in _columns("needs")])
        counts["needs"] += 1
