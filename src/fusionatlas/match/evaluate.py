"""Evaluate matching on labelled real needs, beside a plain BM25 baseline over the same atlas.

`make eval` runs this on tests/data/needs_eval.yaml against the bundled atlas and prints recall@5,
recall@10, MRR and nDCG@10 per language for both rankers, in the same run, under four conditions:

- bilingual: the atlas as it is, every record in both languages;
- one-language: each need against records written only in the other language (a Japanese need
  against the English text alone, and the reverse), as imports and members' submissions may be.
  Names stay in both languages; descriptions and evidence keep one;
- award evidence left out: the bilingual atlas, but for each labelled need the capabilities whose
  source_ids cite that need's award sources are masked (see `award_sources`), so that a supplier is
  not found by the very article that made it a label;
- + org text left out: as the last, and the text of the organizations whose own source_ids cite those
  sources is left out too (an organization's description often rests on the award article). Plain
  BM25 ranks an organization by its best document, its description included; the ranker gives the
  description a tenth. This condition shows how much each leans on it.

It also scores the bundled awarded needs as queries (title and description, once per language), their
awardees as the labels, with the capabilities citing the award's own sources left out (and, stricter,
the organizations' text citing them too), beside the same queries on the atlas as bundled: hit@10
(share of needs with an awardee in the top 10), recall@10, MRR.
Masking never writes to the store: it is a copy of the index in which those capabilities need a level
no audience has.
"""

from __future__ import annotations

import argparse
import json
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import numpy as np
import yaml
from sqlalchemy import Connection, Engine, select, update

from fusionatlas.domain.audience import ALL_LEVEL, PUBLIC
from fusionatlas.match.engine import match
from fusionatlas.match.index import Bm25, MatchIndex, build_index
from fusionatlas.match.metrics import ndcg_at, recall_at, reciprocal_rank
from fusionatlas.store.schema import TABLES_BY_NAME

RANKERS = ("fusionatlas", "bm25")
CONDITIONS = ("bilingual", "one-language", "award evidence left out", "+ org text left out")
AWARDED_CONDITIONS = ("as bundled", "award evidence left out", "+ org text left out")
DEPTH = 10
# The level a masked capability needs: above every audience's, so that no query sees it.
LEFT_OUT = ALL_LEVEL + 1
# The text fields of each table that hold one language; the other language is blanked for one-language runs.
TEXT_FIELDS = {"capabilities": ("description", "evidence"), "organizations": ("description",)}


@dataclass(frozen=True)
class LabelledNeed:
    id: str
    language: str
    text: str
    suppliers: frozenset[str]
    # Where the label comes from (the YAML's source_ids): the award articles that name the suppliers.
    source_ids: frozenset[str] = frozenset()
    # What to leave out of the atlas when scoring the need without its own award evidence (award_sources).
    left_out: frozenset[str] = frozenset()


def read_needs(path: Path, index: MatchIndex) -> tuple[list[LabelledNeed], int]:
    """Labelled needs whose suppliers are in the atlas; also how many labels fell outside it."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    needs, outside = [], 0
    for item in data["needs"]:
        suppliers = frozenset(s for s in item["suppliers"] if s in index.org_position)
        outside += len(set(item["suppliers"])) - len(suppliers)
        if suppliers:
            sources = frozenset(item.get("source_ids") or ())
            need = LabelledNeed(item["id"], item["language"], item["text"], suppliers, sources)
            needs.append(replace(need, left_out=award_sources(index, need)))
    return needs, outside


def award_sources(index: MatchIndex, need: LabelledNeed) -> frozenset[str]:
    """The sources of the award(s) a labelled need stands for.

    Its own source_ids (the articles that name its suppliers), and the sources of every bundled awarded
    need that corresponds to it: one that shares a source with it and whose awardees include one of its
    suppliers (the same award, recorded twice, may cite a second article).
    """
    sources = set(need.source_ids)
    for bundled in index.needs:
        if bundled["status"] != "awarded":
            continue
        cited = set(bundled["source_ids"] or ())
        if cited & need.source_ids and set(bundled["awardee_org_ids"] or ()) & need.suppliers:
            sources |= cited
    return frozenset(sources)


def without_sources(
    index: MatchIndex, sources: Iterable[str], org_sources: dict[str, frozenset[str]] | None = None
) -> MatchIndex:
    """A copy of the index in which no audience sees the capabilities citing any of `sources`.

    Their documents leave BM25's word statistics too. Organizations stay; with `org_sources` (each
    organization's source_ids, `read_org_sources`), the text of those citing any of `sources` (their
    BM25 document: name and description) is left out as well. The index itself is not changed.
    """
    sources = set(sources)
    masked = np.fromiter(
        (bool(sources & set(c["source_ids"] or ())) for c in index.capabilities), bool, len(index.capabilities)
    )
    org_masked = np.zeros(len(index.organizations), dtype=bool)
    if org_sources:
        org_masked = np.fromiter(
            (bool(sources & org_sources.get(o["id"], frozenset())) for o in index.organizations),
            bool,
            len(index.organizations),
        )
    if not masked.any() and not org_masked.any():
        return index
    cap_level = np.where(masked, LEFT_OUT, index.cap_level).astype(np.int8)
    doc_level = np.concatenate([cap_level, np.where(org_masked, LEFT_OUT, index.doc_level[len(cap_level) :])])
    doc_level = doc_level.astype(np.int8)
    bm25 = Bm25(index.bm25.vocabulary, index.bm25.tf, index.bm25.lengths, doc_level)
    return replace(index, cap_level=cap_level, doc_level=doc_level, bm25=bm25, related_cache={})


def read_org_sources(connection: Connection) -> dict[str, frozenset[str]]:
    """Each organization's source_ids (the index keeps none)."""
    table = TABLES_BY_NAME["organizations"]
    rows = connection.execute(select(table.c.id, table.c.source_ids))
    return {row.id: frozenset(row.source_ids or ()) for row in rows}


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
    index: MatchIndex | dict[str, MatchIndex],
    needs: list[LabelledNeed],
    leave_out: bool = False,
    org_sources: dict[str, frozenset[str]] | None = None,
) -> dict[str, dict[str, dict[str, float]]]:
    """{ranker: {language or "all": {metric: value, "needs": n}}}.

    `index` is one index for every need, or one per need language (the one-language condition). With
    `leave_out`, each need is scored on the index without the capabilities citing its award sources (and,
    with `org_sources`, without the text of organizations citing them: `without_sources`).
    """
    by_language = index if isinstance(index, dict) else {"en": index, "ja": index}
    masked: dict[tuple[str, frozenset[str]], MatchIndex] = {}
    report: dict[str, dict[str, dict[str, float]]] = {}
    for ranker in RANKERS:
        rows: dict[str, list[dict[str, float]]] = {"en": [], "ja": [], "all": []}
        for need in needs:
            searched = by_language[need.language]
            if leave_out:
                key = (need.language, need.left_out)
                if key not in masked:
                    masked[key] = without_sources(searched, need.left_out, org_sources)
                searched = masked[key]
            result = match(searched, need.text, top=DEPTH, audience=PUBLIC, lexical_only=ranker == "bm25")
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


@dataclass(frozen=True)
class AwardedQuery:
    id: str
    language: str
    text: str
    awardees: frozenset[str]
    sources: frozenset[str]


def awarded_queries(index: MatchIndex) -> list[AwardedQuery]:
    """The bundled awarded needs a visitor may see, as queries: title and description, once per language
    that has them; labels are their awardees in the atlas (a need with none there is skipped)."""
    queries = []
    for position, need in enumerate(index.needs):
        if need["status"] != "awarded" or not index.need_seen(position, PUBLIC):
            continue
        awardees = frozenset(a for a in need["awardee_org_ids"] or () if a in index.org_position)
        if not awardees:
            continue
        for language in ("en", "ja"):
            text = " ".join(t for t in (need[f"title_{language}"], need[f"description_{language}"]) if t)
            if text.strip():
                queries.append(AwardedQuery(need["id"], language, text, awardees, frozenset(need["source_ids"] or ())))
    return queries


def evaluate_awarded(
    index: MatchIndex,
    queries: list[AwardedQuery],
    leave_out: bool,
    org_sources: dict[str, frozenset[str]] | None = None,
) -> dict[str, dict[str, dict[str, float]]]:
    """{ranker: {language or "all": {"hit@10", "recall@10", "mrr", "needs"}}} of the awarded needs as queries.

    With `leave_out`, each query is scored without the capabilities citing its own award's sources (and,
    with `org_sources`, without the text of organizations citing them).
    """
    masked: dict[frozenset[str], MatchIndex] = {}
    report: dict[str, dict[str, dict[str, float]]] = {}
    for ranker in RANKERS:
        rows: dict[str, list[dict[str, float]]] = {"en": [], "ja": [], "all": []}
        for query in queries:
            searched = index
            if leave_out:
                if query.sources not in masked:
                    masked[query.sources] = without_sources(index, query.sources, org_sources)
                searched = masked[query.sources]
            result = match(searched, query.text, top=DEPTH, audience=PUBLIC, lexical_only=ranker == "bm25")
            ranked = [r.org_id for r in result.results]
            row = {
                "hit@10": float(bool(query.awardees & set(ranked[:DEPTH]))),
                "recall@10": recall_at(ranked, query.awardees, DEPTH),
                "mrr": reciprocal_rank(ranked, query.awardees),
            }
            rows[query.language].append(row)
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
            org_sources = read_org_sources(connection)
        # A Japanese need meets English-only records, and the reverse.
        crossed = {"ja": one_language_index(engine, "en"), "en": one_language_index(engine, "ja")}
        engine.dispose()
    needs, outside = read_needs(args.needs, index)
    if args.details:
        print(json.dumps(per_need(index, needs), ensure_ascii=False, indent=1))
    print(f"{len(needs)} labelled needs; {outside} labelled suppliers are not in the atlas and are left out")
    header = f"{'records':<26}{'ranker':<12}{'language':<10}{'needs':>6}"
    print(header + f"{'recall@5':>10}{'recall@10':>11}{'MRR':>7}{'nDCG@10':>9}")
    runs = {
        "bilingual": evaluate(index, needs),
        "one-language": evaluate(crossed, needs),
        "award evidence left out": evaluate(index, needs, leave_out=True),
        "+ org text left out": evaluate(index, needs, leave_out=True, org_sources=org_sources),
    }
    for condition, report in runs.items():
        for ranker, groups in report.items():
            for group, m in groups.items():
                print(
                    f"{condition:<26}{ranker:<12}{group:<10}{m['needs']:>6}{m['recall@5']:>10.3f}"
                    f"{m['recall@10']:>11.3f}{m['mrr']:>7.3f}{m['ndcg@10']:>9.3f}"
                )
    queries = awarded_queries(index)
    print(
        f"\nBundled awarded needs as queries: {len({q.id for q in queries})} needs, {len(queries)} queries "
        "(one per language); labels are their awardees"
    )
    print(f"{'records':<26}{'ranker':<12}{'language':<10}{'queries':>8}{'hit@10':>8}{'recall@10':>11}{'MRR':>7}")
    for condition in AWARDED_CONDITIONS:
        leave_out = condition != "as bundled"
        orgs_too = org_sources if condition == "+ org text left out" else None
        awarded = evaluate_awarded(index, queries, leave_out, orgs_too)
        for ranker, groups in awarded.items():
            for group, m in groups.items():
                print(
                    f"{condition:<26}{ranker:<12}{group:<10}{m['needs']:>8}{m['hit@10']:>8.3f}"
                    f"{m['recall@10']:>11.3f}{m['mrr']:>7.3f}"
                )


if __name__ == "__main__":
    main()
