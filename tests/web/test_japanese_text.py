"""Every Japanese page reads in Japanese: a crawl of the bundled atlas in Japanese fails on runs of English.

The crawl starts at the home page, every main-menu page and every organization's, technology's and need's
page, and follows same-origin links (GET, HTML only; one query-string variant of a list page), so a new
page or route is crawled as soon as something links to it.

What counts as English: a run of three or more words with lower-case letters (acronyms and identifiers
such as ITER, JT-60SA or BA-IFERC are names, not sentences). What may stay English, on purpose:
- proper nouns from the atlas itself: organizations' names (in both languages) and cities, facilities' and
  devices' names, investors, sources' titles and publishers (a citation keeps the title it was published
  with), and web addresses;
- text a template marks `translate="no"` (a technology's English synonyms, a record's name in the other
  language; `lang="en"` alone does not exempt: English shown for want of Japanese is what this finds), `<code>`,
  `<cite>`, `<textarea>`, or an element whose id starts with `source-` or whose class holds `source(s)`;
- a quotation: English text inside 「」, “” or "" (the name of a call or programme as its owner wrote it);
- the phrases of ALLOWED below (extend it, with a reason, for a proper noun the data does not hold).
A failure lists each page and its runs; fix the template (`_()` and the catalogs), give the data field its
`*_ja` column, or, for a name, add it to ALLOWED.
"""

from __future__ import annotations

import json
import re
import sqlite3
from html.parser import HTMLParser
from urllib.parse import urljoin, urlparse

from fastapi.testclient import TestClient

from fusionatlas.web.app import create_app
from fusionatlas.web.navigation import NAV

ALWAYS = ["/organizations/org:qst", "/landscape/investments", "/landscape/programmes", "/landscape/timeline"]
# Proper nouns the atlas's tables do not hold as names, each with why it stays English.
ALLOWED = [
    "Physical Review Letters",  # a journal's name
    "Journal of Fusion Energy",  # a journal's name
    "Keda Mirror with AXisymmetricity",  # the device name KMAX spelled out
    "Fusion Industry Association",  # an association's own name
    "Bold Decadal Vision",  # the name of the US White House's fusion strategy
    "Fusion Energy Strategy",  # the US DOE's 2024 strategy document (quoted in full, cut on the Gantt chart)
    "Tri Alpha Energy",  # TAE Technologies' former name
    "Fusion Fuel Cycles",  # a joint venture's name
    "Fusion Engineering and Design",  # a journal's name
    "Press Start Award",  # an award's name
    "Blue Laser Fusion",  # the US parent of Blue Laser Fusion合同会社
    "Large Plasma Device",  # UCLA's device
    "Open Zettascale Lab",  # the University of Cambridge's laboratory
    "Journal of Plasma Physics",  # a journal's name
    "Frontiers in Physics",  # a journal's name
]
_SKIPPED_TAGS = {"script", "style", "code", "cite", "textarea", "pre"}
_VOID = {"br", "img", "input", "meta", "link", "hr", "wbr", "source", "area", "col", "embed", "param", "track"}
_WORD = r"[A-Za-z]*[a-z][A-Za-z'’\-]*"
_RUN = re.compile(rf"{_WORD}(?:[ ,/&]+{_WORD}){{2,}}")
_URL = re.compile(r"\S+\.\S+/\S*")  # a web address shown as a link's text
_QUOTED = re.compile(r"「[^」]*」|“[^”]*”|\"[^\"]*\"")
_NOT_PAGES = ("/static", "/api", "/feeds", "/logout", "/watch/unsubscribe")
_DOWNLOADS = re.compile(r"\.(csv|xlsx|svg|json|atom|html)$")


class _Page(HTMLParser):
    """The text a reader sees (outside the parts the module's docstring exempts), and the page's links."""

    def __init__(self) -> None:
        super().__init__()
        self.texts: list[str] = []
        self.links: list[str] = []
        self._open: list[tuple[str, bool]] = []
        self._skipping = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if tag == "a" and found.get("href"):
            self.links.append(found["href"] or "")
        if tag in _VOID:
            return
        skip = (
            tag in _SKIPPED_TAGS
            or found.get("translate") == "no"
            or (found.get("id") or "").startswith("source-")
            or bool({"sources", "source"} & set((found.get("class") or "").split()))
        )
        self._open.append((tag, skip))
        self._skipping += skip

    def handle_endtag(self, tag: str) -> None:
        if tag in _VOID or tag not in {t for t, _ in self._open}:
            return
        while self._open:  # closes what the page left open inside it (<li>, <p>, <td>)
            name, skip = self._open.pop()
            self._skipping -= skip
            if name == tag:
                break

    def handle_data(self, data: str) -> None:
        if not self._skipping and data.strip():
            self.texts.append(data.strip())


def _proper_nouns(database: str) -> list[str]:
    queries = [
        "SELECT name_en FROM organizations",
        "SELECT name_ja FROM organizations",  # a Japanese name may be in Latin letters (Helical Fusion)
        "SELECT city FROM organizations",
        "SELECT name_en FROM facilities",
        "SELECT title FROM sources",
        "SELECT publisher FROM sources",
    ]
    with sqlite3.connect(database.removeprefix("sqlite:///")) as connection:
        names = {row[0] for query in queries for row in connection.execute(query) if row[0]}
        # Investors are named as their investments record them (people, funds, firms).
        for (investors,) in connection.execute("SELECT investors FROM investments"):
            names |= set(json.loads(investors or "[]"))
    return sorted(names | set(ALLOWED), key=len, reverse=True)


def english_runs(text: str, proper_nouns: list[str]) -> list[str]:
    """Runs of English words in one text of a Japanese page, after removing proper nouns and quotations."""
    for name in proper_nouns:
        if name in text:
            text = text.replace(name, " ")
    text = _URL.sub(" ", _QUOTED.sub(" ", text))
    return [m.group(0) for m in _RUN.finditer(text)]


def _pattern(path: str) -> str:
    return re.sub(r"/[a-z]+:[^/]+$", "/{id}", path)


def record_pages(database: str) -> list[str]:
    """Every organization's, technology's and need's page (a list's later pages are not followed)."""
    pages = {"organizations": "/organizations/", "technologies": "/technologies/", "needs": "/needs/"}
    with sqlite3.connect(database.removeprefix("sqlite:///")) as connection:
        return [
            f"{path}{row[0]}" for table, path in pages.items() for row in connection.execute(f"SELECT id FROM {table}")
        ]


def crawl(
    client: TestClient, proper_nouns: list[str], start: list[str] | None = None
) -> tuple[dict[str, list[str]], set[str]]:
    queue = ["/", *(path for path, _label in NAV), *ALWAYS, *(start or [])]
    seen: set[str] = set()
    taken: dict[str, int] = {}
    found: dict[str, list[str]] = {}
    while queue:
        path = queue.pop(0)
        if path in seen:
            continue
        seen.add(path)
        reply = client.get(path)
        if reply.status_code != 200 or "text/html" not in reply.headers.get("content-type", ""):
            continue
        page = _Page()
        page.feed(reply.text)
        runs = [run for text in page.texts for run in english_runs(text, proper_nouns)]
        if runs:
            found[path] = runs
        for link in page.links:
            url = urlparse(urljoin(f"http://atlas{path}", link))
            if url.netloc != "atlas" or "lang=" in url.query or url.path.startswith(_NOT_PAGES):
                continue
            if _DOWNLOADS.search(url.path):
                continue
            target = url.path + (f"?{url.query}" if url.query else "")
            pattern = _pattern(url.path)
            if target in seen or ("{id}" not in pattern and taken.get(pattern, 0) >= 1):
                continue
            taken[pattern] = taken.get(pattern, 0) + 1
            queue.append(target)
    return found, seen


def test_the_text_finder():
    nouns = ["Commonwealth Fusion Systems"]
    assert english_runs("Commonwealth Fusion Systems がREBCO線材を調達", nouns) == []
    assert english_runs("ITER JT-60SA BA-IFERC DEMO", nouns) == []  # names and acronyms
    assert english_runs("「Fusion Energy Innovation Strategy」を策定", nouns) == []  # quoted
    assert english_runs("public appropriation, one fiscal year", nouns) == ["public appropriation, one fiscal year"]
    assert english_runs("定義: early 2030s の見込み", nouns) == []  # two words are not a run
    assert english_runs("in the early 2030s", nouns) == ["in the early"]


def test_every_japanese_page_is_in_japanese(bundled_sqlite_url):
    app = create_app(bundled_sqlite_url)
    with TestClient(app) as client:
        client.cookies.set("lang", "ja")
        found, seen = crawl(client, _proper_nouns(bundled_sqlite_url), record_pages(bundled_sqlite_url))
    app.state.engine.dispose()
    assert len(seen) > 1000, len(seen)
    report = "\n".join(f"{path}:\n" + "\n".join(f"    {run}" for run in runs) for path, runs in sorted(found.items()))
    assert not found, (
        f"English on Japanese pages ({sum(map(len, found.values()))} runs; see the module's docstring):\n{report}"
    )
