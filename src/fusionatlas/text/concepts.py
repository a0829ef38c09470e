"""Concept tagging: find the technology-map nodes a text speaks of, in Japanese or English.

The bilingual names and synonyms of each node are the bridge between the languages: 「ジャイロトロン」 and
"gyrotron" tag the same node, so a need written in one language reaches suppliers described in the other.
(An English sentence-embedding model scored cosine 0.05 between "superconducting coil" and 超伝導コイル
on this machine; the map does not have that blind spot.)

Japanese has no spaces, so a term is found only where it begins and ends on the boundaries of the text's
morphemes (MeCab, as the tokenizer cuts them): リチウム is not inside トリチウム (one morpheme). A few
prefixes and suffixes make another word of the one they touch (超|伝導 is not 伝導, 非|破壊 is not 破壊,
中性|子 is not 中性), so a term does not start right after those nor end right before them; others (用, 系,
向け, 全) leave the word as it is. A term inside a longer one found at the same place does not count.
The confusable pairs in tests/text/test_concepts.py pin this; add each new one found there.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

import ahocorasick

from fusionatlas.text.normalize import normalize

_NON_WORD = re.compile(r"[^0-9a-z\u3040-\u30ff\u3400-\u9fff\uf900-\ufaff々ー]+")
# Affixes that make another word of the one they touch (MeCab's 接頭辞 and 接尾辞 otherwise leave it be).
WORD_CHANGING_PREFIXES = frozenset("超非反不無未脱")
WORD_CHANGING_SUFFIXES = frozenset("子")
_CJK_RUN = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uf900-\ufaff々ー]+")
_LATIN_TERM = re.compile(r"^[0-9a-z ]+$")
_LATIN_CHARACTER = re.compile(r"[0-9a-z]")
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


# The long-vowel mark that ends a katakana word is optional in technical writing (レーザ/レーザー, リミタ/リミター).
_FINAL_LONG_VOWEL = re.compile(r"(?<=[\u30a1-\u30fa])ー(?![\u30a1-\u30fc])")


def _prepare(text: str) -> str:
    """Normalised text with punctuation as spaces, English plurals folded ("coils" = "coil") and a katakana
    word's final long-vowel mark dropped, padded so that Latin terms match whole words only."""
    folded = _FINAL_LONG_VOWEL.sub("", _PLURAL.sub("", _NON_WORD.sub(" ", normalize(text))))
    return f" {folded.strip()} "


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
        """Terms that occur in the prepared text as words (see the module's docstring); where two overlap,
        the longer one; longest first."""
        if not self.terms:
            return []  # an automaton without words cannot be searched
        places: list[tuple[int, int, Term]] = []
        edges: tuple[set[int], set[int]] | None = None
        for last, term in self._automaton.iter(prepared):
            start, end = last + 1 - len(term.text), last + 1
            if term.latin:
                if _LATIN_CHARACTER.match(prepared[start - 1]) or _LATIN_CHARACTER.match(prepared[end]):
                    continue  # inside a longer Latin word (Japanese or a space around it is a word's edge)
            else:
                edges = edges or _word_edges(prepared)
                if start not in edges[0] or end not in edges[1]:
                    continue
            places.append((start, end, term))
        taken: list[tuple[int, int]] = []
        present: set[Term] = set()
        for start, end, term in sorted(places, key=lambda p: (p[0] - p[1], p[0])):
            if any(other_start <= start and end <= other_end for other_start, other_end in taken):
                continue
            taken.append((start, end))
            present.add(term)
        return sorted(present, key=self._rank.__getitem__)

    def tag(self, text: str) -> list[ConceptHit]:
        """Nodes named in `text`, each once, with a weight in (0, 1]; the longest matching term wins."""
        found: dict[str, ConceptHit] = {}
        for term in self._present(_prepare(text)):
            weight = 0.5 if term.latin and len(term.text) <= SHORT_TERM else 1.0
            previous = found.get(term.tech_id)
            if previous is None or previous.weight < weight:
                found[term.tech_id] = ConceptHit(term.tech_id, term.text, weight)
        return sorted(found.values(), key=lambda hit: (-hit.weight, hit.tech_id))


def _word_edges(prepared: str) -> tuple[set[int], set[int]]:
    """Where a word may start and where one may end in the prepared text.

    Outside Japanese runs: where the kind of character changes (a space, Latin to Japanese). Inside them: at the
    morphemes' edges, except just after a word-changing prefix or just before a word-changing suffix; inside a
    word MeCab does not know (it runs unknown katakana together: ポロイダルコイル), anywhere.
    """
    starts: set[int] = set()
    ends: set[int] = set()
    for position in range(len(prepared) + 1):
        before = prepared[position - 1] if position > 0 else " "
        after = prepared[position] if position < len(prepared) else " "
        if _kind(before) != _kind(after):
            starts.add(position)
            ends.add(position)
    from fusionatlas.text.tokenize import morphemes  # late: the tokenizer loads MeCab

    for run in _CJK_RUN.finditer(prepared):
        parts = morphemes(run.group())
        offset = run.start()
        for i, (surface, _part_of_speech, known) in enumerate(parts):
            if not known:
                starts.update(range(offset, offset + len(surface)))
                ends.update(range(offset + 1, offset + len(surface) + 1))
            after_prefix = i > 0 and parts[i - 1][1] == "接頭辞" and parts[i - 1][0] in WORD_CHANGING_PREFIXES
            if after_prefix:
                starts.discard(offset)
            else:
                starts.add(offset)
            offset += len(surface)
            following = parts[i + 1] if i + 1 < len(parts) else None
            if following and following[1] == "接尾辞" and following[0] in WORD_CHANGING_SUFFIXES:
                ends.discard(offset)
            else:
                ends.add(offset)
    return starts, ends


def _kind(character: str) -> str:
    if character == " ":
        return "space"
    return "latin" if character.isascii() else "japanese"
