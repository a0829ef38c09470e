"""Evaluate matching on labelled real needs, beside a plain BM25 baseline over the same atlas.

`make eval` runs this on tests/data/needs_eval.yaml against the bundled atlas and prints recall@5,
recall@10, MRR and nDCG@10 per language for both rankers, in the same run, under two conditions:

- bilingual: the atlas as it is, every record in both languages;
- one-language: each need against records written only in the other language (a Japanese need
  against the English text alone, and the reverse), as imports and members' submissions may be.
  Names stay in both languages; descriptions and evidence keep one.
"""

from __future__ import annotations

import argparse
import json
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from sqlalchemy import Engine, update

from fusionatlas.domain.audience import PUBLIC
from fusionatlas.match.engine import match
from fusionatlas.match.index import MatchIndex, build_index
from fusionatlas.match.metrics import ndcg_at, recall_at, reciprocal_rank
from fusionatlas.store.schema import TABLES_BY_NAME

RANKERS = ("fusionatlas", "bm25")
CONDITIONS = ("bilingual", "one-language")
DEPTH = 10
# The text fields of each table that hold one language; the other language is blanked for one-language runs.
TEXT_FIELDS = {"capabilities": ("description", "evidence"), "organizations": ("description",)}


@dataclass(frozen=True)
class LabelledNeed:
    id: str
    language: str
    text: str
    suppliers: frozenset[str]


def read_needs(path: Path, index: MatchIndex) -> tuple[list[LabelledNeed], int]:
    """Labelled needs whose suppliers are in the atlas; also how many labels fell outside it."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    needs, outside = [], 0
    for item in data["needs"]:
        suppliers = frozenset(s for s in item["suppliers"] if s in index.org_position)
        outside += len(set(item["suppliers"])) - len(suppliers)
        if suppliers:
            needs.append(LabelledNeed(item["id"], item["language"], item["text"], suppliers))
    return needs, outside


def one_language_index(engine: Engine, keep: str) -> MatchIndex:
    """The index of the atlas as if its descriptions and evidence were written in `keep` only.

    The other language is blanked inside a transaction that is rolled back: the store is untouched.
    """
    drop = "ja" if keep == "en" else "en"
    with engine.connect() as connection:
        for table, fields in TEXT_FIELDS.items():
            connection.execute(update(TABLES_BY_NAME[table]).values({f"{f}_{drop}": None for f in fields}))
        index = build_index(connection)
        connection.rollback()
    return index


def evaluate(
    index: MatchIndex | dict[str, MatchIndex], needs: list[LabelledNeed]
) -> dict[str, dict[str, dict[str, float]]]:
    """{ranker: {language or "all": {metric: value, "needs": n}}}.

    `index` is one index for every need, or one per need language (the one-language condition).
    """
    by_language = index if isinstance(index, dict) else {"en": index, "ja": index}
    report: dict[str, dict[str, dict[str, float]]] = {}
    for ranker in RANKERS:
        rows: dict[str, list[dict[str, float]]] = {"en": [], "ja": [], "all": []}
        for need in needs:
            result = match(
                by_language[need.language], need.text, top=DEPTH, audience=PUBLIC, lexical_only=ranker == "bm25"
            )
            ranked = [r.org_id for r in result.results]
            row = {
                "recall@5": recall_at(ranked, need.suppliers, 5),
                "recall@10": recall_at(ranked, need.suppliers, 10),
                "mrr": reciprocal_rank(ranked, need.suppliers),
                "ndcg@10": ndcg_at(ranked, need.suppliers, 10),
            }
            rows[need.language].append(row)
            rows["all"].append(row)
        report[ranker] = {
            group: {**{m: round(sum(r[m] for r in values) / len(values), 3) for m in values[0]}, "needs": len(values)}
            for group, values in rows.items()
            if values
        }
    return report


def per_need(index: MatchIndex, needs: list[LabelledNeed]) -> list[dict[str, Any]]:
    """Where each need's suppliers landed: for reading failures, not for scoring."""
    out = []
    for need in needs:
        ranked = [r.org_id for r in match(index, need.text, top=DEPTH, audience=PUBLIC).results]
        out.append(
            {
                "id": need.id,
                "text": need.text,
                "found": sorted(need.suppliers & set(ranked)),
                "missed": sorted(need.suppliers - set(ranked)),
                "top3": ranked[:3],
            }
        )
    return out


def main() -> None:
    from fusionatlas.dataset import BUNDLED
    from fusionatlas.dataset.package import load_package
    from fusionatlas.store.engine import open_engine

    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("needs", type=Path, help="labelled needs (YAML)")
    parser.add_argument("--package", type=Path, default=BUNDLED, help="data package to match against")
    parser.add_argument("--details", action="store_true", help="print each need's found and missed suppliers")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        engine = open_engine(f"sqlite:///{Path(folder) / 'eval.db'}")
        load_package(engine, args.package)
        with engine.connect() as connection:
            index = build_index(connection)
        # A Japanese need meets English-only records, and the reverse.
        crossed = {"ja": one_language_index(engine, "en"), "en": one_language_index(engine, "ja")}
        engine.dispose()
    needs, outside = read_needs(args.needs, index)
    if args.details:
        print(json.dumps(per_need(index, needs), ensure_ascii=False, indent=1))
    print(f"{len(needs)} labelled needs; {outside} labelled suppliers are not in the atlas and are left out")
    header = f"{'records':<14}{'ranker':<12}{'language':<10}{'needs':>6}"
    print(header + f"{'recall@5':>10}{'recall@10':>11}{'MRR':>7}{'nDCG@10':>9}")
    conditions: tuple[MatchIndex | dict[str, MatchIndex], ...] = (index, crossed)
    for condition, indexes in zip(CONDITIONS, conditions, strict=True):
        for ranker, groups in evaluate(indexes, needs).items():
            for group, m in groups.items():
                print(
                    f"{condition:<14}{ranker:<12}{group:<10}{m['needs']:>6}{m['recall@5']:>10.3f}"
                    f"{m['recall@10']:>11.3f}{m['mrr']:>7.3f}{m['ndcg@10']:>9.3f}"
                )


if __name__ == "__main__":
    main()
