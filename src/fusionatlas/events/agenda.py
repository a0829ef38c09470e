"""A participant's agenda as an iCalendar file (RFC 5545), in Japanese or English.

One VEVENT per meeting with the counterpart's name and the table (and an online meeting's link, in LOCATION and
URL: the file is its participant's own); times carry the event's time zone as a TZID
with a VTIMEZONE built from the IANA zone (so calendar programs show local times correctly, and daylight saving
changes are right); UIDs are stable per meeting, so importing an updated agenda replaces, not duplicates.
Lines are folded at 75 octets and text escaped as the RFC asks.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from fusionatlas.events.core import AgendaItem, Event

LABELS = {
    "en": {"meeting": "Meeting with {name}", "table": "Table {table}", "at": "{event}"},
    "ja": {"meeting": "{name} との面談", "table": "テーブル {table}", "at": "{event}"},
}


def _escape(text: str) -> str:
    return (
        text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\r\n", "\\n").replace("\n", "\\n")
    )


def _fold(line: str) -> str:
    """Lines of at most 75 octets, continued with a space (never splitting a UTF-8 character)."""
    out: list[str] = []
    current = ""
    for char in line:
        if len((current + char).encode()) > (75 if not out else 74):
            out.append(current)
            current = ""
        current += char
    out.append(current)
    return "\r\n ".join(out)


def _local(moment: datetime) -> str:
    return moment.strftime("%Y%m%dT%H%M%S")


def _timezone(event: Event) -> list[str]:
    """A VTIMEZONE with one STANDARD/DAYLIGHT block per UTC offset the zone has over the event's days."""
    first = event.slot_start(0)
    last = event.slot_end(event.slot_count - 1)
    lines = ["BEGIN:VTIMEZONE", f"TZID:{event.time_zone}"]
    moment, previous = first, None
    seen: list[tuple[timedelta, str, datetime]] = []
    while moment <= last + timedelta(hours=1):
        offset = moment.utcoffset() or timedelta(0)
        if offset != previous:
            seen.append((offset, moment.tzname() or event.time_zone, moment))
            previous = offset
        moment += timedelta(hours=1)
    before = seen[0][0]
    for offset, name, start in seen:
        kind = "DAYLIGHT" if (start.dst() or timedelta(0)) else "STANDARD"
        lines += [
            f"BEGIN:{kind}",
            f"DTSTART:{_local(start.replace(minute=0, second=0) if start != first else first)}",
            f"TZOFFSETFROM:{_offset(before)}",
            f"TZOFFSETTO:{_offset(offset)}",
            f"TZNAME:{name}",
            f"END:{kind}",
        ]
        before = offset
    lines.append("END:VTIMEZONE")
    return lines


def _offset(delta: timedelta) -> str:
    minutes = int(delta.total_seconds() // 60)
    sign = "+" if minutes >= 0 else "-"
    return f"{sign}{abs(minutes) // 60:02d}{abs(minutes) % 60:02d}"


def ics(event: Event, items: list[AgendaItem], lang: str, host: str = "fusionatlas") -> str:
    labels = LABELS["ja" if lang == "ja" else "en"]
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//FusionAtlas//events//EN",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        f"X-WR-CALNAME:{_escape(event.name(lang))}",
        *_timezone(event),
    ]
    for item in items:
        table = labels["table"].format(table=item.table)
        lines += [
            "BEGIN:VEVENT",
            f"UID:event-{event.id}-meeting-{item.meeting_id}@{host}",
            f"DTSTAMP:{stamp}",
            f"DTSTART;TZID={event.time_zone}:{_local(item.start)}",
            f"DTEND;TZID={event.time_zone}:{_local(item.end)}",
            f"SUMMARY:{_escape(labels['meeting'].format(name=item.counterpart.name))}",
            f"LOCATION:{_escape(', '.join(x for x in (table, event.venue or '', item.link or '') if x))}",
            f"DESCRIPTION:{_escape(' / '.join(x for x in (event.name(lang), table, item.link or '') if x))}",
        ]
        if item.link:  # an online meeting: its link (https only, events/core.py check_link) as the URL too
            lines.append(f"URL:{item.link}")
        lines.append("END:VEVENT")
    lines.append("END:VCALENDAR")
    return "\r\n".join(_fold(line) for line in lines) + "\r\n"
