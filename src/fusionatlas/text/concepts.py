"""Concept tagging: find the technology-map nodes a text speaks of, in Japanese or English.

The bilingual names and synonyms of each node are the bridge between the languages: 「ジャイロトロン」 and
"gyrotron" tag the same node, so a need written in one language reaches suppliers described in the other.
(An English sentence-embedding model scored cosine 0.05 between "superconducting coil" and 超伝導コイル
on this machine; the map does not have that blind spot.)
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

import ahocorasick

from fusionatlas.text.normalize import normalize

_NON_WORD = re.compile(r"[^0-9a-z\u3040-\u30ff\u3400-\u9fff\uf900-\ufaff々ー]+")
_LATIN_TERM = re.compile(r"^[0-9a-z ]+$")
# Short Latin terms (TF, CS, NBI) are abbreviations with other meanings: they count for less.
SHORT_TERM = 3


@dataclass(frozen=True)
class Term:
    text: str
    tech_id: str
    latin: bool


@dataclass(frozen=True)
class ConceptHit:
    tech_id: str
    term: str
    weight: float


_PLURAL = re.compile(r"(?<=[a-z]{3})(?<!s)s\b")


def _prepare(text: str) -> str:
    """Normalised text with punctuation as spaces and English plurals folded ("coils" = "coil"),
    padded so that Latin terms match whole words only."""
    return f" {_PLURAL.sub('', _NON_WORD.sub(' ', normalize(text))).strip()} "


class ConceptTagger:
    def __init__(self, technologies: Iterable[dict]) -> None:
        terms: dict[str, Term] = {}
        for tech in technologies:
            names = [
                tech["name_en"],
                tech["name_ja"],
                *(tech.get("synonyms_en") or []),
                *(tech.get("synonyms_ja") or []),
            ]
            # "Gyrotron (ECRH source)": the part before a parenthesis is a name on its own.
            names += [name.split("(")[0] for name in names if name and "(" in name]
            for name in names:
                if not name:
                    continue
                text = _prepare(name).strip()
                if len(text) < 2 or text in terms:
                    continue  # the first node to claim a term keeps it (parents come before children)
                terms[text] = Term(text, tech["id"], bool(_LATIN_TERM.match(text)))
        # Longest first, so that a longer term hides the shorter ones inside it.
        self.terms = sorted(terms.values(), key=lambda t: -len(t.text))
        self._rank = {term: rank for rank, term in enumerate(self.terms)}
        # One Aho-Corasick automaton finds every term in one pass over a text (testing each of the ~2,000
        # terms against a text took 0.6 ms, too slow to tag 500,000 one-language records).
        self._automaton = ahocorasick.Automaton()
        for term in self.terms:
            self._automaton.add_word(term.text, term)
        self._automaton.make_automaton()

    def _present(self, prepared: str) -> list[Term]:
        """Terms that occur in the prepared text (Latin ones as whole words), longest first."""
        present: set[Term] = set()
        if not self.terms:
            return []  # an automaton without words cannot be searched
        for end, term in self._automaton.iter(prepared):
            if not term.latin or (prepared[end - len(term.text)] == " " and prepared[end + 1] == " "):
                present.add(term)
        return sorted(present, key=self._rank.__getitem__)

    def tag(self, text: str) -> list[ConceptHit]:
        """Nodes named in `text`, each once, with a weight in (0, 1]; the longest matching term wins."""
        found: dict[str, ConceptHit] = {}
        covered: list[str] = []
        for term in self._present(_prepare(text)):
            if any(term.text in longer for longer in covered):
                continue
            covered.append(term.text)
            weight = 0.5 if term.latin and len(term.text) <= SHORT_TERM else 1.0
            previous = found.get(term.tech_id)
            if previous is None or previous.weight < weight:
                found[term.tech_id] = ConceptHit(term.tech_id, term.text, weight)
        return sorted(found.values(), key=lambda hit: (-hit.weight, hit.tech_id))
