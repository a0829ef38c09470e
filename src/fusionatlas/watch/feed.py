"""A user's watch news as an Atom feed (RFC 4287), built with xml.etree (text is escaped, never pasted)."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from datetime import UTC, datetime

from fusionatlas.store.watch import Match

ATOM = "http://www.w3.org/2005/Atom"
STATES = {"new": "New", "changed": "Changed"}
STATES_JA = {"new": "新規", "changed": "更新"}
KINDS = {"text": "search", "technology": "technology", "buyer": "buyer"}
KINDS_JA = {"text": "検索", "technology": "技術", "buyer": "発注者"}


def _iso(moment: datetime) -> str:
    aware = moment if moment.tzinfo else moment.replace(tzinfo=UTC)
    return aware.astimezone(UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


def title(match: Match, lang: str | None) -> str:
    """One line for a match: state, name and record id, in English, Japanese or both (lang None)."""
    english = f"{STATES[match.state]}: {match.name_en or match.name_ja or match.record_id} ({match.record_id})"
    japanese = f"{STATES_JA[match.state]}：{match.name_ja or match.name_en or match.record_id}（{match.record_id}）"
    return {"en": english, "ja": japanese}.get(lang or "", f"{english} / {japanese}")


def watch_label(match: Match, lang: str | None) -> str:
    english = f"watch: {KINDS[match.kind]} “{match.value}”"
    japanese = f"ウォッチ：{KINDS_JA[match.kind]}「{match.value}」"
    return {"en": english, "ja": japanese}.get(lang or "", f"{english} / {japanese}")


def atom(matches: list[Match], base_url: str, feed_url: str, lang: str | None = None) -> bytes:
    """The feed document: one entry per new or changed match, newest first."""
    ET.register_namespace("", ATOM)
    feed = ET.Element(f"{{{ATOM}}}feed")
    ET.SubElement(feed, f"{{{ATOM}}}title").text = "FusionAtlas watches" if lang == "en" else "FusionAtlas ウォッチ"
    ET.SubElement(feed, f"{{{ATOM}}}id").text = feed_url
    ET.SubElement(feed, f"{{{ATOM}}}link", rel="self", href=feed_url)
    ET.SubElement(feed, f"{{{ATOM}}}link", rel="alternate", href=f"{base_url}/watch")
    updated = max((m.changed for m in matches), default=datetime(2000, 1, 1, tzinfo=UTC))
    ET.SubElement(feed, f"{{{ATOM}}}updated").text = _iso(updated)
    author = ET.SubElement(feed, f"{{{ATOM}}}author")
    ET.SubElement(author, f"{{{ATOM}}}name").text = "FusionAtlas"
    for match in matches:
        entry = ET.SubElement(feed, f"{{{ATOM}}}entry")
        ET.SubElement(entry, f"{{{ATOM}}}title").text = title(match, lang)
        stamp = _iso(match.changed)
        entry_id = f"{feed_url}#{match.watch_id}/{match.table_name}/{match.record_id}/{stamp}"
        ET.SubElement(entry, f"{{{ATOM}}}id").text = entry_id
        ET.SubElement(entry, f"{{{ATOM}}}updated").text = stamp
        ET.SubElement(entry, f"{{{ATOM}}}link", rel="alternate", href=base_url + match.link)
        ET.SubElement(entry, f"{{{ATOM}}}category", term=match.table_name)
        ET.SubElement(entry, f"{{{ATOM}}}summary").text = watch_label(match, lang)
    return b'<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(feed, encoding="unicode").encode()
