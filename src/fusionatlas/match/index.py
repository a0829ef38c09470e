"""The in-memory matching index, built once from the store: the technology tree, organizations,
capabilities grouped by technology, and a BM25 index over capability and organization texts.

Arrays (numpy) rather than objects hold the per-capability data, so that a query scores 500,000
capabilities with a handful of vectorised operations.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np

from fusionatlas.domain.audience import ALL_LEVEL, MEMBERS_LEVEL, PUBLIC_LEVEL, Audience, needed_level
from fusionatlas.text.concepts import ConceptTagger
from fusionatlas.text.tokenize import tokens

if TYPE_CHECKING:  # the store is imported by build_index only: a loaded index needs neither it nor SQLAlchemy
    from sqlalchemy import Connection

K1, B = 1.2, 0.75
LEVELS = (PUBLIC_LEVEL, MEMBERS_LEVEL, ALL_LEVEL)


@dataclass(frozen=True, eq=False)
class Csr:
    """A matrix in compressed sparse rows: row r's columns are indices[indptr[r]:indptr[r + 1]], its values
    data[...]. BM25 reads one row per query word, which needs nothing more; scipy.sparse took longer to
    import than a command on the bundled atlas takes to answer."""

    data: np.ndarray  # float32
    indices: np.ndarray  # int32, ascending within a row
    indptr: np.ndarray  # int32, one more than the rows
    shape: tuple[int, int]

    @classmethod
    def from_entries(cls, rows: np.ndarray, cols: np.ndarray, values: np.ndarray, shape: tuple[int, int]) -> Csr:
        """Entries (no two at the same place) in any order."""
        order = np.lexsort((cols, rows))
        indptr = np.zeros(shape[0] + 1, dtype=np.int32)
        indptr[1:] = np.cumsum(np.bincount(rows, minlength=shape[0]))
        return cls(values[order].astype(np.float32), cols[order].astype(np.int32), indptr, shape)

    def check(self) -> None:
        """ValueError unless the arrays form a matrix of `shape` (a persisted one is checked before use)."""
        rows, columns = self.shape
        if self.indptr.shape != (rows + 1,) or self.indptr[0] != 0 or np.any(np.diff(self.indptr) < 0):
            raise ValueError("row pointers do not fit the rows")
        if not (len(self.indices) == len(self.data) == int(self.indptr[-1])):
            raise ValueError("column indices, values and row pointers differ in length")
        if len(self.indices) and (int(self.indices.min()) < 0 or int(self.indices.max()) >= columns):
            raise ValueError("a column index is out of range")


@dataclass
class Bm25:
    """BM25 (k1=1.2, b=0.75) over documents, with word statistics per audience level.

    The statistics (document frequencies and the average length) an audience's scores use are computed over
    the documents that level may see: words of records hidden from a visitor must not move its scores.
    """

    vocabulary: dict[str, int]
    tf: Csr  # terms x documents: how often each term occurs in each document
    lengths: np.ndarray  # words per document
    doc_level: np.ndarray  # the audience level each document needs (domain/audience.py)
    # Per level (0, 1, 2): inverse document frequency of each term and the average length, over the documents
    # that level sees. Derived in __post_init__.
    idf: list[np.ndarray] = field(init=False, repr=False)
    average: list[float] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        self.idf, self.average = [], []
        row_of_entry = np.repeat(np.arange(self.tf.shape[0], dtype=np.int32), np.diff(self.tf.indptr))
        for level in LEVELS:
            seen = self.doc_level <= level
            n = max(int(seen.sum()), 1)
            frequency = np.bincount(row_of_entry, weights=seen[self.tf.indices], minlength=self.tf.shape[0])
            self.idf.append(np.log(1.0 + (n - frequency + 0.5) / (frequency + 0.5)).astype(np.float32))
            lengths = self.lengths[seen]
            self.average.append(max(float(lengths.mean()), 1e-9) if len(lengths) else 1.0)

    @classmethod
    def build(cls, documents: list[tuple[str, ...]], doc_level: np.ndarray) -> Bm25:
        vocabulary: dict[str, int] = {}
        rows: list[int] = []
        cols: list[int] = []
        counts: list[int] = []
        lengths = np.zeros(len(documents), dtype=np.float32)
        for doc, words in enumerate(documents):
            lengths[doc] = len(words)
            for word, count in Counter(words).items():
                rows.append(vocabulary.setdefault(word, len(vocabulary)))
                cols.append(doc)
                counts.append(count)
        tf = Csr.from_entries(
            np.asarray(rows, np.int32),
            np.asarray(cols, np.int32),
            np.asarray(counts, dtype=np.float32),
            (len(vocabulary), len(documents)),
        )
        return cls(vocabulary, tf, lengths, doc_level)

    def scores(self, query: tuple[str, ...], level: int) -> np.ndarray:
        """One score per document, with the word statistics of `level` (documents it may not see score too:
        the caller masks them)."""
        level = min(max(level, 0), len(LEVELS) - 1)
        idf, average = self.idf[level], self.average[level]
        result = np.zeros(self.tf.shape[1], dtype=np.float32)
        for row in sorted({self.vocabulary[w] for w in query if w in self.vocabulary}):
            start, end = self.tf.indptr[row], self.tf.indptr[row + 1]
            docs, tf = self.tf.indices[start:end], self.tf.data[start:end]
            norm = K1 * (1.0 - B + B * self.lengths[docs] / average)
            result[docs] += idf[row] * tf * (K1 + 1.0) / (tf + norm)  # a row's documents are distinct
        return result


@dataclass
class MatchIndex:
    technologies: dict[str, dict[str, Any]]
    children: dict[str, list[str]]
    tagger: ConceptTagger
    organizations: list[dict[str, Any]]
    org_position: dict[str, int]
    capabilities: list[dict[str, Any]]
    cap_org: np.ndarray
    cap_trl: np.ndarray
    cap_level: np.ndarray  # the level each capability needs: the stricter of its own and its organization's
    tech_caps: dict[str, np.ndarray]
    needs: list[dict[str, Any]]
    # Lexical documents: capabilities first, then one per organization.
    doc_org: np.ndarray
    doc_level: np.ndarray  # the level each document needs (as cap_level, then org_level)
    doc_cap: np.ndarray  # capability index of a document, -1 for organization documents
    bm25: Bm25
    org_level: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int8))
    # Per need: the level it needs (the stricter of its own and its buyer's) and its buyer's position (-1: none).
    need_level: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int8))
    need_org: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int32))
    # Capabilities grouped by organization: caps_order[bounds[p]:bounds[p + 1]] belong to organization p.
    caps_order: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int32))
    caps_bounds: np.ndarray = field(default_factory=lambda: np.zeros(1, dtype=np.int64))
    # Tokens of each need's titles and descriptions, in the order of `needs`.
    need_words: list[frozenset[str]] = field(default_factory=list)
    # related() of each node asked so far: the tree does not change while the index lives.
    related_cache: dict[str, dict[str, float]] = field(default_factory=dict)

    # Derived in __post_init__: organizations that have capabilities, where each one's run starts, and
    # whether capabilities are already stored grouped by organization (build_index makes them so).
    _has_caps: np.ndarray = field(init=False, repr=False)
    _run_starts: np.ndarray = field(init=False, repr=False)
    _grouped: bool = field(init=False, repr=False)

    def __post_init__(self) -> None:
        self.caps_order = np.argsort(self.cap_org, kind="stable").astype(np.int32)
        self.caps_bounds = np.searchsorted(self.cap_org[self.caps_order], np.arange(len(self.organizations) + 1))
        self._has_caps = self.caps_bounds[1:] > self.caps_bounds[:-1]
        self._run_starts = self.caps_bounds[:-1][self._has_caps]
        self._grouped = bool(np.all(np.diff(self.cap_org) >= 0))

    def best_per_org(self, cap_values: np.ndarray) -> np.ndarray:
        """Per organization, the largest value among its capabilities (0 for none).

        Runs once per query over every capability: one reduceat over runs that start where each
        organization's capabilities start (no gather when they are stored grouped, no copy).
        """
        result = np.zeros(len(self.organizations), dtype=np.float32)
        if len(self._run_starts):
            values = cap_values if self._grouped else cap_values[self.caps_order]
            result[self._has_caps] = np.maximum.reduceat(values, self._run_starts)
        return result

    def caps_of(self, position: int) -> np.ndarray:
        return self.caps_order[self.caps_bounds[position] : self.caps_bounds[position + 1]]

    # What an audience may see (domain/audience.py): records whose level it reaches, and everything its own
    # organization owns.

    def own_position(self, audience: Audience) -> int | None:
        if audience.sees_everything or not audience.org_id:
            return None
        return self.org_position.get(audience.org_id)

    def docs_seen(self, audience: Audience) -> np.ndarray:
        seen = self.doc_level <= audience.level
        if (own := self.own_position(audience)) is not None:
            seen |= self.doc_org == own
        return seen

    def caps_seen(self, audience: Audience) -> np.ndarray:
        seen = self.cap_level <= audience.level
        if (own := self.own_position(audience)) is not None:
            seen |= self.cap_org == own
        return seen

    def orgs_seen(self, audience: Audience) -> np.ndarray:
        seen = self.org_level <= audience.level
        if (own := self.own_position(audience)) is not None:
            seen[own] = True
        return seen

    def need_seen(self, position: int, audience: Audience) -> bool:
        own = self.own_position(audience)
        return bool(self.need_level[position] <= audience.level or (own is not None and self.need_org[position] == own))


def _texts(*values: Any) -> str:
    return " ".join(str(v) for v in values if v)


def build_index(connection: Connection) -> MatchIndex:
    """Read the atlas from the store and index it for matching."""
    from sqlalchemy import select

    from fusionatlas.store import queries
    from fusionatlas.store.schema import TABLES_BY_NAME as tables

    technologies, children = queries.technology_tree(connection)
    org_columns = ("id", "name_en", "name_ja", "kind", "country", "visibility", "description_en", "description_ja")
    org_table = tables["organizations"]
    organizations = [
        dict(row)
        for row in connection.execute(
            select(*(org_table.c[c] for c in org_columns)).order_by(org_table.c.id)
        ).mappings()
    ]
    org_position = {org["id"]: i for i, org in enumerate(organizations)}
    cap_table = tables["capabilities"]
    cap_columns = (
        "id",
        "org_id",
        "technology_id",
        "description_en",
        "description_ja",
        "evidence_en",
        "evidence_ja",
        "trl",
        "visibility",
        "source_ids",
    )
    capabilities = [
        dict(row)
        for row in connection.execute(
            # Grouped by organization, so that best_per_org reads them in place.
            select(*(cap_table.c[c] for c in cap_columns)).order_by(cap_table.c.org_id, cap_table.c.id)
        ).mappings()
    ]
    cap_org = np.fromiter((org_position[c["org_id"]] for c in capabilities), dtype=np.int32, count=len(capabilities))
    cap_trl = np.fromiter((c["trl"] or 0 for c in capabilities), dtype=np.int8, count=len(capabilities))
    org_level = np.fromiter((needed_level(o["visibility"]) for o in organizations), np.int8, len(organizations))
    own_level = np.fromiter((needed_level(c["visibility"]) for c in capabilities), np.int8, len(capabilities))
    cap_level = np.maximum(own_level, org_level[cap_org]) if len(capabilities) else own_level
    by_tech: dict[str, list[int]] = {}
    for i, cap in enumerate(capabilities):
        by_tech.setdefault(cap["technology_id"], []).append(i)
    tech_caps = {tech: np.asarray(positions, dtype=np.int32) for tech, positions in by_tech.items()}
    tagger = concept_tagger(technologies)
    documents = [
        tokens(_texts(c["description_en"], c["description_ja"], c["evidence_en"], c["evidence_ja"]))
        + _bridge(tagger, c, ("description", "evidence"), c["technology_id"])
        for c in capabilities
    ]
    documents += [
        tokens(_texts(o["name_en"], o["name_ja"], o["description_en"], o["description_ja"]))
        + _bridge(tagger, o, ("description",), None)
        for o in organizations
    ]
    doc_org = np.concatenate([cap_org, np.arange(len(organizations), dtype=np.int32)])
    doc_level = np.concatenate([cap_level, org_level])
    doc_cap = np.concatenate([np.arange(len(capabilities), dtype=np.int32), np.full(len(organizations), -1, np.int32)])
    need_table = tables["needs"]
    needs = [dict(row) for row in connection.execute(select(need_table).order_by(need_table.c.id)).mappings()]
    need_org = np.fromiter((org_position.get(n["buyer_org_id"] or "", -1) for n in needs), np.int32, len(needs))
    need_level = np.fromiter(
        (
            max(needed_level(n["visibility"]), int(org_level[o]) if o >= 0 else 0)
            for n, o in zip(needs, need_org, strict=True)
        ),
        np.int8,
        len(needs),
    )
    return MatchIndex(
        technologies=technologies,
        children=children,
        tagger=tagger,
        organizations=organizations,
        org_position=org_position,
        capabilities=capabilities,
        cap_org=cap_org,
        cap_trl=cap_trl,
        cap_level=cap_level,
        tech_caps=tech_caps,
        needs=needs,
        doc_org=doc_org,
        doc_level=doc_level,
        doc_cap=doc_cap,
        bm25=Bm25.build(documents, doc_level),
        org_level=org_level,
        need_level=need_level,
        need_org=need_org,
        need_words=[
            frozenset(tokens(_texts(n["title_en"], n["title_ja"], n["description_en"], n["description_ja"])))
            for n in needs
        ],
    )


def bridge_token(language: str, tech_id: str) -> str:
    """The token a query in `language` naming `tech_id` shares with records that lack that language."""
    return f"§{language}:{tech_id}"


def _bridge(tagger: ConceptTagger, record: dict[str, Any], fields: tuple[str, ...], tech_id: str | None) -> tuple:
    """Bridge tokens for a record written in one language only (an import, a member's submission).

    Its words cannot meet a need written in the other language, so it carries the technologies it
    is about (its own node and those its text names) as tokens that only such a need's query holds.
    A record in both languages gets none: its words already meet either language.
    """
    present = {lang: any(record.get(f"{f}_{lang}") for f in fields) for lang in ("en", "ja")}
    if present["en"] == present["ja"]:
        return ()
    missing = "ja" if present["en"] else "en"
    text = _texts(*(record.get(f"{f}_{'en' if missing == 'ja' else 'ja'}") for f in fields))
    techs = {hit.tech_id for hit in tagger.tag(text)} | ({tech_id} if tech_id else set())
    return tuple(bridge_token(missing, t) for t in sorted(techs))


def concept_tagger(technologies: dict[str, dict[str, Any]]) -> ConceptTagger:
    """The tagger of the technology tree's names and synonyms (match/persist.py makes it again on load)."""
    return ConceptTagger(_tree_order(technologies))


def _tree_order(technologies: dict[str, dict[str, Any]]) -> list[dict[str, Any]]:
    """Nodes shallowest first: when two nodes share a synonym, the broader one claims it."""

    def depth(tech_id: str) -> int:
        parent = technologies[tech_id]["parent"]
        return 0 if not parent or parent not in technologies else 1 + depth(parent)

    return sorted(technologies.values(), key=lambda t: (depth(t["id"]), t["id"]))


def related(index: MatchIndex, tech_id: str) -> dict[str, float]:
    """How well a capability on each technology answers a need for `tech_id`, respecting the tree.

    The node itself answers fully; a narrower node (a descendant) nearly so; the parent in part; a
    sibling or the grandparent a little.
    """
    cached = index.related_cache.get(tech_id)
    if cached is not None:
        return cached
    factors = {tech_id: 1.0}
    stack = [(child, 1) for child in index.children.get(tech_id, [])]
    while stack:
        node, depth = stack.pop()
        factors.setdefault(node, 0.8 if depth == 1 else 0.6)
        stack.extend((child, depth + 1) for child in index.children.get(node, []))
    parent = index.technologies.get(tech_id, {}).get("parent")
    if parent:
        factors.setdefault(parent, 0.5)
        for sibling in index.children.get(parent, []):
            factors.setdefault(sibling, 0.3)
        grandparent = index.technologies.get(parent, {}).get("parent")
        if grandparent:
            factors.setdefault(grandparent, 0.25)
    index.related_cache[tech_id] = factors
    return factors
