"""Search that serves people: records found by words in either language, by synonyms and by a name's reading.

One `SearchIndex` holds what one audience may see (built from the store's search entries through
store/visibility.py, so it cannot show more than the SQL rules allow), kept in memory per data version
by its callers. A query is answered without the database:

- every term must occur in a record's text (substring of the normalised text, as the store's search
  did), where a term may also be any of its synonyms: a technology's names and synonyms in both
  languages (technologies.yaml) and the groups of `synonyms.yaml` (バルブ, 弁, valve);
- organizations are found by their kana reading too, typed in hiragana, katakana or romaji
  (ふじくら, フジクラ, fujikura);
- when the query names a technology, the organizations holding capabilities on it (or on a technology
  below it) come first among organizations, with that capability as their reason;
- an organization whose capabilities match the query matches too, scored by its best matching capability
  (and a little more for each further one);
- a one-character kanji term (弁, a synonym of valve) matches only where it stands as a word, not inside
  another (合弁, a joint venture); readings are matched from their start, and only for what was typed
  (バルブ is not グローバルブレイン).

All texts are concatenated into one string, and a term is looked up with `str.find` over it (C speed)
rather than record by record: about 0.1 ms a term on the bundled atlas.
"""

from __future__ import annotations

import bisect
import re
import threading
from collections import OrderedDict, defaultdict
from dataclasses import asdict, dataclass, field
from functools import lru_cache
from importlib import resources
from typing import Any

import yaml
from sqlalchemy import Connection, select

from fusionatlas.domain.audience import Audience
from fusionatlas.store.schema import TABLES_BY_NAME, search_entries
from fusionatlas.store.visibility import entries_condition, where_visible
from fusionatlas.text.kana import fold_romaji, is_kana, name_reading, romaji, to_katakana
from fusionatlas.text.normalize import normalize

# Kinds of record in the order results are shown: organizations first (what people look for most),
# sources last (they are found through what cites them).
KIND_ORDER = (
    "organizations",
    "technologies",
    "needs",
    "capabilities",
    "facilities",
    "programmes",
    "investments",
    "milestones",
    "regulations",
    "training",
    "skills",
    "relations",
    "readiness",
    "capacities",
    "sources",
)
_SEPARATOR = "\x00"
_JAPANESE = re.compile(r"[\u3040-\u30ff\u3400-\u9fff]")
_ANSWERS = 512  # answers kept per index
_MIN_ROMAJI = 3
_MIN_SYNONYM = 3
_HOLDER = 2.0  # shorter romaji ("to", "ka") would find half the atlas by reading
_MORE_CAPABILITIES = 0.1  # per matching capability after the best, up to _MAX_MORE of them
_MAX_MORE = 5
_KANJI = re.compile(r"[㐀-鿿豈-﫿々]")


@dataclass(frozen=True)
class Entry:
    kind: str
    id: str
    name_en: str | None
    name_ja: str | None
    body: str
    norm: str
    names: tuple[str, ...]
    country: str | None
    url: str | None
    reading: str | None = None
    org_id: str | None = None  # a capability's organization


@dataclass
class Result:
    kind: str
    id: str
    name_en: str | None
    name_ja: str | None
    url: str | None
    snippet: str
    snippet_ja: str
    score: float
    country: str | None
    # Why an organization is ranked first: the technologies it holds capabilities on that the query names.
    capability_on: list[str] = field(default_factory=list)
    # How many of an organization's capabilities match the query.
    matching_capabilities: int = 0

    def as_json(self) -> dict[str, Any]:
        """The result as the API and `search --json` give it: `table` and `id` name the record, `url` its page."""
        fields = asdict(self)
        fields["table"] = fields.pop("kind")
        return fields


@dataclass
class Found:
    """A query's results, best first, and how many there were of each kind (before the filters)."""

    query: str
    results: list[Result]
    kinds: dict[str, int]
    technologies: list[str]


@lru_cache(maxsize=1)
def extra_synonyms() -> tuple[frozenset[str], ...]:
    """The synonym groups of synonyms.yaml, normalised."""
    text = resources.files("fusionatlas.search").joinpath("synonyms.yaml").read_text(encoding="utf-8")
    return tuple(frozenset(normalize(str(word)) for word in group) for group in yaml.safe_load(text))


def record_url(kind: str, record_id: str, values: dict[str, Any]) -> str | None:
    """The page that shows a record: its own page, or its row (an anchor) on the page that lists it."""
    owner = values.get("org_id")
    pages = {
        "organizations": f"/organizations/{record_id}",
        "technologies": f"/technologies/{record_id}",
        "needs": f"/needs/{record_id}",
        "capabilities": f"/organizations/{owner}#{record_id}" if owner else None,
        "facilities": f"/landscape/facilities#{record_id}",
        "programmes": f"/landscape/programmes#{record_id}",
        "investments": f"/landscape/investments#{record_id}",
        "milestones": f"/landscape/timeline#{record_id}",
        "regulations": f"/landscape/regulation#{record_id}",
        "training": f"/training#{record_id}",
        "skills": f"/skills/{record_id}",
        "relations": f"/organizations/{owner}#{record_id}" if owner else None,
        "readiness": f"/technologies/{values['technology_id']}" if values.get("technology_id") else None,
        "capacities": "/scenarios",
    }
    return pages.get(kind)


class SearchIndex:
    """What one audience may see, ready to be searched (see the module's docstring)."""

    def __init__(
        self, entries: list[Entry], technologies: dict[str, dict[str, Any]], holders: dict[str, set[str]]
    ) -> None:
        self.entries = entries
        self.technologies = technologies
        self.holders = holders  # technology id -> organizations with a capability on it or below it
        self._organizations = {e.id: i for i, e in enumerate(entries) if e.kind == "organizations"}
        self._answers: OrderedDict[tuple[Any, ...], Found] = OrderedDict()
        self._lock = threading.Lock()
        self._text = _SEPARATOR.join(e.norm for e in entries)
        self._starts = []
        position = 0
        for entry in entries:
            self._starts.append(position)
            position += len(entry.norm) + 1
        self._readings = [(i, to_katakana(e.reading), romaji(e.reading)) for i, e in enumerate(entries) if e.reading]
        groups: list[frozenset[str]] = list(extra_synonyms())
        self._term_techs: dict[str, set[str]] = defaultdict(set)
        for tech_id, tech in technologies.items():
            terms = {tech["name_en"], tech["name_ja"], *(tech["synonyms_en"] or []), *(tech["synonyms_ja"] or [])}
            group = frozenset(normalize(t) for t in terms if t)
            groups.append(group)
            for term in group:
                self._term_techs[term].add(tech_id)
        self._groups: dict[str, set[str]] = defaultdict(set)
        for group in groups:
            for term in group:
                self._groups[term] |= group
        self._names = sorted(
            ((i, e) for i, e in enumerate(entries) if e.kind in ("organizations", "technologies")),
            key=lambda pair: KIND_ORDER.index(pair[1].kind),
        )

    @classmethod
    def build(cls, connection: Connection, audience: Audience) -> SearchIndex:
        """The index of what `audience` may see now."""
        orgs = TABLES_BY_NAME["organizations"]
        org_rows = connection.execute(
            where_visible(
                select(orgs.c.id, orgs.c.country, orgs.c.name_kana, orgs.c.name_en, orgs.c.name_ja),
                audience,
                "organizations",
            )
        ).all()
        org_names = {row.id: (row.name_en, row.name_ja) for row in org_rows}
        org_country = {row.id: row.country for row in org_rows}
        readings = {row.id: name_reading(row.name_kana, row.name_ja, row.country) for row in org_rows}
        details = _details(connection, audience)
        statement = select(search_entries)
        if (visible := entries_condition(audience)) is not None:
            statement = statement.where(visible)
        technologies = {
            row["id"]: dict(row) for row in connection.execute(select(TABLES_BY_NAME["technologies"])).mappings()
        }
        entries = []
        for row in connection.execute(statement.order_by(search_entries.c.table_name, search_entries.c.record_id)):
            kind, record_id = row.table_name, row.record_id
            if kind not in KIND_ORDER:  # tables without a page of their own to show a hit on (roadmap links...)
                continue
            values = details.get((kind, record_id), {})
            country = values.get("country") or org_country.get(values.get("org_id") or row.owner_id or "")
            name_en, name_ja = row.name_en, row.name_ja
            if kind == "organizations":  # its name, never its description in place of a missing name
                name_en, name_ja = org_names.get(record_id, (name_en, name_ja))
            elif kind == "capabilities":  # a capability is named by who holds it and on what
                org_en, org_ja = org_names.get(values.get("org_id") or "", (None, None))
                tech = technologies.get(values.get("technology_id") or "", {})
                name_en = f"{org_en}: {tech.get('name_en')}"
                name_ja = f"{org_ja or org_en}: {tech.get('name_ja') or tech.get('name_en')}"
            names = tuple(normalize(n) for n in (name_en, name_ja) if n)
            reading = readings.get(record_id) if kind == "organizations" else None
            entries.append(
                Entry(
                    kind,
                    record_id,
                    name_en,
                    name_ja,
                    row.body,
                    _without_reading(row.norm, reading),
                    names,
                    country,
                    record_url(kind, record_id, values),
                    reading,
                    values.get("org_id") if kind == "capabilities" else None,
                )
            )
        caps = TABLES_BY_NAME["capabilities"]
        direct: dict[str, set[str]] = defaultdict(set)
        for org_id, tech_id in connection.execute(
            where_visible(select(caps.c.org_id, caps.c.technology_id), audience, "capabilities")
        ):
            if org_id in org_country:
                direct[tech_id].add(org_id)
        holders: dict[str, set[str]] = defaultdict(set)
        for tech_id, org_ids in direct.items():
            node: str | None = tech_id
            seen: set[str] = set()
            while node and node not in seen:  # every ancestor holds its descendants' makers
                seen.add(node)
                holders[node] |= org_ids
                node = technologies.get(node, {}).get("parent")
        return cls(entries, technologies, dict(holders))

    # --- answering --------------------------------------------------------------------------------

    def terms(self, query: str) -> list[str]:
        """The terms of the query as typed (normalised); a whole query that names one thing ("vacuum pump",
        "remote handling") is one term."""
        normalized = normalize(query)
        terms = [t for t in normalized.split(" ") if t]
        if len(terms) > 1 and normalized in self._groups:
            terms = [normalized]
        return terms

    def expansions(self, query: str) -> list[set[str]]:
        """Per term of the query, the words any of which satisfies it."""
        return [{term, to_katakana(term)} | _long_enough(self._groups.get(term, set())) for term in self.terms(query)]

    def _containing(self, word: str) -> set[int]:
        if len(word) == 1 and _KANJI.match(word):
            return self._standing(word)
        found: set[int] = set()
        start = self._text.find(word)
        while start >= 0:
            index = bisect.bisect_right(self._starts, start) - 1
            found.add(index)
            # Skip to the next entry: one occurrence per entry is enough.
            next_start = self._starts[index + 1] if index + 1 < len(self._starts) else len(self._text)
            start = self._text.find(word, next_start)
        return found

    def _standing(self, kanji: str) -> set[int]:
        """Entries where a one-character kanji stands as a word: 弁 in 弁の交換, not in 合弁 (joint venture)."""
        found: set[int] = set()
        start = self._text.find(kanji)
        while start >= 0:
            before = self._text[start - 1] if start else ""
            after = self._text[start + 1] if start + 1 < len(self._text) else ""
            if not _KANJI.match(before) and not _KANJI.match(after):
                found.add(bisect.bisect_right(self._starts, start) - 1)
            start = self._text.find(kanji, start + 1)
        return found

    def _by_reading(self, term: str) -> set[int]:
        if is_kana(term):
            kana = to_katakana(term).replace(" ", "")
            if len(kana) < 2:
                return set()
            return {i for i, reading, _ in self._readings if reading.startswith(kana)}
        folded = fold_romaji(term)
        if len(folded) < _MIN_ROMAJI or folded != term.replace(" ", "").replace("-", ""):
            return set()
        return {i for i, _, spelled in self._readings if spelled.startswith(folded)}

    def search(
        self,
        query: str,
        kinds: frozenset[str] | None = None,
        country: str | None = None,
        limit: int = 50,
        by_score: bool = False,
    ) -> Found:
        """Results for `query`: grouped by kind in KIND_ORDER (or, `by_score`, best first whatever their kind),
        organizations holding capabilities on a named technology first among organizations.

        Kept for the index's life (one data version and sight): people repeat the same few searches.
        """
        key = (query, kinds, country, limit, by_score)
        with self._lock:
            if key in self._answers:
                self._answers.move_to_end(key)
                return self._answers[key]
        found = self._search(query, kinds, country, limit, by_score)
        with self._lock:
            self._answers[key] = found
            while len(self._answers) > _ANSWERS:
                self._answers.popitem(last=False)
        return found

    def _search(
        self, query: str, kinds: frozenset[str] | None, country: str | None, limit: int, by_score: bool
    ) -> Found:
        expansions = self.expansions(query)
        if not expansions:
            return Found(query, [], {}, [])
        matched: set[int] | None = None
        for group, term in zip(expansions, self.terms(query), strict=True):
            hits: set[int] = set()
            for word in _shortest(group):
                hits |= self._containing(word)
            for typed in {term, to_katakana(term)}:  # a name's reading is typed, never a synonym
                hits |= self._by_reading(typed)
            matched = hits if matched is None else matched & hits
        named = self._named_technologies(expansions)
        holders = {org for tech in named for org in self.holders.get(tech, ())}
        matched = (matched or set()) | {self._organizations[o] for o in holders if o in self._organizations}
        # An organization whose capabilities match is a match: by its best capability, a little more for more.
        by_capabilities: dict[str, list[float]] = defaultdict(list)
        # Not for a short Latin query ("to", "ka"): it sits inside half the capabilities' words.
        through_capabilities = any(len(t) >= _MIN_ROMAJI or not t.isascii() for t in self.terms(query))
        for index in matched if through_capabilities else ():
            entry = self.entries[index]
            if entry.kind == "capabilities" and entry.org_id in self._organizations:
                by_capabilities[entry.org_id].append(_score(entry, expansions))
        matched |= {self._organizations[o] for o in by_capabilities}
        counts: dict[str, int] = defaultdict(int)
        scored = []
        for index in matched:
            entry = self.entries[index]
            counts[entry.kind] += 1
            if (kinds and entry.kind not in kinds) or (country and entry.country != country):
                continue
            on = sorted(t for t in named if entry.id in self.holders.get(t, ())) if entry.id in holders else []
            # A maker of the technology searched ranks above a record that only mentions it, below the
            # technology itself (a name matched exactly scores about 4-5).
            score = _score(entry, expansions) + (_HOLDER if on else 0.0)
            capabilities = (
                sorted(by_capabilities.get(entry.id, []), reverse=True) if entry.kind == "organizations" else []
            )
            if capabilities:
                # Not added to the maker's bonus: that would lift a maker above the technology itself.
                more = _MORE_CAPABILITIES * min(len(capabilities) - 1, _MAX_MORE)
                score = round(max(score, capabilities[0] + more), 4)
            scored.append((entry, score, on, len(capabilities)))
        if by_score:
            scored.sort(key=lambda s: (-s[1], KIND_ORDER.index(s[0].kind), s[0].id))
        else:
            scored.sort(key=lambda s: (KIND_ORDER.index(s[0].kind), not s[2], -s[1], s[0].id))
        # Snippets only for what is shown: they cost more than finding and scoring.
        results = [
            Result(
                entry.kind,
                entry.id,
                entry.name_en,
                entry.name_ja,
                entry.url,
                _snippet(entry, expansions, "en"),
                _snippet(entry, expansions, "ja"),
                score,
                entry.country,
                on,
                capabilities,
            )
            for entry, score, on, capabilities in scored[:limit]
        ]
        return Found(query, results, dict(counts), sorted(named))

    def ranked(self, query: str, limit: int) -> list[Result]:
        """The best `limit` results whatever their kind (the API's flat list), best first."""
        return self.search(query, limit=limit, by_score=True).results

    def _named_technologies(self, expansions: list[set[str]]) -> set[str]:
        named: set[str] = set()
        for group in expansions:
            for word in group:
                named |= self._term_techs.get(word, set())
        return named

    def suggest(self, prefix: str, limit: int = 8) -> list[Entry]:
        """Organizations and technologies whose name, reading or romaji starts with (then holds) `prefix`."""
        text = normalize(prefix).strip()
        if not text:
            return []
        kana = to_katakana(text)
        folded = fold_romaji(text) if text.isascii() else ""
        readings = {i: (reading, spelled) for i, reading, spelled in self._readings}
        first: list[Entry] = []
        then: list[Entry] = []
        for index, entry in self._names:
            reading, spelled = readings.get(index, ("", ""))
            keys = [*entry.names, reading] + ([spelled] if len(folded) >= _MIN_ROMAJI else [])
            if any(k.startswith(text) or k.startswith(kana) or (folded and k.startswith(folded)) for k in keys if k):
                first.append(entry)
            elif any(text in name or kana in name for name in entry.names):
                then.append(entry)
            if len(first) >= limit:
                break
        return (first + then)[:limit]


def _same_reading(text: str, reading: str | None) -> bool:
    return bool(reading) and to_katakana(text).replace(" ", "") == to_katakana(reading or "").replace(" ", "")


def _without_reading(norm: str, reading: str | None) -> str:
    """An organization's text without its kana reading, which is found from its start by `_by_reading`:
    as text, any word inside it would match (バルブ inside グローバルブレイン)."""
    if not reading:
        return norm
    return " | ".join(part for part in norm.split(" | ") if not _same_reading(part, reading))


def _long_enough(synonyms: set[str]) -> set[str]:
    """Synonyms that can be looked for inside words: tungsten's "w" or "li" would find nearly every record.
    (A term the person typed is always looked for, however short.)"""
    return {s for s in synonyms if len(s) >= _MIN_SYNONYM or not s.isascii()}


def _shortest(group: set[str]) -> list[str]:
    """The words of a group that hold no other word of it: 真空バルブ is found wherever バルブ is, so
    looking for バルブ alone finds the same records (the valve node has 50 synonyms, each a scan)."""
    words = sorted(group, key=len)
    kept: list[str] = []
    for word in words:
        if not any(shorter in word for shorter in kept):
            kept.append(word)
    return kept


def _details(connection: Connection, audience: Audience) -> dict[tuple[str, str], dict[str, Any]]:
    """What links a record and places it in a country, for the tables that have an owner or a country."""
    details: dict[tuple[str, str], dict[str, Any]] = {}
    for name in (
        "capabilities",
        "investments",
        "facilities",
        "programmes",
        "needs",
        "milestones",
        "training",
        "relations",
        "readiness",
        "capacities",
    ):
        table = TABLES_BY_NAME[name]
        columns = [table.c.id] + [table.c[c] for c in ("org_id", "country", "technology_id") if c in table.c]
        for row in connection.execute(where_visible(select(*columns), audience, name)).mappings():
            details[(name, row["id"])] = dict(row)
    return details


def _score(entry: Entry, expansions: list[set[str]]) -> float:
    score = 0.0
    for group in expansions:
        best = 0.0
        for term in group:
            if term in entry.names:
                best = max(best, 5.0)
            elif any(term in name for name in entry.names):
                best = max(best, 3.0)
            elif term in entry.norm:
                best = max(best, 1.0 + min(entry.norm.count(term), 5) * 0.1)
            elif entry.reading and _reads_as(entry.reading, term):
                best = max(best, 4.0)  # found by its reading
        score += best
    # Shorter texts that hold the terms are more about them.
    return round(score / (1.0 + len(entry.norm) / 2000), 4)


def _reads_as(reading: str, term: str) -> bool:
    if is_kana(term):
        return to_katakana(reading).startswith(to_katakana(term).replace(" ", ""))
    folded = fold_romaji(term)
    return len(folded) >= _MIN_ROMAJI and romaji(reading).startswith(folded)


def _snippet(entry: Entry, expansions: list[set[str]], lang: str, width: int = 80) -> str:
    """A window of the record's text in `lang` around the first word found (the text's start if none is)."""
    # Neither its name nor its kana reading stands in for a missing description.
    parts = [
        p
        for p in entry.body.split(" | ")
        if p and normalize(p) not in entry.names and not _same_reading(normalize(p), entry.reading)
    ]
    own = [p for p in parts if bool(_JAPANESE.search(p)) == (lang == "ja")] or parts
    words = [t for g in expansions for t in g]
    for part in own:
        norm = normalize(part)
        positions = [p for t in words if (p := norm.find(t)) >= 0]
        if positions:
            return _window(part, min(positions), width)
    return _window(own[0], 0, width) if own else ""


def _window(text: str, position: int, width: int) -> str:
    # The normalised text and the text differ slightly in length; positions are close enough for a window.
    start = max(position - width // 3, 0)
    return ("…" if start else "") + text[start : start + width] + ("…" if start + width < len(text) else "")
