"""`fusionatlas check`: what in the atlas needs a person's attention, as findings in both languages.

A check is a function `(connection, audience, today) -> list[Finding]`, registered under the kind of finding
it makes. Other packages add kinds with one line, e.g. `register("date_changed", schedule_findings)`; the CLI,
its `--kind` choices and the JSON document all read `CHECKS`.

Findings of the kinds here:
- `overdue`: a milestone still `planned` whose date has passed (the whole of a partial date: "2026" is
  overdue from 2027-01-01);
- `unverified`: a record last verified (analysis/freshness.py) more than a year before `today`, or never;
- `weak_source`: a record whose every source lacks an address or is a mirror, copy or aggregator (a host in
  `WEAK_HOSTS` or a publisher that says "mirror", "copy", "via"...), unless the source is labelled
  `mirror=true` (kept because the publisher's page is gone);
- `duplicate`: probable duplicates: investments with the same organization, amount, currency and month,
  milestones with the same title and date, organizations with the same name, sources with the same address.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any
from urllib.parse import urlsplit

from sqlalchemy import Connection, select

from fusionatlas.analysis.freshness import last_verified, source_dates
from fusionatlas.domain import TABLES, table
from fusionatlas.domain.audience import Audience
from fusionatlas.domain.values import latest_day
from fusionatlas.store.schema import TABLES_BY_NAME
from fusionatlas.store.visibility import where_visible
from fusionatlas.text import normalize, normalize_name

Finding = dict[str, str]
CheckFunction = Callable[[Connection, Audience, date], list[Finding]]

# A record not verified for longer than this is reported.
UNVERIFIED_AFTER = timedelta(days=365)

# Hosts that hold copies of other publishers' documents, encyclopaedias, and news aggregators or scrapers:
# a fact resting only on them should be re-sourced to the publisher's own page.
WEAK_HOSTS = frozenset(
    {
        # document mirrors and copy sites
        "studylib.net",
        "c.coek.info",
        "iter.seussmeus.pl",
        "scribd.com",
        "docslib.org",
        "expydoc.com",
        "paperzz.com",
        "dokumen.tips",
        "documents.pub",
        "doczz.net",
        "1library.net",
        "happylibus.com",
        "slideplayer.com",
        "powershow.com",
        "fanyv88.com",
        "dyprocess.com",
        "nucnet.herokuapp.com",
        "arxiver.lazybrains.com",
        "academia-assets.com",
        "standards.iteh.ai",
        "ouci.dntb.gov.ua",
        "scilit.net",
        "discovery.researcher.life",
        # encyclopaedias and their mirrors
        "wikipedia.org",
        "wikimili.com",
        "en-academic.com",
        "energyencyclopedia.com",
        "defzone.net",
        "limsforum.com",
        # news aggregators, rewriters and feed mirrors
        "news.livedoor.com",
        "news.yahoo.co.jp",
        "finanznachrichten.de",
        "devdiscourse.com",
        "archyde.com",
        "dailycontentnewsletter.com",
        "intelwar.press",
        "news-247.top",
        "newsbite.mooo.com",
        "elementfx.com",
        "xc0de.io",
        "cricutcom-setup.com",
        "elasticbeanstalk.com",
        "sooopu.com",
        "blogspot.com",
        "democraticunderground.net",
        "zaker.cn",
        "daily8.com",
        "5ch.net",
        "diariodomt.com",
        "aolaikelin.cn",
        "pressnetwork.de",
        "morningoverview.com",
    }
)
# A publisher's words for a copy of someone else's document (the data guide asks the publisher field to say
# so), and a title's parenthesis ("...; copy)"); a title's own words are not enough: "tandem mirror" is a device.
_SECONDHAND = re.compile(r"\bmirror(ed)?\b|\bcopy\b|\bvia\b|\brepost(ed)?\b|\brepublished\b|ミラー\)|転載", re.I)
_SECONDHAND_TITLE = re.compile(r"\b(copy|mirror|mirrored|reprint|republished)\)", re.I)
# Repositories that keep the publisher's own text (open-access copies made by the publisher or the author's
# institution under the publisher's terms): "via PMC" is not second-hand.
_REPOSITORIES = frozenset({"ncbi.nlm.nih.gov", "arxiv.org", "doi.org", "osti.gov", "eurekalert.org"})

CHECKS: dict[str, CheckFunction] = {}


def register(kind: str, function: CheckFunction) -> None:
    """Add (or replace) the check that makes findings of `kind`."""
    CHECKS[kind] = function


@dataclass(frozen=True)
class Report:
    as_of: str
    findings: list[Finding]

    def as_json(self) -> dict[str, Any]:
        return {"as_of": self.as_of, "findings": self.findings}


def run_checks(connection: Connection, audience: Audience, today: date, kinds: Iterable[str] | None = None) -> Report:
    """Every registered check (or those of `kinds`; an unknown kind is a KeyError naming the known ones)."""
    wanted = list(kinds) if kinds else list(CHECKS)
    unknown = [kind for kind in wanted if kind not in CHECKS]
    if unknown:
        raise KeyError(f"no check of kind {', '.join(unknown)}; kinds: {', '.join(CHECKS)}")
    findings: list[Finding] = []
    for kind in wanted:
        findings.extend(f for f in CHECKS[kind](connection, audience, today) if f["kind"] in wanted)
    findings.sort(key=lambda f: (f["kind"], f["table"], f["id"]))
    return Report(today.isoformat(), findings)


def finding(kind: str, table_name: str, record_id: str, message_en: str, message_ja: str) -> Finding:
    return {"kind": kind, "table": table_name, "id": record_id, "message_en": message_en, "message_ja": message_ja}


def _rows(connection: Connection, audience: Audience, table_name: str, columns: Iterable[str]) -> Iterator[Any]:
    db_table = TABLES_BY_NAME[table_name]
    query = select(*(db_table.c[name] for name in columns)).order_by(db_table.c.id)
    yield from connection.execute(where_visible(query, audience, table_name))


def _sourced_tables() -> list[str]:
    """The tables whose records carry `last_verified` (every `Sourced` table) and are named by an `id` (a finding
    names its record by id; links and dated announcements keyed by two columns are checked with their milestone)."""
    return [spec.name for spec in TABLES if "last_verified" in spec.model.model_fields and spec.key == ("id",)]


def _label(row: Any, label_column: str) -> str:
    return str(getattr(row, label_column) or row.id)


def _schedule(kind: str) -> CheckFunction:
    """The roadmap's findings of one kind: it owns the history of announced dates, so a milestone whose date
    was re-announced is judged against its latest announced date (roadmap/status.py)."""

    def found(connection: Connection, audience: Audience, today: date) -> list[Finding]:
        from fusionatlas.roadmap.status import schedule_findings  # the roadmap reads through the check's callers

        return [f for f in schedule_findings(connection, audience, today) if f["kind"] == kind]

    found.__doc__ = {
        "overdue": "Milestones still planned after their (latest announced) date.",
        "date_changed": "Milestones whose announced date changed.",
    }.get(kind)
    return found


overdue = _schedule("overdue")
date_changed = _schedule("date_changed")


def unverified(connection: Connection, audience: Audience, today: date) -> list[Finding]:
    """Records last verified more than a year ago, or never."""
    accessed = source_dates(connection)
    threshold = (today - UNVERIFIED_AFTER).isoformat()
    found = []
    for name in _sourced_tables():
        label = table(name).label_column
        for row in _rows(connection, audience, name, ("id", label, "last_verified", "source_ids")):
            when = last_verified(row.last_verified, row.source_ids, accessed)
            if when is None:
                found.append(
                    finding(
                        "unverified",
                        name,
                        row.id,
                        f"{_label(row, label)}: never verified (no last_verified date and no source with an "
                        "access date)",
                        f"{_label(row, label)}: 確認日がありません(last_verified も出典の閲覧日もありません)",
                    )
                )
            elif latest_day(when) < threshold:
                found.append(
                    finding(
                        "unverified",
                        name,
                        row.id,
                        f"{_label(row, label)}: last verified on {when}, more than a year ago",
                        f"{_label(row, label)}: 最終確認日 {when} から1年以上経っています",
                    )
                )
    return found


def _host(url: str) -> str:
    host = (urlsplit(url).hostname or "").lower().rstrip(".")
    return host.removeprefix("www.")


def _on(host: str, hosts: frozenset[str]) -> bool:
    return any(host == h or host.endswith("." + h) for h in hosts)


def weakness(url: str | None, publisher: str | None, title: str | None, mirror: bool | None) -> str | None:
    """Why a source is weak ("no address", "mirror or aggregator"), or None when it is the publisher's own
    page or a labelled mirror of a page that is gone."""
    if mirror:
        return None
    if not url:
        return "no address"
    host = _host(url)
    if _on(host, WEAK_HOSTS):
        return f"mirror or aggregator ({host})"
    if not _on(host, _REPOSITORIES) and (_SECONDHAND.search(publisher or "") or _SECONDHAND_TITLE.search(title or "")):
        return f"second-hand copy ({host})"
    return None


def weak_sources(connection: Connection) -> dict[str, str]:
    """Every weak source and why."""
    sources = TABLES_BY_NAME["sources"]
    query = select(sources.c.id, sources.c.url, sources.c.publisher, sources.c.title, sources.c.mirror)
    weak = {}
    for row in connection.execute(query):
        why = weakness(row.url, row.publisher, row.title, row.mirror)
        if why:
            weak[row.id] = why
    return weak


def weak_source(connection: Connection, audience: Audience, today: date) -> list[Finding]:
    """Records whose every source is weak."""
    weak = weak_sources(connection)
    found = []
    for name in _sourced_tables():
        label = table(name).label_column
        for row in _rows(connection, audience, name, ("id", label, "source_ids")):
            ids = list(row.source_ids or [])
            if not ids or any(s not in weak for s in ids):
                continue
            reasons = "; ".join(f"{s}: {weak[s]}" for s in ids)
            found.append(
                finding(
                    "weak_source",
                    name,
                    row.id,
                    f"{_label(row, label)}: only weak sources ({reasons}); cite the publisher's own page",
                    f"{_label(row, label)}: 出典がミラー・転載・アドレスなしのみです({reasons})。"
                    "発行元のページを出典にしてください",
                )
            )
    return found


def _duplicates(
    groups: dict[Any, list[str]], table_name: str, what_en: str, what_ja: str, labels: dict[str, str]
) -> list[Finding]:
    found = []
    for ids in groups.values():
        if len(ids) < 2:
            continue
        for record_id in ids:
            others = ", ".join(i for i in ids if i != record_id)
            found.append(
                finding(
                    "duplicate",
                    table_name,
                    record_id,
                    f"{labels.get(record_id, record_id)}: probably the same as {others} (same {what_en})",
                    f"{labels.get(record_id, record_id)}: {others} と重複の可能性があります({what_ja}が同じ)",
                )
            )
    return found


def duplicate(connection: Connection, audience: Audience, today: date) -> list[Finding]:
    """Probable duplicates by name, amount and date."""
    found: list[Finding] = []
    rounds: dict[Any, list[str]] = defaultdict(list)
    labels: dict[str, str] = {}
    for row in _rows(connection, audience, "investments", ("id", "org_id", "amount", "currency", "date", "round")):
        if row.org_id and row.amount and row.date:
            rounds[(row.org_id, row.amount, row.currency, row.date[:7])].append(row.id)
            labels[row.id] = f"{row.org_id} {row.amount:,} {row.currency} {row.date}"
    found += _duplicates(rounds, "investments", "organization, amount and month", "組織・金額・年月", labels)

    events: dict[Any, list[str]] = defaultdict(list)
    for row in _rows(connection, audience, "milestones", ("id", "title_en", "date")):
        events[(normalize(row.title_en), row.date)].append(row.id)
        labels[row.id] = row.title_en
    found += _duplicates(events, "milestones", "title and date", "名称・日付", labels)

    names: dict[Any, list[str]] = defaultdict(list)
    for row in _rows(connection, audience, "organizations", ("id", "name_en")):
        names[normalize_name(row.name_en)].append(row.id)
        labels[row.id] = row.name_en
    found += _duplicates(names, "organizations", "name", "名称", labels)

    addresses: dict[Any, list[str]] = defaultdict(list)
    sources = TABLES_BY_NAME["sources"]
    for row in connection.execute(select(sources.c.id, sources.c.url, sources.c.title).order_by(sources.c.id)):
        if row.url:
            addresses[row.url.strip().rstrip("/").lower()].append(row.id)
            labels[row.id] = row.title
    found += _duplicates(addresses, "sources", "address", "アドレス", labels)
    return found


register("overdue", overdue)
register("date_changed", date_changed)
register("unverified", unverified)
register("weak_source", weak_source)
register("duplicate", duplicate)
